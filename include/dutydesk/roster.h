/*
 * roster.h — organisations, liaisons (联络员), the duty schedule (值班表),
 * protected objects (保护对象) and calls: the rules for changing them
 * (core/roster.c, core/duty.c) and the read API the CLI and the Roster,
 * Duty and Objects screens use (core/store_roster.c, core/store_duty.c).
 *
 * The org tree: dotted ids (DESIGN.md §2); an org's scope is its id
 * prefix.  Every change is an event whose subject is the thing changed —
 * org.set (the org id), liaison.set (the liaison's UUID), object.set and
 * object.assess (the object's UUID), duty.shift (the shift's UUID) — and
 * carries its whole new state, resolved last-writer-wins by (hlc, origin,
 * seq), so replaying the log in any order gives the same tables.
 *
 * A liaison's versions are kept with their valid_from, so the roster as
 * of any past instant can be shown; the current tables hold the newest
 * version (which may begin in the future: a liaison row says when).
 *
 * Reading: every list is a keyset scan — give the last row's key to get
 * the next window — so a screen pays for the rows it shows, not for the
 * size of the roster.  Filters take what a person types: any substring
 * of a name, title, e-mail, org name, pinyin or id, district or org-kind
 * label (Chinese or ASCII, ASCII case-blind); a fragment of phone digits
 * matches numbers whatever spaces or dashes they were written with.
 * Rows passed to callbacks are valid only during the call.
 *
 * Writers check their input against the tables before anything is
 * written and refuse with DD_EINVAL (or DD_ENOTFOUND) and a message; a
 * change that changes nothing writes nothing and says so (*changed).
 */
#ifndef DUTYDESK_ROSTER_H
#define DUTYDESK_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/kinds.h"
#include "dutydesk/phone.h"
#include "dutydesk/store.h"

#define DD_ORG_ID_MAX DD_SUBJECT_MAX   /* an org id is an org.set subject */
#define DD_NAME_MAX 300                /* org and object names, bytes */
#define DD_PERSON_MAX 128              /* people's names, titles, e-mail */

/* ---- vocabularies ---------------------------------------------------- */

/* Chinese labels ("工业企业", "应急联络员", "工业控制系统", "已接通") of the
 * ids in kinds.h; the id itself when unknown. */
const char *roster_org_kind_label(const char *kind);
const char *roster_role_label(const char *role);
const char *roster_object_kind_label(const char *kind);
const char *roster_call_result_label(const char *result);

/* An id from an id or its Chinese label ("应急联络员" gives "contact",
 * "工业控制系统" gives "ics"); NULL when neither. */
const char *roster_org_kind_parse(const char *s);
const char *roster_role_parse(const char *s);
const char *roster_object_kind_parse(const char *s);

bool roster_org_kind_enterprise(const char *kind);   /* ent-* (art. 3) */
bool roster_org_kind_district(const char *kind);     /* district, county, autonomous-county, zone */

/* The district office an org lies in: "cq.yubei" for cq.yubei and
 * cq.yubei.ent-1; "" for cq, cq.center, cq.expert, cq.support.* and
 * bodies outside cq. */
void roster_district_of(const char *org, char out[DD_ORG_ID_MAX + 1]);

/* ---- organisations ------------------------------------------------- */

struct dd_org {
	char id[DD_ORG_ID_MAX + 1];
	char parent[DD_ORG_ID_MAX + 1];      /* "" for a root (cq, ext.*) */
	char kind[24];
	char name[DD_NAME_MAX + 1];
	char name_en[DD_NAME_MAX + 1];
	char pinyin[201];
	char district[DD_ORG_ID_MAX + 1];    /* roster_district_of(id) */
	int depth;                           /* dots in the id */
	bool retired;
	int64_t updated_ms;
};

struct dd_org_filter {
	const char *scope;       /* NULL: all; else this org and its subtree */
	const char *kind;        /* NULL: any; an org kind, or "enterprise" for any ent-* */
	const char *text;        /* NULL or "": any; as typed (see above) */
	bool retired;            /* include retired orgs */
};

/* Orgs in tree order (parents before children, siblings by id). */
struct dd_org_key {
	char id[DD_ORG_ID_MAX + 1];
};

void roster_org_filter_init(struct dd_org_filter *f);
typedef int (*dd_org_cb)(const struct dd_org *o, void *ctx);
int store_org_get(struct dd_store *st, const char *id, struct dd_org *out, struct dd_error *err);
int store_org_scan(struct dd_store *st, const struct dd_org_filter *f, const struct dd_org_key *after,
		   bool backward, int limit, dd_org_cb cb, void *ctx, struct dd_error *err);
int store_org_count(struct dd_store *st, const struct dd_org_filter *f, int64_t *n, struct dd_error *err);

/* What an org.set says; id, kind and name are required.  parent NULL or
 * "" means none for ids outside cq (cq itself, ext.*) and, under cq, the
 * id without its last label. */
struct dd_org_in {
	const char *id;
	const char *parent;
	const char *kind;        /* an id or a Chinese label */
	const char *name;
	const char *name_en;     /* may be NULL */
	const char *pinyin;      /* may be NULL */
	bool retired;
};

/* Checks o against the tree — a valid id of at most 64 bytes; a parent
 * that exists; for cq.* a parent that is a prefix of the id; an
 * enterprise under a district office or another enterprise — then writes
 * an org.set unless the org already says exactly this; *changed (may be
 * NULL) tells which. */
int roster_org_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_org_in *o, bool *changed,
		   struct dd_error *err);

/* ---- liaisons --------------------------------------------------------- */

struct dd_liaison {
	char id[DD_UUID_LEN + 1];
	char org[DD_ORG_ID_MAX + 1];
	char org_name[DD_NAME_MAX + 1];
	char role[8];                        /* lead (工作负责人) or contact (应急联络员) */
	char name[DD_PERSON_MAX + 1];
	char title[DD_PERSON_MAX + 1];
	char office[DD_PHONE_MAX];           /* canonical, or "" */
	char mobile[DD_PHONE_MAX];           /* canonical, or "" */
	char email[DD_PERSON_MAX + 1];
	int64_t valid_from_ms;
	bool removed;                        /* only when the filter asks for removed rows */
};

/* Contacts are ordered by org (tree order), the lead before contacts,
 * then name and id; the key of a row is that tuple. */
struct dd_contact_key {
	char org[DD_ORG_ID_MAX + 1];
	int rank;                            /* 0 lead, 1 contact */
	char name[DD_PERSON_MAX + 1];
	char id[DD_UUID_LEN + 1];
};
void roster_contact_key(const struct dd_liaison *l, struct dd_contact_key *key);

struct dd_contact_filter {
	const char *scope;       /* NULL: all; else org subtree */
	const char *org;         /* NULL: any; else exactly this org (a contact card) */
	const char *kind;        /* NULL: any; org kind or "enterprise" */
	const char *role;        /* NULL: any; lead or contact */
	const char *text;        /* NULL or "": any; as typed; digits match phones */
	int64_t at_ms;           /* 0: the current roster; else as it was at that instant */
	bool removed;            /* include liaisons whose latest version removed them */
};

void roster_contact_filter_init(struct dd_contact_filter *f);
typedef int (*dd_liaison_cb)(const struct dd_liaison *l, void *ctx);
/* Contacts through SQL: the current roster, or with at_ms the roster as
 * it was then (the CLI's roster find; a screen's history view). */
int store_contact_scan(struct dd_store *st, const struct dd_contact_filter *f, const struct dd_contact_key *after,
		       bool backward, int limit, dd_liaison_cb cb, void *ctx, struct dd_error *err);
/* Counts matches, stopping at cap (0: no cap) so "999+" costs a bounded scan. */
int store_contact_count(struct dd_store *st, const struct dd_contact_filter *f, int64_t cap, int64_t *n,
			struct dd_error *err);
/* The query the Roster screen runs per keystroke: the same filter over
 * an in-memory copy of the current roster's search text (about 4 MB for
 * 30,000 contacts), so a keystroke costs one pass of memmem() over it
 * rather than two scans of the table.  The copy is loaded on first use
 * and again whenever the database changed (a commit by this connection
 * or another), so it is never stale.  cb receives the first limit
 * matches after key (NULL: from the start; backward: before it, nearest
 * first); *matched (may be NULL) counts matches from there on, stopping
 * at cap (0: no cap), for "1,234 matches" or "999+".  f->at_ms must be 0
 * and removed liaisons are never included: the past goes through
 * store_contact_scan. */
struct dd_contact_index;
struct dd_contact_index *store_contact_index_new(void);
void store_contact_index_free(struct dd_contact_index *ix);
int store_contact_filter(struct dd_contact_index *ix, struct dd_store *st, const struct dd_contact_filter *f,
			 const struct dd_contact_key *after, bool backward, int limit, int64_t cap, dd_liaison_cb cb,
			 void *ctx, int64_t *matched, struct dd_error *err);

int store_liaison_get(struct dd_store *st, const char *id, struct dd_liaison *out, struct dd_error *err);
/* A liaison by full id or a unique suffix of at least 8 hex digits. */
int store_liaison_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err);

/* The current liaison of org with that role and, for contacts, name
 * (a lead is found by role alone: an org has one).  DD_ENOTFOUND when
 * none (removed ones are found too: a set brings them back). */
int store_liaison_find(struct dd_store *st, const char *org, const char *role, const char *name,
		       struct dd_liaison *out, struct dd_error *err);

struct dd_liaison_in {
	const char *org;
	const char *role;        /* id or label */
	const char *name;
	const char *title;       /* NULL/"" none */
	const char *office;      /* as typed; NULL/"" none */
	const char *mobile;      /* as typed; NULL/"" none */
	const char *email;       /* NULL/"" none */
	int64_t valid_from_ms;   /* 0: now */
};

/* Which liaison a set changes: an org has one lead, so a new lead takes
 * the lead's slot (the one before is shown until valid_from); a contact
 * is the org's contact of that name, or a new one.  Writes liaison.set
 * unless nothing differs; id (may be NULL) receives the liaison's id. */
int roster_liaison_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_liaison_in *in,
		       char id[DD_UUID_LEN + 1], bool *changed, struct dd_error *err);
/* The liaison stops being one from valid_from_ms (0: now). */
int roster_liaison_remove(struct dd_store *st, const struct dd_config *cfg, const char *id, int64_t valid_from_ms,
			  struct dd_error *err);

/* ---- protected objects (保护对象) --------------------------------------- */

struct dd_object {
	char id[DD_UUID_LEN + 1];
	char org[DD_ORG_ID_MAX + 1];
	char org_name[DD_NAME_MAX + 1];
	char district[DD_ORG_ID_MAX + 1];
	char kind[16];                       /* ics, platform, infrastructure */
	char name[DD_NAME_MAX + 1];
	bool exposed;                        /* reachable from the internet (art. 4) */
	char note[1001];
	bool important;                      /* 重要, after assessment */
	int64_t assessed_ms;                 /* 0: never assessed */
	char assess_note[1001];
	bool retired;
};

/* The ledger order: by district, important ones first, then org and name. */
struct dd_object_key {
	char district[DD_ORG_ID_MAX + 1];
	int rank;                            /* 0 important, 1 not */
	char org[DD_ORG_ID_MAX + 1];
	char name[DD_NAME_MAX + 1];
	char id[DD_UUID_LEN + 1];
};
void roster_object_key(const struct dd_object *o, struct dd_object_key *key);

struct dd_object_filter {
	const char *scope;       /* NULL all; org subtree (a district id gives its ledger) */
	const char *kind;        /* NULL any */
	int important;           /* -1 any, 0 not important, 1 important */
	const char *text;        /* NULL any; name, org name or id */
	bool retired;
};
void roster_object_filter_init(struct dd_object_filter *f);
typedef int (*dd_object_cb)(const struct dd_object *o, void *ctx);
int store_object_scan(struct dd_store *st, const struct dd_object_filter *f, const struct dd_object_key *after,
		      int limit, dd_object_cb cb, void *ctx, struct dd_error *err);
int store_object_get(struct dd_store *st, const char *id, struct dd_object *out, struct dd_error *err);
/* An object by full id or a unique suffix of at least 8 hex digits. */
int store_object_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err);

/* Org's object of that name (retired ones too); DD_ENOTFOUND when none. */
int store_object_find(struct dd_store *st, const char *org, const char *name, struct dd_object *out,
		      struct dd_error *err);

struct dd_object_in {
	const char *org;         /* an enterprise */
	const char *kind;        /* id or label */
	const char *name;
	bool exposed;
	const char *note;        /* NULL none */
};
/* An object is its org's object of that name: set changes it or creates
 * it (id receives its id, may be NULL). */
int roster_object_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_object_in *in,
		      char id[DD_UUID_LEN + 1], bool *changed, struct dd_error *err);
/* Records the assessment (art. 12); assessed_ms 0 is now. */
int roster_object_assess(struct dd_store *st, const struct dd_config *cfg, const char *id, bool important,
			 int64_t assessed_ms, const char *note, bool *changed, struct dd_error *err);

/* ---- calls ---------------------------------------------------------- */

struct dd_call_in {
	const char *org;         /* the callee org */
	const char *liaison;     /* a liaison id of that org, or NULL */
	const char *result;      /* reached, no-answer, busy, wrong-number */
	bool incoming;           /* call-in (they called) instead of call-out */
	const char *note;        /* NULL none */
	const char *incident;    /* an incident id, or NULL */
	int64_t at_ms;           /* 0 now */
};
/* Records the call as a shift-log entry (log.entry call-out/call-in with
 * callee and result) whose text names the org, person and number. */
int roster_call(struct dd_store *st, const struct dd_config *cfg, const struct dd_call_in *in, struct dd_event *out,
		struct dd_error *err);

struct dd_call {
	char id[DD_UUID_LEN + 1];
	int64_t at_ms;
	char callee[DD_ORG_ID_MAX + 1];
	char liaison[DD_UUID_LEN + 1];
	char direction[8];                   /* out, in */
	char result[16];
	char officer[DD_PERSON_MAX + 1];
	char incident[DD_UUID_LEN + 1];
};
typedef int (*dd_call_cb)(const struct dd_call *c, void *ctx);
/* The newest calls to or from org, newest first. */
int store_call_scan(struct dd_store *st, const char *org, int limit, dd_call_cb cb, void *ctx, struct dd_error *err);

/* ---- the duty schedule (值班表) -------------------------------------- */

struct dd_shift {
	char id[DD_UUID_LEN + 1];
	char org[DD_ORG_ID_MAX + 1];
	char org_name[DD_NAME_MAX + 1];
	char post[65];                       /* "" the org's duty desk; else a named post */
	int64_t start_ms, end_ms;            /* [start, end) */
	int n_officers;
	char officers[DD_SHIFT_OFFICERS_MAX][DD_PERSON_MAX + 1];
	char leader[DD_PERSON_MAX + 1];      /* 带班领导, "" none */
	char phone[DD_PHONE_MAX];            /* the duty line, "" none */
	bool h24;                            /* 7×24 watch of a response period */
	char change[16];                     /* the last change: set, swap, take-over, reassign, cancel */
	char reason[1001];
	char by[DD_PERSON_MAX + 1];
	bool cancelled;
};

#define DD_SHIFT_MAX_MS (7 * 86400000LL)  /* the longest shift accepted */

/* Shifts of org (every post) in force at at_ms — what the top bar shows.
 * Up to max into out; *n receives how many. */
int store_duty_at(struct dd_store *st, const char *org, int64_t at_ms, struct dd_shift *out, int max, int *n,
		  struct dd_error *err);

/* Shifts overlapping [from_ms, until_ms) of orgs in scope (NULL all), by
 * org (tree order), post and start: the week view. */
typedef int (*dd_shift_cb)(const struct dd_shift *s, void *ctx);
int store_duty_scan(struct dd_store *st, const char *scope, int64_t from_ms, int64_t until_ms, bool cancelled,
		    dd_shift_cb cb, void *ctx, struct dd_error *err);
int store_duty_get(struct dd_store *st, const char *id, struct dd_shift *out, struct dd_error *err);

/* The shift of (org, post) starting at start_ms (cancelled ones too);
 * DD_ENOTFOUND when none. */
int store_duty_find(struct dd_store *st, const char *org, const char *post, int64_t start_ms, struct dd_shift *out,
		    struct dd_error *err);
/* The first live shift of (org, post) other than except_id overlapping
 * [start_ms, end_ms); DD_ENOTFOUND when none. */
int store_duty_overlap(struct dd_store *st, const char *org, const char *post, int64_t start_ms, int64_t end_ms,
		       const char *except_id, struct dd_shift *out, struct dd_error *err);

/* The standard shift holding instant at_ms: from shift_start ("08:30")
 * local time in zone tz to the same time the next day. */
int duty_shift_bounds(const char *shift_start, const char *tz, int64_t at_ms, int64_t *start_ms, int64_t *end_ms,
		      struct dd_error *err);

/* The shift on a local date (2026-11-26, today) from start_hm to end_hm
 * ("08:30"; end NULL is start): an end at or before the start is the
 * next day's.  Errors begin with the part at fault: date, start, end. */
int duty_shift_on(const char *date, const char *start_hm, const char *end_hm, const char *tz, int64_t *start_ms,
		  int64_t *end_ms, struct dd_error *err);

struct dd_shift_in {
	const char *org;
	const char *post;        /* NULL or "": the org's duty desk */
	int64_t start_ms, end_ms;
	const char *const *officers;
	int n_officers;
	const char *leader;      /* NULL none */
	const char *phone;       /* as typed; NULL none */
	bool h24;
	const char *reason;      /* NULL none */
};

/* Sets the shift of (org, post) that starts at start_ms, or creates it;
 * refuses one that overlaps another shift of the same post. */
int duty_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_shift_in *in,
	     char id[DD_UUID_LEN + 1], bool *changed, struct dd_error *err);

/* Replaces officer from with to in shift id (a take-over), or with
 * other_id swaps them: from takes to's place in other_id as well (a
 * swap).  An officer may change only a shift they are on; a leader (role
 * "leader") any.  Every change carries the reason. */
int duty_take_over(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *from,
		   const char *to, const char *other_id, const char *reason, struct dd_error *err);
/* A leader sets the shift's leader or officers (reassign); officers NULL
 * keeps them, leader NULL keeps it. */
int duty_reassign(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *const *officers,
		  int n_officers, const char *leader, const char *reason, struct dd_error *err);
int duty_cancel(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *reason,
		struct dd_error *err);

/* ---- the coverage check (duty gaps, roster lint) ---------------------- */

enum dd_gap_kind {
	DD_GAP_NO_LEAD,          /* an org with no 工作负责人 */
	DD_GAP_NO_CONTACT,       /* an org with no 应急联络员 at all */
	DD_GAP_NO_MOBILE,        /* a liaison who cannot be reached: no mobile phone */
	DD_GAP_UNCOVERED,        /* time of a post with no shift */
	DD_GAP_NO_OFFICER,       /* a shift with no duty officer */
	DD_GAP_NO_LEADER,        /* a shift with no 带班领导 */
	DD_GAP_OVERLAP,          /* two shifts of one post overlap (merged from two desks) */
};

struct dd_gap {
	enum dd_gap_kind kind;
	char org[DD_ORG_ID_MAX + 1];
	char org_name[DD_NAME_MAX + 1];
	char post[65];
	char who[DD_PERSON_MAX + 1];         /* the liaison, for NO_MOBILE */
	char ref[DD_UUID_LEN + 1];           /* liaison or shift id, or "" */
	int64_t from_ms, until_ms;           /* the time concerned, 0 when none */
};

const char *roster_gap_label(enum dd_gap_kind kind);

/* Every gap in scope (NULL all): liaison gaps in org order, then duty
 * gaps in org order.  Liaison gaps for every org
 * of the liaison mechanism (art. 15: commission, centre, district offices,
 * support organisations, enterprises); duty gaps over [from_ms, from_ms +
 * days) for every org that keeps its schedule here (has any shift) and
 * for own_org (the desk's, may be NULL). */
typedef int (*dd_gap_cb)(const struct dd_gap *g, void *ctx);
int store_roster_gaps(struct dd_store *st, const char *scope, const char *own_org, int64_t from_ms, int days,
		bool liaisons, bool duty, dd_gap_cb cb, void *ctx, struct dd_error *err);

#endif
