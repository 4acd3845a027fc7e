/*
 * test_tiers.c — unit tests for core/tiers.c: tier ids and names,
 * durations, loading a tiers.conf (every value it carries) and every way
 * one is refused.  A refusal must be DD_ECONFIG and start with
 * "<file>:<line>:" where line is the line of the offending setting, so a
 * duty office editing the file is sent to the right place.
 *
 * Each test writes its file in its own mkdtemp() folder and removes it.
 * The shipped data/tiers.conf is checked too, against the numbers of
 * 《国家网络安全事件报告管理办法》 it cites.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dutydesk/tiers.h"
#include "tempdir.h"

struct fx {
	char dir[256];
	char path[512];
	struct dd_tiers t;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-tiers-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof fx->path, "%s/tiers.conf", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	int rc = tempdir_remove(fx->dir);
	free(fx);
	return rc;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* A complete, valid file: every tier, every kind of hop (plain, with a
 * CII deadline, counted after another).  One setting per line where a
 * test needs to tell lines apart. */
static const char good[] =
	"# test tier rules\n"
	"summary_within = \"30d\";\n"
	"tiers = (\n"
	"  {\n"
	"    id = \"unassessed\";\n"
	"    name_zh = \"未定级\";\n"
	"    name_en = \"unassessed\";\n"
	"    colour = \"tier-unassessed\";\n"
	"    lead = \"值班带班领导组织研判定级\";\n"
	"    notify = [ \"带班领导\" ];\n"
	"    hops = ( { id = \"assess\"; to = \"带班领导（研判定级）\"; within = \"1h\"; } );\n"
	"  },\n"
	"  {\n"
	"    id = \"IV\";\n"
	"    name_zh = \"一般\";\n"
	"    name_en = \"general (IV)\";\n"
	"    colour = \"tier-iv\";\n"
	"    lead = \"区县人民政府统一领导，区县经信主管部门牵头处置，向市经济信息委报备\";\n"
	"    notify = [ \"区县经信主管部门\", \"市经济信息委（报备）\" ];\n"
	"    hops = (\n"
	"      { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"      { id = \"filing\"; to = \"市经济信息委（报备）\"; within = \"1d\"; after = \"district\"; }\n"
	"    );\n"
	"  },\n"
	"  {\n"
	"    id = \"III\";\n"
	"    name_zh = \"较大\";\n"
	"    name_en = \"major (III)\";\n"
	"    colour = \"tier-iii\";\n"
	"    lead = \"区县人民政府统一领导，区县经信主管部门牵头处置，向市经济信息委报备\";\n"
	"    notify = [ \"区县经信主管部门\", \"市经济信息委\" ];\n"
	"    hops = (\n"
	"      { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"      { id = \"commission\"; to = \"市经济信息委\"; within = \"4h\"; cii_within = \"1h\"; }\n"
	"    );\n"
	"  },\n"
	"  {\n"
	"    id = \"II\";\n"
	"    name_zh = \"重大\";\n"
	"    name_en = \"serious (II)\";\n"
	"    colour = \"tier-ii\";\n"
	"    lead = \"市委网信办等八部门组成应急指挥机构\";\n"
	"    notify = [ \"市委网信办\", \"市经济信息委\", \"市应急管理局\", \"市公安局\",\n"
	"               \"市密码管理局\", \"市财政局\", \"市政府新闻办\", \"市通信管理局\" ];\n"
	"    hops = (\n"
	"      { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"      { id = \"commission\"; to = \"市经济信息委\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"      { id = \"cac\"; to = \"市委网信办\"; within = \"1h\"; after = \"commission\"; }\n"
	"    );\n"
	"  },\n"
	"  {\n"
	"    id = \"I\";\n"
	"    name_zh = \"特别重大\";\n"
	"    name_en = \"critical (I)\";\n"
	"    colour = \"tier-i\";\n"
	"    lead = \"在国家有关部门、市委、市政府统一领导和指挥下开展应急处置\";\n"
	"    notify = [ \"工业和信息化部\", \"市委网信办\" ];\n"
	"    hops = (\n"
	"      { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"      { id = \"commission\"; to = \"市经济信息委\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"      { id = \"cac\"; to = \"市委网信办\"; within = \"1h\"; after = \"commission\"; },\n"
	"      { id = \"miit\"; to = \"工业和信息化部\"; within = \"1h30m\"; after = \"commission\"; }\n"
	"    );\n"
	"  }\n"
	");\n";

static void write_file(struct fx *fx, const char *text)
{
	FILE *f = fopen(fx->path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* good with the first occurrence of old, which must be there, replaced by
 * new; malloc'd. */
static char *with(const char *text, const char *old, const char *new)
{
	const char *at = strstr(text, old);
	if (!at)
		fail_msg("test bug: '%s' is not in the text", old);
	size_t head = (size_t)(at - text), tail = strlen(at + strlen(old));
	char *out = malloc(head + strlen(new) + tail + 1);
	memcpy(out, text, head);
	memcpy(out + head, new, strlen(new));
	memcpy(out + head + strlen(new), at + strlen(old), tail + 1);
	return out;
}

/* The 1-based line of text on which needle first appears. */
static int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	if (!at)
		fail_msg("test bug: '%s' is not in the text", needle);
	int line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Loading text must fail DD_ECONFIG with "<file>:<line>: " and name what. */
static void expect_bad(struct fx *fx, const char *text, int line, const char *what)
{
	write_file(fx, text);
	struct dd_error err = { 0, "" };
	int rc = tiers_load(fx->path, &fx->t, &err);
	char want[600];
	snprintf(want, sizeof want, "%s:%d: ", fx->path, line);
	if (rc != DD_ECONFIG || err.code != DD_ECONFIG || strncmp(err.msg, want, strlen(want)) != 0 ||
	    !strstr(err.msg, what))
		fail_msg("rc %d: '%s'; want DD_ECONFIG, '%s…' naming '%s'", rc, err.msg, want, what);
}

/* As expect_bad, for good with old replaced by new; the line is where new
 * starts plus offset (for a replacement spanning lines). */
static void expect_bad_edit(struct fx *fx, const char *old, const char *new, int offset, const char *what)
{
	char *text = with(good, old, new);
	expect_bad(fx, text, line_of(good, old) + offset, what);
	free(text);
}

static void load_ok(struct fx *fx, const char *text)
{
	write_file(fx, text);
	struct dd_error err = { 0, "" };
	if (tiers_load(fx->path, &fx->t, &err))
		fail_msg("tiers_load: %s", err.msg);
}

/* ---- names and durations ------------------------------------------------ */

static void test_tier_ids_and_parse(void **state)
{
	(void)state;
	static const char *const ids[] = { "unassessed", "IV", "III", "II", "I" };
	for (int t = 0; t < DD_TIERS; t++) {
		assert_string_equal(tier_id(t), ids[t]);
		assert_int_equal(tier_parse(ids[t]), t);
	}
	assert_string_equal(tier_id(DD_TIERS), "?");
	assert_string_equal(tier_id(-1), "?");
	/* any case, Arabic numerals, the Chinese names */
	assert_int_equal(tier_parse("iv"), DD_TIER_IV);
	assert_int_equal(tier_parse("Unassessed"), DD_TIER_UNASSESSED);
	assert_int_equal(tier_parse("4"), DD_TIER_IV);
	assert_int_equal(tier_parse("3"), DD_TIER_III);
	assert_int_equal(tier_parse("2"), DD_TIER_II);
	assert_int_equal(tier_parse("1"), DD_TIER_I);
	assert_int_equal(tier_parse("一般"), DD_TIER_IV);
	assert_int_equal(tier_parse("较大"), DD_TIER_III);
	assert_int_equal(tier_parse("重大"), DD_TIER_II);
	assert_int_equal(tier_parse("特别重大"), DD_TIER_I);
	assert_int_equal(tier_parse("未定级"), DD_TIER_UNASSESSED);
	/* a higher tier compares greater */
	assert_true(DD_TIER_I > DD_TIER_II && DD_TIER_II > DD_TIER_III && DD_TIER_III > DD_TIER_IV &&
		    DD_TIER_IV > DD_TIER_UNASSESSED);
	static const char *const bad[] = { "", "V", "0", "5", "IIII", "重", "特别", " IV", "IV ", "unassesed", NULL };
	for (int i = 0; bad[i]; i++)
		if (tier_parse(bad[i]) != -1)
			fail_msg("tier_parse(\"%s\") = %d, want -1", bad[i], tier_parse(bad[i]));
}

static void test_duration_parse(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int min;
	} cases[] = {
		{ "1m", 1 },         { "30m", 30 },       { "4h", 240 },      { "1d", 1440 },
		{ "1h30m", 90 },     { "1d2h3m", 1563 },  { "30d", 43200 },   { "90m", 90 },
		{ "0h5m", 5 },       { "1000000m", 1000000 },  { "730d", 1051200 },
		/* refused: empty, not positive, no unit, unknown unit, signs,
		 * spaces, decimals, too long, over two years */
		{ "", -1 },          { "0m", -1 },        { "0d", -1 },       { "0h0m", -1 },
		{ "4", -1 },         { "4x", -1 },        { "4H", -1 },       { "-1h", -1 },
		{ "+1h", -1 },       { " 4h", -1 },       { "4h ", -1 },      { "1.5h", -1 },
		{ "h", -1 },         { "m4", -1 },        { "4hh", -1 },      { "1000001m", -1 },
		{ "731d", -1 },      { "99999999999d", -1 }, { "4 h", -1 },   { "四小时", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = duration_parse_min(cases[i].s);
		if (got != cases[i].min)
			fail_msg("duration_parse_min(\"%s\") = %d, want %d", cases[i].s, got, cases[i].min);
	}
}

/* ---- loading ---------------------------------------------------------- */

static void test_load_good(void **state)
{
	struct fx *fx = *state;
	load_ok(fx, good);
	const struct dd_tiers *t = &fx->t;
	assert_int_equal(t->summary_within_min, 30 * 1440);

	const struct dd_tier_rule *u = &t->tier[DD_TIER_UNASSESSED];
	assert_string_equal(u->name_zh, "未定级");
	assert_string_equal(u->colour, "tier-unassessed");
	assert_int_equal(u->n_notify, 1);
	assert_string_equal(u->notify[0], "带班领导");
	assert_int_equal(u->n_hops, 1);
	assert_string_equal(u->hops[0].id, "assess");
	assert_string_equal(u->hops[0].to, "带班领导（研判定级）");
	assert_int_equal(u->hops[0].within_min, 60);
	assert_int_equal(u->hops[0].cii_within_min, 60);  /* defaults to within */
	assert_string_equal(u->hops[0].after, "");

	const struct dd_tier_rule *iv = &t->tier[DD_TIER_IV];
	assert_string_equal(iv->name_en, "general (IV)");
	assert_int_equal(iv->n_hops, 2);
	assert_int_equal(iv->hops[0].within_min, 240);
	assert_int_equal(iv->hops[0].cii_within_min, 60);
	assert_string_equal(iv->hops[1].id, "filing");
	assert_int_equal(iv->hops[1].within_min, 1440);
	assert_string_equal(iv->hops[1].after, "district");

	const struct dd_tier_rule *ii = &t->tier[DD_TIER_II];
	assert_string_equal(ii->name_zh, "重大");
	assert_string_equal(ii->lead, "市委网信办等八部门组成应急指挥机构");
	assert_int_equal(ii->n_notify, 8);
	assert_string_equal(ii->notify[0], "市委网信办");
	assert_string_equal(ii->notify[7], "市通信管理局");
	assert_int_equal(ii->n_hops, 3);
	assert_string_equal(ii->hops[2].id, "cac");
	assert_string_equal(ii->hops[2].after, "commission");
	assert_int_equal(ii->hops[2].within_min, 60);
	assert_int_equal(ii->hops[2].cii_within_min, 60);

	const struct dd_tier_rule *i1 = &t->tier[DD_TIER_I];
	assert_string_equal(i1->name_zh, "特别重大");
	assert_int_equal(i1->n_hops, 4);
	assert_string_equal(i1->hops[3].id, "miit");
	assert_int_equal(i1->hops[3].within_min, 90);
	assert_string_equal(i1->hops[3].to, "工业和信息化部");

	/* tiers in any order in the file; summary_within has a default */
	char *reordered = with(good, "summary_within = \"30d\";\n", "");
	load_ok(fx, reordered);
	assert_int_equal(fx->t.summary_within_min, 30 * 1440);
	free(reordered);
	char *seven = with(good, "\"30d\"", "\"7d12h\"");
	load_ok(fx, seven);
	assert_int_equal(fx->t.summary_within_min, 7 * 1440 + 720);
	free(seven);
	/* a tier without hops or notify list is allowed (nothing to report) */
	char *quiet = with(good, "    notify = [ \"带班领导\" ];\n    hops = ( { id = \"assess\"; to = \"带班领导（研判定级）\"; "
				 "within = \"1h\"; } );\n", "");
	load_ok(fx, quiet);
	assert_int_equal(fx->t.tier[DD_TIER_UNASSESSED].n_hops, 0);
	assert_int_equal(fx->t.tier[DD_TIER_UNASSESSED].n_notify, 0);
	assert_int_equal(fx->t.tier[DD_TIER_IV].n_hops, 2);
	free(quiet);
}

/* The shipped rules carry the deadlines of the CAC measures (2025). */
static void test_load_shipped(void **state)
{
	struct fx *fx = *state;
	char path[1024];
	const char *slash = strrchr(__FILE__, '/');
	/* __FILE__ is tests/unit/test_tiers.c as make compiles it from the top */
	snprintf(path, sizeof path, "%.*s/../../data/tiers.conf", slash ? (int)(slash - __FILE__) : 1,
		 slash ? __FILE__ : ".");
	struct dd_error err = { 0, "" };
	if (tiers_load(path, &fx->t, &err))
		fail_msg("%s: %s (run from the top of the tree)", path, err.msg);
	const struct dd_tiers *t = &fx->t;
	assert_int_equal(t->summary_within_min, 30 * 1440);
	for (int tier = DD_TIER_IV; tier <= DD_TIER_I; tier++) {
		const struct dd_hop_rule *first = &t->tier[tier].hops[0];
		assert_string_equal(first->id, "district");
		assert_int_equal(first->within_min, 4 * 60);
		assert_int_equal(first->cii_within_min, 60);
		assert_string_equal(first->after, "");
	}
	/* 重大 and 特别重大: onward to 网信办 within 1 more hour */
	for (int tier = DD_TIER_II; tier <= DD_TIER_I; tier++) {
		const struct dd_hop_rule *cac = &t->tier[tier].hops[2];
		assert_string_equal(cac->id, "cac");
		assert_string_equal(cac->after, "commission");
		assert_int_equal(cac->within_min, 60);
	}
	assert_int_equal(t->tier[DD_TIER_II].n_notify, 8);
	assert_int_equal(t->tier[DD_TIER_I].n_hops, 4);
}

static void test_load_missing_file(void **state)
{
	struct fx *fx = *state;
	struct dd_error err = { 0, "" };
	assert_int_equal(tiers_load(fx->path, &fx->t, &err), DD_ECONFIG);
	char want[600];
	snprintf(want, sizeof want, "%s: cannot read the tier rules", fx->path);
	assert_string_equal(err.msg, want);
}

static void test_syntax_error(void **state)
{
	struct fx *fx = *state;
	/* a setting without a value: libconfig's own message, at its line */
	expect_bad_edit(fx, "    name_en = \"major (III)\";\n", "    name_en = ;\n", 0, "syntax error");
	expect_bad(fx, "tiers = (\n  { id = \"IV\"; \n", 3, "syntax error");
}

static void test_unknown_tier(void **state)
{
	struct fx *fx = *state;
	expect_bad_edit(fx, "id = \"III\";", "id = \"V\";", 0, "unknown tier");
	/* ids are exact: the Chinese name or another case is not an id */
	expect_bad_edit(fx, "id = \"III\";", "id = \"较大\";", 0, "unknown tier");
	expect_bad_edit(fx, "id = \"III\";", "id = \"iii\";", 0, "unknown tier");
}

static void test_duplicate_tier(void **state)
{
	struct fx *fx = *state;
	/* III renamed II: the real II, defined second, is refused at the
	 * line of its "{" */
	char *text = with(good, "    id = \"III\";\n", "    id = \"II\";\n");
	expect_bad(fx, text, line_of(good, "    id = \"II\";\n") - 1, "II: tier defined twice");
	free(text);
}

static void test_missing_tier(void **state)
{
	struct fx *fx = *state;
	/* drop tier I: the whole last group */
	const char *from = strstr(good, "  {\n    id = \"I\";");
	assert_non_null(from);
	char text[sizeof good];
	snprintf(text, sizeof text, "%.*s);\n", (int)(from - good), good);
	/* the comma left before the dropped group is a syntax error; end the list there */
	char *fixed = with(text, "  },\n);", "  }\n);");
	expect_bad(fx, fixed, line_of(good, "tiers = ("), "tier I is missing");
	free(fixed);
	/* no tiers at all */
	expect_bad(fx, "summary_within = \"30d\";\ntiers = ( );\n", 2, "tier unassessed is missing");
	/* no tiers setting: there is no line to name */
	write_file(fx, "summary_within = \"30d\";\n");
	struct dd_error err = { 0, "" };
	assert_int_equal(tiers_load(fx->path, &fx->t, &err), DD_ECONFIG);
	char want[600];
	snprintf(want, sizeof want, "%s: tiers: must be a list ( { id = …; … }, … )", fx->path);
	assert_string_equal(err.msg, want);
	/* tiers that is not a list */
	expect_bad(fx, "\n\ntiers = { id = \"IV\"; };\n", 3, "must be a list");
	expect_bad(fx, "tiers = ( \"IV\" );\n", 1, "each tier is a group");
}

static void test_bad_durations(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = { "\"0m\"", "\"-4h\"", "\"4\"", "\"four hours\"", "\"1.5h\"",
					   "\"4h \"", "\"999d\"", NULL };
	const char *old = "within = \"4h\"; cii_within = \"1h\"; },\n      { id = \"commission\"; to = \"市经济信息委\"; within";
	for (int i = 0; bad[i]; i++) {
		char repl[256];
		snprintf(repl, sizeof repl, "within = %s; cii_within = \"1h\"; },\n      { id = \"commission\"; to = "
			 "\"市经济信息委\"; within", bad[i]);
		expect_bad_edit(fx, old, repl, 0, "within: must be a positive duration");
	}
	/* present but empty is not "use the default" */
	expect_bad_edit(fx, "cii_within = \"1h\"", "cii_within = \"\"", 0, "cii_within: must not be empty");
	expect_bad_edit(fx, "within = \"1d\"", "within = \"\"", 0, "within: must not be empty");
	/* cii_within, summary_within: the same rule, the same kind of message */
	expect_bad_edit(fx, "cii_within = \"1h\"", "cii_within = \"0h\"", 0, "cii_within: must be a positive duration");
	expect_bad_edit(fx, "summary_within = \"30d\"", "summary_within = \"30 days\"", 0,
			"summary_within: must be a positive duration");
	/* the line of the setting itself when a hop spans lines */
	expect_bad_edit(fx, "{ id = \"cac\"; to = \"市委网信办\"; within = \"1h\"; after = \"commission\"; }\n    );\n  },",
			"{\n        id = \"cac\";\n        to = \"市委网信办\";\n        within = \"0m\";\n"
			"        after = \"commission\";\n      }\n    );\n  },",
			3, "within: must be a positive duration");
	/* within is required */
	expect_bad_edit(fx, "{ id = \"assess\"; to = \"带班领导（研判定级）\"; within = \"1h\"; }",
			"{ id = \"assess\"; to = \"带班领导（研判定级）\"; }", 0, "within is missing");
}

static void test_bad_hops(void **state)
{
	struct fx *fx = *state;
	/* the same hop id twice in a tier */
	expect_bad_edit(fx, "{ id = \"cac\"; to = \"市委网信办\"; within = \"1h\"; after = \"commission\"; }\n    );\n  },",
			"{ id = \"commission\"; to = \"市委网信办\"; within = \"1h\"; }\n    );\n  },", 0,
			"hop id used twice");
	/* but the same id in another tier is fine (every tier has "district") */
	load_ok(fx, good);
	/* after naming a later hop, an unknown one, or itself */
	const char *iv_district = "{ id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
				  "      { id = \"filing\"";
	char repl[300];
	snprintf(repl, sizeof repl, "{ id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; after = \"filing\"; },\n"
		 "      { id = \"filing\"");
	expect_bad_edit(fx, iv_district, repl, 0, "after must name an earlier hop");
	expect_bad_edit(fx, "after = \"district\"", "after = \"distrct\"", 0, "after must name an earlier hop");
	expect_bad_edit(fx, "after = \"district\"", "after = \"filing\"", 0, "after must name an earlier hop");
	/* hop ids: lowercase letters, digits and - only */
	expect_bad_edit(fx, "id = \"assess\"", "id = \"Assess\"", 0, "id must be lowercase");
	expect_bad_edit(fx, "id = \"assess\"", "id = \"as sess\"", 0, "id must be lowercase");
	expect_bad_edit(fx, "id = \"assess\"", "id = \"\"", 0, "hops[0].id: must not be empty");
	expect_bad_edit(fx, "id = \"assess\"", "id = \"abcdefghijklmnopqrstuvwxyz0123456\"", 0, "id: too long");
	/* a hop without id or to */
	expect_bad_edit(fx, "{ id = \"assess\"; to", "{ to", 0, "hops[0].id: missing");
	expect_bad_edit(fx, "to = \"带班领导（研判定级）\"; ", "", 0, "hops[0].to: missing");
	/* an empty `to` would make every event with this chain invalid */
	expect_bad_edit(fx, "to = \"带班领导（研判定级）\"", "to = \"\"", 0, "hops[0].to: must not be empty");
	/* too many hops */
	char many[2048] = "hops = (";
	for (int i = 0; i < DD_HOPS_MAX + 1; i++) {
		size_t len = strlen(many);
		snprintf(many + len, sizeof many - len, "%s{ id = \"h%d\"; to = \"x\"; within = \"1h\"; }", i ? ", " : " ", i);
	}
	strcat(many, " );");
	expect_bad_edit(fx, "hops = ( { id = \"assess\"; to = \"带班领导（研判定级）\"; within = \"1h\"; } );", many, 0,
			"too many hops");
	/* exactly the maximum is fine */
	char eight[2048] = "hops = (";
	for (int i = 0; i < DD_HOPS_MAX; i++) {
		size_t len = strlen(eight);
		snprintf(eight + len, sizeof eight - len, "%s{ id = \"h%d\"; to = \"x\"; within = \"%dm\"; }", i ? ", " : " ",
			 i, i + 1);
	}
	strcat(eight, " );");
	char *text = with(good, "hops = ( { id = \"assess\"; to = \"带班领导（研判定级）\"; within = \"1h\"; } );", eight);
	load_ok(fx, text);
	free(text);
	assert_int_equal(fx->t.tier[DD_TIER_UNASSESSED].n_hops, DD_HOPS_MAX);
	assert_int_equal(fx->t.tier[DD_TIER_UNASSESSED].hops[7].within_min, 8);
}

static void test_wrong_types(void **state)
{
	struct fx *fx = *state;
	/* durations are strings with a unit, not numbers */
	expect_bad_edit(fx, "within = \"1d\"", "within = 1440", 0, "within: must be a string");
	expect_bad_edit(fx, "summary_within = \"30d\"", "summary_within = 30", 0, "summary_within: must be a string");
	expect_bad_edit(fx, "name_zh = \"一般\"", "name_zh = 4", 0, "name_zh: must be a string");
	expect_bad_edit(fx, "id = \"IV\"", "id = 4", 0, "tier.id: must be a string");
	expect_bad_edit(fx, "after = \"district\"", "after = true", 0, "after: must be a string");
	expect_bad_edit(fx, "lead = \"在国家有关部门、市委、市政府统一领导和指挥下开展应急处置\"", "lead = [ \"市委\" ]", 0,
			"lead: must be a string");
	/* hops: a list of groups */
	expect_bad_edit(fx, "hops = ( { id = \"assess\"; to = \"带班领导（研判定级）\"; within = \"1h\"; } );",
			"hops = \"assess\";", 0, "hops: must be a list");
	expect_bad_edit(fx, "hops = ( { id = \"assess\"; to = \"带班领导（研判定级）\"; within = \"1h\"; } );",
			"hops = ( \"assess\" );", 0, "hops[0]: must be a group");
	/* notify: a list of strings */
	expect_bad_edit(fx, "notify = [ \"带班领导\" ];", "notify = \"带班领导\";", 0, "notify: must be a list");
	expect_bad_edit(fx, "notify = [ \"带班领导\" ];", "notify = [ 1, 2 ];", 0, "notify: each name must be a string");
	/* required names */
	/* a missing setting: the line of its group's "{" */
	char *text = with(good, "    colour = \"tier-iii\";\n", "");
	expect_bad(fx, text, line_of(good, "    id = \"III\";\n") - 1, "tier III.colour: missing");
	free(text);
	expect_bad_edit(fx, "name_en = \"critical (I)\"", "name_en = \"\"", 0, "tier I.name_en: must not be empty");
	/* text that is not UTF-8 */
	expect_bad_edit(fx, "name_zh = \"重大\"", "name_zh = \"\xe9\x87\"", 0, "name_zh: too long or not valid UTF-8");
	/* a misspelt setting would silently lose a rule, so it is refused */
	expect_bad_edit(fx, "cii_within = \"1h\"; },\n      { id = \"filing\"", "cii_witin = \"1h\"; },\n      { id = \"filing\"",
			0, "cii_witin: unknown setting");
	expect_bad_edit(fx, "    colour = \"tier-ii\";\n", "    color = \"tier-ii\";\n", 0, "color: unknown setting");
	expect_bad(fx, "summary_within = \"30d\";\nsumary = 1;\n", 2, "sumary: unknown setting");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_tier_ids_and_parse),
		TEST(test_duration_parse),
		TEST(test_load_good),
		TEST(test_load_shipped),
		TEST(test_load_missing_file),
		TEST(test_syntax_error),
		TEST(test_unknown_tier),
		TEST(test_duplicate_tier),
		TEST(test_missing_tier),
		TEST(test_bad_durations),
		TEST(test_bad_hops),
		TEST(test_wrong_types),
	};
	if (getenv("DD_TEST_FILTER"))
		cmocka_set_test_filter(getenv("DD_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
