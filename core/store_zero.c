/*
 * store_zero.c — the projection and queries of protection periods, zero
 * reports and freeze warnings (zero.h).
 *
 * Invariants: protection_periods holds the newest version of each period
 * (its ver, "hlc|origin|seq", decides, so replay order does not matter)
 * and period_scopes exactly that version's prefixes; zero_reports keeps
 * every report, never one per slot, so a correction adds a row;
 * zero_latest holds per period, slot and org the newest report by ver
 * and how many there are, which is what the checklist shows;
 * freeze_warnings one row per event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/zero.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

static int64_t body_time(const json_t *body, const char *name)
{
	int64_t ms = 0;
	time_parse_rfc3339(store_body_str(body, name), &ms, NULL);
	return ms;
}

static int64_t event_time(const struct dd_event *ev)
{
	int64_t ms = 0;
	time_parse_rfc3339(ev->at, &ms, NULL);
	return ms;
}

/* A NAMES array joined with commas (ids and HH:MM hold none). */
static void join_names(const json_t *a, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < json_array_size(a) && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "",
					 json_string_value(json_array_get(a, i)));
}

static int apply_period(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	char ver[DD_VER_MAX];
	store_version_of(ev, ver);
	sqlite3_stmt *s;
	int64_t newer = 0;
	int rc = store_prepare(st, "SELECT count(*) FROM protection_periods WHERE id=? AND ver>=?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ver, -1, SQLITE_STATIC);
	if ((rc = store_step_int64(st, s, &newer, "reading a period", err)) || newer)
		return rc;
	const json_t *b = ev->body;
	char scope[DD_PERIOD_SCOPES_MAX * (DD_ORG_ID_MAX + 1)], times[DD_PERIOD_TIMES_MAX * 8];
	join_names(json_object_get(b, "scope"), scope, sizeof scope);
	join_names(json_object_get(b, "times"), times, sizeof times);
	if ((rc = store_prepare(st, "INSERT OR REPLACE INTO protection_periods(id, name, start_ms, end_ms, scope, tz,"
			      " times, grace_min, zero, watch, freeze, by, ver) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
			  &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, body_time(b, "start"));
	sqlite3_bind_int64(s, 4, body_time(b, "end"));
	sqlite3_bind_text(s, 5, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(b, "tz"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, times, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, json_integer_value(json_object_get(b, "grace_min")));
	sqlite3_bind_int(s, 9, json_is_true(json_object_get(b, "zero")));
	sqlite3_bind_int(s, 10, json_is_true(json_object_get(b, "watch")));
	sqlite3_bind_int(s, 11, json_is_true(json_object_get(b, "freeze")));
	sqlite3_bind_text(s, 12, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 13, ver, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "storing a period", err)))
		return rc;
	if ((rc = store_prepare(st, "DELETE FROM period_scopes WHERE period=?", &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "storing a period", err)))
		return rc;
	const json_t *a = json_object_get(b, "scope");
	for (size_t i = 0; i < json_array_size(a) && rc == 0; i++) {
		if ((rc = store_prepare(st, "INSERT OR IGNORE INTO period_scopes(period, prefix) VALUES(?,?)", &s, err)))
			return rc;
		sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, json_string_value(json_array_get(a, i)), -1, SQLITE_STATIC);
		rc = store_step_done(st, s, "storing a period", err);
	}
	return rc;
}

static int apply_report(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	char ver[DD_VER_MAX], incidents[sizeof ((struct dd_zero_row *)0)->incidents];
	store_version_of(ev, ver);
	const json_t *b = ev->body;
	join_names(json_object_get(b, "incidents"), incidents, sizeof incidents);
	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT INTO zero_reports(id, period, org, slot_ms, at_ms, by, via, nil, incidents,"
				   " reporter, note, corrects, ver, drill) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "period"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, store_body_str(b, "org"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, body_time(b, "slot"));
	sqlite3_bind_int64(s, 5, event_time(ev));
	sqlite3_bind_text(s, 6, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, store_body_str(b, "via"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 8, json_is_true(json_object_get(b, "nil")));
	sqlite3_bind_text(s, 9, incidents, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, store_body_str(b, "reporter"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, store_body_str(b, "note"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 12, store_body_str(b, "corrects"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 13, ver, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 14, ev->drill);
	if ((rc = store_step_done(st, s, "storing a zero report", err)))
		return rc;
	/* zero_latest: one more report for the slot; its columns are this
	 * report's when it is the newest by ver, whatever the replay order. */
	if ((rc = store_prepare(st, "INSERT INTO zero_latest(period, slot_ms, org, id, at_ms, by, via, reporter, nil,"
				    " incidents, n, ver) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,1,?11)"
				    " ON CONFLICT(period, slot_ms, org) DO UPDATE SET n = n + 1,"
				    " id = iif(excluded.ver > ver, excluded.id, id),"
				    " at_ms = iif(excluded.ver > ver, excluded.at_ms, at_ms),"
				    " by = iif(excluded.ver > ver, excluded.by, by),"
				    " via = iif(excluded.ver > ver, excluded.via, via),"
				    " reporter = iif(excluded.ver > ver, excluded.reporter, reporter),"
				    " nil = iif(excluded.ver > ver, excluded.nil, nil),"
				    " incidents = iif(excluded.ver > ver, excluded.incidents, incidents),"
				    " ver = max(excluded.ver, ver)",
				&s, err)))
		return rc;
	sqlite3_bind_text(s, 1, store_body_str(b, "period"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, body_time(b, "slot"));
	sqlite3_bind_text(s, 3, store_body_str(b, "org"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, event_time(ev));
	sqlite3_bind_text(s, 6, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, store_body_str(b, "via"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, store_body_str(b, "reporter"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, json_is_true(json_object_get(b, "nil")));
	sqlite3_bind_text(s, 10, incidents, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, ver, -1, SQLITE_STATIC);
	return store_step_done(st, s, "storing a zero report", err);
}

static int apply_warning(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT INTO freeze_warnings(id, period, object, object_name, org, change, event,"
				   " at_ms, by) VALUES(?,?,?,?,?,?,?,?,?)", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "period"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "object_name"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, store_body_str(b, "org"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(b, "change"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, store_body_str(b, "event"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, event_time(ev));
	sqlite3_bind_text(s, 9, ev->actor, -1, SQLITE_STATIC);
	return store_step_done(st, s, "storing a freeze warning", err);
}

int store_zero_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	if (strcmp(ev->kind, "period.set") == 0)
		return apply_period(st, ev, err);
	if (strcmp(ev->kind, "zero.report") == 0)
		return apply_report(st, ev, err);
	if (strcmp(ev->kind, "freeze.warning") == 0)
		return apply_warning(st, ev, err);
	return 0;
}

int store_resolve_in(struct dd_store *st, const char *table, const char *what, const char *ref,
		     char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	size_t n = strlen(ref);
	if (n < 4 || n > DD_UUID_LEN)
		return dd_fail(err, DD_EINVAL, "'%s': give a %s id or at least 4 of its hex digits", ref, what);
	for (const char *p = ref; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == '-'))
			return dd_fail(err, DD_EINVAL, "'%s' is not a %s id (lowercase hex)", ref, what);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE id = ?1 OR substr(id, -length(?1)) = ?1"
		 " OR substr(id, 1, length(?1)) = ?1 OR substr(id, 29, length(?1)) = ?1 ORDER BY id LIMIT 2", table);
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	int found = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		if (found++ == 0)
			store_copy_text(out, DD_UUID_LEN + 1, s, 0);
	sqlite3_finalize(s);
	if (found == 0)
		return dd_fail(err, DD_ENOTFOUND, "no %s %s", what, ref);
	if (found > 1)
		return dd_fail(err, DD_EINVAL, "'%s' names more than one %s; give more digits", ref, what);
	return 0;
}

int store_period_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	return store_resolve_in(st, "protection_periods", "protection period", ref, out, err);
}

#define PERIOD_COLUMNS "id, name, start_ms, end_ms, scope, tz, times, grace_min, zero, watch, freeze, by"

/* "a,b,c" into rows of out; returns how many. */
static int split_list(const char *s, char *out, size_t width, int max)
{
	int n = 0;
	while (*s && n < max) {
		size_t len = strcspn(s, ",");
		snprintf(out + (size_t)n * width, width, "%.*s", (int)len, s);
		n++;
		s += len + (s[len] == ',');
	}
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void row_to_period(sqlite3_stmt *s, struct dd_period *p)
{
	memset(p, 0, sizeof *p);
	store_copy_text(p->id, sizeof p->id, s, 0);
	store_copy_text(p->name, sizeof p->name, s, 1);
	p->start_ms = sqlite3_column_int64(s, 2);
	p->end_ms = sqlite3_column_int64(s, 3);
	const unsigned char *scope = sqlite3_column_text(s, 4);
	p->n_scope = split_list(scope ? (const char *)scope : "", &p->scope[0][0], sizeof p->scope[0],
				DD_PERIOD_SCOPES_MAX);
	store_copy_text(p->tz, sizeof p->tz, s, 5);
	char hm[DD_PERIOD_TIMES_MAX][8];
	const unsigned char *times = sqlite3_column_text(s, 6);
	int n = split_list(times ? (const char *)times : "", &hm[0][0], sizeof hm[0], DD_PERIOD_TIMES_MAX);
	for (int i = 0; i < n; i++)
		if (zero_parse_hm(hm[i], &p->times_min[p->n_times], NULL) == 0)
			p->n_times++;
	qsort(p->times_min, (size_t)p->n_times, sizeof p->times_min[0], cmp_int);
	p->grace_min = sqlite3_column_int(s, 7);
	p->zero = sqlite3_column_int(s, 8);
	p->watch = sqlite3_column_int(s, 9);
	p->freeze = sqlite3_column_int(s, 10);
	store_copy_text(p->by, sizeof p->by, s, 11);
}

int store_period_get(struct dd_store *st, const char *id, struct dd_period *out, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " PERIOD_COLUMNS " FROM protection_periods WHERE id=?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	char missing[80];
	snprintf(missing, sizeof missing, "no protection period %s", id);
	if ((rc = store_step_row(st, s, missing, "reading a period", err)) == 0)
		row_to_period(s, out);
	sqlite3_finalize(s);
	return rc;
}

int store_period_scan(struct dd_store *st, bool all, int64_t now_ms, dd_period_cb cb, void *ctx,
		      struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " PERIOD_COLUMNS " FROM protection_periods WHERE ?1 OR end_ms > ?2"
			       " ORDER BY start_ms, id", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int(s, 1, all);
	sqlite3_bind_int64(s, 2, now_ms);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_period p;
		row_to_period(s, &p);
		if (cb(&p, ctx))
			break;
	}
	return store_scan_end(st, s, step, "listing periods", err);
}

/* The reporting orgs (enterprises, district offices) of a scope table. */
#define REPORTING_ORG "(o.kind LIKE 'ent-%' OR o.kind IN ('district', 'county', 'autonomous-county', 'zone'))"
#define UNDER(org, prefix) "(" org " = " prefix " OR substr(" org ", 1, length(" prefix ") + 1) = " prefix " || '.')"

static void row_to_zero(sqlite3_stmt *s, struct dd_zero_row *r)
{
	memset(r, 0, sizeof *r);
	store_copy_text(r->org, sizeof r->org, s, 0);
	store_copy_text(r->org_name, sizeof r->org_name, s, 1);
	store_copy_text(r->district, sizeof r->district, s, 2);
	store_copy_text(r->id, sizeof r->id, s, 3);
	r->at_ms = sqlite3_column_int64(s, 4);
	store_copy_text(r->by, sizeof r->by, s, 5);
	store_copy_text(r->via, sizeof r->via, s, 6);
	store_copy_text(r->reporter, sizeof r->reporter, s, 7);
	r->nil = sqlite3_column_int(s, 8);
	store_copy_text(r->incidents, sizeof r->incidents, s, 9);
	r->n_reports = sqlite3_column_int(s, 10);
}

/* One primary-key seek in zero_latest per org: a window over the slot's
 * zero_reports instead reads the whole slot once per org, quadratic in the
 * city's size (4 s at 10,000 orgs; this is under 20 ms).  The viewer's
 * subtree is one range of org keys, read alone: store_org_key turns the
 * dots into spaces, and no id holds a character below '!', so the org's
 * key and those continuing it with a space are exactly [key, key "!"). */
int store_zero_checklist(struct dd_store *st, const char *period, int64_t slot_ms, const char *viewer,
			 dd_zero_cb cb, void *ctx, struct dd_error *err)
{
	char lo[DD_ORG_ID_MAX + 1] = "", hi[DD_ORG_ID_MAX + 2] = "\x7f";
	if (viewer[0]) {
		store_org_key(viewer, lo, sizeof lo);
		snprintf(hi, sizeof hi, "%s!", lo);
	}
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT o.id, o.name, o.district, r.id, r.at_ms, r.by, r.via, r.reporter, r.nil,"
			       " r.incidents, r.n FROM orgs o LEFT JOIN zero_latest r"
			       " ON r.period = ?1 AND r.slot_ms = ?2 AND r.org = o.id"
			       " WHERE o.key >= ?3 AND o.key < ?4 AND o.retired = 0 AND " REPORTING_ORG
			       " AND EXISTS (SELECT 1 FROM period_scopes p WHERE p.period = ?1 AND " UNDER("o.id", "p.prefix") ")"
			       " ORDER BY o.key", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, slot_ms);
	sqlite3_bind_text(s, 3, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, hi, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_zero_row r;
		row_to_zero(s, &r);
		if (cb(&r, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading the zero checklist", err);
}

int store_zero_latest(struct dd_store *st, const char *period, const char *org, int64_t slot_ms,
		      struct dd_zero_row *out, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT org, '', '', id, at_ms, by, via, reporter, nil, incidents, n FROM zero_latest"
			       " WHERE period = ?1 AND slot_ms = ?2 AND org = ?3", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, slot_ms);
	sqlite3_bind_text(s, 3, org, -1, SQLITE_STATIC);
	if ((rc = store_step_row(st, s, "no report for this slot", "reading a zero report", err)) == 0)
		row_to_zero(s, out);
	sqlite3_finalize(s);
	return rc;
}

int store_freeze_scan(struct dd_store *st, const char *period, const char *viewer, dd_freeze_cb cb, void *ctx,
		      struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT id, period, object, object_name, org, change, at_ms, by FROM freeze_warnings o"
			       " WHERE (?1 = '' OR period = ?1) AND (?2 = '' OR " UNDER("o.org", "?2") ")"
			       " ORDER BY at_ms DESC, id DESC", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, viewer, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_freeze_warning w;
		store_copy_text(w.id, sizeof w.id, s, 0);
		store_copy_text(w.period, sizeof w.period, s, 1);
		store_copy_text(w.object, sizeof w.object, s, 2);
		store_copy_text(w.object_name, sizeof w.object_name, s, 3);
		store_copy_text(w.org, sizeof w.org, s, 4);
		store_copy_text(w.change, sizeof w.change, s, 5);
		w.at_ms = sqlite3_column_int64(s, 6);
		store_copy_text(w.by, sizeof w.by, s, 7);
		if (cb(&w, ctx))
			break;
	}
	return store_scan_end(st, s, step, "listing freeze warnings", err);
}

int store_zero_history(struct dd_store *st, const char *period, int64_t from_ms, int64_t to_ms, const char *viewer,
		       dd_zero_slot_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT org, slot_ms, at_ms FROM zero_latest o WHERE period = ?1 AND slot_ms >= ?2"
			       " AND slot_ms < ?3 AND (?4 = '' OR " UNDER("o.org", "?4") ") ORDER BY org, slot_ms", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from_ms);
	sqlite3_bind_int64(s, 3, to_ms);
	sqlite3_bind_text(s, 4, viewer, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		char org[DD_ORG_ID_MAX + 1];
		store_copy_text(org, sizeof org, s, 0);
		if (cb(org, sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2), ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading the zero-report history", err);
}
