/*
 * cmd_admin.c — the maintenance commands: `verify`, `rebuild`, `config`.
 */
#include <string.h>

#include "dutydesk/cli.h"

static int no_arguments(struct cli *cli, const char *command, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error(cli, command, "unexpected argument '%s'", argv[1]);
	return EXIT_OK;
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	int rc = no_arguments(cli, "verify", argc, argv);
	if (rc || (rc = cli_open(cli, DD_STORE_READONLY)))
		return rc;
	int64_t checked = 0;
	if (store_verify(cli->store, &checked, &cli->err)) {
		fprintf(stderr, "dutydesk verify: FAILED after %lld good events: %s\n", (long long)checked, cli->err.msg);
		return EXIT_FAIL;
	}
	printf("ok: %lld events, hash chains and sequence numbers intact, database integrity ok\n",
	       (long long)checked);
	return EXIT_OK;
}

int cmd_rebuild(struct cli *cli, int argc, char **argv)
{
	int rc = no_arguments(cli, "rebuild", argc, argv);
	if (rc || (rc = cli_open(cli, 0)))
		return rc;
	/* Replaying a log that fails verification would make tampered events
	 * look like the truth on every screen. */
	int64_t checked;
	if (store_verify(cli->store, &checked, &cli->err)) {
		fprintf(stderr, "dutydesk rebuild: the log fails verification, nothing was changed: %s\n", cli->err.msg);
		return EXIT_FAIL;
	}
	char before[DD_HASH_HEX + 1], after[DD_HASH_HEX + 1];
	if (store_digest(cli->store, before, &cli->err) || store_rebuild(cli->store, &cli->err) ||
	    store_digest(cli->store, after, &cli->err))
		return cli_report(cli, &cli->err);
	printf("rebuilt from %lld events; projections %s (sha256 %.16s)\n", (long long)store_event_count(cli->store),
	       strcmp(before, after) == 0 ? "identical to before" : "DIFFERED from before and were replaced",
	       after);
	return EXIT_OK;
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "path") != 0))
		return cli_usage_error(cli, "config", "use `config check` or `config path`");
	if (strcmp(argv[1], "path") == 0) {
		char path[DD_PATH_MAX];
		if (cli->config_arg)
			snprintf(path, sizeof path, "%s", cli->config_arg);
		else if (config_default_path(path, sizeof path, &cli->err))
			return cli_report(cli, &cli->err);
		printf("%s\n", path);
		return EXIT_OK;
	}
	int rc = cli_load_config(cli);
	if (rc)
		return rc;
	const struct dd_config *c = &cli->cfg;
	printf("%s: ok\n  origin    %s\n  officer   %s\n  org       %s\n  timezone  %s\n  shift     from %s\n"
	       "  theme     %s\n  database  %s\n  server    %s\n  reminder  %d min before a zero-report time\n",
	       c->path, c->origin[0] ? c->origin : "(none: run dutydesk init)", c->officer, c->org, c->timezone,
	       c->shift_start, c->theme, c->database, c->server_url[0] ? c->server_url : "(none)", c->zero_remind_min);
	if (store_open(c->database, DD_STORE_READONLY, &cli->store, &cli->err))
		return cli_report(cli, &cli->err);
	return EXIT_OK;
}
