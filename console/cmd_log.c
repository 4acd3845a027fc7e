/*
 * cmd_log.c — `dutydesk log TEXT` adds a shift-log entry; `dutydesk log
 * list` shows entries, by default those of the current shift.
 *
 * The add path is the hot one (one process per entry), so it opens the
 * store, appends, prints the short id and nothing more.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/kinds.h"
#include "dutydesk/logout.h"
#include "dutydesk/shiftlog.h"

/* Room for trimmed white space around the longest entry; the exact limit
 * is checked on the cleaned text. */
#define STDIN_MAX (DD_LOG_TEXT_MAX + 4096)

static char *read_stdin(size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		ssize_t got = read(STDIN_FILENO, buf + n, cap - n);
		if (got < 0) {
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > STDIN_MAX) {
			free(buf);
			return NULL;
		}
		if (n == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	*len = n;
	return buf;
}

static int log_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "at", required_argument, NULL, 'a' },
		{ "corrects", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kind = NULL, *at = NULL, *corrects = NULL;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "log", argc, argv, opts)) != -1) {
		switch (c) {
		case 'k': kind = optarg; break;
		case 'a': at = optarg; break;
		case 'c': corrects = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "log", argc == optind ? "the entry text is missing (use - to read stdin)"
							     : "give the text as one argument, in quotes");
	if (kind && !shiftlog_kind_valid(kind))
		return cli_usage_error(cli, "log", "--kind %s: use note, call-in, call-out, action or handover", kind);

	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	int64_t at_ms = 0;
	if (at && (rc = cli_parse_time(cli, "log", "--at", at, &at_ms)))
		return rc;
	char corrects_id[DD_UUID_LEN + 1] = "";
	if (corrects && store_log_resolve(cli->store, corrects, corrects_id, &cli->err))
		return cli_report(cli, &cli->err);

	const char *text = argv[optind];
	size_t len = strlen(text);
	char *input = NULL;
	if (strcmp(text, "-") == 0) {
		input = read_stdin(&len);
		if (!input) {
			fprintf(stderr, "dutydesk log: cannot read standard input, or it holds more than %d bytes\n",
				DD_LOG_TEXT_MAX);
			return EXIT_USAGE;
		}
		text = input;
	}
	struct dd_event ev;
	rc = shiftlog_add(cli->store, &cli->cfg, text, len, kind, at_ms, corrects_id, &ev, &cli->err);
	free(input);
	if (rc)
		return rc == DD_EINVAL ? cli_usage_error(cli, "log", "%s", cli->err.msg) : cli_report(cli, &cli->err);
	printf("%s\n", shiftlog_short_id(ev.id));
	event_free(&ev);
	return EXIT_OK;
}

static int log_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "officer", required_argument, NULL, 'o' },
		{ "grep", required_argument, NULL, 'g' },
		{ "all", no_argument, NULL, 'A' },
		{ "drill", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *since = NULL, *until = NULL;
	bool all = false, json = false;
	struct dd_log_filter f;
	store_log_filter_init(&f);
	f.drill = 0;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "log list", argc, argv, opts)) != -1) {
		switch (c) {
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'o': f.officer = optarg; break;
		case 'g': f.grep = optarg; break;
		case 'A': all = true; break;
		case 'd': f.drill = -1; break;
		case 'j': json = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "log list", "unexpected argument '%s'", argv[optind]);
	if (all && since)
		return cli_usage_error(cli, "log list", "--all and --since contradict each other");

	i18n_init();
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc)
		return rc;
	if (since && (rc = cli_parse_time(cli, "log list", "--since", since, &f.since_ms)))
		return rc;
	if (until && (rc = cli_parse_time(cli, "log list", "--until", until, &f.until_ms)))
		return rc;
	if (!since && !all && (rc = cli_parse_time(cli, "log list", "shift_start", cli->cfg.shift_start, &f.since_ms)))
		return rc;

	struct logout lo = { .out = stdout, .format = json ? LOGOUT_JSON : LOGOUT_PLAIN, .tz = cli->cfg.timezone };
	logout_begin(&lo);
	if (store_log_scan(cli->store, &f, NULL, false, INT32_MAX, logout_row, &lo, &cli->err))
		return cli_report(cli, &cli->err);
	if (logout_end(&lo)) {
		fprintf(stderr, "dutydesk log list: writing the output failed\n");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_log(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return log_list(cli, argc - 1, argv + 1);
	return log_add(cli, argc, argv);
}
