/*
 * queue_probe.c — times the incident queue's queries for bench/queue.sh,
 * each next to its floor: the same SQL run straight through the sqlite3 C
 * API on the same database, in the same process and the same run.
 *
 *   queue_probe DB [RUNS [TEXT]]
 *
 * For each query it runs the dutydesk side (store_incident_scan or
 * store_incident_count, linked from core/) and the floor alternately,
 * RUNS times each after a warm-up, and prints one line per query:
 * name, median and mean ms of each side and median(dutydesk)/median(floor).
 * Before timing, every query is run once on both sides and the rows
 * compared, so the floor is known to answer the same question.
 *
 * The floor is the least a program can do for that answer: prepare the
 * statement (store_incident_scan prepares it on every call, so the floor
 * does too), bind, step, read every column the row struct has (without
 * copying), finalize.  Whatever dutydesk costs above it is building the
 * SQL from the filter and filling struct dd_incident.
 *
 * Queries: the console's queue as it opens (open incidents, real, no
 * duplicates, first page of 50) and with the store opened too; a text
 * filter (TEXT, default a district name that matches some titles); a text
 * that matches nothing, which reads the whole open queue; paging down 20
 * pages of 50 by keyset; the same first page and paging for the closed
 * list (the open/closed toggle); the count the queue shows.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dutydesk/incident.h"

#define PAGE 50
#define PAGES 20

/* What store_incident_scan builds for a filter of closed, text, drill = 0
 * and no duplicates (core/store_incident.c, filter_where): keep in step. */
#define COLUMNS                                                                                   \
	"id, title, category, description, reporting_org, district, objects, reporter, cii,"     \
	" occurred_ms, detected_ms, opened_ms, opened_by, status, proposed_tier, confirmed_tier," \
	" tier, duplicate_of, close_ms, summary_within_min, summary_ver, next_due_ms,"           \
	" next_due_what, n_reports, drill"
#define N_COLUMNS 25
#define TEXT_COND                                                                                 \
	" AND (instr(lower(title), lower(:text)) OR instr(lower(reporting_org), lower(:text))"   \
	" OR instr(objects, :text) OR instr(reporter, :text) OR instr(id, lower(:text)))"
#define AFTER_COND " AND (tier_order, next_due_ms, id) > (:k_order, :k_due, :k_id)"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "queue_probe: %s: %s\n", what, why);
	exit(1);
}

/* ---- one query, both ways ----------------------------------------------- */

struct query {
	const char *name;
	int closed;
	const char *text;       /* NULL: no text filter */
	int pages;              /* 0: count instead of scanning */
	bool open_store;        /* time opening the database too */
};

/* Rows seen by either side: ids for the comparison, and the key of the
 * last row, where the next page starts. */
struct seen {
	int n;
	char ids[PAGE * PAGES][DD_UUID_LEN + 1];
	bool record;
	struct dd_queue_key last;
	int64_t count;
};

static int dd_row(const struct dd_incident *in, void *p)
{
	struct seen *s = p;
	if (s->record)
		memcpy(s->ids[s->n], in->id, sizeof s->ids[0]);
	s->n++;
	incident_queue_key(in, &s->last);
	return 0;
}

static void run_dd(struct dd_store **stp, const char *path, const struct query *q, struct seen *s)
{
	struct dd_error err;
	if (q->open_store && store_open(path, 0, stp, &err))
		die(path, err.msg);
	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	f.closed = q->closed;
	f.drill = 0;
	f.text = q->text;
	s->n = 0;
	if (!q->pages) {
		if (store_incident_count(*stp, &f, &s->count, &err))
			die("store_incident_count", err.msg);
		return;
	}
	for (int p = 0; p < q->pages; p++)
		if (store_incident_scan(*stp, &f, p ? &s->last : NULL, false, PAGE, dd_row, s, &err))
			die("store_incident_scan", err.msg);
	if (q->open_store) {
		store_close(*stp);
		*stp = NULL;
	}
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	return s;
}

static void bind(sqlite3_stmt *s, const char *name, const char *text, int64_t v)
{
	int i = sqlite3_bind_parameter_index(s, name);
	if (i && text)
		sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
	else if (i)
		sqlite3_bind_int64(s, i, v);
}

static void run_floor(sqlite3 **dbp, const char *path, const struct query *q, struct seen *s)
{
	if (q->open_store && sqlite3_open_v2(path, dbp, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(*dbp));
	sqlite3 *db = *dbp;
	char sql[2048];
	s->n = 0;
	if (!q->pages) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM incidents WHERE closed = :closed%s AND drill = :drill"
			 " AND duplicate_of = ''", q->text ? TEXT_COND : "");
		sqlite3_stmt *st = prepare(db, sql);
		bind(st, ":closed", NULL, q->closed);
		bind(st, ":text", q->text, 0);
		bind(st, ":drill", NULL, 0);
		if (sqlite3_step(st) != SQLITE_ROW)
			die("count", sqlite3_errmsg(db));
		s->count = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return;
	}
	int64_t k_order = 0, k_due = 0;
	char k_id[DD_UUID_LEN + 1] = "";
	for (int p = 0; p < q->pages; p++) {
		snprintf(sql, sizeof sql, "SELECT " COLUMNS ", tier_order FROM incidents WHERE closed = :closed%s"
			 " AND drill = :drill AND duplicate_of = ''%s ORDER BY tier_order, next_due_ms, id LIMIT :limit",
			 q->text ? TEXT_COND : "", p ? AFTER_COND : "");
		sqlite3_stmt *st = prepare(db, sql);
		bind(st, ":closed", NULL, q->closed);
		bind(st, ":text", q->text, 0);
		bind(st, ":drill", NULL, 0);
		bind(st, ":k_order", NULL, k_order);
		bind(st, ":k_due", NULL, k_due);
		bind(st, ":k_id", k_id, 0);
		bind(st, ":limit", NULL, PAGE);
		int step;
		size_t bytes = 0;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			/* every column read, as a program showing the row would */
			for (int c = 0; c < N_COLUMNS; c++)
				bytes += sqlite3_column_type(st, c) == SQLITE_TEXT ? (size_t)sqlite3_column_bytes(st, c)
										  : (size_t)sqlite3_column_int64(st, c) & 1;
			const char *id = (const char *)sqlite3_column_text(st, 0);
			if (s->record)
				memcpy(s->ids[s->n], id, sizeof s->ids[0]);
			s->n++;
			memcpy(k_id, id, sizeof k_id);
			k_due = sqlite3_column_int64(st, 21);
			k_order = sqlite3_column_int64(st, N_COLUMNS);
		}
		if (step != SQLITE_DONE)
			die("scan", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		s->count += (int64_t)bytes;   /* keeps the reads from being optimised away */
	}
	if (q->open_store) {
		sqlite3_close(db);
		*dbp = NULL;
	}
}

/* ---- timing --------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct stats {
	double median, mean;
};

static struct stats summarise(double *t, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += t[i];
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return (struct stats){ .median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2, .mean = sum / n };
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: queue_probe DB [RUNS [TEXT]]\n");
		return 2;
	}
	const char *path = argv[1];
	int runs = argc > 2 ? atoi(argv[2]) : 100;
	const char *text = argc > 3 ? argv[3] : "涪陵";
	if (runs < 1)
		runs = 1;
	const struct query queries[] = {
		{ "open store + first page", 0, NULL, 1, true },
		{ "first page (50)", 0, NULL, 1, false },
		{ "filter: first page", 0, text, 1, false },
		{ "filter, no match (all open)", 0, "没有这个词", 1, false },
		{ "page down 20 × 50", 0, NULL, PAGES, false },
		{ "closed: first page", 1, NULL, 1, false },
		{ "closed: page down 20 × 50", 1, NULL, PAGES, false },
		{ "count open", 0, NULL, 0, false },
	};
	/* Read-write, as the console opens it (and so that a database made
	 * by an older dutydesk is migrated first); nothing here writes. */
	struct dd_store *st = NULL;
	struct dd_error err;
	if (store_open(path, 0, &st, &err))
		die(path, err.msg);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	struct seen *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	double *ta = malloc(sizeof *ta * (size_t)runs), *tb = malloc(sizeof *tb * (size_t)runs);
	if (!a || !b || !ta || !tb)
		die("memory", "out of memory");

	int64_t counts[2];
	for (int closed = 0; closed < 2; closed++) {
		struct query q = { "", closed, NULL, 0, false };
		run_dd(&st, path, &q, a);
		counts[closed] = a->count;
	}
	printf("# %s: %lld open and %lld closed incidents in the queue (real, duplicates counted once)\n", path,
	       (long long)counts[0], (long long)counts[1]);
	printf("# %d runs per query, dutydesk and floor alternating; filter text \"%s\"\n", runs, text);
	printf("%-30s %12s %12s %12s %12s %8s\n", "query", "dutydesk med", "mean", "floor med", "mean", "x floor");

	double worst = 0, filter_ms = 0;
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		const struct query *q = &queries[i];
		struct dd_store *qst = q->open_store ? NULL : st;
		sqlite3 *qdb = q->open_store ? NULL : db;
		/* the same answer from both sides */
		a->record = b->record = true;
		a->count = b->count = 0;
		run_dd(&qst, path, q, a);
		run_floor(&qdb, path, q, b);
		bool same = q->pages ? a->n == b->n : a->count == b->count;
		for (int r = 0; same && q->pages && r < a->n; r++)
			same = strcmp(a->ids[r], b->ids[r]) == 0;
		if (!same) {
			fprintf(stderr, "queue_probe: %s: dutydesk and the floor disagree (%d rows vs %d)\n", q->name, a->n,
				b->n);
			return 1;
		}
		a->record = b->record = false;
		for (int r = 0; r < runs + 3; r++) {
			double t0 = now_ms();
			run_dd(&qst, path, q, a);
			double t1 = now_ms();
			run_floor(&qdb, path, q, b);
			double t2 = now_ms();
			if (r >= 3) {   /* the first runs warm the caches */
				ta[r - 3] = t1 - t0;
				tb[r - 3] = t2 - t1;
			}
		}
		struct stats sa = summarise(ta, runs), sb = summarise(tb, runs);
		double ratio = sb.median > 0 ? sa.median / sb.median : 0;
		if (ratio > worst)
			worst = ratio;
		if (q->text && sa.median > filter_ms)
			filter_ms = sa.median;
		printf("%-30s %12.3f %12.3f %12.3f %12.3f %8.2f   (%d rows)\n", q->name, sa.median, sa.mean, sb.median,
		       sb.mean, ratio, q->pages ? a->n : (int)a->count);
	}
	printf("worst dutydesk / floor (median) = %.2f; target <= 2: %s\n", worst, worst <= 2 ? "met" : "NOT met");
	printf("slowest filter (median) = %.2f ms; target < 50 ms: %s\n", filter_ms, filter_ms < 50 ? "met" : "NOT met");
	free(a);
	free(b);
	free(ta);
	free(tb);
	sqlite3_close(db);
	store_close(st);
	return 0;
}
