/*
 * store_advisory.c — the projection and queries of advisories (advisory.h).
 *
 * Invariants: advisories and advisory_to hold what advisory.issue said
 * (an advisory is issued once: its subject is new); advisory_answers has
 * one row per (advisory, org) whose acknowledgement is the earliest
 * advisory.ack (smallest ver) and whose report the newest advisory.report
 * (largest ver), so any replay order gives the same row.  Recipients are
 * never stored: they are the org tree under advisory_to at read time.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/advisory.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

static int64_t body_time(const json_t *body, const char *name)
{
	int64_t ms = 0;
	time_parse_rfc3339(store_body_str(body, name), &ms, NULL);
	return ms;
}

static int apply_issue(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	int64_t issued = 0;
	time_parse_rfc3339(ev->at, &issued, NULL);
	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT OR IGNORE INTO advisories(id, title, level, products, action, issued_ms,"
				   " deadline_ms, issuer, by) VALUES(?,?,?,?,?,?,?,?,?)", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "title"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, store_body_str(b, "level"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "products"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, store_body_str(b, "action"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, issued);
	sqlite3_bind_int64(s, 7, body_time(b, "deadline"));
	sqlite3_bind_text(s, 8, ev->org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, ev->actor, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "storing an advisory", err)))
		return rc;
	const json_t *to = json_object_get(b, "to");
	for (size_t i = 0; i < json_array_size(to) && rc == 0; i++) {
		if ((rc = store_prepare(st, "INSERT OR IGNORE INTO advisory_to(advisory, prefix) VALUES(?,?)", &s, err)))
			return rc;
		sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, json_string_value(json_array_get(to, i)), -1, SQLITE_STATIC);
		rc = store_step_done(st, s, "storing an advisory", err);
	}
	return rc;
}

static int apply_answer(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	char ver[DD_VER_MAX];
	store_version_of(ev, ver);
	int64_t at = 0;
	time_parse_rfc3339(ev->at, &at, NULL);
	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT OR IGNORE INTO advisory_answers(advisory, org, acked_ms, ack_ver, reported_ms,"
				   " affected, measures, done_ms, report_ver) VALUES(?,?,0,'',0,0,'',0,'')", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "org"), -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "storing an answer", err)))
		return rc;
	if (strcmp(ev->kind, "advisory.ack") == 0)
		rc = store_prepare(st, "UPDATE advisory_answers SET acked_ms=?3, ack_ver=?4 WHERE advisory=?1 AND org=?2"
				   " AND (ack_ver = '' OR ack_ver > ?4)", &s, err);
	else
		rc = store_prepare(st, "UPDATE advisory_answers SET reported_ms=?3, report_ver=?4, affected=?5,"
				   " measures=?6, done_ms=?7 WHERE advisory=?1 AND org=?2 AND report_ver < ?4", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "org"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_text(s, 4, ver, -1, SQLITE_STATIC);
	if (strcmp(ev->kind, "advisory.report") == 0) {
		sqlite3_bind_int(s, 5, json_is_true(json_object_get(b, "affected")));
		sqlite3_bind_text(s, 6, store_body_str(b, "measures"), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 7, body_time(b, "done_at"));
	}
	return store_step_done(st, s, "storing an answer", err);
}

int store_advisory_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	if (strcmp(ev->kind, "advisory.issue") == 0)
		return apply_issue(st, ev, err);
	if (strcmp(ev->kind, "advisory.ack") == 0 || strcmp(ev->kind, "advisory.report") == 0)
		return apply_answer(st, ev, err);
	return 0;
}

int store_advisory_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	return store_resolve_in(st, "advisories", "advisory", ref, out, err);
}

#define UNDER(org, prefix) "(" org " = " prefix " OR substr(" org ", 1, length(" prefix ") + 1) = " prefix " || '.')"
/* o is a recipient of advisory ?1 (issued by a.issuer). */
#define RECIPIENT                                                                                                  \
	"o.retired = 0 AND (o.kind LIKE 'ent-%' OR o.kind IN ('district', 'county', 'autonomous-county', 'zone'))" \
	" AND o.id <> (SELECT issuer FROM advisories WHERE id = ?1)"                                              \
	" AND EXISTS (SELECT 1 FROM advisory_to t WHERE t.advisory = ?1 AND " UNDER("o.id", "t.prefix") ")"

static int progress(struct dd_store *st, struct dd_advisory *a, int64_t now_ms, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT count(*), coalesce(sum(coalesce(w.acked_ms, 0) > 0), 0),"
			       " coalesce(sum(coalesce(w.reported_ms, 0) > 0), 0),"
			       " coalesce(sum(coalesce(w.reported_ms, 0) = 0 AND ?2 > ?3), 0)"
			       " FROM orgs o LEFT JOIN advisory_answers w ON w.advisory = ?1 AND w.org = o.id"
			       " WHERE " RECIPIENT, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_ms);
	sqlite3_bind_int64(s, 3, a->deadline_ms);
	if ((rc = store_step_row(st, s, "no advisory", "counting answers", err)) == 0) {
		a->recipients = sqlite3_column_int64(s, 0);
		a->acked = sqlite3_column_int64(s, 1);
		a->reported = sqlite3_column_int64(s, 2);
		a->overdue = sqlite3_column_int64(s, 3);
	}
	sqlite3_finalize(s);
	return rc;
}

static int read_to(struct dd_store *st, struct dd_advisory *a, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT prefix FROM advisory_to WHERE advisory = ? ORDER BY prefix", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, a->id, -1, SQLITE_STATIC);
	int step;
	a->n_to = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW && a->n_to < DD_ADVISORY_TO_MAX)
		store_copy_text(a->to[a->n_to++], sizeof a->to[0], s, 0);
	return store_scan_end(st, s, step, "reading recipients", err);
}

#define ADVISORY_COLUMNS "id, title, level, products, action, issued_ms, deadline_ms, issuer, by"

static int row_to_advisory(struct dd_store *st, sqlite3_stmt *s, int64_t now_ms, struct dd_advisory *a,
			   struct dd_error *err)
{
	memset(a, 0, sizeof *a);
	store_copy_text(a->id, sizeof a->id, s, 0);
	store_copy_text(a->title, sizeof a->title, s, 1);
	store_copy_text(a->level, sizeof a->level, s, 2);
	store_copy_text(a->products, sizeof a->products, s, 3);
	store_copy_text(a->action, sizeof a->action, s, 4);
	a->issued_ms = sqlite3_column_int64(s, 5);
	a->deadline_ms = sqlite3_column_int64(s, 6);
	store_copy_text(a->issuer, sizeof a->issuer, s, 7);
	store_copy_text(a->by, sizeof a->by, s, 8);
	int rc = read_to(st, a, err);
	return rc ? rc : progress(st, a, now_ms, err);
}

int store_advisory_get(struct dd_store *st, const char *id, int64_t now_ms, struct dd_advisory *out,
		       struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " ADVISORY_COLUMNS " FROM advisories WHERE id = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	char missing[80];
	snprintf(missing, sizeof missing, "no advisory %s", id);
	if ((rc = store_step_row(st, s, missing, "reading an advisory", err)) == 0)
		rc = row_to_advisory(st, s, now_ms, out, err);
	sqlite3_finalize(s);
	return rc;
}

int store_advisory_scan(struct dd_store *st, const char *viewer, int64_t now_ms, dd_advisory_cb cb, void *ctx,
			struct dd_error *err)
{
	/* A viewer sees what it issued and what any org of its subtree
	 * receives: a district desk answers for its enterprises by phone. */
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " ADVISORY_COLUMNS " FROM advisories a WHERE ?1 = '' OR a.issuer = ?1"
			       " OR EXISTS (SELECT 1 FROM advisory_to t WHERE t.advisory = a.id AND ("
			       UNDER("t.prefix", "?1") " OR " UNDER("?1", "t.prefix") "))"
			       " ORDER BY issued_ms DESC, id DESC", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, viewer, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_advisory a;
		if ((rc = row_to_advisory(st, s, now_ms, &a, err)) || cb(&a, ctx))
			break;
	}
	if (rc) {
		sqlite3_finalize(s);
		return rc;
	}
	return store_scan_end(st, s, step, "listing advisories", err);
}

static void row_to_answer(sqlite3_stmt *s, struct dd_advisory_answer *a)
{
	store_copy_text(a->org, sizeof a->org, s, 0);
	store_copy_text(a->org_name, sizeof a->org_name, s, 1);
	a->acked_ms = sqlite3_column_int64(s, 2);
	a->reported_ms = sqlite3_column_int64(s, 3);
	a->affected = sqlite3_column_int(s, 4);
	store_copy_text(a->measures, sizeof a->measures, s, 5);
	a->done_ms = sqlite3_column_int64(s, 6);
}

int store_advisory_answers(struct dd_store *st, const char *id, dd_answer_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT o.id, o.name, coalesce(w.acked_ms, 0), coalesce(w.reported_ms, 0),"
			       " coalesce(w.affected, 0), coalesce(w.measures, ''), coalesce(w.done_ms, 0)"
			       " FROM orgs o LEFT JOIN advisory_answers w ON w.advisory = ?1 AND w.org = o.id"
			       " WHERE " RECIPIENT " ORDER BY o.key", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_advisory_answer a;
		row_to_answer(s, &a);
		if (cb(&a, ctx))
			break;
	}
	return store_scan_end(st, s, step, "listing answers", err);
}

int store_advisory_answer(struct dd_store *st, const char *id, const char *org, struct dd_advisory_answer *out,
			  struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT ?2, '', coalesce(max(acked_ms), 0), coalesce(max(reported_ms), 0),"
			       " coalesce(max(affected), 0), coalesce(max(measures), ''), coalesce(max(done_ms), 0)"
			       " FROM advisory_answers WHERE advisory = ?1 AND org = ?2", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, org, -1, SQLITE_STATIC);
	if ((rc = store_step_row(st, s, "no answer", "reading an answer", err)) == 0)
		row_to_answer(s, out);
	sqlite3_finalize(s);
	return rc;
}

int store_advisory_recipient(struct dd_store *st, const char *id, const char *org, bool *yes, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT count(*) FROM orgs o WHERE o.id = ?2 AND " RECIPIENT, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, org, -1, SQLITE_STATIC);
	int64_t n = 0;
	rc = store_step_int64(st, s, &n, "checking a recipient", err);
	*yes = n > 0;
	return rc;
}
