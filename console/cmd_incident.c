/*
 * cmd_incident.c — `dutydesk incident …`: open incidents, move them along,
 * grade them, record the reporting chain, and print the post-incident
 * report.  Every subcommand checks its input fully before anything is
 * stored; a refused change stores nothing.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

struct incident_cli {
	struct cli *cli;
	struct dd_tiers tiers;
	char id[DD_UUID_LEN + 1];
};

static int open_all(struct incident_cli *ic, int flags, bool need_tiers)
{
	struct cli *cli = ic->cli;
	int rc = cli_open(cli, flags);
	if (rc)
		return rc;
	return need_tiers ? cli_load_tiers(cli, &ic->tiers) : EXIT_OK;
}

static int resolve(struct incident_cli *ic, const char *ref)
{
	if (store_incident_resolve(ic->cli->store, ref, ic->id, &ic->cli->err))
		return cli_report(ic->cli, &ic->cli->err);
	return EXIT_OK;
}

static int done(struct incident_cli *ic, int rc, const char *what)
{
	if (rc)
		return rc == DD_EINVAL || rc == DD_EDUP ? cli_usage_error(ic->cli, "incident", "%s", ic->cli->err.msg)
							 : cli_report(ic->cli, &ic->cli->err);
	printf("%s %s\n", shiftlog_short_id(ic->id), what);
	return EXIT_OK;
}

static const char *tier_label(const struct dd_tiers *t, int tier)
{
	return t->tier[tier].name_zh;
}

/* "in 3h05m" or "OVERDUE 12m" for a deadline, "" when none. */
static void countdown(int64_t due, int64_t now, char *buf, size_t n)
{
	char span[32];
	if (!due) {
		snprintf(buf, n, "-");
		return;
	}
	time_format_span(due - now, span, sizeof span);
	snprintf(buf, n, due < now ? "OVERDUE %s" : "in %s", span);
}

/* ---- new ---------------------------------------------------------- */

static int incident_new(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },     { "category", required_argument, NULL, 'c' },
		{ "org", required_argument, NULL, 'o' },       { "objects", required_argument, NULL, 'b' },
		{ "reporter", required_argument, NULL, 'r' },  { "description", required_argument, NULL, 'd' },
		{ "occurred", required_argument, NULL, 'O' },  { "detected", required_argument, NULL, 'D' },
		{ "cii", no_argument, NULL, 'C' },             { NULL, 0, NULL, 0 },
	};
	struct dd_incident_new in = { .category = "other" };
	const char *occurred = NULL, *detected = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident new", argc, argv, opts)) != -1) {
		switch (c) {
		case 't': in.title = optarg; break;
		case 'c': in.category = optarg; break;
		case 'o': in.reporting_org = optarg; break;
		case 'b': in.objects = optarg; break;
		case 'r': in.reporter = optarg; break;
		case 'd': in.description = optarg; break;
		case 'O': occurred = optarg; break;
		case 'D': detected = optarg; break;
		case 'C': in.cii = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(ic->cli, "incident new", "unexpected argument '%s'", argv[optind]);
	if (!in.title)
		return cli_usage_error(ic->cli, "incident new", "--title is required");
	int rc = open_all(ic, 0, true);
	if (rc || (occurred && (rc = cli_parse_time(ic->cli, "incident new", "--occurred", occurred, &in.occurred_ms))) ||
	    (detected && (rc = cli_parse_time(ic->cli, "incident new", "--detected", detected, &in.detected_ms))))
		return rc;
	return done(ic, incident_open(ic->cli->store, &ic->cli->cfg, &ic->tiers, &in, ic->id, &ic->cli->err), "opened");
}

/* ---- list --------------------------------------------------------- */

struct list_ctx {
	struct incident_cli *ic;
	bool json;
	int64_t now, rows;
};

static json_t *incident_json(const struct dd_incident *in, const struct dd_tiers *t, const char *tz)
{
	char detected[DD_AT_MAX], due[DD_AT_MAX] = "";
	time_format_rfc3339(in->detected_ms, tz, detected, sizeof detected);
	if (in->next_due_ms)
		time_format_rfc3339(in->next_due_ms, tz, due, sizeof due);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "id", in->id, "title",
			      in->title, "category", in->category, "status", incident_status_id(in->status), "tier",
			      tier_id(in->tier), "tier_name", tier_label(t, in->tier), "reporting_org", in->reporting_org,
			      "district", in->district, "detected_at", detected, "cii", in->cii, "reports", in->n_reports);
	json_object_set_new(o, "proposed_tier", in->proposed_tier >= 0 ? json_string(tier_id(in->proposed_tier)) : json_null());
	json_object_set_new(o, "confirmed_tier", in->confirmed_tier >= 0 ? json_string(tier_id(in->confirmed_tier)) : json_null());
	json_object_set_new(o, "next_due", in->next_due_ms ? json_pack("{s:s, s:s}", "what", in->next_due_what, "at", due)
							   : json_null());
	json_object_set_new(o, "duplicate_of", in->duplicate_of[0] ? json_string(in->duplicate_of) : json_null());
	json_object_set_new(o, "drill", json_boolean(in->drill));
	return o;
}

static int badge_cols(const struct dd_tiers *t)
{
	char badge[64];
	int w = 0;
	for (int i = 0; i < DD_TIERS; i++) {
		incfmt_badge(t, i, true, badge, sizeof badge);
		if (text_width(badge) > w)
			w = text_width(badge);
	}
	return w;
}

static int list_row(const struct dd_incident *in, void *p)
{
	struct list_ctx *lc = p;
	const char *tz = lc->ic->cli->cfg.timezone;
	if (lc->json) {
		json_t *o = incident_json(in, &lc->ic->tiers, tz);
		char *s = json_dumps(o, JSON_COMPACT);
		printf("%s\n%s", lc->rows ? "," : "", s ? s : "null");
		free(s);
		json_decref(o);
	} else {
		char due[48], badge[64], tier[96], title[256], org[64];
		countdown(in->next_due_ms, lc->now, due, sizeof due);
		/* The "?" of a proposed tier follows the name, as in the console's
		 * queue, and the column is as wide as the widest marked name. */
		incfmt_badge(&lc->ic->tiers, in->tier, in->confirmed_tier < 0 && in->proposed_tier >= 0, badge, sizeof badge);
		text_pad(tier, sizeof tier, badge, badge_cols(&lc->ic->tiers));
		text_pad(org, sizeof org, in->reporting_org, 18);
		text_fit(title, sizeof title, in->title, 50);
		/* A drill item is marked wherever it is listed (only --drill lists it). */
		printf("%s  %s %-10s %s %-16s %s%s\n", shiftlog_short_id(in->id), tier, incident_status_id(in->status), org,
		       due, in->drill ? "[DRILL] " : "", title);
	}
	lc->rows++;
	return 0;
}

static int incident_list(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },        { "closed", no_argument, NULL, 'c' },
		{ "tier", required_argument, NULL, 't' }, { "status", required_argument, NULL, 's' },
		{ "district", required_argument, NULL, 'd' }, { "grep", required_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },       { "drill", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	f.drill = 0;
	struct list_ctx lc = { .ic = ic, .now = time_now_ms() };
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident list", argc, argv, opts)) != -1) {
		switch (c) {
		case 'a': f.closed = -1; break;
		case 'c': f.closed = 1; break;
		case 't':
			if ((f.tier = tier_parse(optarg)) < 0)
				return cli_usage_error(ic->cli, "incident list", "--tier %s: use unassessed, IV, III, II or I", optarg);
			break;
		case 's':
			if ((f.status = incident_status_parse(optarg)) < 0)
				return cli_usage_error(ic->cli, "incident list", "--status %s: unknown status", optarg);
			f.closed = -1;
			break;
		case 'd': f.district = optarg; break;
		case 'g': f.text = optarg; break;
		case 'j': lc.json = true; break;
		case 'D': f.drill = -1; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(ic->cli, "incident list", "unexpected argument '%s'", argv[optind]);
	i18n_init();
	int rc = open_all(ic, DD_STORE_READONLY, true);
	if (rc)
		return rc;
	if (lc.json)
		fputs("[", stdout);
	if (store_incident_scan(ic->cli->store, &f, NULL, false, INT32_MAX, list_row, &lc, &ic->cli->err))
		return cli_report(ic->cli, &ic->cli->err);
	if (lc.json)
		fputs(lc.rows ? "\n]\n" : "]\n", stdout);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* ---- show and report ---------------------------------------------- */

static const char *body_text(const struct dd_event *ev, const char *name)
{
	const char *s = json_string_value(json_object_get(ev->body, name));
	return s ? s : "";
}

/* One line of the timeline, for people: what happened in this event. */
static void describe(const struct dd_event *ev, char *buf, size_t n)
{
	const char *k = ev->kind + strlen("incident.");
	if (strcmp(k, "open") == 0)
		snprintf(buf, n, "opened: %s", body_text(ev, "title"));
	else if (strcmp(k, "status") == 0)
		snprintf(buf, n, "status → %s: %s", body_text(ev, "to"), body_text(ev, "note"));
	else if (strcmp(k, "tier") == 0)
		snprintf(buf, n, "tier %s %s: %s", strcmp(body_text(ev, "action"), "confirm") == 0 ? "confirmed" : "proposed",
			 body_text(ev, "tier"), body_text(ev, "reason"));
	else if (strcmp(k, "hop") == 0)
		snprintf(buf, n, "reported (%s) to %s by %s%s%s", body_text(ev, "via"), body_text(ev, "to"),
			 body_text(ev, "hop"), *body_text(ev, "note") ? ": " : "", body_text(ev, "note"));
	else if (strcmp(k, "note") == 0)
		snprintf(buf, n, "%s%s%s", *body_text(ev, "corrects") ? "CORRECTS #" : "",
			 *body_text(ev, "corrects") ? shiftlog_short_id(body_text(ev, "corrects")) : "", body_text(ev, "text"));
	else if (strcmp(k, "report") == 0)
		snprintf(buf, n, "report: %s %s %s %s %s %s", body_text(ev, "occurred"), body_text(ev, "scope"),
			 body_text(ev, "harm"), body_text(ev, "measures"), body_text(ev, "recommendations"),
			 body_text(ev, "support"));
	else if (strcmp(k, "duplicate") == 0)
		snprintf(buf, n, "marked a duplicate of %s", body_text(ev, "of"));
	else if (strcmp(k, "summary") == 0)
		snprintf(buf, n, "summary written");
	else
		snprintf(buf, n, "%s", ev->kind);
}

struct show_ctx {
	const char *tz;
	json_t *list;      /* JSON output, or NULL */
	int reports;
	json_t *summary;   /* body of the latest summary, for the report */
};

static int show_event(const struct dd_event *ev, void *p)
{
	struct show_ctx *sc = p;
	if (sc->list) {
		json_array_append_new(sc->list, event_to_json(ev));
		return 0;
	}
	int64_t at_ms;
	int off;
	time_parse_rfc3339(ev->at, &at_ms, &off);
	char when[32], line[2048], numbered[2100], safe[2048];
	time_format_local(at_ms, sc->tz, "%m-%d %H:%M", when, sizeof when);
	describe(ev, line, sizeof line);
	const char *text = line;
	if (strcmp(ev->kind, "incident.report") == 0) {
		snprintf(numbered, sizeof numbered, "%s #%d%s", sc->reports ? "follow-up report (补报)" : "first report",
			 sc->reports + 1, line + strlen("report"));
		text = numbered;
		sc->reports++;
	}
	text_fit(safe, sizeof safe, text, 110);
	char actor[64];
	text_pad(actor, sizeof actor, ev->actor, 8);
	printf("  %s  #%s  %s %s\n", when, shiftlog_short_id(ev->id), actor, safe);
	if (strcmp(ev->kind, "incident.summary") == 0) {
		json_decref(sc->summary);
		sc->summary = json_incref(ev->body);
	}
	return 0;
}

static int incident_show(struct incident_cli *ic, int argc, char **argv, bool as_report)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *command = as_report ? "incident report" : "incident show";
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, command, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = true;
			else if (strcmp(optarg, "md") != 0)
				return cli_usage_error(ic->cli, command, "--format %s: use md or json", optarg);
			break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(ic->cli, command, "give one incident id");
	i18n_init();
	int rc = open_all(ic, DD_STORE_READONLY, true);
	if (rc || (rc = resolve(ic, argv[optind])))
		return rc;
	struct dd_incident in;
	struct dd_hop_state hops[DD_HOPS_MAX];
	int n_hops;
	struct dd_store *st = ic->cli->store;
	if (store_incident_get(st, ic->id, &in, &ic->cli->err) || store_incident_hops(st, ic->id, hops, &n_hops, &ic->cli->err))
		return cli_report(ic->cli, &ic->cli->err);
	const char *tz = ic->cli->cfg.timezone;
	int64_t now = time_now_ms();
	struct show_ctx sc = { .tz = tz };
	if (json) {
		json_t *o = incident_json(&in, &ic->tiers, tz);
		json_t *chain = json_array();
		for (int i = 0; i < n_hops; i++) {
			char due[DD_AT_MAX], made[DD_AT_MAX] = "";
			time_format_rfc3339(hops[i].due_ms, tz, due, sizeof due);
			if (hops[i].done_ms)
				time_format_rfc3339(hops[i].done_ms, tz, made, sizeof made);
			json_array_append_new(chain, json_pack("{s:s, s:s, s:s, s:s?, s:b}", "hop", hops[i].hop, "to", hops[i].to,
							       "due", due, "made_at", hops[i].done_ms ? made : NULL, "late",
							       hops[i].done_ms ? hops[i].done_ms > hops[i].due_ms : now > hops[i].due_ms));
		}
		json_object_set_new(o, "chain", chain);
		sc.list = json_array();
		if (store_incident_timeline(st, ic->id, show_event, &sc, &ic->cli->err)) {
			json_decref(o);
			json_decref(sc.list);
			return cli_report(ic->cli, &ic->cli->err);
		}
		json_object_set_new(o, "timeline", sc.list);
		json_object_set_new(o, "lead", json_string(ic->tiers.tier[in.tier].lead));
		char *s = json_dumps(o, JSON_INDENT(2));
		puts(s ? s : "null");
		free(s);
		json_decref(o);
		return EXIT_OK;
	}
	char when[32], detected[32];
	time_format_local(in.detected_ms, tz, "%Y-%m-%d %H:%M", detected, sizeof detected);
	const struct dd_tier_rule *r = &ic->tiers.tier[in.tier];
	printf("%s%s  %s\n", as_report ? "# " : "", shiftlog_short_id(in.id), in.title);
	printf("%s%s %s%s · %s · %s · %s%s\n", as_report ? "\n" : "", r->name_zh, r->name_en,
	       in.confirmed_tier >= 0 ? "" : in.proposed_tier >= 0 ? " (proposed)" : "", incident_status_id(in.status),
	       in.category, in.reporting_org, in.cii ? " · 关键信息基础设施" : "");
	printf("detected %s · lead: %s\n", detected, r->lead);
	if (in.objects[0])
		printf("objects: %s\n", in.objects);
	if (in.duplicate_of[0])
		printf("DUPLICATE of %s\n", in.duplicate_of);
	fputs(as_report ? "\n## reporting chain\n" : "\nreporting chain:\n", stdout);
	for (int i = 0; i < n_hops; i++) {
		char due[32], state[80];
		time_format_local(hops[i].due_ms, tz, "%m-%d %H:%M", due, sizeof due);
		if (hops[i].done_ms) {
			time_format_local(hops[i].done_ms, tz, "%m-%d %H:%M", when, sizeof when);
			snprintf(state, sizeof state, "made %s by %s (%s)%s", when, hops[i].by, hops[i].via,
				 hops[i].done_ms > hops[i].due_ms ? " LATE" : "");
		} else {
			countdown(hops[i].due_ms, now, state, sizeof state);
		}
		printf("  %-10s → %s  due %s  %s\n", hops[i].hop, hops[i].to, due, state);
	}
	if (in.summary_due_ms) {
		char due[32];
		time_format_local(in.summary_due_ms, tz, "%Y-%m-%d", due, sizeof due);
		printf("  summary    due %s  %s\n", due, in.has_summary ? "written" : now > in.summary_due_ms ? "OVERDUE" : "pending");
	}
	fputs(as_report ? "\n## timeline\n" : "\ntimeline:\n", stdout);
	if (store_incident_timeline(st, ic->id, show_event, &sc, &ic->cli->err)) {
		json_decref(sc.summary);
		return cli_report(ic->cli, &ic->cli->err);
	}
	if (as_report && sc.summary) {
		static const char *const sections[][2] = {
			{ "cause", "事件原因 Cause" },          { "response", "处置过程 Response" },
			{ "harm", "危害与损失 Harm" },          { "accountability", "责任认定 Accountability" },
			{ "rectification", "整改措施 Rectification" }, { "lessons", "经验教训 Lessons" },
		};
		printf("\n## 事件分析总结 Post-incident summary\n");
		for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
			const char *text = json_string_value(json_object_get(sc.summary, sections[i][0]));
			char *clean = text ? text_escape(text) : NULL;
			printf("\n### %s\n\n%s\n", sections[i][1], clean ? clean : "");
			free(clean);
		}
	}
	json_decref(sc.summary);
	return EXIT_OK;
}

/* ---- changes -------------------------------------------------------- */

static int incident_status(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = { { "note", required_argument, NULL, 'n' }, { NULL, 0, NULL, 0 } };
	const char *note = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident status", argc, argv, opts)) != -1) {
		if (c != 'n')
			return EXIT_USAGE;
		note = optarg;
	}
	if (argc - optind != 2 || !note)
		return cli_usage_error(ic->cli, "incident status", "usage: incident status ID STATUS --note TEXT");
	int to = incident_status_parse(argv[optind + 1]);
	if (to < 0)
		return cli_usage_error(ic->cli, "incident status", "'%s': statuses are reported, assessing, responding, "
				       "recovering, closed, reviewed", argv[optind + 1]);
	int rc = open_all(ic, 0, true);
	if (rc || (rc = resolve(ic, argv[optind])))
		return rc;
	return done(ic, incident_set_status(ic->cli->store, &ic->cli->cfg, &ic->tiers, ic->id, to, note, &ic->cli->err),
		    incident_status_id(to));
}

static int incident_tier(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' }, { "confirm", no_argument, NULL, 'c' }, { NULL, 0, NULL, 0 },
	};
	const char *reason = NULL;
	bool confirm = false;
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident tier", argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 'c': confirm = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 2 || !reason)
		return cli_usage_error(ic->cli, "incident tier", "usage: incident tier ID TIER --reason TEXT [--confirm]");
	int tier = tier_parse(argv[optind + 1]);
	if (tier < 0)
		return cli_usage_error(ic->cli, "incident tier", "'%s': tiers are IV (一般), III (较大), II (重大), I (特别重大)",
				       argv[optind + 1]);
	int rc = open_all(ic, 0, true);
	if (rc || (rc = resolve(ic, argv[optind])))
		return rc;
	return done(ic, incident_set_tier(ic->cli->store, &ic->cli->cfg, &ic->tiers, ic->id, confirm, tier, reason,
					  &ic->cli->err), confirm ? "tier confirmed" : "tier proposed");
}

static int incident_hop(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "via", required_argument, NULL, 'v' }, { "to", required_argument, NULL, 't' },
		{ "at", required_argument, NULL, 'a' },  { "note", required_argument, NULL, 'n' }, { NULL, 0, NULL, 0 },
	};
	const char *via = NULL, *to = NULL, *at = NULL, *note = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident hop", argc, argv, opts)) != -1) {
		switch (c) {
		case 'v': via = optarg; break;
		case 't': to = optarg; break;
		case 'a': at = optarg; break;
		case 'n': note = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 2 || !via)
		return cli_usage_error(ic->cli, "incident hop", "usage: incident hop ID HOP --via phone|platform|document");
	int rc = open_all(ic, 0, false);
	int64_t made = 0;
	if (rc || (at && (rc = cli_parse_time(ic->cli, "incident hop", "--at", at, &made))) || (rc = resolve(ic, argv[optind])))
		return rc;
	return done(ic, incident_record_hop(ic->cli->store, &ic->cli->cfg, ic->id, argv[optind + 1], to, via, made, note,
					    &ic->cli->err), "hop recorded");
}

static int incident_note_cmd(struct incident_cli *ic, int argc, char **argv, bool correct)
{
	const char *command = correct ? "incident correct" : "incident note";
	int want = correct ? 4 : 3;
	if (argc != want)
		return cli_usage_error(ic->cli, command, correct ? "usage: incident correct ID ENTRY TEXT"
								 : "usage: incident note ID TEXT");
	int rc = open_all(ic, 0, false);
	if (rc || (rc = resolve(ic, argv[1])))
		return rc;
	char entry[DD_UUID_LEN + 1] = "";
	if (correct && store_event_resolve(ic->cli->store, ic->id, argv[2], entry, &ic->cli->err))
		return cli_usage_error(ic->cli, command, "%s", ic->cli->err.msg);
	return done(ic, incident_note(ic->cli->store, &ic->cli->cfg, ic->id, argv[want - 1], correct ? entry : NULL,
				      &ic->cli->err), correct ? "correction added" : "note added");
}

static int incident_followup(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "occurred", required_argument, NULL, 'o' }, { "scope", required_argument, NULL, 's' },
		{ "harm", required_argument, NULL, 'h' },     { "measures", required_argument, NULL, 'm' },
		{ "recommendations", required_argument, NULL, 'r' }, { "support", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_incident_report r = { 0 };
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident followup", argc, argv, opts)) != -1) {
		switch (c) {
		case 'o': r.occurred = optarg; break;
		case 's': r.scope = optarg; break;
		case 'h': r.harm = optarg; break;
		case 'm': r.measures = optarg; break;
		case 'r': r.recommendations = optarg; break;
		case 'u': r.support = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(ic->cli, "incident followup", "give one incident id");
	int rc = open_all(ic, 0, false);
	if (rc || (rc = resolve(ic, argv[optind])))
		return rc;
	return done(ic, incident_report(ic->cli->store, &ic->cli->cfg, ic->id, &r, &ic->cli->err), "report added");
}

static int incident_duplicate(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = { { "of", required_argument, NULL, 'o' }, { NULL, 0, NULL, 0 } };
	const char *of = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident duplicate", argc, argv, opts)) != -1) {
		if (c != 'o')
			return EXIT_USAGE;
		of = optarg;
	}
	if (argc - optind != 1 || !of)
		return cli_usage_error(ic->cli, "incident duplicate", "usage: incident duplicate ID --of ID");
	int rc = open_all(ic, 0, false);
	if (rc || (rc = resolve(ic, of)))
		return rc;
	char original[DD_UUID_LEN + 1];
	memcpy(original, ic->id, sizeof original);
	if ((rc = resolve(ic, argv[optind])))
		return rc;
	return done(ic, incident_mark_duplicate(ic->cli->store, &ic->cli->cfg, ic->id, original, &ic->cli->err),
		    "marked duplicate");
}

static int incident_summary_cmd(struct incident_cli *ic, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cause", required_argument, NULL, 'c' },          { "response", required_argument, NULL, 'r' },
		{ "harm", required_argument, NULL, 'h' },           { "accountability", required_argument, NULL, 'a' },
		{ "rectification", required_argument, NULL, 'f' }, { "lessons", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_incident_summary s = { 0 };
	int c;
	optind = 1;
	while ((c = cli_getopt(ic->cli, "incident summary", argc, argv, opts)) != -1) {
		switch (c) {
		case 'c': s.cause = optarg; break;
		case 'r': s.response = optarg; break;
		case 'h': s.harm = optarg; break;
		case 'a': s.accountability = optarg; break;
		case 'f': s.rectification = optarg; break;
		case 'l': s.lessons = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(ic->cli, "incident summary", "give one incident id");
	int rc = open_all(ic, 0, false);
	if (rc || (rc = resolve(ic, argv[optind])))
		return rc;
	return done(ic, incident_summary(ic->cli->store, &ic->cli->cfg, ic->id, &s, &ic->cli->err), "summary written");
}

int cmd_incident(struct cli *cli, int argc, char **argv)
{
	struct incident_cli ic = { .cli = cli };
	if (argc < 2)
		return cli_usage_error(cli, "incident", "give a subcommand: new, list, show, status, tier, hop, note, "
				       "correct, followup, duplicate, summary, report");
	const char *sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "new") == 0)
		return incident_new(&ic, argc, argv);
	if (strcmp(sub, "list") == 0)
		return incident_list(&ic, argc, argv);
	if (strcmp(sub, "show") == 0)
		return incident_show(&ic, argc, argv, false);
	if (strcmp(sub, "report") == 0)
		return incident_show(&ic, argc, argv, true);
	if (strcmp(sub, "status") == 0)
		return incident_status(&ic, argc, argv);
	if (strcmp(sub, "tier") == 0)
		return incident_tier(&ic, argc, argv);
	if (strcmp(sub, "hop") == 0)
		return incident_hop(&ic, argc, argv);
	if (strcmp(sub, "note") == 0)
		return incident_note_cmd(&ic, argc, argv, false);
	if (strcmp(sub, "correct") == 0)
		return incident_note_cmd(&ic, argc, argv, true);
	if (strcmp(sub, "followup") == 0)
		return incident_followup(&ic, argc, argv);
	if (strcmp(sub, "duplicate") == 0)
		return incident_duplicate(&ic, argc, argv);
	if (strcmp(sub, "summary") == 0)
		return incident_summary_cmd(&ic, argc, argv);
	return cli_usage_error(cli, "incident", "unknown subcommand '%s'", sub);
}
