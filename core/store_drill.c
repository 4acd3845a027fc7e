/*
 * store_drill.c — the projection and queries of drill runs (drill.h), and
 * the guard that keeps drills away from real items.
 *
 * Invariants: drill_runs has one row per drill.start (ended_ms NULL while
 * it runs, which is what the DRILL banner reads); drill_injects one row
 * per inject of the scenario the start event carried, due_ms moved by
 * each drill.shift while pending and fired_ms set once by the first
 * drill.inject naming it.  A run's events come from the coordinator's
 * console, one origin, so their replay order is their chain order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

bool store_set_drill(struct dd_store *st, bool on)
{
	bool was = st->drill;
	st->drill = on;
	return was;
}

static int64_t event_ms(const struct dd_event *ev)
{
	int64_t ms = 0;
	time_parse_rfc3339(ev->at, &ms, NULL);
	return ms;
}

static int apply_start(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	struct dd_inject *in = calloc(DD_DRILL_INJECTS_MAX, sizeof *in);
	int n, rc;
	if (!in)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	if ((rc = drill_injects_from_json(json_object_get(b, "injects"), in, &n, err))) {
		free(in);
		return rc;
	}
	char *orgs = json_dumps(json_object_get(b, "orgs"), JSON_COMPACT);
	sqlite3_stmt *s;
	if ((rc = store_prepare(st, "INSERT OR IGNORE INTO drill_runs(id, name, started_ms, ended_ms, scenario, description,"
				   " tier, speed, orgs, held_ms, paused_ms, by) VALUES(?,?,?,NULL,?,?,?,?,?,0,0,?)", &s, err)))
		goto out;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, event_ms(ev));
	sqlite3_bind_text(s, 4, store_body_str(b, "scenario"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, store_body_str(b, "description"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(b, "tier"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, json_integer_value(json_object_get(b, "speed")));
	sqlite3_bind_text(s, 8, orgs ? orgs : "[]", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, ev->actor, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "storing a drill", err)))
		goto out;
	for (int i = 0; i < n && rc == 0; i++) {
		if ((rc = store_prepare(st, "INSERT OR IGNORE INTO drill_injects(run, ord, inject, at_ms, due_ms, kind, org,"
					   " text, incident, category, tier, expect, within_ms, fired_ms, item, manual, title)"
					   " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,0,'',0,?)", &s, err)))
			break;
		sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, i);
		sqlite3_bind_text(s, 3, in[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, in[i].at_ms);
		sqlite3_bind_int64(s, 5, in[i].at_ms);
		sqlite3_bind_text(s, 6, in[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, in[i].org, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 8, in[i].text, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 9, in[i].incident, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 10, in[i].category, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 11, in[i].tier, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 12, in[i].expect, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 13, in[i].within_ms);
		sqlite3_bind_text(s, 14, in[i].title, -1, SQLITE_STATIC);
		rc = store_step_done(st, s, "storing a drill inject", err);
	}
out:
	free(orgs);
	free(in);
	return rc;
}

/* One UPDATE with the run (:run), the event's time (:at) and, when the
 * statement names them, :item, :manual, :inject and :by, for the kinds
 * that only move a run along. */
static void bind(sqlite3_stmt *s, const char *name, const char *text)
{
	int i = sqlite3_bind_parameter_index(s, name);
	if (i)
		sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
}

static void bind_int(sqlite3_stmt *s, const char *name, int64_t n)
{
	int i = sqlite3_bind_parameter_index(s, name);
	if (i)
		sqlite3_bind_int64(s, i, n);
}

static int update(struct dd_store *st, const char *sql, const struct dd_event *ev, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	const json_t *b = ev->body;
	bind(s, ":run", ev->subject);
	bind_int(s, ":at", event_ms(ev));
	bind(s, ":item", store_body_str(b, "item"));
	bind(s, ":inject", store_body_str(b, "inject"));
	bind_int(s, ":manual", json_is_true(json_object_get(b, "manual")));
	bind_int(s, ":by", json_integer_value(json_object_get(b, "by_ms")));
	return store_step_done(st, s, "updating a drill", err);
}

int store_drill_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const char *k = ev->kind + 6;
	if (strcmp(k, "start") == 0)
		return apply_start(st, ev, err);
	if (strcmp(k, "inject") == 0)
		return update(st, "UPDATE drill_injects SET fired_ms = :at, item = :item, manual = :manual"
			      " WHERE run = :run AND inject = :inject AND fired_ms = 0", ev, err);
	if (strcmp(k, "pause") == 0)
		return update(st, "UPDATE drill_runs SET paused_ms = :at WHERE id = :run AND paused_ms = 0"
			      " AND ended_ms IS NULL", ev, err);
	if (strcmp(k, "resume") == 0)
		return update(st, "UPDATE drill_runs SET held_ms = held_ms + max(0, :at - paused_ms), paused_ms = 0"
			      " WHERE id = :run AND paused_ms > 0", ev, err);
	if (strcmp(k, "shift") == 0)
		return update(st, "UPDATE drill_injects SET due_ms = due_ms + :by WHERE run = :run AND fired_ms = 0", ev,
			      err);
	if (strcmp(k, "stop") == 0)
		return update(st, "UPDATE drill_runs SET ended_ms = :at,"
			      " held_ms = held_ms + CASE WHEN paused_ms > 0 THEN max(0, :at - paused_ms) ELSE 0 END,"
			      " paused_ms = 0 WHERE id = :run AND ended_ms IS NULL", ev, err);
	return 0;
}

/* ---- reading ------------------------------------------------------- */

#define RUN_COLUMNS "id, name, scenario, tier, speed, started_ms, held_ms, paused_ms, coalesce(ended_ms, 0), by," \
	" (SELECT count(*) FROM drill_injects WHERE run = id)," \
	" (SELECT count(*) FROM drill_injects WHERE run = id AND fired_ms > 0), orgs"

static void read_run(sqlite3_stmt *s, struct dd_drill_run *r)
{
	memset(r, 0, sizeof *r);
	store_copy_text(r->id, sizeof r->id, s, 0);
	store_copy_text(r->name, sizeof r->name, s, 1);
	store_copy_text(r->scenario, sizeof r->scenario, s, 2);
	store_copy_text(r->tier, sizeof r->tier, s, 3);
	r->speed = sqlite3_column_int(s, 4);
	r->started_ms = sqlite3_column_int64(s, 5);
	r->held_ms = sqlite3_column_int64(s, 6);
	r->paused_ms = sqlite3_column_int64(s, 7);
	r->ended_ms = sqlite3_column_int64(s, 8);
	store_copy_text(r->by, sizeof r->by, s, 9);
	r->n_injects = sqlite3_column_int(s, 10);
	r->n_fired = sqlite3_column_int(s, 11);
	/* Written from a checked drill.start: an array of org ids. */
	const char *orgs = (const char *)sqlite3_column_text(s, 12);
	json_t *arr = orgs ? json_loads(orgs, 0, NULL) : NULL;
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		if (r->n_orgs < DD_DRILL_ORGS_MAX && json_is_string(o))
			snprintf(r->orgs[r->n_orgs++], sizeof r->orgs[0], "%s", json_string_value(o));
	}
	json_decref(arr);
}

static int one_run(struct dd_store *st, const char *sql, const char *id, struct dd_drill_run *r, const char *missing,
		   struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	if (id)
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if ((rc = store_step_row(st, s, missing, "reading a drill", err)) == 0)
		read_run(s, r);
	sqlite3_finalize(s);
	return rc;
}

int store_drill_current(struct dd_store *st, struct dd_drill_run *r, struct dd_error *err)
{
	return one_run(st, "SELECT " RUN_COLUMNS " FROM drill_runs WHERE ended_ms IS NULL ORDER BY started_ms DESC, id"
		       " LIMIT 1", NULL, r, "no drill is running", err);
}

int store_drill_get(struct dd_store *st, const char *id, struct dd_drill_run *r, struct dd_error *err)
{
	char msg[128];
	snprintf(msg, sizeof msg, "no drill %s", id);
	return one_run(st, "SELECT " RUN_COLUMNS " FROM drill_runs WHERE id = ?", id, r, msg, err);
}

int store_drill_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	return store_resolve_in(st, "drill_runs", "drill", ref, out, err);
}

int store_drill_list(struct dd_store *st, dd_drill_run_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " RUN_COLUMNS " FROM drill_runs ORDER BY started_ms DESC, id", &s, err);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_drill_run r;
		read_run(s, &r);
		if (cb(&r, ctx))
			break;
	}
	return store_scan_end(st, s, step, "listing drills", err);
}

int store_drill_injects(struct dd_store *st, const char *run, struct dd_drill_inject *out, int max, int *n,
			struct dd_error *err)
{
	*n = 0;
	struct dd_drill_run r;
	sqlite3_stmt *s;
	int rc = store_drill_get(st, run, &r, err);
	if (rc)
		return rc;
	if ((rc = store_prepare(st, "SELECT ord, inject, at_ms, due_ms, kind, org, text, incident, category, tier, expect,"
				   " within_ms, fired_ms, item, manual, title FROM drill_injects WHERE run = ? ORDER BY ord",
				   &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, run, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct dd_drill_inject *d = &out[(*n)++];
		memset(d, 0, sizeof *d);
		d->ord = sqlite3_column_int(s, 0);
		store_copy_text(d->in.id, sizeof d->in.id, s, 1);
		d->in.at_ms = sqlite3_column_int64(s, 2);
		d->due_ms = sqlite3_column_int64(s, 3);
		store_copy_text(d->in.kind, sizeof d->in.kind, s, 4);
		store_copy_text(d->in.org, sizeof d->in.org, s, 5);
		store_copy_text(d->in.text, sizeof d->in.text, s, 6);
		store_copy_text(d->in.incident, sizeof d->in.incident, s, 7);
		store_copy_text(d->in.category, sizeof d->in.category, s, 8);
		store_copy_text(d->in.tier, sizeof d->in.tier, s, 9);
		store_copy_text(d->in.expect, sizeof d->in.expect, s, 10);
		d->in.within_ms = sqlite3_column_int64(s, 11);
		d->fired_ms = sqlite3_column_int64(s, 12);
		store_copy_text(d->item, sizeof d->item, s, 13);
		d->manual = sqlite3_column_int(s, 14) != 0;
		store_copy_text(d->in.title, sizeof d->in.title, s, 15);
	}
	if ((rc = store_scan_end(st, s, step, "reading drill injects", err)))
		return rc;
	for (int i = 0; i < *n && rc == 0; i++)
		if (out[i].fired_ms)
			rc = store_drill_clock_at(st, &r, out[i].fired_ms, &out[i].fired_clock_ms, err);
	return rc;
}

int store_drill_clock_at(struct dd_store *st, const struct dd_drill_run *r, int64_t wall_ms, int64_t *clock_ms,
			 struct dd_error *err)
{
	/* The run's pauses as the projection applied them (drill.c writes
	 * them in order from one console): a pause while running, a resume
	 * or the stop while paused; only the part before wall_ms counts. */
	int64_t t = r->ended_ms && wall_ms > r->ended_ms ? r->ended_ms : wall_ms;
	int64_t held = 0, paused = 0;
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT kind, at FROM events WHERE subject = ? AND kind IN ('drill.pause',"
				   " 'drill.resume', 'drill.stop') ORDER BY hlc, origin, seq", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 0);
		int64_t at = 0;
		time_parse_rfc3339((const char *)sqlite3_column_text(s, 1), &at, NULL);
		if (strcmp(kind, "drill.pause") == 0) {
			if (!paused)
				paused = at;
		} else if (paused) {
			if (paused < t)
				held += (at < t ? at : t) - paused;
			paused = 0;
		}
	}
	if (paused && paused < t)
		held += t - paused;
	if ((rc = store_scan_end(st, s, step, "reading the pauses of a drill", err)))
		return rc;
	int64_t wall = t - r->started_ms - held;
	*clock_ms = (wall < 0 ? 0 : wall) * (r->speed > 0 ? r->speed : 1);
	return 0;
}

/* Whether the drill event ev answers inj (see dd_drill_actions). */
static bool answers(const struct dd_drill_inject *inj, const struct dd_event *ev)
{
	const char *a = inj->in.expect;
	bool on_incident = (strcmp(inj->in.kind, "incident") == 0 || strcmp(inj->in.kind, "tier") == 0) && inj->item[0];
	if (strcmp(a, "open") == 0)
		return strcmp(ev->kind, "incident.open") == 0;
	if (strcmp(a, "call") == 0) {
		const char *callee = store_body_str(ev->body, "callee");
		return strcmp(ev->kind, "log.entry") == 0 && *callee && org_in_scope(callee, inj->in.org);
	}
	if (strcmp(a, "log") == 0)
		return strcmp(ev->kind, "log.entry") == 0;
	char kind[DD_KIND_MAX + 1];
	snprintf(kind, sizeof kind, "incident.%s", a);
	return strcmp(ev->kind, kind) == 0 && (!on_incident || strcmp(ev->subject, inj->item) == 0);
}

/* Calls cb for every drill event in hlc order, with its time; the event
 * is valid only during the call. */
typedef int (*drill_event_cb)(const struct dd_event *ev, int64_t at_ms, void *ctx);

static int scan_drill_events(struct dd_store *st, drill_event_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " EVENT_COLUMNS " FROM events WHERE drill = 1 ORDER BY hlc, origin, seq", &s, err);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_event ev;
		if ((rc = store_row_to_event(s, &ev, err)) == 0)
			rc = cb(&ev, event_ms(&ev), ctx);
		event_free(&ev);
		if (rc)
			break;
	}
	if (rc > 0)
		rc = 0;
	int end = store_scan_end(st, s, step, "reading drill events", err);
	return rc ? rc : end;
}

struct response {
	const struct dd_drill_inject *inj;
	int64_t until_ms;
	int64_t at_ms;
	char *actor;
	size_t actor_n;
};

static int response_cb(const struct dd_event *ev, int64_t at_ms, void *ctx)
{
	struct response *r = ctx;
	if (at_ms < r->inj->fired_ms || (r->until_ms && at_ms > r->until_ms) || strcmp(ev->actor, DD_DRILL_CONTROL) == 0 || !answers(r->inj, ev))
		return 0;
	r->at_ms = at_ms;
	snprintf(r->actor, r->actor_n, "%s", ev->actor);
	return 1;
}

int store_drill_response(struct dd_store *st, const struct dd_drill_inject *inj, int64_t until_ms, int64_t *at_ms,
			 char *actor, size_t actor_n, struct dd_error *err)
{
	struct response r = { inj, until_ms, 0, actor, actor_n };
	actor[0] = 0;
	int rc = scan_drill_events(st, response_cb, &r, err);
	*at_ms = r.at_ms;
	return rc;
}

struct timeline {
	const struct dd_drill_run *run;
	json_t *arr;
};

/* What a person reads of an event in a timeline: its main text field. */
static const char *gist(const struct dd_event *ev)
{
	static const char *const fields[] = { "title", "text", "inject", "reason", "to", "note", "name", "hop", NULL };
	for (int i = 0; fields[i]; i++) {
		const char *v = store_body_str(ev->body, fields[i]);
		if (*v)
			return v;
	}
	return "";
}

static int timeline_cb(const struct dd_event *ev, int64_t at_ms, void *ctx)
{
	struct timeline *t = ctx;
	const struct dd_drill_run *r = t->run;
	if (at_ms < r->started_ms || (r->ended_ms && at_ms > r->ended_ms))
		return 0;
	json_array_append_new(t->arr, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "at", ev->at, "at_ms",
						(json_int_t)at_ms, "actor", ev->actor, "kind", ev->kind, "subject",
						ev->subject, "text", gist(ev)));
	return 0;
}

int store_drill_timeline(struct dd_store *st, const struct dd_drill_run *r, json_t *arr, struct dd_error *err)
{
	struct timeline t = { r, arr };
	return scan_drill_events(st, timeline_cb, &t, err);
}

/* ---- the guard ------------------------------------------------------ */

/* The drill column of table's row id; *found tells whether there is one. */
static int drill_of(struct dd_store *st, const char *table, const char *id, bool *found, int *drill,
		    struct dd_error *err)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT drill FROM %s WHERE id = ?", table);
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	*found = step == SQLITE_ROW;
	*drill = *found ? sqlite3_column_int(s, 0) : 0;
	return store_scan_end(st, s, step, "reading the drill flag", err);
}

/* Fails when id names a real row of table; what says what it is. */
static int not_real(struct dd_store *st, const struct dd_event *ev, const char *table, const char *id,
		    const char *what, struct dd_error *err)
{
	bool found;
	int drill;
	int rc = *id ? drill_of(st, table, id, &found, &drill, err) : 0;
	if (rc == 0 && *id && found && !drill)
		rc = dd_fail(err, DD_EINVAL, "a drill event (%s) may not touch real %s %s", ev->kind, what, id);
	return rc;
}

int store_drill_inherit(struct dd_store *st, struct dd_event *ev, struct dd_error *err)
{
	if (ev->drill)
		return 0;
	const char *incident = strncmp(ev->kind, "incident.", 9) == 0 && strcmp(ev->kind, "incident.open") != 0
				       ? ev->subject
				       : strcmp(ev->kind, "log.entry") == 0 ? store_body_str(ev->body, "incident") : "";
	bool found;
	int drill;
	int rc = *incident ? drill_of(st, "incidents", incident, &found, &drill, err) : 0;
	if (rc == 0 && *incident && found && drill)
		ev->drill = 1;
	return rc;
}

int store_drill_guard(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	static const char *const never[] = { "org.", "liaison.", "object.", "duty.", "period.", "zero.", "freeze.",
					     "advisory.", NULL };
	bool drill_kind = strncmp(ev->kind, "drill.", 6) == 0;
	if (drill_kind && !ev->drill)
		return dd_fail(err, DD_EINVAL, "a %s event must carry drill = 1", ev->kind);
	if (!ev->drill)
		return 0;
	for (int i = 0; never[i]; i++)
		if (strncmp(ev->kind, never[i], strlen(never[i])) == 0)
			return dd_fail(err, DD_EINVAL, "a drill may not write %s: the org tree, rosters, duty schedule, "
				       "protection periods, zero reports and advisories are real", ev->kind);
	int rc = 0;
	if (strncmp(ev->kind, "incident.", 9) == 0) {
		rc = not_real(st, ev, "incidents", ev->subject, "incident", err);
		if (rc == 0 && strcmp(ev->kind, "incident.duplicate") == 0)
			rc = not_real(st, ev, "incidents", store_body_str(ev->body, "of"), "incident", err);
	} else if (strcmp(ev->kind, "log.entry") == 0) {
		rc = not_real(st, ev, "incidents", store_body_str(ev->body, "incident"), "incident", err);
		if (rc == 0)
			rc = not_real(st, ev, "shift_log", store_body_str(ev->body, "corrects"), "log entry", err);
	}
	return rc;
}
