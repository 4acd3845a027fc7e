/*
 * store_duty.c — the duty schedule's projection and queries, and the
 * coverage check over roster and schedule (part of the store; see
 * roster.h).
 *
 * Invariants: a duty_shifts row is the state carried by the newest
 * duty.shift event of its id ("hlc|origin|seq"), whatever order events
 * arrive in; a shift is the half-open [start_ms, end_ms) and lasts at
 * most DD_SHIFT_MAX_MS, so the shifts holding an instant are found in
 * one bounded range of the start_ms indexes.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/i18n.h"
#include "dutydesk/roster.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

static int64_t time_field(const json_t *body, const char *name)
{
	int64_t ms = 0;
	int off;
	time_parse_rfc3339(store_body_str(body, name), &ms, &off);
	return ms;
}

int store_duty_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	if (strcmp(ev->kind, "duty.shift") != 0 || !uuid_valid(ev->subject, false))
		return 0;
	const json_t *b = ev->body;
	char ver[DD_VER_MAX], key[DD_ORG_MAX + 1];
	store_version_of(ev, ver);
	store_org_key(store_body_str(b, "org"), key, sizeof key);
	char *officers = json_dumps(json_object_get(b, "officers"), JSON_COMPACT);
	int64_t at_ms = 0;
	int off;
	time_parse_rfc3339(ev->at, &at_ms, &off);
	sqlite3_stmt *s;
	int rc = store_prepare(st,
			       "INSERT INTO duty_shifts(id, org, org_key, post, start_ms, end_ms, officers, leader, phone, h24,"
			       " change, reason, by, changed_ms, cancelled, ver) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
			       "?13,?14,?15,?16) ON CONFLICT(id) DO UPDATE SET org = ?2, org_key = ?3, post = ?4, start_ms = ?5,"
			       " end_ms = ?6, officers = ?7, leader = ?8, phone = ?9, h24 = ?10, change = ?11, reason = ?12,"
			       " by = ?13, changed_ms = ?14, cancelled = ?15, ver = ?16 WHERE ver < ?16", &s, err);
	if (rc) {
		free(officers);
		return rc;
	}
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "org"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "post"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, time_field(b, "start"));
	sqlite3_bind_int64(s, 6, time_field(b, "end"));
	sqlite3_bind_text(s, 7, officers ? officers : "[]", -1, free);
	sqlite3_bind_text(s, 8, store_body_str(b, "leader"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, store_body_str(b, "phone"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 10, json_is_true(json_object_get(b, "h24")));
	sqlite3_bind_text(s, 11, store_body_str(b, "change"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 12, store_body_str(b, "reason"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 13, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 14, at_ms);
	sqlite3_bind_int(s, 15, strcmp(store_body_str(b, "change"), "cancel") == 0);
	sqlite3_bind_text(s, 16, ver, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "storing a shift");
}

/* ---- reading --------------------------------------------------------- */

#define SHIFT_COLUMNS                                                                                        \
	"s.id, s.org, coalesce(o.name, ''), s.post, s.start_ms, s.end_ms, s.officers, s.leader, s.phone, s.h24," \
	" s.change, s.reason, s.by, s.cancelled"
#define SHIFT_FROM " FROM duty_shifts s LEFT JOIN orgs o ON o.id = s.org"

static void row_to_shift(sqlite3_stmt *s, struct dd_shift *sh)
{
	memset(sh, 0, sizeof *sh);
	store_copy_text(sh->id, sizeof sh->id, s, 0);
	store_copy_text(sh->org, sizeof sh->org, s, 1);
	store_copy_text(sh->org_name, sizeof sh->org_name, s, 2);
	store_copy_text(sh->post, sizeof sh->post, s, 3);
	sh->start_ms = sqlite3_column_int64(s, 4);
	sh->end_ms = sqlite3_column_int64(s, 5);
	json_t *names = json_loads((const char *)sqlite3_column_text(s, 6), 0, NULL);
	for (size_t i = 0; i < json_array_size(names) && sh->n_officers < DD_SHIFT_OFFICERS_MAX; i++) {
		const char *n = json_string_value(json_array_get(names, i));
		if (n)
			snprintf(sh->officers[sh->n_officers++], sizeof sh->officers[0], "%s", n);
	}
	json_decref(names);
	store_copy_text(sh->leader, sizeof sh->leader, s, 7);
	store_copy_text(sh->phone, sizeof sh->phone, s, 8);
	sh->h24 = sqlite3_column_int(s, 9);
	store_copy_text(sh->change, sizeof sh->change, s, 10);
	store_copy_text(sh->reason, sizeof sh->reason, s, 11);
	store_copy_text(sh->by, sizeof sh->by, s, 12);
	sh->cancelled = sqlite3_column_int(s, 13);
}

/* Runs s (prepared and bound) and hands every row to cb. */
static int each_shift(struct dd_store *st, sqlite3_stmt *s, dd_shift_cb cb, void *ctx, struct dd_error *err)
{
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_shift sh;
		row_to_shift(s, &sh);
		if (cb(&sh, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading the schedule", err);
}

struct collect {
	struct dd_shift *out;
	int max, n;
};

static int collect_one(const struct dd_shift *sh, void *p)
{
	struct collect *c = p;
	if (c->n < c->max)
		c->out[c->n] = *sh;
	c->n++;
	return 0;
}

int store_duty_at(struct dd_store *st, const char *org, int64_t at_ms, struct dd_shift *out, int max, int *n,
		  struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " SHIFT_COLUMNS SHIFT_FROM " WHERE s.org = ?1 AND s.start_ms <= ?2"
				   " AND s.start_ms > ?2 - ?3 AND s.end_ms > ?2 AND s.cancelled = 0 ORDER BY s.post, s.start_ms",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, at_ms);
	sqlite3_bind_int64(s, 3, DD_SHIFT_MAX_MS);
	struct collect c = { out, max, 0 };
	rc = each_shift(st, s, collect_one, &c, err);
	*n = c.n < max ? c.n : max;
	return rc;
}

int store_duty_scan(struct dd_store *st, const char *scope, int64_t from_ms, int64_t until_ms, bool cancelled,
		    dd_shift_cb cb, void *ctx, struct dd_error *err)
{
	char key[DD_ORG_MAX + 2] = "", key_end[DD_ORG_MAX + 3] = "";
	if (scope && *scope) {
		store_org_key(scope, key, sizeof key);
		snprintf(key_end, sizeof key_end, "%s!", key);
	}
	sqlite3_stmt *s;
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT " SHIFT_COLUMNS SHIFT_FROM " WHERE s.start_ms < ?2 AND s.start_ms > ?1 - ?3"
		 " AND s.end_ms > ?1%s%s ORDER BY s.org_key, s.post, s.start_ms, s.id",
		 key[0] ? " AND s.org_key >= ?4 AND s.org_key < ?5" : "", cancelled ? "" : " AND s.cancelled = 0");
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, from_ms);
	sqlite3_bind_int64(s, 2, until_ms);
	sqlite3_bind_int64(s, 3, DD_SHIFT_MAX_MS);
	if (key[0]) {
		sqlite3_bind_text(s, 4, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, key_end, -1, SQLITE_STATIC);
	}
	return each_shift(st, s, cb, ctx, err);
}

static int one_shift(struct dd_store *st, sqlite3_stmt *s, struct dd_shift *out, struct dd_error *err)
{
	struct collect c = { out, 1, 0 };
	int rc = each_shift(st, s, collect_one, &c, err);
	return rc ? rc : c.n ? 0 : DD_ENOTFOUND;
}

int store_duty_get(struct dd_store *st, const char *id, struct dd_shift *out, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " SHIFT_COLUMNS SHIFT_FROM " WHERE s.id = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = one_shift(st, s, out, err);
	return rc == DD_ENOTFOUND ? dd_fail(err, rc, "no shift %s", id) : rc;
}

int store_duty_find(struct dd_store *st, const char *org, const char *post, int64_t start_ms, struct dd_shift *out,
		    struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " SHIFT_COLUMNS SHIFT_FROM " WHERE s.org = ? AND s.post = ? AND s.start_ms = ?"
				   " ORDER BY s.cancelled, s.id LIMIT 1", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, post ? post : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, start_ms);
	rc = one_shift(st, s, out, err);
	return rc == DD_ENOTFOUND ? dd_fail(err, rc, "no such shift") : rc;
}

int store_duty_overlap(struct dd_store *st, const char *org, const char *post, int64_t start_ms, int64_t end_ms,
		       const char *except_id, struct dd_shift *out, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " SHIFT_COLUMNS SHIFT_FROM " WHERE s.org = ?1 AND s.post = ?2"
				   " AND s.start_ms < ?4 AND s.start_ms > ?3 - ?6 AND s.end_ms > ?3 AND s.cancelled = 0"
				   " AND s.id <> ?5 ORDER BY s.start_ms LIMIT 1", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, post ? post : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, start_ms);
	sqlite3_bind_int64(s, 4, end_ms);
	sqlite3_bind_text(s, 5, except_id ? except_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, DD_SHIFT_MAX_MS);
	rc = one_shift(st, s, out, err);
	return rc == DD_ENOTFOUND ? dd_fail(err, rc, "no overlap") : rc;
}

/* ---- the coverage check ------------------------------------------- */

/* In the officer's language (English msgids, po/zh_CN.po): the screens
 * and `duty gaps` show the same words. */
const char *roster_gap_label(enum dd_gap_kind kind)
{
	switch (kind) {
	case DD_GAP_NO_LEAD: return _("no person in charge");
	case DD_GAP_NO_CONTACT: return _("no emergency liaison");
	case DD_GAP_NO_MOBILE: return _("liaison has no mobile");
	case DD_GAP_UNCOVERED: return _("nobody on duty");
	case DD_GAP_NO_OFFICER: return _("shift has no duty officer");
	case DD_GAP_NO_LEADER: return _("shift has no leader");
	case DD_GAP_OVERLAP: return _("shifts overlap");
	}
	return "?";
}

struct scope_keys {
	char key[DD_ORG_MAX + 2], end[DD_ORG_MAX + 3];
};

static const char *scope_sql(const char *column, const char *scope, struct scope_keys *k, char *buf, size_t n)
{
	if (!scope || !*scope)
		return "";
	store_org_key(scope, k->key, sizeof k->key);
	snprintf(k->end, sizeof k->end, "%s!", k->key);
	snprintf(buf, n, " AND %s >= ?8 AND %s < ?9", column, column);
	return buf;
}

static void bind_scope(sqlite3_stmt *s, const struct scope_keys *k, const char *scope)
{
	if (scope && *scope) {
		sqlite3_bind_text(s, 8, k->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 9, k->end, -1, SQLITE_STATIC);
	}
}

/* Orgs of the liaison mechanism (art. 15) lacking a lead or a contact,
 * merged in key order with liaisons that have no mobile phone. */
static int liaison_gaps(struct dd_store *st, const char *scope, dd_gap_cb cb, void *ctx, struct dd_error *err)
{
	struct scope_keys k;
	char c1[96], c2[96], sql[1200];
	snprintf(sql, sizeof sql,
		 "SELECT o.key, o.id, o.name,"
		 " EXISTS(SELECT 1 FROM liaisons l WHERE l.org_key = o.key AND l.rank = 0 AND l.removed = 0),"
		 " EXISTS(SELECT 1 FROM liaisons l WHERE l.org_key = o.key AND l.rank = 1 AND l.removed = 0)"
		 " FROM orgs o WHERE o.retired = 0 AND (o.kind IN ('commission', 'centre', 'district', 'county',"
		 " 'autonomous-county', 'zone', 'support') OR o.kind LIKE 'ent-%%')%s ORDER BY o.key",
		 scope_sql("o.key", scope, &k, c1, sizeof c1));
	sqlite3_stmt *orgs, *phones;
	int rc = store_prepare(st, sql, &orgs, err);
	if (rc)
		return rc;
	bind_scope(orgs, &k, scope);
	snprintf(sql, sizeof sql, "SELECT l.org_key, l.org, coalesce(o.name, ''), l.name, l.id FROM liaisons l"
		 " LEFT JOIN orgs o ON o.id = l.org WHERE l.removed = 0 AND l.mobile = ''%s"
		 " ORDER BY l.org_key, l.rank, l.name, l.id", scope_sql("l.org_key", scope, &k, c2, sizeof c2));
	if ((rc = store_prepare(st, sql, &phones, err))) {
		sqlite3_finalize(orgs);
		return rc;
	}
	bind_scope(phones, &k, scope);
	int so = sqlite3_step(orgs), sp = sqlite3_step(phones);
	bool stop = false;
	while (!stop && (so == SQLITE_ROW || sp == SQLITE_ROW)) {
		/* An org's own gaps come before its liaisons'. */
		bool org_first = so == SQLITE_ROW && (sp != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(orgs, 0),
										 (const char *)sqlite3_column_text(phones, 0)) <= 0);
		struct dd_gap g;
		memset(&g, 0, sizeof g);
		if (org_first) {
			store_copy_text(g.org, sizeof g.org, orgs, 1);
			store_copy_text(g.org_name, sizeof g.org_name, orgs, 2);
			if (!sqlite3_column_int(orgs, 3)) {
				g.kind = DD_GAP_NO_LEAD;
				stop = cb(&g, ctx) != 0;
			}
			if (!stop && !sqlite3_column_int(orgs, 4)) {
				g.kind = DD_GAP_NO_CONTACT;
				stop = cb(&g, ctx) != 0;
			}
			so = sqlite3_step(orgs);
		} else {
			g.kind = DD_GAP_NO_MOBILE;
			store_copy_text(g.org, sizeof g.org, phones, 1);
			store_copy_text(g.org_name, sizeof g.org_name, phones, 2);
			store_copy_text(g.who, sizeof g.who, phones, 3);
			store_copy_text(g.ref, sizeof g.ref, phones, 4);
			stop = cb(&g, ctx) != 0;
			sp = sqlite3_step(phones);
		}
	}
	if (!stop && (so != SQLITE_DONE || sp != SQLITE_DONE))
		rc = store_sql_fail(st, so != SQLITE_DONE ? so : sp, err, "checking the roster");
	sqlite3_finalize(orgs);
	sqlite3_finalize(phones);
	return stop ? 0 : rc;
}

/* Gaps of one post over [from, until): uncovered time, shifts without
 * officer or leader, overlapping shifts. */
struct post_walk {
	dd_gap_cb cb;
	void *ctx;
	int64_t until, cursor, last_end;
	char org[DD_ORG_ID_MAX + 1], post[65];
	int stopped;
};

static int gap_out(struct post_walk *w, enum dd_gap_kind kind, const struct dd_shift *sh, int64_t from, int64_t until)
{
	struct dd_gap g;
	memset(&g, 0, sizeof g);
	g.kind = kind;
	snprintf(g.org, sizeof g.org, "%s", w->org);
	snprintf(g.post, sizeof g.post, "%s", w->post);
	if (sh) {
		snprintf(g.org_name, sizeof g.org_name, "%s", sh->org_name);
		if (kind != DD_GAP_UNCOVERED)
			snprintf(g.ref, sizeof g.ref, "%s", sh->id);
	}
	g.from_ms = from;
	g.until_ms = until;
	w->stopped = w->cb(&g, w->ctx);
	return w->stopped;
}

static int walk_shift(const struct dd_shift *sh, void *p)
{
	struct post_walk *w = p;
	if (strcmp(sh->org, w->org) != 0 || strcmp(sh->post, w->post) != 0)
		return 0;
	if (sh->start_ms > w->cursor && gap_out(w, DD_GAP_UNCOVERED, sh, w->cursor, sh->start_ms))
		return 1;
	if (sh->start_ms < w->last_end && gap_out(w, DD_GAP_OVERLAP, sh, sh->start_ms, w->last_end))
		return 1;
	if (sh->n_officers == 0 && gap_out(w, DD_GAP_NO_OFFICER, sh, sh->start_ms, sh->end_ms))
		return 1;
	if (!sh->leader[0] && gap_out(w, DD_GAP_NO_LEADER, sh, sh->start_ms, sh->end_ms))
		return 1;
	if (sh->end_ms > w->cursor)
		w->cursor = sh->end_ms;
	if (sh->end_ms > w->last_end)
		w->last_end = sh->end_ms;
	return 0;
}

static int duty_gaps(struct dd_store *st, const char *scope, const char *own_org, int64_t from, int64_t until,
		     dd_gap_cb cb, void *ctx, struct dd_error *err)
{
	struct scope_keys k;
	char c1[96], sql[700];
	/* The posts that keep a schedule here, and the desk's own duty. */
	snprintf(sql, sizeof sql, "SELECT org_key, org, post FROM (SELECT DISTINCT org_key, org, post FROM duty_shifts"
		 " WHERE cancelled = 0 UNION SELECT ?1, ?2, '' WHERE ?2 <> '') WHERE 1%s ORDER BY org_key, post",
		 scope_sql("org_key", scope, &k, c1, sizeof c1));
	sqlite3_stmt *posts;
	int rc = store_prepare(st, sql, &posts, err);
	if (rc)
		return rc;
	char own_key[DD_ORG_MAX + 1] = "";
	if (own_org)
		store_org_key(own_org, own_key, sizeof own_key);
	sqlite3_bind_text(posts, 1, own_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(posts, 2, own_org ? own_org : "", -1, SQLITE_STATIC);
	bind_scope(posts, &k, scope);
	int step;
	struct post_walk w = { .cb = cb, .ctx = ctx, .until = until };
	while (rc == 0 && !w.stopped && (step = sqlite3_step(posts)) == SQLITE_ROW) {
		store_copy_text(w.org, sizeof w.org, posts, 1);
		store_copy_text(w.post, sizeof w.post, posts, 2);
		w.cursor = w.last_end = from;
		rc = store_duty_scan(st, w.org, from, until, false, walk_shift, &w, err);
		if (rc == 0 && !w.stopped && w.cursor < until) {
			struct dd_org o;
			struct dd_shift named;
			memset(&named, 0, sizeof named);
			struct dd_error e;
			if (store_org_get(st, w.org, &o, &e) == 0)
				snprintf(named.org_name, sizeof named.org_name, "%s", o.name);
			gap_out(&w, DD_GAP_UNCOVERED, &named, w.cursor, until);
		}
	}
	if (rc == 0 && !w.stopped && step != SQLITE_DONE)
		rc = store_sql_fail(st, step, err, "checking the schedule");
	sqlite3_finalize(posts);
	return rc;
}

int store_roster_gaps(struct dd_store *st, const char *scope, const char *own_org, int64_t from_ms, int days,
		      bool liaisons, bool duty, dd_gap_cb cb, void *ctx, struct dd_error *err)
{
	int rc = 0;
	if (liaisons && (rc = liaison_gaps(st, scope, cb, ctx, err)))
		return rc;
	if (duty)
		rc = duty_gaps(st, scope, own_org, from_ms, from_ms + (int64_t)days * 86400000, cb, ctx, err);
	return rc;
}
