/*
 * cmd_zero.c — `dutydesk period …` (protection periods, 重保时期) and
 * `dutydesk zero …` (24-hour zero reporting, 零报告): create and end
 * periods, submit a report, the checklist for the current report time,
 * and the daily summary for the commission.  The rules are zero.c's;
 * this file parses, prints and maps refusals to exit 2.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/logout.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"
#include "dutydesk/zeroclock.h"

#define LIST_MAX 16

static int refused(struct cli *cli, const char *command)
{
	if (cli->err.code == DD_EINVAL || cli->err.code == DD_ENOTFOUND)
		return cli_usage_error(cli, command, "%s", cli->err.msg);
	return cli_report(cli, &cli->err);
}

/* Adds the comma-separated items of arg (which it cuts) to list. */
static int add_items(struct cli *cli, const char *command, const char *option, char *arg, const char **list, int *n)
{
	for (char *save = NULL, *t = strtok_r(arg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (*n == LIST_MAX)
			return cli_usage_error(cli, command, "%s: too many items", option);
		list[(*n)++] = t;
	}
	return EXIT_OK;
}

static const char *tz_of(const struct dd_period *p)
{
	return p->tz[0] ? p->tz : DD_DEFAULT_TZ;
}

static void print_period(const struct dd_period *p)
{
	char start[32], end[32], times[DD_PERIOD_TIMES_MAX * 8] = "";
	time_format_local(p->start_ms, tz_of(p), "%Y-%m-%d %H:%M", start, sizeof start);
	time_format_local(p->end_ms, tz_of(p), "%Y-%m-%d %H:%M", end, sizeof end);
	size_t used = 0;
	for (int i = 0; i < p->n_times && used < sizeof times; i++)
		used += (size_t)snprintf(times + used, sizeof times - used, "%s%02d:%02d", i ? "," : "",
					 p->times_min[i] / 60 % 24, p->times_min[i] % 60);
	printf("%s  %s\n  %s — %s (%s)  报送时间 %s  宽限 %d 分钟 ", shiftlog_short_id(p->id), p->name, start, end, tz_of(p),
	       times, p->grace_min);
	printf("%s%s%s\n  范围", p->zero ? " 零报告" : "", p->watch ? " 24小时值守" : "", p->freeze ? " 变更冻结" : "");
	for (int i = 0; i < p->n_scope; i++)
		printf(" %s", p->scope[i]);
	printf("\n");
}

static int list_one(const struct dd_period *p, void *ctx)
{
	(*(int *)ctx)++;
	print_period(p);
	return 0;
}

static int period_new(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "start", required_argument, NULL, 's' }, { "end", required_argument, NULL, 'e' },
		{ "scope", required_argument, NULL, 'o' }, { "times", required_argument, NULL, 't' },
		{ "grace", required_argument, NULL, 'g' }, { "rules", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "period new", *start = NULL, *end = NULL, *scope[LIST_MAX], *times[LIST_MAX], *rules[LIST_MAX];
	int n_scope = 0, n_times = 0, n_rules = 0, c, rc;
	struct dd_period_in in = { .grace_min = 0 };
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 's': start = optarg; break;
		case 'e': end = optarg; break;
		case 'o': if ((rc = add_items(cli, cmd, "--scope", optarg, scope, &n_scope))) return rc; break;
		case 't': if ((rc = add_items(cli, cmd, "--times", optarg, times, &n_times))) return rc; break;
		case 'r': if ((rc = add_items(cli, cmd, "--rules", optarg, rules, &n_rules))) return rc; break;
		case 'g': {
			char *endp;
			long g = strtol(optarg, &endp, 10);
			if (*endp || endp == optarg || g < 0 || g > DD_PERIOD_GRACE_MAX)
				return cli_usage_error(cli, cmd, "--grace %s: minutes from 0 to %d", optarg,
						       DD_PERIOD_GRACE_MAX);
			in.grace_min = (int)g;
			break;
		}
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, cmd, "give the period's name");
	if (!start || !end || !n_scope || !n_times)
		return cli_usage_error(cli, cmd, "--start, --end, --scope and --times are required");
	if (n_rules == 0)
		in.zero = true;
	for (int i = 0; i < n_rules; i++) {
		if (strcmp(rules[i], "zero") == 0)
			in.zero = true;
		else if (strcmp(rules[i], "watch") == 0)
			in.watch = true;
		else if (strcmp(rules[i], "freeze") == 0)
			in.freeze = true;
		else
			return cli_usage_error(cli, cmd, "--rules %s: use zero, watch and freeze", rules[i]);
	}
	in.name = argv[optind];
	in.scope = scope;
	in.n_scope = n_scope;
	in.times = times;
	in.n_times = n_times;
	if ((rc = cli_load_config(cli)) || (rc = cli_parse_time(cli, cmd, "--start", start, &in.start_ms)) ||
	    (rc = cli_parse_time(cli, cmd, "--end", end, &in.end_ms)) || (rc = cli_open(cli, 0)))
		return rc;
	char id[DD_UUID_LEN + 1];
	if (zero_period_new(cli->store, &cli->cfg, &in, id, &cli->err))
		return refused(cli, cmd);
	printf("%s period created\n", shiftlog_short_id(id));
	return EXIT_OK;
}

static int period_list(struct cli *cli, int argc, char **argv)
{
	i18n_init();
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	bool all = false;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, "period list", argc, argv, opts)) != -1) {
		if (c != 'a')
			return EXIT_USAGE;
		all = true;
	}
	if (optind < argc)
		return cli_usage_error(cli, "period list", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(cli, DD_STORE_READONLY)))
		return rc;
	int n = 0;
	if (store_period_scan(cli->store, all, time_now_ms(), list_one, &n, &cli->err))
		return cli_report(cli, &cli->err);
	if (!n)
		fprintf(stderr, "no protection periods%s\n", all ? "" : " now or to come (--all lists past ones)");
	return EXIT_OK;
}

static int print_warning(const struct dd_freeze_warning *w, void *ctx)
{
	const char *tz = ctx;
	char at[32];
	time_format_local(w->at_ms, tz, "%m-%d %H:%M", at, sizeof at);
	printf("  冻结告警 %s  %s  %s (%s)  %s  by %s\n", at, w->org, w->object_name, shiftlog_short_id(w->object),
	       w->change, w->by);
	return 0;
}

/* Resolves argv's period id and reads it; rc is an exit code. */
static int read_period(struct cli *cli, const char *cmd, const char *ref, struct dd_period *p)
{
	char id[DD_UUID_LEN + 1];
	if (store_period_resolve(cli->store, ref, id, &cli->err) || store_period_get(cli->store, id, p, &cli->err))
		return refused(cli, cmd);
	return EXIT_OK;
}

static int period_show(struct cli *cli, int argc, char **argv)
{
	i18n_init();
	if (argc != 2)
		return cli_usage_error(cli, "period show", "give one period id");
	int rc = cli_open(cli, DD_STORE_READONLY);
	struct dd_period p;
	if (rc || (rc = read_period(cli, "period show", argv[1], &p)))
		return rc;
	print_period(&p);
	int64_t slot;
	struct dd_error e;
	if (zero_slot_at(&p, time_now_ms(), &slot, &e) == 0) {
		char at[32];
		time_format_local(slot, tz_of(&p), "%Y-%m-%d %H:%M", at, sizeof at);
		printf("  下一报送时间 %s\n", at);
	}
	if (store_freeze_scan(cli->store, p.id, zero_viewer_scope(&cli->cfg), print_warning, cli->cfg.timezone,
			      &cli->err))
		return cli_report(cli, &cli->err);
	return EXIT_OK;
}

static int period_end(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "at", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	const char *at = NULL;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, "period end", argc, argv, opts)) != -1) {
		if (c != 'a')
			return EXIT_USAGE;
		at = optarg;
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "period end", "give one period id");
	int64_t end_ms = time_now_ms();
	struct dd_period p;
	if ((rc = cli_load_config(cli)) || (at && (rc = cli_parse_time(cli, "period end", "--at", at, &end_ms))) ||
	    (rc = cli_open(cli, 0)) || (rc = read_period(cli, "period end", argv[optind], &p)))
		return rc;
	if (zero_period_end(cli->store, &cli->cfg, p.id, end_ms, &cli->err))
		return refused(cli, "period end");
	printf("%s ended\n", shiftlog_short_id(p.id));
	return EXIT_OK;
}

int cmd_period(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "period", "give new, list, show or end");
	if (strcmp(argv[1], "new") == 0)
		return period_new(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return period_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return period_show(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "end") == 0)
		return period_end(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, "period", "unknown subcommand '%s' (new, list, show, end)", argv[1]);
}

/* ---- zero ------------------------------------------------------------- */

static int zero_submit_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },      { "nil", no_argument, NULL, 'n' },
		{ "incident", required_argument, NULL, 'i' }, { "via", required_argument, NULL, 'v' },
		{ "period", required_argument, NULL, 'p' },   { "slot", required_argument, NULL, 's' },
		{ "reporter", required_argument, NULL, 'r' }, { "note", required_argument, NULL, 't' },
		{ "correct", no_argument, NULL, 'c' },        { NULL, 0, NULL, 0 },
	};
	const char *cmd = "zero submit", *incidents[LIST_MAX], *slot = NULL;
	struct dd_zero_in in = { .via = "cli" };
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'o': in.org = optarg; break;
		case 'n': in.nil = true; break;
		case 'i':
			if ((rc = add_items(cli, cmd, "--incident", optarg, incidents, &in.n_incidents)))
				return rc;
			break;
		case 'v': in.via = optarg; break;
		case 'p': in.period = optarg; break;
		case 's': slot = optarg; break;
		case 'r': in.reporter = optarg; break;
		case 't': in.note = optarg; break;
		case 'c': in.correct = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[optind]);
	in.incidents = incidents;
	if ((rc = cli_load_config(cli)) || (slot && (rc = cli_parse_time(cli, cmd, "--slot", slot, &in.slot_ms))) ||
	    (rc = cli_open(cli, 0)))
		return rc;
	char id[DD_UUID_LEN + 1];
	int64_t slot_ms;
	if (zero_submit(cli->store, &cli->cfg, &in, id, &slot_ms, &cli->err))
		return refused(cli, cmd);
	char at[32];
	time_format_local(slot_ms, cli->cfg.timezone, "%m-%d %H:%M", at, sizeof at);
	i18n_init();
	printf(in.nil ? _("%s nil report for the report time %s%s\n") : _("%s report with incidents for the report time %s%s\n"),
	       shiftlog_short_id(id), at, in.correct ? _(" (a correction)") : "");
	return EXIT_OK;
}

struct checklist {
	struct dd_zero_row *rows;
	enum dd_zero_state *state;
	size_t n, cap;
	int64_t counts[4];
	const struct dd_period *p;
	int64_t slot, now;
};

static int keep_row(const struct dd_zero_row *r, void *ctx)
{
	struct checklist *k = ctx;
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 256;
		struct dd_zero_row *rows = realloc(k->rows, cap * sizeof *rows);
		if (!rows)
			return 1;
		k->rows = rows;
		enum dd_zero_state *state = realloc(k->state, cap * sizeof *state);
		if (!state)
			return 1;
		k->state = state;
		k->cap = cap;
	}
	k->rows[k->n] = *r;
	k->state[k->n] = zero_state_of(k->p, k->slot, r->id[0] ? r->at_ms : 0, k->now);
	k->counts[k->state[k->n]]++;
	k->n++;
	return 0;
}

/* The checklist of slot; rows stay in tree order. */
static int load_checklist(struct cli *cli, const struct dd_period *p, int64_t slot, struct checklist *k)
{
	memset(k, 0, sizeof *k);
	k->p = p;
	k->slot = slot;
	k->now = time_now_ms();
	if (store_zero_checklist(cli->store, p->id, slot, zero_viewer_scope(&cli->cfg), keep_row, k, &cli->err))
		return cli_report(cli, &cli->err);
	return EXIT_OK;
}

static void free_checklist(struct checklist *k)
{
	free(k->rows);
	free(k->state);
}

#define MAX_RUNNING 16

struct running {
	const char *viewer;
	int64_t now;
	struct dd_period p[MAX_RUNNING];
	int n;
};

/* Gathers the periods running now in this console's sight, as the
 * console's checklist does. */
static int add_running(const struct dd_period *p, void *ctx)
{
	struct running *r = ctx;
	if (r->n < MAX_RUNNING && zero_period_running(p, r->now) && zero_period_in_sight(p, r->viewer))
		r->p[r->n++] = *p;
	return 0;
}

/* The period named by ref, or the one the console's checklist shows now
 * (zero_period_shown), so both speak of the same period. */
static int choose_period(struct cli *cli, const char *cmd, const char *ref, struct dd_period *p)
{
	if (ref)
		return read_period(cli, cmd, ref, p);
	struct running *r = calloc(1, sizeof *r);
	if (!r)
		return cli_report(cli, &(struct dd_error){ DD_ENOMEM, "out of memory" });
	r->viewer = zero_viewer_scope(&cli->cfg);
	r->now = time_now_ms();
	int rc = EXIT_OK;
	if (store_period_scan(cli->store, false, r->now, add_running, r, &cli->err))
		rc = cli_report(cli, &cli->err);
	else if (r->n == 0)
		rc = cli_usage_error(cli, cmd, "no protection period with zero reporting is active (--period ID)");
	else
		*p = r->p[zero_period_shown(r->p, r->n, r->now)];
	free(r);
	return rc;
}

static json_t *row_json(const struct checklist *k, size_t i, const char *tz)
{
	const struct dd_zero_row *r = &k->rows[i];
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "org", r->org, "name", r->org_name, "district", r->district,
			      "state", zero_state_name(k->state[i]));
	if (r->id[0]) {
		char at[DD_AT_MAX];
		time_format_rfc3339(r->at_ms, tz, at, sizeof at);
		json_object_set_new(j, "report", json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:i}", "id", r->id, "at", at,
							   "by", r->by, "via", r->via, "nil", r->nil, "incidents",
							   r->incidents, "reports", r->n_reports));
	}
	return j;
}

static int add_warning(const struct dd_freeze_warning *w, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s, s:s}", "object", w->object, "name", w->object_name,
					      "org", w->org, "change", w->change, "by", w->by));
	return 0;
}

static const char *state_label(enum dd_zero_state s)
{
	/* The console's words (views/zero.c), so both read alike. */
	static const char *const labels[] = { N_("missing"), N_("late"), N_("pending"), N_("on time") };
	return _(labels[s]);
}

static const char *via_label(const char *via)
{
	if (strcmp(via, "console") == 0)
		return _("console");
	if (strcmp(via, "phone") == 0)
		return _("by phone");
	return _("CLI");
}

/* Column widths of the text checklist, from what it holds. */
struct widths {
	int state, name, id;
};

#define NAME_COLS_MAX 36

static void measure(const struct checklist *k, struct widths *w)
{
	w->state = text_width(_("State"));
	w->name = text_width(_("Org"));
	w->id = text_width(_("Org id"));
	for (int s = DD_ZERO_MISSING; s <= DD_ZERO_REPORTED; s++)
		if (text_width(state_label((enum dd_zero_state)s)) > w->state)
			w->state = text_width(state_label((enum dd_zero_state)s));
	for (size_t i = 0; i < k->n; i++) {
		int nw = text_width(k->rows[i].org_name), iw = (int)strlen(k->rows[i].org);
		if (nw > w->name)
			w->name = nw > NAME_COLS_MAX ? NAME_COLS_MAX : nw;
		if (iw > w->id)
			w->id = iw;
	}
}

/* One org: its state, name and id (for scripts, which may also read
 * --json), then the report the slot got, if any. */
static void print_row(const struct dd_zero_row *r, enum dd_zero_state s, const struct widths *w, const char *tz)
{
	char state[64], name[4 * NAME_COLS_MAX + 8], id[DD_ORG_ID_MAX + 8];
	text_pad(state, sizeof state, state_label(s), w->state);
	text_pad(name, sizeof name, r->org_name, w->name);
	/* Padded only when a report follows: no line ends in blanks. */
	text_pad(id, sizeof id, r->org, r->id[0] ? w->id : 0);
	printf("  %s  %s  %s", state, name, r->id[0] ? id : r->org);
	if (r->id[0]) {
		char at[32];
		time_format_local(r->at_ms, tz, "%m-%d %H:%M", at, sizeof at);
		printf("  %s  %s · %s · %s%s", at, r->nil ? _("nil report") : _("has incidents"), via_label(r->via),
		       r->by, r->n_reports > 1 ? _(" (corrected)") : "");
	}
	printf("\n");
}

/* The district's heading: its office's name and id, and its counts. */
static void print_district(struct cli *cli, const struct checklist *k, const size_t *order, size_t from)
{
	const char *district = k->rows[order[from]].district;
	int total = 0, done = 0, missing = 0;
	for (size_t i = from; i < k->n && strcmp(k->rows[order[i]].district, district) == 0; i++) {
		enum dd_zero_state s = k->state[order[i]];
		total++;
		done += s == DD_ZERO_REPORTED || s == DD_ZERO_LATE;
		missing += s == DD_ZERO_MISSING;
	}
	struct dd_org d;
	struct dd_error e;
	char name[DD_NAME_MAX + DD_ORG_ID_MAX + 8];
	if (!district[0])
		snprintf(name, sizeof name, "—");
	else if (store_org_get(cli->store, district, &d, &e) == 0)
		snprintf(name, sizeof name, "%s (%s)", d.name, district);
	else
		snprintf(name, sizeof name, "%s", district);
	printf("\n");
	printf(_("%s · %d / %d reported · %d missing"), name, done, total, missing);
	printf("\n");
}

static int zero_status(struct cli *cli, int argc, char **argv)
{
	i18n_init();
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "period", required_argument, NULL, 'p' },
		{ "slot", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	const char *cmd = "zero status", *period = NULL, *slot_arg = NULL;
	bool json = false;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'p': period = optarg; break;
		case 's': slot_arg = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[optind]);
	int64_t at = time_now_ms(), slot;
	struct dd_period p;
	if ((rc = cli_load_config(cli)) || (slot_arg && (rc = cli_parse_time(cli, cmd, "--slot", slot_arg, &at))) ||
	    (rc = cli_open(cli, DD_STORE_READONLY)) || (rc = choose_period(cli, cmd, period, &p)))
		return rc;
	/* Unless told, the slot the console's checklist opens on: the latest
	 * report time of today already reached, the one a missing-report
	 * warning speaks of (zero_current_slot). */
	if (slot_arg ? zero_slot_at(&p, at, &slot, &cli->err) != 0
		     : zero_current_slot(&p, at, &slot) != 0 && zero_slot_at(&p, at, &slot, &cli->err) != 0)
		return refused(cli, cmd);
	struct checklist k;
	if ((rc = load_checklist(cli, &p, slot, &k)))
		return rc;
	/* In the screen's order: districts with the most missing first. */
	size_t *order = malloc((k.n ? k.n : 1) * sizeof *order);
	const char **districts = malloc((k.n ? k.n : 1) * sizeof *districts);
	for (size_t i = 0; districts && i < k.n; i++)
		districts[i] = k.rows[i].district;
	if (!order || !districts || zero_checklist_order(districts, k.state, k.n, order, NULL) != 0) {
		free(order);
		free(districts);
		free_checklist(&k);
		return cli_report(cli, &(struct dd_error){ DD_ENOMEM, "out of memory" });
	}
	free(districts);
	int64_t done = k.counts[DD_ZERO_REPORTED] + k.counts[DD_ZERO_LATE];
	const char *tz = cli->cfg.timezone;
	char when[32];
	time_format_local(slot, tz_of(&p), "%Y-%m-%d %H:%M", when, sizeof when);
	if (json) {
		char slot_at[DD_AT_MAX];
		time_format_rfc3339(slot, tz_of(&p), slot_at, sizeof slot_at);
		json_t *orgs = json_array(), *warnings = json_array();
		for (size_t i = 0; i < k.n; i++)
			json_array_append_new(orgs, row_json(&k, order[i], tz));
		rc = store_freeze_scan(cli->store, p.id, zero_viewer_scope(&cli->cfg), add_warning, warnings, &cli->err);
		json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:o}", "period", p.id,
				      "name", p.name, "slot", slot_at, "grace_min", p.grace_min, "counts", "orgs",
				      (json_int_t)k.n, "reported", (json_int_t)done, "late",
				      (json_int_t)k.counts[DD_ZERO_LATE], "missing", (json_int_t)k.counts[DD_ZERO_MISSING],
				      "pending", (json_int_t)k.counts[DD_ZERO_PENDING], "orgs", orgs, "freeze_warnings",
				      warnings);
		char *s = json_dumps(j, JSON_INDENT(1));
		printf("%s\n", s ? s : "null");
		free(s);
		json_decref(j);
	} else {
		char due[32], closes[96], left[32];
		int64_t d = slot + p.grace_min * INT64_C(60000), now = time_now_ms();
		time_format_local(d, tz, "%H:%M", due, sizeof due);
		if (now <= d) {
			zero_countdown(d - now, left, sizeof left);
			snprintf(closes, sizeof closes, _("closes %s (in %s)"), due, left);
		} else {
			snprintf(closes, sizeof closes, _("closed %s"), due);
		}
		printf(_("Zero reports (零报告) · %s · slot %s"), p.name, when);
		printf("\n");
		printf(_("%d / %d reported · %d missing · %d late · %d pending"), (int)done, (int)k.n,
		       (int)k.counts[DD_ZERO_MISSING], (int)k.counts[DD_ZERO_LATE], (int)k.counts[DD_ZERO_PENDING]);
		printf(" · %s\n", closes);
		struct widths w;
		measure(&k, &w);
		char h_state[64], h_name[4 * NAME_COLS_MAX + 8], h_id[DD_ORG_ID_MAX + 8];
		text_pad(h_state, sizeof h_state, _("State"), w.state);
		text_pad(h_name, sizeof h_name, _("Org"), w.name);
		text_pad(h_id, sizeof h_id, _("Org id"), w.id);
		printf("\n  %s  %s  %s  %s\n", h_state, h_name, h_id, _("Received"));
		for (size_t i = 0; i < k.n; i++) {
			if (i == 0 || strcmp(k.rows[order[i - 1]].district, k.rows[order[i]].district) != 0)
				print_district(cli, &k, order, i);
			print_row(&k.rows[order[i]], k.state[order[i]], &w, tz);
		}
		rc = store_freeze_scan(cli->store, p.id, zero_viewer_scope(&cli->cfg), print_warning, cli->cfg.timezone,
				       &cli->err);
	}
	free(order);
	free_checklist(&k);
	return rc ? cli_report(cli, &cli->err) : EXIT_OK;
}

/* A CSV field, quoted when it must be (RFC 4180). */
static void csv_put(const char *s, char sep)
{
	if (strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(sep);
}

static int zero_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "period", required_argument, NULL, 'p' },
		{ "date", required_argument, NULL, 'd' },   { NULL, 0, NULL, 0 },
	};
	const char *cmd = "zero export", *format = NULL, *period = NULL, *date = NULL;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'p': period = optarg; break;
		case 'd': date = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "md") != 0))
		return cli_usage_error(cli, cmd, "--format csv or md is required");
	bool csv = strcmp(format, "csv") == 0;
	/* The Markdown cells are escaped by display character: UTF-8 ctype. */
	i18n_init();
	int64_t day_ms = time_now_ms();
	struct dd_period p;
	if ((rc = cli_load_config(cli)) || (date && (rc = cli_parse_time(cli, cmd, "--date", date, &day_ms))) ||
	    (rc = cli_open(cli, DD_STORE_READONLY)) || (rc = choose_period(cli, cmd, period, &p)))
		return rc;
	/* The day's slots: from local midnight of the day, slot after slot. */
	char day[16];
	time_format_local(day_ms, tz_of(&p), "%Y-%m-%d", day, sizeof day);
	int64_t from;
	if (time_parse(day, day_ms, tz_of(&p), &from, &cli->err))
		return refused(cli, cmd);
	int64_t today = time_local_day(from, tz_of(&p));
	if (csv) {
		printf("slot,district,org,name,state,reported_at,via,by,nil,incidents\n");
	} else {
		fputs("# 零报告日报 · ", stdout);
		logout_md_cell(stdout, p.name);
		printf(" · %s\n", day);
	}
	struct dd_error e;
	int64_t slot;
	for (int64_t t = from; zero_slot_at(&p, t, &slot, &e) == 0 && time_local_day(slot, tz_of(&p)) == today;
	     t = slot + p.grace_min * INT64_C(60000) + 1) {
		struct checklist k;
		if ((rc = load_checklist(cli, &p, slot, &k)))
			return rc;
		char when[32];
		time_format_rfc3339(slot, tz_of(&p), when, sizeof when);
		if (!csv) {
			time_format_local(slot, tz_of(&p), "%H:%M", when, sizeof when);
			printf("\n## %s — %lld / %zu 已报（迟报 %lld，未报 %lld，待报 %lld）\n\n| 区县 | 单位 | 状态 | 收到时间 | 方式 | 内容 |\n"
			       "|---|---|---|---|---|---|\n", when,
			       (long long)(k.counts[DD_ZERO_REPORTED] + k.counts[DD_ZERO_LATE]), k.n,
			       (long long)k.counts[DD_ZERO_LATE], (long long)k.counts[DD_ZERO_MISSING],
			       (long long)k.counts[DD_ZERO_PENDING]);
		}
		for (size_t i = 0; i < k.n; i++) {
			const struct dd_zero_row *r = &k.rows[i];
			char at[DD_AT_MAX] = "";
			if (r->id[0])
				time_format_rfc3339(r->at_ms, tz_of(&p), at, sizeof at);
			const char *what = !r->id[0] ? "" : r->nil ? "零报告" : "有情况";
			if (csv) {
				const char *f[] = { when, r->district, r->org, r->org_name, zero_state_name(k.state[i]), at,
						    r->via, r->by, r->id[0] ? (r->nil ? "yes" : "no") : "", r->incidents };
				for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
					csv_put(f[j], j + 1 < sizeof f / sizeof f[0] ? ',' : '\n');
			} else {
				/* Names come from org files and reporters: escaped, so a
				 * "|" cannot add a column nor a "*" bold the rest. */
				fputs("| ", stdout);
				logout_md_cell(stdout, r->district);
				fputs(" | ", stdout);
				logout_md_cell(stdout, r->org);
				fputs(" ", stdout);
				logout_md_cell(stdout, r->org_name);
				printf(" | %s | %s | ", zero_state_label(k.state[i]), at);
				logout_md_cell(stdout, r->via);
				printf(" | %s%s", what, r->incidents[0] ? " " : "");
				logout_md_cell(stdout, r->incidents);
				fputs(" |\n", stdout);
			}
		}
		free_checklist(&k);
	}
	return EXIT_OK;
}

int cmd_zero(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "zero", "give submit, status or export");
	if (strcmp(argv[1], "submit") == 0)
		return zero_submit_cmd(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return zero_status(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return zero_export(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, "zero", "unknown subcommand '%s' (submit, status, export)", argv[1]);
}
