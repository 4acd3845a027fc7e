/*
 * store_impl.h — what the files of the store share and nothing outside
 * core/store*.c may use: the connection and the SQL helpers.
 */
#ifndef DUTYDESK_STORE_IMPL_H
#define DUTYDESK_STORE_IMPL_H

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
};

/* Turns an SQLite result into a DD_E* code and a message naming the file. */
int store_sql_fail(struct dd_store *st, int rc, struct dd_error *err, const char *what);
int store_exec(struct dd_store *st, const char *sql, struct dd_error *err);
int store_prepare(struct dd_store *st, const char *sql, sqlite3_stmt **stmt, struct dd_error *err);

/* Steps s once, stores column 0 of the row (0 when there is none) in
 * *out, and finalizes s whatever happens. */
int store_step_int64(struct dd_store *st, sqlite3_stmt *s, int64_t *out, const char *what, struct dd_error *err);

/* Projection appliers, one per domain; called inside the append's
 * transaction and by rebuild. */
int store_log_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_incident_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_roster_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
int store_duty_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
/* A log.entry that records a call (it has "callee") also goes to calls. */
int store_call_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);

/* "hlc|origin|seq", zero-padded, so last-writer-wins is a string
 * comparison (the roster's and duty schedule's *_ver columns). */
#define DD_VER_MAX 96
void store_version_of(const struct dd_event *ev, char out[DD_VER_MAX]);

/* An org id as a tree key: '.' becomes ' ', below every label character,
 * so keys sort parents before children and a subtree is one range. */
void store_org_key(const char *id, char *out, size_t n);

/* The columns store_row_to_event() reads, in its order. */
#define EVENT_COLUMNS "id, origin, seq, hlc, at, actor, org, kind, subject, drill, body, prev, hash"
int store_row_to_event(sqlite3_stmt *s, struct dd_event *ev, struct dd_error *err);

#endif
