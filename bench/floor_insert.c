/*
 * floor_insert.c — the floor for bench/log_append.sh: the least a program
 * can do to append one row durably to an SQLite database, one process per
 * row, the way `dutydesk log` is used.
 *
 *   floor_insert DB TEXT
 *   floor_insert --same-rows DB TEXT
 *
 * With --same-rows it writes what one `dutydesk log` stores, into a
 * dutydesk database: one events row and one shift_log row in one
 * transaction, through the same indexes, with fixed (not computed) ids and
 * hashes.  The gap between the two floors is the price of the schema; the
 * gap between --same-rows and `dutydesk log` is the price of the program.
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
#include <string.h>
#include <time.h>

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "floor_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);
	return 1;
}

/* The rows of one log entry; ids from SQLite's randomness, the next seq
 * of a fixed origin, so repeated runs never collide. */
static int insert_same_rows(sqlite3 *db, sqlite3_int64 at_ms, const char *text)
{
	static const char sql[] =
		"BEGIN IMMEDIATE;"
		"INSERT INTO events(id, origin, seq, hlc, at, actor, org, kind, subject, drill, body, prev, hash)"
		" SELECT lower(hex(randomblob(16))), 'floor', coalesce(max(seq), 0) + 1, ?1 * 65536,"
		" '2026-11-26T10:00:00.000+08:00', 'floor', 'cq.center', 'log.entry', '', 0,"
		" json_object('kind', 'note', 'text', ?2, 'v', 1), printf('%064d', 0), printf('%064d', 0)"
		" FROM events WHERE origin = 'floor';"
		"INSERT INTO shift_log(at_ms, id, at, officer, org, kind, text, corrects, drill)"
		" VALUES(?1, lower(hex(randomblob(16))), '2026-11-26T10:00:00.000+08:00', 'floor', 'cq.center',"
		" 'note', ?2, '', 0);"
		"COMMIT;";
	const char *tail = sql;
	while (*tail) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, tail, -1, &s, &tail) != SQLITE_OK)
			return fail(db, "prepare");
		if (!s)
			break;
		if (sqlite3_bind_parameter_count(s) >= 2) {
			sqlite3_bind_int64(s, 1, at_ms);
			sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
		}
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return fail(db, "insert");
	}
	return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	int same_rows = argc == 4 && strcmp(argv[1], "--same-rows") == 0;
	if (argc != 3 && !same_rows) {
		fprintf(stderr, "usage: floor_insert [--same-rows] DB TEXT\n");
		return 2;
	}
	if (same_rows)
		argv++;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return fail(db, "open");
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "synchronous");

	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	sqlite3_int64 at_ms = (sqlite3_int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

	if (same_rows)
		return insert_same_rows(db, at_ms, argv[2]);

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
