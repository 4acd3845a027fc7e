/*
 * store_log.c — the shift-log projection and its queries (part of the
 * store: see store.h; SQL stays inside core/store*.c).
 *
 * shift_log is keyed by (at_ms, id), so every page of the log is a range
 * scan from a key: the console scrolls a million entries at the cost of
 * the rows on screen.
 */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "dutydesk/store.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

int store_log_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	int64_t at_ms;
	int off;
	if (time_parse_rfc3339(ev->at, &at_ms, &off) != 0)
		return dd_fail(err, DD_ECORRUPT, "event %s: bad time '%s'", ev->id, ev->at);
	int rc;
	if (!st->insert_log &&
	    (rc = store_prepare(st, "INSERT INTO shift_log(at_ms, id, at, officer, org, kind, text, corrects, drill)"
			      " VALUES(?,?,?,?,?,?,?,?,?)", &st->insert_log, err)))
		return rc;
	sqlite3_stmt *s = st->insert_log;
	sqlite3_bind_int64(s, 1, at_ms);
	sqlite3_bind_text(s, 2, ev->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, ev->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, ev->org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(ev->body, "kind"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, store_body_str(ev->body, "text"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, store_body_str(ev->body, "corrects"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, ev->drill);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "adding to the shift log");
}

/* ---- shift log queries --------------------------------------------- */

void store_log_filter_init(struct dd_log_filter *f)
{
	f->since_ms = INT64_MIN;
	f->until_ms = INT64_MAX;
	f->officer = NULL;
	f->grep = NULL;
	f->drill = -1;
}

/* Builds the WHERE clause for f (and a key bound), binding in order. */
static void filter_sql(char *sql, size_t n, const struct dd_log_filter *f, const char *key_cond)
{
	size_t len = strlen(sql);
	const char *sep = " WHERE ";
#define ADD(cond)                                                              \
	do {                                                                   \
		len += (size_t)snprintf(sql + len, n - len, "%s%s", sep, cond); \
		sep = " AND ";                                                 \
	} while (0)
	if (f->since_ms != INT64_MIN)
		ADD("at_ms >= ?");
	if (f->until_ms != INT64_MAX)
		ADD("at_ms <= ?");
	if (f->officer)
		ADD("officer = ?");
	if (f->grep)
		ADD("(instr(lower(text), lower(?)) > 0 OR instr(lower(officer), lower(?)) > 0)");
	if (f->drill >= 0)
		ADD("drill = ?");
	if (key_cond)
		ADD(key_cond);
#undef ADD
}

static int filter_bind(sqlite3_stmt *s, const struct dd_log_filter *f)
{
	int i = 1;
	if (f->since_ms != INT64_MIN)
		sqlite3_bind_int64(s, i++, f->since_ms);
	if (f->until_ms != INT64_MAX)
		sqlite3_bind_int64(s, i++, f->until_ms);
	if (f->officer)
		sqlite3_bind_text(s, i++, f->officer, -1, SQLITE_STATIC);
	if (f->grep) {
		sqlite3_bind_text(s, i++, f->grep, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, i++, f->grep, -1, SQLITE_STATIC);
	}
	if (f->drill >= 0)
		sqlite3_bind_int(s, i++, f->drill);
	return i;
}

int store_log_scan(struct dd_store *st, const struct dd_log_filter *f, const struct dd_log_key *key,
		   bool backward, int limit, dd_log_cb cb, void *ctx, struct dd_error *err)
{
	char sql[1024] = "SELECT at_ms, id, at, officer, org, kind, text, corrects, drill FROM shift_log";
	filter_sql(sql, sizeof sql, f, key ? (backward ? "(at_ms, id) < (?, ?)" : "(at_ms, id) > (?, ?)") : NULL);
	size_t len = strlen(sql);
	snprintf(sql + len, sizeof sql - len, " ORDER BY at_ms %s, id %s LIMIT ?", backward ? "DESC" : "ASC",
		 backward ? "DESC" : "ASC");
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	int i = filter_bind(s, f);
	if (key) {
		sqlite3_bind_int64(s, i++, key->at_ms);
		sqlite3_bind_text(s, i++, key->id, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(s, i, limit);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_log_row row;
		row.at_ms = sqlite3_column_int64(s, 0);
		snprintf(row.id, sizeof row.id, "%s", (const char *)sqlite3_column_text(s, 1));
		row.at = (const char *)sqlite3_column_text(s, 2);
		row.officer = (const char *)sqlite3_column_text(s, 3);
		row.org = (const char *)sqlite3_column_text(s, 4);
		row.kind = (const char *)sqlite3_column_text(s, 5);
		row.text = (const char *)sqlite3_column_text(s, 6);
		row.corrects = (const char *)sqlite3_column_text(s, 7);
		row.drill = sqlite3_column_int(s, 8);
		if (cb(&row, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading the shift log", err);
}

int store_log_count(struct dd_store *st, const struct dd_log_filter *f, int64_t *n, struct dd_error *err)
{
	char sql[1024] = "SELECT count(*) FROM shift_log";
	filter_sql(sql, sizeof sql, f, NULL);
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	filter_bind(s, f);
	return store_step_int64(st, s, n, "counting the shift log", err);
}

int store_log_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1],
		      struct dd_error *err)
{
	size_t n = strlen(ref);
	bool full = uuid_valid(ref, false);
	if (!full && n != 8)
		return dd_fail(err, DD_EINVAL, "'%s' is neither an entry id nor a short id of 8 hex digits", ref);
	for (const char *p = ref; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == '-'))
			return dd_fail(err, DD_EINVAL, "'%s' is not an entry id (lowercase hex)", ref);
	sqlite3_stmt *s;
	int rc = store_prepare(st, full ? "SELECT id FROM shift_log WHERE id = ? LIMIT 2"
				  : "SELECT id FROM shift_log WHERE substr(id, -8) = ? LIMIT 2", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	int found = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		if (found++ == 0)
			snprintf(out, DD_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (found == 0)
		return dd_fail(err, DD_ENOTFOUND, "no shift-log entry %s", ref);
	if (found > 1)
		return dd_fail(err, DD_EINVAL, "short id %s matches several entries; give the full id", ref);
	return 0;
}
