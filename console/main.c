/*
 * main.c — the dutydesk program: global options, then either a command
 * (see the table below) or, with none, the full-screen console.
 *
 * Start-up cost matters: `dutydesk log` runs once per entry from scripts
 * and phone-call hotkeys, so nothing here loads what a command does not
 * use (the store is opened by the command; curses only by the console).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/tiers.h"
#include "dutydesk/tui.h"

static const struct cli_command commands[] = {
	{ "init", cmd_init, "--org ID --officer NAME [--timezone ZONE] [--force]",
	  "create the configuration and the database" },
	{ "log", cmd_log,
	  "TEXT|- [--kind call-in|call-out|action|note|handover] [--at TIME] [--corrects ID]\n"
	  "       log list [--since T] [--until T] [--all] [--officer N] [--grep S] [--drill] [--json]",
	  "add a shift-log entry, or list entries (default: the current shift)" },
	{ "export", cmd_export, "--format md|csv|json [--since T] [--until T] [--drill] [--output FILE]\n"
	  "       export roster|duty|objects --format csv|json [--scope ID] [--from DATE] [--days N] [--output FILE]",
	  "write the shift log, the roster, the duty schedule or the objects ledger" },
	{ "incident", cmd_incident,
	  "new|list|show|status|tier|hop|note|correct|followup|duplicate|summary|report …",
	  "open, grade, escalate and close incidents; the post-incident report" },
	{ "tiers", cmd_tiers, "check|show", "validate or print the tier rules (tiers.conf)" },
	{ "org", cmd_org, "list [--scope ID] [--kind K] [--grep T] [--json] | show ID | load FILE.conf | set ID …",
	  "the organisation tree; load data/orgs/chongqing.conf" },
	{ "roster", cmd_roster, "find [TEXT] [--at TIME] [--scope ID] [--role R] [--json] | lint | set ORG … | remove ID",
	  "liaisons (工作负责人, 应急联络员): search, as of any time, check for gaps" },
	{ "duty", cmd_duty, "now [--org ID] | week [--org ID] | set ORG --date D … | swap ORG --date D --from N --to N "
	  "--reason R [--with D2] | reassign | cancel | gaps [--days 7]",
	  "the duty schedule (值班表): who is on duty, the week, swaps, coverage gaps" },
	{ "objects", cmd_objects, "list [--district ID] [--important] [--json] | add ORG --kind K --name N [--exposed] | "
	  "assess ID --important yes|no [--date D]",
	  "the protected-object ledger (保护对象台账)" },
	{ "call", cmd_call, "ORG --result reached|no-answer|busy|wrong-number [--out|--in] [--liaison NAME|ID] "
	  "[--note T] [--incident ID]",
	  "record a call to or from an org as a shift-log entry" },
	{ "period", cmd_period, "new NAME --start T --end T --scope ORG[,ORG] --times HH:MM[,HH:MM] [--grace MIN] "
	  "[--rules zero,watch,freeze] | list [--all] | show ID | end ID [--at T]",
	  "protection periods (重保时期); set by the commission (cq) or the centre (cq.center)" },
	{ "zero", cmd_zero, "submit [--org ID] [--nil | --incident ID …] [--via phone|console|cli] [--correct] "
	  "[--slot T] [--period ID] [--reporter N] [--note T] | status [--json] [--slot T] [--period ID] | "
	  "export --format csv|md [--date D] [--period ID]",
	  "24-hour zero reporting (零报告): submit, the checklist, the daily summary" },
	{ "advisory", cmd_advisory, "new TITLE --level red|orange|yellow|blue --action T --deadline T --to ORG[,ORG] "
	  "[--products T] | list | show ID | ack ID [--org ID] | report ID --affected yes|no --measures T "
	  "[--done-at T] [--org ID]",
	  "advisories (预警通报): issue, progress, acknowledge, self-inspection report" },
	{ "handover", cmd_handover, "show [--json] | submit [--notes TEXT | --notes-file FILE | neither: $EDITOR] | accept [--objection TEXT] "
	  "[--officer NAME] | export --format md [--output FILE]",
	  "the shift handover (交接班): summary, submit, accept, the printable sheet" },
	{ "drill", cmd_drill, "run SCENARIO [--speed N] [--keep] | check SCENARIO… | status | list | fire INJECT | pause | resume "
	  "| shift +DURATION | stop | report ID|last --format md|json",
	  "tabletop drills (应急演练): play a scenario's injects, score the responses" },
	{ "import", cmd_import, "FILE|-\n       import orgs|roster|duty|objects FILE.csv [--encoding utf-8|gbk|gb18030]",
	  "append events from JSON lines, or the roster from CSV; all or nothing" },
	{ "verify", cmd_verify, "", "check hash chains, sequence numbers and database integrity" },
	{ "rebuild", cmd_rebuild, "", "replay the event log into fresh projections" },
	{ "config", cmd_config, "check|path", "validate the configuration, or print its path" },
	{ "sync", cmd_sync, "[--once|--status]",
	  "sync with dutydeskd: in the foreground, one round (--once), or show the state (--status)" },
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

const struct cli_command *cli_find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cli_print_help(const struct cli_command *cmd, FILE *out)
{
	fprintf(out, "usage: dutydesk [--config FILE] [--db FILE] %s %s\n\n%s\n", cmd->name, cmd->usage,
		cmd->summary);
	fputs("\nTimes: now, -15m, -2h, 14:30 (latest past), yesterday 14:30, 2026-11-26 08:30,\n"
	      "or RFC 3339; local times are in the configured time zone.\n"
	      "Exit status: 0 ok, 1 failure, 2 usage or configuration error.\n", out);
	return EXIT_OK;
}

static void usage(FILE *out)
{
	fprintf(out,
		"dutydesk %s — duty console for industrial information security incidents\n\n"
		"usage: dutydesk [--config FILE] [--db FILE] [--drill] [COMMAND [ARGS]]\n\n"
		"With no command, opens the full-screen console.\n\nCommands:\n",
		DD_VERSION);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions:\n"
	      "  --config FILE  configuration (default $XDG_CONFIG_HOME/dutydesk/dutydesk.conf)\n"
	      "  --db FILE      database (default from the configuration)\n"
	      "  --drill        everything the command (or the console) writes is part of the drill\n"
	      "  --help, -h     this help; `dutydesk COMMAND --help` for a command\n"
	      "  --version      print the version\n"
	      "\nExit status: 0 ok, 1 failure, 2 usage or configuration error.\n",
	      out);
}

int main(int argc, char **argv)
{
	struct cli cli = { .prog = "dutydesk" };
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--config") == 0 || strcmp(a, "--db") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "dutydesk: %s needs a file name\n", a);
				return EXIT_USAGE;
			}
			if (a[2] == 'c')
				cli.config_arg = argv[++i];
			else
				cli.db_arg = argv[++i];
		} else if (strncmp(a, "--config=", 9) == 0) {
			cli.config_arg = a + 9;
		} else if (strncmp(a, "--db=", 5) == 0) {
			cli.db_arg = a + 5;
		} else if (strcmp(a, "--drill") == 0) {
			cli.drill = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--version") == 0) {
			printf("dutydesk %s\n", DD_VERSION);
			return EXIT_OK;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "dutydesk: unknown option %s (see dutydesk --help)\n", a);
			return EXIT_USAGE;
		} else {
			break;
		}
	}
	int rc;
	if (i == argc) {
		i18n_init();
		if (!isatty(STDIN_FILENO) && !getenv("DUTYDESK_TEST_SCREEN")) {
			fprintf(stderr, "dutydesk: the console needs a terminal; see dutydesk --help for commands\n");
			return EXIT_USAGE;
		}
		struct dd_tiers tiers;
		if ((rc = cli_open(&cli, 0)) != EXIT_OK || (rc = cli_load_tiers(&cli, &tiers)) != EXIT_OK) {
			store_close(cli.store);
			return rc;
		}
		rc = tui_run(&cli.cfg, cli.store, &tiers, &cli.err) == 0 ? EXIT_OK : cli_report(&cli, &cli.err);
	} else {
		const struct cli_command *cmd = cli_find(argv[i]);
		if (!cmd) {
			fprintf(stderr, "dutydesk: unknown command '%s' (see dutydesk --help)\n", argv[i]);
			return EXIT_USAGE;
		}
		if (cli_wants_help(argc - i, argv + i))
			return cli_print_help(cmd, stdout);
		rc = cmd->run(&cli, argc - i, argv + i);
	}
	store_close(cli.store);
	return rc;
}
