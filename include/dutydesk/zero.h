/*
 * zero.h — protection periods (重保时期, seed art. 22–23), 24-hour zero
 * reporting (零报告) and the change freeze on important protected objects:
 * the rules (core/zero.c) and the read API the CLI and the Zero checklist
 * screen use (core/store_zero.c).
 *
 * A period is one period.set event per version (subject: its UUID), whole
 * state, last-writer-wins; `period end` is a version with an earlier end.
 * Only the commission or the centre (cfg->org "cq" or "cq.center") sets
 * periods.  Report times are local wall-clock times in the period's zone,
 * so 16:00 stays 16:00 whatever zone the reading console is in.
 *
 * Slots: each report time of each local day inside [start, end] is a
 * slot S.  A report made at t belongs to the first slot with
 * S + grace >= t, so a report during the grace after 16:00 still counts
 * for 16:00; a report for an earlier slot must name it (--slot) and is
 * then late.  For a slot S at instant now, an org is
 *   reported  when its report was made by S + grace,
 *   late      when it was made after S + grace,
 *   missing   when none was made and now > S + grace,
 *   pending   when none was made yet and now <= S + grace.
 *
 * One zero.report event per report (subject: its UUID).  A second report
 * for the same org and slot must say it corrects the first (zero_submit's
 * correct flag); the latest (by hlc) then decides the slot's state and
 * every report stays in the history — nothing is replaced or deleted.
 *
 * Orgs in scope: enterprises and district offices, not retired, in the
 * subtree of one of the period's scope prefixes.  A console sees the
 * subtree of its own org (cfg->org), the commission and centre see all.
 */
#ifndef DUTYDESK_ZERO_H
#define DUTYDESK_ZERO_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/kinds.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"

#define DD_PERIOD_SCOPES_MAX DD_SHIFT_OFFICERS_MAX   /* scope prefixes of a period */
#define DD_PERIOD_TIMES_MAX DD_SHIFT_OFFICERS_MAX    /* report times a day */
#define DD_ZERO_INCIDENTS_MAX DD_SHIFT_OFFICERS_MAX  /* incidents one report names */
#define DD_PERIOD_GRACE_MAX 720                      /* minutes */

struct dd_period {
	char id[DD_UUID_LEN + 1];
	char name[DD_NAME_MAX + 1];
	int64_t start_ms, end_ms;
	char tz[64];
	int n_scope;
	char scope[DD_PERIOD_SCOPES_MAX][DD_ORG_ID_MAX + 1];
	int n_times;
	int times_min[DD_PERIOD_TIMES_MAX];   /* minutes after local midnight, ascending */
	int grace_min;
	bool zero, watch, freeze;             /* rules on */
	char by[129];                         /* officer of the latest version */
};

/* What `period new` says; times as "16:00", scope as org ids. */
struct dd_period_in {
	const char *name;
	int64_t start_ms, end_ms;
	const char *const *scope;
	int n_scope;
	const char *const *times;
	int n_times;
	int grace_min;
	bool zero, watch, freeze;
};

/* Whether cfg's org may set protection periods (commission or centre). */
bool zero_may_set_period(const struct dd_config *cfg);

/* The prefix a console sees: "" (everything) for the commission and the
 * centre, else its own org. */
const char *zero_viewer_scope(const struct dd_config *cfg);

/* Whether org lies in prefix's subtree (org == prefix or starts with
 * prefix + "."); prefix "" holds everything. */
bool zero_in_subtree(const char *org, const char *prefix);

/* "16:00" into minutes after midnight; DD_EINVAL naming the text. */
int zero_parse_hm(const char *s, int *min, struct dd_error *err);

/* The slot (see above) a report made at t belongs to: DD_ENOTFOUND when
 * the period has no report time left after t. */
int zero_slot_at(const struct dd_period *p, int64_t t, int64_t *slot_ms, struct dd_error *err);

enum dd_zero_state { DD_ZERO_MISSING, DD_ZERO_LATE, DD_ZERO_PENDING, DD_ZERO_REPORTED };

/* The state of an org for slot_ms at now_ms; reported_ms 0 = no report. */
enum dd_zero_state zero_state_of(const struct dd_period *p, int64_t slot_ms, int64_t reported_ms, int64_t now_ms);
const char *zero_state_name(enum dd_zero_state s);    /* "missing", … */
const char *zero_state_label(enum dd_zero_state s);   /* "未报", … */

/* Checks in against the tree, the caller's role and the other periods
 * (no overlap in time and scope with different report times or grace),
 * then writes period.set; id receives the new period's UUID. */
int zero_period_new(struct dd_store *st, const struct dd_config *cfg, const struct dd_period_in *in,
		    char id[DD_UUID_LEN + 1], struct dd_error *err);

/* Ends the period at end_ms (not before its start, not after its end). */
int zero_period_end(struct dd_store *st, const struct dd_config *cfg, const char *id, int64_t end_ms,
		    struct dd_error *err);

struct dd_zero_in {
	const char *org;
	const char *period;        /* NULL: the one active for org */
	int64_t slot_ms;           /* 0: the slot the report time falls in */
	int64_t at_ms;             /* when it was made; 0 = now */
	bool nil;                  /* 零报告 */
	const char *const *incidents;   /* ids or short ids, when not nil */
	int n_incidents;
	const char *via;
	const char *reporter;      /* who phoned it in; may be NULL */
	const char *note;          /* may be NULL */
	bool correct;              /* supersede this slot's earlier report */
};

/* Writes a zero.report after checking: an active period with zero
 * reporting covering org, org in scope and in the caller's sight, nil
 * xor at least one incident that exists, and a first report for the
 * slot unless correct.  id receives the report's UUID, slot_ms its slot. */
int zero_submit(struct dd_store *st, const struct dd_config *cfg, const struct dd_zero_in *in,
		char id[DD_UUID_LEN + 1], int64_t *slot_ms, struct dd_error *err);

/* Writes freeze.warning for each period with the freeze rule that is
 * active at at_ms and covers the object's org, when the object is (or
 * was, for an assessment) important.  change_event is the event that
 * changed it.  Called by roster.c after every object change. */
int zero_freeze_check(struct dd_store *st, const struct dd_config *cfg, const char *object_id, bool was_important,
		      const char *change_kind, const char *change_event, int64_t at_ms, struct dd_error *err);

/* ---- reading (core/store_zero.c) ------------------------------------ */

int store_period_get(struct dd_store *st, const char *id, struct dd_period *out, struct dd_error *err);
/* By full id or short id (the last 8 hex digits). */
int store_period_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err);
typedef int (*dd_period_cb)(const struct dd_period *p, void *ctx);
/* Periods by start; with all false only those not over at now_ms. */
int store_period_scan(struct dd_store *st, bool all, int64_t now_ms, dd_period_cb cb, void *ctx,
		      struct dd_error *err);

struct dd_zero_row {
	char org[DD_ORG_ID_MAX + 1];
	char org_name[DD_NAME_MAX + 1];
	char district[DD_ORG_ID_MAX + 1];
	/* the latest report for the slot; id "" when none */
	char id[DD_UUID_LEN + 1];
	int64_t at_ms;
	char by[129];
	char via[16];
	char reporter[DD_PERSON_MAX + 1];
	bool nil;
	char incidents[DD_ZERO_INCIDENTS_MAX * (DD_UUID_LEN + 1)];   /* comma-separated */
	int n_reports;          /* > 1: corrected */
};

/* Every org in the period's scope and in viewer's subtree ("" all), in
 * tree order, with its latest report for slot_ms. */
typedef int (*dd_zero_cb)(const struct dd_zero_row *r, void *ctx);
int store_zero_checklist(struct dd_store *st, const char *period, int64_t slot_ms, const char *viewer,
			 dd_zero_cb cb, void *ctx, struct dd_error *err);

/* The latest report of org for the slot; DD_ENOTFOUND when none. */
int store_zero_latest(struct dd_store *st, const char *period, const char *org, int64_t slot_ms,
		      struct dd_zero_row *out, struct dd_error *err);

struct dd_freeze_warning {
	char id[DD_UUID_LEN + 1];
	char period[DD_UUID_LEN + 1];
	char object[DD_UUID_LEN + 1];
	char object_name[DD_NAME_MAX + 1];
	char org[DD_ORG_ID_MAX + 1];
	char change[24];
	int64_t at_ms;
	char by[129];
};

/* Freeze warnings of period ("" all) in viewer's subtree, newest first. */
typedef int (*dd_freeze_cb)(const struct dd_freeze_warning *w, void *ctx);
int store_freeze_scan(struct dd_store *st, const char *period, const char *viewer, dd_freeze_cb cb, void *ctx,
		      struct dd_error *err);

/* The latest report of each org in viewer's subtree ("" all) for each
 * slot of period in [from_ms, to_ms), by org then slot: what the history
 * grid marks (an org and slot not passed to cb has no report). */
typedef int (*dd_zero_slot_cb)(const char *org, int64_t slot_ms, int64_t at_ms, void *ctx);
int store_zero_history(struct dd_store *st, const char *period, int64_t from_ms, int64_t to_ms, const char *viewer,
		       dd_zero_slot_cb cb, void *ctx, struct dd_error *err);

#endif
