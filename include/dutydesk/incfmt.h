/*
 * incfmt.h — how the incident screens name and colour things: statuses,
 * categories and channels in the officer's language, tier badges and
 * their theme roles, deadlines as countdowns.
 *
 * Shared by the queue, incident and tiers views and the notifier, so a
 * status or a deadline reads the same everywhere.  No curses calls: a
 * role is only an enum value here, and unit tests use these directly.
 */
#ifndef DUTYDESK_INCFMT_H
#define DUTYDESK_INCFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dutydesk/roster.h"
#include "dutydesk/store.h"
#include "dutydesk/theme.h"
#include "dutydesk/tiers.h"

/* How long before a deadline it counts as near: the countdown turns
 * yellow and the notifier alerts once. */
#define INCFMT_SOON_MS (15 * 60 * 1000)

/* Translated labels ("responding": 处置中); an unknown id as itself. */
const char *incfmt_status(int status);
const char *incfmt_category(const char *category);
const char *incfmt_via(const char *via);

/* A status as an officer types it: its id, its translated label, or its
 * number (1 reported … 6 reviewed); -1 when none matches. */
int incfmt_status_parse(const char *s);

/* The width of the widest status label in the current language. */
int incfmt_status_cols(void);

/* The theme role tiers.conf names for tier (its `colour`), or the
 * built-in role of that tier when the name is no theme role. */
enum theme_role incfmt_tier_role(const struct dd_tiers *t, int tier);

/* The badge of a tier: its Chinese name, with "?" when the tier is only
 * proposed, not confirmed by a leader. */
void incfmt_badge(const struct dd_tiers *t, int tier, bool unconfirmed, char *buf, size_t n);

/* A tier as an officer reads it: "特别重大（I级）" from name_zh and the
 * grade when the Chinese catalogue is in use, else name_zh and
 * tiers.conf's name_en ("特别重大 critical (I)"); "?" for no tier. */
void incfmt_tier_name(const struct dd_tiers *t, int tier, char *buf, size_t n);

/* The receiver of a hop ("市经济信息委") for its id ("commission"): the
 * hop of that id in tier's chain, else in any tier's chain (an incident
 * keeps the hops of a tier it has left); the summary report for
 * "summary"; the id itself when no chain has it.  Ids stay what the
 * command line and --json use. */
const char *incfmt_hop(const struct dd_tiers *t, int tier, const char *id);

/* An org's name from the org tree into buf (INCFMT_ORG_LEN bytes hold
 * any); an org the tree lacks by its nearest ancestor's name and the
 * rest of its id ("涪陵区 chem-03"); id itself when none is known (the
 * tree not loaded yet, an org of another office). */
#define INCFMT_ORG_LEN (DD_NAME_MAX + 1 + DD_ORG_MAX + 1)
const char *incfmt_org(struct dd_store *st, const char *id, char *buf, size_t n);

/* A deadline against now: "in 3h05m", "OVERDUE 12m" (translated), or ""
 * when due is 0.  Returns the role to draw it in: ROLE_OVERDUE once
 * passed, ROLE_DUE_SOON within INCFMT_SOON_MS, else ROLE_NORMAL. */
enum theme_role incfmt_countdown(int64_t due, int64_t now, char *buf, size_t n);

#endif
