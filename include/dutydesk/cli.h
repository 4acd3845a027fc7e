/*
 * cli.h — what the dutydesk commands share: global options, the loaded
 * configuration and the store, opened only when a command needs them.
 *
 * Exit codes: 0 ok, 1 the action failed, 2 usage or configuration error.
 */
#ifndef DUTYDESK_CLI_H
#define DUTYDESK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "dutydesk/config.h"
#include "dutydesk/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
	const char *prog;
	const char *config_arg;   /* --config, or NULL */
	const char *db_arg;       /* --db, or NULL */
	bool drill;               /* --drill: the store writes drill events */
	struct dd_config cfg;
	struct dd_store *store;
	struct dd_error err;
};

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;        /* one line: arguments */
	const char *summary;
};

/* Loads the configuration (applying --db); prints the error and returns
 * the exit code on failure. */
int cli_load_config(struct cli *cli);

/* cli_load_config, then opens the store with flags. */
int cli_open(struct cli *cli, int flags);

/* Prints err to stderr prefixed with the program name; returns the exit
 * code matching the error (2 for configuration and usage, 1 otherwise). */
int cli_report(struct cli *cli, const struct dd_error *err);

/* Prints a usage error and returns EXIT_USAGE. */
int cli_usage_error(struct cli *cli, const char *command, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct dd_tiers;
/* Loads the tier rules: cfg->tiers, else data/tiers.conf beside the
 * program (a build tree), else the installed one. */
int cli_load_tiers(struct cli *cli, struct dd_tiers *t);

/* Parses a time as typed on the command line, in the configured zone. */
int cli_parse_time(struct cli *cli, const char *command, const char *option, const char *value,
		   int64_t *out);

struct option;
/* getopt_long over argv (argv[0] is the command) with messages that name
 * the option; returns the option, -1 at the end, or '?' once the usage
 * error has been printed.  Set optind = 1 before the first call. */
int cli_getopt(struct cli *cli, const char *command, int argc, char **argv, const struct option *opts);

/* True when argv holds -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);
int cli_print_help(const struct cli_command *cmd, FILE *out);

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_log(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_incident(struct cli *cli, int argc, char **argv);
int cmd_tiers(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_verify(struct cli *cli, int argc, char **argv);
int cmd_rebuild(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_org(struct cli *cli, int argc, char **argv);
int cmd_roster(struct cli *cli, int argc, char **argv);
int cmd_duty(struct cli *cli, int argc, char **argv);
int cmd_objects(struct cli *cli, int argc, char **argv);
int cmd_call(struct cli *cli, int argc, char **argv);
int cmd_period(struct cli *cli, int argc, char **argv);
int cmd_zero(struct cli *cli, int argc, char **argv);
int cmd_advisory(struct cli *cli, int argc, char **argv);
int cmd_handover(struct cli *cli, int argc, char **argv);
int cmd_drill(struct cli *cli, int argc, char **argv);
/* `import TABLE FILE.csv` and `export TABLE …` (argv[1] is the table). */
int cmd_import_table(struct cli *cli, int argc, char **argv);
int cmd_export_table(struct cli *cli, int argc, char **argv);
/* `roster lint` and `duty gaps`: the coverage check. */
int cli_roster_gaps(struct cli *cli, const char *command, int argc, char **argv);
int cmd_sync(struct cli *cli, int argc, char **argv);

const struct cli_command *cli_find(const char *name);

#endif
