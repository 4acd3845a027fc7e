/*
 * cmd_import.c — `dutydesk import FILE|-`: appends events from JSON lines
 * (one event per line, as `event_encode` writes them), e.g. the demo data
 * or an archive from another desk.
 *
 * All or nothing: the whole file is one transaction, and the first bad
 * line (named FILE:LINE with the field at fault) rolls everything back.
 * Events already present are counted and skipped, so an import can be
 * repeated safely.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/cli.h"
#include "dutydesk/rosterio.h"

int cmd_import(struct cli *cli, int argc, char **argv)
{
	/* `import orgs|roster|duty|objects FILE.csv`; a JSON-lines file of
	 * one of those names is given as ./orgs. */
	if (argc >= 2 && rosterio_table_parse(argv[1]) >= 0)
		return cmd_import_table(cli, argc, argv);
	if (argc != 2)
		return cli_usage_error(cli, "import", "give one file of JSON lines, or - for standard input");
	const char *name = argv[1];
	FILE *in = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
	if (!in) {
		fprintf(stderr, "dutydesk import: %s: %s\n", name, strerror(errno));
		return EXIT_USAGE;
	}
	int rc = cli_open(cli, 0);
	if (rc || store_batch_begin(cli->store, &cli->err)) {
		if (in != stdin)
			fclose(in);
		return rc ? rc : cli_report(cli, &cli->err);
	}

	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, added = 0, dups = 0;
	int failed = 0;
	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		struct dd_event ev;
		int r = event_decode(line, (size_t)len, &ev, &cli->err);
		if (r == 0) {
			r = store_append_remote(cli->store, &ev, &cli->err);
			event_free(&ev);
		}
		if (r == DD_EDUP) {
			dups++;
		} else if (r) {
			dd_wrap(&cli->err, "%s:%ld", strcmp(name, "-") == 0 ? "<stdin>" : name, lineno);
			failed = 1;
			break;
		} else {
			added++;
		}
	}
	free(line);
	if (!failed && ferror(in)) {
		dd_fail(&cli->err, DD_EIO, "%s: read error", name);
		failed = 1;
	}
	if (in != stdin)
		fclose(in);
	struct dd_error end_err;
	if (store_batch_end(cli->store, !failed, &end_err) && !failed) {
		cli->err = end_err;
		failed = 1;
	}
	if (failed) {
		fprintf(stderr, "dutydesk import: %s\nnothing was imported\n", cli->err.msg);
		return cli->err.code == DD_EINVAL || cli->err.code == DD_ECHAIN || cli->err.code == DD_ERANGE
			       ? EXIT_USAGE : EXIT_FAIL;
	}
	printf("imported %ld events (%ld already present)\n", added, dups);
	return EXIT_OK;
}
