/*
 * cmd_duty.c — `dutydesk duty …`: who is on duty now, the week's
 * schedule (值班表), setting shifts, swaps and take-overs with their
 * reason, and the coverage check.  A refused change stores nothing and
 * exits 2.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/roster.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

#define DAY_MS 86400000LL

/* "  Label      value", the label padded by display width (CJK labels
 * under zh_CN are two columns a character). */
static void print_field(const char *label, const char *value)
{
	char padded[128];
	text_pad(padded, sizeof padded, label, 14);
	printf("  %s %s\n", padded, value);
}

static int refused(struct cli *cli, const char *command)
{
	if (cli->err.code == DD_EINVAL || cli->err.code == DD_ENOTFOUND)
		return cli_usage_error(cli, command, "%s", cli->err.msg);
	return cli_report(cli, &cli->err);
}

/* The officers as one line, safe for a terminal (names come from other
 * desks' events too). */
static void join_officers(const struct dd_shift *sh, char *buf, size_t n)
{
	char raw[DD_SHIFT_OFFICERS_MAX * (DD_PERSON_MAX + 4)] = "";
	for (int k = 0; k < sh->n_officers; k++)
		snprintf(raw + strlen(raw), sizeof raw - strlen(raw), "%s%s", k ? "、" : "", sh->officers[k]);
	text_fit(buf, n, raw, 200);
}

static const char *safe(const char *s, char *buf, size_t n)
{
	text_fit(buf, n, s, 60);
	return buf;
}

static json_t *shift_json(const struct dd_shift *sh, const char *tz)
{
	char start[DD_AT_MAX], end[DD_AT_MAX];
	time_format_rfc3339(sh->start_ms, tz, start, sizeof start);
	time_format_rfc3339(sh->end_ms, tz, end, sizeof end);
	json_t *officers = json_array();
	for (int k = 0; k < sh->n_officers; k++)
		json_array_append_new(officers, json_string(sh->officers[k]));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:s, s:s, s:s}", "id", sh->id, "org", sh->org,
			 "org_name", sh->org_name, "post", sh->post, "start", start, "end", end, "officers", officers,
			 "leader", sh->leader, "phone", sh->phone, "h24", sh->h24, "change", sh->change, "reason",
			 sh->reason, "by", sh->by);
}

/* ---- now ------------------------------------------------------------ */

static int duty_now(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' }, { "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },      { NULL, 0, NULL, 0 },
	};
	const char *org = NULL, *at = NULL;
	bool json = false;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "duty now", argc, argv, opts)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'a': at = optarg; break;
		case 'j': json = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "duty now", "unexpected argument '%s'", argv[optind]);
	i18n_init();
	int64_t when = time_now_ms();
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc || (at && (rc = cli_parse_time(cli, "duty now", "--at", at, &when))))
		return rc;
	if (!org)
		org = cli->cfg.org;
	struct dd_shift sh[8];
	int n = 0;
	if (store_duty_at(cli->store, org, when, sh, 8, &n, &cli->err))
		return cli_report(cli, &cli->err);
	const char *tz = cli->cfg.timezone;
	if (json) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, shift_json(&sh[i], tz));
		char *s = json_dumps(arr, JSON_COMPACT);
		printf("%s\n", s ? s : "[]");
		free(s);
		json_decref(arr);
		return EXIT_OK;
	}
	if (!n) {
		printf(_("%s: nobody on duty (no shift now; dutydesk duty set %s --date today --officer NAME --leader NAME)\n"),
		       org, org);
		return EXIT_OK;
	}
	for (int i = 0; i < n; i++) {
		char from[32], to[32], names[1200], name[400];
		time_format_local(sh[i].start_ms, tz, "%m-%d %H:%M", from, sizeof from);
		time_format_local(sh[i].end_ms, tz, "%m-%d %H:%M", to, sizeof to);
		join_officers(&sh[i], names, sizeof names);
		text_fit(name, sizeof name, sh[i].org_name, 40);
		char post[200], leader[400];
		printf("%s %s%s%s  %s → %s%s\n", sh[i].org, name, sh[i].post[0] ? "  " : "", safe(sh[i].post, post, sizeof post),
		       from, to, sh[i].h24 ? "  7×24" : "");
		print_field(_("Duty officers"), names[0] ? names : "-");
		print_field(_("Leader"), sh[i].leader[0] ? safe(sh[i].leader, leader, sizeof leader) : "-");
		if (sh[i].phone[0])
			print_field(_("Duty phone"), sh[i].phone);
	}
	return EXIT_OK;
}

/* ---- week ----------------------------------------------------------- */

struct week {
	struct cli *cli;
	bool json, first;
	int64_t from;
	int days;
	char org[DD_ORG_ID_MAX + 1];
	int64_t today;
	int64_t rows;
};

static int week_row(const struct dd_shift *sh, void *p)
{
	struct week *w = p;
	const char *tz = w->cli->cfg.timezone;
	w->rows++;
	if (w->json) {
		json_t *o = shift_json(sh, tz);
		char *s = json_dumps(o, JSON_COMPACT);
		printf("%s\n%s", w->first ? "" : ",", s ? s : "null");
		w->first = false;
		free(s);
		json_decref(o);
		return 0;
	}
	char name[400], day[32], from[16], to[16], names[1200];
	if (strcmp(w->org, sh->org) != 0) {
		snprintf(w->org, sizeof w->org, "%s", sh->org);
		text_fit(name, sizeof name, sh->org_name, 50);
		printf("%s  %s\n", sh->org, name);
	}
	static const char *const weekday[] = { "", "周一", "周二", "周三", "周四", "周五", "周六", "周日" };
	char wd[4];
	time_format_local(sh->start_ms, tz, "%m-%d", day, sizeof day);
	time_format_local(sh->start_ms, tz, "%u", wd, sizeof wd);
	time_format_local(sh->start_ms, tz, "%H:%M", from, sizeof from);
	time_format_local(sh->end_ms, tz, "%H:%M", to, sizeof to);
	join_officers(sh, names, sizeof names);
	bool today = time_local_day(sh->start_ms, tz) == w->today;
	char post[200], leader[400];
	printf("%s %s %s %s→%s  %s%s%s  值班 %s  带班 %s%s%s\n", today ? "*" : " ", day, weekday[atoi(wd) % 8], from, to,
	       safe(sh->post, post, sizeof post), sh->post[0] ? "  " : "", sh->h24 ? "7×24  " : "", names[0] ? names : "-",
	       sh->leader[0] ? safe(sh->leader, leader, sizeof leader) : "-", strcmp(sh->change, "set") != 0 ? "  · " : "",
	       strcmp(sh->change, "set") != 0 ? sh->change : "");
	return 0;
}

static int duty_week(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },  { "all", no_argument, NULL, 'a' },
		{ "from", required_argument, NULL, 'f' }, { "days", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },       { NULL, 0, NULL, 0 },
	};
	struct week w = { .cli = cli, .first = true, .days = 7 };
	const char *scope = NULL, *from = NULL;
	bool all = false;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "duty week", argc, argv, opts)) != -1) {
		switch (c) {
		case 'o': scope = optarg; break;
		case 'a': all = true; break;
		case 'f': from = optarg; break;
		case 'd':
			w.days = atoi(optarg);
			if (w.days < 1 || w.days > 62)
				return cli_usage_error(cli, "duty week", "--days %s: give 1 to 62", optarg);
			break;
		case 'j': w.json = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "duty week", "unexpected argument '%s'", argv[optind]);
	i18n_init();
	int64_t at = time_now_ms(), end;
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc || (from && (rc = cli_parse_time(cli, "duty week", "--from", from, &at))))
		return rc;
	if (duty_shift_bounds(cli->cfg.shift_start, cli->cfg.timezone, at, &w.from, &end, &cli->err))
		return cli_report(cli, &cli->err);
	w.today = time_local_day(time_now_ms(), cli->cfg.timezone);
	if (w.json)
		printf("[");
	if (store_duty_scan(cli->store, all ? NULL : scope ? scope : cli->cfg.org, w.from, w.from + w.days * DAY_MS, false,
			    week_row, &w, &cli->err))
		return cli_report(cli, &cli->err);
	if (w.json)
		printf("\n]\n");
	else if (!w.rows)
		fprintf(stderr, "no shifts in these %d days (dutydesk duty set ORG --date DATE …)\n", w.days);
	return EXIT_OK;
}

/* ---- set, swap, cancel ----------------------------------------------- */

/* The shift of org/post on --date, from the options every change shares. */
struct shift_ref {
	const char *org, *post, *date, *start, *end;
};

static int find_shift(struct cli *cli, const char *command, const struct shift_ref *r, const char *date,
		      struct dd_shift *out)
{
	int64_t start, end;
	if (duty_shift_on(date, r->start ? r->start : cli->cfg.shift_start, r->end, cli->cfg.timezone, &start, &end,
			  &cli->err))
		return cli_usage_error(cli, command, "%s", cli->err.msg);
	if (store_duty_find(cli->store, r->org, r->post, start, out, &cli->err)) {
		char when[32];
		time_format_local(start, cli->cfg.timezone, "%Y-%m-%d %H:%M", when, sizeof when);
		return cli->err.code == DD_ENOTFOUND
			       ? cli_usage_error(cli, command, "%s has no shift starting %s%s%s", r->org, when,
						 r->post && *r->post ? " at post " : "", r->post ? r->post : "")
			       : cli_report(cli, &cli->err);
	}
	return EXIT_OK;
}

static int duty_set_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },  { "post", required_argument, NULL, 'p' },
		{ "officer", required_argument, NULL, 'o' }, { "leader", required_argument, NULL, 'l' },
		{ "start", required_argument, NULL, 's' }, { "end", required_argument, NULL, 'e' },
		{ "phone", required_argument, NULL, 'P' }, { "24x7", no_argument, NULL, 'h' },
		{ "reason", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 },
	};
	struct shift_ref r = { 0 };
	const char *officers[DD_SHIFT_OFFICERS_MAX + 1];
	struct dd_shift_in in;
	memset(&in, 0, sizeof in);
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "duty set", argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': r.date = optarg; break;
		case 'p': r.post = optarg; break;
		case 'o':
			if (in.n_officers > DD_SHIFT_OFFICERS_MAX)
				return cli_usage_error(cli, "duty set", "at most %d officers per shift", DD_SHIFT_OFFICERS_MAX);
			officers[in.n_officers++] = optarg;
			break;
		case 'l': in.leader = optarg; break;
		case 's': r.start = optarg; break;
		case 'e': r.end = optarg; break;
		case 'P': in.phone = optarg; break;
		case 'h': in.h24 = true; break;
		case 'r': in.reason = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "duty set", "give one org id");
	if (!r.date)
		return cli_usage_error(cli, "duty set", "--date is required (2026-11-26, today)");
	in.org = argv[optind];
	in.post = r.post;
	in.officers = officers;
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	if (duty_shift_on(r.date, r.start ? r.start : cli->cfg.shift_start, r.end, cli->cfg.timezone, &in.start_ms,
			  &in.end_ms, &cli->err))
		return cli_usage_error(cli, "duty set", "%s", cli->err.msg);
	char id[DD_UUID_LEN + 1];
	bool changed;
	if (duty_set(cli->store, &cli->cfg, &in, id, &changed, &cli->err))
		return refused(cli, "duty set");
	printf("%s %s\n", shiftlog_short_id(id), changed ? "set" : "unchanged");
	return EXIT_OK;
}

static int duty_swap(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' }, { "post", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "with", required_argument, NULL, 'w' }, { "reason", required_argument, NULL, 'r' },
		{ "start", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	struct shift_ref r = { 0 };
	const char *from = NULL, *to = NULL, *with = NULL, *reason = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "duty swap", argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': r.date = optarg; break;
		case 'p': r.post = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'w': with = optarg; break;
		case 'r': reason = optarg; break;
		case 's': r.start = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "duty swap", "give one org id");
	if (!r.date || !from || !to || !reason)
		return cli_usage_error(cli, "duty swap", "--date, --from, --to and --reason are required");
	r.org = argv[optind];
	struct dd_shift a, b;
	int rc = cli_open(cli, 0);
	if (rc || (rc = find_shift(cli, "duty swap", &r, r.date, &a)) ||
	    (with && (rc = find_shift(cli, "duty swap", &r, with, &b))))
		return rc;
	if (duty_take_over(cli->store, &cli->cfg, a.id, from, to, with ? b.id : NULL, reason, &cli->err))
		return refused(cli, "duty swap");
	if (with)
		printf("%s %s swapped with %s %s\n", shiftlog_short_id(a.id), to, shiftlog_short_id(b.id), from);
	else
		printf("%s %s takes over from %s\n", shiftlog_short_id(a.id), to, from);
	return EXIT_OK;
}

static int duty_reassign_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },    { "post", required_argument, NULL, 'p' },
		{ "officer", required_argument, NULL, 'o' }, { "leader", required_argument, NULL, 'l' },
		{ "reason", required_argument, NULL, 'r' },  { "start", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct shift_ref r = { 0 };
	const char *officers[DD_SHIFT_OFFICERS_MAX + 1], *leader = NULL, *reason = NULL;
	int n = 0, c;
	optind = 1;
	while ((c = cli_getopt(cli, "duty reassign", argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': r.date = optarg; break;
		case 'p': r.post = optarg; break;
		case 'o':
			if (n > DD_SHIFT_OFFICERS_MAX)
				return cli_usage_error(cli, "duty reassign", "at most %d officers per shift", DD_SHIFT_OFFICERS_MAX);
			officers[n++] = optarg;
			break;
		case 'l': leader = optarg; break;
		case 'r': reason = optarg; break;
		case 's': r.start = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || !r.date || !reason || (!n && !leader))
		return cli_usage_error(cli, "duty reassign", "give one org id, --date, --reason and --officer or --leader");
	r.org = argv[optind];
	struct dd_shift sh;
	int rc = cli_open(cli, 0);
	if (rc || (rc = find_shift(cli, "duty reassign", &r, r.date, &sh)))
		return rc;
	if (duty_reassign(cli->store, &cli->cfg, sh.id, n ? officers : NULL, n, leader, reason, &cli->err))
		return refused(cli, "duty reassign");
	printf("%s reassigned\n", shiftlog_short_id(sh.id));
	return EXIT_OK;
}

static int duty_cancel_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },   { "post", required_argument, NULL, 'p' },
		{ "reason", required_argument, NULL, 'r' }, { "start", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct shift_ref r = { 0 };
	const char *reason = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "duty cancel", argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': r.date = optarg; break;
		case 'p': r.post = optarg; break;
		case 'r': reason = optarg; break;
		case 's': r.start = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || !r.date || !reason)
		return cli_usage_error(cli, "duty cancel", "give one org id, --date and --reason");
	r.org = argv[optind];
	struct dd_shift sh;
	int rc = cli_open(cli, 0);
	if (rc || (rc = find_shift(cli, "duty cancel", &r, r.date, &sh)))
		return rc;
	if (duty_cancel(cli->store, &cli->cfg, sh.id, reason, &cli->err))
		return refused(cli, "duty cancel");
	printf("%s cancelled\n", shiftlog_short_id(sh.id));
	return EXIT_OK;
}

int cmd_duty(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "duty", "give now, week, set, swap, reassign, cancel or gaps");
	const char *sub = argv[1];
	if (strcmp(sub, "now") == 0)
		return duty_now(cli, argc - 1, argv + 1);
	if (strcmp(sub, "week") == 0)
		return duty_week(cli, argc - 1, argv + 1);
	if (strcmp(sub, "set") == 0)
		return duty_set_cmd(cli, argc - 1, argv + 1);
	if (strcmp(sub, "swap") == 0)
		return duty_swap(cli, argc - 1, argv + 1);
	if (strcmp(sub, "reassign") == 0)
		return duty_reassign_cmd(cli, argc - 1, argv + 1);
	if (strcmp(sub, "cancel") == 0)
		return duty_cancel_cmd(cli, argc - 1, argv + 1);
	if (strcmp(sub, "gaps") == 0)
		return cli_roster_gaps(cli, "duty gaps", argc - 1, argv + 1);
	return cli_usage_error(cli, "duty", "unknown subcommand '%s' (now, week, set, swap, reassign, cancel, gaps)", sub);
}
