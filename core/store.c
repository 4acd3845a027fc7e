/*
 * store.c — SQLite behind store.h: schema and migrations, the append-only
 * event log, projections, rebuild, verify and the shift-log queries.
 *
 * Invariants (see store.h): events are insert-only (triggers); an event
 * and its projection rows share one transaction; apply_event() is the
 * single place projections change, used both when appending and when
 * rebuilding, which is what makes the two paths give identical tables.
 *
 * The append path is what `dutydesk log` pays for on every call, so it
 * prepares only the statements it uses, reads the schema version once and
 * sets journal_mode only when creating (WAL mode persists in the file).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/drill.h"
#include "dutydesk/kinds.h"
#include "dutydesk/store.h"
#include "store_impl.h"
#include "dutydesk/timefmt.h"



/* The whole schema of each version, applied in order; a database at
 * version N runs migrations[N..] to reach DD_SCHEMA_VERSION. */
static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE events("
	"  id TEXT NOT NULL UNIQUE,"
	"  origin TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  hlc INTEGER NOT NULL,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  org TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  drill INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  prev TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  PRIMARY KEY(origin, seq)) WITHOUT ROWID;"
	/* The highest clock value seen from other origins; the local clock
	 * is the greater of this and the local chain head's. */
	"CREATE TABLE clock(one INTEGER PRIMARY KEY CHECK (one = 1), hlc INTEGER NOT NULL);"
	"INSERT INTO clock VALUES(1, 0);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TABLE shift_log("
	"  at_ms INTEGER NOT NULL,"
	"  id TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  officer TEXT NOT NULL,"
	"  org TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  corrects TEXT NOT NULL,"
	"  drill INTEGER NOT NULL,"
	"  PRIMARY KEY(at_ms, id)) WITHOUT ROWID;"
	"CREATE TABLE protection_periods("
	"  id TEXT PRIMARY KEY, name TEXT NOT NULL, start_ms INTEGER NOT NULL,"
	"  end_ms INTEGER NOT NULL, scope TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE drill_runs("
	"  id TEXT PRIMARY KEY, name TEXT NOT NULL, started_ms INTEGER NOT NULL,"
	"  ended_ms INTEGER) WITHOUT ROWID;",
	/* 2: incidents.  *_ver columns hold "hlc|origin|seq" (zero-padded) so
	 * last-writer-wins is a string comparison; "" means never written. */
	"CREATE INDEX events_subject ON events(subject, hlc) WHERE subject <> '';"
	"CREATE TABLE incidents("
	"  id TEXT PRIMARY KEY, title TEXT NOT NULL, category TEXT NOT NULL,"
	"  description TEXT NOT NULL, reporting_org TEXT NOT NULL, district TEXT NOT NULL,"
	"  objects TEXT NOT NULL, reporter TEXT NOT NULL, cii INTEGER NOT NULL,"
	"  occurred_ms INTEGER NOT NULL, detected_ms INTEGER NOT NULL, opened_ms INTEGER NOT NULL,"
	"  opened_by TEXT NOT NULL, open_hops TEXT NOT NULL,"
	"  status INTEGER NOT NULL, status_ver TEXT NOT NULL,"
	"  close_ms INTEGER NOT NULL, close_ver TEXT NOT NULL, summary_within_min INTEGER NOT NULL,"
	"  proposed_tier INTEGER NOT NULL, proposed_hops TEXT NOT NULL, proposed_ver TEXT NOT NULL,"
	"  confirmed_tier INTEGER NOT NULL, confirmed_hops TEXT NOT NULL, confirmed_ver TEXT NOT NULL,"
	"  tier INTEGER NOT NULL, tier_order INTEGER NOT NULL,"
	"  duplicate_of TEXT NOT NULL, duplicate_ver TEXT NOT NULL,"
	"  summary_ver TEXT NOT NULL, n_reports INTEGER NOT NULL,"
	"  next_due_ms INTEGER NOT NULL, next_due_what TEXT NOT NULL,"
	"  closed INTEGER NOT NULL, drill INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX incidents_queue ON incidents(closed, tier_order, next_due_ms, id);"
	"CREATE TABLE incident_hops("
	"  incident TEXT NOT NULL, ord INTEGER NOT NULL, hop TEXT NOT NULL, to_whom TEXT NOT NULL,"
	"  due_ms INTEGER NOT NULL, PRIMARY KEY(incident, ord)) WITHOUT ROWID;"
	"CREATE TABLE incident_hops_made("
	"  incident TEXT NOT NULL, hop TEXT NOT NULL, ver TEXT NOT NULL, made_ms INTEGER NOT NULL,"
	"  to_whom TEXT NOT NULL, via TEXT NOT NULL, by TEXT NOT NULL, note TEXT NOT NULL,"
	"  PRIMARY KEY(incident, hop)) WITHOUT ROWID;",
	/* 3: the roster (store_roster.c) and duty schedule (store_duty.c).
	 * A *key column is the org id with '.' as ' ', so ORDER BY key is
	 * the tree in pre-order and [key, key || '!') is a subtree.  hay and
	 * digits are what filter-as-you-type searches; *_ver as in 2. */
	"CREATE TABLE orgs("
	"  key TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, parent TEXT NOT NULL, kind TEXT NOT NULL,"
	"  name TEXT NOT NULL, name_en TEXT NOT NULL, pinyin TEXT NOT NULL, district TEXT NOT NULL,"
	"  retired INTEGER NOT NULL, hay TEXT NOT NULL, updated_ms INTEGER NOT NULL, ver TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX orgs_district ON orgs(district);"
	"CREATE TABLE liaisons("
	"  org_key TEXT NOT NULL, rank INTEGER NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL UNIQUE,"
	"  org TEXT NOT NULL, org_kind TEXT NOT NULL, district TEXT NOT NULL, role TEXT NOT NULL,"
	"  title TEXT NOT NULL, office TEXT NOT NULL, mobile TEXT NOT NULL, email TEXT NOT NULL, valid_from_ms INTEGER NOT NULL,"
	"  removed INTEGER NOT NULL, ver TEXT NOT NULL, hay TEXT NOT NULL, digits TEXT NOT NULL,"
	"  PRIMARY KEY(org_key, rank, name, id)) WITHOUT ROWID;"
	"CREATE INDEX liaisons_district ON liaisons(district);"
	"CREATE TABLE liaison_history("
	"  id TEXT NOT NULL, valid_from_ms INTEGER NOT NULL, ver TEXT NOT NULL, org TEXT NOT NULL,"
	"  role TEXT NOT NULL, name TEXT NOT NULL, title TEXT NOT NULL, office TEXT NOT NULL,"
	"  mobile TEXT NOT NULL, email TEXT NOT NULL, removed INTEGER NOT NULL,"
	"  PRIMARY KEY(id, valid_from_ms, ver)) WITHOUT ROWID;"
	"CREATE TABLE objects("
	"  id TEXT PRIMARY KEY, org TEXT NOT NULL, org_key TEXT NOT NULL, district TEXT NOT NULL,"
	"  kind TEXT NOT NULL, name TEXT NOT NULL, exposed INTEGER NOT NULL, note TEXT NOT NULL,"
	"  retired INTEGER NOT NULL, set_ver TEXT NOT NULL, important INTEGER NOT NULL,"
	"  assessed_ms INTEGER NOT NULL, assess_note TEXT NOT NULL, assess_ver TEXT NOT NULL,"
	"  ledger_rank INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX objects_ledger ON objects(district, ledger_rank, org_key, name, id);"
	"CREATE INDEX objects_org ON objects(org, name);"
	"CREATE TABLE calls("
	"  id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, callee TEXT NOT NULL, liaison TEXT NOT NULL,"
	"  direction TEXT NOT NULL, result TEXT NOT NULL, officer TEXT NOT NULL, incident TEXT NOT NULL,"
	"  text TEXT NOT NULL, drill INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX calls_callee ON calls(callee, at_ms);"
	"CREATE TABLE duty_shifts("
	"  id TEXT PRIMARY KEY, org TEXT NOT NULL, org_key TEXT NOT NULL, post TEXT NOT NULL,"
	"  start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, officers TEXT NOT NULL, leader TEXT NOT NULL,"
	"  phone TEXT NOT NULL, h24 INTEGER NOT NULL, change TEXT NOT NULL, reason TEXT NOT NULL,"
	"  by TEXT NOT NULL, changed_ms INTEGER NOT NULL, cancelled INTEGER NOT NULL, ver TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX duty_org ON duty_shifts(org, post, start_ms);"
	"CREATE INDEX duty_time ON duty_shifts(start_ms);",
	/* 4: sync with dutydeskd (store_sync.c): per server URL, the last
	 * global sequence pulled and the last seq of this console's origin
	 * acknowledged.  Local state, not a projection. */
	"CREATE TABLE sync_cursor(server TEXT PRIMARY KEY, pulled INTEGER NOT NULL,"
	"  pushed INTEGER NOT NULL) WITHOUT ROWID;",
	/* 5: the queue index covers every column the queue filters on, so a
	 * filter or a count reads the index, not the wide rows (descriptions
	 * of up to 8 KB put two incidents on a page). */
	"DROP INDEX incidents_queue;"
	"CREATE INDEX incidents_queue ON incidents(closed, tier_order, next_due_ms, id, duplicate_of, drill,"
	"  tier, status, district, reporting_org, title, objects, reporter);",
	/* 6: protection periods, zero reports, freeze warnings (store_zero.c)
	 * and advisories (store_advisory.c).  protection_periods existed
	 * since 1 for the banner; it gains the rest of a period's state. */
	"ALTER TABLE protection_periods ADD COLUMN tz TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE protection_periods ADD COLUMN times TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE protection_periods ADD COLUMN grace_min INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE protection_periods ADD COLUMN zero INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE protection_periods ADD COLUMN watch INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE protection_periods ADD COLUMN freeze INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE protection_periods ADD COLUMN by TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE protection_periods ADD COLUMN ver TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE period_scopes(period TEXT NOT NULL, prefix TEXT NOT NULL,"
	"  PRIMARY KEY(period, prefix)) WITHOUT ROWID;"
	"CREATE TABLE zero_reports("
	"  id TEXT PRIMARY KEY, period TEXT NOT NULL, org TEXT NOT NULL, slot_ms INTEGER NOT NULL,"
	"  at_ms INTEGER NOT NULL, by TEXT NOT NULL, via TEXT NOT NULL, nil INTEGER NOT NULL,"
	"  incidents TEXT NOT NULL, reporter TEXT NOT NULL, note TEXT NOT NULL, corrects TEXT NOT NULL,"
	"  ver TEXT NOT NULL, drill INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX zero_reports_slot ON zero_reports(period, slot_ms, org, ver);"
	"CREATE TABLE freeze_warnings("
	"  id TEXT PRIMARY KEY, period TEXT NOT NULL, object TEXT NOT NULL, object_name TEXT NOT NULL,"
	"  org TEXT NOT NULL, change TEXT NOT NULL, event TEXT NOT NULL, at_ms INTEGER NOT NULL,"
	"  by TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE advisories("
	"  id TEXT PRIMARY KEY, title TEXT NOT NULL, level TEXT NOT NULL, products TEXT NOT NULL,"
	"  action TEXT NOT NULL, issued_ms INTEGER NOT NULL, deadline_ms INTEGER NOT NULL,"
	"  issuer TEXT NOT NULL, by TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE advisory_to(advisory TEXT NOT NULL, prefix TEXT NOT NULL,"
	"  PRIMARY KEY(advisory, prefix)) WITHOUT ROWID;"
	"CREATE TABLE advisory_answers("
	"  advisory TEXT NOT NULL, org TEXT NOT NULL, acked_ms INTEGER NOT NULL, ack_ver TEXT NOT NULL,"
	"  reported_ms INTEGER NOT NULL, affected INTEGER NOT NULL, measures TEXT NOT NULL,"
	"  done_ms INTEGER NOT NULL, report_ver TEXT NOT NULL, PRIMARY KEY(advisory, org)) WITHOUT ROWID;",
	/* 7: handovers (store_handover.c).  submit_ver is the latest
	 * handover.submit's version, accept_ver the earliest handover.accept's;
	 * a row per (handover, desk org), so an event from another org never
	 * changes a desk's handover. */
	"CREATE TABLE handovers("
	"  id TEXT NOT NULL, org TEXT NOT NULL, shift TEXT NOT NULL, shift_start_ms INTEGER NOT NULL,"
	"  shift_end_ms INTEGER NOT NULL, outgoing TEXT NOT NULL, notes TEXT NOT NULL, summary TEXT NOT NULL,"
	"  submitted_ms INTEGER NOT NULL, submit_ver TEXT NOT NULL, n_submits INTEGER NOT NULL,"
	"  incoming TEXT NOT NULL, accepted_ms INTEGER NOT NULL, objection TEXT NOT NULL,"
	"  accept_ver TEXT NOT NULL, drill INTEGER NOT NULL, PRIMARY KEY(id, org)) WITHOUT ROWID;"
	"CREATE INDEX handovers_org ON handovers(org, accepted_ms, submitted_ms);",
	/* 8: drills (store_drill.c).  drill_runs existed since 1 for the
	 * banner; it gains the run's state.  due_ms is scenario time after
	 * the start with every drill.shift applied; fired_ms is wall time, 0
	 * while the inject is pending. */
	"ALTER TABLE drill_runs ADD COLUMN scenario TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE drill_runs ADD COLUMN description TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE drill_runs ADD COLUMN tier TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE drill_runs ADD COLUMN speed INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE drill_runs ADD COLUMN orgs TEXT NOT NULL DEFAULT '[]';"
	"ALTER TABLE drill_runs ADD COLUMN held_ms INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE drill_runs ADD COLUMN paused_ms INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE drill_runs ADD COLUMN by TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE drill_injects("
	"  run TEXT NOT NULL, ord INTEGER NOT NULL, inject TEXT NOT NULL, at_ms INTEGER NOT NULL,"
	"  due_ms INTEGER NOT NULL, kind TEXT NOT NULL, org TEXT NOT NULL, text TEXT NOT NULL,"
	"  incident TEXT NOT NULL, category TEXT NOT NULL, tier TEXT NOT NULL, expect TEXT NOT NULL,"
	"  within_ms INTEGER NOT NULL, fired_ms INTEGER NOT NULL, item TEXT NOT NULL, manual INTEGER NOT NULL,"
	"  PRIMARY KEY(run, ord)) WITHOUT ROWID;",
	/* 9: where another desk's chain is known to have a gap here: a reader
	 * with a read scope gets only the events that concern it
	 * (store_append_partial).  Local state, like sync_cursor. */
	"CREATE TABLE chain_gaps(origin TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(origin, seq)) WITHOUT ROWID;",
	/* 10: the newest report of each org for each slot and how many it
	 * made (store_zero.c), so the zero checklist is one seek per org
	 * instead of a search of zero_reports per org. */
	"CREATE TABLE zero_latest("
	"  period TEXT NOT NULL, slot_ms INTEGER NOT NULL, org TEXT NOT NULL, id TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL, by TEXT NOT NULL, via TEXT NOT NULL, reporter TEXT NOT NULL,"
	"  nil INTEGER NOT NULL, incidents TEXT NOT NULL, n INTEGER NOT NULL, ver TEXT NOT NULL,"
	"  PRIMARY KEY(period, slot_ms, org)) WITHOUT ROWID;"
	"INSERT INTO zero_latest SELECT period, slot_ms, org, id, at_ms, by, via, reporter, nil, incidents, n, ver"
	"  FROM (SELECT *, count(*) OVER (PARTITION BY period, slot_ms, org) AS n, row_number() OVER"
	"  (PARTITION BY period, slot_ms, org ORDER BY ver DESC) AS rn FROM zero_reports) WHERE rn = 1;",
	/* 11: a drill inject's optional title (store_drill.c), what the drill
	 * screen shows; the id stays what `drill fire` names. */
	"ALTER TABLE drill_injects ADD COLUMN title TEXT NOT NULL DEFAULT '';",
};

/* Projection tables, with the columns that order them, for rebuild and
 * digest. */
static const struct {
	const char *table;
	const char *order;
} projections[] = {
	{ "shift_log", "at_ms, id" },
	{ "protection_periods", "id" },
	{ "drill_runs", "id" },
	{ "incidents", "id" },
	{ "incident_hops", "incident, ord" },
	{ "incident_hops_made", "incident, hop" },
	{ "orgs", "key" },
	{ "liaisons", "org_key, rank, name, id" },
	{ "liaison_history", "id, valid_from_ms, ver" },
	{ "objects", "id" },
	{ "calls", "id" },
	{ "duty_shifts", "id" },
	{ "period_scopes", "period, prefix" },
	{ "zero_reports", "id" },
	{ "zero_latest", "period, slot_ms, org" },
	{ "freeze_warnings", "id" },
	{ "advisories", "id" },
	{ "advisory_to", "advisory, prefix" },
	{ "advisory_answers", "advisory, org" },
	{ "handovers", "id, org" },
	{ "drill_injects", "run, ord" },
};

#define N_PROJECTIONS (sizeof projections / sizeof projections[0])

int store_sql_fail(struct dd_store *st, int rc, struct dd_error *err, const char *what)
{
	const char *msg = sqlite3_errmsg(st->db);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return dd_fail(err, DD_EBUSY, "%s: database is locked by another process (waited %d s): %s",
			       st->path, BUSY_TIMEOUT_MS / 1000, what);
	case SQLITE_FULL:
		return dd_fail(err, DD_ENOSPC, "%s: disk full while %s; nothing was written", st->path, what);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return dd_fail(err, DD_EREADONLY, "%s: cannot write (%s) while %s; nothing was written",
			       st->path, msg, what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return dd_fail(err, DD_ECORRUPT,
			       "%s: not a dutydesk database or damaged (%s); it was left untouched", st->path, msg);
	case SQLITE_IOERR:
		return dd_fail(err, DD_EIO, "%s: I/O error while %s: %s", st->path, what, msg);
	default:
		return dd_fail(err, DD_EIO, "%s: %s: %s", st->path, what, msg);
	}
}

int store_exec(struct dd_store *st, const char *sql, struct dd_error *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_sql_fail(st, rc, err, sql);
}

int store_step_int64(struct dd_store *st, sqlite3_stmt *s, int64_t *out, const char *what, struct dd_error *err)
{
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, what);
	sqlite3_finalize(s);
	return rc;
}

int store_step_done(struct dd_store *st, sqlite3_stmt *s, const char *what, struct dd_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, what);
}

int store_step_row(struct dd_store *st, sqlite3_stmt *s, const char *missing, const char *what, struct dd_error *err)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? dd_fail(err, DD_ENOTFOUND, "%s", missing) : store_sql_fail(st, rc, err, what);
}

int store_scan_end(struct dd_store *st, sqlite3_stmt *s, int step, const char *what, struct dd_error *err)
{
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : store_sql_fail(st, step, err, what);
	sqlite3_finalize(s);
	return rc;
}

void store_copy_text(char *dst, size_t cap, sqlite3_stmt *s, int col)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

const char *store_body_str(const json_t *body, const char *name)
{
	const char *s = json_string_value(json_object_get(body, name));
	return s ? s : "";
}

int store_prepare(struct dd_store *st, const char *sql, sqlite3_stmt **stmt, struct dd_error *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
	return rc == SQLITE_OK ? 0 : store_sql_fail(st, rc, err, "preparing a query");
}

static int user_version(struct dd_store *st, int *version, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "PRAGMA user_version", &s, err);
	if (rc)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		rc = store_sql_fail(st, rc, err, "reading the schema version");
	}
	sqlite3_finalize(s);
	return rc;
}

static int migrate(struct dd_store *st, int from, struct dd_error *err)
{
	int rc;
	if (from == 0 && (rc = store_exec(st, "PRAGMA journal_mode=WAL", err)))
		return rc;
	if ((rc = store_exec(st, "BEGIN IMMEDIATE", err)))
		return rc;
	/* Re-read inside the write lock: another process may have migrated. */
	int now;
	if ((rc = user_version(st, &now, err)))
		goto rollback;
	for (int v = now; v < DD_SCHEMA_VERSION; v++)
		if ((rc = store_exec(st, migrations[v], err)))
			goto rollback;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", DD_SCHEMA_VERSION);
	if ((rc = store_exec(st, sql, err)) || (rc = store_exec(st, "COMMIT", err)))
		goto rollback;
	return 0;
rollback:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int precreate(const char *path, struct dd_error *err)
{
	int rc = dd_mkdir_parents(path, err);
	if (rc)
		return rc;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 && errno != EEXIST)
		return dd_fail(err, DD_EIO, "%s: cannot create: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

int store_open(const char *path, int flags, struct dd_store **out, struct dd_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (!(flags & DD_STORE_CREATE))
			return dd_fail(err, DD_ENOTFOUND, "%s: no database; run `dutydesk init`", path);
		int rc = precreate(path, err);
		if (rc)
			return rc;
	} else if (!S_ISREG(sb.st_mode)) {
		return dd_fail(err, DD_ECORRUPT, "%s: not a regular file", path);
	}

	struct dd_store *st = calloc(1, sizeof *st);
	if (!st)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	snprintf(st->path, sizeof st->path, "%s", path);
	int oflags = (flags & DD_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	int rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = store_sql_fail(st, rc, err, "opening");
		store_close(st);
		return rc;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);

	int version = 0;
	if ((rc = user_version(st, &version, err)) || (rc = store_exec(st, "PRAGMA synchronous=FULL", err)))
		goto fail;
	if (version > DD_SCHEMA_VERSION) {
		rc = dd_fail(err, DD_ECORRUPT, "%s: schema version %d is newer than this dutydesk (%d); upgrade dutydesk",
			     path, version, DD_SCHEMA_VERSION);
		goto fail;
	}
	if (version < DD_SCHEMA_VERSION) {
		if (version == 0) {
			/* Tables at version 0 mean some other SQLite database: never
			 * migrate into it, whatever the flags (`init --db` may name
			 * any file).  Not sb.st_size: sb is unset when we created
			 * the file, and a WAL database's tables may all be in -wal. */
			sqlite3_stmt *s;
			if ((rc = store_prepare(st, "SELECT count(*) FROM sqlite_schema", &s, err)))
				goto fail;
			int tables = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
			sqlite3_finalize(s);
			if (tables > 0) {
				rc = dd_fail(err, DD_ECORRUPT, "%s: an SQLite database but not dutydesk's; left untouched", path);
				goto fail;
			}
		}
		if ((flags & DD_STORE_READONLY) && version == 0) {
			rc = dd_fail(err, DD_EREADONLY, "%s: not a dutydesk database yet and opened read-only", path);
			goto fail;
		}
		if (flags & DD_STORE_READONLY) {
			/* After an upgrade the first command is often a read: migrate
			 * a dutydesk database through a writable connection rather
			 * than refuse it. */
			struct dd_store *rw;
			store_close(st);
			if ((rc = store_open(path, flags & ~DD_STORE_READONLY, &rw, err)))
				return rc;
			store_close(rw);
			return store_open(path, flags, out, err);
		}
		if ((rc = migrate(st, version, err)))
			goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return rc;
}

void store_close(struct dd_store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->insert_event);
	sqlite3_finalize(st->insert_log);
	sqlite3_close(st->db);
	free(st);
}

const char *store_path(const struct dd_store *st)
{
	return st->path;
}

/* One integer from sql, or -1 when the query fails. */
static int64_t query_int64(struct dd_store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK || store_step_int64(st, s, &v, sql, NULL))
		return -1;
	return v;
}

int64_t store_data_version(struct dd_store *st)
{
	return query_int64(st, "PRAGMA data_version");
}

int64_t store_event_count(struct dd_store *st)
{
	return query_int64(st, "SELECT count(*) FROM events");
}

/* ---- projections -------------------------------------------------- */

/* The one place projections change. */
static int apply_event(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	if (strcmp(ev->kind, "log.entry") == 0) {
		int rc = store_log_apply(st, ev, err);
		return rc ? rc : store_call_apply(st, ev, err);
	}
	if (strncmp(ev->kind, "incident.", 9) == 0)
		return store_incident_apply(st, ev, err);
	if (strncmp(ev->kind, "org.", 4) == 0 || strncmp(ev->kind, "liaison.", 8) == 0 ||
	    strncmp(ev->kind, "object.", 7) == 0)
		return store_roster_apply(st, ev, err);
	if (strncmp(ev->kind, "duty.", 5) == 0)
		return store_duty_apply(st, ev, err);
	if (strncmp(ev->kind, "period.", 7) == 0 || strncmp(ev->kind, "zero.", 5) == 0 ||
	    strncmp(ev->kind, "freeze.", 7) == 0)
		return store_zero_apply(st, ev, err);
	if (strncmp(ev->kind, "advisory.", 9) == 0)
		return store_advisory_apply(st, ev, err);
	if (strncmp(ev->kind, "handover.", 9) == 0)
		return store_handover_apply(st, ev, err);
	if (strncmp(ev->kind, "drill.", 6) == 0)
		return store_drill_apply(st, ev, err);
	return 0;
}

/* ---- appending ---------------------------------------------------- */

static int insert_event(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	char *body = json_dumps(ev->body, JSON_COMPACT | JSON_SORT_KEYS);
	if (!body)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc;
	if (!st->insert_event &&
	    (rc = store_prepare(st, "INSERT INTO events(id, origin, seq, hlc, at, actor, org, kind, subject,"
			      " drill, body, prev, hash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
			  &st->insert_event, err))) {
		free(body);
		return rc;
	}
	sqlite3_stmt *s = st->insert_event;
	sqlite3_bind_text(s, 1, ev->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ev->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ev->seq);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)ev->hlc);
	sqlite3_bind_text(s, 5, ev->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, ev->org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, ev->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 10, ev->drill);
	sqlite3_bind_text(s, 11, body, -1, free);
	sqlite3_bind_text(s, 12, ev->prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 13, ev->hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return dd_fail(err, DD_EDUP, "event %s is already stored", ev->id);
	return rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "appending an event");
}

/* The last event of origin (seq, hash, hlc), or seq 0 when it has none. */
static int chain_head(struct dd_store *st, const char *origin, int64_t *seq, char hash[DD_HASH_HEX + 1],
		      uint64_t *hlc, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT seq, hash, hlc FROM events WHERE origin=? ORDER BY seq DESC LIMIT 1", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*seq = 0;
	*hlc = 0;
	memcpy(hash, DD_GENESIS_PREV, DD_HASH_HEX + 1);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		snprintf(hash, DD_HASH_HEX + 1, "%s", (const char *)sqlite3_column_text(s, 1));
		*hlc = (uint64_t)sqlite3_column_int64(s, 2);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = store_sql_fail(st, rc, err, "reading the chain head");
	}
	sqlite3_finalize(s);
	return rc;
}

/* The highest clock value observed from other origins. */
static int clock_observed(struct dd_store *st, uint64_t *hlc, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT hlc FROM clock", &s, err);
	if (rc)
		return rc;
	rc = sqlite3_step(s);
	*hlc = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
	rc = rc == SQLITE_ROW ? 0 : store_sql_fail(st, rc, err, "reading the clock");
	sqlite3_finalize(s);
	return rc;
}

static int clock_observe(struct dd_store *st, uint64_t hlc, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "UPDATE clock SET hlc = ?1 WHERE hlc < ?1", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)hlc);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "advancing the clock");
}

/* One append is one transaction, or inside a batch one savepoint, so a
 * failed event never leaves half of itself behind either way. */
static int tx_begin(struct dd_store *st, struct dd_error *err)
{
	return store_exec(st, st->batch ? "SAVEPOINT append" : "BEGIN IMMEDIATE", err);
}

static int commit_or_rollback(struct dd_store *st, int rc, struct dd_error *err)
{
	if (st->batch) {
		if (rc)
			sqlite3_exec(st->db, "ROLLBACK TO append", NULL, NULL, NULL);
		int src = sqlite3_exec(st->db, "RELEASE append", NULL, NULL, NULL);
		return rc ? rc : src == SQLITE_OK ? 0 : store_sql_fail(st, src, err, "releasing a savepoint");
	}
	if (rc == 0) {
		int src = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
		if (src == SQLITE_OK)
			return 0;
		rc = store_sql_fail(st, src, err, "committing");
	}
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int store_append_local(struct dd_store *st, const struct dd_new_event *ne, struct dd_event *out,
		       struct dd_error *err)
{
	struct dd_event ev;
	event_init(&ev);
	int64_t now = time_now_ms();
	int64_t at_ms = ne->at_ms ? ne->at_ms : now;

	if (snprintf(ev.origin, sizeof ev.origin, "%s", ne->origin) >= (int)sizeof ev.origin ||
	    snprintf(ev.actor, sizeof ev.actor, "%s", ne->actor) >= (int)sizeof ev.actor ||
	    snprintf(ev.org, sizeof ev.org, "%s", ne->org) >= (int)sizeof ev.org ||
	    snprintf(ev.kind, sizeof ev.kind, "%s", ne->kind) >= (int)sizeof ev.kind ||
	    snprintf(ev.subject, sizeof ev.subject, "%s", ne->subject ? ne->subject : "") >= (int)sizeof ev.subject)
		return dd_fail(err, DD_ERANGE, "officer, org, kind or subject is too long");
	ev.drill = ne->drill || st->drill;
	ev.body = json_incref(ne->body);
	if (time_format_rfc3339(at_ms, ne->tz ? ne->tz : DD_DEFAULT_TZ, ev.at, sizeof ev.at) < 0) {
		event_free(&ev);
		return dd_fail(err, DD_EINVAL, "cannot format the time");
	}

	int rc = tx_begin(st, err);
	if (rc) {
		event_free(&ev);
		return rc;
	}
	uint64_t own_hlc, seen_hlc;
	if ((rc = chain_head(st, ev.origin, &ev.seq, ev.prev, &own_hlc, err)) ||
	    (rc = clock_observed(st, &seen_hlc, err)))
		goto done;
	ev.seq++;
	ev.hlc = hlc_tick(own_hlc > seen_hlc ? own_hlc : seen_hlc, now);
	uuid7_new(now, ev.id);
	/* Validate before sealing: a field jansson cannot encode (invalid
	 * UTF-8 in the officer's name) is then named, not just refused. */
	if ((rc = store_drill_inherit(st, &ev, err)) || (rc = store_drill_guard(st, &ev, err)) ||
	    (rc = event_validate(&ev, false, err)) || (rc = event_seal(&ev, err)) ||
	    (rc = insert_event(st, &ev, err)) || (rc = apply_event(st, &ev, err)))
		goto done;
done:
	rc = commit_or_rollback(st, rc, err);
	if (rc == 0 && out)
		*out = ev;
	else
		event_free(&ev);
	return rc;
}

/* Whether (origin, seq) was appended after a gap (chain_gaps). */
static int gap_at(struct dd_store *st, const char *origin, int64_t seq, bool *gap, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT count(*) FROM chain_gaps WHERE origin = ? AND seq = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, seq);
	int64_t n = 0;
	rc = store_step_int64(st, s, &n, "reading the chain gaps", err);
	*gap = n > 0;
	return rc;
}

static int record_gap(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT OR IGNORE INTO chain_gaps(origin, seq) VALUES(?, ?)", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ev->seq);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "recording a chain gap");
}

static int append_remote(struct dd_store *st, const struct dd_event *ev, bool partial, struct dd_error *err)
{
	int rc = event_validate(ev, true, err);
	if (rc)
		return rc;
	if ((rc = tx_begin(st, err)))
		return rc;
	struct dd_event head;
	event_init(&head);
	snprintf(head.origin, sizeof head.origin, "%s", ev->origin);
	if ((rc = chain_head(st, ev->origin, &head.seq, head.hash, &head.hlc, err)))
		goto done;
	if (ev->seq <= head.seq) {
		/* Already have this seq: the same event is a duplicate, another is a fork. */
		sqlite3_stmt *s;
		if ((rc = store_prepare(st, "SELECT hash FROM events WHERE origin=? AND seq=?", &s, err)))
			goto done;
		sqlite3_bind_text(s, 1, ev->origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, ev->seq);
		bool same = sqlite3_step(s) == SQLITE_ROW &&
			    strcmp((const char *)sqlite3_column_text(s, 0), ev->hash) == 0;
		sqlite3_finalize(s);
		rc = same ? dd_fail(err, DD_EDUP, "event %s is already stored", ev->id)
			  : dd_fail(err, DD_ECHAIN, "event %s forks origin %s at seq %lld", ev->id, ev->origin,
				    (long long)ev->seq);
		goto done;
	}
	/* After a gap there is nothing here to link to: the event's own hash
	 * was checked, and the gap is recorded so verify tells it from a
	 * deleted row. */
	bool gap = partial && ev->seq > head.seq + 1;
	if ((rc = gap ? record_gap(st, ev, err) : event_check_chain(head.seq ? &head : NULL, ev, err)) ||
	    (rc = store_drill_guard(st, ev, err)) ||
	    (rc = insert_event(st, ev, err)) ||
	    (rc = clock_observe(st, ev->hlc, err)) || (rc = apply_event(st, ev, err)))
		goto done;
done:
	return commit_or_rollback(st, rc, err);
}

int store_append_remote(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	return append_remote(st, ev, false, err);
}

int store_append_partial(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	return append_remote(st, ev, true, err);
}

int store_batch_begin(struct dd_store *st, struct dd_error *err)
{
	if (st->batch)
		return dd_fail(err, DD_EINVAL, "a batch is already open");
	int rc = store_exec(st, "BEGIN IMMEDIATE", err);
	st->batch = rc == 0;
	return rc;
}

int store_batch_end(struct dd_store *st, bool commit, struct dd_error *err)
{
	if (!st->batch)
		return dd_fail(err, DD_EINVAL, "no batch is open");
	st->batch = false;
	if (commit) {
		int rc = store_exec(st, "COMMIT", err);
		if (rc == 0)
			return 0;
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return store_exec(st, "ROLLBACK", err);
}

/* ---- rebuild, digest, verify --------------------------------------- */

int store_row_to_event(sqlite3_stmt *s, struct dd_event *ev, struct dd_error *err)
{
	event_init(ev);
	snprintf(ev->id, sizeof ev->id, "%s", (const char *)sqlite3_column_text(s, 0));
	snprintf(ev->origin, sizeof ev->origin, "%s", (const char *)sqlite3_column_text(s, 1));
	ev->seq = sqlite3_column_int64(s, 2);
	ev->hlc = (uint64_t)sqlite3_column_int64(s, 3);
	snprintf(ev->at, sizeof ev->at, "%s", (const char *)sqlite3_column_text(s, 4));
	snprintf(ev->actor, sizeof ev->actor, "%s", (const char *)sqlite3_column_text(s, 5));
	snprintf(ev->org, sizeof ev->org, "%s", (const char *)sqlite3_column_text(s, 6));
	snprintf(ev->kind, sizeof ev->kind, "%s", (const char *)sqlite3_column_text(s, 7));
	snprintf(ev->subject, sizeof ev->subject, "%s", (const char *)sqlite3_column_text(s, 8));
	ev->drill = sqlite3_column_int(s, 9);
	snprintf(ev->prev, sizeof ev->prev, "%s", (const char *)sqlite3_column_text(s, 11));
	snprintf(ev->hash, sizeof ev->hash, "%s", (const char *)sqlite3_column_text(s, 12));
	json_error_t jerr;
	const char *body = (const char *)sqlite3_column_text(s, 10);
	ev->body = body ? json_loads(body, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	if (!ev->body)
		return dd_fail(err, DD_ECORRUPT, "event %s (origin %s, seq %lld): body is not valid JSON",
			       ev->id, ev->origin, (long long)ev->seq);
	return 0;
}


int store_rebuild(struct dd_store *st, struct dd_error *err)
{
	int rc = store_exec(st, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	for (size_t i = 0; i < N_PROJECTIONS; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "DELETE FROM %s", projections[i].table);
		if ((rc = store_exec(st, sql, err)))
			return commit_or_rollback(st, rc, err);
	}
	sqlite3_stmt *s;
	if ((rc = store_prepare(st, "SELECT " EVENT_COLUMNS " FROM events ORDER BY origin, seq", &s, err)))
		return commit_or_rollback(st, rc, err);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_event ev;
		rc = store_row_to_event(s, &ev, err);
		if (rc == 0)
			rc = apply_event(st, &ev, err);
		event_free(&ev);
		if (rc)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_sql_fail(st, step, err, "reading the event log");
	sqlite3_finalize(s);
	return commit_or_rollback(st, rc, err);
}

int store_digest(struct dd_store *st, char out[DD_HASH_HEX + 1], struct dd_error *err)
{
	struct dd_sha256 h;
	dd_sha256_init(&h);
	int rc = 0;
	for (size_t i = 0; i < N_PROJECTIONS && rc == 0; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s", projections[i].table, projections[i].order);
		sqlite3_stmt *s;
		if ((rc = store_prepare(st, sql, &s, err)))
			break;
		dd_sha256_update(&h, projections[i].table, strlen(projections[i].table) + 1);
		int step;
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				/* Type tag, length and bytes: no two rows can hash alike by shifting text. */
				unsigned char type = (unsigned char)sqlite3_column_type(s, c);
				const unsigned char *v = sqlite3_column_text(s, c);
				uint32_t n = (uint32_t)sqlite3_column_bytes(s, c);
				dd_sha256_update(&h, &type, 1);
				dd_sha256_update(&h, &n, sizeof n);
				if (v)
					dd_sha256_update(&h, v, n);
			}
		}
		if (step != SQLITE_DONE)
			rc = store_sql_fail(st, step, err, "reading a projection");
		sqlite3_finalize(s);
	}
	dd_sha256_final_hex(&h, out);
	return rc;
}

int store_verify(struct dd_store *st, int64_t *checked, struct dd_error *err)
{
	*checked = 0;
	sqlite3_stmt *s;
	int rc = store_prepare(st, "PRAGMA integrity_check", &s, err);
	if (rc)
		return rc;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = store_sql_fail(st, rc, err, "checking integrity");
		sqlite3_finalize(s);
		return rc;
	}
	const char *verdict = (const char *)sqlite3_column_text(s, 0);
	if (!verdict || strcmp(verdict, "ok") != 0) {
		rc = dd_fail(err, DD_ECORRUPT, "%s: integrity check failed: %s", st->path, verdict ? verdict : "?");
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);

	if ((rc = store_prepare(st, "SELECT " EVENT_COLUMNS " FROM events ORDER BY origin, seq", &s, err)))
		return rc;
	struct dd_event before, ev;
	event_init(&before);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if ((rc = store_row_to_event(s, &ev, err)))
			break;
		bool same_origin = before.seq > 0 && strcmp(before.origin, ev.origin) == 0;
		bool gap = false;
		rc = event_validate(&ev, true, err);
		if (rc == 0 && ev.seq != (same_origin ? before.seq + 1 : 1))
			rc = gap_at(st, ev.origin, ev.seq, &gap, err);
		if (rc == 0 && !gap)
			rc = event_check_chain(same_origin ? &before : NULL, &ev, err);
		if (rc) {
			dd_wrap(err, "event %s (origin %s, seq %lld)", ev.id, ev.origin, (long long)ev.seq);
			err->code = DD_ECHAIN;
			rc = DD_ECHAIN;
			event_free(&ev);
			break;
		}
		event_free(&before);
		before = ev;
		(*checked)++;
	}
	event_free(&before);
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_sql_fail(st, step, err, "reading the event log");
	sqlite3_finalize(s);
	return rc;
}

/* ---- banners -------------------------------------------------------- */

int store_banners(struct dd_store *st, int64_t now_ms, struct dd_banners *b, struct dd_error *err)
{
	memset(b, 0, sizeof *b);
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT name, end_ms FROM protection_periods WHERE start_ms <= ?1 AND end_ms > ?1"
			     " ORDER BY end_ms LIMIT 1", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, now_ms);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(b->period, sizeof b->period, "%s", (const char *)sqlite3_column_text(s, 0));
		b->period_end_ms = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if ((rc = store_prepare(st, "SELECT name FROM drill_runs WHERE started_ms <= ? AND ended_ms IS NULL"
			      " ORDER BY started_ms DESC LIMIT 1", &s, err)))
		return rc;
	sqlite3_bind_int64(s, 1, now_ms);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(b->drill, sizeof b->drill, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return 0;
}
