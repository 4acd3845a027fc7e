/*
 * main.c — dutydeskd: the central service consoles sync with, and its
 * token administration.
 *
 *   dutydeskd [--config FILE] [serve]
 *   dutydeskd [--config FILE] token add --org ID --role ROLE --name TEXT
 *   dutydeskd [--config FILE] token list | token revoke ID|NAME
 *
 * Signals: SIGTERM and SIGINT are taken by the main thread with
 * sigwait() (blocked everywhere else, so MHD's threads never see them)
 * and start the drain: no new connections, requests in flight finish.
 * Exit codes as the console's: 0 ok, 1 failure, 2 usage or configuration.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dutydesk/timefmt.h"
#include "scope.h"
#include "server.h"
#include "srvconfig.h"
#include "token.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#define DRAIN_S 30

static void usage(FILE *out)
{
	fprintf(out,
		"dutydeskd %s — the dutydesk central service\n\n"
		"usage: dutydeskd [--config FILE] [serve]\n"
		"       dutydeskd [--config FILE] token add --org ID --role ROLE --name TEXT\n"
		"       dutydeskd [--config FILE] token list\n"
		"       dutydeskd [--config FILE] token revoke ID|NAME\n\n"
		"ROLE is city, center, district, enterprise or support.  `token add` prints\n"
		"the new token once; only its SHA-256 is stored.\n\n"
		"Options:\n"
		"  --config FILE  configuration (default %s)\n"
		"  --help, -h     this help\n  --version      print the version\n\n"
		"Exit status: 0 ok, 1 failure, 2 usage or configuration error.\n",
		DD_VERSION, SRV_DEFAULT_CONFIG);
}

static int report(const struct dd_error *err)
{
	fprintf(stderr, "dutydeskd: %s\n", err->msg);
	return err->code == DD_ECONFIG || err->code == DD_EINVAL || err->code == DD_ENOTFOUND ? EXIT_USAGE
											    : EXIT_FAIL;
}

static int open_db(const struct srv_config *cfg, const struct db_ops **ops, struct db_session **s,
		   struct dd_error *err)
{
	const char *arg;
	int rc = db_choose(cfg->database, ops, &arg, err);
	return rc ? rc : (*ops)->open(arg, s, err);
}

/* ---- token administration ------------------------------------------------ */

static int add_tx(const struct db_ops *ops, struct db_session *s, void *ctx, struct dd_error *err)
{
	return ops->token_add(s, ctx, err);
}

static int token_add(const struct srv_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "role", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *org = NULL, *role = NULL, *name = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'r': role = optarg; break;
		case 'n': name = optarg; break;
		default:
			fprintf(stderr, "dutydeskd token add: bad option '%s'\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	enum role r;
	if (!org || !role || !name || optind != argc) {
		fprintf(stderr, "dutydeskd token add: needs --org ID --role ROLE --name TEXT and nothing else\n");
		return EXIT_USAGE;
	}
	if (!org_id_valid(org)) {
		fprintf(stderr, "dutydeskd token add: --org '%s' is not an org id such as cq.yubei\n", org);
		return EXIT_USAGE;
	}
	if (role_parse(role, &r) != 0) {
		fprintf(stderr, "dutydeskd token add: --role '%s': use city, center, district, enterprise or support\n",
			role);
		return EXIT_USAGE;
	}
	size_t nlen = strlen(name);
	if (nlen == 0 || nlen > DB_TOKEN_NAME_MAX) {
		fprintf(stderr, "dutydeskd token add: --name must be 1 to %d bytes\n", DB_TOKEN_NAME_MAX);
		return EXIT_USAGE;
	}
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "dutydeskd token add: --name must not hold control characters\n");
			return EXIT_USAGE;
		}

	struct db_token t = { .created_ms = time_now_ms() };
	snprintf(t.name, sizeof t.name, "%s", name);
	snprintf(t.org, sizeof t.org, "%s", org);
	snprintf(t.role, sizeof t.role, "%s", role_name(r));
	char secret[TOKEN_LEN + 1];
	struct dd_error err;
	const struct db_ops *ops;
	struct db_session *s;
	int rc = token_generate(secret, &err);
	if (rc == 0) {
		token_hash(secret, strlen(secret), t.hash);
		rc = open_db(cfg, &ops, &s, &err);
	}
	if (rc)
		return report(&err);
	rc = db_run_tx(ops, s, true, add_tx, &t, &err);
	ops->close(s);
	if (rc)
		return report(&err);
	printf("%s\n", secret);
	fprintf(stderr, "dutydeskd: token %lld \"%s\" for %s (%s) created; it is shown only now: store it in a"
			" file of mode 0600\n", (long long)t.id, t.name, t.org, t.role);
	return EXIT_OK;
}

static int print_token(const struct db_token *t, void *ctx)
{
	(void)ctx;
	char created[40] = "", revoked[40] = "";
	time_format_rfc3339(t->created_ms, "UTC", created, sizeof created);
	if (t->revoked_ms)
		time_format_rfc3339(t->revoked_ms, "UTC", revoked, sizeof revoked);
	printf("%-4lld %-10s %-24s %-24s %s%s%s\n", (long long)t->id, t->role, t->org, t->name, created,
	       t->revoked_ms ? "  revoked " : "", revoked);
	return 0;
}

static int list_tx(const struct db_ops *ops, struct db_session *s, void *ctx, struct dd_error *err)
{
	(void)ctx;
	printf("%-4s %-10s %-24s %-24s %s\n", "id", "role", "org", "name", "created");
	return ops->token_list(s, print_token, NULL, err);
}

struct revoke {
	const char *ref;
	int n;
};

static int revoke_tx(const struct db_ops *ops, struct db_session *s, void *ctx, struct dd_error *err)
{
	struct revoke *rv = ctx;
	return ops->token_revoke(s, rv->ref, time_now_ms(), &rv->n, err);
}

static int cmd_token(const struct srv_config *cfg, int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "dutydeskd token: use `token add`, `token list` or `token revoke ID|NAME`\n");
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "add") == 0)
		return token_add(cfg, argc - 1, argv + 1);
	bool list = strcmp(argv[1], "list") == 0, revoke = strcmp(argv[1], "revoke") == 0;
	if (!(list && argc == 2) && !(revoke && argc == 3)) {
		fprintf(stderr, "dutydeskd token: use `token add`, `token list` or `token revoke ID|NAME`\n");
		return EXIT_USAGE;
	}
	const struct db_ops *ops;
	struct db_session *s;
	struct dd_error err;
	if (open_db(cfg, &ops, &s, &err))
		return report(&err);
	struct revoke rv = { .ref = revoke ? argv[2] : NULL };
	int rc = db_run_tx(ops, s, revoke, list ? list_tx : revoke_tx, &rv, &err);
	ops->close(s);
	if (rc)
		return report(&err);
	if (revoke && rv.n == 0) {
		fprintf(stderr, "dutydeskd token revoke: no valid token with id or name '%s'\n", argv[2]);
		return EXIT_FAIL;
	}
	if (revoke)
		printf("revoked %d token%s\n", rv.n, rv.n == 1 ? "" : "s");
	return EXIT_OK;
}

/* ---- the service ----------------------------------------------------------- */

static int serve(const struct srv_config *cfg)
{
	/* Blocked before any thread starts, so every thread inherits it and
	 * only sigwait() below receives them. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	static struct server srv;
	struct dd_error err;
	const char *arg;
	const struct db_ops *ops;
	int rc = db_choose(cfg->database, &ops, &arg, &err);
	if (rc || (rc = db_pool_init(&srv.pool, ops, arg, &err)))
		return report(&err);
	if ((rc = longpoll_start(&err)) || (rc = http_start(&srv, cfg, &err))) {
		longpoll_stop();
		db_pool_destroy(&srv.pool);
		return report(&err);
	}
	srv_log("listening on %s://%s%s%s:%u (database %s, %s backend, %d threads)", cfg->tls_cert[0] ? "https" : "http",
		strchr(cfg->listen, ':') ? "[" : "", cfg->listen, strchr(cfg->listen, ':') ? "]" : "", http_port(&srv),
		arg, ops->name, cfg->threads);
	int sig;
	do {
		if (sigwait(&sigs, &sig) != 0)
			sig = SIGTERM;
		if (sig == SIGHUP)
			srv_log("SIGHUP ignored: restart the service to read its configuration again");
	} while (sig == SIGHUP);
	srv_log("%s received", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	http_stop(&srv, DRAIN_S);
	db_pool_destroy(&srv.pool);
	srv_log("stopped");
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *config = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config = argv[++i];
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			config = argv[i] + 9;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("dutydeskd %s\n", DD_VERSION);
			return EXIT_OK;
		} else {
			fprintf(stderr, "dutydeskd: unknown option %s (see dutydeskd --help)\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	struct srv_config cfg;
	struct dd_error err;
	int rc = srvconfig_load(config ? config : SRV_DEFAULT_CONFIG, &cfg, &err);
	/* Without --config, a missing default file means the defaults. */
	if (rc == DD_ENOTFOUND && !config)
		rc = 0;
	if (rc)
		return report(&err);
	if (i == argc || strcmp(argv[i], "serve") == 0) {
		if (i < argc - 1) {
			fprintf(stderr, "dutydeskd serve: unexpected argument '%s'\n", argv[i + 1]);
			return EXIT_USAGE;
		}
		return serve(&cfg);
	}
	if (strcmp(argv[i], "token") == 0)
		return cmd_token(&cfg, argc - i, argv + i);
	fprintf(stderr, "dutydeskd: unknown command '%s' (see dutydeskd --help)\n", argv[i]);
	return EXIT_USAGE;
}
