/*
 * test_store.c — unit tests for core/store.c: creating and opening the
 * database (modes, migrations, refusing what is not ours), the append-only
 * log, rebuild against the incremental path, verify, remote appends, the
 * shift-log queries and banners.
 *
 * Every test works in its own mkdtemp() folder under $TMPDIR (or /tmp) and
 * removes it.  Tampering, locking and foreign inserts go through a second
 * SQLite connection, as another process would.  The busy test waits out
 * the store's 5 s busy timeout and is the only slow test; nothing asserts
 * on timing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/kinds.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/store.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "tempdir.h"

/* 2026-11-26T00:00:00Z */
#define T0 INT64_C(1795651200000)
#define MIN_MS INT64_C(60000)
#define DAY_MS INT64_C(86400000)

/* ---- fixture: a temp folder, a config, a store ------------------------- */

struct fx {
	char dir[256];
	char db[PATH_MAX];
	struct dd_store *st;
	struct dd_config cfg;
};

/* $TMPDIR, else /dev/shm, else /tmp.  Every commit is fsynced
 * (synchronous=FULL) and the rebuild test makes 10,000 of them; on tmpfs
 * they cost nothing, which keeps the busy test the only slow one. */
static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-store-XXXXXX", tempdir_base());
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->db, sizeof fx->db, "%s/dutydesk.db", fx->dir);
	config_defaults(&fx->cfg);
	snprintf(fx->cfg.path, sizeof fx->cfg.path, "%s/dutydesk.conf", fx->dir);
	uuid7_new(time_now_ms(), fx->cfg.origin);
	snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "张伟");
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.yubei");
	snprintf(fx->cfg.database, sizeof fx->cfg.database, "%s", fx->db);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	store_close(fx->st);
	int rc = tempdir_remove(fx->dir);
	free(fx);
	return rc;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static struct dd_store *open_store(struct fx *fx, int flags)
{
	struct dd_error err = { 0, "" };
	store_close(fx->st);
	fx->st = NULL;
	int rc = store_open(fx->db, flags, &fx->st, &err);
	if (rc)
		fail_msg("store_open %s: %d %s", fx->db, rc, err.msg);
	return fx->st;
}

static void close_store(struct fx *fx)
{
	store_close(fx->st);
	fx->st = NULL;
}

/* Adds a note at at_ms; returns its id in id (may be NULL). */
static void add(struct fx *fx, const char *text, int64_t at_ms, char *id)
{
	struct dd_error err;
	struct dd_event ev;
	int rc = shiftlog_add(fx->st, &fx->cfg, text, strlen(text), NULL, at_ms, NULL, &ev, &err);
	if (rc)
		fail_msg("shiftlog_add: %d %s", rc, err.msg);
	if (id)
		memcpy(id, ev.id, DD_UUID_LEN + 1);
	event_free(&ev);
}

/* A log.entry appended directly, so it can carry the drill flag. */
static void add_direct(struct fx *fx, const char *officer, const char *text, int64_t at_ms, int drill,
		       char *id)
{
	json_t *body = json_pack("{s:i, s:s, s:s}", "v", 1, "kind", "note", "text", text);
	struct dd_new_event ne = {
		.origin = fx->cfg.origin, .actor = officer, .org = fx->cfg.org, .kind = "log.entry",
		.subject = "", .drill = drill, .body = body, .at_ms = at_ms, .tz = "Asia/Shanghai",
	};
	struct dd_event ev;
	struct dd_error err;
	int rc = store_append_local(fx->st, &ne, &ev, &err);
	json_decref(body);
	if (rc)
		fail_msg("store_append_local: %d %s", rc, err.msg);
	if (id)
		memcpy(id, ev.id, DD_UUID_LEN + 1);
	event_free(&ev);
}

static void digest(struct dd_store *st, char out[DD_HASH_HEX + 1])
{
	struct dd_error err;
	int rc = store_digest(st, out, &err);
	if (rc)
		fail_msg("store_digest: %s", err.msg);
}

static int64_t log_count(struct dd_store *st, const struct dd_log_filter *f)
{
	struct dd_log_filter all;
	store_log_filter_init(&all);
	int64_t n = -1;
	struct dd_error err;
	assert_int_equal(store_log_count(st, f ? f : &all, &n, &err), 0);
	return n;
}

/* ---- a second connection, as another process ----------------------- */

static sqlite3 *side_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	return db;
}

static void side_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t side_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static char *side_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	char *v = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

static char *read_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int count_dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* The events of a database, each encoded as JSON text, in log order. */
static char **read_events(const char *path, int *n)
{
	sqlite3 *db = side_open(path);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT id, origin, seq, hlc, at, actor, org, kind, subject,"
			       " drill, body, prev, hash FROM events ORDER BY origin, seq", -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	int cap = 1024, count = 0;
	char **out = malloc(sizeof *out * (size_t)cap);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_error_t jerr;
		json_t *body = json_loads((const char *)sqlite3_column_text(s, 10), 0, &jerr);
		assert_non_null(body);
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:s}",
				      "id", sqlite3_column_text(s, 0), "origin", sqlite3_column_text(s, 1),
				      "seq", (json_int_t)sqlite3_column_int64(s, 2),
				      "hlc", (json_int_t)sqlite3_column_int64(s, 3),
				      "at", sqlite3_column_text(s, 4), "actor", sqlite3_column_text(s, 5),
				      "org", sqlite3_column_text(s, 6), "kind", sqlite3_column_text(s, 7),
				      "subject", sqlite3_column_text(s, 8), "drill", sqlite3_column_int(s, 9),
				      "body", body, "prev", sqlite3_column_text(s, 11),
				      "hash", sqlite3_column_text(s, 12));
		assert_non_null(o);
		if (count == cap)
			out = realloc(out, sizeof *out * (size_t)(cap *= 2));
		out[count++] = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	*n = count;
	return out;
}

static void free_events(char **evs, int n)
{
	for (int i = 0; i < n; i++)
		free(evs[i]);
	free(evs);
}

/* ---- deterministic random input ----------------------------------------- */

static uint64_t rng_state;
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static size_t random_text(char *buf, size_t cap)
{
	static const char *const pieces[] = {
		"接警", "火灾", "渝北区", "龙溪街道", "无人员被困", "出动", "2车10人", "。", "，", "：",
		"call", "fire", "Warehouse", "OK", " ", " ", "\t", "\n", "\x1b[31m", "\xF0\x9F\x9A\x92",
		"\xff", "\xe4\xb8", "李雷", "handover", "0", "42",
	};
	size_t len = 0;
	int n = 1 + (int)(rng() % 30);
	for (int i = 0; i < n; i++) {
		const char *p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
		size_t pl = strlen(p);
		if (len + pl + 4 > cap)
			break;
		memcpy(buf + len, p, pl);
		len += pl;
	}
	/* never only white space */
	memcpy(buf + len, "事", 3);
	len += 3;
	buf[len] = '\0';
	return len;
}

/* ---- opening --------------------------------------------------------- */

static void test_open_create_modes(void **state)
{
	struct fx *fx = *state;
	mode_t old = umask(022);
	snprintf(fx->db, sizeof fx->db, "%s/a/b/dutydesk.db", fx->dir);
	open_store(fx, DD_STORE_CREATE);
	umask(old);
	char p[PATH_MAX + 8];
	struct stat sb;
	assert_int_equal(stat(fx->db, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	snprintf(p, sizeof p, "%s/a/b", fx->dir);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	snprintf(p, sizeof p, "%s/a", fx->dir);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_string_equal(store_path(fx->st), fx->db);
	assert_int_equal(store_event_count(fx->st), 0);

	/* the write-ahead log holds entries too: it is as private */
	add(fx, "第一条", T0, NULL);
	snprintf(p, sizeof p, "%s-wal", fx->db);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0077, 0);

	sqlite3 *db = side_open(fx->db);
	assert_int_equal(side_int(db, "PRAGMA user_version"), DD_SCHEMA_VERSION);
	char *mode = side_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	sqlite3_close(db);

	/* opening again keeps what is there */
	open_store(fx, DD_STORE_CREATE);
	assert_int_equal(store_event_count(fx->st), 1);
	open_store(fx, 0);
	assert_int_equal(store_event_count(fx->st), 1);
}

static void test_open_missing(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	struct dd_store *st = (struct dd_store *)&err;
	snprintf(fx->db, sizeof fx->db, "%s/nowhere/dutydesk.db", fx->dir);
	assert_int_equal(store_open(fx->db, 0, &st, &err), DD_ENOTFOUND);
	assert_null(st);
	assert_int_equal(err.code, DD_ENOTFOUND);
	assert_non_null(strstr(err.msg, fx->db));
	assert_int_equal(store_open(fx->db, DD_STORE_READONLY, &st, &err), DD_ENOTFOUND);
	/* nothing was created on the way */
	assert_int_equal(count_dir_entries(fx->dir), 0);

	/* a folder is not a database */
	assert_int_equal(store_open(fx->dir, DD_STORE_CREATE, &st, &err), DD_ECORRUPT);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_null(st);
}

static void test_migrate_empty_file(void **state)
{
	struct fx *fx = *state;
	int fd = open(fx->db, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	open_store(fx, 0);
	assert_int_equal(store_event_count(fx->st), 0);
	sqlite3 *db = side_open(fx->db);
	assert_int_equal(side_int(db, "PRAGMA user_version"), DD_SCHEMA_VERSION);
	assert_int_equal(side_int(db, "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name IN"
				  " ('events','shift_log','protection_periods','drill_runs','clock')"), 5);
	assert_int_equal(side_int(db, "SELECT count(*) FROM sqlite_schema WHERE type='trigger'"), 2);
	char *mode = side_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	sqlite3_close(db);
	char id[DD_UUID_LEN + 1];
	add(fx, "迁移后第一条", T0, id);
	assert_int_equal(store_event_count(fx->st), 1);
	assert_int_equal(log_count(fx->st, NULL), 1);

	/* an empty file opened with CREATE is migrated the same way */
	close_store(fx);
	snprintf(fx->db, sizeof fx->db, "%s/second.db", fx->dir);
	fd = open(fx->db, O_WRONLY | O_CREAT | O_EXCL, 0600);
	close(fd);
	open_store(fx, DD_STORE_CREATE);
	db = side_open(fx->db);
	assert_int_equal(side_int(db, "PRAGMA user_version"), DD_SCHEMA_VERSION);
	sqlite3_close(db);

	/* an empty file cannot be migrated read-only */
	close_store(fx);
	snprintf(fx->db, sizeof fx->db, "%s/third.db", fx->dir);
	fd = open(fx->db, O_WRONLY | O_CREAT | O_EXCL, 0600);
	close(fd);
	struct dd_error err;
	struct dd_store *st;
	assert_int_equal(store_open(fx->db, DD_STORE_READONLY, &st, &err), DD_EREADONLY);
	assert_null(st);
	struct stat sb;
	assert_int_equal(stat(fx->db, &sb), 0);
	assert_int_equal(sb.st_size, 0);
}

/* Opening path with each flag combination must fail with code and leave
 * the file byte for byte as it was; with same_dir, also nothing added
 * beside it.  (A read-only connection to a WAL database makes the -wal
 * and -shm files SQLite needs and cannot remove them; they hold nothing.) */
static void assert_refused_untouched(struct fx *fx, int code, const char *want, bool same_dir)
{
	size_t len0;
	char *before = read_bytes(fx->db, &len0);
	int entries = count_dir_entries(fx->dir);
	static const int flags[] = { 0, DD_STORE_CREATE, DD_STORE_READONLY };
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		struct dd_error err = { 0, "" };
		struct dd_store *st = NULL;
		int rc = store_open(fx->db, flags[i], &st, &err);
		if (rc != code || !strstr(err.msg, want))
			fail_msg("flags %d: rc %d (want %d): %s", flags[i], rc, code, err.msg);
		assert_null(st);
		size_t len1;
		char *after = read_bytes(fx->db, &len1);
		assert_int_equal(len0, len1);
		assert_memory_equal(before, after, len0);
		free(after);
		if (same_dir && count_dir_entries(fx->dir) != entries)
			fail_msg("flags %d: files were added beside %s", flags[i], fx->db);
	}
	free(before);
}

static void test_refuse_foreign_sqlite(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT);"
		      "INSERT INTO notes(text) VALUES('someone else''s data');");
	sqlite3_close(db);
	assert_refused_untouched(fx, DD_ECORRUPT, "not dutydesk's", true);
	db = side_open(fx->db);
	assert_int_equal(side_int(db, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(side_int(db, "PRAGMA user_version"), 0);
	sqlite3_close(db);
}

static void test_refuse_newer_schema(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	add(fx, "x", T0, NULL);
	close_store(fx);
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "PRAGMA user_version=99");
	sqlite3_close(db);
	assert_refused_untouched(fx, DD_ECORRUPT, "schema version 99 is newer", false);
}

static void test_refuse_garbage(void **state)
{
	struct fx *fx = *state;
	unsigned char junk[4096];
	assert_int_equal(dd_random(junk, sizeof junk), 0);
	junk[0] = 'X'; /* whatever the draw, not "SQLite format 3" */
	FILE *f = fopen(fx->db, "wb");
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	fclose(f);
	assert_refused_untouched(fx, DD_ECORRUPT, "left untouched", true);

	/* a short text file */
	f = fopen(fx->db, "wb");
	fputs("duty roster\n", f);
	fclose(f);
	assert_refused_untouched(fx, DD_ECORRUPT, "not a dutydesk database", true);
}

/* ---- append-only ------------------------------------------------------ */

static void test_events_append_only(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	add(fx, "一", T0, NULL);
	add(fx, "二", T0 + 1, NULL);
	char before[DD_HASH_HEX + 1], after[DD_HASH_HEX + 1];
	sqlite3 *db = side_open(fx->db);
	char *sum0 = side_text(db, "SELECT group_concat(id || body || hash, '|') FROM events");

	static const char *const sql[] = {
		"UPDATE events SET body='{\"kind\":\"note\",\"text\":\"forged\",\"v\":1}' WHERE seq=1",
		"UPDATE events SET actor='someone'",
		"DELETE FROM events WHERE seq=2",
		"DELETE FROM events",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		char *msg = NULL;
		int rc = sqlite3_exec(db, sql[i], NULL, NULL, &msg);
		assert_int_not_equal(rc, SQLITE_OK);
		assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
		assert_non_null(msg);
		assert_non_null(strstr(msg, "append-only"));
		sqlite3_free(msg);
	}
	char *sum1 = side_text(db, "SELECT group_concat(id || body || hash, '|') FROM events");
	assert_string_equal(sum0, sum1);
	assert_int_equal(side_int(db, "SELECT count(*) FROM events"), 2);
	free(sum0);
	free(sum1);
	sqlite3_close(db);

	digest(fx->st, before);
	int64_t checked;
	struct dd_error err;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, 2);
	digest(fx->st, after);
	assert_string_equal(before, after);
}

/* ---- rebuild equals incremental ----------------------------------------- */

static void test_digest_empty(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	/* the digest of empty projections is the SHA-256 of the table names,
	 * each with its NUL */
	static const char names[] = "shift_log\0protection_periods\0drill_runs\0incidents\0incident_hops\0incident_hops_made"
				    "\0orgs\0liaisons\0liaison_history\0objects\0calls\0duty_shifts\0period_scopes\0zero_reports"
				    "\0zero_latest\0freeze_warnings\0advisories\0advisory_to\0advisory_answers\0handovers\0drill_injects";
	char want[DD_HASH_HEX + 1], got[DD_HASH_HEX + 1];
	dd_sha256_hex(names, sizeof names, want);
	digest(fx->st, got);
	assert_string_equal(got, want);
	add(fx, "x", T0, NULL);
	digest(fx->st, got);
	assert_string_not_equal(got, want);
}

enum { N_RANDOM = 10000 };

static void test_rebuild_equals_incremental(void **state)
{
	struct fx *fx = *state;
	rng_state = 20261126;
	open_store(fx, DD_STORE_CREATE);
	static const char *const officers[] = { "张伟", "李雷", "Wang Fang", "韩梅梅" };
	char (*ids)[DD_UUID_LEN + 1] = calloc(N_RANDOM, sizeof *ids);
	int drills = 0, corrections = 0;
	for (int i = 0; i < N_RANDOM; i++) {
		snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "%s", officers[rng() % 4]);
		int64_t at = T0 - 3 * DAY_MS + (int64_t)(rng() % (uint64_t)(7 * DAY_MS));
		if (i % 10 == 0)
			at = T0 + (i % 7) * MIN_MS; /* some share their millisecond */
		char text[512];
		size_t len = random_text(text, sizeof text);
		if (rng() % 10 == 0) {
			/* a drill entry: valid UTF-8 only, as the body demands */
			char *clean = text_sanitize(text, len, NULL);
			add_direct(fx, fx->cfg.officer, clean, at, 1, ids[i]);
			free(clean);
			drills++;
			continue;
		}
		const char *corrects = NULL;
		if (i > 0 && rng() % 8 == 0) {
			corrects = ids[rng() % (uint64_t)i];
			corrections++;
		}
		struct dd_event ev;
		struct dd_error err;
		int rc = shiftlog_add(fx->st, &fx->cfg, text, len, dd_log_kinds[rng() % 5], at, corrects, &ev, &err);
		if (rc)
			fail_msg("entry %d: %s", i, err.msg);
		assert_int_equal(ev.seq, i + 1);
		memcpy(ids[i], ev.id, sizeof ids[i]);
		event_free(&ev);
	}
	assert_true(drills > 500);
	assert_true(corrections > 500);
	assert_int_equal(store_event_count(fx->st), N_RANDOM);
	assert_int_equal(log_count(fx->st, NULL), N_RANDOM);
	struct dd_log_filter f;
	store_log_filter_init(&f);
	f.drill = 1;
	assert_int_equal(log_count(fx->st, &f), drills);

	char incremental[DD_HASH_HEX + 1], rebuilt[DD_HASH_HEX + 1], other[DD_HASH_HEX + 1];
	struct dd_error err;
	digest(fx->st, incremental);
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	digest(fx->st, rebuilt);
	assert_string_equal(incremental, rebuilt);
	assert_int_equal(log_count(fx->st, NULL), N_RANDOM);

	/* the digest sees a change in any projection row, and rebuild
	 * really replays: it restores the projection from the log */
	sqlite3 *db = side_open(fx->db);
	/* same length (every random text ends in 事), so only the bytes differ */
	side_exec(db, "UPDATE shift_log SET text = replace(text, '事', '件') WHERE id = (SELECT min(id) FROM shift_log)");
	assert_int_equal(sqlite3_changes(db), 1);
	digest(fx->st, other);
	assert_string_not_equal(other, incremental);
	side_exec(db, "DELETE FROM shift_log WHERE id = (SELECT max(id) FROM shift_log)");
	side_exec(db, "INSERT INTO protection_periods(id, name, start_ms, end_ms, scope) VALUES('p1', '进博会', 0, 1, 'cq')");
	sqlite3_close(db);
	digest(fx->st, other);
	assert_string_not_equal(other, incremental);
	assert_int_equal(log_count(fx->st, NULL), N_RANDOM - 1);
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	digest(fx->st, rebuilt);
	assert_string_equal(rebuilt, incremental);
	assert_int_equal(log_count(fx->st, NULL), N_RANDOM);

	int64_t checked = 0;
	if (store_verify(fx->st, &checked, &err))
		fail_msg("verify: %s", err.msg);
	assert_int_equal(checked, N_RANDOM);
	close_store(fx);

	/* A second, fresh store receiving the same events from elsewhere
	 * holds the same log and the same projections. */
	int n;
	char **evs = read_events(fx->db, &n);
	assert_int_equal(n, N_RANDOM);
	char first_db[PATH_MAX];
	snprintf(first_db, sizeof first_db, "%s", fx->db);
	snprintf(fx->db, sizeof fx->db, "%s/replica.db", fx->dir);
	open_store(fx, DD_STORE_CREATE);
	/* as a sync batch would bring them: one transaction */
	assert_int_equal(store_batch_begin(fx->st, &err), 0);
	for (int i = 0; i < n; i++) {
		struct dd_event ev;
		if (event_decode(evs[i], strlen(evs[i]), &ev, &err))
			fail_msg("event %d does not decode: %s", i, err.msg);
		if (store_append_remote(fx->st, &ev, &err))
			fail_msg("remote append %d: %s", i, err.msg);
		event_free(&ev);
	}
	assert_int_equal(store_batch_end(fx->st, true, &err), 0);
	digest(fx->st, other);
	assert_string_equal(other, incremental);
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	digest(fx->st, other);
	assert_string_equal(other, incremental);
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, N_RANDOM);
	close_store(fx);
	int n2;
	char **evs2 = read_events(fx->db, &n2);
	assert_int_equal(n2, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(evs[i], evs2[i]);
	free_events(evs, n);
	free_events(evs2, n2);
	free(ids);
}

/* ---- verify ------------------------------------------------------------ */

enum { CHAIN = 12 };

/* A store of CHAIN entries; ids[i] is the entry with seq i + 1. */
static void make_chain(struct fx *fx, struct dd_event evs[CHAIN])
{
	open_store(fx, DD_STORE_CREATE);
	for (int i = 0; i < CHAIN; i++) {
		char text[64];
		snprintf(text, sizeof text, "第%d条 entry %d", i + 1, i + 1);
		struct dd_error err;
		assert_int_equal(shiftlog_add(fx->st, &fx->cfg, text, strlen(text), "note", T0 + i * MIN_MS, NULL,
					      &evs[i], &err), 0);
		assert_int_equal(evs[i].seq, i + 1);
	}
}

static void free_chain(struct dd_event evs[CHAIN])
{
	for (int i = 0; i < CHAIN; i++)
		event_free(&evs[i]);
}

static void expect_verify_fails(struct fx *fx, int code, const char *id, const char *want, int64_t checked_want)
{
	int64_t checked = -1;
	struct dd_error err = { 0, "" };
	int rc = store_verify(fx->st, &checked, &err);
	if (rc != code || !strstr(err.msg, id) || !strstr(err.msg, want))
		fail_msg("verify: rc %d (want %d): %s (want %s and %s)", rc, code, err.msg, id, want);
	assert_int_equal(err.code, code);
	assert_int_equal(checked, checked_want);
}

static void test_verify_good(void **state)
{
	struct fx *fx = *state;
	struct dd_event evs[CHAIN];
	make_chain(fx, evs);
	int64_t checked = -1;
	struct dd_error err;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, CHAIN);
	/* an empty store verifies too */
	close_store(fx);
	snprintf(fx->db, sizeof fx->db, "%s/empty.db", fx->dir);
	open_store(fx, DD_STORE_CREATE);
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, 0);
	free_chain(evs);
}

static void test_verify_tampered_body(void **state)
{
	struct fx *fx = *state;
	struct dd_event evs[CHAIN];
	make_chain(fx, evs);
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "DROP TRIGGER events_no_update");
	side_exec(db, "UPDATE events SET body='{\"kind\":\"note\",\"text\":\"第5条 forged\",\"v\":1}' WHERE seq=5");
	sqlite3_close(db);
	/* seq 1..4 verified, seq 5 named */
	expect_verify_fails(fx, DD_ECHAIN, evs[4].id, "field 'hash'", 4);
	expect_verify_fails(fx, DD_ECHAIN, "seq 5", "does not match", 4);
	free_chain(evs);
}

static void test_verify_tampered_and_resealed(void **state)
{
	struct fx *fx = *state;
	struct dd_event evs[CHAIN];
	make_chain(fx, evs);
	/* The forger recomputes the edited event's hash: the next event's
	 * prev no longer matches. */
	struct dd_event *e = &evs[6];
	json_object_set_new(e->body, "text", json_string("forged"));
	assert_int_equal(event_seal(e, NULL), 0);
	char *body = json_dumps(e->body, JSON_COMPACT | JSON_SORT_KEYS);
	char sql[1024];
	snprintf(sql, sizeof sql, "UPDATE events SET body='%s', hash='%s' WHERE id='%s'", body, e->hash, e->id);
	free(body);
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "DROP TRIGGER events_no_update");
	side_exec(db, sql);
	sqlite3_close(db);
	expect_verify_fails(fx, DD_ECHAIN, evs[7].id, "prev does not match the hash of seq 7", 7);
	free_chain(evs);
}

static void test_verify_deleted_rows(void **state)
{
	struct fx *fx = *state;
	struct dd_event evs[CHAIN];
	make_chain(fx, evs);
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "DROP TRIGGER events_no_delete");
	side_exec(db, "DELETE FROM events WHERE seq=6");
	/* the gap is named at the event after it */
	expect_verify_fails(fx, DD_ECHAIN, evs[6].id, "seq 7 follows 5", 5);
	/* the first event gone: the chain has no start */
	side_exec(db, "DELETE FROM events WHERE seq=1");
	expect_verify_fails(fx, DD_ECHAIN, evs[1].id, "has no event before it", 0);
	sqlite3_close(db);
	free_chain(evs);
}

static void test_verify_body_not_json(void **state)
{
	struct fx *fx = *state;
	struct dd_event evs[CHAIN];
	make_chain(fx, evs);
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "DROP TRIGGER events_no_update");
	side_exec(db, "UPDATE events SET body='{\"kind\":' WHERE seq=3");
	sqlite3_close(db);
	expect_verify_fails(fx, DD_ECORRUPT, evs[2].id, "body is not valid JSON", 2);
	free_chain(evs);
}

static void test_verify_swapped_rows(void **state)
{
	struct fx *fx = *state;
	struct dd_event evs[CHAIN];
	make_chain(fx, evs);
	/* seq numbers of two events exchanged: order broken, hashes too */
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "DROP TRIGGER events_no_update");
	side_exec(db, "UPDATE events SET seq = -1 WHERE seq = 9;"
		      "UPDATE events SET seq = 9 WHERE seq = 10;"
		      "UPDATE events SET seq = 10 WHERE seq = -1");
	sqlite3_close(db);
	expect_verify_fails(fx, DD_ECHAIN, evs[9].id, "field 'hash'", 8);
	free_chain(evs);
}

/* ---- remote appends ---------------------------------------------------- */

static void test_append_remote(void **state)
{
	struct fx *fx = *state;
	struct dd_event evs[CHAIN];
	make_chain(fx, evs);
	char source_digest[DD_HASH_HEX + 1];
	digest(fx->st, source_digest);
	close_store(fx);
	snprintf(fx->db, sizeof fx->db, "%s/replica.db", fx->dir);
	open_store(fx, DD_STORE_CREATE);
	struct dd_error err;

	/* a gap: seq 3 before anything */
	assert_int_equal(store_append_remote(fx->st, &evs[2], &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, evs[2].id));
	assert_int_equal(store_event_count(fx->st), 0);

	assert_int_equal(store_append_remote(fx->st, &evs[0], &err), 0);
	/* duplicate */
	assert_int_equal(store_append_remote(fx->st, &evs[0], &err), DD_EDUP);
	assert_int_equal(err.code, DD_EDUP);
	assert_non_null(strstr(err.msg, evs[0].id));
	/* gap after seq 1 */
	assert_int_equal(store_append_remote(fx->st, &evs[2], &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "seq 3 follows 1"));
	assert_int_equal(store_append_remote(fx->st, &evs[1], &err), 0);

	/* a fork: another event claiming seq 2 of the same origin */
	struct dd_event fork;
	event_init(&fork);
	fork = evs[1];
	fork.body = json_deep_copy(evs[1].body);
	json_object_set_new(fork.body, "text", json_string("另一个第2条"));
	uuid7_new(time_now_ms(), fork.id);
	assert_int_equal(event_seal(&fork, NULL), 0);
	assert_int_equal(store_append_remote(fx->st, &fork, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "forks origin"));
	assert_non_null(strstr(err.msg, fork.id));
	/* and a fork of seq 1 with a different body */
	struct dd_event fork1 = evs[0];
	fork1.body = json_deep_copy(evs[0].body);
	json_object_set_new(fork1.body, "kind", json_string("action"));
	uuid7_new(time_now_ms(), fork1.id);
	assert_int_equal(event_seal(&fork1, NULL), 0);
	assert_int_equal(store_append_remote(fx->st, &fork1, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "forks"));

	/* seq 3 chained to the fork instead of the stored seq 2 */
	struct dd_event wrong = evs[2];
	wrong.body = json_deep_copy(evs[2].body);
	memcpy(wrong.prev, fork.hash, sizeof wrong.prev);
	assert_int_equal(event_seal(&wrong, NULL), 0);
	assert_int_equal(store_append_remote(fx->st, &wrong, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "prev does not match"));

	/* an event whose hash does not match is refused before anything */
	struct dd_event bad = evs[2];
	bad.body = json_deep_copy(evs[2].body);
	json_object_set_new(bad.body, "text", json_string("tampered"));
	assert_int_equal(store_append_remote(fx->st, &bad, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "field 'hash'"));

	/* an id already used by another event */
	struct dd_event same_id = evs[2];
	same_id.body = json_deep_copy(evs[2].body);
	memcpy(same_id.id, evs[0].id, sizeof same_id.id);
	assert_int_equal(event_seal(&same_id, NULL), 0);
	assert_int_equal(store_append_remote(fx->st, &same_id, &err), DD_EDUP);

	assert_int_equal(store_event_count(fx->st), 2);
	for (int i = 2; i < CHAIN; i++)
		if (store_append_remote(fx->st, &evs[i], &err))
			fail_msg("seq %d: %s", i + 1, err.msg);
	char replica_digest[DD_HASH_HEX + 1];
	digest(fx->st, replica_digest);
	assert_string_equal(replica_digest, source_digest);
	int64_t checked;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, CHAIN);

	event_free(&fork);
	event_free(&fork1);
	event_free(&wrong);
	event_free(&bad);
	event_free(&same_id);
	free_chain(evs);
}

static void test_remote_clock_ahead(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	/* a console whose clock runs ten minutes fast */
	struct dd_event ev;
	event_init(&ev);
	int64_t now = time_now_ms();
	uuid7_new(now + 600000, ev.id);
	snprintf(ev.origin, sizeof ev.origin, "0194d6e0-0000-7000-8000-0000000fa57e");
	ev.seq = 1;
	ev.hlc = hlc_make(now + 600000, 5);
	assert_true(time_format_rfc3339(now + 600000, "Asia/Shanghai", ev.at, sizeof ev.at) > 0);
	snprintf(ev.actor, sizeof ev.actor, "李雷");
	snprintf(ev.org, sizeof ev.org, "cq.jiangbei");
	snprintf(ev.kind, sizeof ev.kind, "log.entry");
	ev.body = json_pack("{s:i, s:s, s:s}", "v", 1, "kind", "note", "text", "from the future");
	memcpy(ev.prev, DD_GENESIS_PREV, sizeof ev.prev);
	assert_int_equal(event_seal(&ev, NULL), 0);
	struct dd_error err;
	assert_int_equal(store_append_remote(fx->st, &ev, &err), 0);
	/* the next local event orders after what this console has seen */
	struct dd_event local;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "reply", 5, NULL, 0, NULL, &local, &err), 0);
	assert_true(local.hlc > ev.hlc);
	assert_int_equal(local.seq, 1);
	assert_string_equal(local.prev, DD_GENESIS_PREV);
	int64_t checked;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, 2);
	event_free(&local);
	event_free(&ev);
}

/* ---- batches ------------------------------------------------------------ */

static void test_batch(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	struct dd_error err;
	sqlite3 *db = side_open(fx->db);
	char digest0[DD_HASH_HEX + 1], d[DD_HASH_HEX + 1];
	digest(fx->st, digest0);

	/* nothing is visible to others until the batch commits */
	assert_int_equal(store_batch_begin(fx->st, &err), 0);
	assert_int_equal(store_batch_begin(fx->st, &err), DD_EINVAL);
	struct dd_event evs[3];
	for (int i = 0; i < 3; i++) {
		assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "批量", strlen("批量"), NULL, T0 + i, NULL, &evs[i],
					      &err), 0);
		assert_int_equal(evs[i].seq, i + 1);
	}
	assert_int_equal(side_int(db, "SELECT count(*) FROM events"), 0);
	assert_int_equal(side_int(db, "SELECT count(*) FROM shift_log"), 0);
	assert_int_equal(store_batch_end(fx->st, true, &err), 0);
	assert_int_equal(side_int(db, "SELECT count(*) FROM events"), 3);
	assert_int_equal(side_int(db, "SELECT count(*) FROM shift_log"), 3);
	assert_int_equal(store_batch_end(fx->st, true, &err), DD_EINVAL);
	digest(fx->st, d);
	assert_string_not_equal(d, digest0);
	memcpy(digest0, d, sizeof d);

	/* a batch ended without commit leaves nothing, and the chain goes on
	 * from what was committed */
	assert_int_equal(store_batch_begin(fx->st, &err), 0);
	add(fx, "丢弃一", T0 + 10, NULL);
	add(fx, "丢弃二", T0 + 11, NULL);
	assert_int_equal(store_event_count(fx->st), 5);
	assert_int_equal(store_batch_end(fx->st, false, &err), 0);
	assert_int_equal(store_event_count(fx->st), 3);
	assert_int_equal(log_count(fx->st, NULL), 3);
	digest(fx->st, d);
	assert_string_equal(d, digest0);
	struct dd_event next;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "继续", strlen("继续"), NULL, T0 + 12, NULL, &next, &err), 0);
	assert_int_equal(next.seq, 4);
	assert_string_equal(next.prev, evs[2].hash);
	event_free(&next);

	/* a failed append inside a batch takes nothing with it and leaves
	 * the batch usable */
	assert_int_equal(store_batch_begin(fx->st, &err), 0);
	add(fx, "保留", T0 + 13, NULL);
	assert_int_equal(store_append_remote(fx->st, &evs[0], &err), DD_EDUP);
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "  ", 2, NULL, T0 + 14, NULL, &next, &err), DD_EINVAL);
	add(fx, "也保留", T0 + 15, NULL);
	assert_int_equal(store_batch_end(fx->st, true, &err), 0);
	assert_int_equal(side_int(db, "SELECT count(*) FROM events"), 6);
	assert_int_equal(side_int(db, "SELECT max(seq) FROM events"), 6);
	sqlite3_close(db);
	int64_t checked;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, 6);
	for (int i = 0; i < 3; i++)
		event_free(&evs[i]);
}

/* ---- shift-log queries -------------------------------------------------- */

struct collect {
	int n;
	struct dd_log_key keys[512];
	char texts[512][64];
};

static int collect_cb(const struct dd_log_row *row, void *ctx)
{
	struct collect *c = ctx;
	assert_true(c->n < 512);
	c->keys[c->n].at_ms = row->at_ms;
	memcpy(c->keys[c->n].id, row->id, sizeof row->id);
	snprintf(c->texts[c->n], sizeof c->texts[0], "%s", row->text);
	c->n++;
	return 0;
}

static void scan(struct dd_store *st, const struct dd_log_filter *f, const struct dd_log_key *key,
		 bool backward, int limit, struct collect *c)
{
	struct dd_error err;
	int rc = store_log_scan(st, f, key, backward, limit, collect_cb, c, &err);
	if (rc)
		fail_msg("scan: %s", err.msg);
}

static int key_cmp(const struct dd_log_key *a, const struct dd_log_key *b)
{
	if (a->at_ms != b->at_ms)
		return a->at_ms < b->at_ms ? -1 : 1;
	return strcmp(a->id, b->id);
}

static void paginate(struct dd_store *st, const struct dd_log_filter *f, bool backward, struct collect *out)
{
	out->n = 0;
	struct dd_log_key key;
	bool have_key = false;
	for (;;) {
		struct collect page;
		page.n = 0;
		scan(st, f, have_key ? &key : NULL, backward, 7, &page);
		assert_true(page.n <= 7);
		for (int i = 0; i < page.n; i++) {
			assert_true(out->n < 512);
			out->keys[out->n] = page.keys[i];
			memcpy(out->texts[out->n], page.texts[i], sizeof page.texts[i]);
			out->n++;
		}
		if (page.n == 0)
			break;
		key = page.keys[page.n - 1];
		have_key = true;
	}
}

static void test_scan_pagination(void **state)
{
	struct fx *fx = *state;
	rng_state = 7;
	open_store(fx, DD_STORE_CREATE);
	enum { N = 200 };
	for (int i = 0; i < N; i++) {
		char text[64];
		snprintf(text, sizeof text, "条目 %03d", i);
		/* many entries share a millisecond, so the id breaks ties */
		int64_t at = T0 + (int64_t)(rng() % 40) * MIN_MS;
		snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "%s", i % 3 ? "张伟" : "李雷");
		add(fx, text, at, NULL);
	}
	struct dd_log_filter all;
	store_log_filter_init(&all);
	static struct collect big, paged, back_big, back_paged;
	big.n = 0;
	scan(fx->st, &all, NULL, false, 100000, &big);
	assert_int_equal(big.n, N);
	for (int i = 1; i < N; i++)
		assert_true(key_cmp(&big.keys[i - 1], &big.keys[i]) < 0);
	/* ties did happen */
	int ties = 0;
	for (int i = 1; i < N; i++)
		ties += big.keys[i - 1].at_ms == big.keys[i].at_ms;
	assert_true(ties > 100);

	paginate(fx->st, &all, false, &paged);
	assert_int_equal(paged.n, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(paged.keys[i].at_ms, big.keys[i].at_ms);
		assert_string_equal(paged.keys[i].id, big.keys[i].id);
		assert_string_equal(paged.texts[i], big.texts[i]);
	}

	back_big.n = 0;
	scan(fx->st, &all, NULL, true, 100000, &back_big);
	assert_int_equal(back_big.n, N);
	paginate(fx->st, &all, true, &back_paged);
	assert_int_equal(back_paged.n, N);
	for (int i = 0; i < N; i++) {
		assert_string_equal(back_big.keys[i].id, big.keys[N - 1 - i].id);
		assert_string_equal(back_paged.keys[i].id, big.keys[N - 1 - i].id);
	}

	/* from the middle, both ways */
	struct collect c;
	c.n = 0;
	scan(fx->st, &all, &big.keys[99], false, 3, &c);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.keys[0].id, big.keys[100].id);
	assert_string_equal(c.keys[2].id, big.keys[102].id);
	c.n = 0;
	scan(fx->st, &all, &big.keys[99], true, 3, &c);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.keys[0].id, big.keys[98].id);
	assert_string_equal(c.keys[2].id, big.keys[96].id);

	/* paging with a filter gives the filtered big scan */
	struct dd_log_filter f;
	store_log_filter_init(&f);
	f.officer = "李雷";
	big.n = 0;
	scan(fx->st, &f, NULL, false, 100000, &big);
	assert_int_equal(big.n, (N + 2) / 3);
	paginate(fx->st, &f, false, &paged);
	assert_int_equal(paged.n, big.n);
	for (int i = 0; i < big.n; i++)
		assert_string_equal(paged.keys[i].id, big.keys[i].id);
	assert_int_equal(log_count(fx->st, &f), big.n);

	/* a callback can stop the scan */
	c.n = 0;
	struct dd_error err;
	assert_int_equal(store_log_scan(fx->st, &all, NULL, false, 50, collect_cb, &c, &err), 0);
	assert_int_equal(c.n, 50);
}

static int stop_after_two(const struct dd_log_row *row, void *ctx)
{
	(void)row;
	int *n = ctx;
	return ++*n == 2;
}

/* The fixed data set of the filter tests: index, minute, officer, text, drill. */
static const struct {
	int minute;
	const char *officer;
	const char *text;
	int drill;
} rows[] = {
	{ 0, "张伟", "接警：火灾 FIRE at warehouse", 0 },
	{ 10, "Li Lei", "call-out to 消防 station", 0 },
	{ 20, "张伟", "note: all clear", 1 },
	{ 30, "Li Lei", "Fire drill scenario 演练", 1 },
	{ 40, "张伟", "handover to 李雷 100%_done", 0 },
	{ 40, "Li Lei", "fire out", 0 },
};
#define N_ROWS (int)(sizeof rows / sizeof rows[0])

static void expect_rows(struct fx *fx, const struct dd_log_filter *f, char ids[][DD_UUID_LEN + 1],
			const int *want, int nwant)
{
	struct collect c;
	c.n = 0;
	scan(fx->st, f, NULL, false, 1000, &c);
	if (c.n != nwant)
		fail_msg("got %d rows, want %d", c.n, nwant);
	/* rows 4 and 5 share a millisecond; compare as sets there */
	for (int i = 0; i < nwant; i++) {
		bool found = false;
		for (int j = 0; j < c.n; j++)
			found |= strcmp(c.keys[j].id, ids[want[i]]) == 0;
		if (!found)
			fail_msg("row %d missing", want[i]);
	}
	assert_int_equal(log_count(fx->st, f), nwant);
}

static void test_scan_filters(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	char ids[N_ROWS][DD_UUID_LEN + 1];
	for (int i = 0; i < N_ROWS; i++)
		add_direct(fx, rows[i].officer, rows[i].text, T0 + rows[i].minute * MIN_MS, rows[i].drill, ids[i]);

	struct dd_log_filter f;
	store_log_filter_init(&f);
	assert_int_equal(f.since_ms, INT64_MIN);
	assert_int_equal(f.until_ms, INT64_MAX);
	assert_null(f.officer);
	assert_null(f.grep);
	assert_int_equal(f.drill, -1);
	expect_rows(fx, &f, ids, (const int[]){ 0, 1, 2, 3, 4, 5 }, 6);

	/* since and until are both inclusive */
	f.since_ms = T0 + 20 * MIN_MS;
	expect_rows(fx, &f, ids, (const int[]){ 2, 3, 4, 5 }, 4);
	f.since_ms = T0 + 20 * MIN_MS + 1;
	expect_rows(fx, &f, ids, (const int[]){ 3, 4, 5 }, 3);
	store_log_filter_init(&f);
	f.until_ms = T0 + 20 * MIN_MS;
	expect_rows(fx, &f, ids, (const int[]){ 0, 1, 2 }, 3);
	f.until_ms = T0 + 20 * MIN_MS - 1;
	expect_rows(fx, &f, ids, (const int[]){ 0, 1 }, 2);
	f.since_ms = T0 + 10 * MIN_MS;
	f.until_ms = T0 + 30 * MIN_MS;
	expect_rows(fx, &f, ids, (const int[]){ 1, 2, 3 }, 3);
	f.since_ms = T0 + 31 * MIN_MS;
	f.until_ms = T0 + 30 * MIN_MS;
	expect_rows(fx, &f, ids, NULL, 0);

	/* officer: exact */
	store_log_filter_init(&f);
	f.officer = "张伟";
	expect_rows(fx, &f, ids, (const int[]){ 0, 2, 4 }, 3);
	f.officer = "Li";
	expect_rows(fx, &f, ids, NULL, 0);

	/* grep: substring, ASCII case-blind, text or officer; not a pattern */
	store_log_filter_init(&f);
	f.grep = "fire";
	expect_rows(fx, &f, ids, (const int[]){ 0, 3, 5 }, 3);
	f.grep = "FIRE";
	expect_rows(fx, &f, ids, (const int[]){ 0, 3, 5 }, 3);
	f.grep = "火灾";
	expect_rows(fx, &f, ids, (const int[]){ 0 }, 1);
	f.grep = "li lei";
	expect_rows(fx, &f, ids, (const int[]){ 1, 3, 5 }, 3);
	f.grep = "%";
	expect_rows(fx, &f, ids, (const int[]){ 4 }, 1);
	f.grep = "_d";
	expect_rows(fx, &f, ids, (const int[]){ 4 }, 1);
	f.grep = "f%e";
	expect_rows(fx, &f, ids, NULL, 0);
	f.grep = "nothing like this";
	expect_rows(fx, &f, ids, NULL, 0);

	/* drill */
	store_log_filter_init(&f);
	f.drill = 1;
	expect_rows(fx, &f, ids, (const int[]){ 2, 3 }, 2);
	f.drill = 0;
	expect_rows(fx, &f, ids, (const int[]){ 0, 1, 4, 5 }, 4);

	/* together */
	f.drill = 0;
	f.officer = "Li Lei";
	f.grep = "fire";
	expect_rows(fx, &f, ids, (const int[]){ 5 }, 1);
	f.since_ms = T0 + 41 * MIN_MS;
	expect_rows(fx, &f, ids, NULL, 0);

	/* a row carries what was stored */
	store_log_filter_init(&f);
	f.grep = "演练";
	struct collect c;
	c.n = 0;
	scan(fx->st, &f, NULL, false, 10, &c);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.texts[0], rows[3].text);
	assert_int_equal(c.keys[0].at_ms, T0 + 30 * MIN_MS);
	int stopped = 0;
	struct dd_error err;
	store_log_filter_init(&f);
	assert_int_equal(store_log_scan(fx->st, &f, NULL, false, 10, stop_after_two, &stopped, &err), 0);
	assert_int_equal(stopped, 2);
}

static int row_fields_cb(const struct dd_log_row *row, void *ctx)
{
	struct dd_log_row *out = ctx;
	assert_string_equal(row->id, out->id);
	assert_int_equal(row->at_ms, out->at_ms);
	assert_string_equal(row->at, out->at);
	assert_string_equal(row->officer, out->officer);
	assert_string_equal(row->org, out->org);
	assert_string_equal(row->kind, out->kind);
	assert_string_equal(row->text, out->text);
	assert_string_equal(row->corrects, out->corrects);
	assert_int_equal(row->drill, out->drill);
	out->drill = 99; /* seen */
	return 0;
}

static void test_scan_row_fields(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	char first[DD_UUID_LEN + 1];
	add(fx, "原始记录", T0, first);
	struct dd_event ev;
	struct dd_error err;
	/* 2026-11-26T08:45:30.250+08:00 */
	int64_t at = T0 + 45 * MIN_MS + 30250;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "更正：地址为龙溪街道", strlen("更正：地址为龙溪街道"),
				      "call-out", at, first, &ev, &err), 0);
	struct dd_log_row want = {
		.at_ms = at, .at = "2026-11-26T08:45:30.250+08:00", .officer = "张伟", .org = "cq.yubei",
		.kind = "call-out", .text = "更正：地址为龙溪街道", .corrects = first, .drill = 0,
	};
	memcpy(want.id, ev.id, sizeof want.id);
	struct dd_log_key key = { T0, "" };
	memcpy(key.id, first, sizeof key.id);
	struct dd_log_filter f;
	store_log_filter_init(&f);
	assert_int_equal(store_log_scan(fx->st, &f, &key, false, 10, row_fields_cb, &want, &err), 0);
	assert_int_equal(want.drill, 99);
	event_free(&ev);
}

static void test_log_resolve(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1], out[DD_UUID_LEN + 1];
	add(fx, "一", T0, a);
	add(fx, "二", T0 + 1, b);
	struct dd_error err;
	assert_int_equal(store_log_resolve(fx->st, a, out, &err), 0);
	assert_string_equal(out, a);
	assert_int_equal(store_log_resolve(fx->st, shiftlog_short_id(b), out, &err), 0);
	assert_string_equal(out, b);

	/* two entries whose ids end alike, from another console */
	static const char *const twins[] = {
		"01a21542-5b40-7a11-8c22-0000deadbeef",
		"01a21542-5b41-7a11-8c22-0001deadbeef",
	};
	char prev[DD_HASH_HEX + 1];
	memcpy(prev, DD_GENESIS_PREV, sizeof prev);
	for (int i = 0; i < 2; i++) {
		struct dd_event ev;
		event_init(&ev);
		snprintf(ev.id, sizeof ev.id, "%s", twins[i]);
		snprintf(ev.origin, sizeof ev.origin, "0194d6e0-0000-7000-8000-00000000c0de");
		ev.seq = i + 1;
		ev.hlc = hlc_make(T0, (uint32_t)i);
		snprintf(ev.at, sizeof ev.at, "2026-11-26T08:00:0%d+08:00", i);
		snprintf(ev.actor, sizeof ev.actor, "李雷");
		snprintf(ev.org, sizeof ev.org, "cq.yubei");
		snprintf(ev.kind, sizeof ev.kind, "log.entry");
		ev.body = json_pack("{s:i, s:s, s:s}", "v", 1, "kind", "note", "text", "twin");
		memcpy(ev.prev, prev, sizeof prev);
		assert_int_equal(event_seal(&ev, NULL), 0);
		memcpy(prev, ev.hash, sizeof prev);
		if (store_append_remote(fx->st, &ev, &err))
			fail_msg("%s", err.msg);
		event_free(&ev);
	}
	memset(out, 0, sizeof out);
	assert_int_equal(store_log_resolve(fx->st, "deadbeef", out, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "deadbeef matches several entries"));
	assert_int_equal(store_log_resolve(fx->st, twins[1], out, &err), 0);
	assert_string_equal(out, twins[1]);

	/* not found */
	assert_int_equal(store_log_resolve(fx->st, "00000000", out, &err), DD_ENOTFOUND);
	assert_non_null(strstr(err.msg, "00000000"));
	assert_int_equal(store_log_resolve(fx->st, "01a21542-5b40-7a11-8c22-0000deadbee0", out, &err),
			 DD_ENOTFOUND);
	/* not an id at all */
	assert_int_equal(store_log_resolve(fx->st, "DEADBEEF", out, &err), DD_EINVAL);
	assert_int_equal(store_log_resolve(fx->st, "deadbee", out, &err), DD_EINVAL);
	assert_int_equal(store_log_resolve(fx->st, "deadbeef0", out, &err), DD_EINVAL);
	assert_int_equal(store_log_resolve(fx->st, "xyzxyzxy", out, &err), DD_EINVAL);
	assert_int_equal(store_log_resolve(fx->st, "'; --  ", out, &err), DD_EINVAL);
	assert_int_equal(store_log_resolve(fx->st, "", out, &err), DD_EINVAL);
}

/* ---- locks and read-only ------------------------------------------------ */

static void test_busy(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	add(fx, "before the lock", T0, NULL);
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "BEGIN IMMEDIATE");
	/* readers are not blocked by a writer (WAL) */
	assert_int_equal(log_count(fx->st, NULL), 1);
	/* a writer waits out the busy timeout (5 s), then fails cleanly */
	struct dd_error err;
	struct dd_event ev;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "blocked", 7, NULL, T0 + 1, NULL, &ev, &err), DD_EBUSY);
	assert_int_equal(err.code, DD_EBUSY);
	assert_non_null(strstr(err.msg, "locked"));
	side_exec(db, "ROLLBACK");
	sqlite3_close(db);
	assert_int_equal(store_event_count(fx->st), 1);
	assert_int_equal(log_count(fx->st, NULL), 1);
	/* and the store is usable afterwards */
	add(fx, "after the lock", T0 + 2, NULL);
	assert_int_equal(store_event_count(fx->st), 2);
	int64_t checked;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, 2);
}

static void test_readonly(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	add(fx, "一", T0, NULL);
	add(fx, "二", T0 + 1, NULL);
	char before[DD_HASH_HEX + 1], after[DD_HASH_HEX + 1];
	digest(fx->st, before);
	close_store(fx);

	open_store(fx, DD_STORE_READONLY);
	struct dd_error err;
	struct dd_event ev;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "三", 3, NULL, T0 + 2, NULL, &ev, &err), DD_EREADONLY);
	assert_int_equal(err.code, DD_EREADONLY);
	assert_non_null(strstr(err.msg, "nothing was written"));
	assert_int_equal(store_rebuild(fx->st, &err), DD_EREADONLY);
	/* reading still works */
	assert_int_equal(store_event_count(fx->st), 2);
	assert_int_equal(log_count(fx->st, NULL), 2);
	int64_t checked;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, 2);
	digest(fx->st, after);
	assert_string_equal(before, after);
	close_store(fx);

	open_store(fx, 0);
	assert_int_equal(store_event_count(fx->st), 2);
	digest(fx->st, after);
	assert_string_equal(before, after);
}

/* ---- banners and data version ------------------------------------------- */

static void test_banners(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	struct dd_banners b;
	struct dd_error err;
	memset(&b, 'x', sizeof b);
	assert_int_equal(store_banners(fx->st, T0, &b, &err), 0);
	assert_string_equal(b.period, "");
	assert_string_equal(b.drill, "");
	assert_int_equal(b.period_end_ms, 0);

	sqlite3 *db = side_open(fx->db);
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "INSERT INTO protection_periods(id, name, start_ms, end_ms, scope) VALUES('p1', '进博会保障', %lld, %lld, 'cq');"
		 "INSERT INTO protection_periods(id, name, start_ms, end_ms, scope) VALUES('p2', '春运', %lld, %lld, 'cq');"
		 "INSERT INTO drill_runs(id, name, started_ms, ended_ms) VALUES('d1', '消防演练 A', %lld, NULL);"
		 "INSERT INTO drill_runs(id, name, started_ms, ended_ms) VALUES('d2', '防汛演练', %lld, NULL);"
		 "INSERT INTO drill_runs(id, name, started_ms, ended_ms) VALUES('d3', '已结束演练', %lld, %lld);",
		 (long long)(T0 - DAY_MS), (long long)(T0 + DAY_MS),
		 (long long)(T0 + 12 * 3600000), (long long)(T0 + 30 * DAY_MS),
		 (long long)(T0 - 3600000),
		 (long long)(T0 + 3600000),
		 (long long)(T0 - 7200000), (long long)(T0 + 7200000));
	side_exec(db, sql);
	sqlite3_close(db);

	/* before anything starts */
	assert_int_equal(store_banners(fx->st, T0 - 2 * DAY_MS, &b, &err), 0);
	assert_string_equal(b.period, "");
	assert_string_equal(b.drill, "");
	/* one period, one drill running (the ended one does not count) */
	assert_int_equal(store_banners(fx->st, T0, &b, &err), 0);
	assert_string_equal(b.period, "进博会保障");
	assert_int_equal(b.period_end_ms, T0 + DAY_MS);
	assert_string_equal(b.drill, "消防演练 A");
	/* two periods overlap: the one ending first; the latest drill */
	assert_int_equal(store_banners(fx->st, T0 + 13 * 3600000, &b, &err), 0);
	assert_string_equal(b.period, "进博会保障");
	assert_string_equal(b.drill, "防汛演练");
	/* a period's end is exclusive, its start inclusive */
	assert_int_equal(store_banners(fx->st, T0 + DAY_MS, &b, &err), 0);
	assert_string_equal(b.period, "春运");
	assert_int_equal(b.period_end_ms, T0 + 30 * DAY_MS);
	assert_int_equal(store_banners(fx->st, T0 + 30 * DAY_MS, &b, &err), 0);
	assert_string_equal(b.period, "");
	assert_int_equal(store_banners(fx->st, T0 - DAY_MS, &b, &err), 0);
	assert_string_equal(b.period, "进博会保障");
	/* a drill starting exactly now is running */
	assert_int_equal(store_banners(fx->st, T0 - 3600000, &b, &err), 0);
	assert_string_equal(b.drill, "消防演练 A");
	assert_int_equal(store_banners(fx->st, T0 - 3600001, &b, &err), 0);
	assert_string_equal(b.drill, "");
}

static void test_data_version(void **state)
{
	struct fx *fx = *state;
	open_store(fx, DD_STORE_CREATE);
	int64_t v0 = store_data_version(fx->st);
	assert_true(v0 >= 0);
	assert_int_equal(store_data_version(fx->st), v0);
	sqlite3 *db = side_open(fx->db);
	side_exec(db, "INSERT INTO drill_runs(id, name, started_ms, ended_ms) VALUES('d1', 'x', 0, NULL)");
	sqlite3_close(db);
	assert_int_not_equal(store_data_version(fx->st), v0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_open_create_modes),
		TEST(test_open_missing),
		TEST(test_migrate_empty_file),
		TEST(test_refuse_foreign_sqlite),
		TEST(test_refuse_newer_schema),
		TEST(test_refuse_garbage),
		TEST(test_events_append_only),
		TEST(test_digest_empty),
		TEST(test_rebuild_equals_incremental),
		TEST(test_verify_good),
		TEST(test_verify_tampered_body),
		TEST(test_verify_tampered_and_resealed),
		TEST(test_verify_deleted_rows),
		TEST(test_verify_body_not_json),
		TEST(test_verify_swapped_rows),
		TEST(test_append_remote),
		TEST(test_remote_clock_ahead),
		TEST(test_batch),
		TEST(test_scan_pagination),
		TEST(test_scan_filters),
		TEST(test_scan_row_fields),
		TEST(test_log_resolve),
		TEST(test_busy),
		TEST(test_readonly),
		TEST(test_banners),
		TEST(test_data_version),
	};
	/* DD_TEST_FILTER=test_busy runs one test (cmocka's glob). */
	if (getenv("DD_TEST_FILTER"))
		cmocka_set_test_filter(getenv("DD_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
