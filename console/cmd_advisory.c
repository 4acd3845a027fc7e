/*
 * cmd_advisory.c — `dutydesk advisory …`: issue an advisory (预警通报),
 * list advisories with their progress (acked / reported / overdue), show
 * one with every recipient's answer, acknowledge and report the
 * self-inspection (自查).  Rules in advisory.c; refusals exit 2.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/advisory.h"
#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"

static int refused(struct cli *cli, const char *command)
{
	if (cli->err.code == DD_EINVAL || cli->err.code == DD_ENOTFOUND)
		return cli_usage_error(cli, command, "%s", cli->err.msg);
	return cli_report(cli, &cli->err);
}

static int advisory_new(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "level", required_argument, NULL, 'l' },    { "action", required_argument, NULL, 'a' },
		{ "products", required_argument, NULL, 'p' }, { "deadline", required_argument, NULL, 'd' },
		{ "to", required_argument, NULL, 't' },       { NULL, 0, NULL, 0 },
	};
	const char *cmd = "advisory new", *deadline = NULL, *to[DD_ADVISORY_TO_MAX + 1];
	struct dd_advisory_in in = { .to = to };
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'l': in.level = optarg; break;
		case 'a': in.action = optarg; break;
		case 'p': in.products = optarg; break;
		case 'd': deadline = optarg; break;
		case 't':
			for (char *save = NULL, *t = strtok_r(optarg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				if (in.n_to > DD_ADVISORY_TO_MAX)
					return cli_usage_error(cli, cmd, "--to: at most %d org ids", DD_ADVISORY_TO_MAX);
				to[in.n_to++] = t;
			}
			break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, cmd, "give the advisory's title");
	if (!in.level || !in.action || !deadline || !in.n_to)
		return cli_usage_error(cli, cmd, "--level, --action, --deadline and --to are required");
	in.title = argv[optind];
	if ((rc = cli_load_config(cli)) || (rc = cli_parse_time(cli, cmd, "--deadline", deadline, &in.deadline_ms)) ||
	    (rc = cli_open(cli, 0)))
		return rc;
	char id[DD_UUID_LEN + 1];
	if (advisory_issue(cli->store, &cli->cfg, &in, id, &cli->err))
		return refused(cli, cmd);
	printf("%s advisory issued\n", shiftlog_short_id(id));
	return EXIT_OK;
}

static int list_one(const struct dd_advisory *a, void *ctx)
{
	struct cli *cli = ctx;
	char deadline[32], title[400];
	time_format_local(a->deadline_ms, cli->cfg.timezone, "%m-%d %H:%M", deadline, sizeof deadline);
	text_fit(title, sizeof title, a->title, 40);
	printf("%s %s %s  截止 %s  已签收 %lld/%lld  已反馈 %lld/%lld  逾期 %lld  (%s)\n", shiftlog_short_id(a->id),
	       advisory_level_label(a->level), title, deadline, (long long)a->acked, (long long)a->recipients,
	       (long long)a->reported, (long long)a->recipients, (long long)a->overdue, a->issuer);
	return 0;
}

static int advisory_list(struct cli *cli, int argc, char **argv)
{
	i18n_init();
	if (argc > 1)
		return cli_usage_error(cli, "advisory list", "unexpected argument '%s'", argv[1]);
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc)
		return rc;
	if (store_advisory_scan(cli->store, zero_viewer_scope(&cli->cfg), time_now_ms(), list_one, cli, &cli->err))
		return cli_report(cli, &cli->err);
	return EXIT_OK;
}

struct shown {
	struct cli *cli;
	int64_t deadline;
};

static int print_answer(const struct dd_advisory_answer *a, void *ctx)
{
	struct shown *s = ctx;
	const char *tz = s->cli->cfg.timezone;
	char name[200], acked[32] = "-", done[32] = "";
	text_pad(name, sizeof name, a->org_name, 30);
	if (a->acked_ms)
		time_format_local(a->acked_ms, tz, "%m-%d %H:%M", acked, sizeof acked);
	const char *state = a->reported_ms ? "已反馈" : time_now_ms() > s->deadline ? "逾期" : a->acked_ms ? "已签收" : "未签收";
	printf("  %-6s %-28s %s 签收 %s", state, a->org, name, acked);
	if (a->reported_ms) {
		time_format_local(a->done_ms, tz, "%m-%d %H:%M", done, sizeof done);
		printf("  %s  完成 %s  %s", a->affected ? "受影响" : "未受影响", done, a->measures);
	}
	printf("\n");
	return 0;
}

static int advisory_show(struct cli *cli, int argc, char **argv)
{
	i18n_init();
	if (argc != 2)
		return cli_usage_error(cli, "advisory show", "give one advisory id");
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc)
		return rc;
	char id[DD_UUID_LEN + 1];
	struct dd_advisory *a = malloc(sizeof *a);
	if (!a)
		return cli_report(cli, &(struct dd_error){ DD_ENOMEM, "out of memory" });
	if (store_advisory_resolve(cli->store, argv[1], id, &cli->err) ||
	    store_advisory_get(cli->store, id, time_now_ms(), a, &cli->err)) {
		free(a);
		return refused(cli, "advisory show");
	}
	list_one(a, cli);
	printf("  发布 %s by %s\n  要求 %s\n", a->issuer, a->by, a->action);
	if (a->products[0])
		printf("  影响 %s\n", a->products);
	printf("  接收范围");
	for (int i = 0; i < a->n_to; i++)
		printf(" %s", a->to[i]);
	printf("\n");
	struct shown s = { .cli = cli, .deadline = a->deadline_ms };
	free(a);
	if (store_advisory_answers(cli->store, id, print_answer, &s, &cli->err))
		return cli_report(cli, &cli->err);
	return EXIT_OK;
}

static int advisory_answer(struct cli *cli, int argc, char **argv, bool report)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },      { "affected", required_argument, NULL, 'a' },
		{ "measures", required_argument, NULL, 'm' }, { "done-at", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = report ? "advisory report" : "advisory ack";
	const char *org = NULL, *affected = NULL, *measures = NULL, *done = NULL;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'a': affected = optarg; break;
		case 'm': measures = optarg; break;
		case 'd': done = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, cmd, "give one advisory id");
	if (!report && (affected || measures || done))
		return cli_usage_error(cli, cmd, "--affected, --measures and --done-at belong to advisory report");
	if (report && (!affected || (strcmp(affected, "yes") != 0 && strcmp(affected, "no") != 0) || !measures))
		return cli_usage_error(cli, cmd, "--affected yes|no and --measures are required");
	int64_t done_ms = 0;
	if ((rc = cli_load_config(cli)) || (done && (rc = cli_parse_time(cli, cmd, "--done-at", done, &done_ms))) ||
	    (rc = cli_open(cli, 0)))
		return rc;
	char id[DD_UUID_LEN + 1];
	if (store_advisory_resolve(cli->store, argv[optind], id, &cli->err) ||
	    (report ? advisory_report(cli->store, &cli->cfg, id, org, strcmp(affected, "yes") == 0, measures, done_ms,
				      &cli->err)
		    : advisory_ack(cli->store, &cli->cfg, id, org, &cli->err)))
		return refused(cli, cmd);
	printf("%s %s by %s\n", shiftlog_short_id(id), report ? "reported" : "acknowledged", org ? org : cli->cfg.org);
	return EXIT_OK;
}

int cmd_advisory(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "advisory", "give new, list, show, ack or report");
	if (strcmp(argv[1], "new") == 0)
		return advisory_new(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return advisory_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return advisory_show(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "ack") == 0)
		return advisory_answer(cli, argc - 1, argv + 1, false);
	if (strcmp(argv[1], "report") == 0)
		return advisory_answer(cli, argc - 1, argv + 1, true);
	return cli_usage_error(cli, "advisory", "unknown subcommand '%s' (new, list, show, ack, report)", argv[1]);
}
