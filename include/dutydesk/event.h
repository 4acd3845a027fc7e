/*
 * event.h — the one event codec, shared by console, server and tests.
 *
 * Every change in dutydesk is an event (DESIGN.md §4).  An event's
 * canonical encoding is the JSON object of all its fields except "hash",
 * with sorted keys, no insignificant whitespace and UTF-8 text; its hash
 * is the SHA-256 of those bytes, in lowercase hex.  Each origin's events
 * form a chain: seq counts 1, 2, 3 … without gaps and each event's "prev"
 * is the hash of the one before (64 zeros for seq 1), so a removed,
 * reordered or edited event is detected.
 *
 * Decoding trusts nothing: every field is checked for presence, type,
 * size and form, the body against the schema of its kind (kinds.h), and
 * the hash recomputed; the error names the field.
 */
#ifndef DUTYDESK_EVENT_H
#define DUTYDESK_EVENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dutydesk/error.h"
#include "dutydesk/hash.h"
#include "dutydesk/ids.h"

#define DD_ACTOR_MAX 128     /* bytes */
#define DD_ORG_MAX 128
#define DD_SUBJECT_MAX 64
#define DD_KIND_MAX 40
#define DD_AT_MAX 40
#define DD_BODY_MAX (64 * 1024)  /* canonical bytes of the body */
#define DD_EVENT_MAX (DD_BODY_MAX + 4096)

struct dd_event {
	char id[DD_UUID_LEN + 1];
	char origin[DD_UUID_LEN + 1];
	int64_t seq;
	uint64_t hlc;
	char at[DD_AT_MAX];            /* RFC 3339 with the origin's offset */
	char actor[DD_ACTOR_MAX + 1];
	char org[DD_ORG_MAX + 1];
	char kind[DD_KIND_MAX + 1];
	char subject[DD_SUBJECT_MAX + 1];
	int drill;                     /* 0 or 1 */
	json_t *body;                  /* an object; owned by the event */
	char prev[DD_HASH_HEX + 1];
	char hash[DD_HASH_HEX + 1];
};

extern const char DD_GENESIS_PREV[DD_HASH_HEX + 1];

void event_init(struct dd_event *ev);
void event_free(struct dd_event *ev);   /* releases body; ev reusable */

/* Canonical bytes (without "hash"), malloc'd and NUL-terminated. */
int event_canonical(const struct dd_event *ev, char **out, size_t *len, struct dd_error *err);

/* Computes ev->hash from the canonical bytes. */
int event_seal(struct dd_event *ev, struct dd_error *err);

/* The full encoding, canonical plus "hash", malloc'd.  With the same
 * ordering rules, so it is also what the server and files carry. */
int event_encode(const struct dd_event *ev, char **out, size_t *len, struct dd_error *err);

/* The same as a jansson object (new reference), for batches. */
json_t *event_to_json(const struct dd_event *ev);

/* Parses and validates one event.  On failure ev is left empty and err
 * names the field, e.g. "field 'seq': must be an integer ≥ 1". */
int event_decode(const char *json, size_t len, struct dd_event *ev, struct dd_error *err);
int event_from_json(json_t *obj, struct dd_event *ev, struct dd_error *err);
/* event_from_json, and *json the event's encoding (event_encode, malloc'd)
 * made from the bytes the hash check printed: one dump, not two. */
int event_from_json_encoded(json_t *obj, struct dd_event *ev, char **json, struct dd_error *err);

/* Checks ev against the event before it from the same origin (NULL when
 * ev should be the first): seq contiguity and the prev link. */
int event_check_chain(const struct dd_event *before, const struct dd_event *ev,
		      struct dd_error *err);

/* Checks the fields, the body against its kind and, when check_hash, that
 * ev->hash matches.  event_decode calls this. */
int event_validate(const struct dd_event *ev, bool check_hash, struct dd_error *err);


/* Org ids are dotted lowercase labels: cq, cq.yubei, cq.yubei.ent-0042. */
bool org_id_valid(const char *id);
/* Whether org lies in the subtree of scope (scope "cq" holds "cq.yubei"). */
bool org_in_scope(const char *org, const char *scope);

#endif
