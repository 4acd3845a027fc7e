/*
 * test_zero.c — unit tests for protection periods, zero reports and the
 * change freeze: the slot arithmetic of core/zero.c (across midnight,
 * zones and grace; late versus missing), who may set a period and which
 * periods conflict, scope resolution, nil versus incident-linked reports,
 * a second report for a slot (refused unless a correction, which then
 * supersedes while the first stays), freeze warnings, and that a rebuild
 * gives the same projections as the appends did.
 *
 * Every test works in its own mkdtemp() folder.  Reports carry explicit
 * instants in March 2026 so late and missing do not depend on today;
 * the freeze tests use a period around now because object changes are
 * stamped with the wall clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/config.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"
#include "orgtree.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

static int setup(void **state)
{
	return orgtree_setup(state, "zero");
}

#define teardown orgtree_teardown

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static int64_t at(const char *rfc3339)
{
	int64_t ms;
	assert_int_equal(time_parse_rfc3339(rfc3339, &ms, NULL), 0);
	return ms;
}

static void new_period(struct fx *fx, const char *scope, const char *times, int grace, int64_t start, int64_t end,
		       bool freeze, char id[DD_UUID_LEN + 1])
{
	const char *sc[] = { scope }, *tm[] = { times };
	struct dd_period_in in = { .name = "测试峰会", .start_ms = start, .end_ms = end, .scope = sc, .n_scope = 1,
				   .times = tm, .n_times = 1, .grace_min = grace, .zero = true, .freeze = freeze };
	struct dd_error err;
	if (zero_period_new(fx->st, &fx->cfg, &in, id, &err))
		fail_msg("zero_period_new: %s", err.msg);
}

static int submit(struct fx *fx, const char *org, int64_t when, int64_t slot, bool correct, char id[DD_UUID_LEN + 1],
		  struct dd_error *err)
{
	struct dd_zero_in in = { .org = org, .at_ms = when, .slot_ms = slot, .nil = true, .via = "phone",
				 .correct = correct };
	int64_t s;
	return zero_submit(fx->st, &fx->cfg, &in, id, &s, err);
}

/* ---- slots -------------------------------------------------------------- */

static void slots_cross_midnight_and_grace(void **state)
{
	(void)state;
	struct dd_period p = { .start_ms = at("2026-03-01T00:00:00+08:00"), .end_ms = at("2026-03-05T00:00:00+08:00"),
			       .n_times = 2, .times_min = { 0, 16 * 60 }, .grace_min = 30 };
	snprintf(p.tz, sizeof p.tz, "Asia/Shanghai");
	struct dd_error err;
	int64_t s;
	/* Before midnight: the next report time is tomorrow's 00:00. */
	assert_int_equal(zero_slot_at(&p, at("2026-03-02T23:50:00+08:00"), &s, &err), 0);
	assert_int_equal(s, at("2026-03-03T00:00:00+08:00"));
	/* In the grace after midnight it still counts for 00:00 … */
	assert_int_equal(zero_slot_at(&p, at("2026-03-03T00:30:00+08:00"), &s, &err), 0);
	assert_int_equal(s, at("2026-03-03T00:00:00+08:00"));
	/* … and after it, for 16:00. */
	assert_int_equal(zero_slot_at(&p, at("2026-03-03T00:31:00+08:00"), &s, &err), 0);
	assert_int_equal(s, at("2026-03-03T16:00:00+08:00"));
	/* Before the start: the first slot of the period. */
	assert_int_equal(zero_slot_at(&p, at("2026-02-20T12:00:00+08:00"), &s, &err), 0);
	assert_int_equal(s, at("2026-03-01T00:00:00+08:00"));
	/* The end's own 00:00 is the last; after its grace, none. */
	assert_int_equal(zero_slot_at(&p, at("2026-03-04T23:00:00+08:00"), &s, &err), 0);
	assert_int_equal(s, at("2026-03-05T00:00:00+08:00"));
	assert_int_equal(zero_slot_at(&p, at("2026-03-05T00:31:00+08:00"), &s, &err), DD_ENOTFOUND);
}

static void slots_follow_the_periods_zone(void **state)
{
	(void)state;
	/* New York changes to summer time on 2026-03-08: 16:00 local is
	 * 21:00Z before and 20:00Z after. */
	struct dd_period p = { .start_ms = at("2026-03-06T00:00:00Z"), .end_ms = at("2026-03-12T00:00:00Z"),
			       .n_times = 1, .times_min = { 16 * 60 } };
	snprintf(p.tz, sizeof p.tz, "America/New_York");
	struct dd_error err;
	int64_t s;
	assert_int_equal(zero_slot_at(&p, at("2026-03-07T12:00:00Z"), &s, &err), 0);
	assert_int_equal(s, at("2026-03-07T21:00:00Z"));
	assert_int_equal(zero_slot_at(&p, at("2026-03-09T12:00:00Z"), &s, &err), 0);
	assert_int_equal(s, at("2026-03-09T20:00:00Z"));
}

static void late_missing_pending(void **state)
{
	(void)state;
	struct dd_period p = { .grace_min = 15 };
	int64_t slot = at("2026-03-02T16:00:00+08:00");
	assert_int_equal(zero_state_of(&p, slot, slot + 15 * MIN_MS, slot + DAY_MS), DD_ZERO_REPORTED);
	assert_int_equal(zero_state_of(&p, slot, slot + 16 * MIN_MS, slot + DAY_MS), DD_ZERO_LATE);
	assert_int_equal(zero_state_of(&p, slot, 0, slot + 15 * MIN_MS), DD_ZERO_PENDING);
	assert_int_equal(zero_state_of(&p, slot, 0, slot + 15 * MIN_MS + 1), DD_ZERO_MISSING);
	assert_string_equal(zero_state_name(DD_ZERO_MISSING), "missing");
	assert_true(zero_in_subtree("cq.yubei.ent-1", "cq.yubei"));
	assert_false(zero_in_subtree("cq.yubeixx", "cq.yubei"));
	assert_true(zero_in_subtree("cq.yubei", ""));
}

/* ---- periods ------------------------------------------------------------ */

static void period_rules(void **state)
{
	struct fx *fx = *state;
	const char *sc[] = { "cq.yubei" }, *tm[] = { "16:00" }, *other[] = { "08:00" }, *bad[] = { "25:00" };
	struct dd_period_in in = { .name = "峰会", .start_ms = at("2026-03-01T00:00:00+08:00"),
				   .end_ms = at("2026-03-05T00:00:00+08:00"), .scope = sc, .n_scope = 1, .times = tm,
				   .n_times = 1, .grace_min = 30, .zero = true };
	char id[DD_UUID_LEN + 1];
	struct dd_error err;
	int64_t before = store_event_count(fx->st);
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.yubei");
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &in, id, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "cq.center"));
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq");
	struct dd_period_in back = in;
	back.end_ms = back.start_ms;
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &back, id, &err), DD_EINVAL);
	struct dd_period_in badt = in;
	badt.times = bad;
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &badt, id, &err), DD_EINVAL);
	/* A grace reaching the next report time (08:00 + 8 h = 16:00, or
	 * 16:00 + 16 h = 08:00 the next day) would let one report count twice. */
	const char *two[] = { "08:00", "16:00" };
	struct dd_period_in wide = in;
	wide.times = two;
	wide.n_times = 2;
	wide.grace_min = 8 * 60;
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &wide, id, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "next report time"));
	const char *one_am[] = { "01:00", "23:30" };
	wide.times = one_am;
	wide.grace_min = 90;
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &wide, id, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &in, id, &err), 0);
	/* Overlapping the same orgs: same times are one regime, others conflict. */
	const char *sub[] = { "cq.yubei.ent-1" };
	struct dd_period_in clash = in;
	clash.scope = sub;
	clash.times = other;
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &clash, id, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "overlaps"));
	clash.times = tm;
	assert_int_equal(zero_period_new(fx->st, &fx->cfg, &clash, id, &err), 0);

	struct dd_period p;
	assert_int_equal(store_period_get(fx->st, id, &p, &err), 0);
	assert_int_equal(p.n_times, 1);
	assert_int_equal(p.times_min[0], 16 * 60);
	assert_string_equal(p.scope[0], "cq.yubei.ent-1");
	assert_int_equal(zero_period_end(fx->st, &fx->cfg, id, at("2026-03-02T00:00:00+08:00"), &err), 0);
	assert_int_equal(store_period_get(fx->st, id, &p, &err), 0);
	assert_int_equal(p.end_ms, at("2026-03-02T00:00:00+08:00"));
	assert_int_equal(zero_period_end(fx->st, &fx->cfg, id, at("2026-03-03T00:00:00+08:00"), &err), DD_EINVAL);
}

/* ---- reports ------------------------------------------------------------ */

struct tally {
	const struct dd_period *p;
	int64_t slot, now;
	int n, states[4];
	char last[DD_ORG_ID_MAX + 1];
};

static int count_row(const struct dd_zero_row *r, void *ctx)
{
	struct tally *t = ctx;
	t->n++;
	t->states[zero_state_of(t->p, t->slot, r->id[0] ? r->at_ms : 0, t->now)]++;
	snprintf(t->last, sizeof t->last, "%s", r->org);
	return 0;
}

static void scope_and_checklist(void **state)
{
	struct fx *fx = *state;
	char pid[DD_UUID_LEN + 1], rid[DD_UUID_LEN + 1];
	int64_t start = at("2026-03-01T00:00:00+08:00"), slot = at("2026-03-02T16:00:00+08:00");
	new_period(fx, "cq.yubei", "16:00", 15, start, start + 4 * DAY_MS, false, pid);
	struct dd_period p;
	struct dd_error err;
	assert_int_equal(store_period_get(fx->st, pid, &p, &err), 0);
	int64_t before = store_event_count(fx->st);
	/* Out of scope, not a reporting org, outside the period: refused. */
	assert_int_equal(submit(fx, "cq.jiangbei.ent-1", slot - HOUR_MS, 0, false, rid, &err), DD_EINVAL);
	assert_int_equal(submit(fx, "cq.center", slot - HOUR_MS, 0, false, rid, &err), DD_EINVAL);
	assert_int_equal(submit(fx, "cq.yubei.ent-1", start - DAY_MS, 0, false, rid, &err), DD_EINVAL);
	assert_int_equal(submit(fx, "cq.nowhere", slot - HOUR_MS, 0, false, rid, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);
	/* A retired enterprise is on no checklist, so it cannot report. */
	struct dd_org_in gone = { .id = "cq.yubei.ent-3", .kind = "ent-industrial", .name = "已注销企业", .retired = true };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &gone, NULL, &err), 0);
	before = store_event_count(fx->st);
	assert_int_equal(submit(fx, "cq.yubei.ent-3", slot - HOUR_MS, 0, false, rid, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "retired"));
	assert_int_equal(store_event_count(fx->st), before);

	assert_int_equal(submit(fx, "cq.yubei.ent-1", slot - HOUR_MS, 0, false, rid, &err), 0);
	/* A late one names its slot. */
	assert_int_equal(submit(fx, "cq.yubei", slot + HOUR_MS, slot, false, rid, &err), 0);
	struct tally t = { .p = &p, .slot = slot, .now = slot + 2 * HOUR_MS };
	assert_int_equal(store_zero_checklist(fx->st, pid, slot, "", count_row, &t, &err), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.states[DD_ZERO_REPORTED], 1);
	assert_int_equal(t.states[DD_ZERO_LATE], 1);
	assert_int_equal(t.states[DD_ZERO_MISSING], 1);
	/* A district desk or an enterprise sees its subtree only. */
	struct tally e = { .p = &p, .slot = slot, .now = slot };
	assert_int_equal(store_zero_checklist(fx->st, pid, slot, "cq.yubei.ent-2", count_row, &e, &err), 0);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.last, "cq.yubei.ent-2");
	assert_int_equal(e.states[DD_ZERO_PENDING], 1);
	/* A console of cq.yubei cannot report for cq.jiangbei's orgs. */
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.jiangbei");
	assert_int_equal(submit(fx, "cq.yubei.ent-2", slot - HOUR_MS, 0, false, rid, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "scope"));
}

static void nil_or_incidents(void **state)
{
	struct fx *fx = *state;
	char pid[DD_UUID_LEN + 1], rid[DD_UUID_LEN + 1], inc[DD_UUID_LEN + 1];
	int64_t start = at("2026-03-01T00:00:00+08:00"), slot = at("2026-03-02T16:00:00+08:00");
	new_period(fx, "cq.yubei", "16:00", 15, start, start + 4 * DAY_MS, false, pid);
	/* An incident, as incident.open carries it. */
	uuid7_new(time_now_ms(), inc);
	json_t *body = json_pack("{s:i, s:s, s:s, s:s, s:b, s:s, s:[]}", "v", 1, "title", "PLC 异常", "category",
				 "intrusion", "reporting_org", "cq.yubei.ent-1", "cii", 0, "detected_at",
				 "2026-03-02T10:00:00+08:00", "hops");
	struct dd_new_event ne = { .origin = fx->cfg.origin, .actor = "张伟", .org = "cq.yubei.ent-1",
				   .kind = "incident.open", .subject = inc, .body = body, .tz = "Asia/Shanghai" };
	struct dd_error err;
	if (store_append_local(fx->st, &ne, NULL, &err))
		fail_msg("incident.open: %s", err.msg);
	json_decref(body);

	const char *both[] = { inc }, *missing[] = { "deadbeef" };
	int64_t s;
	struct dd_zero_in in = { .org = "cq.yubei.ent-1", .at_ms = slot - HOUR_MS, .nil = true, .incidents = both,
				 .n_incidents = 1, .via = "cli" };
	assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, rid, &s, &err), DD_EINVAL);
	in.nil = false;
	in.n_incidents = 0;
	assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, rid, &s, &err), DD_EINVAL);
	in.incidents = missing;
	in.n_incidents = 1;
	assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, rid, &s, &err), DD_EINVAL);
	in.via = "fax";
	in.incidents = both;
	assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, rid, &s, &err), DD_EINVAL);
	in.via = "console";
	assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, rid, &s, &err), 0);
	assert_int_equal(s, slot);
	struct dd_zero_row r;
	assert_int_equal(store_zero_latest(fx->st, pid, "cq.yubei.ent-1", slot, &r, &err), 0);
	assert_false(r.nil);
	assert_string_equal(r.incidents, inc);
	assert_string_equal(r.via, "console");
	assert_int_equal(submit(fx, "cq.yubei.ent-2", slot - HOUR_MS, 0, false, rid, &err), 0);
	assert_int_equal(store_zero_latest(fx->st, pid, "cq.yubei.ent-2", slot, &r, &err), 0);
	assert_true(r.nil);
	assert_string_equal(r.incidents, "");
	assert_string_equal(r.via, "phone");
}

static void second_report_is_a_correction(void **state)
{
	struct fx *fx = *state;
	char pid[DD_UUID_LEN + 1], first[DD_UUID_LEN + 1], second[DD_UUID_LEN + 1];
	int64_t start = at("2026-03-01T00:00:00+08:00"), slot = at("2026-03-02T16:00:00+08:00");
	new_period(fx, "cq.yubei", "16:00", 15, start, start + 4 * DAY_MS, false, pid);
	struct dd_error err;
	assert_int_equal(submit(fx, "cq.yubei.ent-1", slot - HOUR_MS, 0, true, first, &err), DD_EINVAL);
	assert_int_equal(submit(fx, "cq.yubei.ent-1", slot - HOUR_MS, 0, false, first, &err), 0);
	int64_t before = store_event_count(fx->st);
	assert_int_equal(submit(fx, "cq.yubei.ent-1", slot - 30 * MIN_MS, 0, false, second, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "correction"));
	assert_int_equal(store_event_count(fx->st), before);
	assert_int_equal(submit(fx, "cq.yubei.ent-1", slot + HOUR_MS, slot, true, second, &err), 0);
	struct dd_zero_row r;
	assert_int_equal(store_zero_latest(fx->st, pid, "cq.yubei.ent-1", slot, &r, &err), 0);
	assert_string_equal(r.id, second);
	assert_int_equal(r.n_reports, 2);
	assert_int_equal(r.at_ms, slot + HOUR_MS);
}

/* ---- freeze ------------------------------------------------------------- */

static int count_warning(const struct dd_freeze_warning *w, void *ctx)
{
	(*(int *)ctx)++;
	assert_string_equal(w->org, "cq.yubei.ent-1");
	return 0;
}

static void freeze_warnings(void **state)
{
	struct fx *fx = *state;
	char pid[DD_UUID_LEN + 1], oid[DD_UUID_LEN + 1], other[DD_UUID_LEN + 1];
	int64_t now = time_now_ms();
	new_period(fx, "cq.yubei", "16:00", 15, now - HOUR_MS, now + DAY_MS, true, pid);
	struct dd_object_in o = { .org = "cq.yubei.ent-1", .kind = "ics", .name = "PLC1" };
	struct dd_object_in x = { .org = "cq.jiangbei.ent-1", .kind = "ics", .name = "PLC2" };
	struct dd_error err;
	assert_int_equal(roster_object_set(fx->st, &fx->cfg, &o, oid, NULL, &err), 0);
	assert_int_equal(roster_object_set(fx->st, &fx->cfg, &x, other, NULL, &err), 0);
	int n = 0;
	assert_int_equal(store_freeze_scan(fx->st, "", "", count_warning, &n, &err), 0);
	assert_int_equal(n, 0);   /* not important yet */
	assert_int_equal(roster_object_assess(fx->st, &fx->cfg, oid, true, 0, NULL, NULL, &err), 0);
	assert_int_equal(roster_object_assess(fx->st, &fx->cfg, other, true, 0, NULL, NULL, &err), 0);
	o.exposed = true;
	assert_int_equal(roster_object_set(fx->st, &fx->cfg, &o, oid, NULL, &err), 0);
	n = 0;
	assert_int_equal(store_freeze_scan(fx->st, pid, "", count_warning, &n, &err), 0);
	assert_int_equal(n, 2);   /* the assessment and the change; cq.jiangbei is outside */
	n = 0;
	assert_int_equal(store_freeze_scan(fx->st, "", "cq.jiangbei", count_warning, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void rebuild_equals_incremental(void **state)
{
	struct fx *fx = *state;
	char pid[DD_UUID_LEN + 1], rid[DD_UUID_LEN + 1], oid[DD_UUID_LEN + 1];
	int64_t now = time_now_ms(), slot;
	new_period(fx, "cq.yubei", "16:00", 15, now - 2 * DAY_MS, now + 2 * DAY_MS, true, pid);
	struct dd_period p;
	struct dd_error err;
	assert_int_equal(store_period_get(fx->st, pid, &p, &err), 0);
	assert_int_equal(zero_slot_at(&p, now, &slot, &err), 0);
	assert_int_equal(submit(fx, "cq.yubei.ent-1", 0, 0, false, rid, &err), 0);
	assert_int_equal(submit(fx, "cq.yubei.ent-1", 0, 0, true, rid, &err), 0);
	struct dd_object_in o = { .org = "cq.yubei.ent-2", .kind = "ics", .name = "SCADA" };
	assert_int_equal(roster_object_set(fx->st, &fx->cfg, &o, oid, NULL, &err), 0);
	assert_int_equal(roster_object_assess(fx->st, &fx->cfg, oid, true, 0, NULL, NULL, &err), 0);
	assert_int_equal(zero_period_end(fx->st, &fx->cfg, pid, now + DAY_MS, &err), 0);
	char a[DD_HASH_HEX + 1], b[DD_HASH_HEX + 1];
	assert_int_equal(store_digest(fx->st, a, &err), 0);
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	assert_int_equal(store_digest(fx->st, b, &err), 0);
	assert_string_equal(a, b);
	struct dd_banners bn;
	assert_int_equal(store_banners(fx->st, now, &bn, &err), 0);
	assert_string_equal(bn.period, "测试峰会");
	assert_int_equal(bn.period_end_ms, now + DAY_MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slots_cross_midnight_and_grace),
		cmocka_unit_test(slots_follow_the_periods_zone),
		cmocka_unit_test(late_missing_pending),
		TEST(period_rules),
		TEST(scope_and_checklist),
		TEST(nil_or_incidents),
		TEST(second_report_is_a_correction),
		TEST(freeze_warnings),
		TEST(rebuild_equals_incremental),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
