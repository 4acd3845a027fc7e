/*
 * test_zeroclock.c — unit tests for core/zeroclock.c: stepping between
 * report slots (across days, at both ends of a period, across a DST
 * change in the period's own zone), the next deadline and the last one
 * passed with grace, which slot the checklist opens on, which periods a
 * desk sees, which is due first and which the checklist shows, that each reminder fires once per
 * slot however often the clock ticks, the countdown text and the history
 * grid's width; and store_zero_history, the grid's query (latest report
 * per org and slot, corrections, range and viewer scope).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dutydesk/zeroclock.h"
#include "orgtree.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

static int64_t at(const char *rfc3339)
{
	int64_t ms;
	assert_int_equal(time_parse_rfc3339(rfc3339, &ms, NULL), 0);
	return ms;
}

/* 09:00 and 16:00 from 03-01 to 03-03 end of day, Shanghai, grace 30. */
static struct dd_period two_times(void)
{
	struct dd_period p = { .start_ms = at("2026-03-01T00:00:00+08:00"), .end_ms = at("2026-03-03T23:59:00+08:00"),
			       .n_times = 2, .times_min = { 9 * 60, 16 * 60 }, .grace_min = 30, .zero = true,
			       .n_scope = 1, .scope = { "cq.yubei" } };
	snprintf(p.tz, sizeof p.tz, "Asia/Shanghai");
	snprintf(p.id, sizeof p.id, "a");
	return p;
}

static void step_walks_slots_and_stops_at_the_ends(void **state)
{
	(void)state;
	struct dd_period p = two_times();
	int64_t s;
	assert_int_equal(zero_slot_step(&p, at("2026-03-01T16:00:00+08:00"), 1, &s), 0);
	assert_int_equal(s, at("2026-03-02T09:00:00+08:00"));
	assert_int_equal(zero_slot_step(&p, s, -1, &s), 0);
	assert_int_equal(s, at("2026-03-01T16:00:00+08:00"));
	assert_int_equal(zero_slot_step(&p, s, -1, &s), 0);
	assert_int_equal(s, at("2026-03-01T09:00:00+08:00"));
	assert_int_equal(zero_slot_step(&p, s, -1, &s), DD_ENOTFOUND);
	assert_int_equal(zero_slot_step(&p, at("2026-03-03T16:00:00+08:00"), 1, &s), DD_ENOTFOUND);
}

static void step_keeps_local_time_across_dst(void **state)
{
	(void)state;
	/* Berlin leaves summer time on 2026-10-25: 16:00 stays 16:00. */
	struct dd_period p = { .start_ms = at("2026-10-24T00:00:00+02:00"), .end_ms = at("2026-10-27T00:00:00+01:00"),
			       .n_times = 1, .times_min = { 16 * 60 }, .zero = true };
	snprintf(p.tz, sizeof p.tz, "Europe/Berlin");
	int64_t s;
	assert_int_equal(zero_slot_step(&p, at("2026-10-24T16:00:00+02:00"), 1, &s), 0);
	assert_int_equal(s, at("2026-10-25T16:00:00+01:00"));
	assert_int_equal(zero_slot_step(&p, s, -1, &s), 0);
	assert_int_equal(s, at("2026-10-24T16:00:00+02:00"));
}

static void next_deadline_and_last_passed(void **state)
{
	(void)state;
	struct dd_period p = two_times();
	int64_t s;
	assert_int_equal(zero_next_deadline(&p, at("2026-03-02T08:00:00+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-02T09:00:00+08:00"));
	/* At the report time itself it is still the one to meet. */
	assert_int_equal(zero_next_deadline(&p, at("2026-03-02T09:00:00+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-02T09:00:00+08:00"));
	assert_int_equal(zero_next_deadline(&p, at("2026-03-02T09:00:01+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-02T16:00:00+08:00"));
	assert_int_equal(zero_next_deadline(&p, at("2026-03-03T16:00:01+08:00"), &s), DD_ENOTFOUND);

	/* Within the grace the slot has not passed yet; a second after, it has. */
	assert_int_equal(zero_last_passed(&p, at("2026-03-02T09:30:00+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-01T16:00:00+08:00"));
	assert_int_equal(zero_last_passed(&p, at("2026-03-02T09:30:01+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-02T09:00:00+08:00"));
	assert_int_equal(zero_last_passed(&p, at("2026-03-01T09:10:00+08:00"), &s), DD_ENOTFOUND);
}

static void current_slot_is_the_days_latest_reached(void **state)
{
	(void)state;
	struct dd_period p = two_times();
	int64_t s;
	/* Before the day's first report time: the next one. */
	assert_int_equal(zero_current_slot(&p, at("2026-03-02T07:00:00+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-02T09:00:00+08:00"));
	/* After it, it stays until the next report time is reached. */
	assert_int_equal(zero_current_slot(&p, at("2026-03-02T15:59:00+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-02T09:00:00+08:00"));
	assert_int_equal(zero_current_slot(&p, at("2026-03-02T23:00:00+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-02T16:00:00+08:00"));
	/* After the period: its last slot. */
	assert_int_equal(zero_current_slot(&p, at("2026-03-09T12:00:00+08:00"), &s), 0);
	assert_int_equal(s, at("2026-03-03T16:00:00+08:00"));
}

static void running_sight_and_soonest(void **state)
{
	(void)state;
	struct dd_period ps[2] = { two_times(), two_times() };
	ps[1].times_min[0] = 10 * 60;
	ps[1].times_min[1] = 11 * 60;
	snprintf(ps[1].scope[0], sizeof ps[1].scope[0], "cq.jiangbei");
	assert_true(zero_period_running(&ps[0], at("2026-03-04T00:29:00+08:00")));
	assert_false(zero_period_running(&ps[0], at("2026-03-04T00:30:00+08:00")));
	assert_false(zero_period_running(&ps[0], at("2026-02-28T23:00:00+08:00")));
	ps[0].zero = false;
	assert_false(zero_period_running(&ps[0], at("2026-03-02T12:00:00+08:00")));
	ps[0].zero = true;

	assert_true(zero_period_in_sight(&ps[0], ""));
	assert_true(zero_period_in_sight(&ps[0], "cq.yubei.ent-1"));   /* an enterprise inside */
	assert_true(zero_period_in_sight(&ps[0], "cq"));                /* a desk above */
	assert_false(zero_period_in_sight(&ps[0], "cq.jiangbei"));
	assert_false(zero_period_in_sight(&ps[0], "cq.yu"));             /* a prefix, not a subtree */

	assert_int_equal(zero_period_soonest(ps, 2, at("2026-03-02T09:30:00+08:00")), 1);   /* 10:00 */
	assert_int_equal(zero_period_soonest(ps, 2, at("2026-03-02T11:30:00+08:00")), 0);   /* 16:00 */
	assert_int_equal(zero_period_soonest(ps, 2, at("2026-03-02T08:00:00+08:00")), 0);   /* tie: first */
	assert_int_equal(zero_period_soonest(ps, 2, at("2026-03-05T08:00:00+08:00")), -1);
	assert_int_equal(zero_period_soonest(ps, 0, at("2026-03-02T08:00:00+08:00")), -1);
}

/* The period the checklist opens on, in the console and the CLI alike:
 * the one due first; once none has a deadline left (the last grace
 * still running), the first; none of none. */
static void shown_period_is_the_soonest_else_the_first(void **state)
{
	(void)state;
	struct dd_period ps[2] = { two_times(), two_times() };
	ps[1].times_min[0] = 10 * 60;
	ps[1].times_min[1] = 11 * 60;
	assert_int_equal(zero_period_shown(ps, 2, at("2026-03-02T09:30:00+08:00")), 1);
	assert_int_equal(zero_period_shown(ps, 2, at("2026-03-02T11:30:00+08:00")), 0);
	assert_int_equal(zero_period_shown(ps, 2, at("2026-03-04T00:10:00+08:00")), 0);
	assert_int_equal(zero_period_shown(&ps[1], 1, at("2026-03-04T00:10:00+08:00")), 0);
	assert_int_equal(zero_period_shown(ps, 0, at("2026-03-02T09:30:00+08:00")), -1);
}

static void countdown_text(void **state)
{
	(void)state;
	char buf[32];
	zero_countdown(0, buf, sizeof buf);
	assert_string_equal(buf, "0:00");
	zero_countdown(-5 * MIN_MS, buf, sizeof buf);
	assert_string_equal(buf, "0:00");
	zero_countdown(1, buf, sizeof buf);
	assert_string_equal(buf, "0:01");   /* rounded up: not yet run out */
	zero_countdown(83 * MIN_MS, buf, sizeof buf);
	assert_string_equal(buf, "1:23");
	zero_countdown(82 * MIN_MS + 1000, buf, sizeof buf);
	assert_string_equal(buf, "1:23");
	zero_countdown(HOUR_MS, buf, sizeof buf);
	assert_string_equal(buf, "1:00");
	zero_countdown(25 * HOUR_MS + 5 * MIN_MS, buf, sizeof buf);
	assert_string_equal(buf, "25:05");
}

static void grid_days_fit_the_width(void **state)
{
	(void)state;
	assert_int_equal(zero_grid_days(79, 22, 3, 62), 18);   /* 80 columns */
	assert_int_equal(zero_grid_days(199, 30, 3, 62), 56);  /* 200 columns */
	assert_int_equal(zero_grid_days(400, 30, 3, 62), 62);
	assert_int_equal(zero_grid_days(23, 22, 3, 62), 0);
	assert_int_equal(zero_grid_days(10, 22, 3, 62), 0);
	assert_int_equal(zero_grid_days(80, 22, 0, 62), 0);
}

/* A tick a minute from 08:00 to 17:00 on 03-02: the SOON alert for
 * 09:00 fires at 08:30 once, MISSING for 09:00 at 09:31 once, and again
 * for 16:00; never on the ticks between. */
static void alerts_fire_once_per_slot(void **state)
{
	(void)state;
	struct dd_period p = two_times();
	struct zero_alerted sent = { 0 };
	int64_t t0 = at("2026-03-02T08:00:00+08:00"), s;
	int soon = 0, missing = 0;
	int64_t soon_at[4], missing_at[4], missing_slot[4];
	for (int64_t t = t0; t <= t0 + 9 * HOUR_MS; t += MIN_MS) {
		if (zero_alert_slot(&p, t, 30, ZERO_ALERT_SOON, &s) && zero_alert_once(&sent, p.id, s, ZERO_ALERT_SOON) &&
		    soon < 4)
			soon_at[soon++] = t;
		/* The 03-01 16:00 slot is past at 08:00: the desk learns of it once. */
		if (zero_alert_slot(&p, t, 30, ZERO_ALERT_MISSING, &s) &&
		    zero_alert_once(&sent, p.id, s, ZERO_ALERT_MISSING) && missing < 4) {
			missing_slot[missing] = s;
			missing_at[missing++] = t;
		}
	}
	assert_int_equal(soon, 2);
	assert_int_equal(soon_at[0], at("2026-03-02T08:30:00+08:00"));
	assert_int_equal(soon_at[1], at("2026-03-02T15:30:00+08:00"));
	assert_int_equal(missing, 3);
	assert_int_equal(missing_slot[0], at("2026-03-01T16:00:00+08:00"));
	assert_int_equal(missing_at[0], t0);
	assert_int_equal(missing_slot[1], at("2026-03-02T09:00:00+08:00"));
	assert_int_equal(missing_at[1], at("2026-03-02T09:31:00+08:00"));
	assert_int_equal(missing_slot[2], at("2026-03-02T16:00:00+08:00"));
	assert_int_equal(missing_at[2], at("2026-03-02T16:31:00+08:00"));

	/* No lead, no SOON alert; another period's slot is its own. */
	assert_false(zero_alert_slot(&p, at("2026-03-02T08:59:00+08:00"), 0, ZERO_ALERT_SOON, &s));
	assert_true(zero_alert_once(&sent, "b", at("2026-03-02T09:00:00+08:00"), ZERO_ALERT_MISSING));
	assert_false(zero_alert_once(&sent, "b", at("2026-03-02T09:00:00+08:00"), ZERO_ALERT_MISSING));
}

/* ---- store_zero_history --------------------------------------------------- */

static int setup(void **state)
{
	return orgtree_setup(state, "zeroclock");
}

struct seen {
	int n;
	char org[8][64];
	int64_t slot[8], at[8];
};

static int collect(const char *org, int64_t slot, int64_t at_ms, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 8) {
		snprintf(s->org[s->n], sizeof s->org[0], "%s", org);
		s->slot[s->n] = slot;
		s->at[s->n] = at_ms;
	}
	s->n++;
	return 0;
}

static void submit(struct fx *fx, const char *org, int64_t when, int64_t slot, bool correct)
{
	struct dd_zero_in in = { .org = org, .at_ms = when, .slot_ms = slot, .nil = true, .via = "phone",
				 .correct = correct };
	char id[DD_UUID_LEN + 1];
	int64_t s;
	struct dd_error err;
	if (zero_submit(fx->st, &fx->cfg, &in, id, &s, &err))
		fail_msg("zero_submit %s: %s", org, err.msg);
}

static void history_gives_latest_report_per_slot(void **state)
{
	struct fx *fx = *state;
	const char *sc[] = { "cq" }, *tm[] = { "16:00" };
	struct dd_period_in in = { .name = "峰会", .start_ms = at("2026-03-01T00:00:00+08:00"),
				   .end_ms = at("2026-03-05T00:00:00+08:00"), .scope = sc, .n_scope = 1, .times = tm,
				   .n_times = 1, .grace_min = 30, .zero = true };
	char pid[DD_UUID_LEN + 1];
	struct dd_error err;
	if (zero_period_new(fx->st, &fx->cfg, &in, pid, &err))
		fail_msg("zero_period_new: %s", err.msg);
	int64_t d1 = at("2026-03-01T16:00:00+08:00"), d2 = at("2026-03-02T16:00:00+08:00"),
		d3 = at("2026-03-03T16:00:00+08:00");
	submit(fx, "cq.yubei.ent-1", at("2026-03-01T15:00:00+08:00"), 0, false);
	/* Late for day 2, then corrected: the correction's time counts. */
	submit(fx, "cq.yubei.ent-1", at("2026-03-02T18:00:00+08:00"), d2, false);
	submit(fx, "cq.yubei.ent-1", at("2026-03-02T19:00:00+08:00"), d2, true);
	submit(fx, "cq.jiangbei.ent-1", at("2026-03-02T15:00:00+08:00"), 0, false);
	submit(fx, "cq.yubei.ent-2", at("2026-03-03T15:00:00+08:00"), 0, false);

	struct seen s = { 0 };
	assert_int_equal(store_zero_history(fx->st, pid, d1, d3, "", collect, &s, &err), 0);
	assert_int_equal(s.n, 3);   /* day 3 lies outside [d1, d3) */
	assert_string_equal(s.org[0], "cq.jiangbei.ent-1");
	assert_int_equal(s.slot[0], d2);
	assert_string_equal(s.org[1], "cq.yubei.ent-1");
	assert_int_equal(s.slot[1], d1);
	assert_int_equal(s.at[1], at("2026-03-01T15:00:00+08:00"));
	assert_string_equal(s.org[2], "cq.yubei.ent-1");
	assert_int_equal(s.slot[2], d2);
	assert_int_equal(s.at[2], at("2026-03-02T19:00:00+08:00"));

	/* A district desk sees its own subtree only. */
	memset(&s, 0, sizeof s);
	assert_int_equal(store_zero_history(fx->st, pid, d1, d3 + 1, "cq.yubei", collect, &s, &err), 0);
	assert_int_equal(s.n, 3);
	for (int i = 0; i < s.n; i++)
		assert_true(zero_in_subtree(s.org[i], "cq.yubei"));
}

/* Districts with the most missing first, then tree order; in each,
 * missing, late, pending, reported, then tree order. */
static void checklist_reading_order(void **state)
{
	(void)state;
	const char *district[] = { "cq.a", "cq.a", "cq.a", "cq.b", "cq.b", "cq.c", "cq.c", "cq.c" };
	const enum dd_zero_state st[] = { DD_ZERO_REPORTED, DD_ZERO_MISSING, DD_ZERO_LATE,   DD_ZERO_REPORTED,
					  DD_ZERO_PENDING,  DD_ZERO_MISSING, DD_ZERO_MISSING, DD_ZERO_REPORTED };
	size_t order[8], group[8];
	assert_int_equal(zero_checklist_order(district, st, 8, order, group), 0);
	/* cq.c (2 missing), cq.a (1), cq.b (0). */
	const size_t want[] = { 5, 6, 7, 1, 2, 0, 4, 3 };
	for (int i = 0; i < 8; i++)
		assert_int_equal(order[i], want[i]);
	assert_int_equal(group[5], 0);
	assert_int_equal(group[0], 1);
	assert_int_equal(group[3], 2);
	/* Equal missing counts keep the tree order; nothing to order is fine. */
	const enum dd_zero_state none[] = { DD_ZERO_REPORTED, DD_ZERO_REPORTED, DD_ZERO_REPORTED, DD_ZERO_REPORTED,
					    DD_ZERO_REPORTED, DD_ZERO_REPORTED, DD_ZERO_REPORTED, DD_ZERO_REPORTED };
	assert_int_equal(zero_checklist_order(district, none, 8, order, NULL), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(order[i], (size_t)i);
	assert_int_equal(zero_checklist_order(district, none, 0, order, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(step_walks_slots_and_stops_at_the_ends),
		cmocka_unit_test(step_keeps_local_time_across_dst),
		cmocka_unit_test(next_deadline_and_last_passed),
		cmocka_unit_test(current_slot_is_the_days_latest_reached),
		cmocka_unit_test(running_sight_and_soonest),
		cmocka_unit_test(shown_period_is_the_soonest_else_the_first),
		cmocka_unit_test(countdown_text),
		cmocka_unit_test(checklist_reading_order),
		cmocka_unit_test(grid_days_fit_the_width),
		cmocka_unit_test(alerts_fire_once_per_slot),
		cmocka_unit_test_setup_teardown(history_gives_latest_report_per_slot, setup, orgtree_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
