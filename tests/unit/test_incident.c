/*
 * test_incident.c — unit tests for incidents: the rules of core/incident.c
 * (status machine, who may confirm a tier, hops, corrections, duplicates,
 * summary) and the projection and queries of core/store_incident.c
 * (deadline arithmetic, the queue's order, filters and keyset pages,
 * last-writer-wins across consoles, rebuild equals incremental).
 *
 * Every test works in its own mkdtemp() folder (on /dev/shm when it can:
 * every commit is fsynced) with a tiers.conf it writes there, so the
 * numbers asserted here are the file's, not whatever data/tiers.conf says
 * today.  Times are fixed instants in the past (the rules refuse a
 * detection in the future); where the code stamps the wall clock (the
 * close that starts the summary deadline) the test reads the stamp back
 * from the event instead of guessing it.
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
#include <time.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/store.h"
#include "dutydesk/tiers.h"
#include "dutydesk/timefmt.h"
#include "tempdir.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

/* The reporting rules of the CAC measures, as the shipped file has them. */
static const char tiers_conf[] =
	"summary_within = \"30d\";\n"
	"tiers = (\n"
	"  { id = \"unassessed\"; name_zh = \"未定级\"; name_en = \"unassessed\"; colour = \"tier-unassessed\";\n"
	"    lead = \"值班带班领导组织研判定级\"; notify = [ \"带班领导\" ];\n"
	"    hops = ( { id = \"assess\"; to = \"带班领导（研判定级）\"; within = \"1h\"; } ); },\n"
	"  { id = \"IV\"; name_zh = \"一般\"; name_en = \"general (IV)\"; colour = \"tier-iv\";\n"
	"    lead = \"区县经信主管部门牵头处置\";\n"
	"    hops = ( { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"             { id = \"filing\"; to = \"市经济信息委（报备）\"; within = \"1d\"; after = \"district\"; } ); },\n"
	"  { id = \"III\"; name_zh = \"较大\"; name_en = \"major (III)\"; colour = \"tier-iii\";\n"
	"    lead = \"区县经信主管部门牵头处置\";\n"
	"    hops = ( { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"             { id = \"commission\"; to = \"市经济信息委\"; within = \"4h\"; cii_within = \"1h\"; } ); },\n"
	"  { id = \"II\"; name_zh = \"重大\"; name_en = \"serious (II)\"; colour = \"tier-ii\";\n"
	"    lead = \"八部门应急指挥机构\";\n"
	"    hops = ( { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"             { id = \"commission\"; to = \"市经济信息委\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"             { id = \"cac\"; to = \"市委网信办\"; within = \"1h\"; after = \"commission\"; } ); },\n"
	"  { id = \"I\"; name_zh = \"特别重大\"; name_en = \"critical (I)\"; colour = \"tier-i\";\n"
	"    lead = \"国家有关部门、市委、市政府统一领导\";\n"
	"    hops = ( { id = \"district\"; to = \"区县经信主管部门\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"             { id = \"commission\"; to = \"市经济信息委\"; within = \"4h\"; cii_within = \"1h\"; },\n"
	"             { id = \"cac\"; to = \"市委网信办\"; within = \"1h\"; after = \"commission\"; },\n"
	"             { id = \"miit\"; to = \"工业和信息化部\"; within = \"2h\"; after = \"commission\"; } ); }\n"
	");\n";

/* ---- fixture: a temp folder, tier rules, a config, a store ------------ */

struct fx {
	char dir[256];
	char db[PATH_MAX];
	struct dd_store *st;
	struct dd_config cfg;
	struct dd_tiers tiers;
};

static void write_tiers(struct fx *fx, const char *text)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/tiers.conf", fx->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	struct dd_error err = { 0, "" };
	if (tiers_load(path, &fx->tiers, &err))
		fail_msg("tiers_load: %s", err.msg);
}

static void make_config(struct fx *fx, struct dd_config *cfg, const char *db, const char *tz)
{
	config_defaults(cfg);
	snprintf(cfg->path, sizeof cfg->path, "%s/dutydesk.conf", fx->dir);
	uuid7_new(time_now_ms(), cfg->origin);
	snprintf(cfg->officer, sizeof cfg->officer, "张伟");
	snprintf(cfg->org, sizeof cfg->org, "cq.center");
	snprintf(cfg->database, sizeof cfg->database, "%s", db);
	snprintf(cfg->timezone, sizeof cfg->timezone, "%s", tz);
	snprintf(cfg->role, sizeof cfg->role, "officer");
}

static struct dd_store *open_db(const char *path)
{
	struct dd_store *st = NULL;
	struct dd_error err = { 0, "" };
	if (store_open(path, DD_STORE_CREATE, &st, &err))
		fail_msg("store_open %s: %s", path, err.msg);
	return st;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-incident-XXXXXX", tempdir_base());
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->db, sizeof fx->db, "%s/dutydesk.db", fx->dir);
	make_config(fx, &fx->cfg, fx->db, "Asia/Shanghai");
	write_tiers(fx, tiers_conf);
	fx->st = open_db(fx->db);
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

/* ---- helpers ------------------------------------------------------------ */

static int64_t at(const char *rfc3339)
{
	int64_t ms;
	if (time_parse_rfc3339(rfc3339, &ms, NULL) != 0)
		fail_msg("test bug: bad time %s", rfc3339);
	return ms;
}

static void ok(int rc, const struct dd_error *err, const char *what)
{
	if (rc)
		fail_msg("%s: %d %s", what, rc, err->msg);
}

/* Expects a refusal with code and a message containing needle, and that
 * nothing was stored. */
static void refused(struct fx *fx, int64_t events_before, int rc, const struct dd_error *err, int code,
		    const char *needle)
{
	if (rc != code || !strstr(err->msg, needle))
		fail_msg("rc %d '%s'; want %d with '%s'", rc, err->msg, code, needle);
	assert_int_equal(store_event_count(fx->st), events_before);
}

static void open_in(struct fx *fx, struct dd_store *st, const struct dd_config *cfg, const char *title,
		    const char *org, int64_t detected, bool cii, char id[DD_UUID_LEN + 1])
{
	struct dd_incident_new in = {
		.title = title, .category = "intrusion", .reporting_org = org, .cii = cii, .detected_ms = detected,
	};
	struct dd_error err;
	ok(incident_open(st, cfg, &fx->tiers, &in, id, &err), &err, "incident_open");
}

static void open_inc(struct fx *fx, const char *title, const char *org, int64_t detected, bool cii,
		     char id[DD_UUID_LEN + 1])
{
	open_in(fx, fx->st, &fx->cfg, title, org, detected, cii, id);
}

static int set_status(struct fx *fx, const char *id, int to, const char *note, struct dd_error *err)
{
	return incident_set_status(fx->st, &fx->cfg, &fx->tiers, id, to, note, err);
}

static void status_ok(struct fx *fx, const char *id, int to)
{
	struct dd_error err;
	ok(set_status(fx, id, to, "处置进展", &err), &err, incident_status_id(to));
}

/* Sets the tier as role ("officer" or "leader"). */
static int tier_as(struct fx *fx, const char *role, const char *id, bool confirm, int tier, struct dd_error *err)
{
	snprintf(fx->cfg.role, sizeof fx->cfg.role, "%s", role);
	int rc = incident_set_tier(fx->st, &fx->cfg, &fx->tiers, id, confirm, tier, "研判依据：影响范围", err);
	snprintf(fx->cfg.role, sizeof fx->cfg.role, "officer");
	return rc;
}

static void propose(struct fx *fx, const char *id, int tier)
{
	struct dd_error err;
	ok(tier_as(fx, "officer", id, false, tier, &err), &err, "propose");
}

static int hop(struct fx *fx, const char *id, const char *name, int64_t made, struct dd_error *err)
{
	return incident_record_hop(fx->st, &fx->cfg, id, name, NULL, "phone", made, NULL, err);
}

static void hop_ok(struct fx *fx, const char *id, const char *name, int64_t made)
{
	struct dd_error err;
	ok(hop(fx, id, name, made, &err), &err, name);
}

static void get(struct fx *fx, const char *id, struct dd_incident *in)
{
	struct dd_error err;
	ok(store_incident_get(fx->st, id, in, &err), &err, "store_incident_get");
}

/* The chain of id as "hop@due[/made]" joined by spaces, times as ms
 * offsets from base in minutes, so one string states every deadline. */
static void chain(struct fx *fx, const char *id, int64_t base, char *out, size_t n)
{
	struct dd_hop_state hops[DD_HOPS_MAX];
	int count;
	struct dd_error err;
	ok(store_incident_hops(fx->st, id, hops, &count, &err), &err, "store_incident_hops");
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < count && len < n; i++) {
		len += (size_t)snprintf(out + len, n - len, "%s%s@%lld", i ? " " : "", hops[i].hop,
					(long long)((hops[i].due_ms - base) / MIN_MS));
		if (hops[i].done_ms && len < n)
			len += (size_t)snprintf(out + len, n - len, "/%lld", (long long)((hops[i].done_ms - base) / MIN_MS));
	}
}

static void expect_chain(struct fx *fx, const char *id, int64_t base, const char *want)
{
	char got[512];
	chain(fx, id, base, got, sizeof got);
	assert_string_equal(got, want);
}

static void digest(struct dd_store *st, char out[DD_HASH_HEX + 1])
{
	struct dd_error err;
	ok(store_digest(st, out, &err), &err, "store_digest");
}

/* ---- timelines -------------------------------------------------------- */

struct tl {
	int n;
	char ids[64][DD_UUID_LEN + 1];
	char kinds[64][DD_KIND_MAX + 1];
	char text[64][256];      /* body "text", "to" or "tier", whichever there is */
	char corrects[64][DD_UUID_LEN + 1];
	int64_t at_ms[64];
	int64_t summary_within[64];
};

static int tl_cb(const struct dd_event *ev, void *p)
{
	struct tl *t = p;
	if (t->n == 64)
		return 1;
	int i = t->n++;
	snprintf(t->ids[i], sizeof t->ids[i], "%s", ev->id);
	snprintf(t->kinds[i], sizeof t->kinds[i], "%s", ev->kind);
	const char *s = json_string_value(json_object_get(ev->body, "text"));
	if (!s)
		s = json_string_value(json_object_get(ev->body, "to"));
	if (!s)
		s = json_string_value(json_object_get(ev->body, "tier"));
	snprintf(t->text[i], sizeof t->text[i], "%s", s ? s : "");
	s = json_string_value(json_object_get(ev->body, "corrects"));
	snprintf(t->corrects[i], sizeof t->corrects[i], "%s", s ? s : "");
	t->summary_within[i] = json_integer_value(json_object_get(ev->body, "summary_within_min"));
	assert_int_equal(time_parse_rfc3339(ev->at, &t->at_ms[i], NULL), 0);
	return 0;
}

static void timeline(struct fx *fx, const char *id, struct tl *t)
{
	memset(t, 0, sizeof *t);
	struct dd_error err;
	ok(store_incident_timeline(fx->st, id, tl_cb, t, &err), &err, "store_incident_timeline");
}

/* ---- events of a database, by origin ------------------------------------ */

/* Every event of origin in the database at path, encoded, in seq order. */
static char **origin_events(const char *path, const char *origin, int *n)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT id, origin, seq, hlc, at, actor, org, kind, subject, drill, body, prev, hash"
			       " FROM events WHERE origin = ? ORDER BY seq", -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
	int cap = 256, count = 0;
	char **out = malloc(sizeof *out * (size_t)cap);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *body = json_loads((const char *)sqlite3_column_text(s, 10), 0, NULL);
		assert_non_null(body);
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:s}", "id",
				      sqlite3_column_text(s, 0), "origin", sqlite3_column_text(s, 1), "seq",
				      (json_int_t)sqlite3_column_int64(s, 2), "hlc", (json_int_t)sqlite3_column_int64(s, 3),
				      "at", sqlite3_column_text(s, 4), "actor", sqlite3_column_text(s, 5), "org",
				      sqlite3_column_text(s, 6), "kind", sqlite3_column_text(s, 7), "subject",
				      sqlite3_column_text(s, 8), "drill", sqlite3_column_int(s, 9), "body", body, "prev",
				      sqlite3_column_text(s, 11), "hash", sqlite3_column_text(s, 12));
		assert_non_null(o);
		if (count == cap)
			out = realloc(out, sizeof *out * (size_t)(cap *= 2));
		out[count++] = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	*n = count;
	return out;
}

static void free_events(char **evs, int n)
{
	for (int i = 0; i < n; i++)
		free(evs[i]);
	free(evs);
}

/* Appends evs[from..to) to st as events from elsewhere. */
static void apply_remote(struct dd_store *st, char **evs, int from, int to)
{
	for (int i = from; i < to; i++) {
		struct dd_event ev;
		struct dd_error err;
		if (event_decode(evs[i], strlen(evs[i]), &ev, &err))
			fail_msg("event %d does not decode: %s", i, err.msg);
		if (store_append_remote(st, &ev, &err))
			fail_msg("remote append %d (%s): %s", i, ev.kind, err.msg);
		event_free(&ev);
	}
}

/* ---- deterministic random input ----------------------------------------- */

static uint64_t rng_state;
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rng() % n);
}

/* ---- the status machine --------------------------------------------------- */

static void test_transition_table(void **state)
{
	(void)state;
	/* rows: from; columns: to; in the order reported … reviewed */
	static const bool valid[DD_STATUSES][DD_STATUSES] = {
		/* reported */ { false, true, false, false, true, false },
		/* assessing */ { false, false, true, false, true, false },
		/* responding */ { false, false, false, true, true, false },
		/* recovering */ { false, false, false, false, true, false },
		/* closed */ { false, false, true, false, false, true },
		/* reviewed */ { false, false, false, false, false, false },
	};
	for (int from = -1; from <= DD_STATUSES; from++)
		for (int to = -1; to <= DD_STATUSES; to++) {
			bool want = from >= 0 && from < DD_STATUSES && to >= 0 && to < DD_STATUSES && valid[from][to];
			if (incident_transition_valid(from, to) != want)
				fail_msg("%s → %s: %d, want %d", incident_status_id(from), incident_status_id(to),
					 incident_transition_valid(from, to), want);
		}
	static const char *const names[] = { "reported", "assessing", "responding", "recovering", "closed", "reviewed" };
	for (int s = 0; s < DD_STATUSES; s++) {
		assert_int_equal(incident_status_parse(names[s]), s);
		assert_string_equal(incident_status_id(s), names[s]);
		assert_int_equal(incident_status_open(s), s < DD_ST_CLOSED);
	}
	assert_string_equal(incident_status_id(-1), "?");
	assert_string_equal(incident_status_id(DD_STATUSES), "?");
	assert_int_equal(incident_status_parse("Closed"), -1);
	assert_int_equal(incident_status_parse(""), -1);
	assert_int_equal(incident_status_parse("open"), -1);
}

static void test_status_changes(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1], other[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "某水务公司SCADA异常登录", "cq.yubei.water-01", d, false, id);
	open_inc(fx, "某燃气公司HMI告警", "cq.fuling.gas-02", d, false, other);
	struct dd_incident in;
	get(fx, id, &in);
	assert_int_equal(in.status, DD_ST_REPORTED);
	int64_t n = store_event_count(fx->st);
	struct dd_error err;

	/* each change needs a note */
	refused(fx, n, set_status(fx, id, DD_ST_ASSESSING, "  ", &err), &err, DD_EINVAL, "note is empty");
	refused(fx, n, set_status(fx, id, DD_ST_ASSESSING, NULL, &err), &err, DD_EINVAL, "note is empty");
	/* no skipping ahead, no going back, reviewed only from closed */
	refused(fx, n, set_status(fx, id, DD_ST_RECOVERING, "跳过", &err), &err, DD_EINVAL,
		"an incident that is reported cannot become recovering");
	refused(fx, n, set_status(fx, id, DD_ST_REPORTED, "原地", &err), &err, DD_EINVAL, "cannot become reported");
	refused(fx, n, set_status(fx, id, DD_ST_REVIEWED, "复盘", &err), &err, DD_EINVAL, "cannot become reviewed");
	refused(fx, n, set_status(fx, id, 99, "?", &err), &err, DD_EINVAL, "cannot become ?");

	status_ok(fx, id, DD_ST_ASSESSING);
	status_ok(fx, id, DD_ST_RESPONDING);
	refused(fx, n + 2, set_status(fx, id, DD_ST_ASSESSING, "回退", &err), &err, DD_EINVAL,
		"responding cannot become assessing");
	status_ok(fx, id, DD_ST_RECOVERING);
	status_ok(fx, id, DD_ST_CLOSED);
	get(fx, id, &in);
	assert_int_equal(in.status, DD_ST_CLOSED);
	assert_true(in.handling_end_ms > 0);
	n = store_event_count(fx->st);

	/* reviewed requires the summary, which requires the close */
	refused(fx, n, set_status(fx, id, DD_ST_REVIEWED, "复盘完成", &err), &err, DD_EINVAL,
		"reviewed needs the post-incident summary first");
	struct dd_incident_summary sum = {
		.cause = "弱口令被利用", .response = "隔离主机、重置口令", .harm = "无生产影响", .accountability = "运维外包方",
		.rectification = "启用双因素认证", .lessons = "定期口令审计",
	};
	refused(fx, n, incident_summary(fx->st, &fx->cfg, other, &sum, &err), &err, DD_EINVAL,
		"close the incident first");
	struct dd_incident_summary partial = sum;
	partial.lessons = "";
	refused(fx, n, incident_summary(fx->st, &fx->cfg, id, &partial, &err), &err, DD_EINVAL, "lessons is empty");

	/* reopened: it flared up again; handling has not ended after all */
	status_ok(fx, id, DD_ST_RESPONDING);
	get(fx, id, &in);
	assert_int_equal(in.status, DD_ST_RESPONDING);
	assert_int_equal(in.handling_end_ms, 0);
	assert_int_equal(in.summary_due_ms, 0);
	status_ok(fx, id, DD_ST_CLOSED);
	ok(incident_summary(fx->st, &fx->cfg, id, &sum, &err), &err, "summary");
	status_ok(fx, id, DD_ST_REVIEWED);
	get(fx, id, &in);
	assert_int_equal(in.status, DD_ST_REVIEWED);
	assert_true(in.has_summary);
	n = store_event_count(fx->st);

	/* reviewed is final, for the status and the tier */
	for (int to = 0; to < DD_STATUSES; to++)
		refused(fx, n, set_status(fx, id, to, "再开", &err), &err, DD_EINVAL, "an incident that is reviewed cannot");
	refused(fx, n, tier_as(fx, "leader", id, true, DD_TIER_II, &err), &err, DD_EINVAL, "reviewed");

	/* an incident that does not exist */
	refused(fx, n, set_status(fx, "01900000-0000-7000-8000-000000000000", DD_ST_ASSESSING, "x", &err), &err,
		DD_EINVAL, "no incident 01900000-0000-7000-8000-000000000000");

	/* the history: every status event, in order, with its note */
	struct tl t;
	timeline(fx, id, &t);
	static const char *const want[] = { "incident.open", "incident.status", "incident.status", "incident.status",
					    "incident.status", "incident.status", "incident.status", "incident.summary",
					    "incident.status" };
	static const char *const to[] = { "", "assessing", "responding", "recovering", "closed", "responding", "closed",
					  "", "reviewed" };
	assert_int_equal(t.n, 9);
	for (int i = 0; i < t.n; i++) {
		assert_string_equal(t.kinds[i], want[i]);
		if (to[i][0])
			assert_string_equal(t.text[i], to[i]);
	}
}

static void test_open_validation(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char id[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	struct dd_incident_new in = { .title = "标题", .category = "malware", .detected_ms = d };
	struct dd_incident_new bad = in;
	bad.category = "fire";
	refused(fx, 0, incident_open(fx->st, &fx->cfg, &fx->tiers, &bad, id, &err), &err, DD_EINVAL,
		"category must be one of");
	bad.category = NULL;
	refused(fx, 0, incident_open(fx->st, &fx->cfg, &fx->tiers, &bad, id, &err), &err, DD_EINVAL,
		"category must be one of");
	bad = in;
	bad.reporting_org = "CQ.Yubei";
	refused(fx, 0, incident_open(fx->st, &fx->cfg, &fx->tiers, &bad, id, &err), &err, DD_EINVAL,
		"reporting org 'CQ.Yubei' is not an org id");
	bad = in;
	bad.detected_ms = time_now_ms() + HOUR_MS;
	refused(fx, 0, incident_open(fx->st, &fx->cfg, &fx->tiers, &bad, id, &err), &err, DD_EINVAL,
		"detected time is in the future");
	bad = in;
	bad.occurred_ms = d + 1;
	refused(fx, 0, incident_open(fx->st, &fx->cfg, &fx->tiers, &bad, id, &err), &err, DD_EINVAL,
		"cannot have occurred after it was detected");
	bad = in;
	bad.title = " \t\n";
	refused(fx, 0, incident_open(fx->st, &fx->cfg, &fx->tiers, &bad, id, &err), &err, DD_EINVAL, "title is empty");
	char long_title[400];
	memset(long_title, 'x', 301);
	long_title[301] = '\0';
	bad.title = long_title;
	refused(fx, 0, incident_open(fx->st, &fx->cfg, &fx->tiers, &bad, id, &err), &err, DD_EINVAL,
		"title is 301 bytes; at most 300");
	/* the desk must be set up */
	struct dd_config blank = fx->cfg;
	blank.officer[0] = '\0';
	refused(fx, 0, incident_open(fx->st, &blank, &fx->tiers, &in, id, &err), &err, DD_ECONFIG, "run `dutydesk init`");

	/* what is stored: cleaned text, the desk's org when none is given */
	struct dd_incident_new good = {
		.title = "  某汽车零部件公司MES遭勒索\x1b[31m  ", .category = "malware", .objects = "MES服务器 ×3",
		.reporter = "王工 138-0000-0000", .occurred_ms = d - 30 * MIN_MS, .detected_ms = d, .cii = true,
		.description = "生产线停线",
	};
	int64_t before = time_now_ms();
	ok(incident_open(fx->st, &fx->cfg, &fx->tiers, &good, id, &err), &err, "open");
	assert_true(uuid_valid(id, true));
	struct dd_incident got;
	get(fx, id, &got);
	assert_string_equal(got.title, "某汽车零部件公司MES遭勒索\x1b[31m");
	assert_string_equal(got.category, "malware");
	assert_string_equal(got.reporting_org, "cq.center");
	assert_string_equal(got.district, "");   /* the centre is no district */
	assert_string_equal(got.objects, "MES服务器 ×3");
	assert_string_equal(got.reporter, "王工 138-0000-0000");
	assert_string_equal(got.description, "生产线停线");
	assert_true(got.cii);
	assert_int_equal(got.occurred_ms, d - 30 * MIN_MS);
	assert_int_equal(got.detected_ms, d);
	assert_true(got.opened_ms >= before - 1 && got.opened_ms <= time_now_ms());
	assert_string_equal(got.opened_by, "张伟");
	assert_int_equal(got.status, DD_ST_REPORTED);
	assert_int_equal(got.proposed_tier, -1);
	assert_int_equal(got.confirmed_tier, -1);
	assert_int_equal(got.tier, DD_TIER_UNASSESSED);
	assert_string_equal(got.duplicate_of, "");
	assert_int_equal(got.n_reports, 0);
	assert_int_equal(got.drill, 0);
	/* the unassessed chain: grade within the hour */
	assert_int_equal(got.next_due_ms, d + HOUR_MS);
	assert_string_equal(got.next_due_what, "assess");
	assert_int_equal(store_event_count(fx->st), 1);

	/* the district is the org's cq.<district>; detection defaults to now */
	struct dd_incident_new plain = { .title = "t", .category = "other", .reporting_org = "cq.yubei.water-01" };
	before = time_now_ms();
	ok(incident_open(fx->st, &fx->cfg, &fx->tiers, &plain, id, &err), &err, "open");
	get(fx, id, &got);
	assert_string_equal(got.district, "cq.yubei");
	assert_true(got.detected_ms >= before && got.detected_ms <= time_now_ms());
	assert_int_equal(got.occurred_ms, 0);
	plain.reporting_org = "cq.yubei";
	ok(incident_open(fx->st, &fx->cfg, &fx->tiers, &plain, id, &err), &err, "open");
	get(fx, id, &got);
	assert_string_equal(got.district, "cq.yubei");
	plain.reporting_org = "cq.support.sec-lab";
	ok(incident_open(fx->st, &fx->cfg, &fx->tiers, &plain, id, &err), &err, "open");
	get(fx, id, &got);
	assert_string_equal(got.district, "");
}

/* ---- tiers and who may set them --------------------------------------- */

static void test_tier_roles(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "某电力公司DCS异常", "cq.jiangjin.power-01", d, false, id);
	struct dd_error err;
	struct dd_incident in;
	int64_t n = store_event_count(fx->st);

	/* an officer proposes */
	ok(tier_as(fx, "officer", id, false, DD_TIER_III, &err), &err, "propose III");
	get(fx, id, &in);
	assert_int_equal(in.proposed_tier, DD_TIER_III);
	assert_int_equal(in.confirmed_tier, -1);
	assert_int_equal(in.tier, DD_TIER_III);
	n++;
	/* but may not confirm: nothing stored */
	refused(fx, n, tier_as(fx, "officer", id, true, DD_TIER_III, &err), &err, DD_EINVAL,
		"only a shift leader (role = \"leader\") may confirm a tier");
	get(fx, id, &in);
	assert_int_equal(in.confirmed_tier, -1);
	/* a leader may, and the confirmed tier is the tier */
	ok(tier_as(fx, "leader", id, true, DD_TIER_II, &err), &err, "confirm II");
	get(fx, id, &in);
	assert_int_equal(in.proposed_tier, DD_TIER_III);
	assert_int_equal(in.confirmed_tier, DD_TIER_II);
	assert_int_equal(in.tier, DD_TIER_II);
	n++;
	/* a later proposal is recorded but does not override the confirmation */
	ok(tier_as(fx, "officer", id, false, DD_TIER_I, &err), &err, "propose I");
	get(fx, id, &in);
	assert_int_equal(in.proposed_tier, DD_TIER_I);
	assert_int_equal(in.confirmed_tier, DD_TIER_II);
	assert_int_equal(in.tier, DD_TIER_II);
	n++;
	/* a leader lowers it again: the chain follows the confirmed tier */
	ok(tier_as(fx, "leader", id, true, DD_TIER_IV, &err), &err, "confirm IV");
	get(fx, id, &in);
	assert_int_equal(in.tier, DD_TIER_IV);
	expect_chain(fx, id, d, "district@240 filing@1680");
	n++;
	/* bad input */
	refused(fx, n, tier_as(fx, "leader", id, true, -1, &err), &err, DD_EINVAL, "unknown tier");
	refused(fx, n, tier_as(fx, "leader", id, true, DD_TIERS, &err), &err, DD_EINVAL, "unknown tier");
	snprintf(fx->cfg.role, sizeof fx->cfg.role, "leader");
	refused(fx, n, incident_set_tier(fx->st, &fx->cfg, &fx->tiers, id, true, DD_TIER_II, "", &err), &err, DD_EINVAL,
		"reason is empty");
	snprintf(fx->cfg.role, sizeof fx->cfg.role, "officer");

	/* the history: each proposal and confirmation, in order */
	struct tl t;
	timeline(fx, id, &t);
	assert_int_equal(t.n, 5);
	static const char *const tiers[] = { "", "III", "II", "I", "IV" };
	for (int i = 1; i < t.n; i++) {
		assert_string_equal(t.kinds[i], "incident.tier");
		assert_string_equal(t.text[i], tiers[i]);
	}
}

/* ---- deadline arithmetic ------------------------------------------------- */

static void test_deadlines_from_detection(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "某化工企业DCS遭入侵", "cq.changshou.chem-01", d, false, id);
	struct dd_incident in;
	expect_chain(fx, id, d, "assess@60");
	propose(fx, id, DD_TIER_II);
	/* district and commission 4 h from detection; cac 1 h after the
	 * commission hop, counted from its due time while it is not made */
	expect_chain(fx, id, d, "district@240 commission@240 cac@300");
	get(fx, id, &in);
	assert_int_equal(in.next_due_ms, d + 240 * MIN_MS);
	assert_string_equal(in.next_due_what, "district");   /* the first of equal deadlines */

	/* the commission is told after 2 h: cac is now due 1 h after that */
	hop_ok(fx, id, "commission", d + 120 * MIN_MS);
	expect_chain(fx, id, d, "district@240 commission@240/120 cac@180");
	get(fx, id, &in);
	assert_int_equal(in.next_due_ms, d + 180 * MIN_MS);
	assert_string_equal(in.next_due_what, "cac");
	hop_ok(fx, id, "cac", d + 150 * MIN_MS);
	get(fx, id, &in);
	assert_int_equal(in.next_due_ms, d + 240 * MIN_MS);
	assert_string_equal(in.next_due_what, "district");
	/* late: made after its deadline; nothing left to report */
	hop_ok(fx, id, "district", d + 310 * MIN_MS);
	expect_chain(fx, id, d, "district@240/310 commission@240/120 cac@180/150");
	get(fx, id, &in);
	assert_int_equal(in.next_due_ms, 0);
	assert_string_equal(in.next_due_what, "");

	/* confirmed lower: III has no cac hop; what was made stays made */
	struct dd_error err;
	ok(tier_as(fx, "leader", id, true, DD_TIER_III, &err), &err, "confirm");
	expect_chain(fx, id, d, "district@240/310 commission@240/120");
	/* and raised to I: miit counts from the commission hop too */
	ok(tier_as(fx, "leader", id, true, DD_TIER_I, &err), &err, "confirm");
	expect_chain(fx, id, d, "district@240/310 commission@240/120 cac@180/150 miit@240");
	get(fx, id, &in);
	assert_int_equal(in.next_due_ms, d + 240 * MIN_MS);
	assert_string_equal(in.next_due_what, "miit");

	/* a hop made before the after-hop's deadline, with the after-hop
	 * never made: counted from its due time */
	char id2[DD_UUID_LEN + 1];
	open_inc(fx, "某笔电代工厂MES异常", "cq.shapingba.ent-02", d, false, id2);
	propose(fx, id2, DD_TIER_IV);
	expect_chain(fx, id2, d, "district@240 filing@1680");
	hop_ok(fx, id2, "filing", d + 60 * MIN_MS);
	expect_chain(fx, id2, d, "district@240 filing@1680/60");
	hop_ok(fx, id2, "district", d + 30 * MIN_MS);
	expect_chain(fx, id2, d, "district@240/30 filing@1470/60");
}

static void test_deadlines_cii(void **state)
{
	struct fx *fx = *state;
	char cii[DD_UUID_LEN + 1], plain[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "某水务公司关键信息基础设施遭入侵", "cq.yubei.water-01", d, true, cii);
	open_inc(fx, "某汽车零部件公司PLC异常", "cq.yubei.auto-02", d, false, plain);
	/* unassessed has no cii_within: the same hour for both */
	expect_chain(fx, cii, d, "assess@60");
	propose(fx, cii, DD_TIER_I);
	propose(fx, plain, DD_TIER_I);
	/* 1 h instead of 4 h for the first report; the onward hops have no
	 * CII deadline of their own and keep theirs */
	expect_chain(fx, cii, d, "district@60 commission@60 cac@120 miit@180");
	expect_chain(fx, plain, d, "district@240 commission@240 cac@300 miit@360");
	hop_ok(fx, cii, "commission", d + 30 * MIN_MS);
	expect_chain(fx, cii, d, "district@60 commission@60/30 cac@90 miit@150");
	struct dd_incident in;
	get(fx, cii, &in);
	assert_true(in.cii);
	assert_int_equal(in.next_due_ms, d + 60 * MIN_MS);
	assert_string_equal(in.next_due_what, "district");

	/* the chain is the one the tier event carried: a later tiers.conf
	 * with other numbers does not move deadlines already set, only the
	 * next tier change takes them */
	char *changed = strdup(tiers_conf);
	char *p = strstr(changed, "cii_within = \"1h\"");
	memcpy(p, "cii_within = \"2h\"", strlen("cii_within = \"2h\""));
	write_tiers(fx, changed);
	free(changed);
	expect_chain(fx, cii, d, "district@60 commission@60/30 cac@90 miit@150");
	struct dd_error err;
	ok(store_rebuild(fx->st, &err), &err, "rebuild");
	expect_chain(fx, cii, d, "district@60 commission@60/30 cac@90 miit@150");
	propose(fx, cii, DD_TIER_IV);
	expect_chain(fx, cii, d, "district@120 filing@1560");
}

static void test_deadlines_midnight_and_zones(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	/* the same detection typed in Chongqing and in UTC */
	int64_t now = time_now_ms(), d_local, d_utc;
	ok(time_parse("2026-03-10 23:30", now, "Asia/Shanghai", &d_local, &err), &err, "parse local");
	ok(time_parse("2026-03-10 15:30", now, "UTC", &d_utc, &err), &err, "parse utc");
	assert_int_equal(d_local, d_utc);
	int64_t d = d_local;
	assert_int_equal(d, at("2026-03-10T15:30:00Z"));

	/* a second console whose configuration says UTC */
	char db2[PATH_MAX];
	snprintf(db2, sizeof db2, "%s/utc.db", fx->dir);
	struct dd_config utc;
	make_config(fx, &utc, db2, "UTC");
	struct dd_store *st2 = open_db(db2);

	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1];
	open_inc(fx, "夜间告警", "cq.yubei.water-01", d, false, a);
	open_in(fx, st2, &utc, "夜间告警", "cq.yubei.water-01", d, false, b);
	propose(fx, a, DD_TIER_IV);
	ok(incident_set_tier(st2, &utc, &fx->tiers, b, false, DD_TIER_IV, "一般", &err), &err, "propose utc");

	/* 23:30 + 4 h is 03:30 the next day in Chongqing, 19:30 the same day in UTC */
	struct dd_hop_state ha[DD_HOPS_MAX], hb[DD_HOPS_MAX];
	int na, nb;
	ok(store_incident_hops(fx->st, a, ha, &na, &err), &err, "hops a");
	ok(store_incident_hops(st2, b, hb, &nb, &err), &err, "hops b");
	assert_int_equal(na, 2);
	assert_int_equal(nb, 2);
	char when[64];
	time_format_local(ha[0].due_ms, "Asia/Shanghai", "%Y-%m-%d %H:%M", when, sizeof when);
	assert_string_equal(when, "2026-03-11 03:30");
	time_format_local(hb[0].due_ms, "UTC", "%Y-%m-%d %H:%M", when, sizeof when);
	assert_string_equal(when, "2026-03-10 19:30");
	time_format_local(ha[1].due_ms, "Asia/Shanghai", "%Y-%m-%d %H:%M", when, sizeof when);
	assert_string_equal(when, "2026-03-12 03:30");
	for (int i = 0; i < 2; i++)
		assert_int_equal(ha[i].due_ms, hb[i].due_ms);

	/* the district office is told at 00:10 the next morning, local time */
	int64_t made;
	ok(time_parse("2026-03-11 00:10", now, "Asia/Shanghai", &made, &err), &err, "parse made");
	assert_int_equal(made, at("2026-03-10T16:10:00Z"));
	hop_ok(fx, a, "district", made);
	ok(incident_record_hop(st2, &utc, b, "district", NULL, "phone", made, NULL, &err), &err, "hop utc");
	ok(store_incident_hops(fx->st, a, ha, &na, &err), &err, "hops a");
	ok(store_incident_hops(st2, b, hb, &nb, &err), &err, "hops b");
	time_format_local(ha[1].due_ms, "Asia/Shanghai", "%Y-%m-%d %H:%M", when, sizeof when);
	assert_string_equal(when, "2026-03-12 00:10");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(ha[i].due_ms, hb[i].due_ms);
		assert_int_equal(ha[i].done_ms, hb[i].done_ms);
	}
	assert_int_equal(ha[0].done_ms, made);
	struct dd_incident ia, ib;
	get(fx, a, &ia);
	ok(store_incident_get(st2, b, &ib, &err), &err, "get utc");
	assert_int_equal(ia.detected_ms, ib.detected_ms);
	assert_int_equal(ia.next_due_ms, ib.next_due_ms);
	assert_int_equal(ia.next_due_ms, at("2026-03-11T16:10:00Z"));

	/* what the events say: the same instant with each console's offset */
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT json_extract(body, '$.detected_at') FROM events"
					    " WHERE kind = 'incident.open'", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "2026-03-10T23:30:00.000+08:00");
	sqlite3_finalize(s);
	sqlite3_close(db);
	assert_int_equal(sqlite3_open_v2(db2, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT json_extract(body, '$.detected_at') FROM events"
					    " WHERE kind = 'incident.open'", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "2026-03-10T15:30:00.000+00:00");
	sqlite3_finalize(s);
	sqlite3_close(db);
	store_close(st2);

	/* durations are exact across a daylight-saving change: 4 h after
	 * 00:30 EST on the night clocks jump from 2 to 3 is 05:30 EDT */
	int64_t ny;
	ok(time_parse("2026-03-08 00:30", now, "America/New_York", &ny, &err), &err, "parse ny");
	char c[DD_UUID_LEN + 1];
	open_inc(fx, "DST", "cq.yubei.water-01", ny, false, c);
	propose(fx, c, DD_TIER_IV);
	ok(store_incident_hops(fx->st, c, ha, &na, &err), &err, "hops c");
	assert_int_equal(ha[0].due_ms, ny + 4 * HOUR_MS);
	time_format_local(ha[0].due_ms, "America/New_York", "%Y-%m-%d %H:%M", when, sizeof when);
	assert_string_equal(when, "2026-03-08 05:30");
}

/* ---- hops ------------------------------------------------------------------- */

static void test_hop_recorded_once(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "某燃气公司SCADA通信中断", "cq.fuling.gas-02", d, false, id);
	propose(fx, id, DD_TIER_IV);
	struct dd_error err;
	ok(incident_record_hop(fx->st, &fx->cfg, id, "district", "涪陵区经信委值班室", "platform", d + 50 * MIN_MS,
			       "平台报送编号 2026-031", &err), &err, "hop");
	struct dd_hop_state hs[DD_HOPS_MAX];
	int n;
	ok(store_incident_hops(fx->st, id, hs, &n, &err), &err, "hops");
	assert_int_equal(n, 2);
	assert_string_equal(hs[0].hop, "district");
	assert_string_equal(hs[0].to, "区县经信主管部门");
	assert_int_equal(hs[0].done_ms, d + 50 * MIN_MS);
	assert_string_equal(hs[0].done_to, "涪陵区经信委值班室");
	assert_string_equal(hs[0].via, "platform");
	assert_string_equal(hs[0].by, "张伟");
	assert_int_equal(hs[1].done_ms, 0);
	assert_string_equal(hs[1].via, "");

	int64_t count = store_event_count(fx->st);
	char digest_before[DD_HASH_HEX + 1], digest_after[DD_HASH_HEX + 1];
	digest(fx->st, digest_before);
	/* twice: refused as a duplicate, naming when and by whom */
	snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "李娜");
	refused(fx, count, hop(fx, id, "district", d + 70 * MIN_MS, &err), &err, DD_EDUP,
		"hop 'district' was already recorded at 2026-03-10 10:50 by 张伟");
	/* not in the chain, a channel that is not one, a time in the future */
	refused(fx, count, hop(fx, id, "cac", d, &err), &err, DD_EINVAL,
		"the incident's chain has no hop 'cac' (it has: district, filing)");
	refused(fx, count, incident_record_hop(fx->st, &fx->cfg, id, "filing", NULL, "fax", d, NULL, &err), &err, DD_EINVAL,
		"phone, platform or document");
	refused(fx, count, incident_record_hop(fx->st, &fx->cfg, id, "filing", NULL, NULL, d, NULL, &err), &err, DD_EINVAL,
		"phone, platform or document");
	refused(fx, count, hop(fx, id, "filing", time_now_ms() + HOUR_MS, &err), &err, DD_EINVAL, "in the future");
	refused(fx, count, hop(fx, "01900000-0000-7000-8000-000000000000", "district", d, &err), &err, DD_EINVAL,
		"(it has: none)");
	digest(fx->st, digest_after);
	assert_string_equal(digest_before, digest_after);

	/* without a time, the hop is made now; without `to`, to the chain's */
	int64_t before = time_now_ms();
	ok(incident_record_hop(fx->st, &fx->cfg, id, "filing", NULL, "document", 0, NULL, &err), &err, "hop now");
	ok(store_incident_hops(fx->st, id, hs, &n, &err), &err, "hops");
	assert_true(hs[1].done_ms >= before && hs[1].done_ms <= time_now_ms() + 1);
	assert_string_equal(hs[1].done_to, "市经济信息委（报备）");
	assert_string_equal(hs[1].by, "李娜");
	assert_int_equal(store_event_count(fx->st), count + 1);
}

/* ---- notes and corrections ---------------------------------------------------- */

static void test_corrections(void **state)
{
	struct fx *fx = *state;
	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "某电子材料厂勒索病毒", "cq.bishan.ent-03", d, false, a);
	open_inc(fx, "某工业互联网平台异常流量", "cq.liangjiang.platform-04", d, false, b);
	struct dd_error err;
	ok(incident_note(fx->st, &fx->cfg, a, "受影响主机12台", NULL, &err), &err, "note");
	struct tl t;
	timeline(fx, a, &t);
	assert_int_equal(t.n, 2);
	char note_id[DD_UUID_LEN + 1];
	memcpy(note_id, t.ids[1], sizeof note_id);
	struct tl tb;
	timeline(fx, b, &tb);
	assert_int_equal(tb.n, 1);
	char log_id[DD_UUID_LEN + 1];
	struct dd_event lev;
	ok(shiftlog_add(fx->st, &fx->cfg, "值班记录", strlen("值班记录"), "note", d, NULL, &lev, &err), &err, "log");
	memcpy(log_id, lev.id, sizeof log_id);
	event_free(&lev);

	char before[DD_HASH_HEX + 1], after[DD_HASH_HEX + 1];
	digest(fx->st, before);
	int64_t n = store_event_count(fx->st);
	/* a correction must point at an entry of the same incident */
	refused(fx, n, incident_note(fx->st, &fx->cfg, a, "更正", tb.ids[0], &err), &err, DD_EINVAL,
		"is not part of incident");
	refused(fx, n, incident_note(fx->st, &fx->cfg, a, "更正", log_id, &err), &err, DD_EINVAL, "is not part of incident");
	refused(fx, n, incident_note(fx->st, &fx->cfg, a, "更正", "01900000-0000-7000-8000-000000000000", &err), &err,
		DD_EINVAL, "is not part of incident");
	refused(fx, n, incident_note(fx->st, &fx->cfg, a, "", note_id, &err), &err, DD_EINVAL, "text is empty");
	refused(fx, n, incident_note(fx->st, &fx->cfg, "01900000-0000-7000-8000-000000000000", "x", NULL, &err), &err,
		DD_EINVAL, "no incident");

	ok(incident_note(fx->st, &fx->cfg, a, "更正：受影响主机为21台", note_id, &err), &err, "correct");
	/* a correction of the open event itself, and of a correction */
	ok(incident_note(fx->st, &fx->cfg, a, "更正：报告单位为璧山区某电子材料厂", t.ids[0], &err), &err, "correct open");
	timeline(fx, a, &t);
	assert_int_equal(t.n, 4);
	ok(incident_note(fx->st, &fx->cfg, a, "再更正：21台含备机", t.ids[2], &err), &err, "correct correction");
	/* notes change no projection: the timeline reads events */
	digest(fx->st, after);
	assert_string_equal(before, after);

	/* both stay and both are seen, the original unchanged */
	timeline(fx, a, &t);
	assert_int_equal(t.n, 5);
	assert_string_equal(t.kinds[0], "incident.open");
	assert_string_equal(t.ids[1], note_id);
	assert_string_equal(t.text[1], "受影响主机12台");
	assert_string_equal(t.corrects[1], "");
	assert_string_equal(t.text[2], "更正：受影响主机为21台");
	assert_string_equal(t.corrects[2], note_id);
	assert_string_equal(t.corrects[3], t.ids[0]);
	assert_string_equal(t.corrects[4], t.ids[2]);
	/* in (hlc, origin, seq) order, which here is the order written */
	for (int i = 1; i < t.n; i++)
		assert_true(strcmp(t.ids[i - 1], t.ids[i]) < 0);
	/* and the other incident is untouched */
	timeline(fx, b, &tb);
	assert_int_equal(tb.n, 1);

	/* an entry named by its short id, only within its incident */
	char got[DD_UUID_LEN + 1];
	ok(store_event_resolve(fx->st, a, shiftlog_short_id(note_id), got, &err), &err, "resolve");
	assert_string_equal(got, note_id);
	ok(store_event_resolve(fx->st, a, note_id, got, &err), &err, "resolve full");
	assert_string_equal(got, note_id);
	assert_int_equal(store_event_resolve(fx->st, b, shiftlog_short_id(note_id), got, &err), DD_ENOTFOUND);
	assert_int_equal(store_event_resolve(fx->st, a, shiftlog_short_id(log_id), got, &err), DD_ENOTFOUND);
}

static void test_reports(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	open_inc(fx, "某标识解析二级节点拒绝服务", "cq.liangjiang.idnode-05", at("2026-03-10T02:00:00Z"), false, id);
	struct dd_error err;
	struct dd_incident_report empty = { 0 };
	refused(fx, 1, incident_report(fx->st, &fx->cfg, id, &empty, &err), &err, DD_EINVAL, "a report needs at least one");
	struct dd_incident_report first = { .occurred = "03-10 09:40 发现解析超时", .scope = "初步判断影响两江新区" };
	struct dd_incident_report more = { .harm = "解析成功率降至60%", .measures = "启用备用节点",
					   .recommendations = "扩容", .support = "请求技术支撑机构协助溯源" };
	ok(incident_report(fx->st, &fx->cfg, id, &first, &err), &err, "first report");
	ok(incident_report(fx->st, &fx->cfg, id, &more, &err), &err, "follow-up");
	ok(incident_report(fx->st, &fx->cfg, id, &more, &err), &err, "follow-up 2");
	struct dd_incident in;
	get(fx, id, &in);
	assert_int_equal(in.n_reports, 3);
	struct tl t;
	timeline(fx, id, &t);
	assert_int_equal(t.n, 4);
	for (int i = 1; i < 4; i++)
		assert_string_equal(t.kinds[i], "incident.report");
}

/* ---- the post-incident summary --------------------------------------------- */

static const struct dd_incident_summary summary = {
	.cause = "VPN弱口令", .response = "断网隔离", .harm = "停产2小时", .accountability = "信息部",
	.rectification = "口令策略", .lessons = "演练",
};

static void test_summary_due(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "某电力公司调度数据网告警", "cq.wanzhou.power-06", d, false, id);
	propose(fx, id, DD_TIER_IV);
	hop_ok(fx, id, "district", d + HOUR_MS);
	status_ok(fx, id, DD_ST_CLOSED);
	struct dd_incident in;
	get(fx, id, &in);
	/* once handling has ended the summary is what is due next; a hop
	 * never made stays in the chain, late */
	assert_string_equal(in.next_due_what, "summary");
	expect_chain(fx, id, d, "district@240/60 filing@1500");
	hop_ok(fx, id, "filing", d + 2 * HOUR_MS);
	expect_chain(fx, id, d, "district@240/60 filing@1500/120");

	/* handling ended when it was closed; the summary is due 30 days later */
	struct tl t;
	timeline(fx, id, &t);
	int64_t closed_at = 0;
	for (int i = 0; i < t.n; i++)
		if (strcmp(t.kinds[i], "incident.status") == 0 && strcmp(t.text[i], "closed") == 0) {
			closed_at = t.at_ms[i];
			assert_int_equal(t.summary_within[i], 30 * 1440);
		}
	assert_true(closed_at > 0);
	get(fx, id, &in);
	assert_int_equal(in.handling_end_ms, closed_at);
	assert_int_equal(in.summary_due_ms, closed_at + 30 * DAY_MS);
	assert_int_equal(in.next_due_ms, closed_at + 30 * DAY_MS);
	assert_string_equal(in.next_due_what, "summary");
	assert_false(in.has_summary);

	/* written: nothing is due any more, the due date stays on record */
	struct dd_error err;
	ok(incident_summary(fx->st, &fx->cfg, id, &summary, &err), &err, "summary");
	get(fx, id, &in);
	assert_true(in.has_summary);
	assert_int_equal(in.next_due_ms, 0);
	assert_string_equal(in.next_due_what, "");
	assert_int_equal(in.summary_due_ms, closed_at + 30 * DAY_MS);
	status_ok(fx, id, DD_ST_REVIEWED);
	get(fx, id, &in);
	assert_int_equal(in.next_due_ms, 0);
	assert_int_equal(in.status, DD_ST_REVIEWED);

	/* the period is the file's: 7 days here, carried by the close event,
	 * so a later change of the file does not move it */
	char *seven = strdup(tiers_conf);
	memcpy(strstr(seven, "\"30d\""), "\"07d\"", 5);
	write_tiers(fx, seven);
	free(seven);
	assert_int_equal(fx->tiers.summary_within_min, 7 * 1440);
	char id2[DD_UUID_LEN + 1];
	open_inc(fx, "误报", "cq.wanzhou.power-06", d, false, id2);
	hop_ok(fx, id2, "assess", d + MIN_MS);
	status_ok(fx, id2, DD_ST_CLOSED);
	timeline(fx, id2, &t);
	assert_string_equal(t.kinds[t.n - 1], "incident.status");
	assert_int_equal(t.summary_within[t.n - 1], 7 * 1440);
	get(fx, id2, &in);
	assert_int_equal(in.summary_due_ms, t.at_ms[t.n - 1] + 7 * DAY_MS);
	assert_int_equal(in.next_due_ms, t.at_ms[t.n - 1] + 7 * DAY_MS);
	assert_string_equal(in.next_due_what, "summary");
	write_tiers(fx, tiers_conf);
	ok(store_rebuild(fx->st, &err), &err, "rebuild");
	get(fx, id2, &in);
	assert_int_equal(in.summary_due_ms, t.at_ms[t.n - 1] + 7 * DAY_MS);
	/* reopened: nothing is due while it is handled again */
	status_ok(fx, id2, DD_ST_RESPONDING);
	get(fx, id2, &in);
	assert_int_equal(in.summary_due_ms, 0);
	assert_int_equal(in.next_due_ms, 0);   /* its only hop was made */
}

/* ---- duplicates -------------------------------------------------------------- */

static int64_t count_of(struct fx *fx, const struct dd_incident_filter *f)
{
	int64_t n = -1;
	struct dd_error err;
	ok(store_incident_count(fx->st, f, &n, &err), &err, "count");
	return n;
}

static void test_duplicates(void **state)
{
	struct fx *fx = *state;
	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1], c[DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	open_inc(fx, "渝北区某水厂PLC被篡改", "cq.yubei.water-01", d, false, a);
	open_inc(fx, "水厂PLC参数异常（渝北区经信委报）", "cq.yubei.water-01", d + MIN_MS, false, b);
	open_inc(fx, "另一起", "cq.yubei.water-01", d, false, c);
	propose(fx, a, DD_TIER_III);
	propose(fx, b, DD_TIER_III);
	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	assert_int_equal(count_of(fx, &f), 3);
	int64_t counts[DD_TIERS];
	struct dd_error err;
	ok(store_incident_tier_counts(fx->st, 0, counts, &err), &err, "tier counts");
	assert_int_equal(counts[DD_TIER_III], 2);

	int64_t n = store_event_count(fx->st);
	refused(fx, n, incident_mark_duplicate(fx->st, &fx->cfg, a, a, &err), &err, DD_EINVAL, "itself");
	refused(fx, n, incident_mark_duplicate(fx->st, &fx->cfg, a, "01900000-0000-7000-8000-000000000000", &err), &err,
		DD_EINVAL, "no incident");
	ok(incident_mark_duplicate(fx->st, &fx->cfg, b, a, &err), &err, "duplicate");
	n++;
	refused(fx, n, incident_mark_duplicate(fx->st, &fx->cfg, a, b, &err), &err, DD_EINVAL, "its own duplicate");

	/* both kept and linked; the queue counts it once */
	struct dd_incident in;
	get(fx, b, &in);
	assert_string_equal(in.duplicate_of, a);
	get(fx, a, &in);
	assert_string_equal(in.duplicate_of, "");
	assert_int_equal(count_of(fx, &f), 2);
	ok(store_incident_tier_counts(fx->st, 0, counts, &err), &err, "tier counts");
	assert_int_equal(counts[DD_TIER_III], 1);
	assert_int_equal(counts[DD_TIER_UNASSESSED], 1);
	f.duplicates = true;
	assert_int_equal(count_of(fx, &f), 3);
	/* with other filters too */
	f.duplicates = false;
	f.tier = DD_TIER_III;
	assert_int_equal(count_of(fx, &f), 1);
	/* re-pointed later: last writer wins */
	ok(incident_mark_duplicate(fx->st, &fx->cfg, b, c, &err), &err, "duplicate of c");
	get(fx, b, &in);
	assert_string_equal(in.duplicate_of, c);
}

/* ---- resolving an id -------------------------------------------------------- */

static void test_resolve(void **state)
{
	struct fx *fx = *state;
	char ids[3][DD_UUID_LEN + 1];
	int64_t d = at("2026-03-10T02:00:00Z");
	for (int i = 0; i < 3; i++)
		open_inc(fx, i == 0 ? "第一起" : i == 1 ? "第二起" : "第三起", "cq.yubei.water-01", d, false, ids[i]);
	struct dd_error err;
	char got[DD_UUID_LEN + 1];
	for (int i = 0; i < 3; i++) {
		ok(store_incident_resolve(fx->st, ids[i], got, &err), &err, "full");
		assert_string_equal(got, ids[i]);
		ok(store_incident_resolve(fx->st, shiftlog_short_id(ids[i]), got, &err), &err, "short");
		assert_string_equal(got, ids[i]);
		/* the first digits of the short id, as someone reads it off the queue */
		char lead[7];
		snprintf(lead, sizeof lead, "%s", shiftlog_short_id(ids[i]));
		ok(store_incident_resolve(fx->st, lead, got, &err), &err, "short prefix");
		assert_string_equal(got, ids[i]);
	}
	/* ids made close together share their leading digits (the time):
	 * the prefix the three share is ambiguous, and the message lists them */
	size_t common = 0;
	while (ids[0][common] == ids[2][common])
		common++;
	assert_true(common >= 4);
	char prefix[DD_UUID_LEN + 1];
	snprintf(prefix, sizeof prefix, "%.*s", (int)common, ids[0]);
	assert_int_equal(store_incident_resolve(fx->st, prefix, got, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "matches several incidents"));
	for (int i = 0; i < 3; i++)
		assert_non_null(strstr(err.msg, ids[i]));
	assert_non_null(strstr(err.msg, "第二起"));
	assert_int_equal(store_incident_resolve(fx->st, "abc", got, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "at least 4"));
	assert_int_equal(store_incident_resolve(fx->st, "XYZW", got, &err), DD_EINVAL);
	assert_int_equal(store_incident_resolve(fx->st, "ffffffff", got, &err), DD_ENOTFOUND);
}

/* ---- the queue --------------------------------------------------------------- */

struct collect {
	int n;
	char ids[512][DD_UUID_LEN + 1];
	struct dd_queue_key last;
};

static int collect_cb(const struct dd_incident *in, void *p)
{
	struct collect *c = p;
	assert_true(c->n < 512);
	memcpy(c->ids[c->n++], in->id, DD_UUID_LEN + 1);
	incident_queue_key(in, &c->last);
	return 0;
}

static void scan(struct fx *fx, const struct dd_incident_filter *f, const struct dd_queue_key *after, bool backward,
		 int limit, struct collect *c)
{
	c->n = 0;
	struct dd_error err;
	ok(store_incident_scan(fx->st, f, after, backward, limit, collect_cb, c, &err), &err, "scan");
}

static void test_queue_order(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	int64_t d = at("2026-03-10T02:00:00Z");
	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1], c[DD_UUID_LEN + 1], dd[DD_UUID_LEN + 1], e[DD_UUID_LEN + 1],
		f1[DD_UUID_LEN + 1], g[DD_UUID_LEN + 1], h[DD_UUID_LEN + 1];
	open_inc(fx, "a", "cq.yubei.water-01", d, false, a);             /* I, due d+4h */
	open_inc(fx, "b", "cq.yubei.water-01", d - HOUR_MS, false, b);   /* I, due d+3h */
	open_inc(fx, "c", "cq.yubei.water-01", d - 5 * HOUR_MS, false, c); /* II, due d-1h */
	open_inc(fx, "d", "cq.yubei.water-01", d - 10 * HOUR_MS, false, dd); /* unassessed, due d-9h */
	open_inc(fx, "e", "cq.yubei.water-01", d, false, e);             /* IV, all made: no deadline */
	open_inc(fx, "f", "cq.yubei.water-01", d - 2 * HOUR_MS, false, f1); /* IV, due d+2h */
	open_inc(fx, "g", "cq.yubei.water-01", d - 2 * HOUR_MS, false, g);  /* IV, due d+2h: after f by id */
	open_inc(fx, "h", "cq.yubei.water-01", d - 2 * HOUR_MS, true, h);   /* IV CII, due d-1h */
	propose(fx, a, DD_TIER_I);
	propose(fx, b, DD_TIER_I);
	propose(fx, c, DD_TIER_II);
	propose(fx, e, DD_TIER_IV);
	hop_ok(fx, e, "district", d);
	hop_ok(fx, e, "filing", d);
	propose(fx, f1, DD_TIER_IV);
	propose(fx, g, DD_TIER_IV);
	propose(fx, h, DD_TIER_IV);
	assert_true(strcmp(f1, g) < 0);

	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	struct collect col;
	scan(fx, &f, NULL, false, 100, &col);
	const char *want[] = { b, a, c, h, f1, g, e, dd };
	assert_int_equal(col.n, 8);
	for (int i = 0; i < 8; i++)
		if (strcmp(col.ids[i], want[i]) != 0)
			fail_msg("position %d: got %s, want %s", i, col.ids[i], want[i]);
	/* the key of a row without deadline sorts last within its tier */
	struct dd_incident in;
	get(fx, e, &in);
	struct dd_queue_key k;
	incident_queue_key(&in, &k);
	assert_int_equal(k.tier, DD_TIER_IV);
	assert_true(k.due == INT64_MAX);
	assert_string_equal(k.id, e);
	/* confirming d as I moves it to the top; closing b takes it out */
	ok(tier_as(fx, "leader", dd, true, DD_TIER_I, &err), &err, "confirm");
	status_ok(fx, b, DD_ST_CLOSED);
	scan(fx, &f, NULL, false, 3, &col);
	assert_int_equal(col.n, 3);
	assert_string_equal(col.ids[0], dd);  /* I, due d-10h+4h */
	assert_string_equal(col.ids[1], a);
	assert_string_equal(col.ids[2], c);
	f.closed = 1;
	scan(fx, &f, NULL, false, 100, &col);
	assert_int_equal(col.n, 1);
	assert_string_equal(col.ids[0], b);
	int64_t counts[DD_TIERS];
	ok(store_incident_tier_counts(fx->st, 0, counts, &err), &err, "counts");
	assert_int_equal(counts[DD_TIER_I], 2);
	assert_int_equal(counts[DD_TIER_II], 1);
	assert_int_equal(counts[DD_TIER_III], 0);
	assert_int_equal(counts[DD_TIER_IV], 4);
	assert_int_equal(counts[DD_TIER_UNASSESSED], 0);
}

/* What a filter should select, decided here from the incident's fields. */
static bool ascii_contains(const char *hay, const char *needle, bool fold)
{
	size_t n = strlen(needle);
	for (const char *p = hay; *p; p++) {
		size_t i = 0;
		for (; i < n && p[i]; i++) {
			char x = p[i], y = needle[i];
			if (fold) {
				x = (char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
				y = (char)(y >= 'A' && y <= 'Z' ? y + 32 : y);
			}
			if (x != y)
				break;
		}
		if (i == n)
			return true;
	}
	return n == 0;
}

static bool selects(const struct dd_incident_filter *f, const struct dd_incident *in)
{
	bool closed = in->status >= DD_ST_CLOSED;
	if (f->closed >= 0 && closed != (f->closed == 1))
		return false;
	if (f->tier >= 0 && in->tier != f->tier)
		return false;
	if (f->status >= 0 && in->status != f->status)
		return false;
	if (f->district) {
		size_t n = strlen(f->district);
		bool in_d = strcmp(in->district, f->district) == 0 || strcmp(in->reporting_org, f->district) == 0 ||
			    (strncmp(in->reporting_org, f->district, n) == 0 && in->reporting_org[n] == '.');
		if (!in_d)
			return false;
	}
	if (f->text) {
		char lower[64];
		snprintf(lower, sizeof lower, "%s", f->text);
		for (char *p = lower; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if (!ascii_contains(in->title, f->text, true) && !ascii_contains(in->reporting_org, f->text, true) &&
		    !ascii_contains(in->objects, f->text, false) && !ascii_contains(in->reporter, f->text, false) &&
		    !ascii_contains(in->id, lower, false))
			return false;
	}
	if (f->drill >= 0 && in->drill != f->drill)
		return false;
	return f->duplicates || !in->duplicate_of[0];
}

static int queue_cmp(const void *pa, const void *pb)
{
	const struct dd_incident *a = pa, *b = pb;
	if (a->tier != b->tier)
		return a->tier > b->tier ? -1 : 1;
	int64_t da = a->next_due_ms ? a->next_due_ms : INT64_MAX, db = b->next_due_ms ? b->next_due_ms : INT64_MAX;
	if (da != db)
		return da < db ? -1 : 1;
	return strcmp(a->id, b->id);
}

enum { N_QUEUE = 160 };

/* Pages of size page, forward then backward, must be the one big scan,
 * which must be exactly the incidents the filter selects, in queue order. */
static void check_paging(struct fx *fx, const struct dd_incident_filter *f, const struct dd_incident *all, int n_all,
			 const char *name)
{
	struct dd_incident *want = malloc(sizeof *want * N_QUEUE);
	int n_want = 0;
	for (int i = 0; i < n_all; i++)
		if (selects(f, &all[i]))
			want[n_want++] = all[i];
	qsort(want, (size_t)n_want, sizeof *want, queue_cmp);
	struct collect *big = malloc(sizeof *big), *page = malloc(sizeof *page);
	scan(fx, f, NULL, false, 100000, big);
	if (big->n != n_want)
		fail_msg("%s: the scan has %d rows, the filter selects %d", name, big->n, n_want);
	for (int i = 0; i < n_want; i++)
		if (strcmp(big->ids[i], want[i].id) != 0)
			fail_msg("%s: row %d is %s, want %s", name, i, big->ids[i], want[i].id);
	assert_int_equal(count_of(fx, f), n_want);
	static const int sizes[] = { 1, 7, 50 };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		/* forward */
		int got = 0;
		struct dd_queue_key key;
		bool have_key = false;
		for (;;) {
			scan(fx, f, have_key ? &key : NULL, false, sizes[s], page);
			for (int i = 0; i < page->n; i++, got++)
				if (got >= n_want || strcmp(page->ids[i], want[got].id) != 0)
					fail_msg("%s: forward pages of %d: row %d differs", name, sizes[s], got);
			if (page->n < sizes[s])
				break;
			key = page->last;
			have_key = true;
		}
		assert_int_equal(got, n_want);
		/* backward from the end */
		got = 0;
		have_key = false;
		for (;;) {
			scan(fx, f, have_key ? &key : NULL, true, sizes[s], page);
			for (int i = 0; i < page->n; i++, got++)
				if (got >= n_want || strcmp(page->ids[i], want[n_want - 1 - got].id) != 0)
					fail_msg("%s: backward pages of %d: row %d from the end differs", name, sizes[s], got);
			if (page->n < sizes[s])
				break;
			key = page->last;
			have_key = true;
		}
		assert_int_equal(got, n_want);
	}
	/* page up from the middle gives exactly the page before */
	if (n_want >= 20) {
		struct dd_queue_key mid;
		incident_queue_key(&want[10], &mid);
		scan(fx, f, &mid, true, 5, page);
		assert_int_equal(page->n, 5);
		for (int i = 0; i < 5; i++)
			assert_string_equal(page->ids[i], want[9 - i].id);
		scan(fx, f, &mid, false, 5, page);
		for (int i = 0; i < 5; i++)
			assert_string_equal(page->ids[i], want[11 + i].id);
	}
	free(want);
	free(big);
	free(page);
}

static void test_queue_pages_and_filters(void **state)
{
	struct fx *fx = *state;
	rng_state = 20261126;
	static const char *const orgs[] = { "cq.yubei.water-01", "cq.yubei.auto-02", "cq.fuling.gas-03",
					    "cq.liangjiang.platform-04", "cq.center", "cq.yubeixx.ent-05", "cq.yubei" };
	static const char *const titles[] = { "SCADA异常登录", "PLC程序被篡改", "勒索病毒加密MES", "数据泄露嫌疑",
					      "Water plant HMI alarm", "DCS通信中断", "工业互联网平台DDoS" };
	static const char *const objects[] = { "", "SCADA服务器", "PLC-3 控制柜", "MES数据库" };
	int64_t now = time_now_ms();
	char (*ids)[DD_UUID_LEN + 1] = calloc(N_QUEUE, sizeof *ids);
	struct dd_error err;
	for (int i = 0; i < N_QUEUE; i++) {
		struct dd_incident_new in = {
			.title = titles[pick(7)], .category = dd_incident_categories[pick(6)], .reporting_org = orgs[pick(7)],
			.objects = objects[pick(4)], .reporter = pick(2) ? "王工" : "Li Wei", .cii = pick(4) == 0,
			/* some share their detection time, so the id breaks ties */
			.detected_ms = i % 9 == 0 ? now - DAY_MS : now - HOUR_MS - (int64_t)(rng() % (uint64_t)(10 * DAY_MS)),
		};
		ok(incident_open(fx->st, &fx->cfg, &fx->tiers, &in, ids[i], &err), &err, "open");
		unsigned roll = pick(10);
		if (roll < 7)
			ok(tier_as(fx, roll < 2 ? "leader" : "officer", ids[i], roll < 2, 1 + (int)pick(4), &err), &err, "tier");
		for (int steps = (int)pick(6); steps > 0; steps--) {
			struct dd_incident cur;
			get(fx, ids[i], &cur);
			int to = cur.status == DD_ST_CLOSED ? (pick(3) ? DD_ST_CLOSED : DD_ST_RESPONDING) : cur.status + 1;
			if (to == DD_ST_CLOSED && cur.status == DD_ST_CLOSED)
				break;
			ok(set_status(fx, ids[i], to, "推进", &err), &err, "status");
		}
		if (pick(3) == 0) {
			struct dd_hop_state hs[DD_HOPS_MAX];
			int n;
			ok(store_incident_hops(fx->st, ids[i], hs, &n, &err), &err, "hops");
			ok(hop(fx, ids[i], hs[pick((unsigned)n)].hop, now - (int64_t)pick(60) * MIN_MS, &err), &err, "hop");
		}
		if (i > 0 && pick(12) == 0)
			ok(incident_mark_duplicate(fx->st, &fx->cfg, ids[i], ids[pick((unsigned)i)], &err), &err, "dup");
	}
	struct dd_incident *all = malloc(sizeof *all * N_QUEUE);
	int n_closed = 0, n_dup = 0, n_ii = 0;
	for (int i = 0; i < N_QUEUE; i++) {
		get(fx, ids[i], &all[i]);
		n_closed += all[i].status >= DD_ST_CLOSED;
		n_dup += all[i].duplicate_of[0] != '\0';
		n_ii += all[i].tier == DD_TIER_II;
	}
	/* the data covers what the filters tell apart */
	assert_true(n_closed >= 10 && n_closed <= N_QUEUE - 60);
	assert_true(n_dup >= 5);
	assert_true(n_ii >= 10);

	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	check_paging(fx, &f, all, N_QUEUE, "open");
	f.closed = 1;
	check_paging(fx, &f, all, N_QUEUE, "closed");
	f.closed = -1;
	check_paging(fx, &f, all, N_QUEUE, "both");
	f.duplicates = true;
	check_paging(fx, &f, all, N_QUEUE, "both with duplicates");
	store_incident_filter_init(&f);
	f.tier = DD_TIER_II;
	check_paging(fx, &f, all, N_QUEUE, "tier II");
	store_incident_filter_init(&f);
	f.closed = -1;
	f.status = DD_ST_RESPONDING;
	check_paging(fx, &f, all, N_QUEUE, "responding");
	store_incident_filter_init(&f);
	f.district = "cq.yubei";
	check_paging(fx, &f, all, N_QUEUE, "district cq.yubei");
	f.tier = DD_TIER_III;
	check_paging(fx, &f, all, N_QUEUE, "district cq.yubei, tier III");
	store_incident_filter_init(&f);
	f.text = "勒索";
	check_paging(fx, &f, all, N_QUEUE, "text 勒索");
	f.text = "water";   /* the title in any case, and the org */
	check_paging(fx, &f, all, N_QUEUE, "text water");
	f.text = "PLC-3";   /* objects */
	check_paging(fx, &f, all, N_QUEUE, "text PLC-3");
	f.text = "Li Wei";  /* reporter */
	check_paging(fx, &f, all, N_QUEUE, "text Li Wei");
	f.text = "no such words";
	check_paging(fx, &f, all, N_QUEUE, "text nothing");
	f.text = shiftlog_short_id(ids[17]);   /* an id */
	f.closed = -1;
	f.duplicates = true;
	check_paging(fx, &f, all, N_QUEUE, "text id");
	assert_int_equal(count_of(fx, &f), 1);
	store_incident_filter_init(&f);
	f.drill = 1;
	check_paging(fx, &f, all, N_QUEUE, "drill");
	assert_int_equal(count_of(fx, &f), 0);

	/* exact numbers for two filters, counted by hand from the model */
	store_incident_filter_init(&f);
	f.closed = -1;
	f.duplicates = true;
	assert_int_equal(count_of(fx, &f), N_QUEUE);
	f.duplicates = false;
	assert_int_equal(count_of(fx, &f), N_QUEUE - n_dup);
	free(all);
	free(ids);
}

/* ---- last writer wins across consoles ------------------------------------------ */

static void test_lww_two_consoles(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char path_b[PATH_MAX];
	snprintf(path_b, sizeof path_b, "%s/b.db", fx->dir);
	struct dd_config cfg_b;
	make_config(fx, &cfg_b, path_b, "Asia/Shanghai");
	snprintf(cfg_b.officer, sizeof cfg_b.officer, "李娜");
	struct dd_store *b = open_db(path_b);
	struct dd_store *a = fx->st;
	int64_t d = at("2026-03-10T02:00:00Z");

	/* console A opens; B learns of it */
	char id[DD_UUID_LEN + 1];
	open_inc(fx, "两个值班台同时处理", "cq.yubei.water-01", d, false, id);
	int n;
	char **evs = origin_events(fx->db, fx->cfg.origin, &n);
	apply_remote(b, evs, 0, n);
	free_events(evs, n);

	/* then both change it, each without having seen the other: the
	 * same hop, the status, the proposed tier */
	hop_ok(fx, id, "assess", d + 20 * MIN_MS);
	status_ok(fx, id, DD_ST_ASSESSING);
	propose(fx, id, DD_TIER_III);
	/* B acts a few milliseconds later by the wall clock, so its clock
	 * values are greater and it must win: within one millisecond the two
	 * consoles' clocks could tie and the origin ids would decide. */
	struct timespec pause = { 0, 3000000 };
	nanosleep(&pause, NULL);
	ok(incident_record_hop(b, &cfg_b, id, "assess", NULL, "phone", d + 10 * MIN_MS, NULL, &err), &err, "B hop");
	ok(incident_set_status(b, &cfg_b, &fx->tiers, id, DD_ST_CLOSED, "误报，关闭", &err), &err, "B closes");
	ok(incident_set_tier(b, &cfg_b, &fx->tiers, id, false, DD_TIER_II, "影响扩大", &err), &err, "B proposes");

	int na, nb;
	char **ea = origin_events(fx->db, fx->cfg.origin, &na);
	char **eb = origin_events(path_b, cfg_b.origin, &nb);
	assert_int_equal(na, 4);
	assert_int_equal(nb, 3);

	/* two fresh stores, the two origins in opposite orders; B's changes
	 * reach the second before the incident itself */
	char px[PATH_MAX], py[PATH_MAX];
	snprintf(px, sizeof px, "%s/x.db", fx->dir);
	snprintf(py, sizeof py, "%s/y.db", fx->dir);
	struct dd_store *x = open_db(px), *y = open_db(py);
	apply_remote(x, ea, 0, na);
	apply_remote(x, eb, 0, nb);
	apply_remote(y, eb, 0, nb);
	apply_remote(y, ea, 0, na);
	/* and the two consoles exchange what they lacked */
	apply_remote(a, eb, 0, nb);
	apply_remote(b, ea, 1, na);

	char dx[DD_HASH_HEX + 1], dy[DD_HASH_HEX + 1], da[DD_HASH_HEX + 1], db[DD_HASH_HEX + 1];
	digest(x, dx);
	digest(y, dy);
	digest(a, da);
	digest(b, db);
	assert_string_equal(dx, dy);
	assert_string_equal(dx, da);
	assert_string_equal(dx, db);
	ok(store_rebuild(y, &err), &err, "rebuild");
	digest(y, dy);
	assert_string_equal(dx, dy);

	/* the winner of each field is the greater (hlc, origin, seq) */
	struct dd_event sa, sb, ta, tb;
	assert_int_equal(event_decode(ea[2], strlen(ea[2]), &sa, &err), 0);
	assert_int_equal(event_decode(eb[1], strlen(eb[1]), &sb, &err), 0);
	assert_int_equal(event_decode(ea[3], strlen(ea[3]), &ta, &err), 0);
	assert_int_equal(event_decode(eb[2], strlen(eb[2]), &tb, &err), 0);
	assert_string_equal(sa.kind, "incident.status");
	assert_string_equal(sb.kind, "incident.status");
	bool b_status_wins = sb.hlc != sa.hlc ? sb.hlc > sa.hlc : strcmp(sb.origin, sa.origin) > 0;
	bool b_tier_wins = tb.hlc != ta.hlc ? tb.hlc > ta.hlc : strcmp(tb.origin, ta.origin) > 0;
	struct dd_incident in;
	ok(store_incident_get(y, id, &in, &err), &err, "get");
	assert_int_equal(in.status, b_status_wins ? DD_ST_CLOSED : DD_ST_ASSESSING);
	assert_int_equal(in.proposed_tier, b_tier_wins ? DD_TIER_II : DD_TIER_III);
	/* B acted later, so it wins here, and its early events are the ones a
	 * store that lost them would get wrong */
	assert_true(b_status_wins);
	assert_true(b_tier_wins);
	/* a hop recorded on both: the first recording stands everywhere (read
	 * from the table: the chain of III or II has no assess hop to list) */
	struct dd_event ha, hb;
	assert_int_equal(event_decode(ea[1], strlen(ea[1]), &ha, &err), 0);
	assert_int_equal(event_decode(eb[0], strlen(eb[0]), &hb, &err), 0);
	assert_string_equal(ha.kind, "incident.hop");
	bool a_hop_first = ha.hlc != hb.hlc ? ha.hlc < hb.hlc : strcmp(ha.origin, hb.origin) < 0;
	assert_true(a_hop_first);
	sqlite3 *raw;
	assert_int_equal(sqlite3_open_v2(py, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT made_ms, by FROM incident_hops_made WHERE hop = 'assess'", -1, &s,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(s, 0), a_hop_first ? d + 20 * MIN_MS : d + 10 * MIN_MS);
	assert_string_equal((const char *)sqlite3_column_text(s, 1), a_hop_first ? "张伟" : "李娜");
	sqlite3_finalize(s);
	sqlite3_close(raw);

	event_free(&sa);
	event_free(&sb);
	event_free(&ta);
	event_free(&tb);
	event_free(&ha);
	event_free(&hb);
	free_events(ea, na);
	free_events(eb, nb);
	store_close(x);
	store_close(y);
	store_close(b);
}

/* ---- rebuild equals incremental --------------------------------------------- */

enum { N_OPS = 4000, N_ORIGINS = 3, MAX_INC = 400 };

static void test_rebuild_equals_incremental(void **state)
{
	struct fx *fx = *state;
	rng_state = 4242;
	struct dd_error err;
	char origins[N_ORIGINS][DD_UUID_LEN + 1];
	for (int i = 0; i < N_ORIGINS; i++)
		uuid7_new(time_now_ms(), origins[i]);
	static const char *const officers[] = { "张伟", "李娜", "Wang Fang" };
	static const char *const orgs[] = { "cq.yubei.water-01", "cq.fuling.gas-03", "cq.liangjiang.platform-04",
					    "cq.center" };
	char (*ids)[DD_UUID_LEN + 1] = calloc(MAX_INC, sizeof *ids);
	int n_inc = 0, stored = 0, kinds[9] = { 0 };
	int64_t now = time_now_ms();
	for (int op = 0; op < N_OPS; op++) {
		int o = (int)pick(N_ORIGINS);
		memcpy(fx->cfg.origin, origins[o], sizeof fx->cfg.origin);
		snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "%s", officers[o]);
		snprintf(fx->cfg.role, sizeof fx->cfg.role, "%s", pick(3) ? "officer" : "leader");
		unsigned roll = pick(100);
		int rc, kind;
		const char *id = n_inc ? ids[pick((unsigned)n_inc)] : NULL;
		if (roll < 8 || !id) {
			kind = 0;
			if (n_inc == MAX_INC)
				continue;
			struct dd_incident_new in = {
				.title = "随机事件", .category = dd_incident_categories[pick(6)], .reporting_org = orgs[pick(4)],
				.cii = pick(3) == 0, .detected_ms = now - (int64_t)(rng() % (uint64_t)(3 * DAY_MS)),
			};
			rc = incident_open(fx->st, &fx->cfg, &fx->tiers, &in, ids[n_inc], &err);
			if (rc == 0)
				n_inc++;
		} else if (roll < 20) {
			kind = 1;
			char text[64];
			snprintf(text, sizeof text, "值班日志 %d", op);
			rc = shiftlog_add(fx->st, &fx->cfg, text, strlen(text), dd_log_kinds[pick(5)], now - (int64_t)pick(1000000),
					  NULL, NULL, &err);
		} else if (roll < 38) {
			kind = 2;
			rc = set_status(fx, id, (int)pick(DD_STATUSES), "随机推进", &err);
		} else if (roll < 52) {
			kind = 3;
			rc = incident_set_tier(fx->st, &fx->cfg, &fx->tiers, id, strcmp(fx->cfg.role, "leader") == 0,
					       (int)pick(DD_TIERS), "随机定级", &err);
		} else if (roll < 70) {
			kind = 4;
			struct dd_hop_state hs[DD_HOPS_MAX];
			int n;
			ok(store_incident_hops(fx->st, id, hs, &n, &err), &err, "hops");
			rc = n ? incident_record_hop(fx->st, &fx->cfg, id, hs[pick((unsigned)n)].hop, NULL, dd_hop_channels[pick(3)],
						     now - (int64_t)pick(3000) * MIN_MS, NULL, &err)
			       : DD_EINVAL;
		} else if (roll < 80) {
			kind = 5;
			const char *corrects = NULL;
			struct tl t;
			if (pick(2)) {
				timeline(fx, id, &t);
				corrects = t.ids[pick((unsigned)(t.n < 64 ? t.n : 64))];
			}
			rc = incident_note(fx->st, &fx->cfg, id, "随机备注", corrects, &err);
		} else if (roll < 88) {
			kind = 6;
			struct dd_incident_report r = { .scope = "范围", .harm = pick(2) ? "危害" : NULL };
			rc = incident_report(fx->st, &fx->cfg, id, &r, &err);
		} else if (roll < 92) {
			kind = 7;
			rc = incident_mark_duplicate(fx->st, &fx->cfg, id, ids[pick((unsigned)n_inc)], &err);
		} else {
			kind = 8;
			rc = incident_summary(fx->st, &fx->cfg, id, &summary, &err);
		}
		if (rc == 0) {
			stored++;
			kinds[kind]++;
		} else if (rc != DD_EINVAL && rc != DD_EDUP) {
			fail_msg("op %d (kind %d): %d %s", op, kind, rc, err.msg);
		}
	}
	assert_int_equal(store_event_count(fx->st), stored);
	/* every kind is well represented */
	for (int k = 0; k < 9; k++)
		if (kinds[k] < 40)
			fail_msg("only %d events of kind %d", kinds[k], k);
	assert_true(stored - kinds[1] >= 2000);
	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	f.closed = -1;
	f.duplicates = true;
	assert_int_equal(count_of(fx, &f), n_inc);

	char incremental[DD_HASH_HEX + 1], other[DD_HASH_HEX + 1];
	digest(fx->st, incremental);
	ok(store_rebuild(fx->st, &err), &err, "rebuild");
	digest(fx->st, other);
	assert_string_equal(other, incremental);

	/* a replica receiving the origins interleaved at random, each in its
	 * own order, as sync may bring them */
	char **evs[N_ORIGINS];
	int counts[N_ORIGINS], next[N_ORIGINS] = { 0 }, total = 0;
	for (int i = 0; i < N_ORIGINS; i++) {
		evs[i] = origin_events(fx->db, origins[i], &counts[i]);
		total += counts[i];
	}
	assert_int_equal(total, stored);
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/replica.db", fx->dir);
	struct dd_store *r = open_db(path);
	ok(store_batch_begin(r, &err), &err, "batch");
	for (int done = 0; done < total;) {
		int o = (int)pick(N_ORIGINS);
		if (next[o] == counts[o])
			continue;
		int upto = next[o] + 1 + (int)pick(20);
		if (upto > counts[o])
			upto = counts[o];
		apply_remote(r, evs[o], next[o], upto);
		done += upto - next[o];
		next[o] = upto;
	}
	ok(store_batch_end(r, true, &err), &err, "commit");
	digest(r, other);
	assert_string_equal(other, incremental);
	ok(store_rebuild(r, &err), &err, "rebuild replica");
	digest(r, other);
	assert_string_equal(other, incremental);
	int64_t checked;
	ok(store_verify(r, &checked, &err), &err, "verify");
	assert_int_equal(checked, stored);
	store_close(r);
	for (int i = 0; i < N_ORIGINS; i++)
		free_events(evs[i], counts[i]);
	free(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_transition_table),
		TEST(test_status_changes),
		TEST(test_open_validation),
		TEST(test_tier_roles),
		TEST(test_deadlines_from_detection),
		TEST(test_deadlines_cii),
		TEST(test_deadlines_midnight_and_zones),
		TEST(test_hop_recorded_once),
		TEST(test_corrections),
		TEST(test_reports),
		TEST(test_summary_due),
		TEST(test_duplicates),
		TEST(test_resolve),
		TEST(test_queue_order),
		TEST(test_queue_pages_and_filters),
		TEST(test_lww_two_consoles),
		TEST(test_rebuild_equals_incremental),
	};
	if (getenv("DD_TEST_FILTER"))
		cmocka_set_test_filter(getenv("DD_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
