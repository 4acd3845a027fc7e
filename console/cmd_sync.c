/*
 * cmd_sync.c — `dutydesk sync`: sync with dutydeskd from the command line.
 *
 *   sync            the console's background sync in the foreground, one
 *                   line per change of state, until SIGINT or SIGTERM
 *   sync --once     push everything unsent, pull until caught up, exit
 *   sync --status   the cursors, what is unsent, and the server's view of
 *                   this console's token
 *
 * Only this command and the full-screen console load libcurl (sync.h).
 */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/sync.h"
#include "dutydesk/timefmt.h"

static const char *state_name(enum dd_sync_state s)
{
	switch (s) {
	case DD_SYNC_STARTING: return "connecting";
	case DD_SYNC_LIVE: return "live";
	case DD_SYNC_BEHIND: return "behind";
	case DD_SYNC_OFFLINE: return "offline";
	case DD_SYNC_REFUSED: return "refused";
	}
	return "?";
}

static void print_status(struct cli *cli, const struct dd_sync_status *st)
{
	char when[40];
	time_format_local(time_now_ms(), cli->cfg.timezone, "%Y-%m-%d %H:%M:%S", when, sizeof when);
	printf("%s %s", when, state_name(st->state));
	if (st->state == DD_SYNC_BEHIND)
		printf(" %lld", (long long)st->behind);
	printf(", %lld unsent", (long long)st->unsent);
	if (st->error[0])
		printf(": %s", st->error);
	putchar('\n');
	fflush(stdout);
}

static int run_foreground(struct cli *cli)
{
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	/* Blocked before the threads start, so they inherit it and the
	 * signals arrive only on the signalfd below. */
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	struct dd_sync *s;
	if (sfd < 0 || sync_start(&cli->cfg, &s, &cli->err)) {
		if (sfd >= 0)
			close(sfd);
		return sfd < 0 ? EXIT_FAIL : cli_report(cli, &cli->err);
	}
	struct dd_sync_status last = { .state = (enum dd_sync_state)-1 }, now;
	struct pollfd fds[2] = { { .fd = sfd, .events = POLLIN }, { .fd = sync_wake_fd(s), .events = POLLIN } };
	for (;;) {
		sync_drain(s);
		sync_status(s, &now);
		if (now.state != last.state || now.unsent != last.unsent || now.behind != last.behind ||
		    strcmp(now.error, last.error) != 0) {
			print_status(cli, &now);
			last = now;
		}
		if (poll(fds, 2, -1) > 0 && (fds[0].revents & POLLIN))
			break;
	}
	sync_stop(s);
	close(sfd);
	return EXIT_OK;
}

static int show_status(struct cli *cli)
{
	struct dd_sync_cursor cur;
	int64_t head;
	if (store_sync_cursor(cli->store, cli->cfg.server_url, &cur, &cli->err) ||
	    store_origin_head(cli->store, cli->cfg.origin, &head, &cli->err))
		return cli_report(cli, &cli->err);
	printf("server    %s\norigin    %s\nsent      %lld of %lld events of this console (%lld unsent)\n"
	       "pulled    up to %lld in the server's order\n",
	       cli->cfg.server_url, cli->cfg.origin, (long long)cur.pushed, (long long)head,
	       (long long)(head > cur.pushed ? head - cur.pushed : 0), (long long)cur.pulled);
	char who[600];
	if (sync_whoami(&cli->cfg, who, sizeof who, &cli->err)) {
		printf("token     not checked: %s\n", cli->err.msg);
		return EXIT_FAIL;
	}
	printf("token     %s\n", who);
	return EXIT_OK;
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "status", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	bool once = false, status = false;
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "sync", argc, argv, opts)) != -1) {
		if (c == '?')
			return EXIT_USAGE;
		if (c == 'o')
			once = true;
		else
			status = true;
	}
	if (optind < argc)
		return cli_usage_error(cli, "sync", "unexpected argument '%s'", argv[optind]);
	if (once && status)
		return cli_usage_error(cli, "sync", "--once and --status do not go together");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	if (!cli->cfg.server_url[0]) {
		fprintf(stderr, "dutydesk sync: %s has no server: add\n"
				"  server = { url = \"https://HOST:8470\"; token_file = \"token\"; };\n",
			cli->cfg.path);
		return EXIT_USAGE;
	}
	if (status)
		return show_status(cli);
	if (!once) {
		/* The background threads open their own connections. */
		store_close(cli->store);
		cli->store = NULL;
		return run_foreground(cli);
	}
	struct dd_sync_report r;
	if (sync_once(&cli->cfg, cli->store, &r, &cli->err)) {
		fprintf(stderr, "dutydesk sync: %s\n", cli->err.msg);
		printf("sent %lld new events (%lld already there), received %lld; %lld unsent\n", (long long)r.pushed,
		       (long long)r.duplicates, (long long)r.pulled, (long long)r.unsent);
		return cli->err.code == DD_ECONFIG ? EXIT_USAGE : EXIT_FAIL;
	}
	printf("sent %lld new events (%lld already there), received %lld; %s\n", (long long)r.pushed,
	       (long long)r.duplicates, (long long)r.pulled, r.unsent ? "some unsent" : "in step with the server");
	return EXIT_OK;
}
