/*
 * test_drill.c — unit tests for drills (应急演练): scenario parsing and
 * every validation error naming file:line; inject scheduling on a test
 * clock at speed 60, with shift, pause arithmetic and manual firing; the
 * guard that keeps a drill off real items (local and remote); isolation —
 * after a whole drill with responses every real count, the queue without
 * the drill filter and the real log are byte-identical to before; the
 * after-action report; rebuild equals incremental.
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

#include "dutydesk/drill.h"
#include "dutydesk/incident.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/tiers.h"
#include "orgtree.h"

#define MIN_MS INT64_C(60000)

static struct dd_tiers tiers;

static int setup(void **state)
{
	struct dd_error err;
	if (tiers_load("data/tiers.conf", &tiers, &err))
		return -1;
	return orgtree_setup(state, "drill");
}

#define teardown orgtree_teardown
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const char good[] =
	"name = \"渝北区乙水厂PLC勒索病毒演练\";\n"                          /* 1 */
	"description = \"检验来电受理、立案、定级\";\n"                       /* 2 */
	"tier = \"较大\";\n"                                                  /* 3 */
	"orgs = [ \"cq.yubei\", \"cq.yubei.ent-2\" ];\n"                      /* 4 */
	"injects = (\n"                                                       /* 5 */
	"  { id = \"call\"; title = \"企业来电报告勒索\"; at = \"T+00:00\"; kind = \"call\"; org = \"cq.yubei.ent-2\";\n" /* 6 */
	"    text = \"乙水厂来电：工程师站出现勒索信息\";\n"
	"    expect = { action = \"open\"; within = \"10:00\"; }; },\n"
	"  { id = \"ransom\"; at = \"T+03:00\"; kind = \"incident\"; org = \"cq.yubei.ent-2\"; category = \"malware\";\n" /* 9 */
	"    text = \"乙水厂PLC控制网络遭勒索病毒\";\n"
	"    expect = { action = \"tier\"; within = \"15:00\"; }; },\n"
	"  { id = \"raise\"; at = \"T+20:00\"; kind = \"tier\"; org = \"cq.yubei\"; incident = \"ransom\"; tier = \"III\";\n" /* 12 */
	"    text = \"渝北区经信委：按较大事件处置\";\n"
	"    expect = { action = \"hop\"; within = \"30:00\"; }; },\n"
	"  { id = \"outage\"; at = \"T+30:00\"; kind = \"outage\"; org = \"cq.center\";\n" /* 15 */
	"    text = \"模拟：上报通道中断\";\n"
	"    expect = { action = \"log\"; within = \"10:00\"; }; }\n"
	");\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void load_good(struct fx *fx, struct dd_scenario *sc)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/good.conf", fx->dir);
	write_file(path, good);
	struct dd_error err;
	if (drill_scenario_load(path, fx->st, sc, &err))
		fail_msg("%s", err.msg);
}

static void parses_scenario(void **state)
{
	struct fx *fx = *state;
	static struct dd_scenario sc;
	load_good(fx, &sc);
	assert_string_equal(sc.name, "渝北区乙水厂PLC勒索病毒演练");
	assert_string_equal(sc.tier, "III");
	assert_int_equal(sc.n_orgs, 2);
	assert_int_equal(sc.n_injects, 4);
	assert_int_equal(sc.injects[1].at_ms, 3 * MIN_MS);
	assert_string_equal(sc.injects[1].category, "malware");
	assert_string_equal(sc.injects[0].title, "企业来电报告勒索");
	assert_string_equal(sc.injects[1].title, "");           /* optional */
	assert_string_equal(sc.injects[2].incident, "ransom");
	assert_int_equal(sc.injects[2].within_ms, 30 * MIN_MS);
	assert_int_equal(drill_offset_parse("T+01:02:03"), (3600 + 120 + 3) * 1000);
	assert_int_equal(drill_offset_parse("05:00"), 5 * MIN_MS);
	assert_int_equal(drill_offset_parse("T+5:00"), -1);
	assert_int_equal(drill_offset_parse("T+05:60"), -1);
	char buf[32];
	drill_offset_format(3723000, buf, sizeof buf);
	assert_string_equal(buf, "T+01:02:03");
}

/* Replaces the first occurrence of from in good by to. */
static void variant(char *out, size_t n, const char *from, const char *to)
{
	const char *p = strstr(good, from);
	assert_non_null(p);
	snprintf(out, n, "%.*s%s%s", (int)(p - good), good, to, p + strlen(from));
}

static void rejects_bad_scenarios(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
		{ "kind = \"outage\"", "kind = \"earthquake\"", ":15: unknown inject kind \"earthquake\"" },
		{ "at = \"T+20:00\"", "at = \"T+02:00\"", ":12: inject 'raise' at T+02:00 comes before" },
		{ "org = \"cq.center\"", "org = \"cq.nowhere\"", ":15: unknown org \"cq.nowhere\"" },
		{ "\"cq.yubei\", \"cq", "\"cq.mars\", \"cq", ":4: unknown org \"cq.mars\"" },
		{ "    text = \"模拟：上报通道中断\";\n", "", ":15: 'text' is missing" },
		{ "category = \"malware\";", "", ":9: 'category' is missing" },
		{ "action = \"log\"", "action = \"pray\"", ":17: unknown expected action \"pray\"" },
		{ "at = \"T+30:00\"", "at = \"half past\"", ":15: 'at' is \"half past\"" },
		{ "incident = \"ransom\"", "incident = \"outage\"", ":12: 'incident' must name an earlier incident inject" },
		{ "id = \"outage\"", "id = \"call\"", ":15: inject id 'call' is used twice" },
		{ "tier = \"III\";", "tier = \"V\";", ":12: unknown tier \"V\"" },
		{ "within = \"10:00\"; }; }\n", "within = \"00:00\"; }; }\n", ":17: 'within' is \"00:00\"" },
		{ "description = \"检验来电受理、立案、定级\";\n", "", "bad.conf: 'description' is missing" },
		{ "injects = (\n", "injects = (\n  { id = \"x\" ;\n", "bad.conf:7: syntax error" },
		{ "title = \"企业来电报告勒索\"", "title = 7", ":6: 'title' must be a string" },
	};
	char path[PATH_MAX], text[sizeof good + 200];
	snprintf(path, sizeof path, "%s/bad.conf", fx->dir);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		variant(text, sizeof text, cases[i].from, cases[i].to);
		write_file(path, text);
		static struct dd_scenario sc;
		struct dd_error err = { 0 };
		assert_int_equal(drill_scenario_load(path, fx->st, &sc, &err), DD_ECONFIG);
		if (!strstr(err.msg, cases[i].want) || strncmp(err.msg, path, strlen(path)) != 0)
			fail_msg("case %zu: \"%s\" does not name %s%s", i, err.msg, path, cases[i].want);
	}
	struct dd_error err;
	static struct dd_scenario sc;
	snprintf(path, sizeof path, "%s/missing.conf", fx->dir);
	assert_int_equal(drill_scenario_load(path, fx->st, &sc, &err), DD_ENOTFOUND);
}

static struct dd_drill_ctx ctx_of(struct fx *fx)
{
	return (struct dd_drill_ctx){ fx->st, &fx->cfg, &tiers };
}

static void start(struct fx *fx, int speed, char id[DD_UUID_LEN + 1], struct dd_drill_run *r)
{
	static struct dd_scenario sc;
	load_good(fx, &sc);
	struct dd_drill_ctx c = ctx_of(fx);
	struct dd_error err;
	if (drill_start(&c, &sc, speed, id, &err) || store_drill_get(fx->st, id, r, &err))
		fail_msg("%s", err.msg);
}

static int fired_count(struct fx *fx, const char *run)
{
	static struct dd_drill_inject in[DD_DRILL_INJECTS_MAX];
	int n, fired = 0;
	struct dd_error err;
	assert_int_equal(store_drill_injects(fx->st, run, in, DD_DRILL_INJECTS_MAX, &n, &err), 0);
	for (int i = 0; i < n; i++)
		fired += in[i].fired_ms != 0;
	return fired;
}

/* At speed 60 a scenario minute is a wall second: the test clock steps
 * through the schedule without waiting. */
static void schedules_at_speed_60(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	struct dd_drill_run r;
	start(fx, 60, id, &r);
	struct dd_drill_ctx c = ctx_of(fx);
	struct dd_error err;
	int fired;
	int64_t t0 = r.started_ms;
	assert_int_equal(drill_fire_due(&c, t0, &fired, &err), 0);
	assert_int_equal(fired, 1);                             /* T+00:00 */
	assert_int_equal(drill_fire_due(&c, t0 + 2999, &fired, &err), 0);
	assert_int_equal(fired, 0);                             /* T+02:59.94 */
	assert_int_equal(drill_fire_due(&c, t0 + 3000, &fired, &err), 0);
	assert_int_equal(fired, 1);                             /* T+03:00 */
	/* Postponed 10 minutes: the T+20:00 inject is due at T+30:00. */
	assert_int_equal(drill_shift(&c, 10 * MIN_MS, &err), 0);
	assert_int_equal(drill_fire_due(&c, t0 + 20000, &fired, &err), 0);
	assert_int_equal(fired, 0);
	assert_int_equal(drill_fire_due(&c, t0 + 30000, &fired, &err), 0);
	assert_int_equal(fired, 1);
	assert_int_equal(fired_count(fx, id), 3);
	/* Everything is due at T+40:00, the outage shifted too. */
	assert_int_equal(drill_fire_due(&c, t0 + 39999, &fired, &err), 0);
	assert_int_equal(fired, 0);
	assert_int_equal(drill_fire_due(&c, t0 + 40000, &fired, &err), 0);
	assert_int_equal(fired, 1);
	assert_int_equal(drill_fire(&c, "outage", true, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "already fired"));
	assert_int_equal(drill_shift(&c, 0, &err), DD_EINVAL);
}

static void clock_arithmetic(void **state)
{
	(void)state;
	struct dd_drill_run r = { .speed = 60, .started_ms = 1000000 };
	assert_int_equal(drill_clock(&r, 1000000 + 1000), MIN_MS);
	assert_int_equal(drill_clock(&r, 999000), 0);            /* never before T+0 */
	r.held_ms = 500;                                         /* paused half a second before */
	assert_int_equal(drill_clock(&r, 1000000 + 1500), MIN_MS);
	r.paused_ms = 1000000 + 2500;                            /* paused now: the clock stands */
	assert_int_equal(drill_clock(&r, 1000000 + 9000), 2 * MIN_MS);
	r.paused_ms = 0;
	assert_int_equal(drill_wall_at(&r, 3 * MIN_MS), 1000000 + 500 + 3000);
}

static void pause_stop_and_manual_fire(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	struct dd_drill_run r;
	start(fx, 60, id, &r);
	struct dd_drill_ctx c = ctx_of(fx);
	struct dd_error err;
	int fired;
	static struct dd_scenario sc;
	load_good(fx, &sc);
	assert_int_equal(drill_start(&c, &sc, 1, id, &err), DD_EINVAL);   /* one at a time */
	/* The tier inject needs its incident first; nothing is stored. */
	int64_t before = store_event_count(fx->st);
	assert_int_equal(drill_fire(&c, "raise", true, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "has not been fired"));
	assert_int_equal(store_event_count(fx->st), before);
	assert_int_equal(drill_fire(&c, "nothing", true, &err), DD_ENOTFOUND);
	assert_int_equal(drill_fire(&c, "ransom", true, &err), 0);
	assert_int_equal(drill_fire(&c, "raise", true, &err), 0);
	assert_int_equal(drill_pause(&c, &err), 0);
	assert_int_equal(drill_pause(&c, &err), DD_EINVAL);
	assert_int_equal(drill_fire_due(&c, r.started_ms + 3600000, &fired, &err), 0);
	assert_int_equal(fired, 0);                              /* paused: nothing fires */
	assert_int_equal(drill_resume(&c, &err), 0);
	assert_int_equal(drill_resume(&c, &err), DD_EINVAL);
	assert_int_equal(drill_stop(&c, &err), 0);
	assert_int_equal(drill_stop(&c, &err), DD_EINVAL);
	struct dd_banners b;
	assert_int_equal(store_banners(fx->st, time_now_ms(), &b, &err), 0);
	assert_string_equal(b.drill, "");
	assert_int_equal(store_drill_current(fx->st, &r, &err), DD_ENOTFOUND);
}

static void open_real(struct fx *fx, char id[DD_UUID_LEN + 1])
{
	struct dd_incident_new in = { .title = "真实事件：丙工厂DCS异常", .category = "intrusion",
				      .reporting_org = "cq.jiangbei.ent-1" };
	struct dd_error err;
	if (incident_open(fx->st, &fx->cfg, &tiers, &in, id, &err))
		fail_msg("%s", err.msg);
}

static void guard_keeps_drills_off_real_items(void **state)
{
	struct fx *fx = *state;
	char real[DD_UUID_LEN + 1], drill[DD_UUID_LEN + 1];
	struct dd_error err;
	open_real(fx, real);
	struct dd_event entry;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "真实记录", 12, "note", 0, NULL, &entry, &err), 0);
	int64_t before = store_event_count(fx->st);

	store_set_drill(fx->st, true);
	assert_int_equal(incident_note(fx->st, &fx->cfg, real, "演练写入", NULL, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "may not touch real incident"));
	assert_int_equal(incident_set_tier(fx->st, &fx->cfg, &tiers, real, false, DD_TIER_II, "演练", &err), DD_EINVAL);
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "更正", 6, "note", 0, entry.id, NULL, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "may not touch real log entry"));
	struct dd_org_in org = { .id = "cq.yubei.ent-9", .kind = "ent-industrial", .name = "演练企业" };
	assert_int_equal(roster_org_set(fx->st, &fx->cfg, &org, NULL, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);
	/* What a drill may do: open its own incident and work on it. */
	struct dd_incident_new in = { .title = "演练事件", .category = "malware", .reporting_org = "cq.yubei.ent-2" };
	assert_int_equal(incident_open(fx->st, &fx->cfg, &tiers, &in, drill, &err), 0);
	store_set_drill(fx->st, false);

	/* A real-mode change of a drill incident is a drill event. */
	assert_int_equal(incident_note(fx->st, &fx->cfg, drill, "处置记录", NULL, &err), 0);
	struct dd_incident got;
	assert_int_equal(store_incident_get(fx->st, drill, &got, &err), 0);
	assert_int_equal(got.drill, 1);
	assert_int_equal(store_incident_get(fx->st, real, &got, &err), 0);
	assert_int_equal(got.drill, 0);
	event_free(&entry);

	/* A drill.* event without the flag is refused. */
	json_t *body = json_pack("{s:i}", "v", 1);
	struct dd_new_event ne = { .origin = fx->cfg.origin, .actor = "x", .org = "cq.center", .kind = "drill.stop",
				   .subject = real, .drill = 0, .body = body, .tz = "Asia/Shanghai" };
	assert_int_equal(store_append_local(fx->st, &ne, NULL, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "must carry drill = 1"));

	/* Nor may one come from elsewhere: a remote drill note on the real one. */
	json_decref(body);
	body = json_pack("{s:i, s:s}", "v", 1, "text", "外来演练");
	struct dd_event ev;
	event_init(&ev);
	uuid7_new(time_now_ms(), ev.origin);
	uuid7_new(time_now_ms(), ev.id);
	ev.seq = 1;
	ev.hlc = 1;
	snprintf(ev.at, sizeof ev.at, "2026-11-26T10:00:00+08:00");
	snprintf(ev.actor, sizeof ev.actor, "李雷");
	snprintf(ev.org, sizeof ev.org, "cq.yubei");
	snprintf(ev.kind, sizeof ev.kind, "incident.note");
	snprintf(ev.subject, sizeof ev.subject, "%s", real);
	ev.drill = 1;
	ev.body = body;
	memcpy(ev.prev, DD_GENESIS_PREV, sizeof ev.prev);
	assert_int_equal(event_seal(&ev, &err), 0);
	before = store_event_count(fx->st);
	assert_int_equal(store_append_remote(fx->st, &ev, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);
	event_free(&ev);
}

struct capture {
	char *buf;
	size_t len;
};

static void put(struct capture *c, const char *s)
{
	size_t n = strlen(s);
	c->buf = realloc(c->buf, c->len + n + 2);
	assert_non_null(c->buf);
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len++] = '\n';
	c->buf[c->len] = 0;
}

static int log_cb(const struct dd_log_row *r, void *ctx)
{
	char line[20000];
	snprintf(line, sizeof line, "%s|%lld|%s|%s|%s|%s|%d", r->id, (long long)r->at_ms, r->officer, r->kind, r->text,
		 r->corrects, r->drill);
	put(ctx, line);
	return 0;
}

static int queue_cb(const struct dd_incident *in, void *ctx)
{
	char line[2000];
	snprintf(line, sizeof line, "%s|%s|%d|%d|%lld|%s|%d", in->id, in->title, in->tier, in->status,
		 (long long)in->next_due_ms, in->next_due_what, in->drill);
	put(ctx, line);
	return 0;
}

/* Every real figure a person or an export sees, as text. */
static char *real_figures(struct fx *fx)
{
	struct capture c = { NULL, 0 };
	struct dd_error err;
	struct dd_log_filter lf;
	store_log_filter_init(&lf);
	lf.drill = 0;
	int64_t n;
	char line[256];
	assert_int_equal(store_log_count(fx->st, &lf, &n, &err), 0);
	snprintf(line, sizeof line, "log %lld", (long long)n);
	put(&c, line);
	assert_int_equal(store_log_scan(fx->st, &lf, NULL, false, 1000, log_cb, &c, &err), 0);
	struct dd_incident_filter f;
	for (int closed = -1; closed <= 1; closed++) {
		store_incident_filter_init(&f);
		f.drill = 0;
		f.closed = closed;
		assert_int_equal(store_incident_count(fx->st, &f, &n, &err), 0);
		snprintf(line, sizeof line, "incidents closed=%d %lld", closed, (long long)n);
		put(&c, line);
		assert_int_equal(store_incident_scan(fx->st, &f, NULL, false, 1000, queue_cb, &c, &err), 0);
	}
	int64_t counts[DD_TIERS];
	assert_int_equal(store_incident_tier_counts(fx->st, 0, counts, &err), 0);
	for (int t = 0; t < DD_TIERS; t++) {
		snprintf(line, sizeof line, "tier %d %lld", t, (long long)counts[t]);
		put(&c, line);
	}
	return c.buf;
}

static void full_drill_changes_no_real_figure(void **state)
{
	struct fx *fx = *state;
	char real[DD_UUID_LEN + 1];
	struct dd_error err;
	open_real(fx, real);
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "真实来电", 12, "call-in", 0, NULL, NULL, &err), 0);
	char *before = real_figures(fx);

	char id[DD_UUID_LEN + 1];
	struct dd_drill_run r;
	start(fx, 60, id, &r);
	struct dd_drill_ctx c = ctx_of(fx);
	int fired;
	assert_int_equal(drill_fire_due(&c, r.started_ms + 3600000, &fired, &err), 0);
	assert_int_equal(fired, 4);
	/* Responses: a tier and a hop on the drill incident, a drill log entry. */
	static struct dd_drill_inject in[DD_DRILL_INJECTS_MAX];
	int n;
	assert_int_equal(store_drill_injects(fx->st, id, in, DD_DRILL_INJECTS_MAX, &n, &err), 0);
	const char *incident = in[1].item;
	assert_int_equal(incident_set_tier(fx->st, &fx->cfg, &tiers, incident, false, DD_TIER_III, "研判", &err), 0);
	assert_int_equal(incident_record_hop(fx->st, &fx->cfg, incident, "district", "渝北区经信委", "phone", 0, NULL,
					     &err), 0);
	store_set_drill(fx->st, true);
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "已改用电话报告", 21, "action", 0, NULL, NULL, &err), 0);
	store_set_drill(fx->st, false);
	assert_int_equal(drill_stop(&c, &err), 0);

	char *after = real_figures(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* The drill's own figures are there, under the drill filter. */
	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	f.drill = 1;
	int64_t count;
	assert_int_equal(store_incident_count(fx->st, &f, &count, &err), 0);
	assert_int_equal(count, 1);

	json_t *rep;
	assert_int_equal(drill_report(fx->st, id, r.started_ms + 3600000, &rep, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "injects_total")), 4);
	/* call: nobody opened an incident; ransom: tiered; raise: hop; outage: logged. */
	assert_int_equal(json_integer_value(json_object_get(rep, "answered")), 3);
	json_t *missed = json_object_get(rep, "missed");
	assert_int_equal(json_array_size(missed), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(missed, 0), "inject")), "call");
	json_t *ransom = json_array_get(json_object_get(rep, "injects"), 1);
	assert_string_equal(json_string_value(json_object_get(ransom, "answered_by")), "张伟");
	assert_true(json_array_size(json_object_get(rep, "timeline")) >= 10);
	json_decref(rep);

	/* Replaying the log gives the same projections. */
	char d1[DD_HASH_HEX + 1], d2[DD_HASH_HEX + 1];
	assert_int_equal(store_digest(fx->st, d1, &err), 0);
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	assert_int_equal(store_digest(fx->st, d2, &err), 0);
	assert_string_equal(d1, d2);
}

/* The inject named id in a report's array arr (injects, missed or
 * pending, keyed by key), or NULL. */
static json_t *entry(json_t *rep, const char *arr, const char *key, const char *id)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(rep, arr), i, o)
		if (strcmp(json_string_value(json_object_get(o, key)), id) == 0)
			return o;
	return NULL;
}

/* A report of a drill still running: an inject not fired yet, or fired
 * with its window still open, is pending, never missed; a window closed
 * unanswered is missed.  Once stopped, nothing is pending and an inject
 * never fired is still not missed.  Orgs carry their names, the timeline
 * its raw kinds. */
static void report_of_running_drill(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	struct dd_drill_run r;
	struct dd_error err;
	start(fx, 60, id, &r);
	struct dd_drill_ctx c = ctx_of(fx);
	int fired;
	/* T+04:00 is due for call and ransom; they fire now, on the real
	 * clock, a moment after the start: each window counts from there. */
	assert_int_equal(drill_fire_due(&c, r.started_ms + 4000, &fired, &err), 0);
	assert_int_equal(fired, 2);

	/* T+14:30: call's 10 minutes are over, ransom's 15 are not (so long
	 * as they fired within 4 s of the start). */
	json_t *rep;
	assert_int_equal(drill_report(fx->st, id, r.started_ms + 14500, &rep, &err), 0);
	assert_true(json_is_true(json_object_get(rep, "running")));
	assert_int_equal(json_integer_value(json_object_get(rep, "ended_ms")), 0);
	assert_int_equal(json_array_size(json_object_get(rep, "missed")), 1);
	assert_non_null(entry(rep, "missed", "inject", "call"));
	assert_int_equal(json_array_size(json_object_get(rep, "pending")), 3);
	assert_true(json_is_true(json_object_get(entry(rep, "pending", "inject", "ransom"), "fired")));
	assert_true(json_is_false(json_object_get(entry(rep, "pending", "inject", "raise"), "fired")));
	assert_true(json_is_false(json_object_get(entry(rep, "pending", "inject", "outage"), "fired")));
	assert_true(json_is_true(json_object_get(entry(rep, "injects", "id", "outage"), "pending")));
	assert_true(json_is_false(json_object_get(entry(rep, "injects", "id", "call"), "pending")));
	struct dd_org org;
	assert_int_equal(store_org_get(fx->st, "cq.yubei.ent-2", &org, &err), 0);
	json_t *call = entry(rep, "injects", "id", "call");
	assert_string_equal(json_string_value(json_object_get(call, "org")), "cq.yubei.ent-2");
	assert_string_equal(json_string_value(json_object_get(call, "org_name")), org.name);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(rep, "timeline"), 0), "kind")),
			    "drill.start");
	json_decref(rep);

	/* T+25:00: ransom's window closed too. */
	assert_int_equal(drill_report(fx->st, id, r.started_ms + 25000, &rep, &err), 0);
	assert_int_equal(json_array_size(json_object_get(rep, "missed")), 2);
	assert_non_null(entry(rep, "missed", "inject", "ransom"));
	assert_int_equal(json_array_size(json_object_get(rep, "pending")), 2);
	json_decref(rep);

	assert_int_equal(drill_stop(&c, &err), 0);
	assert_int_equal(drill_report(fx->st, id, r.started_ms + 16000, &rep, &err), 0);
	assert_true(json_is_false(json_object_get(rep, "running")));
	assert_int_equal(json_array_size(json_object_get(rep, "pending")), 0);
	assert_int_equal(json_array_size(json_object_get(rep, "missed")), 2);
	assert_null(entry(rep, "missed", "inject", "raise"));
	assert_null(entry(rep, "missed", "inject", "outage"));
	assert_true(json_is_false(json_object_get(entry(rep, "injects", "id", "outage"), "pending")));
	json_decref(rep);
}

/* A response window reads as a duration, never as a time of day. */
static void labels_for_people(void **state)
{
	(void)state;
	static const struct {
		int64_t ms;
		const char *want;
	} cases[] = {
		{ 10 * MIN_MS, "10 min" }, { 60 * MIN_MS, "1 h" }, { 90 * MIN_MS, "1 h 30 min" },
		{ 30000, "30 s" },         { 90000, "1 min 30 s" }, { 3600000 + 61000, "1 h 1 min 1 s" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		drill_window_format(cases[i].ms, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
	assert_string_equal(drill_actor_label(DD_DRILL_CONTROL), "Drill control");
	assert_string_equal(drill_actor_label("张伟"), "张伟");
	assert_string_equal(drill_kind_label("call"), "incoming call");
	assert_string_equal(drill_kind_label("zero-missing"), "zero report missing");
}

/* A drill event of the run at wall time at_ms, as the coordinator's
 * console wrote it then. */
static void run_event_at(struct fx *fx, const char *kind, const char *run, int64_t at_ms)
{
	json_t *body = json_pack("{s:i, s:[s]}", "v", 1, "orgs", "cq.yubei");
	struct dd_new_event ne = { .origin = fx->cfg.origin, .actor = "张伟", .org = "cq.center", .kind = kind,
				   .subject = run, .drill = 1, .body = body, .at_ms = at_ms, .tz = "Asia/Shanghai" };
	struct dd_error err;
	if (store_append_local(fx->st, &ne, NULL, &err))
		fail_msg("%s", err.msg);
	json_decref(body);
}

/* Scenario time of a past instant takes off only the pauses before it,
 * so a response given before a pause is not charged for the pause, and
 * responses are judged by scenario time, not by how long the wall clock
 * ran on after the last inject. */
static void scenario_time_of_past_instants(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	struct dd_drill_run r;
	start(fx, 60, id, &r);
	struct dd_error err;
	int64_t t0 = r.started_ms, clock;
	/* Paused from 10 s to 40 s after the start (wall). */
	run_event_at(fx, "drill.pause", id, t0 + 10000);
	run_event_at(fx, "drill.resume", id, t0 + 40000);
	assert_int_equal(store_drill_get(fx->st, id, &r, &err), 0);
	assert_int_equal(r.held_ms, 30000);
	assert_int_equal(store_drill_clock_at(fx->st, &r, t0 + 5000, &clock, &err), 0);
	assert_int_equal(clock, 5 * MIN_MS);                     /* before the pause: nothing held */
	assert_int_equal(store_drill_clock_at(fx->st, &r, t0 + 25000, &clock, &err), 0);
	assert_int_equal(clock, 10 * MIN_MS);                    /* in it: the clock stood */
	assert_int_equal(store_drill_clock_at(fx->st, &r, t0 + 50000, &clock, &err), 0);
	assert_int_equal(clock, 20 * MIN_MS);                    /* after it: the pause taken off */
	assert_int_equal(drill_clock(&r, t0 + 50000), clock);    /* as the live clock says */

	/* Every inject fired at once: the last window (the raise's 30 min
	 * after T+20:00's firing, here the firing time) closes then. */
	struct dd_drill_ctx c = ctx_of(fx);
	int fired;
	assert_int_equal(drill_fire_due(&c, t0 + 3600000, &fired, &err), 0);
	assert_int_equal(fired, 4);
	static struct dd_drill_inject in[DD_DRILL_INJECTS_MAX];
	int n;
	assert_int_equal(store_drill_injects(fx->st, id, in, DD_DRILL_INJECTS_MAX, &n, &err), 0);
	int64_t close = drill_windows_close(in, n), want = 0;
	for (int i = 0; i < n; i++) {
		assert_int_equal(store_drill_clock_at(fx->st, &r, in[i].fired_ms, &clock, &err), 0);
		assert_int_equal(in[i].fired_clock_ms, clock);
		if (clock + in[i].in.within_ms > want)
			want = clock + in[i].in.within_ms;
	}
	assert_int_equal(close, want);
	in[n - 1].fired_ms = 0;
	assert_int_equal(drill_windows_close(in, n), -1);        /* one pending: not yet */

	/* Stopped an hour on: the clock stands at the stop, however late
	 * one asks. */
	run_event_at(fx, "drill.stop", id, t0 + 3600000);
	assert_int_equal(store_drill_get(fx->st, id, &r, &err), 0);
	int64_t at_stop;
	assert_int_equal(store_drill_clock_at(fx->st, &r, r.ended_ms, &at_stop, &err), 0);
	assert_int_equal(store_drill_clock_at(fx->st, &r, r.ended_ms + 3600000, &clock, &err), 0);
	assert_int_equal(clock, at_stop);
	assert_int_equal(clock, (3600000 - 30000) * 60);
	assert_int_equal(drill_clock(&r, r.ended_ms + 3600000), at_stop);
}

static void decoder_refuses_bad_injects(void **state)
{
	(void)state;
	static struct dd_inject out[DD_DRILL_INJECTS_MAX];
	int n;
	struct dd_error err;
	json_t *arr = json_loads("[{\"id\":\"a\",\"at_ms\":60000,\"kind\":\"call\",\"org\":\"cq.x\",\"text\":\"t\","
				 "\"expect\":\"log\",\"within_ms\":1},"
				 "{\"id\":\"b\",\"at_ms\":0,\"kind\":\"call\",\"org\":\"cq.x\",\"text\":\"t\","
				 "\"expect\":\"log\",\"within_ms\":1}]", 0, NULL);
	assert_int_equal(drill_injects_from_json(arr, out, &n, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "out of order"));
	json_decref(arr);
	arr = json_loads("[{\"id\":\"a\",\"at_ms\":0,\"kind\":\"tier\",\"org\":\"cq.x\",\"text\":\"t\","
			 "\"expect\":\"log\",\"within_ms\":1,\"incident\":\"a\",\"tier\":\"II\"}]", 0, NULL);
	assert_int_equal(drill_injects_from_json(arr, out, &n, &err), DD_EINVAL);
	json_decref(arr);
	assert_int_equal(drill_injects_from_json(NULL, out, &n, &err), DD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(parses_scenario),
		TEST(rejects_bad_scenarios),
		TEST(schedules_at_speed_60),
		cmocka_unit_test(clock_arithmetic),
		TEST(pause_stop_and_manual_fire),
		TEST(guard_keeps_drills_off_real_items),
		TEST(full_drill_changes_no_real_figure),
		TEST(report_of_running_drill),
		cmocka_unit_test(decoder_refuses_bad_injects),
		cmocka_unit_test(labels_for_people),
		TEST(scenario_time_of_past_instants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
