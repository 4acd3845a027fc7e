/*
 * zeroclock.h — the clock arithmetic of zero reporting that the console
 * shows and reminds by (core/zeroclock.c): stepping between report slots,
 * the next deadline and the last one passed, which period a desk sees
 * and which is due first, the countdown text of the top bar, and how
 * many days the history grid fits.  Pure functions over struct dd_period
 * (zero.h): no store, no screen.
 *
 * A deadline here is a slot instant S (the report time, e.g. 16:00); an
 * org is missing only once S + grace has passed (zero.h), so "before
 * the deadline" means before S and "after the deadline" after S + grace.
 */
#ifndef DUTYDESK_ZEROCLOCK_H
#define DUTYDESK_ZEROCLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dutydesk/zero.h"

/* The slot after (dir > 0) or before (dir < 0) slot_ms; DD_ENOTFOUND at
 * either end of the period. */
int zero_slot_step(const struct dd_period *p, int64_t slot_ms, int dir, int64_t *out);

/* The first slot at or after now: the next report time to meet. */
int zero_next_deadline(const struct dd_period *p, int64_t now_ms, int64_t *slot_ms);

/* The latest slot whose grace has run out by now (S + grace < now). */
int zero_last_passed(const struct dd_period *p, int64_t now_ms, int64_t *slot_ms);

/* The slot the checklist opens on at now: the latest report time of
 * today (in the period's zone) already reached, so after 16:00 the
 * officer sees who missed 16:00 and chases them all evening; before the
 * day's first report time, the next one; once none is left, the
 * period's last. */
int zero_current_slot(const struct dd_period *p, int64_t now_ms, int64_t *slot_ms);

/* Whether p has zero reporting on, has begun, and is not over by now
 * (its last slot's grace included). */
bool zero_period_running(const struct dd_period *p, int64_t now_ms);

/* Whether a desk seeing viewer's subtree ("" all) sees some of p's scope. */
bool zero_period_in_sight(const struct dd_period *p, const char *viewer);

/* Of n periods, the index of the one whose next deadline comes first
 * (ties: the earlier in the array); -1 when none has a deadline left. */
int zero_period_soonest(const struct dd_period *ps, int n, int64_t now_ms);

/* Of the n periods running in a desk's sight, the one its checklist
 * (the console's and `dutydesk zero status`) shows unless told: the one
 * due first, else the first; -1 when n is 0.  With zero_current_slot()
 * it makes the default (period, slot) both agree on. */
int zero_period_shown(const struct dd_period *ps, int n, int64_t now_ms);

/* Reminders: SOON, lead minutes before a report time (every desk);
 * MISSING, once a slot's grace has run out (the desks that chase). */
enum zero_alert { ZERO_ALERT_SOON, ZERO_ALERT_MISSING };

/* The slot an alert of kind is due for at now: SOON, the next report
 * time when now is within lead_min of it (lead_min 0: never); MISSING,
 * the latest slot whose grace has run out.  False when none. */
bool zero_alert_slot(const struct dd_period *p, int64_t now_ms, int lead_min, enum zero_alert kind, int64_t *slot_ms);

/* The alerts already sent: a ring far larger than the slots that can be
 * due at once.  Zero-initialise. */
#define ZERO_ALERTED_MAX 64
struct zero_alerted {
	struct {
		char period[DD_UUID_LEN + 1];
		int64_t slot;
		enum zero_alert kind;
	} sent[ZERO_ALERTED_MAX];
	int n, next;
};

/* True the first time (period, slot, kind) is asked about, and records
 * it; false every later time: each alert goes out once per slot however
 * often the clock ticks. */
bool zero_alert_once(struct zero_alerted *a, const char *period, int64_t slot_ms, enum zero_alert kind);

/* A time left as "H:MM", rounded up to the minute (so "0:00" only once
 * it has run out); negative counts as 0. */
void zero_countdown(int64_t ms, char *buf, size_t n);

/* How many day columns of cell columns each fit in width beside a label
 * of label columns (one space between), at most max and at least 0. */
int zero_grid_days(int width, int label, int cell, int max);

/* The checklist's reading order, one for the screen and `zero status`:
 * districts with the most missing orgs first (then in tree order), and
 * within a district missing, late, pending, then reported orgs (each in
 * tree order).  district[i] and state[i] describe row i of n, rows in
 * tree order; order receives the row indexes, group[i] (may be NULL) the
 * rank of row i's district.  0, or DD_ENOMEM. */
int zero_checklist_order(const char *const *district, const enum dd_zero_state *state, size_t n, size_t *order,
			 size_t *group);

#endif
