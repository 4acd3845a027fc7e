/*
 * store_handover.c — the projection and queries of handovers (handover.h).
 *
 * Invariants: one row per handover and org of the events (the envelope's
 * org is the desk: an event from another org's console starts a row of
 * its own that no desk query reads); its submission fields are those of
 * the newest handover.submit (largest ver), n_submits counts them all;
 * its acceptance is the earliest handover.accept (smallest ver).  Either
 * event may arrive first from a sync, so each starts the row when it is
 * missing, and any replay order gives the same row.  The summary column
 * holds the snapshot as submitted, in canonical JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/handover.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

static int64_t body_time(const json_t *body, const char *name)
{
	int64_t ms = 0;
	time_parse_rfc3339(store_body_str(body, name), &ms, NULL);
	return ms;
}

static int start_row(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT OR IGNORE INTO handovers(id, org, shift, shift_start_ms, shift_end_ms, outgoing,"
			       " notes, summary, submitted_ms, submit_ver, n_submits, incoming, accepted_ms, objection,"
			       " accept_ver, drill) VALUES(?, ?, '', 0, 0, '', '', '{}', 0, '', 0, '', 0, '', '', ?)",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ev->org, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, ev->drill);
	return store_step_done(st, s, "storing a handover", err);
}

static int apply_submit(struct dd_store *st, const struct dd_event *ev, const char *ver, int64_t at,
			struct dd_error *err)
{
	const json_t *b = ev->body;
	char *summary = json_dumps(json_object_get(b, "summary"), JSON_COMPACT | JSON_SORT_KEYS);
	if (!summary)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	sqlite3_stmt *s;
	int rc = store_prepare(st, "UPDATE handovers SET n_submits = n_submits + 1,"
			       " shift = CASE WHEN submit_ver < ?2 THEN ?4 ELSE shift END,"
			       " shift_start_ms = CASE WHEN submit_ver < ?2 THEN ?5 ELSE shift_start_ms END,"
			       " shift_end_ms = CASE WHEN submit_ver < ?2 THEN ?6 ELSE shift_end_ms END,"
			       " outgoing = CASE WHEN submit_ver < ?2 THEN ?7 ELSE outgoing END,"
			       " notes = CASE WHEN submit_ver < ?2 THEN ?8 ELSE notes END,"
			       " summary = CASE WHEN submit_ver < ?2 THEN ?9 ELSE summary END,"
			       " submitted_ms = CASE WHEN submit_ver < ?2 THEN ?10 ELSE submitted_ms END,"
			       " submit_ver = max(submit_ver, ?2) WHERE id = ?1 AND org = ?3", &s, err);
	if (rc) {
		free(summary);
		return rc;
	}
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ver, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, ev->org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "shift"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, body_time(b, "shift_start"));
	sqlite3_bind_int64(s, 6, body_time(b, "shift_end"));
	sqlite3_bind_text(s, 7, store_body_str(b, "outgoing"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, store_body_str(b, "notes"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, summary, -1, free);
	sqlite3_bind_int64(s, 10, at);
	return store_step_done(st, s, "storing a handover", err);
}

static int apply_accept(struct dd_store *st, const struct dd_event *ev, const char *ver, int64_t at,
			struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "UPDATE handovers SET incoming = ?3, accepted_ms = ?4, objection = ?5, accept_ver = ?2"
			       " WHERE id = ?1 AND org = ?6 AND (accept_ver = '' OR accept_ver > ?2)", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ver, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, store_body_str(ev->body, "incoming"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, at);
	sqlite3_bind_text(s, 5, store_body_str(ev->body, "objection"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, ev->org, -1, SQLITE_STATIC);
	return store_step_done(st, s, "storing an acceptance", err);
}

int store_handover_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	bool submit = strcmp(ev->kind, "handover.submit") == 0;
	if (!submit && strcmp(ev->kind, "handover.accept") != 0)
		return 0;
	char ver[DD_VER_MAX];
	store_version_of(ev, ver);
	int64_t at = 0;
	time_parse_rfc3339(ev->at, &at, NULL);
	int rc = start_row(st, ev, err);
	if (rc)
		return rc;
	return submit ? apply_submit(st, ev, ver, at, err) : apply_accept(st, ev, ver, at, err);
}

#define HANDOVER_COLUMNS                                                                                   \
	"id, org, shift, shift_start_ms, shift_end_ms, outgoing, notes, summary, submitted_ms, n_submits," \
	" incoming, accepted_ms, objection"

static void row_to_handover(sqlite3_stmt *s, struct dd_handover *h)
{
	memset(h, 0, sizeof *h);
	store_copy_text(h->id, sizeof h->id, s, 0);
	store_copy_text(h->org, sizeof h->org, s, 1);
	store_copy_text(h->shift, sizeof h->shift, s, 2);
	h->shift_start_ms = sqlite3_column_int64(s, 3);
	h->shift_end_ms = sqlite3_column_int64(s, 4);
	store_copy_text(h->outgoing, sizeof h->outgoing, s, 5);
	store_copy_text(h->notes, sizeof h->notes, s, 6);
	const char *summary = (const char *)sqlite3_column_text(s, 7);
	json_t *j = summary ? json_loads(summary, 0, NULL) : NULL;
	handover_summary_from_json(j, &h->summary);
	json_decref(j);
	h->submitted_ms = sqlite3_column_int64(s, 8);
	h->n_submits = sqlite3_column_int(s, 9);
	store_copy_text(h->incoming, sizeof h->incoming, s, 10);
	h->accepted_ms = sqlite3_column_int64(s, 11);
	store_copy_text(h->objection, sizeof h->objection, s, 12);
}

int store_handover_get(struct dd_store *st, const char *id, struct dd_handover *out, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " HANDOVER_COLUMNS " FROM handovers WHERE id = ? AND n_submits > 0", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if ((rc = store_step_row(st, s, "no such handover", "reading a handover", err)) == 0)
		row_to_handover(s, out);
	sqlite3_finalize(s);
	return rc;
}

int store_handover_latest(struct dd_store *st, const char *org, bool accepted, struct dd_handover *out,
			  struct dd_error *err)
{
	/* Drill handovers never decide who is on duty. */
	sqlite3_stmt *s;
	int rc = store_prepare(st, accepted ? "SELECT " HANDOVER_COLUMNS " FROM handovers WHERE org = ? AND drill = 0"
					     " AND n_submits > 0 AND accepted_ms > 0 ORDER BY accepted_ms DESC, id DESC LIMIT 1"
					   : "SELECT " HANDOVER_COLUMNS " FROM handovers WHERE org = ? AND drill = 0"
					     " AND n_submits > 0 AND accepted_ms = 0 ORDER BY submitted_ms DESC, id DESC LIMIT 1",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, org, -1, SQLITE_STATIC);
	if ((rc = store_step_row(st, s, accepted ? "no accepted handover" : "no handover awaits acceptance",
				 "reading a handover", err)) == 0)
		row_to_handover(s, out);
	sqlite3_finalize(s);
	return rc;
}

int store_handover_missed_calls(struct dd_store *st, const char *desk, int64_t since_ms, int64_t until_ms,
				struct dd_ho_call *out, int max, int *n, int64_t *total, struct dd_error *err)
{
	/* A call out of the desk not reached, with no later reached call to
	 * the same org in the window: the desk still owes that org a call.
	 * The desk that made a call is its shift-log entry's org. */
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT c.id, c.at_ms, c.callee, coalesce(o.name, ''), coalesce(l.name, ''), c.result,"
			       " c.officer FROM calls c JOIN shift_log g ON g.at_ms = c.at_ms AND g.id = c.id AND g.org = ?1"
			       " LEFT JOIN orgs o ON o.id = c.callee LEFT JOIN liaisons l ON l.id = c.liaison"
			       " WHERE c.direction = 'out' AND c.result <> 'reached' AND c.drill = 0"
			       " AND c.at_ms >= ?2 AND c.at_ms < ?3"
			       " AND NOT EXISTS (SELECT 1 FROM calls r WHERE r.callee = c.callee AND r.result = 'reached'"
			       "   AND r.drill = 0 AND r.at_ms > c.at_ms AND r.at_ms < ?3)"
			       " ORDER BY c.at_ms, c.id", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, desk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since_ms);
	sqlite3_bind_int64(s, 3, until_ms);
	int step;
	*n = 0;
	*total = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n < max) {
			struct dd_ho_call *c = &out[(*n)++];
			memset(c, 0, sizeof *c);
			store_copy_text(c->id, sizeof c->id, s, 0);
			c->at_ms = sqlite3_column_int64(s, 1);
			store_copy_text(c->callee, sizeof c->callee, s, 2);
			store_copy_text(c->callee_name, sizeof c->callee_name, s, 3);
			store_copy_text(c->liaison, sizeof c->liaison, s, 4);
			store_copy_text(c->result, sizeof c->result, s, 5);
			store_copy_text(c->officer, sizeof c->officer, s, 6);
		}
		(*total)++;
	}
	return store_scan_end(st, s, step, "listing calls", err);
}

int store_handover_hops_due(struct dd_store *st, int64_t before_ms, struct dd_ho_hop *out, int max, int *n,
			    int64_t *total, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT i.id, i.title, h.hop, h.to_whom, h.due_ms FROM incidents i"
			       " JOIN incident_hops h ON h.incident = i.id"
			       " WHERE i.closed = 0 AND i.drill = 0 AND i.duplicate_of = '' AND h.due_ms > 0 AND h.due_ms < ?1"
			       " AND NOT EXISTS (SELECT 1 FROM incident_hops_made m WHERE m.incident = i.id AND m.hop = h.hop)"
			       " ORDER BY h.due_ms, i.id, h.ord", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, before_ms);
	int step;
	*n = 0;
	*total = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n < max) {
			struct dd_ho_hop *h = &out[(*n)++];
			memset(h, 0, sizeof *h);
			store_copy_text(h->incident, sizeof h->incident, s, 0);
			store_copy_text(h->title, sizeof h->title, s, 1);
			store_copy_text(h->hop, sizeof h->hop, s, 2);
			store_copy_text(h->to, sizeof h->to, s, 3);
			h->due_ms = sqlite3_column_int64(s, 4);
		}
		(*total)++;
	}
	return store_scan_end(st, s, step, "listing reporting deadlines", err);
}
