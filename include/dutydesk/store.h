/*
 * store.h — the console's database: the append-only event log and the
 * projections the screens read.
 *
 * core/store.c is the only console file with SQL.  Invariants:
 *  - events are only ever inserted; triggers refuse UPDATE and DELETE;
 *  - an event and every projection change it causes commit in one
 *    transaction, so a reader never sees one without the other;
 *  - projections are a pure function of the set of events: store_rebuild()
 *    replays the log and yields byte-identical tables (store_digest() is
 *    the proof);
 *  - a commit reported as done has been fsynced (WAL, synchronous=FULL).
 */
#ifndef DUTYDESK_STORE_H
#define DUTYDESK_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/error.h"
#include "dutydesk/event.h"

#define DD_SCHEMA_VERSION 11

struct dd_store;

enum dd_store_flags {
	DD_STORE_CREATE = 1,    /* create the file (0600, folder 0700) if missing */
	DD_STORE_READONLY = 2,
};

int store_open(const char *path, int flags, struct dd_store **out, struct dd_error *err);
void store_close(struct dd_store *st);

/* What a caller says about a new local event; the store adds id, seq,
 * hlc, prev and hash. */
struct dd_new_event {
	const char *origin;
	const char *actor;
	const char *org;
	const char *kind;
	const char *subject;    /* may be "" */
	int drill;
	json_t *body;           /* borrowed */
	int64_t at_ms;          /* when it happened; 0 = now */
	const char *tz;         /* zone whose offset "at" carries */
};

/* Appends one local event and its projections in one transaction.  When
 * out is not NULL it receives the sealed event (free with event_free). */
int store_append_local(struct dd_store *st, const struct dd_new_event *ne, struct dd_event *out,
		       struct dd_error *err);

/* Appends an event that came from elsewhere, after validation and the
 * chain check against this store.  DD_EDUP when its id is already here. */
int store_append_remote(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
/* The same for a reader with a read scope, which gets only the events of
 * another desk's chain that concern it: an event after a gap in its
 * origin's chain is taken on its own hash, and the gap is recorded so
 * store_verify accepts it there (and nowhere else). */
int store_append_partial(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);

/* Groups many appends into one transaction (an import, a sync batch):
 * each append still succeeds or fails whole, and nothing is durable or
 * visible to others until store_batch_end(st, true).  Ending with
 * commit false discards every append of the batch. */
int store_batch_begin(struct dd_store *st, struct dd_error *err);
int store_batch_end(struct dd_store *st, bool commit, struct dd_error *err);

/* Drops and replays every projection from the log. */
int store_rebuild(struct dd_store *st, struct dd_error *err);

/* SHA-256 over every projection row in key order. */
int store_digest(struct dd_store *st, char out[DD_HASH_HEX + 1], struct dd_error *err);

/* Integrity check, then every origin's chain: contiguous seq, prev links,
 * recomputed hashes.  The first bad event is named in err (DD_ECHAIN or
 * DD_ECORRUPT).  *checked receives the number of events verified. */
int store_verify(struct dd_store *st, int64_t *checked, struct dd_error *err);

/* Changes whenever another connection commits (PRAGMA data_version). */
int64_t store_data_version(struct dd_store *st);

/* The database file, for watching it. */
const char *store_path(const struct dd_store *st);

int64_t store_event_count(struct dd_store *st);

/* ---- shift log ---------------------------------------------------- */

struct dd_log_row {
	char id[DD_UUID_LEN + 1];
	int64_t at_ms;
	const char *at;        /* RFC 3339 as written */
	const char *officer;
	const char *org;
	const char *kind;      /* note, call-in, … */
	const char *text;      /* valid UTF-8, may hold control characters */
	const char *corrects;  /* id of the entry this one amends, or "" */
	int drill;
};

/* Position in the log: (at_ms, id) is unique and ordered. */
struct dd_log_key {
	int64_t at_ms;
	char id[DD_UUID_LEN + 1];
};

struct dd_log_filter {
	int64_t since_ms;      /* INT64_MIN: open */
	int64_t until_ms;      /* INT64_MAX: open; inclusive */
	const char *officer;   /* NULL: any */
	const char *grep;      /* NULL: any; case-insensitive for ASCII */
	int drill;             /* -1 any, 0 real only, 1 drill only */
};

void store_log_filter_init(struct dd_log_filter *f);

/* Row pointers are valid only during the callback; return non-zero to stop. */
typedef int (*dd_log_cb)(const struct dd_log_row *row, void *ctx);

/* Calls cb for up to limit rows after (or, when backward, before) key in
 * log order; key NULL starts from the beginning (or the end).  Keyset
 * pagination: cost is proportional to limit, not to the log's size. */
int store_log_scan(struct dd_store *st, const struct dd_log_filter *f, const struct dd_log_key *key,
		   bool backward, int limit, dd_log_cb cb, void *ctx, struct dd_error *err);

int store_log_count(struct dd_store *st, const struct dd_log_filter *f, int64_t *n,
		    struct dd_error *err);

/* Finds the entry a person refers to by its full id or its short id (the
 * last 8 hex digits).  DD_ENOTFOUND, or DD_EINVAL when the short id is
 * ambiguous. */
int store_log_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1],
		      struct dd_error *err);

/* ---- banners ------------------------------------------------------ */

struct dd_banners {
	char period[256];      /* active protection period's name, or "" */
	int64_t period_end_ms;
	char drill[256];       /* running drill's name, or "" */
};

int store_banners(struct dd_store *st, int64_t now_ms, struct dd_banners *b, struct dd_error *err);

/* ---- sync (core/store_sync.c) --------------------------------------- */

/* Per server URL: the last global sequence pulled, and the last seq of
 * this console's origin the server acknowledged.  Zeros when never synced. */
struct dd_sync_cursor {
	int64_t pulled;
	int64_t pushed;
};

int store_sync_cursor(struct dd_store *st, const char *server, struct dd_sync_cursor *c, struct dd_error *err);
int store_sync_set_pulled(struct dd_store *st, const char *server, int64_t pulled, struct dd_error *err);
int store_sync_set_pushed(struct dd_store *st, const char *server, int64_t pushed, struct dd_error *err);

/* The highest seq of origin here, 0 when it has none. */
int store_origin_head(struct dd_store *st, const char *origin, int64_t *seq, struct dd_error *err);

/* known[i] tells whether the event at keys[i]'s origin and seq is stored
 * here with keys[i]'s hash (a key with a NULL origin or hash is not).
 * The hash covers the whole event and every stored event was validated,
 * so a known event is a duplicate that needs no decoding or checking;
 * one prepared query serves the n lookups. */
struct dd_event_key {
	const char *origin;
	int64_t seq;
	const char *hash;
};
int store_events_known(struct dd_store *st, size_t n, const struct dd_event_key *keys, bool *known,
		       struct dd_error *err);

/* Calls cb with a JSON encoding of up to limit events of origin after
 * after_seq, in seq order; non-zero from cb stops.  The keys are not in
 * canonical order (a receiver decodes and checks the hash itself). */
typedef int (*dd_event_text_cb)(int64_t seq, const char *json, size_t len, void *ctx);
int store_events_of(struct dd_store *st, const char *origin, int64_t after_seq, int limit, dd_event_text_cb cb,
		    void *ctx, struct dd_error *err);

#endif
