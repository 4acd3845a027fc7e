/*
 * test_zero_scale.c — zero reporting at the size of the city: the
 * checklist over 10,000 reporting orgs (40 district offices with 249
 * enterprises each) with reports on time, late, corrected, for another
 * slot only, and none; every row's state and every count checked against
 * the plan this test made, not against the store; district and
 * enterprise viewers see their subtree and no neighbour whose id merely
 * starts the same (cq.d1 against cq.d10); a period scoped to a district
 * and one enterprise elsewhere.  Then what test_zero.c leaves out of the
 * slot rules: a period made in Shanghai read by consoles set to UTC and
 * New York (whatever zone the process last used), a year of daily
 * slots across both of New York's DST changes, and overlapping graces.
 *
 * The tree is built once for the group (10,000 org.set events in one
 * batch); each test makes its own period in its own weeks, so none sees
 * another's reports.  The checklist test also takes its database back
 * to schema 9 and checks the upgrade rebuilds the same checklist.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <sqlite3.h>
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

#define DISTRICTS 40
#define PER_DISTRICT 249
#define GENERATED (DISTRICTS * (1 + PER_DISTRICT))   /* 10,000 */
/* The fixture's own reporting orgs: cq.yubei, cq.jiangbei and their three enterprises. */
#define FIXTURE_REPORTING 5

static int64_t at(const char *rfc3339)
{
	int64_t ms;
	assert_int_equal(time_parse_rfc3339(rfc3339, &ms, NULL), 0);
	return ms;
}

static void district_id(int d, char *out, size_t n)
{
	snprintf(out, n, "cq.d%d", d + 1);
}

static void enterprise_id(int d, int e, char *out, size_t n)
{
	snprintf(out, n, "cq.d%d.e%04d", d + 1, e + 1);
}

static int set_org(struct fx *fx, const char *id, const char *kind, const char *name, bool retired)
{
	struct dd_org_in in = { .id = id, .kind = kind, .name = name, .retired = retired };
	struct dd_error err;
	if (roster_org_set(fx->st, &fx->cfg, &in, NULL, &err)) {
		print_error("roster_org_set %s: %s\n", id, err.msg);
		return -1;
	}
	return 0;
}

/* The fixture's tree plus 40 districts × (1 + 249 enterprises), one
 * retired enterprise per district and a support body: neither of the
 * last two reports. */
static int group_setup(void **state)
{
	if (orgtree_setup(state, "zeroscale"))
		return -1;
	struct fx *fx = *state;
	struct dd_error err;
	if (store_batch_begin(fx->st, &err))
		return -1;
	char id[DD_ORG_ID_MAX + 1], name[DD_NAME_MAX + 1];
	for (int d = 0; d < DISTRICTS; d++) {
		district_id(d, id, sizeof id);
		snprintf(name, sizeof name, "第%d区", d + 1);
		if (set_org(fx, id, "district", name, false))
			return -1;
		for (int e = 0; e <= PER_DISTRICT; e++) {
			enterprise_id(d, e, id, sizeof id);
			snprintf(name, sizeof name, "第%d区企业%04d", d + 1, e + 1);
			if (set_org(fx, id, e % 2 ? "ent-utility" : "ent-industrial", name, false))
				return -1;
		}
		/* The one past PER_DISTRICT is retired again. */
		enterprise_id(d, PER_DISTRICT, id, sizeof id);
		snprintf(name, sizeof name, "第%d区企业%04d", d + 1, PER_DISTRICT + 1);
		if (set_org(fx, id, "ent-industrial", name, true))
			return -1;
	}
	if (set_org(fx, "cq.support-1", "support", "技术支撑机构甲", false))
		return -1;
	return store_batch_end(fx->st, true, &err) ? -1 : 0;
}

static void new_period(struct fx *fx, const char *const *scope, int n_scope, const char *const *times, int n_times,
		       int grace, int64_t start, int64_t end, char id[DD_UUID_LEN + 1])
{
	struct dd_period_in in = { .name = "规模测试", .start_ms = start, .end_ms = end, .scope = scope,
				   .n_scope = n_scope, .times = times, .n_times = n_times, .grace_min = grace,
				   .zero = true };
	struct dd_error err;
	if (zero_period_new(fx->st, &fx->cfg, &in, id, &err))
		fail_msg("zero_period_new: %s", err.msg);
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
	if (slot)
		assert_int_equal(s, slot);
}

/* ---- the checklist at 10,000 orgs --------------------------------------- */

enum plan { ON_TIME, LATE, OTHER_SLOT, CORRECTED_IN_GRACE, CORRECTED_LATE, NONE, PLANS };

struct planned {
	char org[DD_ORG_ID_MAX + 1];
	char district[DD_ORG_ID_MAX + 1];
	enum plan plan;
	bool seen;
};

static int by_org(const void *a, const void *b)
{
	return strcmp(((const struct planned *)a)->org, ((const struct planned *)b)->org);
}

/* What the plan means for the slot: reported, late, or nothing yet. */
static enum dd_zero_state expected(enum plan p, bool after_grace)
{
	switch (p) {
	case ON_TIME:
	case CORRECTED_IN_GRACE: return DD_ZERO_REPORTED;
	case LATE:
	case CORRECTED_LATE: return DD_ZERO_LATE;
	default: return after_grace ? DD_ZERO_MISSING : DD_ZERO_PENDING;
	}
}

struct check {
	const struct dd_period *p;
	int64_t slot, now;
	struct planned *plan;
	size_t n_plan;
	const char *viewer;
	int64_t rows, counts[4];
	char prev_district[DD_ORG_ID_MAX + 1];
};

static int check_row(const struct dd_zero_row *r, void *ctx)
{
	struct check *c = ctx;
	struct planned key;
	snprintf(key.org, sizeof key.org, "%s", r->org);
	struct planned *p = bsearch(&key, c->plan, c->n_plan, sizeof key, by_org);
	if (!p)
		fail_msg("the checklist lists %s, which should not report", r->org);
	if (!zero_in_subtree(r->org, c->viewer))
		fail_msg("viewer %s sees %s", c->viewer, r->org);
	assert_string_equal(r->district, p->district);
	enum dd_zero_state s = zero_state_of(c->p, c->slot, r->id[0] ? r->at_ms : 0, c->now);
	if (s != expected(p->plan, c->now > c->slot + c->p->grace_min * MIN_MS))
		fail_msg("%s: state %s, planned %d", r->org, zero_state_name(s), (int)p->plan);
	assert_int_equal(r->n_reports, p->plan == CORRECTED_IN_GRACE || p->plan == CORRECTED_LATE ? 2 : r->id[0] != 0);
	assert_false(p->seen);   /* one row per org */
	p->seen = true;
	c->rows++;
	c->counts[s]++;
	return 0;
}

/* Runs the checklist for viewer at now and compares with the plan. */
static void run_check(struct fx *fx, const struct dd_period *p, int64_t slot, int64_t now, struct planned *plan,
		      size_t n_plan, const char *viewer)
{
	int64_t want[4] = { 0 }, rows = 0;
	bool after = now > slot + p->grace_min * MIN_MS;
	for (size_t i = 0; i < n_plan; i++) {
		plan[i].seen = false;
		if (zero_in_subtree(plan[i].org, viewer)) {
			want[expected(plan[i].plan, after)]++;
			rows++;
		}
	}
	struct check c = { .p = p, .slot = slot, .now = now, .plan = plan, .n_plan = n_plan, .viewer = viewer };
	struct dd_error err;
	assert_int_equal(store_zero_checklist(fx->st, p->id, slot, viewer, check_row, &c, &err), 0);
	assert_int_equal(c.rows, rows);
	for (int s = 0; s < 4; s++)
		if (c.counts[s] != want[s])
			fail_msg("viewer '%s': %s %lld, want %lld", viewer, zero_state_name((enum dd_zero_state)s),
				 (long long)c.counts[s], (long long)want[s]);
}

static void add_plan(struct planned *plan, size_t *n, const char *org, const char *district, unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	struct planned *p = &plan[(*n)++];
	snprintf(p->org, sizeof p->org, "%s", org);
	snprintf(p->district, sizeof p->district, "%s", district);
	p->plan = (enum plan)((*seed >> 16) % PLANS);
}

static void checklist_counts_at_10000_orgs(void **state)
{
	struct fx *fx = *state;
	const char *scope[] = { "cq" }, *times[] = { "16:00" };
	int64_t start = at("2026-03-01T00:00:00+08:00"), slot = at("2026-03-02T16:00:00+08:00");
	int64_t prev = slot - DAY_MS;
	char pid[DD_UUID_LEN + 1];
	new_period(fx, scope, 1, times, 1, 30, start, start + 5 * DAY_MS, pid);
	struct dd_period p;
	struct dd_error err;
	assert_int_equal(store_period_get(fx->st, pid, &p, &err), 0);

	size_t n = 0;
	struct planned *plan = calloc(GENERATED + FIXTURE_REPORTING, sizeof *plan);
	assert_non_null(plan);
	unsigned seed = 7;
	static const char *const fixture[][2] = {
		{ "cq.yubei", "cq.yubei" }, { "cq.yubei.ent-1", "cq.yubei" }, { "cq.yubei.ent-2", "cq.yubei" },
		{ "cq.jiangbei", "cq.jiangbei" }, { "cq.jiangbei.ent-1", "cq.jiangbei" },
	};
	for (size_t i = 0; i < sizeof fixture / sizeof fixture[0]; i++)
		add_plan(plan, &n, fixture[i][0], fixture[i][1], &seed);
	char id[DD_ORG_ID_MAX + 1], district[DD_ORG_ID_MAX + 1];
	for (int d = 0; d < DISTRICTS; d++) {
		district_id(d, district, sizeof district);
		add_plan(plan, &n, district, district, &seed);
		for (int e = 0; e < PER_DISTRICT; e++) {
			enterprise_id(d, e, id, sizeof id);
			add_plan(plan, &n, id, district, &seed);
		}
	}
	assert_int_equal(n, GENERATED + FIXTURE_REPORTING);

	/* Reports made in the slot's own window (after the last slot's grace,
	 * so no --slot is needed) count for it; late ones name it. */
	assert_int_equal(store_batch_begin(fx->st, &err), 0);
	for (size_t i = 0; i < n; i++) {
		int64_t jitter = (int64_t)(i % 600) * MIN_MS;
		switch (plan[i].plan) {
		case ON_TIME: submit(fx, plan[i].org, slot - 20 * HOUR_MS + jitter, 0, false); break;
		case LATE: submit(fx, plan[i].org, slot + 31 * MIN_MS + jitter, slot, false); break;
		case OTHER_SLOT: submit(fx, plan[i].org, prev - HOUR_MS, 0, false); break;
		case CORRECTED_IN_GRACE:
			submit(fx, plan[i].org, slot - 2 * HOUR_MS, 0, false);
			submit(fx, plan[i].org, slot + 30 * MIN_MS, slot, true);
			break;
		case CORRECTED_LATE:
			submit(fx, plan[i].org, slot - 2 * HOUR_MS, 0, false);
			submit(fx, plan[i].org, slot + 3 * HOUR_MS, slot, true);
			break;
		default: break;
		}
	}
	assert_int_equal(store_batch_end(fx->st, true, &err), 0);
	qsort(plan, n, sizeof *plan, by_org);

	int64_t due = slot + 30 * MIN_MS;
	run_check(fx, &p, slot, due, plan, n, "");       /* at the deadline: pending */
	run_check(fx, &p, slot, due + 1, plan, n, "");   /* a millisecond on: missing */
	/* A district desk: its 250, and none of cq.d10's … cq.d19's. */
	run_check(fx, &p, slot, due + 1, plan, n, "cq.d1");
	run_check(fx, &p, slot, due + 1, plan, n, "cq.d40");
	run_check(fx, &p, slot, due + 1, plan, n, "cq.d1.e0007");
	run_check(fx, &p, slot, due + 1, plan, n, "cq.d");   /* not an org: nothing */
	/* A database of schema 9 (before zero_latest) holding these reports
	 * is upgraded to the same checklist. */
	store_close(fx->st);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	/* Later migrations undone too, so they can run again. */
	assert_int_equal(sqlite3_exec(db, "DROP TABLE zero_latest; ALTER TABLE drill_injects DROP COLUMN title;"
				      " PRAGMA user_version = 9", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(fx->db, 0, &fx->st, &err), 0);
	run_check(fx, &p, slot, due + 1, plan, n, "");
	/* The previous slot holds only the OTHER_SLOT reports. */
	for (size_t i = 0; i < n; i++)
		plan[i].plan = plan[i].plan == OTHER_SLOT ? ON_TIME : NONE;
	run_check(fx, &p, prev, due, plan, n, "");
	free(plan);
}

static int count_rows(const struct dd_zero_row *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static void scope_of_a_district_and_one_enterprise(void **state)
{
	struct fx *fx = *state;
	const char *scope[] = { "cq.d1", "cq.d10.e0003" }, *times[] = { "09:00" };
	int64_t start = at("2026-04-01T00:00:00+08:00"), slot = at("2026-04-02T09:00:00+08:00");
	char pid[DD_UUID_LEN + 1];
	new_period(fx, scope, 2, times, 1, 0, start, start + 3 * DAY_MS, pid);
	struct dd_error err;
	int n = 0;
	assert_int_equal(store_zero_checklist(fx->st, pid, slot, "", count_rows, &n, &err), 0);
	assert_int_equal(n, 1 + PER_DISTRICT + 1);
	n = 0;
	assert_int_equal(store_zero_checklist(fx->st, pid, slot, "cq.d10", count_rows, &n, &err), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_zero_checklist(fx->st, pid, slot, "cq.d2", count_rows, &n, &err), 0);
	assert_int_equal(n, 0);
	/* Out of scope at any size: refused, nothing stored. */
	int64_t before = store_event_count(fx->st);
	struct dd_zero_in in = { .org = "cq.d10.e0004", .at_ms = slot - HOUR_MS, .nil = true, .via = "cli" };
	char id[DD_UUID_LEN + 1];
	int64_t s;
	assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, id, &s, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);
}

/* ---- zones -------------------------------------------------------------- */

static int count_reported(const struct dd_zero_row *r, void *ctx)
{
	*(int *)ctx += r->id[0] != '\0';
	return 0;
}

static void consoles_in_other_zones_keep_the_periods_clock(void **state)
{
	struct fx *fx = *state;
	const char *scope[] = { "cq.d2" }, *times[] = { "16:00" };
	snprintf(fx->cfg.timezone, sizeof fx->cfg.timezone, "Asia/Shanghai");
	char pid[DD_UUID_LEN + 1];
	new_period(fx, scope, 1, times, 1, 30, at("2026-05-01T00:00:00+08:00"), at("2026-05-05T00:00:00+08:00"), pid);
	struct dd_error err;
	struct dd_period p;
	assert_int_equal(store_period_get(fx->st, pid, &p, &err), 0);
	assert_string_equal(p.tz, "Asia/Shanghai");
	/* 15:59 in Shanghai is 07:59Z and 03:59 in New York (EDT). */
	static const char *const zones[] = { "UTC", "America/New_York" };
	for (int z = 0; z < 2; z++) {
		snprintf(fx->cfg.timezone, sizeof fx->cfg.timezone, "%s", zones[z]);
		/* Whatever zone the process last worked in does not matter either. */
		char hm[8];
		time_format_local(time_now_ms(), "Europe/London", "%H:%M", hm, sizeof hm);
		char org[DD_ORG_ID_MAX + 1];
		enterprise_id(1, z, org, sizeof org);
		struct dd_zero_in in = { .org = org, .at_ms = at("2026-05-02T07:59:00Z"), .nil = true, .via = "cli" };
		char id[DD_UUID_LEN + 1];
		int64_t s;
		assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, id, &s, &err), 0);
		assert_int_equal(s, at("2026-05-02T16:00:00+08:00"));
		/* The grace runs out at 16:30 Shanghai whatever the console's zone. */
		enterprise_id(1, z + 2, org, sizeof org);
		in.org = org;
		in.at_ms = at("2026-05-02T08:30:00Z");
		assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, id, &s, &err), 0);
		assert_int_equal(s, at("2026-05-02T16:00:00+08:00"));
		in.at_ms = at("2026-05-02T08:31:00Z");
		enterprise_id(1, z + 4, org, sizeof org);
		in.org = org;
		assert_int_equal(zero_submit(fx->st, &fx->cfg, &in, id, &s, &err), 0);
		assert_int_equal(s, at("2026-05-03T16:00:00+08:00"));
		struct dd_zero_row r;
		assert_int_equal(store_zero_latest(fx->st, pid, org, s, &r, &err), 0);
		assert_int_equal(r.at_ms, in.at_ms);
	}
	/* Rebuilt from the events, whose slot is written in the period's zone,
	 * the projection lands on the same instants: four for 16:00 of 2 May. */
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	int n = 0;
	assert_int_equal(store_zero_checklist(fx->st, pid, at("2026-05-02T08:00:00Z"), "", count_reported, &n, &err), 0);
	assert_int_equal(n, 4);
	snprintf(fx->cfg.timezone, sizeof fx->cfg.timezone, "Asia/Shanghai");
}

static void a_year_of_slots_across_dst(void **state)
{
	(void)state;
	/* Daily 16:00 and 00:30 in New York through 2026: summer time from
	 * 8 March to 1 November.  Every slot falls on its wall-clock time,
	 * two a day, in order, none skipped or doubled. */
	struct dd_period p = { .start_ms = at("2026-01-01T00:00:00-05:00"), .end_ms = at("2026-12-31T23:59:00-05:00"),
			       .n_times = 2, .times_min = { 30, 16 * 60 }, .grace_min = 10 };
	snprintf(p.tz, sizeof p.tz, "America/New_York");
	struct dd_error err;
	int64_t t = p.start_ms, s, last = 0;
	int n = 0, summer = 0;
	while (zero_slot_at(&p, t, &s, &err) == 0) {
		char hm[8];
		time_format_local(s, p.tz, "%H:%M", hm, sizeof hm);
		if (strcmp(hm, n % 2 ? "16:00" : "00:30") != 0)
			fail_msg("slot %d at %s local, want %s", n, hm, n % 2 ? "16:00" : "00:30");
		assert_true(s > last);
		summer += time_offset_min(s, p.tz) == -240;
		last = s;
		n++;
		t = s + p.grace_min * MIN_MS + 1;
	}
	assert_int_equal(err.code, DD_ENOTFOUND);
	assert_int_equal(n, 2 * 365);
	/* 8 March 16:00 to 31 October inclusive, 00:30 of 9 March to 1 November. */
	assert_int_equal(summer, 2 * 238);
	/* The two changes themselves: 16:00 EST is 21:00Z, EDT 20:00Z. */
	assert_int_equal(zero_slot_at(&p, at("2026-11-01T12:00:00Z"), &s, &err), 0);
	assert_int_equal(s, at("2026-11-01T21:00:00Z"));
	assert_int_equal(zero_slot_at(&p, at("2026-10-31T12:00:00Z"), &s, &err), 0);
	assert_int_equal(s, at("2026-10-31T20:00:00Z"));
}

static void overlapping_graces(void **state)
{
	(void)state;
	/* 08:00 and 16:00 with the longest grace (12 h): until 20:00 a report
	 * still counts, on time, for 08:00; a slot is late only after its
	 * own grace, whatever later slots have opened. */
	struct dd_period p = { .start_ms = at("2026-06-01T00:00:00+08:00"), .end_ms = at("2026-06-03T00:00:00+08:00"),
			       .n_times = 2, .times_min = { 8 * 60, 16 * 60 }, .grace_min = DD_PERIOD_GRACE_MAX };
	snprintf(p.tz, sizeof p.tz, "Asia/Shanghai");
	struct dd_error err;
	int64_t s, eight = at("2026-06-01T08:00:00+08:00"), four = at("2026-06-01T16:00:00+08:00");
	assert_int_equal(zero_slot_at(&p, at("2026-06-01T17:00:00+08:00"), &s, &err), 0);
	assert_int_equal(s, eight);
	assert_int_equal(zero_state_of(&p, eight, at("2026-06-01T20:00:00+08:00"), 0), DD_ZERO_REPORTED);
	assert_int_equal(zero_state_of(&p, eight, at("2026-06-01T20:00:00.001+08:00"), 0), DD_ZERO_LATE);
	assert_int_equal(zero_slot_at(&p, at("2026-06-01T20:00:00.001+08:00"), &s, &err), 0);
	assert_int_equal(s, four);
	assert_int_equal(zero_state_of(&p, four, 0, at("2026-06-02T04:00:00+08:00")), DD_ZERO_PENDING);
	assert_int_equal(zero_state_of(&p, four, 0, at("2026-06-02T04:00:00.001+08:00")), DD_ZERO_MISSING);
	/* The last slot's grace reaches past the period's end. */
	assert_int_equal(zero_slot_at(&p, at("2026-06-02T23:59:00+08:00"), &s, &err), 0);
	assert_int_equal(s, at("2026-06-02T16:00:00+08:00"));
	assert_int_equal(zero_slot_at(&p, at("2026-06-03T04:00:00.001+08:00"), &s, &err), DD_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checklist_counts_at_10000_orgs),
		cmocka_unit_test(scope_of_a_district_and_one_enterprise),
		cmocka_unit_test(consoles_in_other_zones_keep_the_periods_clock),
		cmocka_unit_test(a_year_of_slots_across_dst),
		cmocka_unit_test(overlapping_graces),
	};
	return cmocka_run_group_tests(tests, group_setup, orgtree_teardown);
}
