/*
 * tiers.h — incident tiers (事件分级) and the rules each carries: names,
 * colour role, lead authority, notify list and reporting chain with its
 * deadlines, all read from data/tiers.conf (libconfig).
 *
 * The five tier ids are fixed by the measures (unassessed, IV, III, II,
 * I); everything else about them is configuration.  A tier's rank is its
 * enum value, so a higher tier compares greater.
 */
#ifndef DUTYDESK_TIERS_H
#define DUTYDESK_TIERS_H

#include <stdbool.h>

#include "dutydesk/error.h"

enum dd_tier { DD_TIER_UNASSESSED, DD_TIER_IV, DD_TIER_III, DD_TIER_II, DD_TIER_I, DD_TIERS };

#define DD_HOPS_MAX 8
#define DD_NOTIFY_MAX 16
#define DD_HOP_ID_MAX 32

struct dd_hop_rule {
	char id[DD_HOP_ID_MAX + 1];
	char to[129];
	int within_min;        /* from detection, or from `after` */
	int cii_within_min;    /* the same for critical information infrastructure */
	char after[DD_HOP_ID_MAX + 1];   /* "" or an earlier hop's id */
};

struct dd_tier_rule {
	char name_zh[64];
	char name_en[64];
	char colour[32];       /* theme role */
	char lead[512];
	char notify[DD_NOTIFY_MAX][128];
	int n_notify;
	struct dd_hop_rule hops[DD_HOPS_MAX];
	int n_hops;
};

struct dd_tiers {
	struct dd_tier_rule tier[DD_TIERS];
	int summary_within_min;
};

/* The fixed ids: "unassessed", "IV", "III", "II", "I". */
const char *tier_id(enum dd_tier t);

/* A tier named by id (any case), Roman numeral, or Chinese name (一般,
 * 较大, 重大, 特别重大, 未定级); -1 when unknown. */
int tier_parse(const char *s);

/* Reads and validates path; every error names file:line (the file alone
 * when nothing in it has a line, e.g. no tiers list) and the setting.
 * Unknown settings are refused: a misspelt one would drop a rule. */
int tiers_load(const char *path, struct dd_tiers *t, struct dd_error *err);

/* "30m", "4h", "1d", "1h30m" → minutes; -1 when malformed or not positive. */
int duration_parse_min(const char *s);

#endif
