/*
 * store_incident.c — the incident projections and their queries (part of
 * the store; SQL stays in core/store*.c).
 *
 * Invariants: every incidents row is a pure function of the events with
 * its id as subject, whatever order they arrived in — mutable fields keep
 * the value of the greatest (hlc, origin, seq) version, counters count
 * the log, a hop keeps its first recording, and an open applies whatever
 * arrived before it — so rebuild equals incremental.
 * After any change, refresh() recomputes the hop deadlines and the next
 * deadline, which the queue index orders by.
 */
#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

#define NO_DUE INT64_MAX

static int64_t time_field(const json_t *body, const char *name)
{
	int64_t ms = 0;
	int off;
	const char *s = json_string_value(json_object_get(body, name));
	if (s && time_parse_rfc3339(s, &ms, &off) != 0)
		ms = 0;
	return ms;
}

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

/* The district office of an org: "cq.yubei" for "cq.yubei.ent-1". */
static void district_of(const char *org, char *out, size_t n)
{
	out[0] = '\0';
	if (strncmp(org, "cq.", 3) != 0)
		return;
	const char *dot = strchr(org + 3, '.');
	size_t len = dot ? (size_t)(dot - org) : strlen(org);
	static const char *const not_districts[] = { "cq.center", "cq.expert", "cq.support", NULL };
	for (int i = 0; not_districts[i]; i++)
		if (strlen(not_districts[i]) == len && strncmp(org, not_districts[i], len) == 0)
			return;
	snprintf(out, n, "%.*s", (int)len, org);
}

/* ---- refresh: deadlines from the effective chain ----------------- */

struct made {
	char hop[DD_HOP_ID_MAX + 1];
	int64_t made_ms;
};

static int refresh(struct dd_store *st, const char *id, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st,
			       "SELECT detected_ms, status, close_ms, summary_within_min, summary_ver,"
			       " proposed_tier, proposed_hops, confirmed_tier, confirmed_hops, open_hops"
			       " FROM incidents WHERE id = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return 0;   /* events about an incident not opened here yet */
	}
	int64_t detected = sqlite3_column_int64(s, 0);
	int status = sqlite3_column_int(s, 1);
	/* Handling ended at the latest close, while the status is still at
	 * or past closed (a reopened incident is being handled again). */
	int64_t handling_end = status >= DD_ST_CLOSED ? sqlite3_column_int64(s, 2) : 0;
	int64_t summary_within = sqlite3_column_int64(s, 3);
	bool has_summary = sqlite3_column_bytes(s, 4) > 0;
	int proposed = sqlite3_column_int(s, 5), confirmed = sqlite3_column_int(s, 7);
	int tier = confirmed >= 0 ? confirmed : proposed >= 0 ? proposed : DD_TIER_UNASSESSED;
	const char *hops_text = (const char *)sqlite3_column_text(s, confirmed >= 0 ? 8 : proposed >= 0 ? 6 : 9);
	json_t *hops = json_loads(hops_text ? hops_text : "[]", 0, NULL);
	sqlite3_finalize(s);
	if (!hops)
		return dd_fail(err, DD_ECORRUPT, "incident %s: stored chain is not JSON", id);

	struct made made[DD_HOPS_MAX];
	int n_made = 0;
	if ((rc = store_prepare(st, "SELECT hop, made_ms FROM incident_hops_made WHERE incident = ?", &s, err)))
		goto out;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW && n_made < DD_HOPS_MAX) {
		snprintf(made[n_made].hop, sizeof made[n_made].hop, "%s", (const char *)sqlite3_column_text(s, 0));
		made[n_made++].made_ms = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);

	if ((rc = store_prepare(st, "DELETE FROM incident_hops WHERE incident = ?", &s, err)))
		goto out;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "clearing deadlines", err)))
		goto out;

	int64_t due[DD_HOPS_MAX], done[DD_HOPS_MAX];
	int64_t next = NO_DUE;
	char next_what[DD_HOP_ID_MAX + 1] = "";
	size_t n = json_array_size(hops);
	for (size_t i = 0; i < n && i < DD_HOPS_MAX; i++) {
		json_t *h = json_array_get(hops, i);
		const char *hop = store_body_str(h, "id"), *after = store_body_str(h, "after");
		int64_t base = detected;
		for (size_t j = 0; j < i; j++)
			if (strcmp(store_body_str(json_array_get(hops, j), "id"), after) == 0)
				base = done[j] ? done[j] : due[j];
		due[i] = base + json_integer_value(json_object_get(h, "within_min")) * 60000;
		done[i] = 0;
		for (int m = 0; m < n_made; m++)
			if (strcmp(made[m].hop, hop) == 0)
				done[i] = made[m].made_ms;
		/* Once handling has ended, a hop never made stays late in the
		 * chain, but what the desk must do next is the summary. */
		if (!done[i] && due[i] < next && status < DD_ST_CLOSED) {
			next = due[i];
			snprintf(next_what, sizeof next_what, "%s", hop);
		}
		if ((rc = store_prepare(st, "INSERT INTO incident_hops(incident, ord, hop, to_whom, due_ms) VALUES(?,?,?,?,?)",
					&s, err)))
			goto out;
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, (int)i);
		sqlite3_bind_text(s, 3, hop, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, store_body_str(h, "to"), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, due[i]);
		if ((rc = store_step_done(st, s, "recording a deadline", err)))
			goto out;
	}
	if (status == DD_ST_CLOSED && !has_summary && handling_end) {
		int64_t summary_due = handling_end + summary_within * 60000;
		if (summary_due < next) {
			next = summary_due;
			snprintf(next_what, sizeof next_what, "summary");
		}
	}
	if ((rc = store_prepare(st, "UPDATE incidents SET tier = ?, tier_order = ?, next_due_ms = ?, next_due_what = ?,"
				    " closed = ? WHERE id = ?", &s, err)))
		goto out;
	sqlite3_bind_int(s, 1, tier);
	sqlite3_bind_int(s, 2, DD_TIERS - 1 - tier);
	sqlite3_bind_int64(s, 3, next);
	sqlite3_bind_text(s, 4, next_what, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, status >= DD_ST_CLOSED);
	sqlite3_bind_text(s, 6, id, -1, SQLITE_STATIC);
	rc = store_step_done(st, s, "updating the queue", err);
out:
	json_decref(hops);
	return rc;
}

/* ---- applying events ------------------------------------------------ */

static int apply_open(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	char district[DD_ORG_MAX + 1];
	district_of(store_body_str(b, "reporting_org"), district, sizeof district);
	char *hops = json_dumps(json_object_get(b, "hops"), JSON_COMPACT | JSON_SORT_KEYS);
	int64_t opened_ms = 0;
	int off;
	time_parse_rfc3339(ev->at, &opened_ms, &off);
	sqlite3_stmt *s;
	/* OR IGNORE: the same id opened twice can only be a replay. */
	int rc = store_prepare(st,
			       "INSERT OR IGNORE INTO incidents(id, title, category, description, reporting_org, district,"
			       " objects, reporter, cii, occurred_ms, detected_ms, opened_ms, opened_by, open_hops,"
			       " status, status_ver, close_ms, close_ver, summary_within_min,"
			       " proposed_tier, proposed_hops, proposed_ver, confirmed_tier, confirmed_hops, confirmed_ver,"
			       " tier, tier_order, duplicate_of, duplicate_ver, summary_ver, n_reports,"
			       " next_due_ms, next_due_what, closed, drill)"
			       " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14, 0,'',0,'',0, -1,'[]','', -1,'[]','',"
			       " 0,?15, '','', '',0, ?16,'', 0,?17)",
			       &s, err);
	if (rc) {
		free(hops);
		return rc;
	}
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "title"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, store_body_str(b, "category"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "description"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, store_body_str(b, "reporting_org"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, store_body_str(b, "objects"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, store_body_str(b, "reporter"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, json_is_true(json_object_get(b, "cii")));
	sqlite3_bind_int64(s, 10, time_field(b, "occurred_at"));
	sqlite3_bind_int64(s, 11, time_field(b, "detected_at"));
	sqlite3_bind_int64(s, 12, opened_ms);
	sqlite3_bind_text(s, 13, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 14, hops ? hops : "[]", -1, free);
	sqlite3_bind_int(s, 15, DD_TIERS - 1);
	sqlite3_bind_int64(s, 16, NO_DUE);
	sqlite3_bind_int(s, 17, ev->drill);
	rc = store_step_done(st, s, "opening an incident", err);
	if (rc || sqlite3_changes(st->db) == 0)
		return rc;
	/* Changes can arrive before the open they refer to: another console's
	 * chain synced ahead of the opener's, or rebuild replaying one origin
	 * after another.  They found no row then, so they are applied now;
	 * the only trace they left (incident_hops_made) is idempotent. */
	if ((rc = store_prepare(st, "SELECT " EVENT_COLUMNS " FROM events WHERE subject = ? AND subject <> ''"
				    " AND substr(kind, 1, 9) = 'incident.' AND kind <> 'incident.open'"
				    " ORDER BY hlc, origin, seq", &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_event early;
		if ((rc = store_row_to_event(s, &early, err)) == 0)
			rc = store_incident_apply(st, &early, err);
		event_free(&early);
		if (rc)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_sql_fail(st, step, err, "applying changes that came before the open");
	sqlite3_finalize(s);
	return rc;
}

/* Binds ?1 version, ?2 id, then the caller's values from ?3 on, and runs
 * an UPDATE whose WHERE keeps only newer versions. */
static int run_update(struct dd_store *st, sqlite3_stmt *s, const struct dd_event *ev, struct dd_error *err)
{
	char ver[DD_VER_MAX];
	store_version_of(ev, ver);
	sqlite3_bind_text(s, 1, ver, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, ev->subject, -1, SQLITE_STATIC);
	return store_step_done(st, s, "updating an incident", err);
}

static int apply_status(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	int to = index_of(dd_incident_statuses, store_body_str(ev->body, "to"));
	sqlite3_stmt *s;
	int rc = store_prepare(st, "UPDATE incidents SET status = ?3, status_ver = ?1 WHERE id = ?2 AND status_ver < ?1",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int(s, 3, to);
	if ((rc = run_update(st, s, ev, err)) || to != DD_ST_CLOSED)
		return rc;
	/* The latest close says when handling ended and how long the summary may take. */
	int64_t at_ms = 0;
	int off;
	time_parse_rfc3339(ev->at, &at_ms, &off);
	if ((rc = store_prepare(st, "UPDATE incidents SET close_ms = ?3, summary_within_min = ?4, close_ver = ?1"
				    " WHERE id = ?2 AND close_ver < ?1", &s, err)))
		return rc;
	sqlite3_bind_int64(s, 3, at_ms);
	sqlite3_bind_int64(s, 4, json_integer_value(json_object_get(ev->body, "summary_within_min")));
	return run_update(st, s, ev, err);
}

static int apply_tier(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	bool confirm = strcmp(store_body_str(ev->body, "action"), "confirm") == 0;
	int tier = index_of(dd_tier_ids, store_body_str(ev->body, "tier"));
	char *hops = json_dumps(json_object_get(ev->body, "hops"), JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *s;
	int rc = store_prepare(st, confirm ? "UPDATE incidents SET confirmed_tier = ?3, confirmed_hops = ?4, confirmed_ver = ?1"
					     " WHERE id = ?2 AND confirmed_ver < ?1"
					   : "UPDATE incidents SET proposed_tier = ?3, proposed_hops = ?4, proposed_ver = ?1"
					     " WHERE id = ?2 AND proposed_ver < ?1", &s, err);
	if (rc) {
		free(hops);
		return rc;
	}
	sqlite3_bind_int(s, 3, tier);
	sqlite3_bind_text(s, 4, hops ? hops : "[]", -1, free);
	return run_update(st, s, ev, err);
}

static int apply_hop(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	char ver[DD_VER_MAX];
	store_version_of(ev, ver);
	sqlite3_stmt *s;
	/* The first recording of a hop stands; a later one is history only. */
	int rc = store_prepare(st,
			       "INSERT INTO incident_hops_made(incident, hop, ver, made_ms, to_whom, via, by, note)"
			       " VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(incident, hop) DO UPDATE SET"
			       " ver = excluded.ver, made_ms = excluded.made_ms, to_whom = excluded.to_whom,"
			       " via = excluded.via, by = excluded.by, note = excluded.note WHERE excluded.ver < ver",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(ev->body, "hop"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, ver, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, time_field(ev->body, "made_at"));
	sqlite3_bind_text(s, 5, store_body_str(ev->body, "to"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(ev->body, "via"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, store_body_str(ev->body, "note"), -1, SQLITE_STATIC);
	return store_step_done(st, s, "recording a hop", err);
}

static int apply_simple(struct dd_store *st, const struct dd_event *ev, const char *sql, const char *text,
			struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	if (text)
		sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
	return run_update(st, s, ev, err);
}

int store_incident_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const char *k = ev->kind + strlen("incident.");
	int rc = 0;
	if (strcmp(k, "open") == 0)
		rc = apply_open(st, ev, err);
	else if (strcmp(k, "status") == 0)
		rc = apply_status(st, ev, err);
	else if (strcmp(k, "tier") == 0)
		rc = apply_tier(st, ev, err);
	else if (strcmp(k, "hop") == 0)
		rc = apply_hop(st, ev, err);
	else if (strcmp(k, "report") == 0)
		/* ?1 (the version) is bound but unused: reports only count.  Counted
		 * from the log, not incremented, so applying a report again (the
		 * open's catch-up during a rebuild) cannot count it twice. */
		rc = apply_simple(st, ev, "UPDATE incidents SET n_reports = (SELECT count(*) FROM events"
				  " WHERE subject = ?2 AND subject <> '' AND kind = 'incident.report') WHERE id = ?2 AND ?1 <> ''",
				  NULL, err);
	else if (strcmp(k, "duplicate") == 0)
		rc = apply_simple(st, ev, "UPDATE incidents SET duplicate_of = ?3, duplicate_ver = ?1"
				  " WHERE id = ?2 AND duplicate_ver < ?1", store_body_str(ev->body, "of"), err);
	else if (strcmp(k, "summary") == 0)
		rc = apply_simple(st, ev, "UPDATE incidents SET summary_ver = ?1 WHERE id = ?2 AND summary_ver < ?1",
				  NULL, err);
	else
		return 0;   /* notes change no projection: the timeline reads events */
	return rc ? rc : refresh(st, ev->subject, err);
}

/* ---- reading --------------------------------------------------------- */

#define INCIDENT_COLUMNS                                                                          \
	"id, title, category, description, reporting_org, district, objects, reporter, cii,"     \
	" occurred_ms, detected_ms, opened_ms, opened_by, status, proposed_tier, confirmed_tier," \
	" tier, duplicate_of, close_ms, summary_within_min, summary_ver, next_due_ms,"           \
	" next_due_what, n_reports, drill"

static void row_to_incident(sqlite3_stmt *s, struct dd_incident *in)
{
	memset(in, 0, sizeof *in);
	store_copy_text(in->id, sizeof in->id, s, 0);
	store_copy_text(in->title, sizeof in->title, s, 1);
	store_copy_text(in->category, sizeof in->category, s, 2);
	store_copy_text(in->description, sizeof in->description, s, 3);
	store_copy_text(in->reporting_org, sizeof in->reporting_org, s, 4);
	store_copy_text(in->district, sizeof in->district, s, 5);
	store_copy_text(in->objects, sizeof in->objects, s, 6);
	store_copy_text(in->reporter, sizeof in->reporter, s, 7);
	in->cii = sqlite3_column_int(s, 8);
	in->occurred_ms = sqlite3_column_int64(s, 9);
	in->detected_ms = sqlite3_column_int64(s, 10);
	in->opened_ms = sqlite3_column_int64(s, 11);
	store_copy_text(in->opened_by, sizeof in->opened_by, s, 12);
	in->status = sqlite3_column_int(s, 13);
	in->proposed_tier = sqlite3_column_int(s, 14);
	in->confirmed_tier = sqlite3_column_int(s, 15);
	in->tier = sqlite3_column_int(s, 16);
	store_copy_text(in->duplicate_of, sizeof in->duplicate_of, s, 17);
	in->handling_end_ms = in->status >= DD_ST_CLOSED ? sqlite3_column_int64(s, 18) : 0;
	in->has_summary = sqlite3_column_bytes(s, 20) > 0;
	if (in->handling_end_ms)
		in->summary_due_ms = in->handling_end_ms + sqlite3_column_int64(s, 19) * 60000;
	int64_t due = sqlite3_column_int64(s, 21);
	in->next_due_ms = due == NO_DUE ? 0 : due;
	store_copy_text(in->next_due_what, sizeof in->next_due_what, s, 22);
	in->n_reports = sqlite3_column_int(s, 23);
	in->drill = sqlite3_column_int(s, 24);
}

int store_incident_get(struct dd_store *st, const char *id, struct dd_incident *out, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE id = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		row_to_incident(s, out);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? dd_fail(err, DD_ENOTFOUND, "no incident %s", id)
				       : store_sql_fail(st, rc, err, "reading an incident");
	}
	sqlite3_finalize(s);
	return rc;
}

int store_incident_hops(struct dd_store *st, const char *id, struct dd_hop_state *hops, int *n,
			struct dd_error *err)
{
	*n = 0;
	sqlite3_stmt *s;
	int rc = store_prepare(st,
			       "SELECT h.hop, h.to_whom, h.due_ms, coalesce(m.made_ms, 0), coalesce(m.to_whom, ''),"
			       " coalesce(m.via, ''), coalesce(m.by, '') FROM incident_hops h"
			       " LEFT JOIN incident_hops_made m ON m.incident = h.incident AND m.hop = h.hop"
			       " WHERE h.incident = ? ORDER BY h.ord", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW && *n < DD_HOPS_MAX) {
		struct dd_hop_state *h = &hops[(*n)++];
		store_copy_text(h->hop, sizeof h->hop, s, 0);
		store_copy_text(h->to, sizeof h->to, s, 1);
		h->due_ms = sqlite3_column_int64(s, 2);
		h->done_ms = sqlite3_column_int64(s, 3);
		store_copy_text(h->done_to, sizeof h->done_to, s, 4);
		store_copy_text(h->via, sizeof h->via, s, 5);
		store_copy_text(h->by, sizeof h->by, s, 6);
	}
	sqlite3_finalize(s);
	return 0;
}

int store_incident_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	size_t n = strlen(ref);
	if (n < 4 || n > DD_UUID_LEN)
		return dd_fail(err, DD_EINVAL, "'%s': give an incident id or at least 4 of its hex digits", ref);
	for (const char *p = ref; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == '-'))
			return dd_fail(err, DD_EINVAL, "'%s' is not an incident id (lowercase hex)", ref);
	sqlite3_stmt *s;
	/* Position 29 starts the short id people see (the last 8 digits), so
	 * the first digits of what the queue shows name it too. */
	int rc = store_prepare(st, "SELECT id, title FROM incidents WHERE id = ?1 OR substr(id, -length(?1)) = ?1"
				   " OR substr(id, 1, length(?1)) = ?1 OR substr(id, 29, length(?1)) = ?1"
				   " ORDER BY id LIMIT 6", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	int found = 0;
	char list[400] = "";
	size_t used = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		if (found++ == 0)
			snprintf(out, DD_UUID_LEN + 1, "%s", id);
		if (used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "\n  %s  %.40s", id,
						 (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (found == 0)
		return dd_fail(err, DD_ENOTFOUND, "no incident %s", ref);
	if (found > 1)
		return dd_fail(err, DD_EINVAL, "'%s' matches several incidents:%s", ref, list);
	return 0;
}

int store_event_resolve(struct dd_store *st, const char *incident, const char *ref, char out[DD_UUID_LEN + 1],
			struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT id FROM events WHERE subject = ?1 AND (id = ?2 OR substr(id, -8) = ?2) LIMIT 2",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, incident, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ref, -1, SQLITE_STATIC);
	int found = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		if (found++ == 0)
			snprintf(out, DD_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (found != 1)
		return dd_fail(err, found ? DD_EINVAL : DD_ENOTFOUND, "%s: %s", ref,
			       found ? "matches several entries; give the full id" : "no such entry in this incident");
	return 0;
}

void store_incident_filter_init(struct dd_incident_filter *f)
{
	memset(f, 0, sizeof *f);
	f->closed = 0;
	f->tier = -1;
	f->status = -1;
	f->drill = -1;
}

void incident_queue_key(const struct dd_incident *in, struct dd_queue_key *key)
{
	key->tier = in->tier;
	key->due = in->next_due_ms ? in->next_due_ms : NO_DUE;
	snprintf(key->id, sizeof key->id, "%s", in->id);
}

static void filter_where(char *sql, size_t n, const struct dd_incident_filter *f, const char *extra)
{
	size_t len = strlen(sql);
	const char *sep = " WHERE ";
#define ADD(cond)                                                               \
	do {                                                                    \
		len += (size_t)snprintf(sql + len, n - len, "%s%s", sep, cond);  \
		sep = " AND ";                                                  \
	} while (0)
	if (f->closed >= 0)
		ADD("closed = :closed");
	if (f->tier >= 0)
		ADD("tier = :tier");
	if (f->status >= 0)
		ADD("status = :status");
	if (f->district)
		ADD("(district = :district OR reporting_org = :district OR reporting_org LIKE :district || '.%')");
	if (f->text)
		ADD("(instr(lower(title), lower(:text)) OR instr(lower(reporting_org), lower(:text))"
		    " OR instr(objects, :text) OR instr(reporter, :text) OR instr(id, lower(:text)))");
	if (f->drill >= 0)
		ADD("drill = :drill");
	if (!f->duplicates)
		ADD("duplicate_of = ''");
	if (extra)
		ADD(extra);
#undef ADD
}

static void bind_named(sqlite3_stmt *s, const char *name, const char *text, int64_t v)
{
	int i = sqlite3_bind_parameter_index(s, name);
	if (!i)
		return;
	if (text)
		sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, i, v);
}

static void filter_bind(sqlite3_stmt *s, const struct dd_incident_filter *f)
{
	bind_named(s, ":closed", NULL, f->closed);
	bind_named(s, ":tier", NULL, f->tier);
	bind_named(s, ":status", NULL, f->status);
	bind_named(s, ":district", f->district, 0);
	bind_named(s, ":text", f->text, 0);
	bind_named(s, ":drill", NULL, f->drill);
}

int store_incident_scan(struct dd_store *st, const struct dd_incident_filter *f, const struct dd_queue_key *after,
			bool backward, int limit, dd_incident_cb cb, void *ctx, struct dd_error *err)
{
	/* The page's ids come from the covering queue index alone; only the
	 * rows shown are then read whole. */
	char sql[2048] = "SELECT " INCIDENT_COLUMNS " FROM incidents JOIN (SELECT id AS pick, tier_order AS o,"
			 " next_due_ms AS d FROM incidents";
	filter_where(sql, sizeof sql, f,
		     after ? (backward ? "(tier_order, next_due_ms, id) < (:k_order, :k_due, :k_id)"
				       : "(tier_order, next_due_ms, id) > (:k_order, :k_due, :k_id)")
			   : NULL);
	size_t len = strlen(sql);
	snprintf(sql + len, sizeof sql - len,
		 backward ? " ORDER BY tier_order DESC, next_due_ms DESC, id DESC LIMIT :limit) ON id = pick"
			    " ORDER BY o DESC, d DESC, pick DESC"
			  : " ORDER BY tier_order, next_due_ms, id LIMIT :limit) ON id = pick ORDER BY o, d, pick");
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	filter_bind(s, f);
	if (after) {
		bind_named(s, ":k_order", NULL, DD_TIERS - 1 - after->tier);
		bind_named(s, ":k_due", NULL, after->due);
		bind_named(s, ":k_id", after->id, 0);
	}
	bind_named(s, ":limit", NULL, limit);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_incident in;
		row_to_incident(s, &in);
		if (cb(&in, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading the queue", err);
}

int store_incident_count(struct dd_store *st, const struct dd_incident_filter *f, int64_t *n, struct dd_error *err)
{
	char sql[2048] = "SELECT count(*) FROM incidents";
	filter_where(sql, sizeof sql, f, NULL);
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	filter_bind(s, f);
	return store_step_int64(st, s, n, "counting incidents", err);
}

int store_incident_timeline(struct dd_store *st, const char *id, dd_event_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " EVENT_COLUMNS " FROM events WHERE subject = ? AND subject <> ''"
				   " ORDER BY hlc, origin, seq", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_event ev;
		if ((rc = store_row_to_event(s, &ev, err)))
			break;
		int stop = cb(&ev, ctx);
		event_free(&ev);
		if (stop)
			break;
	}
	if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_sql_fail(st, step, err, "reading a timeline");
	sqlite3_finalize(s);
	return rc;
}

int store_incident_open_briefs(struct dd_store *st, dd_brief_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	/* Only columns of incidents_queue, so SQLite never reads the rows. */
	int rc = store_prepare(st, "SELECT id, tier_order, next_due_ms, drill FROM incidents WHERE closed = 0", &s, err);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_incident_brief b;
		store_copy_text(b.id, sizeof b.id, s, 0);
		b.tier = DD_TIERS - 1 - sqlite3_column_int(s, 1);
		int64_t due = sqlite3_column_int64(s, 2);
		b.next_due_ms = due == NO_DUE ? 0 : due;
		b.drill = sqlite3_column_int(s, 3);
		if (cb(&b, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading open incidents", err);
}

int store_incident_tier_counts(struct dd_store *st, int drill, int64_t counts[DD_TIERS], struct dd_error *err)
{
	memset(counts, 0, sizeof(int64_t) * DD_TIERS);
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT tier, count(*) FROM incidents WHERE closed = 0 AND duplicate_of = ''"
				   " AND drill = ? GROUP BY tier", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int(s, 1, drill);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int t = sqlite3_column_int(s, 0);
		if (t >= 0 && t < DD_TIERS)
			counts[t] = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return 0;
}
