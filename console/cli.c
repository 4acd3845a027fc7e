/*
 * cli.c — what every command shares: loading the configuration, opening
 * the store, and turning errors into messages and exit codes.
 */
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/tiers.h"
#include "dutydesk/timefmt.h"

int cli_report(struct cli *cli, const struct dd_error *err)
{
	fprintf(stderr, "%s: %s\n", cli->prog, err->msg);
	switch (err->code) {
	case DD_ECONFIG:
	case DD_EINVAL:
	case DD_ENOTFOUND:
		return EXIT_USAGE;
	default:
		return EXIT_FAIL;
	}
}

int cli_usage_error(struct cli *cli, const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s %s: ", cli->prog, command);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see dutydesk %s --help)\n", command);
	va_end(ap);
	return EXIT_USAGE;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

int cli_load_config(struct cli *cli)
{
	char path[DD_PATH_MAX];
	if (cli->config_arg) {
		snprintf(path, sizeof path, "%s", cli->config_arg);
	} else if (config_default_path(path, sizeof path, &cli->err)) {
		return cli_report(cli, &cli->err);
	}
	if (config_load(path, &cli->cfg, &cli->err))
		return cli_report(cli, &cli->err);
	if (cli->db_arg)
		snprintf(cli->cfg.database, sizeof cli->cfg.database, "%s", cli->db_arg);
	return EXIT_OK;
}

int cli_open(struct cli *cli, int flags)
{
	int rc = cli_load_config(cli);
	if (rc)
		return rc;
	if (store_open(cli->cfg.database, flags, &cli->store, &cli->err))
		return cli_report(cli, &cli->err);
	store_set_drill(cli->store, cli->drill);
	return EXIT_OK;
}

int cli_parse_time(struct cli *cli, const char *command, const char *option, const char *value,
		   int64_t *out)
{
	struct dd_error err;
	if (time_parse(value, time_now_ms(), cli->cfg.timezone, out, &err) != 0)
		return cli_usage_error(cli, command, "%s: %s", option, err.msg);
	return EXIT_OK;
}

int cli_getopt(struct cli *cli, const char *command, int argc, char **argv, const struct option *opts)
{
	opterr = 0;
	int c = getopt_long(argc, argv, ":", opts, NULL);
	if (c == '?') {
		cli_usage_error(cli, command, "unknown option '%s'", argv[optind - 1]);
		return '?';
	}
	if (c == ':') {
		cli_usage_error(cli, command, "option '%s' needs a value", argv[optind - 1]);
		return '?';
	}
	return c;
}

int cli_load_tiers(struct cli *cli, struct dd_tiers *t)
{
	char path[DD_PATH_MAX + 32], dir[DD_PATH_MAX];
	if (cli->cfg.tiers[0])
		snprintf(path, sizeof path, "%s", cli->cfg.tiers);
	else if (i18n_exe_dir(dir, sizeof dir) == 0 &&
		 (snprintf(path, sizeof path, "%s/data/tiers.conf", dir), access(path, R_OK) == 0))
		;
	else
		snprintf(path, sizeof path, "%s/tiers.conf", DD_DATADIR);
	if (tiers_load(path, t, &cli->err))
		return cli_report(cli, &cli->err);
	return EXIT_OK;
}
