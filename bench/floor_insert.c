/*
 * floor_insert.c — the floor for bench/log_append.sh: the least a program
 * can do to append one row durably to an SQLite database, one process per
 * row, the way `dutydesk log` is used.
 *
 *   floor_insert DB TEXT
 *
 * It opens an existing database (made by the benchmark script: one table
 * log(id, at_ms, text), journal_mode=WAL, which persists in the file), sets
 * what dutydesk sets on every open (synchronous=FULL and a busy timeout),
 * inserts one row in autocommit and closes.  Nothing else: no config file,
 * no hashing, no JSON, no locale.  Whatever `dutydesk log` costs above this
 * is the price of what it does beyond storing the row.
 *
 * Build: cc -O2 -o floor_insert floor_insert.c $(pkg-config --cflags --libs sqlite3)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "floor_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: floor_insert DB TEXT\n");
		return 2;
	}
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return fail(db, "open");
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "synchronous");

	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	sqlite3_int64 at_ms = (sqlite3_int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "INSERT INTO log(at_ms, text) VALUES(?, ?)", -1, &s, NULL) != SQLITE_OK)
		return fail(db, "prepare");
	sqlite3_bind_int64(s, 1, at_ms);
	sqlite3_bind_text(s, 2, argv[2], -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(db, "insert");
	if (sqlite3_close(db) != SQLITE_OK) {
		fprintf(stderr, "floor_insert: close failed\n");
		return 1;
	}
	return 0;
}
