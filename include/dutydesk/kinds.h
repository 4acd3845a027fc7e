/*
 * kinds.h — the table of event kinds and their body schemas.
 *
 * One table in code (core/kinds.c), documented in docs/EVENTS.md; the
 * codec validates every body against it, so console and server accept
 * exactly the same events.  A body always has "v", the schema version of
 * its kind; fields a version does not know are refused, so a newer event
 * cannot be half-understood by an older console.
 */
#ifndef DUTYDESK_KINDS_H
#define DUTYDESK_KINDS_H

#include <jansson.h>
#include <stddef.h>

#include "dutydesk/error.h"

/* DD_F_HOPS: a reporting chain, an array (at most 8) of objects
 * {"id": hop id, "to": text, "within_min": 1…2000000, "after": "" or an
 * earlier id}, as tiers.conf defines it at the time the tier was set.
 * DD_F_NAMES: an array of at most 8 distinct non-empty strings of at most
 * max bytes each (the officers of a shift); may be empty.
 * DD_F_ORG: an org id (org_id_valid).
 * DD_F_PHONE: a phone number in the canonical form of phone.h.
 * DD_F_OBJECT: a JSON object (a snapshot whose reader checks its shape).
 * DD_F_INJECTS: a drill scenario's injects (drill_injects_from_json). */
enum dd_field_type { DD_F_STRING, DD_F_INT, DD_F_BOOL, DD_F_UUID, DD_F_TIME, DD_F_HOPS, DD_F_NAMES, DD_F_ORG,
		     DD_F_PHONE, DD_F_OBJECT, DD_F_INJECTS };

struct dd_field_spec {
	const char *name;
	enum dd_field_type type;
	int required;
	size_t max;                    /* strings: bytes; ints: largest value */
	const char *const *allowed;    /* strings: NULL-terminated list, or NULL */
};

struct dd_kind_spec {
	const char *kind;
	int version;
	const struct dd_field_spec *fields;
	const char *summary;
};

const struct dd_kind_spec *kind_find(const char *kind);

/* Checks body (an object) against the schema of kind. */
int kind_validate_body(const char *kind, const json_t *body, struct dd_error *err);

/* Longest shift-log entry text, in bytes of UTF-8. */
#define DD_LOG_TEXT_MAX 16000

/* Incident vocabularies, as stored in events. */
extern const char *const dd_incident_categories[];
extern const char *const dd_incident_statuses[];
extern const char *const dd_tier_ids[];
extern const char *const dd_hop_channels[];

/* Shift-log entry sub-kinds, in the order the UI offers them. */
extern const char *const dd_log_kinds[];

/* Roster vocabularies (roster.h gives their Chinese labels). */
extern const char *const dd_org_kinds[];
extern const char *const dd_liaison_roles[];
extern const char *const dd_object_kinds[];
extern const char *const dd_call_results[];
extern const char *const dd_shift_changes[];
#define DD_SHIFT_OFFICERS_MAX 8

/* How a zero report came in: console, cli, or phone (taken down by an
 * officer on behalf of the org). */
extern const char *const dd_zero_vias[];
/* Advisory warning levels red, orange, yellow, blue: highest first, as
 * the national emergency plans rank them. */
extern const char *const dd_advisory_levels[];

#endif
