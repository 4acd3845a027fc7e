/*
 * store_roster.c — the roster projections (orgs, liaisons and their
 * history, protected objects, calls) and their queries; part of the
 * store, so the SQL of the roster lives here (see roster.h).
 *
 * Invariants:
 *  - every row is a function of the events alone, whatever their order:
 *    a row keeps the state of its newest version ("hlc|origin|seq", and
 *    for liaisons (valid_from, version)); a change that arrives before
 *    the thing it changes (an assessment before its object) fills the
 *    row it will share, and queries ignore such half rows;
 *  - hay, the text filter-as-you-type searches, is built by one function
 *    from the row and its org (and the org's district); whenever an org's
 *    searchable text changes, every row that copied it is rebuilt, so a
 *    hay never depends on the order orgs and liaisons arrived in;
 *  - hay holds no control characters and is ASCII-lowercase, the
 *    separator between its parts is U+001F, and needles are lowered the
 *    same way, so one memmem() per row decides a match.
 */
#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/phone.h"
#include "dutydesk/roster.h"
#include "dutydesk/timefmt.h"
#include "store_impl.h"

#define HAY_MAX 4096
#define TERMS_MAX 4

void store_version_of(const struct dd_event *ev, char out[DD_VER_MAX])
{
	snprintf(out, DD_VER_MAX, "%020llu|%s|%010lld", (unsigned long long)ev->hlc, ev->origin, (long long)ev->seq);
}

void store_org_key(const char *id, char *out, size_t n)
{
	size_t i = 0;
	for (; id[i] && i + 1 < n; i++)
		out[i] = id[i] == '.' ? ' ' : id[i];
	out[i] = '\0';
}

static int64_t event_ms(const struct dd_event *ev)
{
	int64_t ms = 0;
	int off;
	time_parse_rfc3339(ev->at, &ms, &off);
	return ms;
}

/* ---- hay ------------------------------------------------------------- */

/* Appends part to hay (after a U+001F separator), ASCII-lowercased, with
 * control characters as spaces. */
static void hay_add(char *hay, size_t *len, const char *part)
{
	if (*len && *len + 1 < HAY_MAX)
		hay[(*len)++] = '\x1f';
	for (const unsigned char *p = (const unsigned char *)part; *p && *len + 1 < HAY_MAX; p++) {
		unsigned char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (c < 0x20 || c == 0x7f)
			c = ' ';
		hay[(*len)++] = (char)c;
	}
	/* Never end inside a UTF-8 sequence: a cut character would be a
	 * different hay from the same row on another machine's limit. */
	while (*len > 0 && (unsigned char)hay[*len - 1] >= 0x80) {
		size_t start = *len - 1;
		while (start > 0 && ((unsigned char)hay[start] & 0xC0) == 0x80)
			start--;
		unsigned char lead = (unsigned char)hay[start];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
		if (*len - start >= need)
			break;
		*len = start;
	}
	hay[*len] = '\0';
}

static void org_hay(char hay[HAY_MAX], const char *id, const char *kind, const char *name, const char *name_en,
		    const char *pinyin, const char *district_name)
{
	size_t n = 0;
	hay[0] = '\0';
	hay_add(hay, &n, name);
	hay_add(hay, &n, name_en);
	hay_add(hay, &n, pinyin);
	hay_add(hay, &n, id);
	hay_add(hay, &n, roster_org_kind_label(kind));
	hay_add(hay, &n, district_name);
}

static void liaison_hay(char hay[HAY_MAX], const char *name, const char *title, const char *email,
			const char *role, const char *org_hay_text)
{
	size_t n = 0;
	hay[0] = '\0';
	hay_add(hay, &n, name);
	hay_add(hay, &n, title);
	hay_add(hay, &n, email);
	hay_add(hay, &n, roster_role_label(role));
	hay_add(hay, &n, org_hay_text);
}

static void phone_digits(const char *office, const char *mobile, char out[2 * DD_PHONE_MAX + 2])
{
	char canon[DD_PHONE_MAX], a[DD_PHONE_MAX] = "", b[DD_PHONE_MAX] = "";
	if (*office && phone_normalize(office, canon, a, NULL, NULL) != 0)
		a[0] = '\0';
	if (*mobile && phone_normalize(mobile, canon, b, NULL, NULL) != 0)
		b[0] = '\0';
	snprintf(out, 2 * DD_PHONE_MAX + 2, "%s %s", a, b);
}

static void fn_contains(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const void *h = sqlite3_value_blob(v[0]);
	const void *n = sqlite3_value_blob(v[1]);
	int hn = sqlite3_value_bytes(v[0]), nn = sqlite3_value_bytes(v[1]);
	sqlite3_result_int(c, h && n && memmem(h, (size_t)hn, n, (size_t)nn) != NULL);
}

/* dd_contains(hay, needle): instr() counts characters and compares them
 * one by one; the filter only needs yes or no, which memmem() answers
 * several times faster on long CJK text. */
static int register_fns(struct dd_store *st, struct dd_error *err)
{
	if (st->roster_fns)
		return 0;
	int rc = sqlite3_create_function_v2(st->db, "dd_contains", 2,
					    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fn_contains,
					    NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sql_fail(st, rc, err, "registering the roster's functions");
	st->roster_fns = true;
	return 0;
}

/* ---- applying: orgs -------------------------------------------------- */

/* The hay of org id as the tables say now (its district's name included). */
static int org_hay_now(struct dd_store *st, const char *id, char hay[HAY_MAX], char kind[24], struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT o.kind, o.name, o.name_en, o.pinyin, coalesce(d.name, '')"
				   " FROM orgs o LEFT JOIN orgs d ON d.id = o.district WHERE o.id = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	hay[0] = '\0';
	if (kind)
		kind[0] = '\0';
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		org_hay(hay, id, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
			(const char *)sqlite3_column_text(s, 4));
		if (kind)
			store_copy_text(kind, 24, s, 0);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : store_sql_fail(st, rc, err, "reading an org");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Rebuilds the hay of every org in district id (when id is one) and of
 * every liaison of id or of its district: what copied id's text. */
static int refresh_dependents(struct dd_store *st, const char *id, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT id FROM orgs WHERE district = ?1 AND id <> ?1", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	int step;
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		char other[DD_ORG_ID_MAX + 1], hay[HAY_MAX];
		store_copy_text(other, sizeof other, s, 0);
		sqlite3_stmt *u;
		if ((rc = org_hay_now(st, other, hay, NULL, err)) ||
		    (rc = store_prepare(st, "UPDATE orgs SET hay = ? WHERE id = ?", &u, err)))
			break;
		sqlite3_bind_text(u, 1, hay, -1, SQLITE_STATIC);
		sqlite3_bind_text(u, 2, other, -1, SQLITE_STATIC);
		rc = store_step_done(st, u, "updating an org's search text", err);
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;

	char key[DD_ORG_MAX + 1];
	store_org_key(id, key, sizeof key);
	if ((rc = store_prepare(st, "SELECT l.id, l.name, l.title, l.email, l.role, coalesce(o.hay, ''), coalesce(o.kind, '')"
				    " FROM liaisons l LEFT JOIN orgs o ON o.id = l.org"
				    " WHERE l.org_key = ?1 OR l.district = ?2", &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		char hay[HAY_MAX];
		liaison_hay(hay, (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2),
			    (const char *)sqlite3_column_text(s, 3), (const char *)sqlite3_column_text(s, 4),
			    (const char *)sqlite3_column_text(s, 5));
		sqlite3_stmt *u;
		if ((rc = store_prepare(st, "UPDATE liaisons SET hay = ?, org_kind = ? WHERE id = ?", &u, err)))
			break;
		sqlite3_bind_text(u, 1, hay, -1, SQLITE_STATIC);
		sqlite3_bind_text(u, 2, (const char *)sqlite3_column_text(s, 6), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(u, 3, (const char *)sqlite3_column_text(s, 0), -1, SQLITE_TRANSIENT);
		rc = store_step_done(st, u, "updating a liaison's search text", err);
	}
	sqlite3_finalize(s);
	return rc;
}

static int apply_org(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const char *id = ev->subject;
	if (!org_id_valid(id))
		return 0;   /* not an org of ours; the codec cannot check subjects */
	const json_t *b = ev->body;
	char ver[DD_VER_MAX], key[DD_ORG_MAX + 1], district[DD_ORG_ID_MAX + 1];
	store_version_of(ev, ver);
	store_org_key(id, key, sizeof key);
	roster_district_of(id, district);

	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT ver FROM orgs WHERE id = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	bool newer = sqlite3_step(s) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), ver) < 0;
	sqlite3_finalize(s);
	if (!newer)
		return 0;

	char district_name[DD_NAME_MAX + 1] = "";
	if (strcmp(district, id) == 0) {
		snprintf(district_name, sizeof district_name, "%s", store_body_str(b, "name"));
	} else if (district[0]) {
		if ((rc = store_prepare(st, "SELECT name FROM orgs WHERE id = ?", &s, err)))
			return rc;
		sqlite3_bind_text(s, 1, district, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			store_copy_text(district_name, sizeof district_name, s, 0);
		sqlite3_finalize(s);
	}
	char hay[HAY_MAX];
	org_hay(hay, id, store_body_str(b, "kind"), store_body_str(b, "name"), store_body_str(b, "name_en"), store_body_str(b, "pinyin"), district_name);
	if ((rc = store_prepare(st, "INSERT OR REPLACE INTO orgs(key, id, parent, kind, name, name_en, pinyin, district,"
				    " retired, hay, updated_ms, ver) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, store_body_str(b, "parent"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "kind"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, store_body_str(b, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(b, "name_en"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, store_body_str(b, "pinyin"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, district, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, json_is_true(json_object_get(b, "retired")));
	sqlite3_bind_text(s, 10, hay, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 11, event_ms(ev));
	sqlite3_bind_text(s, 12, ver, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "storing an org", err)))
		return rc;
	return refresh_dependents(st, id, err);
}

/* ---- applying: liaisons ----------------------------------------------- */

static int apply_liaison(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	const char *id = ev->subject;
	if (!uuid_valid(id, false))
		return 0;
	char ver[DD_VER_MAX];
	store_version_of(ev, ver);
	int64_t from = 0;
	int off;
	time_parse_rfc3339(store_body_str(b, "valid_from"), &from, &off);
	int removed = json_is_true(json_object_get(b, "removed"));

	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT OR IGNORE INTO liaison_history(id, valid_from_ms, ver, org, role, name, title,"
				   " office, mobile, email, removed) VALUES(?,?,?,?,?,?,?,?,?,?,?)", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_text(s, 3, ver, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "org"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, store_body_str(b, "role"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(b, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, store_body_str(b, "title"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, store_body_str(b, "office"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, store_body_str(b, "mobile"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, store_body_str(b, "email"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 11, removed);
	if ((rc = store_step_done(st, s, "recording a liaison's history", err)))
		return rc;

	/* The current row is the newest by (valid_from, version). */
	if ((rc = store_prepare(st, "SELECT 1 FROM liaisons WHERE id = ?1 AND (valid_from_ms > ?2 OR"
				    " (valid_from_ms = ?2 AND ver >= ?3))", &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_text(s, 3, ver, -1, SQLITE_STATIC);
	bool stale = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (stale)
		return 0;
	if ((rc = store_prepare(st, "DELETE FROM liaisons WHERE id = ?", &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s, "replacing a liaison", err)))
		return rc;

	const char *org = store_body_str(b, "org"), *role = store_body_str(b, "role");
	char key[DD_ORG_MAX + 1], district[DD_ORG_ID_MAX + 1], ohay[HAY_MAX], hay[HAY_MAX], kind[24];
	char digits[2 * DD_PHONE_MAX + 2];
	store_org_key(org, key, sizeof key);
	roster_district_of(org, district);
	if ((rc = org_hay_now(st, org, ohay, kind, err)))
		return rc;
	liaison_hay(hay, store_body_str(b, "name"), store_body_str(b, "title"), store_body_str(b, "email"), role, ohay);
	phone_digits(store_body_str(b, "office"), store_body_str(b, "mobile"), digits);
	if ((rc = store_prepare(st, "INSERT INTO liaisons(org_key, rank, name, id, org, org_kind, district, role, title,"
				    " office, mobile, email, valid_from_ms, removed, ver, hay, digits)"
				    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s, err)))
		return rc;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, strcmp(role, "lead") == 0 ? 0 : 1);
	sqlite3_bind_text(s, 3, store_body_str(b, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, store_body_str(b, "title"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, store_body_str(b, "office"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, store_body_str(b, "mobile"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 12, store_body_str(b, "email"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 13, from);
	sqlite3_bind_int(s, 14, removed);
	sqlite3_bind_text(s, 15, ver, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 16, hay, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 17, digits, -1, SQLITE_STATIC);
	return store_step_done(st, s, "storing a liaison", err);
}

/* ---- applying: objects and calls ------------------------------------ */

static int apply_object_set(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	if (!uuid_valid(ev->subject, false))
		return 0;
	char ver[DD_VER_MAX], key[DD_ORG_MAX + 1], district[DD_ORG_ID_MAX + 1];
	store_version_of(ev, ver);
	store_org_key(store_body_str(b, "org"), key, sizeof key);
	roster_district_of(store_body_str(b, "org"), district);
	sqlite3_stmt *s;
	int rc = store_prepare(st,
			       "INSERT INTO objects(id, org, org_key, district, kind, name, exposed, note, retired, set_ver,"
			       " important, assessed_ms, assess_note, assess_ver, ledger_rank)"
			       " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10, 0,0,'','',1)"
			       " ON CONFLICT(id) DO UPDATE SET org = ?2, org_key = ?3, district = ?4, kind = ?5, name = ?6,"
			       " exposed = ?7, note = ?8, retired = ?9, set_ver = ?10 WHERE set_ver < ?10", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, store_body_str(b, "org"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, store_body_str(b, "kind"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(b, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, json_is_true(json_object_get(b, "exposed")));
	sqlite3_bind_text(s, 8, store_body_str(b, "note"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, json_is_true(json_object_get(b, "retired")));
	sqlite3_bind_text(s, 10, ver, -1, SQLITE_STATIC);
	return store_step_done(st, s, "storing a protected object", err);
}

static int apply_object_assess(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	if (!uuid_valid(ev->subject, false))
		return 0;
	char ver[DD_VER_MAX];
	store_version_of(ev, ver);
	int64_t at = 0;
	int off;
	time_parse_rfc3339(store_body_str(b, "assessed_at"), &at, &off);
	int important = json_is_true(json_object_get(b, "important"));
	sqlite3_stmt *s;
	/* An assessment may come before its object: it fills a row that
	 * object.set completes (set_ver '' until then). */
	int rc = store_prepare(st,
			       "INSERT INTO objects(id, org, org_key, district, kind, name, exposed, note, retired, set_ver,"
			       " important, assessed_ms, assess_note, assess_ver, ledger_rank)"
			       " VALUES(?1,'','','','','',0,'',0,'', ?2,?3,?4,?5,?6)"
			       " ON CONFLICT(id) DO UPDATE SET important = ?2, assessed_ms = ?3, assess_note = ?4,"
			       " assess_ver = ?5, ledger_rank = ?6 WHERE assess_ver < ?5", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, important);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_text(s, 4, store_body_str(b, "note"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, ver, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, important ? 0 : 1);
	return store_step_done(st, s, "storing an assessment", err);
}

int store_call_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	const json_t *b = ev->body;
	if (!json_object_get(b, "callee"))
		return 0;
	const char *kind = store_body_str(b, "kind");
	sqlite3_stmt *s;
	int rc = store_prepare(st, "INSERT OR IGNORE INTO calls(id, at_ms, callee, liaison, direction, result, officer,"
				   " incident, text, drill) VALUES(?,?,?,?,?,?,?,?,?,?)", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ev->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, event_ms(ev));
	sqlite3_bind_text(s, 3, store_body_str(b, "callee"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, store_body_str(b, "liaison"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, strcmp(kind, "call-in") == 0 ? "in" : "out", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, store_body_str(b, "result"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, store_body_str(b, "incident"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, store_body_str(b, "text"), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 10, ev->drill);
	return store_step_done(st, s, "recording a call", err);
}

int store_roster_apply(struct dd_store *st, const struct dd_event *ev, struct dd_error *err)
{
	if (strcmp(ev->kind, "org.set") == 0)
		return apply_org(st, ev, err);
	if (strcmp(ev->kind, "liaison.set") == 0)
		return apply_liaison(st, ev, err);
	if (strcmp(ev->kind, "object.set") == 0)
		return apply_object_set(st, ev, err);
	if (strcmp(ev->kind, "object.assess") == 0)
		return apply_object_assess(st, ev, err);
	return 0;
}

/* ---- filters ------------------------------------------------------- */

/* What someone typed, as search terms: the whole of it as phone digits
 * when it reads as a number ("138 0000"), else each word (at most 4),
 * digits-only words against phones and the rest against hay. */
struct terms {
	int n;
	bool digits[TERMS_MAX];
	char text[TERMS_MAX][256];
};

static void terms_parse(const char *typed, struct terms *t)
{
	t->n = 0;
	if (!typed || !*typed)
		return;
	char d[DD_PHONE_MAX];
	if (phone_query_digits(typed, d)) {
		t->digits[0] = true;
		snprintf(t->text[0], sizeof t->text[0], "%s", d);
		t->n = 1;
		return;
	}
	const char *p = typed;
	while (*p && t->n < TERMS_MAX) {
		while (*p == ' ' || *p == '\t' || strncmp(p, "\u3000", 3) == 0)
			p += *p == ' ' || *p == '\t' ? 1 : 3;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && strncmp(p, "\u3000", 3) != 0)
			p++;
		char word[256];
		snprintf(word, sizeof word, "%.*s", (int)(p - start), start);
		t->digits[t->n] = phone_query_digits(word, t->text[t->n]);
		if (!t->digits[t->n]) {
			size_t n = 0;
			t->text[t->n][0] = '\0';
			hay_add(t->text[t->n], &n, word);
		}
		t->n++;
	}
}

/* A WHERE clause under construction; parameters are numbered as added. */
struct where {
	char sql[2048];
	size_t len;
	int nparams;
	const char *params[24];
	int64_t ints[24];
	bool is_int[24];
};

static void where_add(struct where *w, const char *cond)
{
	w->len += (size_t)snprintf(w->sql + w->len, sizeof w->sql - w->len, "%s%s", w->len ? " AND " : " WHERE ", cond);
}

/* Adds a condition with one parameter spelt "?" in cond. */
static void where_text(struct where *w, const char *cond, const char *value)
{
	char c[256];
	const char *q = strchr(cond, '?');
	w->nparams++;
	snprintf(c, sizeof c, "%.*s?%d%s", (int)(q - cond), cond, w->nparams, q + 1);
	w->params[w->nparams - 1] = value;
	w->is_int[w->nparams - 1] = false;
	where_add(w, c);
}

static int where_param(struct where *w, const char *value)
{
	w->params[w->nparams] = value;
	w->is_int[w->nparams] = false;
	return ++w->nparams;
}

static int where_int(struct where *w, int64_t value)
{
	w->ints[w->nparams] = value;
	w->is_int[w->nparams] = true;
	return ++w->nparams;
}

static void where_bind(const struct where *w, sqlite3_stmt *s)
{
	for (int i = 0; i < w->nparams; i++) {
		if (w->is_int[i])
			sqlite3_bind_int64(s, i + 1, w->ints[i]);
		else
			sqlite3_bind_text(s, i + 1, w->params[i], -1, SQLITE_STATIC);
	}
}

/* Prepares sql and binds w's parameters to it. */
static int where_prepare(struct dd_store *st, const char *sql, const struct where *w, sqlite3_stmt **s,
			 struct dd_error *err)
{
	int rc = store_prepare(st, sql, s, err);
	if (rc == 0)
		where_bind(w, *s);
	return rc;
}

/* Scope: the org and its subtree, one range of keys. */
static void where_scope(struct where *w, const char *column, const char *scope, char *key, char *key_end, size_t n)
{
	store_org_key(scope, key, n);
	snprintf(key_end, n, "%s!", key);
	char c[160];
	int a = where_param(w, key), b = where_param(w, key_end);
	snprintf(c, sizeof c, "%s >= ?%d AND %s < ?%d", column, a, column, b);
	where_add(w, c);
}

static void where_kind(struct where *w, const char *column, const char *kind)
{
	char c[160];
	if (strcmp(kind, "enterprise") == 0) {
		snprintf(c, sizeof c, "%s LIKE 'ent-%%'", column);
		where_add(w, c);
	} else {
		snprintf(c, sizeof c, "%s = ?", column);
		where_text(w, c, kind);
	}
}

static void where_terms(struct where *w, const struct terms *t, const char *hay_col, const char *digits_col)
{
	for (int i = 0; i < t->n; i++) {
		char c[160];
		snprintf(c, sizeof c, "dd_contains(%s, ?)", t->digits[i] ? digits_col : hay_col);
		where_text(w, c, t->text[i]);
	}
}

/* ---- reading: orgs ----------------------------------------------- */

#define ORG_COLUMNS "id, parent, kind, name, name_en, pinyin, district, retired, updated_ms"

void roster_org_filter_init(struct dd_org_filter *f)
{
	memset(f, 0, sizeof *f);
}

static void row_to_org(sqlite3_stmt *s, struct dd_org *o)
{
	store_copy_text(o->id, sizeof o->id, s, 0);
	store_copy_text(o->parent, sizeof o->parent, s, 1);
	store_copy_text(o->kind, sizeof o->kind, s, 2);
	store_copy_text(o->name, sizeof o->name, s, 3);
	store_copy_text(o->name_en, sizeof o->name_en, s, 4);
	store_copy_text(o->pinyin, sizeof o->pinyin, s, 5);
	store_copy_text(o->district, sizeof o->district, s, 6);
	o->retired = sqlite3_column_int(s, 7);
	o->updated_ms = sqlite3_column_int64(s, 8);
	o->depth = 0;
	for (const char *p = o->id; *p; p++)
		o->depth += *p == '.';
}

int store_org_get(struct dd_store *st, const char *id, struct dd_org *out, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT " ORG_COLUMNS " FROM orgs WHERE id = ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	char missing[sizeof err->msg];
	snprintf(missing, sizeof missing, "no org %s (see dutydesk org list)", id);
	if ((rc = store_step_row(st, s, missing, "reading an org", err)) == 0)
		row_to_org(s, out);
	sqlite3_finalize(s);
	return rc;
}

static void org_where(struct where *w, const struct dd_org_filter *f, struct terms *t, char keys[2][DD_ORG_MAX + 2])
{
	memset(w, 0, sizeof *w);
	if (f->scope && *f->scope)
		where_scope(w, "key", f->scope, keys[0], keys[1], DD_ORG_MAX + 2);
	if (f->kind && *f->kind)
		where_kind(w, "kind", f->kind);
	if (!f->retired)
		where_add(w, "retired = 0");
	terms_parse(f->text, t);
	where_terms(w, t, "hay", "''");
}

int store_org_scan(struct dd_store *st, const struct dd_org_filter *f, const struct dd_org_key *after,
		   bool backward, int limit, dd_org_cb cb, void *ctx, struct dd_error *err)
{
	int rc = register_fns(st, err);
	if (rc)
		return rc;
	struct where w;
	struct terms t;
	char keys[2][DD_ORG_MAX + 2], after_key[DD_ORG_MAX + 1];
	org_where(&w, f, &t, keys);
	if (after) {
		store_org_key(after->id, after_key, sizeof after_key);
		where_text(&w, backward ? "key < ?" : "key > ?", after_key);
	}
	char sql[2600];
	int lim = where_int(&w, limit);
	snprintf(sql, sizeof sql, "SELECT " ORG_COLUMNS " FROM orgs%s ORDER BY key %s LIMIT ?%d", w.sql,
		 backward ? "DESC" : "ASC", lim);
	sqlite3_stmt *s;
	if ((rc = where_prepare(st, sql, &w, &s, err)))
		return rc;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_org o;
		row_to_org(s, &o);
		if (cb(&o, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading orgs", err);
}

int store_org_count(struct dd_store *st, const struct dd_org_filter *f, int64_t *n, struct dd_error *err)
{
	int rc = register_fns(st, err);
	if (rc)
		return rc;
	struct where w;
	struct terms t;
	char keys[2][DD_ORG_MAX + 2];
	org_where(&w, f, &t, keys);
	char sql[2600];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM orgs%s", w.sql);
	sqlite3_stmt *s;
	if ((rc = where_prepare(st, sql, &w, &s, err)))
		return rc;
	return store_step_int64(st, s, n, "counting orgs", err);
}

/* ---- reading: liaisons ---------------------------------------------- */

void roster_contact_filter_init(struct dd_contact_filter *f)
{
	memset(f, 0, sizeof *f);
}

void roster_contact_key(const struct dd_liaison *l, struct dd_contact_key *key)
{
	snprintf(key->org, sizeof key->org, "%s", l->org);
	key->rank = strcmp(l->role, "lead") == 0 ? 0 : 1;
	snprintf(key->name, sizeof key->name, "%s", l->name);
	snprintf(key->id, sizeof key->id, "%s", l->id);
}

/* The roster as of ?1: per liaison its newest version by (valid_from,
 * version) that had begun by then, shaped like the liaisons table. */
#define AS_OF_SOURCE                                                                                          \
	"(SELECT h.id, h.org, replace(h.org, '.', ' ') AS org_key, (h.role <> 'lead') AS rank, h.role, h.name,"   \
	" h.title, h.office, h.mobile, h.email, h.valid_from_ms, h.removed, coalesce(o2.kind, '') AS org_kind,"    \
	" lower(h.name || char(31) || h.title || char(31) || h.email || char(31) ||"                              \
	" CASE h.role WHEN 'lead' THEN '工作负责人' ELSE '应急联络员' END) || char(31) || coalesce(o2.hay, '') AS hay," \
	" replace(replace(h.office, '-', ''), '转', '') || ' ' || h.mobile AS digits"                             \
	" FROM liaison_history h LEFT JOIN orgs o2 ON o2.id = h.org"                                              \
	" WHERE h.valid_from_ms <= ?1 AND NOT EXISTS (SELECT 1 FROM liaison_history n WHERE n.id = h.id"         \
	" AND n.valid_from_ms <= ?1 AND (n.valid_from_ms > h.valid_from_ms OR"                                  \
	" (n.valid_from_ms = h.valid_from_ms AND n.ver > h.ver)))) l"

#define LIAISON_COLUMNS                                                                            \
	"l.id, l.org, coalesce(o.name, ''), l.role, l.name, l.title, l.office, l.mobile, l.email," \
	" l.valid_from_ms, l.removed"

static void row_to_liaison(sqlite3_stmt *s, struct dd_liaison *l)
{
	store_copy_text(l->id, sizeof l->id, s, 0);
	store_copy_text(l->org, sizeof l->org, s, 1);
	store_copy_text(l->org_name, sizeof l->org_name, s, 2);
	store_copy_text(l->role, sizeof l->role, s, 3);
	store_copy_text(l->name, sizeof l->name, s, 4);
	store_copy_text(l->title, sizeof l->title, s, 5);
	store_copy_text(l->office, sizeof l->office, s, 6);
	store_copy_text(l->mobile, sizeof l->mobile, s, 7);
	store_copy_text(l->email, sizeof l->email, s, 8);
	l->valid_from_ms = sqlite3_column_int64(s, 9);
	l->removed = sqlite3_column_int(s, 10);
}

/* ?1 is reserved for the as-of instant, bound (unused) in both forms. */
static void contact_where(struct where *w, const struct dd_contact_filter *f, struct terms *t,
			  char keys[3][DD_ORG_MAX + 2])
{
	memset(w, 0, sizeof *w);
	where_int(w, f->at_ms);
	if (f->scope && *f->scope)
		where_scope(w, "l.org_key", f->scope, keys[0], keys[1], DD_ORG_MAX + 2);
	if (f->org && *f->org) {
		store_org_key(f->org, keys[2], DD_ORG_MAX + 2);
		where_text(w, "l.org_key = ?", keys[2]);
	}
	if (f->kind && *f->kind)
		where_kind(w, "l.org_kind", f->kind);
	if (f->role && *f->role)
		where_text(w, "l.role = ?", f->role);
	if (!f->removed)
		where_add(w, "l.removed = 0");
	terms_parse(f->text, t);
	where_terms(w, t, "l.hay", "l.digits");
}

int store_contact_scan(struct dd_store *st, const struct dd_contact_filter *f, const struct dd_contact_key *after,
		       bool backward, int limit, dd_liaison_cb cb, void *ctx, struct dd_error *err)
{
	int rc = register_fns(st, err);
	if (rc)
		return rc;
	struct where w;
	struct terms t;
	char keys[3][DD_ORG_MAX + 2], after_key[DD_ORG_MAX + 1];
	contact_where(&w, f, &t, keys);
	if (after) {
		store_org_key(after->org, after_key, sizeof after_key);
		int a = where_param(&w, after_key), b = where_int(&w, after->rank), c = where_param(&w, after->name),
		    d = where_param(&w, after->id);
		char cond[160];
		snprintf(cond, sizeof cond, "(l.org_key, l.rank, l.name, l.id) %s (?%d, ?%d, ?%d, ?%d)", backward ? "<" : ">",
			 a, b, c, d);
		where_add(&w, cond);
	}
	const char *dir = backward ? "DESC" : "ASC";
	char sql[4096];
	int lim = where_int(&w, limit);
	snprintf(sql, sizeof sql,
		 "SELECT " LIAISON_COLUMNS " FROM %s LEFT JOIN orgs o ON o.id = l.org%s"
		 " ORDER BY l.org_key %s, l.rank %s, l.name %s, l.id %s LIMIT ?%d",
		 f->at_ms ? AS_OF_SOURCE : "liaisons l", w.sql, dir, dir, dir, dir, lim);
	sqlite3_stmt *s;
	if ((rc = where_prepare(st, sql, &w, &s, err)))
		return rc;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_liaison l;
		row_to_liaison(s, &l);
		if (cb(&l, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading the roster", err);
}

int store_contact_count(struct dd_store *st, const struct dd_contact_filter *f, int64_t cap, int64_t *n,
			struct dd_error *err)
{
	int rc = register_fns(st, err);
	if (rc)
		return rc;
	struct where w;
	struct terms t;
	char keys[3][DD_ORG_MAX + 2];
	contact_where(&w, f, &t, keys);
	char sql[4096];
	int lim = where_int(&w, cap > 0 ? cap : -1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM %s%s LIMIT ?%d)",
		 f->at_ms ? AS_OF_SOURCE : "liaisons l", w.sql, lim);
	sqlite3_stmt *s;
	if ((rc = where_prepare(st, sql, &w, &s, err)))
		return rc;
	return store_step_int64(st, s, n, "counting the roster", err);
}

/* Prepares sql and binds a to ?1 and, unless NULL, b to ?2. */
static int prepare_texts(struct dd_store *st, const char *sql, const char *a, const char *b, sqlite3_stmt **s,
			 struct dd_error *err)
{
	int rc = store_prepare(st, sql, s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(*s, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(*s, 2, b, -1, SQLITE_STATIC);
	return 0;
}

static int liaison_query(struct dd_store *st, const char *where, const char *a, const char *b,
			 struct dd_liaison *out, const char *missing, struct dd_error *err)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT " LIAISON_COLUMNS " FROM liaisons l LEFT JOIN orgs o ON o.id = l.org WHERE %s"
		 " ORDER BY l.removed, l.valid_from_ms DESC LIMIT 1", where);
	sqlite3_stmt *s;
	int rc = prepare_texts(st, sql, a, b, &s, err);
	if (rc)
		return rc;
	if ((rc = store_step_row(st, s, missing, "reading a liaison", err)) == 0)
		row_to_liaison(s, out);
	sqlite3_finalize(s);
	return rc;
}

int store_liaison_get(struct dd_store *st, const char *id, struct dd_liaison *out, struct dd_error *err)
{
	char missing[96];
	snprintf(missing, sizeof missing, "no liaison %s", id);
	return liaison_query(st, "l.id = ?1", id, NULL, out, missing, err);
}

int store_liaison_find(struct dd_store *st, const char *org, const char *role, const char *name,
		       struct dd_liaison *out, struct dd_error *err)
{
	char key[DD_ORG_MAX + 1];
	store_org_key(org, key, sizeof key);
	if (strcmp(role, "lead") == 0)
		return liaison_query(st, "l.org_key = ?1 AND l.rank = 0", key, NULL, out, "no lead", err);
	return liaison_query(st, "l.org_key = ?1 AND l.rank = 1 AND l.name = ?2", key, name, out, "no such contact", err);
}

/* An id by full UUID or a unique suffix of at least 8 hex digits. */
static int resolve_id(struct dd_store *st, const char *table, const char *what, const char *ref,
		      char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	size_t n = strlen(ref);
	if (n < 8 || n > DD_UUID_LEN || strspn(ref, "0123456789abcdef-") != n)
		return dd_fail(err, DD_EINVAL, "'%s' is not a %s id (its last 8 hex digits or more)", ref, what);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE substr(id, -?2) = ?1 LIMIT 2", table);
	sqlite3_stmt *s;
	int rc = store_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)n);
	int found = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		if (found++ == 0)
			store_copy_text(out, DD_UUID_LEN + 1, s, 0);
	sqlite3_finalize(s);
	if (!found)
		return dd_fail(err, DD_ENOTFOUND, "no %s %s", what, ref);
	if (found > 1)
		return dd_fail(err, DD_EINVAL, "%s id %s is ambiguous; give more digits", what, ref);
	return 0;
}

int store_liaison_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	return resolve_id(st, "liaisons", "liaison", ref, out, err);
}

/* ---- reading: objects ------------------------------------------------ */

#define OBJECT_COLUMNS                                                                                  \
	"b.id, b.org, coalesce(o.name, ''), b.district, b.kind, b.name, b.exposed, b.note, b.important," \
	" b.assessed_ms, b.assess_note, b.retired"

void roster_object_filter_init(struct dd_object_filter *f)
{
	memset(f, 0, sizeof *f);
	f->important = -1;
}

void roster_object_key(const struct dd_object *o, struct dd_object_key *key)
{
	snprintf(key->district, sizeof key->district, "%s", o->district);
	key->rank = o->important ? 0 : 1;
	snprintf(key->org, sizeof key->org, "%s", o->org);
	snprintf(key->name, sizeof key->name, "%s", o->name);
	snprintf(key->id, sizeof key->id, "%s", o->id);
}

static void row_to_object(sqlite3_stmt *s, struct dd_object *b)
{
	store_copy_text(b->id, sizeof b->id, s, 0);
	store_copy_text(b->org, sizeof b->org, s, 1);
	store_copy_text(b->org_name, sizeof b->org_name, s, 2);
	store_copy_text(b->district, sizeof b->district, s, 3);
	store_copy_text(b->kind, sizeof b->kind, s, 4);
	store_copy_text(b->name, sizeof b->name, s, 5);
	b->exposed = sqlite3_column_int(s, 6);
	store_copy_text(b->note, sizeof b->note, s, 7);
	b->important = sqlite3_column_int(s, 8);
	b->assessed_ms = sqlite3_column_int64(s, 9);
	store_copy_text(b->assess_note, sizeof b->assess_note, s, 10);
	b->retired = sqlite3_column_int(s, 11);
}

int store_object_scan(struct dd_store *st, const struct dd_object_filter *f, const struct dd_object_key *after,
		      int limit, dd_object_cb cb, void *ctx, struct dd_error *err)
{
	struct where w;
	memset(&w, 0, sizeof w);
	char keys[2][DD_ORG_MAX + 2], after_key[DD_ORG_MAX + 1];
	where_add(&w, "b.set_ver <> ''");
	if (f->scope && *f->scope)
		where_scope(&w, "b.org_key", f->scope, keys[0], keys[1], DD_ORG_MAX + 2);
	if (f->kind && *f->kind)
		where_text(&w, "b.kind = ?", f->kind);
	if (f->important >= 0)
		where_add(&w, f->important ? "b.important = 1" : "b.important = 0");
	if (!f->retired)
		where_add(&w, "b.retired = 0");
	char pattern[300] = "";
	if (f->text && *f->text) {
		snprintf(pattern, sizeof pattern, "%s", f->text);
		int p = where_param(&w, pattern);
		char cond[200];
		snprintf(cond, sizeof cond, "(instr(b.name, ?%d) OR instr(coalesce(o.name, ''), ?%d) OR instr(b.org, ?%d))", p, p, p);
		where_add(&w, cond);
	}
	if (after) {
		store_org_key(after->org, after_key, sizeof after_key);
		int a = where_param(&w, after->district), r = where_int(&w, after->rank), o = where_param(&w, after_key),
		    n = where_param(&w, after->name), i = where_param(&w, after->id);
		char cond[200];
		snprintf(cond, sizeof cond, "(b.district, b.ledger_rank, b.org_key, b.name, b.id) > (?%d, ?%d, ?%d, ?%d, ?%d)",
			 a, r, o, n, i);
		where_add(&w, cond);
	}
	char sql[3000];
	int lim = where_int(&w, limit);
	snprintf(sql, sizeof sql, "SELECT " OBJECT_COLUMNS " FROM objects b LEFT JOIN orgs o ON o.id = b.org%s"
		 " ORDER BY b.district, b.ledger_rank, b.org_key, b.name, b.id LIMIT ?%d", w.sql, lim);
	sqlite3_stmt *s;
	int rc = where_prepare(st, sql, &w, &s, err);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_object b;
		row_to_object(s, &b);
		if (cb(&b, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading the ledger", err);
}

static int object_query(struct dd_store *st, const char *where, const char *a, const char *b,
			struct dd_object *out, const char *missing, struct dd_error *err)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT " OBJECT_COLUMNS " FROM objects b LEFT JOIN orgs o ON o.id = b.org"
		 " WHERE b.set_ver <> '' AND %s LIMIT 1", where);
	sqlite3_stmt *s;
	int rc = prepare_texts(st, sql, a, b, &s, err);
	if (rc)
		return rc;
	if ((rc = store_step_row(st, s, missing, "reading a protected object", err)) == 0)
		row_to_object(s, out);
	sqlite3_finalize(s);
	return rc;
}

int store_object_get(struct dd_store *st, const char *id, struct dd_object *out, struct dd_error *err)
{
	char missing[96];
	snprintf(missing, sizeof missing, "no protected object %s", id);
	return object_query(st, "b.id = ?1", id, NULL, out, missing, err);
}

int store_object_find(struct dd_store *st, const char *org, const char *name, struct dd_object *out,
		      struct dd_error *err)
{
	return object_query(st, "b.org = ?1 AND b.name = ?2", org, name, out, "no such object", err);
}

int store_object_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err)
{
	return resolve_id(st, "objects", "protected object", ref, out, err);
}

/* ---- reading: calls ------------------------------------------------ */

int store_call_scan(struct dd_store *st, const char *org, int limit, dd_call_cb cb, void *ctx, struct dd_error *err)
{
	sqlite3_stmt *s;
	/* Real calls only: a drill's calls are in the drill's report. */
	int rc = store_prepare(st, "SELECT id, at_ms, callee, liaison, direction, result, officer, incident FROM calls"
				   " WHERE callee = ? AND drill = 0 ORDER BY at_ms DESC, id DESC LIMIT ?", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, limit);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dd_call c;
		store_copy_text(c.id, sizeof c.id, s, 0);
		c.at_ms = sqlite3_column_int64(s, 1);
		store_copy_text(c.callee, sizeof c.callee, s, 2);
		store_copy_text(c.liaison, sizeof c.liaison, s, 3);
		store_copy_text(c.direction, sizeof c.direction, s, 4);
		store_copy_text(c.result, sizeof c.result, s, 5);
		store_copy_text(c.officer, sizeof c.officer, s, 6);
		store_copy_text(c.incident, sizeof c.incident, s, 7);
		if (cb(&c, ctx))
			break;
	}
	return store_scan_end(st, s, step, "reading calls", err);
}

/* ---- the in-memory filter index ---------------------------------------- */

/* One current liaison: its hay and digits in text (hay, then U+001E, then
 * digits, then '\n'), its key and org kind in keys ("org_key\0name\0id\0
 * kind\0").  Rows are in roster order, so a window is a walk from the
 * row after the key and the first matches are the first rows met. */
struct ix_row {
	uint32_t hay, digits, end, key;
	int rank;
};

struct dd_contact_index {
	char *text, *keys;
	size_t text_len, text_cap, keys_len, keys_cap;
	struct ix_row *rows;
	size_t n, cap;
	int64_t data_version, changes;
	bool loaded;
	struct dd_store *st;     /* get is prepared on this store's connection */
	sqlite3_stmt *get;       /* one liaison by id, for the window's rows */
};

struct dd_contact_index *store_contact_index_new(void)
{
	return calloc(1, sizeof(struct dd_contact_index));
}

void store_contact_index_free(struct dd_contact_index *ix)
{
	if (!ix)
		return;
	sqlite3_finalize(ix->get);
	free(ix->text);
	free(ix->keys);
	free(ix->rows);
	free(ix);
}

static int ix_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 1 << 20;
		while (*len + n + 1 > c)
			c *= 2;
		char *bigger = realloc(*buf, c);
		if (!bigger)
			return -1;
		*buf = bigger;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	return 0;
}

static int ix_load(struct dd_contact_index *ix, struct dd_store *st, struct dd_error *err)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, "SELECT org_key, rank, name, id, org_kind, hay, digits FROM liaisons"
				   " WHERE removed = 0 ORDER BY org_key, rank, name, id", &s, err);
	if (rc)
		return rc;
	ix->n = ix->text_len = ix->keys_len = 0;
	ix->loaded = false;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (ix->n == ix->cap) {
			size_t cap = ix->cap ? ix->cap * 2 : 4096;
			struct ix_row *bigger = realloc(ix->rows, cap * sizeof *bigger);
			if (!bigger)
				break;
			ix->rows = bigger;
			ix->cap = cap;
		}
		struct ix_row *r = &ix->rows[ix->n];
		r->rank = sqlite3_column_int(s, 1);
		r->key = (uint32_t)ix->keys_len;
		r->hay = (uint32_t)ix->text_len;
		bool fail = false;
		static const int key_cols[] = { 0, 2, 3, 4 };   /* org_key, name, id, kind */
		for (int c = 0; c < 4 && !fail; c++) {
			const char *v = (const char *)sqlite3_column_text(s, key_cols[c]);
			fail = ix_append(&ix->keys, &ix->keys_len, &ix->keys_cap, v ? v : "",
					 (size_t)sqlite3_column_bytes(s, key_cols[c]) + 1) != 0;
		}
		fail = fail || ix_append(&ix->text, &ix->text_len, &ix->text_cap, (const char *)sqlite3_column_text(s, 5),
					 (size_t)sqlite3_column_bytes(s, 5)) ||
		       ix_append(&ix->text, &ix->text_len, &ix->text_cap, "\x1e", 1);
		r->digits = (uint32_t)ix->text_len;
		fail = fail || ix_append(&ix->text, &ix->text_len, &ix->text_cap, (const char *)sqlite3_column_text(s, 6),
					 (size_t)sqlite3_column_bytes(s, 6)) ||
		       ix_append(&ix->text, &ix->text_len, &ix->text_cap, "\n", 1);
		r->end = (uint32_t)ix->text_len;
		if (fail || ix->text_len > UINT32_MAX / 2)
			break;
		ix->n++;
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return step == SQLITE_ROW ? dd_fail(err, DD_ENOMEM, "out of memory loading the roster")
					  : store_sql_fail(st, step, err, "loading the roster");
	ix->loaded = true;
	return 0;
}

/* Reloads when anything was committed since: data_version moves with
 * other connections' commits, total_changes with this one's. */
static int ix_refresh(struct dd_contact_index *ix, struct dd_store *st, struct dd_error *err)
{
	int64_t dv = store_data_version(st), ch = sqlite3_total_changes64(st->db);
	if (ix->loaded && dv == ix->data_version && ch == ix->changes)
		return 0;
	int rc = ix_load(ix, st, err);
	ix->data_version = dv;
	ix->changes = ch;
	return rc;
}

static const char *ix_field(const struct dd_contact_index *ix, const struct ix_row *r, int field)
{
	const char *p = ix->keys + r->key;
	for (int i = 0; i < field; i++)
		p += strlen(p) + 1;
	return p;
}

/* Roster order: org_key, rank, name, id (BINARY, as SQLite compares). */
static int ix_cmp(const struct dd_contact_index *ix, const struct ix_row *r, const char *org_key, int rank,
		  const char *name, const char *id)
{
	int c = strcmp(ix_field(ix, r, 0), org_key);
	if (c)
		return c;
	if (r->rank != rank)
		return r->rank < rank ? -1 : 1;
	if ((c = strcmp(ix_field(ix, r, 1), name)))
		return c;
	return strcmp(ix_field(ix, r, 2), id);
}

struct ix_query {
	const struct dd_contact_filter *f;
	struct terms t;
	char scope[DD_ORG_MAX + 2], scope_end[DD_ORG_MAX + 3], org[DD_ORG_MAX + 2];
	int rank;                /* -1 any */
};

static bool ix_match(const struct dd_contact_index *ix, const struct ix_row *r, const struct ix_query *q)
{
	const char *org_key = ix->keys + r->key;
	if (q->scope[0] && (strcmp(org_key, q->scope) < 0 || strcmp(org_key, q->scope_end) >= 0))
		return false;
	if (q->org[0] && strcmp(org_key, q->org) != 0)
		return false;
	if (q->rank >= 0 && r->rank != q->rank)
		return false;
	if (q->f->kind && *q->f->kind) {
		const char *kind = ix_field(ix, r, 3);
		if (strcmp(q->f->kind, "enterprise") == 0 ? strncmp(kind, "ent-", 4) != 0 : strcmp(kind, q->f->kind) != 0)
			return false;
	}
	for (int i = 0; i < q->t.n; i++) {
		uint32_t from = q->t.digits[i] ? r->digits : r->hay, to = q->t.digits[i] ? r->end : r->digits;
		if (!memmem(ix->text + from, to - from, q->t.text[i], strlen(q->t.text[i])))
			return false;
	}
	return true;
}

int store_contact_filter(struct dd_contact_index *ix, struct dd_store *st, const struct dd_contact_filter *f,
			 const struct dd_contact_key *after, bool backward, int limit, int64_t cap, dd_liaison_cb cb,
			 void *ctx, int64_t *matched, struct dd_error *err)
{
	if (f->at_ms)
		return dd_fail(err, DD_EINVAL, "the filter index holds the current roster; use store_contact_scan for the past");
	int rc = ix_refresh(ix, st, err);
	if (rc)
		return rc;
	struct ix_query q = { .f = f, .rank = -1 };
	if (f->scope && *f->scope) {
		store_org_key(f->scope, q.scope, sizeof q.scope);
		snprintf(q.scope_end, sizeof q.scope_end, "%s!", q.scope);
	}
	if (f->org && *f->org)
		store_org_key(f->org, q.org, sizeof q.org);
	if (f->role && *f->role)
		q.rank = strcmp(f->role, "lead") == 0 ? 0 : 1;
	terms_parse(f->text, &q.t);

	/* The first row after (or before) the key: a binary search. */
	size_t lo = 0, hi = ix->n;
	if (after) {
		char key[DD_ORG_MAX + 1];
		store_org_key(after->org, key, sizeof key);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = ix_cmp(ix, &ix->rows[mid], key, after->rank, after->name, after->id);
			if (backward ? c < 0 : c <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	} else if (backward) {
		lo = ix->n;
	}
	/* The window's rows come from the table, through one statement kept
	 * for the index's life: preparing it per row would cost more than
	 * the search. */
	if (ix->st != st) {
		sqlite3_finalize(ix->get);
		ix->get = NULL;
		ix->st = st;
	}
	if (!ix->get && (rc = store_prepare(st, "SELECT " LIAISON_COLUMNS " FROM liaisons l LEFT JOIN orgs o ON o.id = l.org"
					 " WHERE l.id = ?", &ix->get, err)))
		return rc;
	int64_t found = 0;
	int shown = 0;
	bool stop = false;
	for (size_t i = lo; backward ? i > 0 : i < ix->n; backward ? i-- : i++) {
		const struct ix_row *r = &ix->rows[backward ? i - 1 : i];
		if (!ix_match(ix, r, &q))
			continue;
		found++;
		if (shown < limit && !stop) {
			struct dd_liaison l;
			sqlite3_reset(ix->get);
			sqlite3_bind_text(ix->get, 1, ix_field(ix, r, 2), -1, SQLITE_STATIC);
			int step = sqlite3_step(ix->get);
			if (step != SQLITE_ROW) {
				sqlite3_reset(ix->get);
				return store_sql_fail(st, step == SQLITE_DONE ? SQLITE_CORRUPT : step, err, "reading a liaison");
			}
			row_to_liaison(ix->get, &l);
			sqlite3_reset(ix->get);
			shown++;
			stop = cb(&l, ctx) != 0;
		}
		if ((stop || shown >= limit) && (!matched || (cap > 0 && found >= cap)))
			break;
	}
	if (matched)
		*matched = found;
	return 0;
}
