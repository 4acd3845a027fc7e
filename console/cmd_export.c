/*
 * cmd_export.c — `dutydesk export`: the shift log as Markdown for
 * printing, CSV for spreadsheets, JSON for archives (`export
 * roster|duty|objects` goes to cmd_rosterio.c).
 *
 * With --output the file is written beside its final name and renamed
 * only when complete, so a full disk never leaves half an export that
 * looks whole.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/logout.h"

int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "drill", no_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc >= 2 && (strcmp(argv[1], "roster") == 0 || strcmp(argv[1], "duty") == 0 ||
			  strcmp(argv[1], "objects") == 0))
		return cmd_export_table(cli, argc, argv);
	const char *since = NULL, *until = NULL, *output = NULL;
	int format = -1;
	struct dd_log_filter f;
	store_log_filter_init(&f);
	f.drill = 0;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "export", argc, argv, opts)) != -1) {
		switch (c) {
		case 'f':
			if ((format = logout_parse_format(optarg)) < 0)
				return cli_usage_error(cli, "export", "--format %s: use md, csv or json", optarg);
			break;
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'd': f.drill = -1; break;
		case 'o': output = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "export", "unexpected argument '%s'", argv[optind]);
	if (format < 0)
		return cli_usage_error(cli, "export", "--format md|csv|json is required");

	i18n_init();
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc)
		return rc;
	if (since && (rc = cli_parse_time(cli, "export", "--since", since, &f.since_ms)))
		return rc;
	if (until && (rc = cli_parse_time(cli, "export", "--until", until, &f.until_ms)))
		return rc;

	char tmp[DD_PATH_MAX + 16];
	FILE *out = stdout;
	if (output) {
		snprintf(tmp, sizeof tmp, "%s.part", output);
		if (!(out = fopen(tmp, "w"))) {
			fprintf(stderr, "dutydesk export: cannot write %s: %s\n", tmp, strerror(errno));
			return EXIT_FAIL;
		}
	}
	struct logout lo = { .out = out, .format = format, .tz = cli->cfg.timezone, .title_org = cli->cfg.org };
	logout_begin(&lo);
	rc = store_log_scan(cli->store, &f, NULL, false, INT32_MAX, logout_row, &lo, &cli->err);
	bool write_failed = logout_end(&lo) != 0;
	if (output) {
		write_failed |= fsync(fileno(out)) != 0;
		write_failed |= fclose(out) != 0;
		if (rc || write_failed || rename(tmp, output) != 0) {
			unlink(tmp);
			if (!rc)
				fprintf(stderr, "dutydesk export: cannot write %s: %s\n", output, strerror(errno));
		}
	}
	if (rc)
		return cli_report(cli, &cli->err);
	if (write_failed) {
		if (!output)
			fprintf(stderr, "dutydesk export: writing the output failed\n");
		return EXIT_FAIL;
	}
	if (output)
		fprintf(stderr, "%lld entries written to %s\n", (long long)lo.rows, output);
	return EXIT_OK;
}
