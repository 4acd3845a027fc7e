/*
 * zero_probe.c — the zero checklist's side of bench/zero.sh.
 *
 *   zero_probe wait DB PERIOD SLOT N
 *   zero_probe time DB PERIOD SLOT VIEWER RUNS FLOOR_DB
 *
 * wait: runs store_zero_checklist (viewer "", what the city sees) on DB
 * again and again until N orgs of the slot show a report, then prints the
 * wall-clock instant (ms since the epoch) of the check that saw them all,
 * and how many checks it took.  DB is a console's database that another
 * process (`dutydesk sync`) is filling.
 *
 * time: the refresh of the checklist for VIEWER ("" for the city), the
 * way the screen and `zero status` do it — store_zero_checklist, each row
 * given its state by zero_state_of and counted — next to its floor: the
 * same counts from one plain SQL query over a minimal table (one row per
 * org in sight: org, district, time of its latest report or NULL), kept in
 * FLOOR_DB and filled here from the checklist's own rows, so both sides
 * answer the same question; the counts are compared before timing.  Each
 * side runs RUNS times after three warm-up runs, alternating; prints the
 * median, p95 and mean ms of each and the ratio of the medians.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "zero_probe: %s: %s\n", what, why);
	exit(1);
}

struct tally {
	const struct dd_period *p;
	int64_t slot, now;
	int64_t rows, counts[4];
	sqlite3_stmt *copy;     /* when filling the floor's table */
};

static int count_row(const struct dd_zero_row *r, void *ctx)
{
	struct tally *t = ctx;
	t->rows++;
	t->counts[zero_state_of(t->p, t->slot, r->id[0] ? r->at_ms : 0, t->now)]++;
	if (t->copy) {
		sqlite3_bind_text(t->copy, 1, r->org, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(t->copy, 2, r->district, -1, SQLITE_TRANSIENT);
		if (r->id[0])
			sqlite3_bind_int64(t->copy, 3, r->at_ms);
		else
			sqlite3_bind_null(t->copy, 3);
		if (sqlite3_step(t->copy) != SQLITE_DONE)
			die("floor", "cannot copy a row");
		sqlite3_reset(t->copy);
	}
	return 0;
}

static void checklist(struct dd_store *st, const struct dd_period *p, int64_t slot, const char *viewer,
		      struct tally *t)
{
	struct dd_error err;
	t->rows = 0;
	memset(t->counts, 0, sizeof t->counts);
	if (store_zero_checklist(st, p->id, slot, viewer, count_row, t, &err))
		die("store_zero_checklist", err.msg);
}

/* The floor: prepare (the store prepares on every call, so this does too),
 * one aggregate over the minimal table, finalize. */
static void floor_counts(sqlite3 *db, int64_t due, int64_t now, int64_t out[5])
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT count(*), count(at_ms) - count(CASE WHEN at_ms > ?1 THEN 1 END),"
				   " count(CASE WHEN at_ms > ?1 THEN 1 END),"
				   " count(CASE WHEN at_ms IS NULL AND ?2 > ?1 THEN 1 END),"
				   " count(CASE WHEN at_ms IS NULL AND ?2 <= ?1 THEN 1 END) FROM checklist",
			       -1, &s, NULL) != SQLITE_OK)
		die("floor", sqlite3_errmsg(db));
	sqlite3_bind_int64(s, 1, due);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) != SQLITE_ROW)
		die("floor", sqlite3_errmsg(db));
	for (int i = 0; i < 5; i++)
		out[i] = sqlite3_column_int64(s, i);
	sqlite3_finalize(s);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct stats {
	double median, p95, mean;
};

static struct stats stats_of(double *v, int n)
{
	struct stats s = { 0, 0, 0 };
	for (int i = 0; i < n; i++)
		s.mean += v[i] / n;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.p95 = v[(n * 95 + 99) / 100 - 1];
	return s;
}

static void open_period(const char *db, const char *period, const char *slot_at, struct dd_store **st,
			struct dd_period *p, int64_t *slot)
{
	struct dd_error err;
	if (store_open(db, DD_STORE_READONLY, st, &err))
		die(db, err.msg);
	if (store_period_get(*st, period, p, &err))
		die(period, err.msg);
	if (time_parse_rfc3339(slot_at, slot, NULL))
		die(slot_at, "not RFC 3339");
}

static int wait_complete(char **argv)
{
	struct dd_store *st;
	struct dd_period p;
	int64_t slot, want = atoll(argv[5]), checks = 0;
	open_period(argv[2], argv[3], argv[4], &st, &p, &slot);
	struct tally t = { .p = &p, .slot = slot };
	for (;;) {
		t.now = time_now_ms();
		checklist(st, &p, slot, "", &t);
		checks++;
		if (t.counts[DD_ZERO_REPORTED] + t.counts[DD_ZERO_LATE] >= want)
			break;
		struct timespec nap = { 0, 10 * 1000 * 1000 };
		nanosleep(&nap, NULL);
	}
	printf("%lld %lld\n", (long long)time_now_ms(), (long long)checks);
	store_close(st);
	return 0;
}

static int time_refresh(char **argv)
{
	struct dd_store *st;
	struct dd_period p;
	int64_t slot;
	open_period(argv[2], argv[3], argv[4], &st, &p, &slot);
	const char *viewer = argv[5];
	int runs = atoi(argv[6]);
	if (runs < 1)
		die("RUNS", "give at least 1");
	int64_t now = time_now_ms(), due = slot + p.grace_min * INT64_C(60000);

	sqlite3 *fdb;
	if (sqlite3_open(argv[7], &fdb) != SQLITE_OK ||
	    sqlite3_exec(fdb, "DROP TABLE IF EXISTS checklist; CREATE TABLE checklist(org TEXT PRIMARY KEY,"
			      " district TEXT NOT NULL, at_ms INTEGER) WITHOUT ROWID; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		die(argv[7], sqlite3_errmsg(fdb));
	struct tally t = { .p = &p, .slot = slot, .now = now };
	if (sqlite3_prepare_v2(fdb, "INSERT INTO checklist VALUES(?,?,?)", -1, &t.copy, NULL) != SQLITE_OK)
		die(argv[7], sqlite3_errmsg(fdb));
	checklist(st, &p, slot, viewer, &t);
	sqlite3_finalize(t.copy);
	t.copy = NULL;
	if (sqlite3_exec(fdb, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(argv[7], sqlite3_errmsg(fdb));

	/* Both sides must give the same counts: orgs, reported, late, missing, pending. */
	int64_t f[5];
	floor_counts(fdb, due, now, f);
	int64_t d[5] = { t.rows, t.counts[DD_ZERO_REPORTED], t.counts[DD_ZERO_LATE], t.counts[DD_ZERO_MISSING],
			 t.counts[DD_ZERO_PENDING] };
	if (memcmp(d, f, sizeof d) != 0)
		die("counts", "dutydesk and the floor disagree");

	double *dv = calloc((size_t)runs, sizeof *dv), *fv = calloc((size_t)runs, sizeof *fv);
	if (!dv || !fv)
		die("memory", "out of memory");
	for (int i = -3; i < runs; i++) {
		double t0 = mono_ms();
		checklist(st, &p, slot, viewer, &t);
		double t1 = mono_ms();
		floor_counts(fdb, due, now, f);
		double t2 = mono_ms();
		if (i >= 0) {
			dv[i] = t1 - t0;
			fv[i] = t2 - t1;
		}
	}
	struct stats ds = stats_of(dv, runs), fs = stats_of(fv, runs);
	printf("%-10s %6lld orgs (%lld reported, %lld late, %lld missing, %lld pending)\n", viewer[0] ? viewer : "city",
	       (long long)d[0], (long long)d[1], (long long)d[2], (long long)d[3], (long long)d[4]);
	printf("  store_zero_checklist  median %7.2f  p95 %7.2f  mean %7.2f ms\n", ds.median, ds.p95, ds.mean);
	printf("  SQLite floor          median %7.2f  p95 %7.2f  mean %7.2f ms\n", fs.median, fs.p95, fs.mean);
	printf("  dutydesk / floor (medians) = %.2f; target < 50 ms: %s\n", ds.median / fs.median,
	       ds.median < 50 ? "met" : "NOT met");
	free(dv);
	free(fv);
	sqlite3_close(fdb);
	store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "wait") == 0)
		return wait_complete(argv);
	if (argc == 8 && strcmp(argv[1], "time") == 0)
		return time_refresh(argv);
	fprintf(stderr, "usage: zero_probe wait DB PERIOD SLOT N\n"
			"       zero_probe time DB PERIOD SLOT VIEWER RUNS FLOOR_DB\n");
	return 2;
}
