/*
 * test_logview.c — the shift log view's windowed scrolling (views/log.c)
 * checked against the store's own order.
 *
 * The view keeps only a segment of the log and extends and trims it as
 * the cursor moves, so an off-by-one at a page boundary would show the
 * wrong entry only after some particular walk.  This test builds a log of
 * a few thousand entries (several share a millisecond, so the id decides
 * their order; they span days, so separators are in play), walks it with
 * the real console in headless mode (tui_run with a key script), opens the
 * selected entry after each walk and checks that its id is exactly the
 * one keyset order puts at that position.
 *
 * The database lives in /dev/shm when there is one: every append is
 * fsynced, which on a disk would make this slow.
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
#include "dutydesk/shiftlog.h"
#include "dutydesk/store.h"
#include "dutydesk/tiers.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/tui.h"

#define N_ENTRIES 2500
#define PAGE 19            /* an 80x24 screen has a 20-line body */
#define BASE_MS 1795622400000LL   /* 2026-11-26T00:00:00+08:00 */

static char dir[256];
static char ids[N_ENTRIES][DD_UUID_LEN + 1];
static int64_t ats[N_ENTRIES];
static int n_ids;
static struct dd_store *st;
static struct dd_config cfg;

static int collect(const struct dd_log_row *row, void *ctx)
{
	(void)ctx;
	if (n_ids < N_ENTRIES) {
		snprintf(ids[n_ids], sizeof ids[0], "%s", row->id);
		ats[n_ids++] = row->at_ms;
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/dd-logview-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	config_defaults(&cfg);
	uuid7_new(BASE_MS, cfg.origin);
	snprintf(cfg.officer, sizeof cfg.officer, "张伟");
	snprintf(cfg.org, sizeof cfg.org, "cq.center");
	snprintf(cfg.database, sizeof cfg.database, "%s/dutydesk.db", dir);
	snprintf(cfg.path, sizeof cfg.path, "%s/dutydesk.conf", dir);
	struct dd_error err = { 0 };
	if (store_open(cfg.database, DD_STORE_CREATE, &st, &err) != 0)
		return -1;
	/* Entries 47 s apart over two days and a half, every fifth sharing
	 * the millisecond of the one before. */
	int64_t at = BASE_MS - 24 * 3600 * 1000LL;
	for (int i = 0; i < N_ENTRIES; i++) {
		char text[64];
		snprintf(text, sizeof text, "entry %d 第%d条", i, i);
		if (i % 5 != 4)
			at += 47000;
		if (shiftlog_add(st, &cfg, text, strlen(text), "note", at, NULL, NULL, &err) != 0)
			return -1;
	}
	struct dd_log_filter f;
	store_log_filter_init(&f);
	return store_log_scan(st, &f, NULL, false, N_ENTRIES, collect, NULL, &err);
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

/* The id in the "Id" line of a saved entry screen. */
/* The short id of the entry open in the detail view of screen dump name
 * ("Entry #1a2b3c4d"); "" when none is open. */
static void shown_id(const char *name, char out[DD_UUID_LEN + 1])
{
	char path[300], line[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	out[0] = '\0';
	while (fgets(line, sizeof line, f)) {
		char *p = strstr(line, " Entry #");
		if (p)
			snprintf(out, DD_UUID_LEN + 1, "%.8s", p + 8);
	}
	fclose(f);
}

static FILE *script;

static void keys(const char *key, int times)
{
	for (int i = 0; i < times; i++)
		fprintf(script, "%s\n", key);
}

static void walks_land_on_the_keyset_position(void **state)
{
	(void)state;
	assert_int_equal(n_ids, N_ENTRIES);
	char path[300], when[40];
	snprintf(path, sizeof path, "%s/walk.keys", dir);
	script = fopen(path, "w");
	assert_non_null(script);

	/* a: from the first entry, 60 pages down. */
	keys("g", 1);
	keys("<PgDn>", 60);
	fprintf(script, "<Enter>\n:save-display %s/a.txt\nq\n", dir);
	/* b: back and forth across several segment extensions. */
	keys("k", 7);
	keys("<PgUp>", 13);
	keys("j", 250);
	fprintf(script, "<Enter>\n:save-display %s/b.txt\nq\n", dir);
	/* c: from the newest entry, 40 pages up and 3 lines. */
	keys("G", 1);
	keys("<PgUp>", 40);
	keys("k", 3);
	fprintf(script, "<Enter>\n:save-display %s/c.txt\nq\n", dir);
	/* d: a jump to the time of entry 1504, which shares its millisecond
	 * with the entry before it: the first of the two is selected. */
	time_format_rfc3339(ats[1504], "Asia/Shanghai", when, sizeof when);
	fprintf(script, "t\n%s\n<Enter>\n<Enter>\n:save-display %s/d.txt\nq\n", when, dir);
	/* e: the wheel scrolls three lines. */
	keys("g", 1);
	keys("<WheelDown>", 5);
	fprintf(script, "<Enter>\n:save-display %s/e.txt\n", dir);
	fclose(script);

	setenv("DUTYDESK_TEST_SCREEN", "80x24", 1);
	setenv("DUTYDESK_TEST_KEYS", path, 1);
	setenv("DUTYDESK_TEST_NOW", "2026-11-27T12:00:00+08:00", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	struct dd_error err = { 0 };
	struct dd_tiers tiers;
	if (tiers_load("data/tiers.conf", &tiers, &err) != 0 || tui_run(&cfg, st, &tiers, &err) != 0)
		fail_msg("tui_run: %s", err.msg);

	char id[DD_UUID_LEN + 1];
	shown_id("a.txt", id);
	assert_string_equal(id, shiftlog_short_id(ids[60 * PAGE]));
	shown_id("b.txt", id);
	assert_string_equal(id, shiftlog_short_id(ids[60 * PAGE - 7 - 13 * PAGE + 250]));
	shown_id("c.txt", id);
	assert_string_equal(id, shiftlog_short_id(ids[N_ENTRIES - 1 - 40 * PAGE - 3]));
	assert_int_equal(ats[1503], ats[1504]);
	shown_id("d.txt", id);
	assert_string_equal(id, shiftlog_short_id(ids[1503]));
	shown_id("e.txt", id);
	assert_string_equal(id, shiftlog_short_id(ids[15]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_land_on_the_keyset_position),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
