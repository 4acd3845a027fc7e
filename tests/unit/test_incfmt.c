/*
 * test_incfmt.c — how screens name tiers, hops and orgs (incfmt.h):
 * a hop by its receiver whatever chain it is looked up in, an org by
 * its name, by its nearest named ancestor when the tree lacks it, and
 * by its id only when nothing is known.  No catalogue is bound, so the
 * tier names are the untranslated ones; the Chinese ones are checked
 * on screen (tests/screen/tiers_zh, incident_zh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dutydesk/incfmt.h"
#include "orgtree.h"

static void hop(struct dd_tier_rule *r, const char *id, const char *to)
{
	struct dd_hop_rule *h = &r->hops[r->n_hops++];
	snprintf(h->id, sizeof h->id, "%s", id);
	snprintf(h->to, sizeof h->to, "%s", to);
}

/* A configuration of its own, so the names asserted are this file's. */
static void tiers(struct dd_tiers *t)
{
	memset(t, 0, sizeof *t);
	static const char *const zh[DD_TIERS] = { "未定级", "一般", "较大", "重大", "特别重大" };
	static const char *const en[DD_TIERS] = { "unassessed", "", "major (III)", "serious (II)", "critical (I)" };
	for (int i = 0; i < DD_TIERS; i++) {
		snprintf(t->tier[i].name_zh, sizeof t->tier[i].name_zh, "%s", zh[i]);
		snprintf(t->tier[i].name_en, sizeof t->tier[i].name_en, "%s", en[i]);
	}
	hop(&t->tier[DD_TIER_UNASSESSED], "assess", "带班领导（研判定级）");
	hop(&t->tier[DD_TIER_IV], "district", "区县经信主管部门");
	hop(&t->tier[DD_TIER_IV], "filing", "市经济信息委（报备）");
	hop(&t->tier[DD_TIER_I], "district", "区县经信主管部门");
	hop(&t->tier[DD_TIER_I], "commission", "市经济信息委");
	hop(&t->tier[DD_TIER_I], "miit", "工业和信息化部");
}

static void test_tier_name(void **state)
{
	(void)state;
	struct dd_tiers t;
	tiers(&t);
	char buf[160];
	incfmt_tier_name(&t, DD_TIER_I, buf, sizeof buf);
	assert_string_equal(buf, "特别重大 critical (I)");
	incfmt_tier_name(&t, DD_TIER_UNASSESSED, buf, sizeof buf);
	assert_string_equal(buf, "未定级 unassessed");
	/* No English name configured: the Chinese one with its grade. */
	incfmt_tier_name(&t, DD_TIER_IV, buf, sizeof buf);
	assert_string_equal(buf, "一般 (grade IV)");
	incfmt_tier_name(&t, -1, buf, sizeof buf);
	assert_string_equal(buf, "?");
	incfmt_tier_name(&t, DD_TIERS, buf, sizeof buf);
	assert_string_equal(buf, "?");
}

static void test_hop(void **state)
{
	(void)state;
	struct dd_tiers t;
	tiers(&t);
	assert_string_equal(incfmt_hop(&t, DD_TIER_I, "commission"), "市经济信息委");
	assert_string_equal(incfmt_hop(&t, DD_TIER_IV, "filing"), "市经济信息委（报备）");
	/* A hop of a tier the incident has left: found in another chain. */
	assert_string_equal(incfmt_hop(&t, DD_TIER_IV, "miit"), "工业和信息化部");
	assert_string_equal(incfmt_hop(&t, DD_TIER_I, "assess"), "带班领导（研判定级）");
	assert_string_equal(incfmt_hop(&t, -1, "district"), "区县经信主管部门");
	assert_string_equal(incfmt_hop(&t, DD_TIER_I, "summary"), "summary report");
	/* An id no chain has is shown as it is, not dropped. */
	assert_string_equal(incfmt_hop(&t, DD_TIER_I, "fax-office"), "fax-office");
}

static int setup(void **state)
{
	return orgtree_setup(state, "incfmt");
}

static int teardown(void **state)
{
	return orgtree_teardown(state);
}

static void test_org(void **state)
{
	struct fx *fx = *state;
	char buf[INCFMT_ORG_LEN];
	assert_string_equal(incfmt_org(fx->st, "cq.yubei", buf, sizeof buf), "渝北区");
	assert_string_equal(incfmt_org(fx->st, "cq.yubei.ent-2", buf, sizeof buf), "乙水厂");
	/* Not in the tree: the nearest named ancestor and the rest of the id. */
	assert_string_equal(incfmt_org(fx->st, "cq.yubei.chem-03", buf, sizeof buf), "渝北区 chem-03");
	/* Nor by a root: it is not the commission's. */
	assert_string_equal(incfmt_org(fx->st, "cq.fuling.chem-03", buf, sizeof buf), "cq.fuling.chem-03");
	assert_string_equal(incfmt_org(fx->st, "cq", buf, sizeof buf), "市经济信息委");
	assert_string_equal(incfmt_org(fx->st, "ext.cnvd", buf, sizeof buf), "ext.cnvd");
	assert_string_equal(incfmt_org(fx->st, "", buf, sizeof buf), "");
	/* A small buffer gets as much as fits, terminated. */
	char small[4];
	incfmt_org(fx->st, "ext.cnvd", small, sizeof small);
	assert_string_equal(small, "ext");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tier_name),
		cmocka_unit_test(test_hop),
		cmocka_unit_test_setup_teardown(test_org, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
