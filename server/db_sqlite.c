/*
 * db_sqlite.c — the embedded backend of db.h: one SQLite file in WAL
 * mode, so readers (long-polls, pulls) never wait for the writer and the
 * writer never waits for them.
 *
 * Invariants: events and tokens live in one file with its own schema
 * version (user_version), separate from any console database; events
 * are insert-only (triggers refuse UPDATE and DELETE); gseq is the
 * table's INTEGER PRIMARY KEY, assigned in commit order because SQLite
 * has one writer at a time.  Statements are prepared once per session.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "dutydesk/config.h"
#include "dutydesk/timefmt.h"

#define SCHEMA_VERSION 2
#define BUSY_MS 5000

static const char schema[] =
	"CREATE TABLE events("
	"  gseq INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  origin TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  org TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  received_ms INTEGER NOT NULL,"
	"  json TEXT NOT NULL,"
	"  UNIQUE(origin, seq));"
	"CREATE INDEX events_org ON events(org, gseq);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TABLE tokens("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  org TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  created_ms INTEGER NOT NULL,"
	"  revoked_ms INTEGER NOT NULL DEFAULT 0);";

/* Version 2: who else an event is addressed to (scope_addressees), and
 * each incident's reporting org.  Events stored before it are served to
 * the readers of their own org only. */
static const char schema_2[] =
	"CREATE TABLE addressed("
	"  gseq INTEGER NOT NULL,"
	"  org TEXT NOT NULL,"
	"  subtree INTEGER NOT NULL,"
	"  PRIMARY KEY(gseq, org)) WITHOUT ROWID;"
	"CREATE TABLE incident_orgs("
	"  incident TEXT PRIMARY KEY,"
	"  org TEXT NOT NULL) WITHOUT ROWID;";

enum stmt {
	S_EVENT_AT,
	S_EVENT_BY_ID,
	S_CHAIN_HEAD,
	S_INSERT,
	S_AFTER_ALL,
	S_AFTER_SCOPE,
	S_COUNT_ALL,
	S_COUNT_SCOPE,
	S_TOKEN_BY_HASH,
	S_LAST,
	S_ADDRESS,
	S_INCIDENT_PUT,
	S_INCIDENT_GET,
	S_COUNT
};

/* A scope is the org itself or anything under "org."; the range
 * [org".", org"/") holds exactly those ids ('/' follows '.'), and unlike
 * LIKE it has no wildcard to escape ('_' is legal in an org id). */
#define IN_SCOPE "(org = ?2 OR (org >= ?2 || '.' AND org < ?2 || '/'))"
/* Addressed to an org in scope, or to a subtree that holds scope. */
#define ADDRESSED \
	"EXISTS (SELECT 1 FROM addressed a WHERE a.gseq = events.gseq AND" \
	" (a.org = ?2 OR (a.org >= ?2 || '.' AND a.org < ?2 || '/')" \
	"  OR (a.subtree AND ?2 >= a.org || '.' AND ?2 < a.org || '/')))"
#define READABLE "(" IN_SCOPE " OR " ADDRESSED ")"
/* struct db_skip; no event has origin "". */
#define NOT_SKIPPED "NOT (origin = ?4 AND seq <= ?5)"

static const char *const sql[S_COUNT] = {
	[S_EVENT_AT] = "SELECT id, hash FROM events WHERE origin = ? AND seq = ?",
	[S_EVENT_BY_ID] = "SELECT origin, seq, hash FROM events WHERE id = ?",
	[S_CHAIN_HEAD] = "SELECT seq, hash FROM events WHERE origin = ? ORDER BY seq DESC LIMIT 1",
	[S_INSERT] = "INSERT INTO events(id, origin, seq, org, kind, hash, received_ms, json)"
		     " VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
	[S_AFTER_ALL] = "SELECT gseq, json FROM events WHERE gseq > ?1 AND " NOT_SKIPPED " ORDER BY gseq LIMIT ?3",
	[S_AFTER_SCOPE] = "SELECT gseq, json FROM events WHERE gseq > ?1 AND " READABLE " AND " NOT_SKIPPED
			  " ORDER BY gseq LIMIT ?3",
	[S_COUNT_ALL] = "SELECT count(*) FROM events WHERE gseq > ?1 AND " NOT_SKIPPED,
	[S_COUNT_SCOPE] = "SELECT count(*) FROM events WHERE gseq > ?1 AND " READABLE " AND " NOT_SKIPPED,
	[S_LAST] = "SELECT coalesce(max(gseq), 0) FROM events",
	[S_ADDRESS] = "INSERT OR IGNORE INTO addressed(gseq, org, subtree) VALUES(?, ?, ?)",
	[S_INCIDENT_PUT] = "INSERT OR IGNORE INTO incident_orgs(incident, org) VALUES(?, ?)",
	[S_INCIDENT_GET] = "SELECT org FROM incident_orgs WHERE incident = ?",
	[S_TOKEN_BY_HASH] = "SELECT id, name, org, role, hash, created_ms, revoked_ms FROM tokens WHERE hash = ?",
};

struct db_session {
	sqlite3 *db;
	char path[DD_PATH_MAX];
	sqlite3_stmt *stmt[S_COUNT];
};

static int fail(struct db_session *s, int rc, struct dd_error *err, const char *what)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return dd_fail(err, DD_EBUSY, "%s: database busy while %s", s->path, what);
	case SQLITE_FULL:
		return dd_fail(err, DD_ENOSPC, "%s: disk full while %s", s->path, what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return dd_fail(err, DD_ECORRUPT, "%s: damaged or not a database (%s)", s->path, sqlite3_errmsg(s->db));
	default:
		return dd_fail(err, DD_EIO, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	}
}

static int exec(struct db_session *s, const char *q, struct dd_error *err)
{
	int rc = sqlite3_exec(s->db, q, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : fail(s, rc, err, q);
}

static int stmt(struct db_session *s, enum stmt which, sqlite3_stmt **out, struct dd_error *err)
{
	if (!s->stmt[which]) {
		int rc = sqlite3_prepare_v3(s->db, sql[which], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[which], NULL);
		if (rc != SQLITE_OK)
			return fail(s, rc, err, "preparing a query");
	}
	*out = s->stmt[which];
	return 0;
}

static void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void sq_close(struct db_session *s)
{
	if (!s)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s);
}

static int migrate(struct db_session *s, struct dd_error *err)
{
	int rc = exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	sqlite3_stmt *st = NULL;
	int version = 0, tables = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT (SELECT user_version FROM pragma_user_version),"
				      " (SELECT count(*) FROM sqlite_schema)", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		version = sqlite3_column_int(st, 0);
		tables = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (version == 0 && tables > 0)
		rc = dd_fail(err, DD_ECORRUPT, "%s: an SQLite database but not dutydeskd's; left untouched", s->path);
	else if (version > SCHEMA_VERSION)
		rc = dd_fail(err, DD_ECORRUPT, "%s: schema version %d is newer than this dutydeskd (%d)", s->path,
			     version, SCHEMA_VERSION);
	else if (version == 0)
		rc = exec(s, schema, err);
	if (rc == 0 && version < 2 && !(rc = exec(s, schema_2, err)))
		rc = exec(s, "PRAGMA user_version = 2", err);
	if (rc) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return exec(s, "COMMIT", err);
}

static int sq_open(const char *path, struct db_session **out, struct dd_error *err)
{
	*out = NULL;
	int rc = dd_mkdir_parents(path, err);
	if (rc)
		return rc;
	/* The file holds token hashes: private from the start, not after
	 * SQLite has created it with the umask's mode.  Only when it is
	 * missing: close() on a descriptor of the file drops every POSIX lock
	 * this process holds on it, those of the other sessions' SQLite
	 * connections included, after which another process may take itself
	 * for the last user, checkpoint and delete the WAL under our feet. */
	struct stat sb;
	if (stat(path, &sb) != 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 && errno != EEXIST)
			return dd_fail(err, DD_EIO, "%s: cannot create: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}

	struct db_session *s = calloc(1, sizeof *s);
	if (!s)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	snprintf(s->path, sizeof s->path, "%s", path);
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = fail(s, rc, err, "opening");
		sq_close(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, BUSY_MS);
	sqlite3_extended_result_codes(s->db, 1);
	/* synchronous=FULL: an answer "accepted" means on disk, so a console
	 * may forget nothing it was told the server has. */
	/* A cache of 64 MiB (the default is 2 MiB) holds the id and
	 * (origin, seq) indexes of a few hundred thousand events, which
	 * every push looks up and inserts into at random places; and the
	 * file is mapped, so the pages a session rereads after another
	 * session's commit are not copied in by read() each time. */
	if ((rc = exec(s, "PRAGMA journal_mode=WAL", err)) || (rc = exec(s, "PRAGMA synchronous=FULL", err)) ||
	    (rc = exec(s, "PRAGMA cache_size=-65536", err)) || (rc = exec(s, "PRAGMA mmap_size=1073741824", err)) ||
	    (rc = migrate(s, err))) {
		sq_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int sq_begin(struct db_session *s, bool write, struct dd_error *err)
{
	return exec(s, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static int sq_commit(struct db_session *s, struct dd_error *err)
{
	return exec(s, "COMMIT", err);
}

static void sq_rollback(struct db_session *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	snprintf(dst, cap, "%s", v ? v : "");
}

static int sq_event_at(struct db_session *s, const char *origin, int64_t seq, bool *found,
		       char id[DD_UUID_LEN + 1], char hash[DD_HASH_HEX + 1], struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_EVENT_AT, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found) {
		copy_col(st, 0, id, DD_UUID_LEN + 1);
		copy_col(st, 1, hash, DD_HASH_HEX + 1);
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, rc, err, "looking up an event");
	done(st);
	return rc;
}

static int sq_event_by_id(struct db_session *s, const char *id, bool *found, char origin[DD_UUID_LEN + 1],
			  int64_t *seq, char hash[DD_HASH_HEX + 1], struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_EVENT_BY_ID, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found) {
		copy_col(st, 0, origin, DD_UUID_LEN + 1);
		*seq = sqlite3_column_int64(st, 1);
		copy_col(st, 2, hash, DD_HASH_HEX + 1);
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, rc, err, "looking up an event id");
	done(st);
	return rc;
}

static int sq_chain_head(struct db_session *s, const char *origin, int64_t *seq, char hash[DD_HASH_HEX + 1],
			 struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_CHAIN_HEAD, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*seq = 0;
	memcpy(hash, DD_GENESIS_PREV, DD_HASH_HEX + 1);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		copy_col(st, 1, hash, DD_HASH_HEX + 1);
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, rc, err, "reading a chain head");
	done(st);
	return rc;
}

static int sq_event_insert(struct db_session *s, const struct dd_event *ev, const char *json, int64_t *gseq,
			   struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_INSERT, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ev->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ev->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ev->seq);
	sqlite3_bind_text(st, 4, ev->org, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ev->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ev->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, time_now_ms());
	sqlite3_bind_text(st, 8, json, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	done(st);
	if (rc != SQLITE_DONE)
		return (rc & 0xff) == SQLITE_CONSTRAINT ? dd_fail(err, DD_EDUP, "event %s is already stored", ev->id)
							 : fail(s, rc, err, "storing an event");
	*gseq = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sq_event_address(struct db_session *s, int64_t gseq, const char *org, bool subtree, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_ADDRESS, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, gseq);
	sqlite3_bind_text(st, 2, org, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, subtree);
	rc = sqlite3_step(st);
	done(st);
	return rc == SQLITE_DONE ? 0 : fail(s, rc, err, "storing whom an event is addressed to");
}

static int sq_incident_org_put(struct db_session *s, const char *incident, const char *org, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_INCIDENT_PUT, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, incident, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, org, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	done(st);
	return rc == SQLITE_DONE ? 0 : fail(s, rc, err, "storing an incident's org");
}

static int sq_incident_org_get(struct db_session *s, const char *incident, bool *found, char org[DD_ORG_MAX + 1],
			       struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_INCIDENT_GET, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, incident, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		copy_col(st, 0, org, DD_ORG_MAX + 1);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, rc, err, "looking up an incident's org");
	done(st);
	return rc;
}

static void bind_skip(sqlite3_stmt *st, const struct db_skip *skip)
{
	sqlite3_bind_text(st, 4, skip ? skip->origin : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, skip ? skip->through : 0);
}

static int sq_events_after(struct db_session *s, int64_t after, int limit, const char *scope,
			   const struct db_skip *skip, db_event_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, scope ? S_AFTER_SCOPE : S_AFTER_ALL, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, after);
	if (scope)
		sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit);
	bind_skip(st, skip);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), ctx))
			break;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, rc, err, "reading events");
	done(st);
	return rc;
}

static int sq_events_count_after(struct db_session *s, int64_t after, const char *scope, const struct db_skip *skip,
				 int64_t *n, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, scope ? S_COUNT_SCOPE : S_COUNT_ALL, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, after);
	if (scope)
		sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
	bind_skip(st, skip);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	rc = rc == SQLITE_ROW ? 0 : fail(s, rc, err, "counting events");
	done(st);
	return rc;
}

static int sq_last_gseq(struct db_session *s, int64_t *gseq, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_LAST, &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	*gseq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	rc = rc == SQLITE_ROW ? 0 : fail(s, rc, err, "reading the last event");
	done(st);
	return rc;
}

static int sq_token_add(struct db_session *s, struct db_token *t, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "INSERT INTO tokens(name, org, role, hash, created_ms) VALUES(?,?,?,?,?)",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc, err, "preparing a query");
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->org, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, t->created_ms);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(s, rc, err, "storing a token");
	t->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void token_row(sqlite3_stmt *st, struct db_token *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, t->name, sizeof t->name);
	copy_col(st, 2, t->org, sizeof t->org);
	copy_col(st, 3, t->role, sizeof t->role);
	copy_col(st, 4, t->hash, sizeof t->hash);
	t->created_ms = sqlite3_column_int64(st, 5);
	t->revoked_ms = sqlite3_column_int64(st, 6);
}

static int sq_token_by_hash(struct db_session *s, const char *hash, bool *found, struct db_token *t,
			    struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = stmt(s, S_TOKEN_BY_HASH, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		token_row(st, t);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, rc, err, "looking up a token");
	done(st);
	return rc;
}

static int sq_token_list(struct db_session *s, db_token_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "SELECT id, name, org, role, hash, created_ms, revoked_ms FROM tokens"
					   " ORDER BY id", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc, err, "preparing a query");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_token t;
		token_row(st, &t);
		if (cb(&t, ctx))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, rc, err, "listing tokens");
	sqlite3_finalize(st);
	return rc;
}

static int sq_token_revoke(struct db_session *s, const char *ref, int64_t now_ms, int *n, struct dd_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "UPDATE tokens SET revoked_ms = ?2 WHERE revoked_ms = 0 AND"
					   " (name = ?1 OR CAST(id AS TEXT) = ?1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc, err, "preparing a query");
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(s, rc, err, "revoking a token");
	*n = sqlite3_changes(s->db);
	return 0;
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.event_at = sq_event_at,
	.event_by_id = sq_event_by_id,
	.chain_head = sq_chain_head,
	.event_insert = sq_event_insert,
	.event_address = sq_event_address,
	.incident_org_put = sq_incident_org_put,
	.incident_org_get = sq_incident_org_get,
	.events_after = sq_events_after,
	.events_count_after = sq_events_count_after,
	.last_gseq = sq_last_gseq,
	.token_add = sq_token_add,
	.token_by_hash = sq_token_by_hash,
	.token_list = sq_token_list,
	.token_revoke = sq_token_revoke,
};
