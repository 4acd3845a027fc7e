/*
 * test_logwin.c — unit tests for views/logwin.c, the window of shift-log
 * entries behind the log view.
 *
 * A log of a few thousand entries (over months; every fifth shares the
 * millisecond of the one before, so ids break ties) is walked up and down
 * with steps of every size, loaded around anchors and filtered; after
 * every call the window's invariants (logwin.h) are checked against the
 * full log read in one scan: consecutive rows, the right cursor, correct
 * ends, separators, margins and the size limit.
 *
 * The database lives in /dev/shm when there is one, since every append
 * is fsynced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dutydesk/config.h"
#include "dutydesk/logwin.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/store.h"
#include "dutydesk/timefmt.h"

#define N_ENTRIES 3000
#define MARGIN 60
#define TZ "Asia/Shanghai"
#define BASE_MS 1795622400000LL   /* 2026-11-26T00:00:00+08:00 */

static char dir[256];
static struct dd_store *st, *empty_st;
static struct dd_config cfg;

/* The whole log (or the filtered part) in order, for comparison. */
struct all {
	struct dd_log_key key[N_ENTRIES];
	int64_t day[N_ENTRIES];
	int n;
};
static struct all all, matching;

static int collect(const struct dd_log_row *row, void *ctx)
{
	struct all *a = ctx;
	a->key[a->n].at_ms = row->at_ms;
	snprintf(a->key[a->n].id, sizeof a->key[0].id, "%s", row->id);
	a->day[a->n++] = time_local_day(row->at_ms, TZ);
	return 0;
}

static int read_all(struct all *a, const char *grep)
{
	struct dd_log_filter f;
	struct dd_error err = { 0 };
	store_log_filter_init(&f);
	f.grep = grep;
	a->n = 0;
	return store_log_scan(st, &f, NULL, false, N_ENTRIES, collect, a, &err);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/dd-logwin-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	config_defaults(&cfg);
	uuid7_new(BASE_MS, cfg.origin);
	snprintf(cfg.officer, sizeof cfg.officer, "张伟");
	snprintf(cfg.org, sizeof cfg.org, "cq.center");
	snprintf(cfg.path, sizeof cfg.path, "%s/dutydesk.conf", dir);
	char path[300];
	struct dd_error err = { 0 };
	snprintf(path, sizeof path, "%s/empty.db", dir);
	if (store_open(path, DD_STORE_CREATE, &empty_st, &err) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/dutydesk.db", dir);
	if (store_open(path, DD_STORE_CREATE, &st, &err) != 0)
		return -1;
	/* About an hour apart: a new day every twenty-odd entries, so the
	 * window's ends often fall on a day boundary. */
	int64_t at = BASE_MS - 130 * 24 * 3600 * 1000LL;
	for (int i = 0; i < N_ENTRIES; i++) {
		char text[64];
		/* One entry in seven mentions a pump: the filter's matches. */
		snprintf(text, sizeof text, "%s %d", i % 7 == 3 ? "泵站 pump" : "巡检 patrol", i);
		if (i % 5 != 4)
			at += 3600 * 1000 + 61000;
		if (shiftlog_add(st, &cfg, text, strlen(text), "note", at, NULL, NULL, &err) != 0)
			return -1;
	}
	return read_all(&all, NULL) || read_all(&matching, "PUMP");
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	store_close(empty_st);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static int index_of(const struct all *a, const struct dd_log_key *k)
{
	for (int i = 0; i < a->n; i++)
		if (a->key[i].at_ms == k->at_ms && strcmp(a->key[i].id, k->id) == 0)
			return i;
	return -1;
}

/* Checks every invariant of logwin.h against a; returns the cursor's
 * index in a. */
static int check(const struct logwin *w, const struct all *a)
{
	if (a->n == 0) {
		assert_int_equal(w->n, 0);
		assert_int_equal(w->sel, -1);
		assert_true(logwin_at_end(w));
		return -1;
	}
	assert_true(w->n > 0);
	assert_true(w->n <= logwin_max(w));
	assert_true(w->sel >= 0 && w->sel < w->n);
	assert_true(w->top >= 0 && w->top < w->n);
	int first = index_of(a, &w->rows[0]->key);
	assert_true(first >= 0);
	for (int i = 0; i < w->n; i++) {
		assert_true(first + i < a->n);
		assert_int_equal(w->rows[i]->key.at_ms, a->key[first + i].at_ms);
		assert_string_equal(w->rows[i]->key.id, a->key[first + i].id);
		bool sep = first + i == 0 || a->day[first + i] != a->day[first + i - 1];
		assert_int_equal(logwin_has_sep(w, i), sep);
	}
	assert_int_equal(w->bof, first == 0);
	assert_int_equal(w->eof, first + w->n == a->n);
	/* Margins: enough rows each side of the cursor, or the end. */
	assert_true(w->bof || w->sel >= w->margin);
	assert_true(w->eof || w->n - 1 - w->sel >= w->margin);
	assert_int_equal(logwin_at_end(w), first + w->sel == a->n - 1);
	return first + w->sel;
}

static void empty_log(void **state)
{
	(void)state;
	struct logwin w;
	struct dd_error err = { 0 };
	struct all none = { .n = 0 };
	logwin_init(&w, empty_st, TZ, MARGIN);
	assert_int_equal(logwin_load(&w, NULL, &err), 0);
	check(&w, &none);
	assert_int_equal(logwin_load_start(&w, &err), 0);
	check(&w, &none);
	assert_int_equal(logwin_move(&w, 5, &err), 0);
	check(&w, &none);
	logwin_free(&w);
}

static void load_end_selects_the_newest(void **state)
{
	(void)state;
	struct logwin w;
	struct dd_error err = { 0 };
	logwin_init(&w, st, TZ, MARGIN);
	assert_int_equal(logwin_load(&w, NULL, &err), 0);
	assert_int_equal(check(&w, &all), all.n - 1);
	assert_true(logwin_at_end(&w));
	logwin_free(&w);
}

static void walks_keep_every_invariant(void **state)
{
	(void)state;
	static const int steps[] = { 1, 19, 7, MARGIN, 3, 41, 2, 59 };
	struct logwin w;
	struct dd_error err = { 0 };
	logwin_init(&w, st, TZ, MARGIN);
	assert_int_equal(logwin_load_start(&w, &err), 0);
	int at = check(&w, &all), k = 0;
	assert_int_equal(at, 0);
	while (at < all.n - 1) {
		int d = steps[k++ % 8];
		assert_int_equal(logwin_move(&w, d, &err), 0);
		int want = at + d > all.n - 1 ? all.n - 1 : at + d;
		at = check(&w, &all);
		assert_int_equal(at, want);
	}
	while (at > 0) {
		int d = steps[k++ % 8];
		assert_int_equal(logwin_move(&w, -d, &err), 0);
		int want = at - d < 0 ? 0 : at - d;
		at = check(&w, &all);
		assert_int_equal(at, want);
	}
	logwin_free(&w);
}

static void load_around_anchors(void **state)
{
	(void)state;
	struct logwin w;
	struct dd_error err = { 0 };
	logwin_init(&w, st, TZ, MARGIN);
	for (int i = 0; i < all.n; i += 97) {
		/* The entry itself. */
		assert_int_equal(logwin_load(&w, &all.key[i], &err), 0);
		assert_int_equal(check(&w, &all), i);
		/* A time with an empty id: the first entry of that millisecond. */
		struct dd_log_key t = { .at_ms = all.key[i].at_ms, .id = "" };
		assert_int_equal(logwin_load(&w, &t, &err), 0);
		int first = i;
		while (first > 0 && all.key[first - 1].at_ms == t.at_ms)
			first--;
		assert_int_equal(check(&w, &all), first);
	}
	/* Before everything, and after everything. */
	struct dd_log_key early = { .at_ms = 0, .id = "" }, late = { .at_ms = INT64_MAX / 2, .id = "" };
	assert_int_equal(logwin_load(&w, &early, &err), 0);
	assert_int_equal(check(&w, &all), 0);
	assert_int_equal(logwin_load(&w, &late, &err), 0);
	assert_int_equal(check(&w, &all), all.n - 1);
	logwin_free(&w);
}

static void a_filter_gives_a_window_of_matches(void **state)
{
	(void)state;
	struct logwin w;
	struct dd_error err = { 0 };
	assert_true(matching.n > 300 && matching.n < all.n);
	logwin_init(&w, st, TZ, MARGIN);
	snprintf(w.grep, sizeof w.grep, "PUMP");
	assert_int_equal(logwin_load(&w, NULL, &err), 0);
	int at = check(&w, &matching);
	assert_int_equal(at, matching.n - 1);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(logwin_move(&w, -MARGIN, &err), 0);
		at = check(&w, &matching);
	}
	assert_int_equal(at, matching.n - 1 - 30 * MARGIN < 0 ? 0 : matching.n - 1 - 30 * MARGIN);
	/* An anchor that the filter leaves out lands on the next match. */
	assert_int_equal(logwin_load(&w, &all.key[1000], &err), 0);
	at = check(&w, &matching);
	assert_true(matching.key[at].at_ms >= all.key[1000].at_ms);
	assert_true(at == 0 || matching.key[at - 1].at_ms <= all.key[1000].at_ms);
	logwin_free(&w);
}

/* With a margin of one row the window extends and trims at the cursor
 * itself; starting from thirty neighbouring entries puts its ends at
 * every offset from a day boundary, where the separator of rows[0]
 * depends on before_day being carried right. */
static void every_alignment_of_the_ends(void **state)
{
	(void)state;
	struct logwin w;
	struct dd_error err = { 0 };
	logwin_init(&w, st, TZ, 1);
	for (int start = 1500; start < 1530; start++) {
		assert_int_equal(logwin_load(&w, &all.key[start], &err), 0);
		assert_int_equal(check(&w, &all), start);
		for (int i = 0; i < 450; i++) {
			assert_int_equal(logwin_move(&w, 1, &err), 0);
			check(&w, &all);
		}
		for (int i = 0; i < 900; i++) {
			assert_int_equal(logwin_move(&w, -1, &err), 0);
			check(&w, &all);
		}
		assert_int_equal(check(&w, &all), start - 450);
	}
	logwin_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_log),
		cmocka_unit_test(load_end_selects_the_newest),
		cmocka_unit_test(walks_keep_every_invariant),
		cmocka_unit_test(load_around_anchors),
		cmocka_unit_test(a_filter_gives_a_window_of_matches),
		cmocka_unit_test(every_alignment_of_the_ends),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
