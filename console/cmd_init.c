/*
 * cmd_init.c — `dutydesk init`: creates the configuration (with this
 * installation's origin id) and the database.
 *
 * An existing configuration keeps its origin: a new origin would start a
 * second hash chain for the same desk and make its history look forked.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/event.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

static bool officer_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > DD_ACTOR_MAX || !text_is_valid_utf8(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static int absolute(const char *path, char *out, size_t n)
{
	char cwd[DD_PATH_MAX];
	int w;
	if (path[0] == '/')
		w = snprintf(out, n, "%s", path);
	else if (getcwd(cwd, sizeof cwd))
		w = snprintf(out, n, "%s/%s", cwd, path);
	else
		return -1;
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "officer", required_argument, NULL, 'n' },
		{ "timezone", required_argument, NULL, 'z' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *org = NULL, *officer = NULL, *tz = NULL;
	bool force = false;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "init", argc, argv, opts)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'n': officer = optarg; break;
		case 'z': tz = optarg; break;
		case 'f': force = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "init", "unexpected argument '%s'", argv[optind]);
	if (!org || !officer)
		return cli_usage_error(cli, "init", "--org and --officer are required");
	if (!org_id_valid(org))
		return cli_usage_error(cli, "init", "--org '%s' is not an org id such as cq.yubei", org);
	if (!officer_valid(officer))
		return cli_usage_error(cli, "init", "--officer must be 1 to %d bytes of text without control characters",
				       DD_ACTOR_MAX);

	char path[DD_PATH_MAX];
	if (cli->config_arg)
		snprintf(path, sizeof path, "%s", cli->config_arg);
	else if (config_default_path(path, sizeof path, &cli->err))
		return cli_report(cli, &cli->err);

	struct dd_config *cfg = &cli->cfg;
	int rc = config_load(path, cfg, &cli->err);
	bool exists = rc != DD_ENOTFOUND;
	if (exists && rc)
		return cli_report(cli, &cli->err);
	if (exists && !force && (strcmp(cfg->org, org) != 0 || strcmp(cfg->officer, officer) != 0)) {
		fprintf(stderr, "dutydesk init: %s already belongs to %s (%s); use --force to change org or officer\n",
			path, cfg->officer, cfg->org);
		return EXIT_USAGE;
	}
	if (!exists)
		snprintf(cfg->path, sizeof cfg->path, "%s", path);
	if (!cfg->origin[0])
		uuid7_new(time_now_ms(), cfg->origin);
	snprintf(cfg->org, sizeof cfg->org, "%s", org);
	snprintf(cfg->officer, sizeof cfg->officer, "%s", officer);
	if (tz) {
		if (!config_zone_valid(tz))
			return cli_usage_error(cli, "init", "--timezone '%s' is not a zone such as Asia/Shanghai", tz);
		snprintf(cfg->timezone, sizeof cfg->timezone, "%s", tz);
	}
	/* Saved absolute: a relative path in the file would be read relative
	 * to the file's folder, not to where init ran. */
	if (cli->db_arg && absolute(cli->db_arg, cfg->database, sizeof cfg->database)) {
		fprintf(stderr, "dutydesk init: --db %s: path too long\n", cli->db_arg);
		return EXIT_USAGE;
	}
	if (!cfg->database[0] && config_default_database(cfg->database, sizeof cfg->database, &cli->err))
		return cli_report(cli, &cli->err);

	/* The database first, so a configuration is only ever written for a
	 * database that opened. */
	if (store_open(cfg->database, DD_STORE_CREATE, &cli->store, &cli->err))
		return cli_report(cli, &cli->err);

	/* Write the database path only when it is not the default one. */
	char default_db[DD_PATH_MAX] = "";
	config_default_database(default_db, sizeof default_db, NULL);
	struct dd_config to_save = *cfg;
	if (strcmp(to_save.database, default_db) == 0)
		to_save.database[0] = '\0';
	if (config_save(&to_save, &cli->err))
		return cli_report(cli, &cli->err);
	/* Validate what was written exactly as a later command will read it. */
	if (config_load(path, cfg, &cli->err))
		return cli_report(cli, &cli->err);
	printf("config   %s\ndatabase %s\norigin   %s\nofficer  %s (%s)\n", path, cfg->database, cfg->origin,
	       cfg->officer, cfg->org);
	return EXIT_OK;
}
