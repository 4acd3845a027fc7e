/*
 * test_roster.c — unit tests for the roster: the org tree and its scope
 * (prefix) queries, filter-as-you-type (CJK, phone digits, kinds, keyset
 * pages), the roster as of a past time, the duty schedule at shift
 * boundaries and across midnight, overlaps and swaps, the coverage check,
 * the objects ledger, calls, CSV import (all or nothing, positions, GBK)
 * and rebuild equal to incremental whatever order events arrive in.
 *
 * Every test works in its own mkdtemp() folder (on /dev/shm when it can:
 * every commit is fsynced) and removes it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/roster.h"
#include "dutydesk/rosterio.h"
#include "dutydesk/store.h"
#include "dutydesk/timefmt.h"
#include "tempdir.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

struct fx {
	char dir[256];
	char db[PATH_MAX];
	struct dd_store *st;
	struct dd_config cfg;
};

static void new_config(struct fx *fx, struct dd_config *cfg, const char *officer)
{
	config_defaults(cfg);
	snprintf(cfg->path, sizeof cfg->path, "%s/dutydesk.conf", fx->dir);
	uuid7_new(time_now_ms(), cfg->origin);
	snprintf(cfg->officer, sizeof cfg->officer, "%s", officer);
	snprintf(cfg->org, sizeof cfg->org, "cq.center");
	snprintf(cfg->database, sizeof cfg->database, "%s", fx->db);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-roster-XXXXXX", tempdir_base());
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->db, sizeof fx->db, "%s/dutydesk.db", fx->dir);
	new_config(fx, &fx->cfg, "张伟");
	struct dd_error err;
	if (store_open(fx->db, DD_STORE_CREATE, &fx->st, &err))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	store_close(fx->st);
	int rc = tempdir_remove(fx->dir);
	free(fx);
	return rc;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void org(struct fx *fx, const char *id, const char *kind, const char *name)
{
	struct dd_org_in in = { .id = id, .kind = kind, .name = name };
	struct dd_error err;
	bool changed;
	if (roster_org_set(fx->st, &fx->cfg, &in, &changed, &err))
		fail_msg("roster_org_set %s: %s", id, err.msg);
	assert_true(changed);
}

static void liaison(struct fx *fx, const char *o, const char *role, const char *name, const char *mobile,
		    int64_t from, char id[DD_UUID_LEN + 1])
{
	struct dd_liaison_in in = { .org = o, .role = role, .name = name, .mobile = mobile, .valid_from_ms = from };
	struct dd_error err;
	if (roster_liaison_set(fx->st, &fx->cfg, &in, id, NULL, &err))
		fail_msg("roster_liaison_set %s: %s", name, err.msg);
}

/* cq, two districts, three enterprises, people. */
static void small_tree(struct fx *fx)
{
	org(fx, "cq", "commission", "重庆市经济和信息化委员会");
	org(fx, "cq.center", "centre", "重庆市工业信息安全发展中心");
	org(fx, "cq.yubei", "district", "渝北区");
	org(fx, "cq.yubei2", "zone", "渝北第二示例区");
	org(fx, "cq.yubei.ent-0001", "工业企业", "恒川机械有限公司（虚构）");
	org(fx, "cq.yubei.ent-0002", "ent-utility", "澄江水务有限公司（虚构）");
	org(fx, "cq.yubei2.ent-0003", "ent-platform", "锦岳工业互联网有限公司（虚构）");
	liaison(fx, "cq.yubei.ent-0001", "lead", "王建国", "138 0000 0001", 0, NULL);
	liaison(fx, "cq.yubei.ent-0001", "contact", "李晓燕", "139-0000-0002", 0, NULL);
	liaison(fx, "cq.yubei.ent-0002", "contact", "王芳", "13800000003", 0, NULL);
	liaison(fx, "cq.yubei2.ent-0003", "lead", "赵志强", "13800000004", 0, NULL);
}

struct names {
	int n;
	char v[16][DD_NAME_MAX + 1];
};

static int take_org(const struct dd_org *o, void *p)
{
	struct names *n = p;
	if (n->n < 16)
		snprintf(n->v[n->n++], sizeof n->v[0], "%s", o->id);
	return 0;
}

static int take_liaison(const struct dd_liaison *l, void *p)
{
	struct names *n = p;
	if (n->n < 16)
		snprintf(n->v[n->n++], sizeof n->v[0], "%s", l->name);
	return 0;
}

static struct names contacts(struct fx *fx, const struct dd_contact_filter *f)
{
	struct names n = { 0 };
	struct dd_error err;
	if (store_contact_scan(fx->st, f, NULL, false, 16, take_liaison, &n, &err))
		fail_msg("store_contact_scan: %s", err.msg);
	return n;
}

static struct names contacts_matching(struct fx *fx, const char *text)
{
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.text = text;
	return contacts(fx, &f);
}

static void test_tree_scope(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	struct dd_org_filter f;
	roster_org_filter_init(&f);
	f.scope = "cq.yubei";
	struct names n = { 0 };
	struct dd_error err;
	assert_int_equal(store_org_scan(fx->st, &f, NULL, false, 16, take_org, &n, &err), 0);
	/* The subtree in tree order; cq.yubei2 shares the prefix but not the scope. */
	assert_int_equal(n.n, 3);
	assert_string_equal(n.v[0], "cq.yubei");
	assert_string_equal(n.v[1], "cq.yubei.ent-0001");
	assert_string_equal(n.v[2], "cq.yubei.ent-0002");
	int64_t count;
	assert_int_equal(store_org_count(fx->st, &f, &count, &err), 0);
	assert_int_equal(count, 3);
	f.scope = NULL;
	f.kind = "enterprise";
	assert_int_equal(store_org_count(fx->st, &f, &count, &err), 0);
	assert_int_equal(count, 3);
	/* Keyset: the page after cq.yubei. */
	roster_org_filter_init(&f);
	struct dd_org_key key = { "cq.yubei" };
	n.n = 0;
	assert_int_equal(store_org_scan(fx->st, &f, &key, false, 2, take_org, &n, &err), 0);
	assert_int_equal(n.n, 2);
	assert_string_equal(n.v[0], "cq.yubei.ent-0001");
	n.n = 0;
	assert_int_equal(store_org_scan(fx->st, &f, &key, true, 2, take_org, &n, &err), 0);
	assert_string_equal(n.v[0], "cq.center");
	assert_string_equal(n.v[1], "cq");

	struct dd_contact_filter cf;
	roster_contact_filter_init(&cf);
	cf.scope = "cq.yubei";
	struct names c = contacts(fx, &cf);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0], "王建国");    /* the lead first */
	assert_string_equal(c.v[1], "李晓燕");
	assert_string_equal(c.v[2], "王芳");

	struct dd_org o;
	assert_int_equal(store_org_get(fx->st, "cq.yubei.ent-0002", &o, &err), 0);
	assert_string_equal(o.parent, "cq.yubei");
	assert_string_equal(o.district, "cq.yubei");
	assert_int_equal(o.depth, 2);
}

static void test_org_rules(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	struct dd_error err;
	bool changed = true;
	struct dd_org_in in = { .id = "cq.nowhere.ent-1", .kind = "ent-industrial", .name = "x" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, &changed, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "parent 'cq.nowhere' is not a known org"));
	in = (struct dd_org_in){ .id = "cq.yubei.ent-9", .parent = "cq.yubei2", .kind = "ent-industrial", .name = "x" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, &changed, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "not a prefix"));
	in = (struct dd_org_in){ .id = "cq.yubei.ent-9", .parent = "cq", .kind = "ent-industrial", .name = "x" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, &changed, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "an enterprise belongs to a district office"));
	in = (struct dd_org_in){ .id = "cq.center.ent-9", .kind = "ent-industrial", .name = "x" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, &changed, &err), DD_EINVAL);
	in = (struct dd_org_in){ .id = "Cq.Bad", .kind = "district", .name = "x" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, &changed, &err), DD_EINVAL);
	in = (struct dd_org_in){ .id = "cq.yubei.ent-9", .kind = "factory", .name = "x" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, &changed, &err), DD_EINVAL);
	/* Saying the same again writes nothing. */
	int64_t n = store_event_count(fx->st);
	in = (struct dd_org_in){ .id = "cq.yubei", .kind = "区", .name = "渝北区" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(store_event_count(fx->st), n);
}

static void test_filter_as_you_type(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	assert_int_equal(contacts_matching(fx, "王").n, 2);
	struct names n = contacts_matching(fx, "王芳");
	assert_int_equal(n.n, 1);
	assert_string_equal(n.v[0], "王芳");
	/* Org name, district name, kind label, role label. */
	assert_int_equal(contacts_matching(fx, "水务").n, 1);
	assert_int_equal(contacts_matching(fx, "渝北区").n, 3);
	assert_int_equal(contacts_matching(fx, "工业互联网平台企业").n, 1);
	assert_int_equal(contacts_matching(fx, "工作负责人").n, 2);
	/* Phone digits whatever the separators, ASCII case-blind words, AND of words. */
	n = contacts_matching(fx, "0000 0002");
	assert_int_equal(n.n, 1);
	assert_string_equal(n.v[0], "李晓燕");
	assert_int_equal(contacts_matching(fx, "138-0000").n, 3);
	assert_int_equal(contacts_matching(fx, "CQ.YUBEI2").n, 1);
	assert_int_equal(contacts_matching(fx, "渝北区 王").n, 2);
	assert_int_equal(contacts_matching(fx, "渝北区 王 0003").n, 1);
	assert_int_equal(contacts_matching(fx, "不存在").n, 0);

	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.kind = "ent-utility";
	assert_int_equal(contacts(fx, &f).n, 1);
	f.kind = NULL;
	f.role = "lead";
	assert_int_equal(contacts(fx, &f).n, 2);
	int64_t count;
	struct dd_error err;
	f.role = NULL;
	assert_int_equal(store_contact_count(fx->st, &f, 0, &count, &err), 0);
	assert_int_equal(count, 4);
	assert_int_equal(store_contact_count(fx->st, &f, 2, &count, &err), 0);
	assert_int_equal(count, 2);

	/* An org renamed: its contacts are found by the new name at once. */
	struct dd_org_in in = { .id = "cq.yubei.ent-0002", .kind = "ent-utility", .name = "泓峻燃气有限公司（虚构）" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, NULL, &err), 0);
	assert_int_equal(contacts_matching(fx, "水务").n, 0);
	assert_int_equal(contacts_matching(fx, "燃气").n, 1);
	in = (struct dd_org_in){ .id = "cq.yubei", .kind = "district", .name = "渝北新区" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &in, NULL, &err), 0);
	assert_int_equal(contacts_matching(fx, "渝北新区").n, 3);

	/* Keyset pages over the filter. */
	roster_contact_filter_init(&f);
	f.text = "138";
	struct dd_liaison first;
	struct names page = { 0 };
	assert_int_equal(store_contact_scan(fx->st, &f, NULL, false, 1, take_liaison, &page, &err), 0);
	assert_int_equal(store_liaison_find(fx->st, "cq.yubei.ent-0001", "lead", NULL, &first, &err), 0);
	struct dd_contact_key key;
	roster_contact_key(&first, &key);
	page.n = 0;
	assert_int_equal(store_contact_scan(fx->st, &f, &key, false, 10, take_liaison, &page, &err), 0);
	assert_int_equal(page.n, 2);
	assert_string_equal(page.v[0], "王芳");
	assert_string_equal(page.v[1], "赵志强");
}

/* The in-memory filter gives what the SQL scan gives, pages both ways,
 * and sees every change at once. */
static void test_filter_index(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	struct dd_contact_index *ix = store_contact_index_new();
	assert_non_null(ix);
	static const char *const texts[] = { "", "王", "王芳", "渝北区", "138-0000", "0000 0002", "cq.yubei2", "渝北区 王 0003",
					     "不存在", "工作负责人", NULL };
	struct dd_error err;
	for (int i = 0; texts[i]; i++) {
		struct dd_contact_filter f;
		roster_contact_filter_init(&f);
		f.text = texts[i];
		struct names want = contacts(fx, &f), got = { 0 };
		int64_t matched = -1;
		assert_int_equal(store_contact_filter(ix, fx->st, &f, NULL, false, 16, 0, take_liaison, &got, &matched, &err), 0);
		assert_int_equal(got.n, want.n);
		assert_int_equal(matched, want.n);
		for (int k = 0; k < got.n; k++)
			assert_string_equal(got.v[k], want.v[k]);
	}
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.scope = "cq.yubei";
	f.role = "contact";
	struct names got = { 0 };
	int64_t matched;
	assert_int_equal(store_contact_filter(ix, fx->st, &f, NULL, false, 1, 0, take_liaison, &got, &matched, &err), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(matched, 2);
	assert_string_equal(got.v[0], "李晓燕");
	struct dd_liaison l;
	assert_int_equal(store_liaison_find(fx->st, "cq.yubei.ent-0001", "contact", "李晓燕", &l, &err), 0);
	struct dd_contact_key key;
	roster_contact_key(&l, &key);
	got.n = 0;
	assert_int_equal(store_contact_filter(ix, fx->st, &f, &key, false, 5, 0, take_liaison, &got, NULL, &err), 0);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.v[0], "王芳");
	roster_contact_filter_init(&f);
	got.n = 0;
	assert_int_equal(store_contact_filter(ix, fx->st, &f, &key, true, 5, 0, take_liaison, &got, NULL, &err), 0);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.v[0], "王建国");
	/* A cap stops the count. */
	assert_int_equal(store_contact_filter(ix, fx->st, &f, NULL, false, 1, 2, take_liaison, &got, &matched, &err), 0);
	assert_int_equal(matched, 2);
	/* A change through this connection shows at the next keystroke. */
	liaison(fx, "cq.yubei2.ent-0003", "contact", "新来的", "13800000077", 0, NULL);
	roster_contact_filter_init(&f);
	f.text = "新来";
	got.n = 0;
	assert_int_equal(store_contact_filter(ix, fx->st, &f, NULL, false, 5, 0, take_liaison, &got, &matched, &err), 0);
	assert_int_equal(got.n, 1);
	f.at_ms = 1;
	assert_int_equal(store_contact_filter(ix, fx->st, &f, NULL, false, 5, 0, take_liaison, &got, &matched, &err), DD_EINVAL);
	store_contact_index_free(ix);
}

static void test_roster_as_of(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	int64_t t1 = time_now_ms() - 30 * DAY_MS, t2 = t1 + 10 * DAY_MS;
	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1];
	liaison(fx, "cq.center", "lead", "甲负责人", "13800000010", t1, a);
	liaison(fx, "cq.center", "lead", "乙负责人", "13800000011", t2, b);
	/* The lead's post changed hands: one liaison, two versions. */
	assert_string_equal(a, b);
	struct dd_error err;
	int64_t from = t2 + DAY_MS;
	assert_int_equal(roster_liaison_remove(fx->st, &fx->cfg, a, 0, &err), 0);
	(void)from;

	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.org = "cq.center";
	assert_int_equal(contacts(fx, &f).n, 0);   /* removed now */
	f.at_ms = t1 - 1;
	assert_int_equal(contacts(fx, &f).n, 0);
	f.at_ms = t1;
	struct names n = contacts(fx, &f);
	assert_int_equal(n.n, 1);
	assert_string_equal(n.v[0], "甲负责人");
	f.at_ms = t2 - 1;
	assert_string_equal(contacts(fx, &f).v[0], "甲负责人");
	f.at_ms = t2;
	assert_string_equal(contacts(fx, &f).v[0], "乙负责人");
	f.text = "0011";
	assert_int_equal(contacts(fx, &f).n, 1);
	f.text = "0010";
	assert_int_equal(contacts(fx, &f).n, 0);
	f.text = "中心";
	assert_int_equal(contacts(fx, &f).n, 1);
	/* History is not rewritten: a change before the current entry began. */
	struct dd_liaison_in in = { .org = "cq.center", .role = "lead", .name = "丙", .valid_from_ms = t1 };
	assert_int_equal(roster_liaison_set(fx->st, &fx->cfg, &in, NULL, NULL, &err), DD_EINVAL);
}

static void shift(struct fx *fx, const char *o, const char *date, const char *start, const char *end,
		  const char *officer, const char *leader, int want)
{
	struct dd_shift_in in = { .org = o, .officers = &officer, .n_officers = officer ? 1 : 0, .leader = leader };
	struct dd_error err = { 0, "" };
	assert_int_equal(duty_shift_on(date, start, end, "Asia/Shanghai", &in.start_ms, &in.end_ms, &err), 0);
	int rc = duty_set(fx->st, &fx->cfg, &in, NULL, NULL, &err);
	if (rc != want)
		fail_msg("duty_set %s %s: %d (want %d) %s", o, date, rc, want, err.msg);
}

static int64_t at(const char *text)
{
	int64_t ms;
	struct dd_error err;
	if (time_parse(text, time_now_ms(), "Asia/Shanghai", &ms, &err))
		fail_msg("%s: %s", text, err.msg);
	return ms;
}

static const char *on_duty(struct fx *fx, const char *o, const char *when)
{
	static struct dd_shift sh[4];
	int n;
	struct dd_error err;
	assert_int_equal(store_duty_at(fx->st, o, at(when), sh, 4, &n, &err), 0);
	if (n == 0)
		return "";
	assert_int_equal(n, 1);
	return sh[0].n_officers ? sh[0].officers[0] : "-";
}

static void test_duty_boundaries(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	int64_t s, e;
	struct dd_error err;
	/* At 07:00 the shift is yesterday's; at 08:30 today's. */
	assert_int_equal(duty_shift_bounds("08:30", "Asia/Shanghai", at("2026-11-26 07:00"), &s, &e, &err), 0);
	assert_int_equal(s, at("2026-11-25 08:30"));
	assert_int_equal(e, at("2026-11-26 08:30"));
	assert_int_equal(duty_shift_bounds("08:30", "Asia/Shanghai", at("2026-11-26 08:30"), &s, &e, &err), 0);
	assert_int_equal(s, at("2026-11-26 08:30"));

	shift(fx, "cq.center", "2026-11-25", "08:30", NULL, "甲", "领导甲", 0);
	shift(fx, "cq.center", "2026-11-26", "08:30", NULL, "乙", "领导乙", 0);
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-25 08:29:59"), "");
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-25 08:30"), "甲");
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-25 23:59:59"), "甲");
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-26 00:00"), "甲");   /* across midnight */
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-26 08:29:59"), "甲");
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-26 08:30"), "乙");
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-27 08:30"), "");
	/* A night post of its own, 20:00 → 09:00, crosses midnight too. */
	struct dd_shift_in in = { .org = "cq.yubei", .post = "夜班" };
	const char *who = "夜";
	in.officers = &who;
	in.n_officers = 1;
	assert_int_equal(duty_shift_on("2026-11-26", "20:00", "09:00", "Asia/Shanghai", &in.start_ms, &in.end_ms, &err), 0);
	assert_int_equal(in.end_ms - in.start_ms, 13 * HOUR_MS);
	assert_int_equal(duty_set(fx->st, &fx->cfg, &in, NULL, NULL, &err), 0);
	assert_string_equal(on_duty(fx, "cq.yubei", "2026-11-27 03:00"), "夜");
	assert_string_equal(on_duty(fx, "cq.yubei", "2026-11-27 09:00"), "");
	/* Overlaps on the same post are refused, other posts are not. */
	shift(fx, "cq.center", "2026-11-26", "20:00", "10:00", "丙", NULL, DD_EINVAL);
	in.post = NULL;
	in.start_ms = at("2026-11-27 08:30");
	in.end_ms = at("2026-11-27 09:30");
	assert_int_equal(duty_set(fx->st, &fx->cfg, &in, NULL, NULL, &err), 0);
	/* Setting the same shift again is a no-op, not an overlap with itself. */
	bool changed = true;
	assert_int_equal(duty_set(fx->st, &fx->cfg, &in, NULL, &changed, &err), 0);
	assert_false(changed);
}

static void test_swaps(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	shift(fx, "cq.center", "2026-11-25", "08:30", NULL, "甲", "领导", 0);
	shift(fx, "cq.center", "2026-11-26", "08:30", NULL, "乙", "领导", 0);
	struct dd_shift a, b;
	struct dd_error err;
	assert_int_equal(store_duty_find(fx->st, "cq.center", "", at("2026-11-25 08:30"), &a, &err), 0);
	assert_int_equal(store_duty_find(fx->st, "cq.center", "", at("2026-11-26 08:30"), &b, &err), 0);
	/* 张伟 (an officer) may not swap others' shifts; a leader may. */
	assert_int_equal(duty_take_over(fx->st, &fx->cfg, a.id, "甲", "乙", b.id, "家中有事", &err), DD_EINVAL);
	snprintf(fx->cfg.role, sizeof fx->cfg.role, "leader");
	assert_int_equal(duty_take_over(fx->st, &fx->cfg, a.id, "甲", "乙", b.id, "", &err), DD_EINVAL);   /* no reason */
	assert_int_equal(duty_take_over(fx->st, &fx->cfg, a.id, "甲", "乙", b.id, "家中有事", &err), 0);
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-25 12:00"), "乙");
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-26 12:00"), "甲");
	assert_int_equal(store_duty_get(fx->st, a.id, &a, &err), 0);
	assert_string_equal(a.change, "swap");
	assert_string_equal(a.reason, "家中有事");
	snprintf(fx->cfg.role, sizeof fx->cfg.role, "officer");
	assert_int_equal(duty_take_over(fx->st, &fx->cfg, a.id, "乙", "张伟", NULL, "顶班", &err), 0);
	assert_string_equal(on_duty(fx, "cq.center", "2026-11-25 12:00"), "张伟");
	assert_int_equal(duty_cancel(fx->st, &fx->cfg, a.id, "x", &err), DD_EINVAL);   /* leaders only */
}

struct gaps {
	int n;
	enum dd_gap_kind kind[32];
	char org[32][DD_ORG_ID_MAX + 1];
};

static int take_gap(const struct dd_gap *g, void *p)
{
	struct gaps *gs = p;
	if (gs->n < 32) {
		gs->kind[gs->n] = g->kind;
		snprintf(gs->org[gs->n++], sizeof gs->org[0], "%s", g->org);
	}
	return 0;
}

static bool has_gap(const struct gaps *g, enum dd_gap_kind kind, const char *o)
{
	for (int i = 0; i < g->n; i++)
		if (g->kind[i] == kind && strcmp(g->org[i], o) == 0)
			return true;
	return false;
}

static void test_gaps(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	liaison(fx, "cq.yubei.ent-0002", "contact", "无手机", NULL, 0, NULL);
	shift(fx, "cq.center", "2026-11-25", "08:30", NULL, "甲", NULL, 0);
	shift(fx, "cq.center", "2026-11-27", "08:30", NULL, NULL, "领导", 0);
	struct gaps g = { 0 };
	struct dd_error err;
	assert_int_equal(store_roster_gaps(fx->st, NULL, "cq.center", at("2026-11-25 08:30"), 3, true, true, take_gap, &g,
					   &err), 0);
	assert_true(has_gap(&g, DD_GAP_NO_LEAD, "cq.yubei.ent-0002"));
	assert_true(has_gap(&g, DD_GAP_NO_CONTACT, "cq.yubei2.ent-0003"));
	assert_true(has_gap(&g, DD_GAP_NO_MOBILE, "cq.yubei.ent-0002"));
	assert_false(has_gap(&g, DD_GAP_NO_CONTACT, "cq.yubei.ent-0001"));
	assert_true(has_gap(&g, DD_GAP_NO_LEADER, "cq.center"));
	assert_true(has_gap(&g, DD_GAP_UNCOVERED, "cq.center"));   /* the 26th */
	assert_true(has_gap(&g, DD_GAP_NO_OFFICER, "cq.center"));
	/* Scope: only the subtree. */
	g.n = 0;
	assert_int_equal(store_roster_gaps(fx->st, "cq.yubei2", NULL, at("2026-11-25 08:30"), 3, true, true, take_gap, &g,
					   &err), 0);
	assert_int_equal(g.n, 3);   /* cq.yubei2 has no lead nor contact; ent-0003 no contact */
}

static int take_object(const struct dd_object *o, void *p)
{
	struct names *n = p;
	if (n->n < 16)
		snprintf(n->v[n->n++], sizeof n->v[0], "%s", o->name);
	return 0;
}

static void test_objects(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	struct dd_error err;
	char id1[DD_UUID_LEN + 1], id2[DD_UUID_LEN + 1];
	struct dd_object_in in = { .org = "cq.yubei.ent-0001", .kind = "工业控制系统", .name = "A-DCS" };
	assert_int_equal(roster_object_set(fx->st, &fx->cfg, &in, id1, NULL, &err), 0);
	in = (struct dd_object_in){ .org = "cq.yubei.ent-0002", .kind = "ics", .name = "B-SCADA", .exposed = true };
	assert_int_equal(roster_object_set(fx->st, &fx->cfg, &in, id2, NULL, &err), 0);
	in = (struct dd_object_in){ .org = "cq.yubei", .kind = "ics", .name = "x" };
	assert_int_equal(roster_object_set(fx->st, &fx->cfg, &in, NULL, NULL, &err), DD_EINVAL);   /* not an enterprise */
	bool changed;
	assert_int_equal(roster_object_assess(fx->st, &fx->cfg, id2, true, at("2025-06-30"), "联网", &changed, &err), 0);
	assert_true(changed);
	struct dd_object_filter f;
	roster_object_filter_init(&f);
	f.scope = "cq.yubei";
	struct names n = { 0 };
	assert_int_equal(store_object_scan(fx->st, &f, NULL, 10, take_object, &n, &err), 0);
	assert_int_equal(n.n, 2);
	assert_string_equal(n.v[0], "B-SCADA");   /* important first */
	f.important = 1;
	n.n = 0;
	assert_int_equal(store_object_scan(fx->st, &f, NULL, 10, take_object, &n, &err), 0);
	assert_int_equal(n.n, 1);
	/* The next page of the ledger starts after the last row's key. */
	struct dd_object last;
	assert_int_equal(store_object_get(fx->st, id2, &last, &err), 0);
	struct dd_object_key key;
	roster_object_key(&last, &key);
	f.important = -1;
	n.n = 0;
	assert_int_equal(store_object_scan(fx->st, &f, &key, 10, take_object, &n, &err), 0);
	assert_int_equal(n.n, 1);
	assert_string_equal(n.v[0], "A-DCS");
	char ref[DD_UUID_LEN + 1];
	assert_int_equal(store_object_resolve(fx->st, id1 + 28, ref, &err), 0);
	assert_string_equal(ref, id1);
}

static void test_call(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	struct dd_liaison l;
	struct dd_error err;
	assert_int_equal(store_liaison_find(fx->st, "cq.yubei.ent-0001", "contact", "李晓燕", &l, &err), 0);
	struct dd_call_in in = { .org = "cq.yubei.ent-0001", .liaison = l.id, .result = "no-answer", .note = "稍后再拨" };
	struct dd_event ev;
	assert_int_equal(roster_call(fx->st, &fx->cfg, &in, &ev, &err), 0);
	assert_string_equal(json_string_value(json_object_get(ev.body, "kind")), "call-out");
	assert_non_null(strstr(json_string_value(json_object_get(ev.body, "text")), "李晓燕"));
	assert_non_null(strstr(json_string_value(json_object_get(ev.body, "text")), "13900000002"));
	event_free(&ev);
	in.result = "hung-up";
	assert_int_equal(roster_call(fx->st, &fx->cfg, &in, NULL, &err), DD_EINVAL);
	in.result = "busy";
	in.org = "cq.yubei.ent-0002";   /* not that org's liaison */
	assert_int_equal(roster_call(fx->st, &fx->cfg, &in, NULL, &err), DD_EINVAL);
	int64_t n;
	struct dd_log_filter lf;
	store_log_filter_init(&lf);
	assert_int_equal(store_log_count(fx->st, &lf, &n, &err), 0);
	assert_int_equal(n, 1);
}

/* ---- import ------------------------------------------------------------ */

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

struct problems {
	int n;
	char first[512], last[512];
};

static void take_problem(const char *msg, void *p)
{
	struct problems *pr = p;
	if (!pr->n++)
		snprintf(pr->first, sizeof pr->first, "%s", msg);
	snprintf(pr->last, sizeof pr->last, "%s", msg);
}

static int import(struct fx *fx, enum dd_table t, const char *name, const char *data, size_t len,
		  struct problems *pr, struct dd_import_report *rep)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", fx->dir, name);
	write_file(path, data, len);
	struct dd_error err;
	memset(pr, 0, sizeof *pr);
	return rosterio_import_csv(fx->st, &fx->cfg, t, path, NULL, take_problem, pr, rep, &err);
}

static void test_import_all_or_nothing(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	char digest[DD_HASH_HEX + 1], after[DD_HASH_HEX + 1];
	struct dd_error err;
	assert_int_equal(store_digest(fx->st, digest, &err), 0);
	int64_t events = store_event_count(fx->st);
	struct problems pr;
	struct dd_import_report rep;
	/* Good rows, then a bad phone on the last row. */
	const char bad_last[] = "org,role,name,mobile\n"
				"cq.yubei.ent-0002,lead,周强,13800000020\n"
				"cq.yubei2.ent-0003,应急联络员,吴敏,13800000021\n"
				"cq.yubei2.ent-0003,contact,郑芳,12345\n";
	assert_int_equal(import(fx, DD_TABLE_ROSTER, "r.csv", bad_last, sizeof bad_last - 1, &pr, &rep), DD_EINVAL);
	assert_int_equal(pr.n, 1);
	if (!strstr(pr.first, "r.csv:4:31: mobile '12345'"))
		fail_msg("%s", pr.first);
	assert_int_equal(store_event_count(fx->st), events);
	assert_int_equal(store_digest(fx->st, after, &err), 0);
	assert_string_equal(digest, after);

	/* Every bad row is reported, in file order. */
	const char many[] = "id,kind,name\n"
			    "cq.yubei.ent-0009,ent-industrial,好\n"
			    "cq.nowhere.ent-1,ent-industrial,无上级\n"
			    "cq.yubei.ent-0009,ent-industrial,重复\n"
			    "cq.yubei.ent-0010,factory,类型错\n"
			    "cq.yubei.ent-0011,ent-industrial\n"
			    "cq.yubei.ent-0012,ent-industrial,\"引号\"错\n";
	assert_int_equal(import(fx, DD_TABLE_ORGS, "o.csv", many, sizeof many - 1, &pr, &rep), DD_EINVAL);
	assert_int_equal(pr.n, 5);
	assert_non_null(strstr(pr.first, "o.csv:3:1: parent 'cq.nowhere' is not a known org"));
	assert_non_null(strstr(pr.last, "o.csv:7:"));
	assert_int_equal(store_event_count(fx->st), events);

	/* A clean file goes in whole, and again changes nothing. */
	const char good[] = "\xEF\xBB\xBF" "org,role,name,mobile,office\r\n"
			    "cq.yubei.ent-0002,lead,周强,138 0000 0020,\"023-6300 1234\"\r\n";
	assert_int_equal(import(fx, DD_TABLE_ROSTER, "g.csv", good, sizeof good - 1, &pr, &rep), 0);
	assert_int_equal(rep.written, 1);
	assert_string_equal(rep.encoding, "UTF-8 with BOM");
	assert_int_equal(import(fx, DD_TABLE_ROSTER, "g.csv", good, sizeof good - 1, &pr, &rep), 0);
	assert_int_equal(rep.written, 0);
	assert_int_equal(rep.unchanged, 1);
}

static void test_import_gbk_duty_objects(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	struct problems pr;
	struct dd_import_report rep;
	/* "单位,日期,值班员,带班领导\r\ncq.center,2026-11-26,张三、李四,王五\r\n" in GBK. */
	const char gbk[] = "\xb5\xa5\xce\xbb,\xc8\xd5\xc6\xda,\xd6\xb5\xb0\xe0\xd4\xb1,\xb4\xf8\xb0\xe0\xc1\xec\xb5\xbc\r\n"
			   "cq.center,2026-11-26,\xd5\xc5\xc8\xfd\xa1\xa2\xc0\xee\xcb\xc4,\xcd\xf5\xce\xe5\r\n";
	assert_int_equal(import(fx, DD_TABLE_DUTY, "d.csv", gbk, sizeof gbk - 1, &pr, &rep), 0);
	assert_string_equal(rep.encoding, "GB18030");
	struct dd_shift sh[2];
	int n;
	struct dd_error err;
	assert_int_equal(store_duty_at(fx->st, "cq.center", at("2026-11-27 08:00"), sh, 2, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sh[0].n_officers, 2);
	assert_string_equal(sh[0].officers[1], "李四");
	assert_string_equal(sh[0].leader, "王五");
	/* An overlapping shift in the same file is refused at its date. */
	const char overlap[] = "org,date,start,end,officers\n"
			       "cq.yubei,2026-11-26,08:30,20:00,甲\n"
			       "cq.yubei,2026-11-26,19:00,08:30,乙\n";
	assert_int_equal(import(fx, DD_TABLE_DUTY, "o.csv", overlap, sizeof overlap - 1, &pr, &rep), DD_EINVAL);
	assert_int_equal(pr.n, 1);
	assert_non_null(strstr(pr.first, "o.csv:3:10: overlaps"));

	const char objects[] = "org,kind,name,exposed,important,assessed\n"
			       "cq.yubei.ent-0001,工业控制系统,DCS,是,是,2025-06-30\n"
			       "cq.yubei.ent-0001,platform,平台,no,no,\n";
	assert_int_equal(import(fx, DD_TABLE_OBJECTS, "b.csv", objects, sizeof objects - 1, &pr, &rep), 0);
	assert_int_equal(rep.written, 3);
	const char wrong_count[] = "org,kind,name\ncq.yubei.ent-0001,ics\n";
	assert_int_equal(import(fx, DD_TABLE_OBJECTS, "w.csv", wrong_count, sizeof wrong_count - 1, &pr, &rep), DD_EINVAL);
	assert_non_null(strstr(pr.first, "w.csv:2:19: 2 fields where the header has 3"));
}

/* ---- rebuild equals incremental ---------------------------------------- */

static void test_rebuild_any_order(void **state)
{
	struct fx *fx = *state;
	small_tree(fx);
	/* A second desk on the same store changes what the first wrote.  Its
	 * clock is its own, as on a desk of its own, so it writes in a later
	 * millisecond, as a desk that has pulled the first one's events
	 * orders after them (within one millisecond the origin ids break
	 * the tie, and this test wants the second desk's change to win). */
	for (int64_t t = time_now_ms(); time_now_ms() == t;)
		;
	struct dd_config other;
	new_config(fx, &other, "李娜");
	struct dd_error err;
	struct dd_org_in in = { .id = "cq.yubei.ent-0001", .kind = "ent-industrial", .name = "恒川机械集团（虚构）" };
	assert_int_equal(roster_org_set(fx->st, &other, &in, NULL, &err), 0);
	struct dd_liaison_in li = { .org = "cq.yubei.ent-0001", .role = "contact", .name = "李晓燕", .mobile = "13900000099" };
	assert_int_equal(roster_liaison_set(fx->st, &other, &li, NULL, NULL, &err), 0);
	shift(fx, "cq.center", "2026-11-26", "08:30", NULL, "甲", "领导", 0);
	char oid[DD_UUID_LEN + 1];
	struct dd_object_in ob = { .org = "cq.yubei.ent-0001", .kind = "ics", .name = "DCS" };
	assert_int_equal(roster_object_set(fx->st, &other, &ob, oid, NULL, &err), 0);
	assert_int_equal(roster_object_assess(fx->st, &fx->cfg, oid, true, at("2025-01-01"), NULL, NULL, &err), 0);
	struct dd_call_in call = { .org = "cq.yubei", .result = "reached" };
	assert_int_equal(roster_call(fx->st, &other, &call, NULL, &err), 0);

	char incremental[DD_HASH_HEX + 1], rebuilt[DD_HASH_HEX + 1], reordered[DD_HASH_HEX + 1];
	assert_int_equal(store_digest(fx->st, incremental, &err), 0);
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	assert_int_equal(store_digest(fx->st, rebuilt, &err), 0);
	assert_string_equal(incremental, rebuilt);

	/* The same events into a fresh store, the second desk's chain first:
	 * its changes arrive before the orgs and objects they change. */
	char db2[PATH_MAX];
	snprintf(db2, sizeof db2, "%s/other.db", fx->dir);
	struct dd_store *st2;
	assert_int_equal(store_open(db2, DD_STORE_CREATE, &st2, &err), 0);
	sqlite3 *side;
	assert_int_equal(sqlite3_open_v2(fx->db, &side, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(side,
					    "SELECT json_object('id', id, 'origin', origin, 'seq', seq, 'hlc', hlc, 'at', at,"
					    " 'actor', actor, 'org', org, 'kind', kind, 'subject', subject, 'drill', drill,"
					    " 'body', json(body), 'prev', prev, 'hash', hash) FROM events ORDER BY origin <> ?, seq",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, other.origin, -1, SQLITE_STATIC);
	int copied = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct dd_event ev;
		const char *json = (const char *)sqlite3_column_text(s, 0);
		if (event_decode(json, strlen(json), &ev, &err))
			fail_msg("event_decode: %s", err.msg);
		if (store_append_remote(st2, &ev, &err))
			fail_msg("store_append_remote %s: %s", ev.kind, err.msg);
		event_free(&ev);
		copied++;
	}
	sqlite3_finalize(s);
	sqlite3_close(side);
	assert_int_equal(copied, store_event_count(fx->st));
	assert_int_equal(store_digest(st2, reordered, &err), 0);
	assert_string_equal(incremental, reordered);
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.text = "恒川机械集团 渝北区 0099";
	struct names n = { 0 };
	assert_int_equal(store_contact_scan(st2, &f, NULL, false, 5, take_liaison, &n, &err), 0);
	assert_int_equal(n.n, 1);
	store_close(st2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_tree_scope),        TEST(test_org_rules),   TEST(test_filter_as_you_type), TEST(test_filter_index),
		TEST(test_roster_as_of),      TEST(test_duty_boundaries), TEST(test_swaps),
		TEST(test_gaps),              TEST(test_objects),     TEST(test_call),
		TEST(test_import_all_or_nothing), TEST(test_import_gbk_duty_objects), TEST(test_rebuild_any_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
