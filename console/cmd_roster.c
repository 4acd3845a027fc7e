/*
 * cmd_roster.c — `dutydesk org …`, `dutydesk roster …` and `dutydesk
 * call …`: the org tree, the liaison roster (联络员) and calls recorded
 * from it.  Every subcommand checks its input fully before anything is
 * stored; a refused change stores nothing and exits 2.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incident.h"
#include "dutydesk/roster.h"
#include "dutydesk/rosterio.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

/* DD_EINVAL and DD_ENOTFOUND are the input's fault (exit 2), the rest
 * the system's (exit 1). */
static int refused(struct cli *cli, const char *command)
{
	if (cli->err.code == DD_EINVAL || cli->err.code == DD_ENOTFOUND)
		return cli_usage_error(cli, command, "%s", cli->err.msg);
	return cli_report(cli, &cli->err);
}

static void print_json(json_t *o, bool *first)
{
	char *s = json_dumps(o, JSON_COMPACT);
	printf("%s\n%s", *first ? "" : ",", s ? s : "null");
	*first = false;
	free(s);
	json_decref(o);
}

static void fmt_time(int64_t ms, const char *tz, char *buf, size_t n)
{
	if (!ms)
		snprintf(buf, n, "-");
	else
		time_format_local(ms, tz, "%Y-%m-%d %H:%M", buf, n);
}

/* Text from the store, made safe for a terminal and cut to cols. */
static const char *safe(const char *s, int cols, char *buf, size_t n)
{
	text_fit(buf, n, s, cols);
	return buf;
}

/* ---- org ---------------------------------------------------------------- */

struct org_list {
	bool json, first;
	int64_t rows;
};

static json_t *org_json(const struct dd_org *o)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", o->id, "parent", o->parent, "kind",
			      o->kind, "kind_name", roster_org_kind_label(o->kind), "name", o->name, "name_en", o->name_en,
			      "pinyin", o->pinyin, "district", o->district, "retired", o->retired);
	return j;
}

static int org_row(const struct dd_org *o, void *p)
{
	struct org_list *ol = p;
	ol->rows++;
	if (ol->json) {
		print_json(org_json(o), &ol->first);
		return 0;
	}
	char id[160], kind[64], name[400];
	/* Indented by depth, so the list reads as the tree it is. */
	char label[200];
	snprintf(label, sizeof label, "%*s%s", 2 * (o->depth > 3 ? 3 : o->depth), "", o->id);
	text_pad(id, sizeof id, label, 32);
	text_pad(kind, sizeof kind, roster_org_kind_label(o->kind), 18);
	printf("%s %s %s%s\n", id, kind, safe(o->name, 60, name, sizeof name), o->retired ? "  (retired)" : "");
	return 0;
}

static int org_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' }, { "kind", required_argument, NULL, 'k' },
		{ "grep", required_argument, NULL, 'g' },  { "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },        { NULL, 0, NULL, 0 },
	};
	struct dd_org_filter f;
	roster_org_filter_init(&f);
	struct org_list ol = { .first = true };
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "org list", argc, argv, opts)) != -1) {
		switch (c) {
		case 's': f.scope = optarg; break;
		case 'k':
			if (strcmp(optarg, "enterprise") != 0 && !(f.kind = roster_org_kind_parse(optarg)))
				return cli_usage_error(cli, "org list", "--kind %s: not an org kind", optarg);
			if (!f.kind)
				f.kind = "enterprise";
			break;
		case 'g': f.text = optarg; break;
		case 'a': f.retired = true; break;
		case 'j': ol.json = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "org list", "unexpected argument '%s'", argv[optind]);
	i18n_init();
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc)
		return rc;
	if (ol.json)
		printf("[");
	if (store_org_scan(cli->store, &f, NULL, false, INT32_MAX, org_row, &ol, &cli->err))
		return cli_report(cli, &cli->err);
	if (ol.json)
		printf("\n]\n");
	else if (!ol.rows)
		fprintf(stderr, "no orgs match (load the tree with: dutydesk org load data/orgs/chongqing.conf)\n");
	return EXIT_OK;
}

struct card {
	struct cli *cli;
	bool json;
	json_t *arr;
};

static int card_liaison(const struct dd_liaison *l, void *p)
{
	struct card *cd = p;
	const char *tz = cd->cli->cfg.timezone;
	char from[32], name[200], title[200];
	fmt_time(l->valid_from_ms, tz, from, sizeof from);
	if (cd->json) {
		json_array_append_new(cd->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", l->id, "role",
							 l->role, "name", l->name, "title", l->title, "office", l->office,
							 "mobile", l->mobile, "email", l->email, "valid_from", from));
		return 0;
	}
	char role[64];
	text_pad(role, sizeof role, roster_role_label(l->role), 10);
	char email[200];
	printf("  %s %s%s%s  手机 %s  办公 %s%s%s  (%s, from %s)%s\n", role, safe(l->name, 24, name, sizeof name),
	       l->title[0] ? "  " : "", safe(l->title, 24, title, sizeof title), l->mobile[0] ? l->mobile : "-",
	       l->office[0] ? l->office : "-", l->email[0] ? "  " : "", safe(l->email, 40, email, sizeof email),
	       shiftlog_short_id(l->id), from, l->removed ? "  removed" : "");
	return 0;
}

static int card_call(const struct dd_call *c, void *p)
{
	struct card *cd = p;
	char at[32];
	fmt_time(c->at_ms, cd->cli->cfg.timezone, at, sizeof at);
	if (cd->json)
		json_array_append_new(cd->arr, json_pack("{s:s, s:s, s:s, s:s}", "at", at, "direction", c->direction,
							 "result", c->result, "officer", c->officer));
	else {
		char officer[200];
		printf("  %s  %s  %s  %s\n", at, strcmp(c->direction, "in") == 0 ? "来电" : "致电",
		       roster_call_result_label(c->result), safe(c->officer, 20, officer, sizeof officer));
	}
	return 0;
}

static int org_show(struct cli *cli, int argc, char **argv)
{
	bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc != 2 && !json)
		return cli_usage_error(cli, "org show", "give one org id (and optionally --json)");
	i18n_init();
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc)
		return rc;
	struct dd_org o;
	if (store_org_get(cli->store, argv[1], &o, &cli->err))
		return refused(cli, "org show");
	const char *tz = cli->cfg.timezone;
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.org = o.id;
	struct dd_shift now[4];
	int n_now = 0;
	if (store_duty_at(cli->store, o.id, time_now_ms(), now, 4, &n_now, &cli->err))
		return cli_report(cli, &cli->err);
	struct card cd = { .cli = cli, .json = json };
	char name[400];
	if (json) {
		json_t *j = org_json(&o);
		cd.arr = json_array();
		if (store_contact_scan(cli->store, &f, NULL, false, 100, card_liaison, &cd, &cli->err))
			return cli_report(cli, &cli->err);
		json_object_set_new(j, "liaisons", cd.arr);
		cd.arr = json_array();
		if (store_call_scan(cli->store, o.id, 5, card_call, &cd, &cli->err))
			return cli_report(cli, &cli->err);
		json_object_set_new(j, "calls", cd.arr);
		json_t *duty = json_array();
		for (int i = 0; i < n_now; i++) {
			json_t *officers = json_array();
			for (int k = 0; k < now[i].n_officers; k++)
				json_array_append_new(officers, json_string(now[i].officers[k]));
			json_array_append_new(duty, json_pack("{s:s, s:o, s:s}", "post", now[i].post, "officers", officers,
							      "leader", now[i].leader));
		}
		json_object_set_new(j, "on_duty", duty);
		char *s = json_dumps(j, JSON_COMPACT);
		printf("%s\n", s ? s : "null");
		free(s);
		json_decref(j);
		return EXIT_OK;
	}
	printf("%s  %s\n", o.id, safe(o.name, 80, name, sizeof name));
	printf("  %s%s%s%s%s\n", roster_org_kind_label(o.kind), o.parent[0] ? "  上级 " : "", o.parent,
	       o.district[0] ? "  区县 " : "", o.district);
	if (o.name_en[0] || o.pinyin[0]) {
		char pinyin[200];
		printf("  %s %s\n", safe(o.name_en, 60, name, sizeof name), safe(o.pinyin, 40, pinyin, sizeof pinyin));
	}
	printf("联络员:\n");
	if (store_contact_scan(cli->store, &f, NULL, false, 100, card_liaison, &cd, &cli->err))
		return cli_report(cli, &cli->err);
	printf("当前值班:\n");
	for (int i = 0; i < n_now; i++) {
		char from[32], to[32], names[600] = "";
		fmt_time(now[i].start_ms, tz, from, sizeof from);
		fmt_time(now[i].end_ms, tz, to, sizeof to);
		char shown[600], leader[200];
		for (int k = 0; k < now[i].n_officers; k++)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? "、" : "", now[i].officers[k]);
		printf("  %s → %s  %s %s  %s %s\n", from, to, _("Duty officers"),
		       names[0] ? safe(names, 80, shown, sizeof shown) : "-", _("Leader"),
		       now[i].leader[0] ? safe(now[i].leader, 20, leader, sizeof leader) : "-");
	}
	if (!n_now)
		printf("  (none)\n");
	printf("最近通话:\n");
	return store_call_scan(cli->store, o.id, 5, card_call, &cd, &cli->err) ? cli_report(cli, &cli->err) : EXIT_OK;
}

static void print_problem(const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static int org_load(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage_error(cli, "org load", "give one file, e.g. data/orgs/chongqing.conf");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct dd_import_report rep;
	rc = rosterio_load_conf(cli->store, &cli->cfg, argv[1], print_problem, NULL, &rep, &cli->err);
	if (rc) {
		fprintf(stderr, "dutydesk org load: %s\n", cli->err.msg);
		return rc == DD_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	printf("%s: %ld entries, %ld events written, %ld unchanged\n", argv[1], rep.rows, rep.written, rep.unchanged);
	return EXIT_OK;
}

static int org_set(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },    { "name", required_argument, NULL, 'n' },
		{ "parent", required_argument, NULL, 'p' },  { "name-en", required_argument, NULL, 'e' },
		{ "pinyin", required_argument, NULL, 'y' },  { "retire", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_org_in in;
	memset(&in, 0, sizeof in);
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "org set", argc, argv, opts)) != -1) {
		switch (c) {
		case 'k': in.kind = optarg; break;
		case 'n': in.name = optarg; break;
		case 'p': in.parent = optarg; break;
		case 'e': in.name_en = optarg; break;
		case 'y': in.pinyin = optarg; break;
		case 'r': in.retired = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "org set", "give one org id");
	in.id = argv[optind];
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	/* Unnamed settings keep what the org says now. */
	struct dd_org old;
	struct dd_error e;
	if (store_org_get(cli->store, in.id, &old, &e) == 0) {
		in.kind = in.kind ? in.kind : old.kind;
		in.name = in.name ? in.name : old.name;
		in.parent = in.parent ? in.parent : old.parent;
		in.name_en = in.name_en ? in.name_en : old.name_en;
		in.pinyin = in.pinyin ? in.pinyin : old.pinyin;
	} else if (!in.kind || !in.name) {
		return cli_usage_error(cli, "org set", "a new org needs --kind and --name");
	}
	bool changed;
	if (roster_org_set(cli->store, &cli->cfg, &in, &changed, &cli->err))
		return refused(cli, "org set");
	printf("%s %s\n", in.id, changed ? "set" : "unchanged");
	return EXIT_OK;
}

int cmd_org(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "org", "give list, show, load or set");
	if (strcmp(argv[1], "list") == 0)
		return org_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return org_show(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "load") == 0)
		return org_load(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return org_set(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, "org", "unknown subcommand '%s' (list, show, load, set)", argv[1]);
}

/* ---- roster ----------------------------------------------------------- */

struct find {
	struct cli *cli;
	bool json, first;
	char org[DD_ORG_ID_MAX + 1];
	int64_t rows;
};

static int find_row(const struct dd_liaison *l, void *p)
{
	struct find *fd = p;
	fd->rows++;
	char from[32];
	fmt_time(l->valid_from_ms, fd->cli->cfg.timezone, from, sizeof from);
	if (fd->json) {
		print_json(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", l->id, "org", l->org,
				     "org_name", l->org_name, "role", l->role, "name", l->name, "title", l->title, "office",
				     l->office, "mobile", l->mobile, "email", l->email, "valid_from", from),
			   &fd->first);
		return 0;
	}
	char name[400];
	if (strcmp(fd->org, l->org) != 0) {
		snprintf(fd->org, sizeof fd->org, "%s", l->org);
		printf("%s  %s\n", l->org, safe(l->org_name, 60, name, sizeof name));
	}
	struct card cd = { .cli = fd->cli };
	return card_liaison(l, &cd);
}

static int roster_find(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },    { "scope", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },  { "role", required_argument, NULL, 'r' },
		{ "limit", required_argument, NULL, 'l' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	struct find fd = { .cli = cli, .first = true };
	const char *at = NULL;
	int limit = 200;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "roster find", argc, argv, opts)) != -1) {
		switch (c) {
		case 'a': at = optarg; break;
		case 's': f.scope = optarg; break;
		case 'k':
			if (strcmp(optarg, "enterprise") != 0 && !(f.kind = roster_org_kind_parse(optarg)))
				return cli_usage_error(cli, "roster find", "--kind %s: not an org kind", optarg);
			if (!f.kind)
				f.kind = "enterprise";
			break;
		case 'r':
			if (!(f.role = roster_role_parse(optarg)))
				return cli_usage_error(cli, "roster find", "--role %s: use lead or contact", optarg);
			break;
		case 'l': limit = atoi(optarg); break;
		case 'j': fd.json = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cli, "roster find", "give the text as one argument, in quotes");
	if (limit < 1)
		return cli_usage_error(cli, "roster find", "--limit must be a positive number");
	f.text = argc > optind ? argv[optind] : NULL;
	i18n_init();
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc || (at && (rc = cli_parse_time(cli, "roster find", "--at", at, &f.at_ms))))
		return rc;
	if (fd.json)
		printf("[");
	if (store_contact_scan(cli->store, &f, NULL, false, limit, find_row, &fd, &cli->err))
		return cli_report(cli, &cli->err);
	if (fd.json)
		printf("\n]\n");
	else if (!fd.rows)
		fprintf(stderr, "no liaison matches\n");
	else if (fd.rows == limit)
		fprintf(stderr, "(first %d; narrow the search or use --limit)\n", limit);
	return EXIT_OK;
}

struct lint {
	struct cli *cli;
	int64_t n;
};

static int lint_row(const struct dd_gap *g, void *p)
{
	struct lint *li = p;
	const char *tz = li->cli->cfg.timezone;
	char name[200], label[64], from[32], to[32];
	li->n++;
	text_pad(label, sizeof label, roster_gap_label(g->kind), 25);
	printf("%s %-28s %s", label, g->org, safe(g->org_name, 30, name, sizeof name));
	char text[200];
	if (g->who[0])
		printf("  %s", safe(g->who, 24, text, sizeof text));
	if (g->post[0])
		printf("  [%s]", safe(g->post, 24, text, sizeof text));
	if (g->from_ms) {
		fmt_time(g->from_ms, tz, from, sizeof from);
		fmt_time(g->until_ms, tz, to, sizeof to);
		printf("  %s → %s", from, to);
	}
	printf("\n");
	return 0;
}

/* `roster lint` and `duty gaps`: the same check, the one says so in its
 * exit status (1 when anything was found) for cron jobs. */
int cli_roster_gaps(struct cli *cli, const char *command, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "days", required_argument, NULL, 'd' }, { "scope", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' }, { "liaisons", no_argument, NULL, 'l' },
		{ "duty", no_argument, NULL, 'u' },       { NULL, 0, NULL, 0 },
	};
	int days = 7;
	const char *scope = NULL, *from = NULL;
	bool liaisons = false, duty = false;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, command, argc, argv, opts)) != -1) {
		switch (c) {
		case 'd':
			days = atoi(optarg);
			if (days < 1 || days > 366)
				return cli_usage_error(cli, command, "--days %s: give 1 to 366", optarg);
			break;
		case 's': scope = optarg; break;
		case 'f': from = optarg; break;
		case 'l': liaisons = true; break;
		case 'u': duty = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, command, "unexpected argument '%s'", argv[optind]);
	if (!liaisons && !duty)
		liaisons = duty = true;
	i18n_init();
	int rc = cli_open(cli, DD_STORE_READONLY);
	int64_t at = time_now_ms(), start, end;
	if (rc || (from && (rc = cli_parse_time(cli, command, "--from", from, &at))))
		return rc;
	if (duty_shift_bounds(cli->cfg.shift_start, cli->cfg.timezone, at, &start, &end, &cli->err))
		return cli_report(cli, &cli->err);
	struct lint li = { .cli = cli };
	if (store_roster_gaps(cli->store, scope, cli->cfg.org[0] ? cli->cfg.org : NULL, start, days, liaisons, duty,
			      lint_row, &li, &cli->err))
		return cli_report(cli, &cli->err);
	if (!li.n)
		printf("no gaps\n");
	else
		fprintf(stderr, "%lld gap%s\n", (long long)li.n, li.n == 1 ? "" : "s");
	return li.n ? EXIT_FAIL : EXIT_OK;
}

static int roster_set(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },   { "name", required_argument, NULL, 'n' },
		{ "title", required_argument, NULL, 't' },  { "office", required_argument, NULL, 'o' },
		{ "mobile", required_argument, NULL, 'm' }, { "email", required_argument, NULL, 'e' },
		{ "from", required_argument, NULL, 'f' },   { NULL, 0, NULL, 0 },
	};
	struct dd_liaison_in in;
	memset(&in, 0, sizeof in);
	const char *from = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "roster set", argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': in.role = optarg; break;
		case 'n': in.name = optarg; break;
		case 't': in.title = optarg; break;
		case 'o': in.office = optarg; break;
		case 'm': in.mobile = optarg; break;
		case 'e': in.email = optarg; break;
		case 'f': from = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "roster set", "give one org id");
	if (!in.role || !in.name)
		return cli_usage_error(cli, "roster set", "--role and --name are required");
	in.org = argv[optind];
	int rc = cli_open(cli, 0);
	if (rc || (from && (rc = cli_parse_time(cli, "roster set", "--from", from, &in.valid_from_ms))))
		return rc;
	char id[DD_UUID_LEN + 1];
	bool changed;
	if (roster_liaison_set(cli->store, &cli->cfg, &in, id, &changed, &cli->err))
		return refused(cli, "roster set");
	printf("%s %s\n", shiftlog_short_id(id), changed ? "set" : "unchanged");
	return EXIT_OK;
}

static int roster_remove(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "from", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	const char *from = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "roster remove", argc, argv, opts)) != -1) {
		if (c != 'f')
			return EXIT_USAGE;
		from = optarg;
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "roster remove", "give one liaison id (as roster find shows it)");
	int64_t at = 0;
	char id[DD_UUID_LEN + 1];
	int rc = cli_open(cli, 0);
	if (rc || (from && (rc = cli_parse_time(cli, "roster remove", "--from", from, &at))))
		return rc;
	if (store_liaison_resolve(cli->store, argv[optind], id, &cli->err) ||
	    roster_liaison_remove(cli->store, &cli->cfg, id, at, &cli->err))
		return refused(cli, "roster remove");
	printf("%s removed\n", shiftlog_short_id(id));
	return EXIT_OK;
}

int cmd_roster(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "roster", "give find, lint, set or remove");
	if (strcmp(argv[1], "find") == 0)
		return roster_find(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "lint") == 0)
		return cli_roster_gaps(cli, "roster lint", argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return roster_set(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0)
		return roster_remove(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, "roster", "unknown subcommand '%s' (find, lint, set, remove)", argv[1]);
}

/* ---- call ----------------------------------------------------------- */

/* The liaison a person means: an id suffix, or the name of one of org's. */
static int pick_liaison(struct cli *cli, const char *org, const char *ref, char id[DD_UUID_LEN + 1])
{
	struct dd_liaison l;
	struct dd_error e;
	if (store_liaison_find(cli->store, org, "contact", ref, &l, &e) == 0 && !l.removed) {
		snprintf(id, DD_UUID_LEN + 1, "%s", l.id);
		return 0;
	}
	if (store_liaison_find(cli->store, org, "lead", ref, &l, &e) == 0 && !l.removed && strcmp(l.name, ref) == 0) {
		snprintf(id, DD_UUID_LEN + 1, "%s", l.id);
		return 0;
	}
	return store_liaison_resolve(cli->store, ref, id, &cli->err);
}

int cmd_call(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "result", required_argument, NULL, 'r' },   { "out", no_argument, NULL, 'o' },
		{ "in", no_argument, NULL, 'i' },             { "note", required_argument, NULL, 'n' },
		{ "incident", required_argument, NULL, 'I' }, { "liaison", required_argument, NULL, 'l' },
		{ "at", required_argument, NULL, 'a' },       { NULL, 0, NULL, 0 },
	};
	struct dd_call_in in;
	memset(&in, 0, sizeof in);
	const char *incident = NULL, *liaison = NULL, *at = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "call", argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': in.result = optarg; break;
		case 'o': in.incoming = false; break;
		case 'i': in.incoming = true; break;
		case 'n': in.note = optarg; break;
		case 'I': incident = optarg; break;
		case 'l': liaison = optarg; break;
		case 'a': at = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "call", "give one org id (the callee)");
	if (!in.result)
		return cli_usage_error(cli, "call", "--result reached|no-answer|busy|wrong-number is required");
	in.org = argv[optind];
	int rc = cli_open(cli, 0);
	if (rc || (at && (rc = cli_parse_time(cli, "call", "--at", at, &in.at_ms))))
		return rc;
	char lid[DD_UUID_LEN + 1], iid[DD_UUID_LEN + 1];
	if (liaison) {
		if (pick_liaison(cli, in.org, liaison, lid))
			return refused(cli, "call");
		in.liaison = lid;
	}
	if (incident) {
		if (store_incident_resolve(cli->store, incident, iid, &cli->err))
			return refused(cli, "call");
		in.incident = iid;
	}
	struct dd_event ev;
	if (roster_call(cli->store, &cli->cfg, &in, &ev, &cli->err))
		return refused(cli, "call");
	printf("%s\n", shiftlog_short_id(ev.id));
	event_free(&ev);
	return EXIT_OK;
}
