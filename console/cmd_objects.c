/*
 * cmd_objects.c — `dutydesk objects …`: the ledger of protected objects
 * (保护对象台账, art. 4–5, 9, 12) per district, important ones first;
 * adding an object to an enterprise and recording its assessment.
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

static int refused(struct cli *cli, const char *command)
{
	if (cli->err.code == DD_EINVAL || cli->err.code == DD_ENOTFOUND)
		return cli_usage_error(cli, command, "%s", cli->err.msg);
	return cli_report(cli, &cli->err);
}

struct ledger {
	struct cli *cli;
	bool json, first;
	char district[DD_ORG_ID_MAX + 1];
	int64_t rows;
};

static int ledger_row(const struct dd_object *o, void *p)
{
	struct ledger *lg = p;
	const char *tz = lg->cli->cfg.timezone;
	char assessed[32] = "";
	if (o->assessed_ms)
		time_format_local(o->assessed_ms, tz, "%Y-%m-%d", assessed, sizeof assessed);
	lg->rows++;
	if (lg->json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "id", o->id, "org", o->org,
				      "org_name", o->org_name, "district", o->district, "kind", o->kind, "name", o->name,
				      "exposed", o->exposed, "important", o->important, "assessed", assessed, "note", o->note);
		char *s = json_dumps(j, JSON_COMPACT);
		printf("%s\n%s", lg->first ? "" : ",", s ? s : "null");
		lg->first = false;
		free(s);
		json_decref(j);
		return 0;
	}
	if (strcmp(lg->district, o->district) != 0) {
		snprintf(lg->district, sizeof lg->district, "%s", o->district);
		struct dd_org d;
		struct dd_error e;
		char name[400] = "";
		if (store_org_get(lg->cli->store, o->district, &d, &e) == 0)
			text_fit(name, sizeof name, d.name, 60);
		printf("%s  %s\n", o->district[0] ? o->district : "-", name);
	}
	char kind[64], name[200], org[200];
	text_pad(kind, sizeof kind, roster_object_kind_label(o->kind), 18);
	text_pad(name, sizeof name, o->name, 30);
	text_fit(org, sizeof org, o->org_name, 30);
	printf("  %s %s %s %s %-10s %s  %s\n", shiftlog_short_id(o->id), o->important ? "重要" : "    ", kind, name,
	       assessed[0] ? assessed : "-", o->exposed ? "联网" : "    ", org);
	return 0;
}

static int objects_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "district", required_argument, NULL, 'd' }, { "important", no_argument, NULL, 'i' },
		{ "kind", required_argument, NULL, 'k' },     { "grep", required_argument, NULL, 'g' },
		{ "all", no_argument, NULL, 'a' },            { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_object_filter f;
	roster_object_filter_init(&f);
	struct ledger lg = { .cli = cli, .first = true };
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "objects list", argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': f.scope = optarg; break;
		case 'i': f.important = 1; break;
		case 'k':
			if (!(f.kind = roster_object_kind_parse(optarg)))
				return cli_usage_error(cli, "objects list", "--kind %s: use ics, platform or infrastructure", optarg);
			break;
		case 'g': f.text = optarg; break;
		case 'a': f.retired = true; break;
		case 'j': lg.json = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "objects list", "unexpected argument '%s'", argv[optind]);
	i18n_init();
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc)
		return rc;
	if (lg.json)
		printf("[");
	if (store_object_scan(cli->store, &f, NULL, INT32_MAX, ledger_row, &lg, &cli->err))
		return cli_report(cli, &cli->err);
	if (lg.json)
		printf("\n]\n");
	else if (!lg.rows)
		fprintf(stderr, "no protected objects match\n");
	return EXIT_OK;
}

static int objects_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' }, { "name", required_argument, NULL, 'n' },
		{ "exposed", no_argument, NULL, 'e' },    { "note", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_object_in in;
	memset(&in, 0, sizeof in);
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "objects add", argc, argv, opts)) != -1) {
		switch (c) {
		case 'k': in.kind = optarg; break;
		case 'n': in.name = optarg; break;
		case 'e': in.exposed = true; break;
		case 't': in.note = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "objects add", "give one enterprise org id");
	if (!in.kind || !in.name)
		return cli_usage_error(cli, "objects add", "--kind and --name are required");
	in.org = argv[optind];
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct dd_object old;
	struct dd_error e;
	if (store_object_find(cli->store, in.org, in.name, &old, &e) == 0 && !old.retired)
		return cli_usage_error(cli, "objects add", "%s already has an object named %s (%s)", in.org, in.name,
				       shiftlog_short_id(old.id));
	char id[DD_UUID_LEN + 1];
	bool changed;
	if (roster_object_set(cli->store, &cli->cfg, &in, id, &changed, &cli->err))
		return refused(cli, "objects add");
	printf("%s added\n", shiftlog_short_id(id));
	return EXIT_OK;
}

static int objects_assess(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "important", required_argument, NULL, 'i' }, { "date", required_argument, NULL, 'd' },
		{ "note", required_argument, NULL, 'n' },      { NULL, 0, NULL, 0 },
	};
	const char *important = NULL, *date = NULL, *note = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "objects assess", argc, argv, opts)) != -1) {
		switch (c) {
		case 'i': important = optarg; break;
		case 'd': date = optarg; break;
		case 'n': note = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "objects assess", "give one object id (as objects list shows it)");
	bool yes;
	if (!important || (strcmp(important, "yes") != 0 && strcmp(important, "no") != 0))
		return cli_usage_error(cli, "objects assess", "--important yes|no is required");
	yes = strcmp(important, "yes") == 0;
	int64_t at = 0;
	char id[DD_UUID_LEN + 1];
	int rc = cli_open(cli, 0);
	if (rc || (date && (rc = cli_parse_time(cli, "objects assess", "--date", date, &at))))
		return rc;
	bool changed;
	if (store_object_resolve(cli->store, argv[optind], id, &cli->err) ||
	    roster_object_assess(cli->store, &cli->cfg, id, yes, at, note, &changed, &cli->err))
		return refused(cli, "objects assess");
	printf("%s %s\n", shiftlog_short_id(id), changed ? (yes ? "important (重要)" : "not important") : "unchanged");
	return EXIT_OK;
}

int cmd_objects(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "objects", "give list, add or assess");
	if (strcmp(argv[1], "list") == 0)
		return objects_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "add") == 0)
		return objects_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "assess") == 0)
		return objects_assess(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, "objects", "unknown subcommand '%s' (list, add, assess)", argv[1]);
}
