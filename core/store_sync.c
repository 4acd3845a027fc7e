/*
 * store_sync.c — what sync (core/sync.c) keeps in the console's database:
 * the cursors per server, and this console's own events to push (part of
 * the store: SQL stays inside core/store*.c).
 *
 * sync_cursor is local state, not a projection: it is neither rebuilt nor
 * part of store_digest(), so two consoles with the same events have the
 * same digest whatever their cursors say.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/store.h"
#include "store_impl.h"

int store_sync_cursor(struct dd_store *st, const char *server, struct dd_sync_cursor *c, struct dd_error *err)
{
	memset(c, 0, sizeof *c);
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT pulled, pushed FROM sync_cursor WHERE server = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, server, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->pulled = sqlite3_column_int64(s, 0);
		c->pushed = sqlite3_column_int64(s, 1);
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "reading the sync cursor");
	sqlite3_finalize(s);
	return rc;
}

static int set_cursor(struct dd_store *st, const char *sql, const char *server, int64_t value,
		      struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, server, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, value);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "moving the sync cursor");
}

int store_sync_set_pulled(struct dd_store *st, const char *server, int64_t pulled, struct dd_error *err)
{
	return set_cursor(st, "INSERT INTO sync_cursor(server, pulled, pushed) VALUES(?1, ?2, 0)"
			      " ON CONFLICT(server) DO UPDATE SET pulled = excluded.pulled", server, pulled, err);
}

int store_sync_set_pushed(struct dd_store *st, const char *server, int64_t pushed, struct dd_error *err)
{
	return set_cursor(st, "INSERT INTO sync_cursor(server, pulled, pushed) VALUES(?1, 0, ?2)"
			      " ON CONFLICT(server) DO UPDATE SET pushed = excluded.pushed", server, pushed, err);
}

int store_origin_head(struct dd_store *st, const char *origin, int64_t *seq, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT coalesce(max(seq), 0) FROM events WHERE origin = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
	return store_step_int64(st, s, seq, "reading the chain head", err);
}

int store_events_known(struct dd_store *st, size_t n, const struct dd_event_key *keys, bool *known,
			struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT hash FROM events WHERE origin = ? AND seq = ?", &s, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		known[i] = false;
		if (!keys[i].origin || !keys[i].hash)
			continue;
		sqlite3_bind_text(s, 1, keys[i].origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, keys[i].seq);
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW)
			known[i] = strcmp((const char *)sqlite3_column_text(s, 0), keys[i].hash) == 0;
		else if (step != SQLITE_DONE)
			rc = store_sql_fail(st, step, err, "looking up events");
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

/* The event as JSON, built by SQLite from the stored columns: no decode
 * of the body and no re-encode through jansson per event, which made
 * most of a push's cost on the console.  The keys are not in canonical
 * order and the text escapes may differ from jansson's; neither matters,
 * because whoever receives it decodes it and checks the hash over the
 * canonical encoding it makes itself (event.h).  json(body) keeps the
 * body an object rather than a string holding one. */
#define EVENT_AS_JSON \
	"json_object('id', id, 'origin', origin, 'seq', seq, 'hlc', hlc, 'at', at, 'actor', actor, 'org', org," \
	" 'kind', kind, 'subject', subject, 'drill', drill, 'body', json(body), 'prev', prev, 'hash', hash)"

int store_events_of(struct dd_store *st, const char *origin, int64_t after_seq, int limit, dd_event_text_cb cb,
		    void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT seq, " EVENT_AS_JSON " FROM events WHERE origin = ? AND seq > ?"
				   " ORDER BY seq LIMIT ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, after_seq);
	sqlite3_bind_int(s, 3, limit);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 1);
		if (!text) {
			rc = dd_fail(err, DD_ENOMEM, "out of memory encoding an event");
			break;
		}
		if (cb(sqlite3_column_int64(s, 0), text, (size_t)sqlite3_column_bytes(s, 1), ctx))
			break;
	}
	if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_sql_fail(st, step, err, "reading events to send");
	sqlite3_finalize(s);
	return rc;
}
