/*
 * cmd_drill.c — `dutydesk drill …`: the coordinator's side of a tabletop
 * drill (应急演练): check and run a scenario, pause, resume, shift, fire,
 * stop, list runs and write the after-action report.
 *
 * `drill run` is a foreground loop in the coordinator's console: it fires
 * every inject that is due, then sleeps until the next one (at most a
 * second, so a pause, shift or stop from another terminal is seen soon).
 * With DUTYDESK_TEST_NOW set (RFC 3339, as the screen tests use it) it
 * runs on a test clock instead: it never sleeps, its clock jumps from the
 * start to each next inject's time and stops at DUTYDESK_TEST_NOW, so a
 * test plays a whole scenario, or the part of it before a given instant,
 * in no wall time.  Its injects are written at once, so their response
 * windows count from then.
 *
 * Once every inject has fired the run waits, in scenario time, for the
 * last response window to close, then stops the drill and says where the
 * after-action report is: a coordinator at --speed 600 otherwise watches
 * the T+ clock run on for hours after the exercise.  With --keep the run
 * goes on until `drill stop`.  It also returns when the run ended or was
 * paused elsewhere, or the test clock ran out.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dutydesk/cli.h"
#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/tiers.h"
#include "dutydesk/timefmt.h"

static int fail(struct cli *cli)
{
	return cli_report(cli, &cli->err);
}

static int open_ctx(struct cli *cli, struct dd_tiers *tiers, struct dd_drill_ctx *c)
{
	int rc = cli_open(cli, 0);
	if (rc == 0 && tiers)
		rc = cli_load_tiers(cli, tiers);
	*c = (struct dd_drill_ctx){ cli->store, &cli->cfg, tiers };
	return rc;
}

static void print_inject(const struct dd_drill_inject *d, const char *tz)
{
	char at[32], wall[32] = "";
	drill_offset_format(d->in.at_ms, at, sizeof at);
	if (d->fired_ms)
		time_format_local(d->fired_ms, tz, "%H:%M:%S", wall, sizeof wall);
	printf("%-10s %-8s %-13s %-24s %s %s%s%s\n", at, d->in.id, d->in.kind, d->in.org,
	       d->fired_ms ? _("fired") : _("waiting to fire"), wall, d->in.title[0] ? "  " : "", d->in.title);
}

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "speed", required_argument, NULL, 's' }, { "keep", no_argument, NULL, 'k' },
					      { NULL, 0, NULL, 0 } };
	int speed = 1, c;
	bool keep = false;
	optind = 1;
	while ((c = cli_getopt(cli, "drill run", argc, argv, opts)) != -1) {
		if (c == '?')
			return EXIT_USAGE;
		if (c == 'k') {
			keep = true;
			continue;
		}
		char *end;
		long v = strtol(optarg, &end, 10);
		if (*end || v < 1 || v > DD_DRILL_SPEED_MAX)
			return cli_usage_error(cli, "drill run", "--speed must be a whole number from 1 to %d", DD_DRILL_SPEED_MAX);
		speed = (int)v;
	}
	if (optind != argc - 1)
		return cli_usage_error(cli, "drill run", "name one scenario file (data/drills/NAME.conf)");
	const char *test_now = getenv("DUTYDESK_TEST_NOW");
	int64_t test_end = 0;
	bool test_clock = test_now != NULL;
	if (test_clock && time_parse_rfc3339(test_now, &test_end, NULL) != 0)
		return cli_usage_error(cli, "drill run", "DUTYDESK_TEST_NOW=\"%s\": expected RFC 3339", test_now);
	struct dd_tiers tiers;
	struct dd_drill_ctx ctx;
	int rc = open_ctx(cli, &tiers, &ctx);
	if (rc)
		return rc;
	i18n_init();
	struct dd_scenario *sc = malloc(sizeof *sc);
	char id[DD_UUID_LEN + 1];
	if (!sc)
		return EXIT_FAIL;
	if (drill_scenario_load(argv[optind], cli->store, sc, &cli->err) ||
	    drill_start(&ctx, sc, speed, id, &cli->err)) {
		free(sc);
		return fail(cli);
	}
	printf(_("drill %s started: %s (%d injects, speed %d)\n"), id, sc->name, sc->n_injects, speed);
	free(sc);
	fflush(stdout);

	struct dd_drill_run r;
	struct dd_drill_inject *all = calloc(DD_DRILL_INJECTS_MAX, sizeof *all);
	bool printed[DD_DRILL_INJECTS_MAX] = { false }, out_of_time = false, stopped = false;
	int64_t now = time_now_ms(), last_close = -1;
	rc = all ? 0 : EXIT_FAIL;
	while (rc == 0) {
		int fired, n;
		if (store_drill_get(cli->store, id, &r, &cli->err) ||
		    store_drill_injects(cli->store, id, all, DD_DRILL_INJECTS_MAX, &n, &cli->err)) {
			rc = fail(cli);
			break;
		}
		for (int i = 0; i < n; i++)
			if (all[i].fired_ms && !printed[i]) {
				print_inject(&all[i], cli->cfg.timezone);
				printed[i] = true;
			}
		fflush(stdout);
		last_close = drill_windows_close(all, n);
		/* The test clock cannot wait out a pause: it stops there. */
		if (r.ended_ms || (last_close >= 0 && keep) || (test_clock && r.paused_ms))
			break;
		if (!test_clock)
			now = time_now_ms();
		if (last_close >= 0 && !r.paused_ms && drill_clock(&r, now) >= last_close) {
			if (drill_stop(&ctx, &cli->err))
				rc = fail(cli);
			stopped = rc == 0;
			break;
		}
		if (drill_fire_due(&ctx, now, &fired, &cli->err)) {
			rc = fail(cli);
			break;
		}
		if (fired)
			continue;
		/* What comes next: the next inject, or the last window closing. */
		int64_t next = last_close >= 0 ? last_close : INT64_MAX;
		for (int i = 0; i < n; i++)
			if (!all[i].fired_ms && all[i].due_ms < next)
				next = all[i].due_ms;
		int64_t wake = drill_wall_at(&r, next);
		if (test_clock) {
			if (wake > test_end) {
				out_of_time = true;
				break;
			}
			now = wake > now ? wake : now + 1;
		} else {
			int64_t wait = r.paused_ms ? 1000 : wake - time_now_ms();
			wait = wait < 1 ? 1 : wait > 1000 ? 1000 : wait;
			struct timespec ts = { (time_t)(wait / 1000), (long)(wait % 1000) * 1000000 };
			nanosleep(&ts, NULL);
		}
	}
	free(all);
	char t[32];
	drill_offset_format(last_close, t, sizeof t);
	if (rc == 0 && stopped)
		printf(_("every response window has closed (%s): drill %s stopped\n"
			 "the after-action report: dutydesk drill report %s\n"), t, id, shiftlog_short_id(id));
	else if (rc == 0 && r.ended_ms)
		printf(_("drill %s ended\n"), id);
	else if (rc == 0 && out_of_time && last_close >= 0)
		printf(_("the test clock stopped at %s; response windows are open until %s\n"), test_now, t);
	else if (rc == 0 && out_of_time)
		printf(_("the test clock stopped at %s; %d injects are pending\n"), test_now, r.n_injects - r.n_fired);
	else if (rc == 0 && r.paused_ms)
		printf(_("drill %s is paused; `drill resume` goes on\n"), id);
	else if (rc == 0)
		printf(_("every inject fired; the drill runs until `drill stop`\n"));
	return rc;
}

struct list_ctx {
	const struct dd_config *cfg;
	int n;
};

static int list_cb(const struct dd_drill_run *r, void *ctx)
{
	struct list_ctx *lc = ctx;
	const struct dd_config *cfg = lc->cfg;
	lc->n++;
	char start[32];
	time_format_local(r->started_ms, cfg->timezone, "%Y-%m-%d %H:%M", start, sizeof start);
	printf("%s  %s  %-8s %2d/%-2d %s  %s\n", shiftlog_short_id(r->id), start,
	       r->ended_ms ? _("ended") : r->paused_ms ? _("paused") : _("running"), r->n_fired, r->n_injects, r->tier,
	       r->name);
	return 0;
}

static int list(struct cli *cli)
{
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	i18n_init();
	struct list_ctx lc = { &cli->cfg, 0 };
	if (store_drill_list(cli->store, list_cb, &lc, &cli->err))
		return fail(cli);
	if (lc.n == 0)
		printf("%s\n", _("No drill has run yet (start one with `dutydesk drill run data/drills/NAME.conf`)."));
	return EXIT_OK;
}

static int status(struct cli *cli)
{
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	i18n_init();
	struct dd_drill_run r;
	if (store_drill_current(cli->store, &r, &cli->err))
		return fail(cli);
	struct dd_drill_inject *all = calloc(DD_DRILL_INJECTS_MAX, sizeof *all);
	int n;
	if (!all || store_drill_injects(cli->store, r.id, all, DD_DRILL_INJECTS_MAX, &n, &cli->err)) {
		free(all);
		return fail(cli);
	}
	char clock[32];
	drill_offset_format(drill_clock(&r, time_now_ms()), clock, sizeof clock);
	printf("%s  %s  %s%s\n", r.id, r.name, clock, r.paused_ms ? _(" (paused)") : "");
	for (int i = 0; i < n; i++)
		print_inject(&all[i], cli->cfg.timezone);
	free(all);
	return EXIT_OK;
}

static int simple(struct cli *cli, const char *what, int argc, char **argv)
{
	struct dd_tiers tiers;
	struct dd_drill_ctx ctx;
	bool fire = strcmp(what, "fire") == 0, shift = strcmp(what, "shift") == 0;
	if (argc != ((fire || shift) ? 3 : 2))
		return cli_usage_error(cli, "drill", fire ? "use `drill fire INJECT`" : shift ? "use `drill shift +10m`"
							      : "use `drill %s` with no arguments", what);
	int64_t by_ms = 0;
	if (shift) {
		const char *d = argv[2][0] == '+' ? argv[2] + 1 : argv[2];
		int min = duration_parse_min(d);
		if (min <= 0)
			return cli_usage_error(cli, "drill shift", "'%s' is no duration: use +10m, +1h or +1h30m", argv[2]);
		by_ms = (int64_t)min * 60000;
	}
	int rc = open_ctx(cli, fire ? &tiers : NULL, &ctx);
	if (rc)
		return rc;
	if (fire)
		rc = drill_fire(&ctx, argv[2], true, &cli->err);
	else if (shift)
		rc = drill_shift(&ctx, by_ms, &cli->err);
	else if (strcmp(what, "pause") == 0)
		rc = drill_pause(&ctx, &cli->err);
	else if (strcmp(what, "resume") == 0)
		rc = drill_resume(&ctx, &cli->err);
	else
		rc = drill_stop(&ctx, &cli->err);
	return rc ? fail(cli) : EXIT_OK;
}

/* Every file named is checked, and each gets its line: a coordinator
 * checks every shipped scenario at once. */
static int check(struct cli *cli, int argc, char **argv)
{
	if (argc < 3)
		return cli_usage_error(cli, "drill check", "name one or more scenario files (data/drills/NAME.conf)");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	i18n_init();
	struct dd_scenario *sc = malloc(sizeof *sc);
	if (!sc)
		return EXIT_FAIL;
	int worst = EXIT_OK;
	for (int i = 2; i < argc; i++) {
		if (drill_scenario_load(argv[i], cli->store, sc, &cli->err) == 0) {
			char span[64];
			drill_window_format(sc->injects[sc->n_injects - 1].at_ms, span, sizeof span);
			printf(ngettext("%s: ok: %s, %d inject over %s\n", "%s: ok: %s, %d injects over %s\n",
					(unsigned long)sc->n_injects), argv[i], sc->name, sc->n_injects, span);
			continue;
		}
		fflush(stdout);
		int bad = fail(cli);
		worst = worst == EXIT_OK || bad == EXIT_FAIL ? bad : worst;
	}
	free(sc);
	return worst;
}

static void md_text(const char *s)
{
	/* One line per cell: a table row must not break. */
	for (; *s; s++)
		fputs(*s == '\n' ? " " : *s == '|' ? "\\|" : (char[2]){ *s, 0 }, stdout);
}

static void print_md(const json_t *rep, const char *tz)
{
	char start[32], end[32] = "—";
	time_format_local(json_integer_value(json_object_get(rep, "started_ms")), tz, "%Y-%m-%d %H:%M", start, sizeof start);
	json_int_t ended = json_integer_value(json_object_get(rep, "ended_ms"));
	bool running = json_is_true(json_object_get(rep, "running"));
	if (ended)
		time_format_local(ended, tz, "%Y-%m-%d %H:%M", end, sizeof end);
	else if (running)
		snprintf(end, sizeof end, "%s", _("running"));
	printf("# %s: %s\n\n", _("Drill report"), json_string_value(json_object_get(rep, "name")));
	printf("- %s: %s\n- %s: %s\n- %s: %s — %s\n- %s: %lld/%lld, %s %lld\n\n", _("Scenario"),
	       json_string_value(json_object_get(rep, "scenario")), _("Tier"), json_string_value(json_object_get(rep, "tier")),
	       _("Time"), start, end, _("Answered"), (long long)json_integer_value(json_object_get(rep, "answered")),
	       (long long)json_integer_value(json_object_get(rep, "injects_total")), _("in time"),
	       (long long)json_integer_value(json_object_get(rep, "in_time")));
	if (running)
		printf("%s: %zu\n\n", _("Still running; injects pending"),
		       json_array_size(json_object_get(rep, "pending")));
	printf("## %s\n\n| T | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n", _("Injects"), _("Inject"), _("Org"),
	       _("Expected"), _("Actual"), _("Took"));
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(rep, "injects"), i, o) {
		char exp[160], act[160], within[64];
		drill_window_format(json_integer_value(json_object_get(o, "within_s")) * 1000, within, sizeof within);
		snprintf(exp, sizeof exp, _("%s within %s"), _(drill_action_label(json_string_value(json_object_get(o, "expect")))),
			 within);
		json_t *took = json_object_get(o, "took_s");
		bool pending = json_is_true(json_object_get(o, "pending"));
		if (!json_is_true(json_object_get(o, "fired")))
			snprintf(act, sizeof act, "%s", pending ? _("waiting to fire") : _("not fired"));
		else if (!took && pending)
			snprintf(act, sizeof act, "%s", _("no response yet"));
		else if (!took)
			snprintf(act, sizeof act, "%s", _("no response"));
		else
			snprintf(act, sizeof act, "%s%s", json_string_value(json_object_get(o, "answered_by")),
				 json_is_true(json_object_get(o, "late")) ? _(" (late)") : "");
		const char *title = json_string_value(json_object_get(o, "title"));
		printf("| %s | %s: ", json_string_value(json_object_get(o, "at")), json_string_value(json_object_get(o, "id")));
		if (title && *title) {
			md_text(title);
			printf(" — ");
		}
		md_text(json_string_value(json_object_get(o, "text")));
		/* The org by name; its id when it is not in this desk's tree. */
		json_t *org = json_object_get(o, "org_name");
		printf(" | ");
		md_text(json_string_value(org ? org : json_object_get(o, "org")));
		printf(" | %s | %s | ", exp, act);
		if (took)
			printf("%lld:%02lld", (long long)json_integer_value(took) / 60, (long long)json_integer_value(took) % 60);
		printf(" |\n");
	}
	printf("\n## %s\n\n", _("Missed steps"));
	json_array_foreach(json_object_get(rep, "missed"), i, o)
		printf("- %s: %s (%s)\n", json_string_value(json_object_get(o, "inject")),
		       _(drill_action_label(json_string_value(json_object_get(o, "expect")))),
		       json_is_true(json_object_get(o, "answered")) ? _("late") : _("not answered"));
	if (json_array_size(json_object_get(rep, "missed")) == 0)
		printf("%s\n", _("none"));
	if (running) {
		printf("\n## %s\n\n", _("Pending"));
		json_array_foreach(json_object_get(rep, "pending"), i, o)
			printf("- %s: %s (%s)\n", json_string_value(json_object_get(o, "inject")),
			       _(drill_action_label(json_string_value(json_object_get(o, "expect")))),
			       json_is_true(json_object_get(o, "fired")) ? _("window still open") : _("not fired yet"));
		if (json_array_size(json_object_get(rep, "pending")) == 0)
			printf("%s\n", _("none"));
	}
	printf("\n## %s\n\n", _("Timeline"));
	json_array_foreach(json_object_get(rep, "timeline"), i, o) {
		char at[32];
		time_format_local(json_integer_value(json_object_get(o, "at_ms")), tz, "%H:%M:%S", at, sizeof at);
		printf("- %s %s %s: ", at, drill_actor_label(json_string_value(json_object_get(o, "actor"))),
		       _(drill_event_label(json_string_value(json_object_get(o, "kind")))));
		md_text(json_string_value(json_object_get(o, "text")));
		printf("\n");
	}
}

static int newest_cb(const struct dd_drill_run *r, void *ctx)
{
	memcpy(ctx, r->id, DD_UUID_LEN + 1);
	return 1;
}

/* A run by id, or "last": the newest. */
static int resolve(struct cli *cli, const char *ref, char id[DD_UUID_LEN + 1])
{
	if (strcmp(ref, "last") != 0)
		return store_drill_resolve(cli->store, ref, id, &cli->err);
	id[0] = 0;
	int rc = store_drill_list(cli->store, newest_cb, id, &cli->err);
	return rc ? rc : id[0] ? 0 : dd_fail(&cli->err, DD_ENOTFOUND, "no drill has run yet");
}

static int report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	const char *format = "md";
	int c;
	optind = 1;
	while ((c = cli_getopt(cli, "drill report", argc - 1, argv + 1, opts)) != -1) {
		if (c == '?')
			return EXIT_USAGE;
		format = optarg;
	}
	if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
		return cli_usage_error(cli, "drill report", "--format must be md or json");
	if (optind != argc - 2)
		return cli_usage_error(cli, "drill report", "name one drill (see `drill list`)");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	i18n_init();
	char id[DD_UUID_LEN + 1];
	json_t *rep;
	if (resolve(cli, argv[optind + 1], id) ||
	    drill_report(cli->store, id, time_now_ms(), &rep, &cli->err))
		return fail(cli);
	if (strcmp(format, "json") == 0) {
		char *s = json_dumps(rep, JSON_INDENT(2) | JSON_SORT_KEYS);
		puts(s ? s : "{}");
		free(s);
	} else {
		print_md(rep, cli->cfg.timezone);
	}
	json_decref(rep);
	return EXIT_OK;
}

int cmd_drill(struct cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	if (strcmp(sub, "run") == 0)
		return run(cli, argc - 1, argv + 1);
	if (strcmp(sub, "check") == 0)
		return check(cli, argc, argv);
	if (strcmp(sub, "list") == 0 && argc == 2)
		return list(cli);
	if (strcmp(sub, "status") == 0 && argc == 2)
		return status(cli);
	if (strcmp(sub, "report") == 0)
		return report(cli, argc, argv);
	if (strcmp(sub, "pause") == 0 || strcmp(sub, "resume") == 0 || strcmp(sub, "stop") == 0 ||
	    strcmp(sub, "fire") == 0 || strcmp(sub, "shift") == 0)
		return simple(cli, sub, argc, argv);
	return cli_usage_error(cli, "drill", "use run, check, status, list, fire, pause, resume, shift, stop or report");
}
