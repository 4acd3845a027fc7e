/*
 * roster_probe.c — times the Roster screen's filter-as-you-type query,
 * keystroke by keystroke, through dutydesk's store (store_contact_filter:
 * a window of rows and the match count capped, in one pass of the filter
 * index the screen keeps) and the same search straight through the sqlite3 C API on a plain
 * table of the same rows (the floor); and, with "import-floor", the least
 * SQLite can do to take a CSV of contacts in one transaction.
 *
 *   roster_probe keys DB RUNS TEXT...     one line per prefix of each TEXT
 *   roster_probe import-floor DB CSV      prints the seconds taken
 *
 * Each prefix is timed RUNS times, dutydesk and floor alternating, after
 * one untimed warm-up each; reports median, 95th percentile and worst
 * in milliseconds.
 * A benchmark, not a test (see bench/README.md).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dutydesk/csv.h"
#include "dutydesk/phone.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"

#define WINDOW 50
#define COUNT_CAP 1000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int count_row(const struct dd_liaison *l, void *p)
{
	(void)l;
	(*(int *)p)++;
	return 0;
}

/* What the screen runs per keystroke: the first window and the count,
 * through the filter index it keeps for as long as it is open. */
static int dutydesk_query(struct dd_contact_index *ix, struct dd_store *st, const char *text, int *rows,
			  int64_t *matches)
{
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.text = text;
	struct dd_error err;
	*rows = 0;
	if (store_contact_filter(ix, st, &f, NULL, false, WINDOW, COUNT_CAP, count_row, rows, matches, &err)) {
		fprintf(stderr, "roster_probe: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* The floor: one table, instr() over the same text, the same window and count. */
static int floor_query(sqlite3 *db, sqlite3_stmt *win, sqlite3_stmt *cnt, const char *text, int *rows, int64_t *matches)
{
	char digits[DD_PHONE_MAX];
	bool phone = phone_query_digits(text, digits);
	sqlite3_stmt *s[2] = { win, cnt };
	*rows = 0;
	for (int i = 0; i < 2; i++) {
		sqlite3_reset(s[i]);
		sqlite3_bind_int(s[i], 1, phone);
		sqlite3_bind_text(s[i], 2, phone ? digits : text, -1, SQLITE_TRANSIENT);
		int rc;
		while ((rc = sqlite3_step(s[i])) == SQLITE_ROW) {
			if (i == 0)
				(*rows)++;
			else
				*matches = sqlite3_column_int64(s[i], 0);
		}
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "roster_probe: floor: %s\n", sqlite3_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static int keys(const char *path, int runs, int ntexts, char **texts)
{
	struct dd_store *st;
	struct dd_error err;
	if (store_open(path, DD_STORE_READONLY, &st, &err)) {
		fprintf(stderr, "roster_probe: %s\n", err.msg);
		return 1;
	}
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 1;
	sqlite3_stmt *win, *cnt;
	if (sqlite3_prepare_v2(db, "SELECT id, org, name, mobile FROM floor WHERE instr(CASE ?1 WHEN 1 THEN digits ELSE hay END, ?2)"
				   " ORDER BY org_key, rank, name, id LIMIT 50", -1, &win, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM (SELECT 1 FROM floor WHERE instr(CASE ?1 WHEN 1 THEN digits ELSE hay END, ?2)"
				   " LIMIT 1000)", -1, &cnt, NULL) != SQLITE_OK) {
		fprintf(stderr, "roster_probe: %s (build the floor table first)\n", sqlite3_errmsg(db));
		return 1;
	}
	/* The screen's index is loaded once when it opens (and again after a
	 * commit); that first load is timed apart. */
	struct dd_contact_index *ix = store_contact_index_new();
	int first_rows;
	int64_t first_matches;
	double t_load = now_ms();
	if (!ix || dutydesk_query(ix, st, "", &first_rows, &first_matches))
		return 1;
	printf("index load on opening the screen: %.1f ms\n", now_ms() - t_load);
	double *a = calloc((size_t)runs, sizeof *a), *b = calloc((size_t)runs, sizeof *b);
	double worst_all = 0, worst_p95 = 0;
	printf("%-28s %6s %6s | %8s %8s %8s | %9s %9s | %6s\n", "keystrokes (typed so far)", "rows", "count", "dd med",
	       "dd p95", "dd max", "floor med", "floor max", "x med");
	for (int t = 0; t < ntexts; t++) {
		const char *text = texts[t];
		size_t len = strlen(text);
		for (size_t n = 1; n <= len; n++) {
			/* Only whole UTF-8 characters: what a keystroke (or an IME commit) adds. */
			if (n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
				continue;
			char prefix[256];
			snprintf(prefix, sizeof prefix, "%.*s", (int)n, text);
			int rows, frows;
			int64_t matches = 0, fmatches = 0;
			if (dutydesk_query(ix, st, prefix, &rows, &matches) || floor_query(db, win, cnt, prefix, &frows, &fmatches))
				return 1;
			for (int r = 0; r < runs; r++) {
				double t0 = now_ms();
				dutydesk_query(ix, st, prefix, &rows, &matches);
				double t1 = now_ms();
				floor_query(db, win, cnt, prefix, &frows, &fmatches);
				double t2 = now_ms();
				a[r] = t1 - t0;
				b[r] = t2 - t1;
			}
			qsort(a, (size_t)runs, sizeof *a, cmp_double);
			qsort(b, (size_t)runs, sizeof *b, cmp_double);
			double am = a[runs / 2], bm = b[runs / 2];
			if (a[runs - 1] > worst_all)
				worst_all = a[runs - 1];
			char shown[300];
			snprintf(shown, sizeof shown, "%s%s", prefix, rows != frows || matches != fmatches ? " (rows differ!)" : "");
			double p95 = a[(runs * 95) / 100 < runs ? (runs * 95) / 100 : runs - 1];
			if (p95 > worst_p95)
				worst_p95 = p95;
			printf("%-28s %6d %6lld | %8.3f %8.3f %8.3f | %9.3f %9.3f | %6.2f\n", shown, rows, (long long)matches, am,
			       p95, a[runs - 1], bm, b[runs - 1], bm > 0 ? am / bm : 0);
		}
	}
	printf("worst keystroke through dutydesk: p95 %.3f ms, max %.3f ms; target < 10 ms: %s\n", worst_p95, worst_all,
	       worst_all < 10 ? "met" : worst_p95 < 10 ? "met at p95, NOT by the slowest run" : "NOT met");
	free(a);
	free(b);
	store_contact_index_free(ix);
	sqlite3_finalize(win);
	sqlite3_finalize(cnt);
	sqlite3_close(db);
	store_close(st);
	return 0;
}

/* Parses the CSV with dutydesk's reader (so both sides pay for parsing)
 * and inserts each row into a plain table in one transaction. */
static int import_floor(const char *path, const char *csv)
{
	double t0 = now_ms();
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE IF NOT EXISTS contacts(org, role, name, title, office, mobile, email);"
			 "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_stmt *ins;
	if (sqlite3_prepare_v2(db, "INSERT INTO contacts VALUES(?,?,?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK)
		return 1;
	struct dd_csv c;
	struct dd_error err;
	if (csv_open_file(&c, csv, NULL, &err)) {
		fprintf(stderr, "roster_probe: %s\n", err.msg);
		return 1;
	}
	long rows = 0;
	int header = 1;
	while (csv_next(&c, &err) == 1) {
		if (header-- > 0)
			continue;
		for (int i = 0; i < 7; i++)
			sqlite3_bind_text(ins, i + 1, i < c.n ? c.fields[i].text : "", -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return 1;
		sqlite3_reset(ins);
		rows++;
	}
	csv_close(&c);
	sqlite3_finalize(ins);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return 1;
	sqlite3_close(db);
	printf("%.3f %ld\n", (now_ms() - t0) / 1e3, rows);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "keys") == 0)
		return keys(argv[2], atoi(argv[3]) > 0 ? atoi(argv[3]) : 20, argc - 4, argv + 4);
	if (argc == 4 && strcmp(argv[1], "import-floor") == 0)
		return import_floor(argv[2], argv[3]);
	fprintf(stderr, "usage: roster_probe keys DB RUNS TEXT... | import-floor DB CSV\n");
	return 2;
}
