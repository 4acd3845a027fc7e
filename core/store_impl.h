/*
 * store_impl.h — what the files of the store share and nothing outside
 * core/store*.c may use: the connection and the SQL helpers.
 */
#ifndef DUTYDESK_STORE_IMPL_H
#define DUTYDESK_STORE_IMPL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/error.h"
#include "dutydesk/event.h"

#define BUSY_TIMEOUT_MS 5000

struct dd_store {
	sqlite3 *db;
	char path[DD_PATH_MAX];
	sqlite3_stmt *insert_event;
	sqlite3_stmt *insert_log;
	bool batch;   /* inside store_batch_begin(): appends use savepoints */
	bool roster_fns;   /* the roster's SQL functions are registered */
	bool drill;        /* store_set_drill(): local appends are drill events */
};

/* Turns an SQLite result into a DD_E* code and a message naming the file. */
int store_sql_fail(struct dd_store *st, int rc, struct dd_error *err, const char *what);
int store_exec(struct dd_store *st, const char *sql, struct dd_error *err);
int store_prepare(struct dd_store *st, const char *sql, sqlite3_stmt **stmt, struct dd_error *err);

/* Steps s once, stores column 0 of the row (0 when there is none) in
 * *out, and finalizes s whatever happens. */
int store_step_int64(struct dd_store *st, sqlite3_stmt *s, int64_t *out, const char *what, struct dd_error *err);

/* Steps s, a statement that returns no row, and finalizes it. */
int store_step_done(struct dd_store *st, sqlite3_stmt *s, const char *what, struct dd_error *err);

/* Steps s once for a lookup: 0 with the row ready to read, DD_ENOTFOUND
 * saying missing when there is none.  s stays for the caller to read and
 * finalize, so one call serves every row type. */
int store_step_row(struct dd_store *st, sqlite3_stmt *s, const char *missing, const char *what, struct dd_error *err);

/* Ends a loop over s's rows that stopped at step (SQLITE_ROW when the
 * callback stopped it early): finalizes s and turns a failed step into
 * an error. */
int store_scan_end(struct dd_store *st, sqlite3_stmt *s, int step, const char *what, struct dd_error *err);

/* Column col of s's row into dst, "" for NULL, cut to cap. */
void store_copy_text(char *dst, size_t cap, sqlite3_stmt *s, int col);

/* A string member of an event body, "" when it is absent or no string. */
const char *store_body_str(const json_t *body, const char *name);

/* Projection appliers, one per domain; called inside the append's
 * transaction and by rebuild. */
int store_log_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_incident_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_roster_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_duty_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_zero_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_advisory_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_drill_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_handover_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
/* A log.entry that records a call (it has "callee") also goes to calls. */
int store_call_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);

/* "hlc|origin|seq", zero-padded, so last-writer-wins is a string
 * comparison (the roster's and duty schedule's *_ver columns). */
#define DD_VER_MAX 96
void store_version_of(const struct dd_event *ev, char out[DD_VER_MAX]);

/* An org id as a tree key: '.' becomes ' ', below every label character,
 * so keys sort parents before children and a subtree is one range. */
void store_org_key(const char *id, char *out, size_t n);

/* Resolves a full or partial id (at least 4 hex digits: its start, its end
 * or the start of its short id) among the ids of table; what names the
 * thing in messages. */
int store_resolve_in(struct dd_store *st, const char *table, const char *what, const char *ref,
		     char out[DD_UUID_LEN + 1], struct dd_error *err);

/* The columns store_row_to_event() reads, in its order. */
#define EVENT_COLUMNS "id, origin, seq, hlc, at, actor, org, kind, subject, drill, body, prev, hash"
int store_row_to_event(sqlite3_stmt *s, struct dd_event *ev, struct dd_error *err);

#endif
