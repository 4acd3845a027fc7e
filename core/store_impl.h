/*
 * store_impl.h — what the files of the store share and nothing outside
 * core/store*.c may use: the connection and the SQL helpers.
 */
#ifndef DUTYDESK_STORE_IMPL_H
#define DUTYDESK_STORE_IMPL_H

#include <sqlite3.h>
#include <stdbool.h>
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

/* The columns store_row_to_event() reads, in its order. */
#define EVENT_COLUMNS "id, origin, seq, hlc, at, actor, org, kind, subject, drill, body, prev, hash"
int store_row_to_event(sqlite3_stmt *s, struct dd_event *ev, struct dd_error *err);

#endif
