/*
 * event.c — canonical encoding, hashing, decoding and chain checks of
 * events (see event.h for the format and its invariants).
 *
 * Canonical bytes come from jansson with JSON_COMPACT | JSON_SORT_KEYS and
 * no ASCII escaping, so UTF-8 text is hashed as UTF-8.  Bodies hold only
 * strings, integers and booleans (kinds.c refuses reals and nesting), which
 * jansson prints one way only; the golden vectors in tests/unit pin this.
 */
#include <stdlib.h>
#include <string.h>

#include "dutydesk/event.h"
#include "dutydesk/kinds.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

const char DD_GENESIS_PREV[DD_HASH_HEX + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

#define DUMP_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

void event_init(struct dd_event *ev)
{
	memset(ev, 0, sizeof *ev);
}

void event_free(struct dd_event *ev)
{
	json_decref(ev->body);
	ev->body = NULL;
}

static json_t *fields_to_json(const struct dd_event *ev, bool with_hash)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(o, "id", json_string(ev->id));
	bad |= json_object_set_new(o, "origin", json_string(ev->origin));
	bad |= json_object_set_new(o, "seq", json_integer(ev->seq));
	bad |= json_object_set_new(o, "hlc", json_integer((json_int_t)ev->hlc));
	bad |= json_object_set_new(o, "at", json_string(ev->at));
	bad |= json_object_set_new(o, "actor", json_string(ev->actor));
	bad |= json_object_set_new(o, "org", json_string(ev->org));
	bad |= json_object_set_new(o, "kind", json_string(ev->kind));
	bad |= json_object_set_new(o, "subject", json_string(ev->subject));
	bad |= json_object_set_new(o, "drill", json_integer(ev->drill));
	bad |= json_object_set(o, "body", ev->body ? ev->body : json_null());
	bad |= json_object_set_new(o, "prev", json_string(ev->prev));
	if (with_hash)
		bad |= json_object_set_new(o, "hash", json_string(ev->hash));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int dump(json_t *o, char **out, size_t *len, struct dd_error *err)
{
	if (!o)
		return dd_fail(err, DD_EINVAL, "event has a field that is not valid UTF-8 or is missing");
	char *s = json_dumps(o, DUMP_FLAGS);
	json_decref(o);
	if (!s)
		return dd_fail(err, DD_ENOMEM, "out of memory encoding an event");
	*out = s;
	if (len)
		*len = strlen(s);
	return 0;
}

int event_canonical(const struct dd_event *ev, char **out, size_t *len, struct dd_error *err)
{
	return dump(fields_to_json(ev, false), out, len, err);
}

int event_encode(const struct dd_event *ev, char **out, size_t *len, struct dd_error *err)
{
	return dump(fields_to_json(ev, true), out, len, err);
}

json_t *event_to_json(const struct dd_event *ev)
{
	return fields_to_json(ev, true);
}

int event_seal(struct dd_event *ev, struct dd_error *err)
{
	char *c;
	size_t n;
	int rc = event_canonical(ev, &c, &n, err);
	if (rc)
		return rc;
	dd_sha256_hex(c, n, ev->hash);
	free(c);
	return 0;
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != DD_HASH_HEX)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

bool org_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > DD_ORG_MAX)
		return false;
	bool label_start = true;
	for (const char *p = id; *p; p++) {
		char c = *p;
		if (c == '.') {
			if (label_start)
				return false;
			label_start = true;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (!label_start && (c == '-' || c == '_'));
		if (!ok)
			return false;
		label_start = false;
	}
	return !label_start;
}

bool org_in_scope(const char *org, const char *scope)
{
	size_t n = strlen(scope);
	return strncmp(org, scope, n) == 0 && (org[n] == '\0' || org[n] == '.');
}

/* The encoding from the canonical bytes c (n of them) and hash: with
 * sorted keys "hash" falls between "drill" and "hlc", and the top-level
 * ,"hlc": is the last one in c, since only strings and integers follow
 * it and a string's quotes are escaped.  One dump instead of two. */
static int encode_from_canonical(const struct dd_event *ev, const char *c, size_t n, char **out,
				 struct dd_error *err)
{
	static const char key[] = ",\"hlc\":";
	const char *at = NULL;
	for (const char *p = c; (p = memmem(p, n - (size_t)(p - c), key, sizeof key - 1)); p++)
		at = p;
	if (!at)
		return event_encode(ev, out, NULL, err);
	size_t head = (size_t)(at - c);
	char *s = malloc(n + DD_HASH_HEX + 11);
	if (!s)
		return dd_fail(err, DD_ENOMEM, "out of memory encoding an event");
	memcpy(s, c, head);
	memcpy(s + head, ",\"hash\":\"", 9);
	memcpy(s + head + 9, ev->hash, DD_HASH_HEX);
	s[head + 9 + DD_HASH_HEX] = '"';
	memcpy(s + head + DD_HASH_HEX + 10, at, n - head + 1);
	*out = s;
	return 0;
}

/* event_validate, and with encoded (and check_hash) also the encoding,
 * made from the canonical bytes the hash check needed anyway. */
static int validate(const struct dd_event *ev, bool check_hash, char **encoded, struct dd_error *err)
{
	if (!uuid_valid(ev->id, true))
		return dd_fail(err, DD_EINVAL, "field 'id': \"%s\" is not a lowercase UUIDv7", ev->id);
	if (!uuid_valid(ev->origin, false))
		return dd_fail(err, DD_EINVAL, "field 'origin': \"%s\" is not a lowercase UUID", ev->origin);
	if (ev->seq < 1)
		return dd_fail(err, DD_EINVAL, "field 'seq': must be an integer ≥ 1");
	int64_t ms;
	int off;
	if (time_parse_rfc3339(ev->at, &ms, &off) != 0)
		return dd_fail(err, DD_EINVAL, "field 'at': \"%s\" is not an RFC 3339 time", ev->at);
	if (ev->actor[0] == '\0')
		return dd_fail(err, DD_EINVAL, "field 'actor': must not be empty");
	/* Free text outside the body: jansson could not encode invalid UTF-8,
	 * so say which field it is rather than fail later without a name. */
	if (!text_is_valid_utf8(ev->actor, strlen(ev->actor)))
		return dd_fail(err, DD_EINVAL, "field 'actor': not valid UTF-8");
	if (!text_is_valid_utf8(ev->subject, strlen(ev->subject)))
		return dd_fail(err, DD_EINVAL, "field 'subject': not valid UTF-8");
	if (!org_id_valid(ev->org))
		return dd_fail(err, DD_EINVAL, "field 'org': \"%s\" is not an org id like cq.yubei", ev->org);
	if (ev->drill != 0 && ev->drill != 1)
		return dd_fail(err, DD_EINVAL, "field 'drill': must be 0 or 1");
	if (!is_hex64(ev->prev))
		return dd_fail(err, DD_EINVAL, "field 'prev': must be 64 lowercase hex digits");
	if (ev->seq == 1 && strcmp(ev->prev, DD_GENESIS_PREV) != 0)
		return dd_fail(err, DD_ECHAIN, "field 'prev': the first event of an origin has 64 zeros");

	int rc = kind_validate_body(ev->kind, ev->body, err);
	if (rc)
		return rc;
	char *c = NULL;
	size_t n = 0;
	if (check_hash) {
		if (!is_hex64(ev->hash))
			return dd_fail(err, DD_EINVAL, "field 'hash': must be 64 lowercase hex digits");
		if ((rc = event_canonical(ev, &c, &n, err)))
			return rc;
	}
	/* The canonical text holds the body, so only a text over the limit
	 * can hold a body over it: measuring the body is a second dump, a
	 * tenth of what a server spends per event. */
	if (!c || n > DD_BODY_MAX) {
		size_t body_len = json_dumpb(ev->body, NULL, 0, DUMP_FLAGS);
		if (body_len > DD_BODY_MAX) {
			free(c);
			return dd_fail(err, DD_ERANGE, "field 'body': %zu bytes, at most %d allowed", body_len,
				       DD_BODY_MAX);
		}
	}
	if (c) {
		char hash[DD_HASH_HEX + 1];
		dd_sha256_hex(c, n, hash);
		if (strcmp(hash, ev->hash) != 0)
			rc = dd_fail(err, DD_ECHAIN, "field 'hash': does not match the event's contents");
		else if (encoded)
			rc = encode_from_canonical(ev, c, n, encoded, err);
		free(c);
	}
	return rc;
}

int event_validate(const struct dd_event *ev, bool check_hash, struct dd_error *err)
{
	return validate(ev, check_hash, NULL, err);
}

static int take_string(json_t *obj, const char *name, char *dst, size_t cap, struct dd_error *err)
{
	json_t *v = json_object_get(obj, name);
	if (!v)
		return dd_fail(err, DD_EINVAL, "field '%s': missing", name);
	if (!json_is_string(v))
		return dd_fail(err, DD_EINVAL, "field '%s': must be a string", name);
	size_t len = json_string_length(v);
	if (len >= cap)
		return dd_fail(err, DD_ERANGE, "field '%s': %zu bytes, at most %zu allowed", name, len, cap - 1);
	if (strlen(json_string_value(v)) != len)
		return dd_fail(err, DD_EINVAL, "field '%s': contains a NUL character", name);
	memcpy(dst, json_string_value(v), len + 1);
	return 0;
}

static int take_int(json_t *obj, const char *name, json_int_t *out, struct dd_error *err)
{
	json_t *v = json_object_get(obj, name);
	if (!v)
		return dd_fail(err, DD_EINVAL, "field '%s': missing", name);
	if (!json_is_integer(v))
		return dd_fail(err, DD_EINVAL, "field '%s': must be an integer", name);
	*out = json_integer_value(v);
	return 0;
}

static const char *const event_fields[] = {
	"id", "origin", "seq", "hlc", "at", "actor", "org", "kind", "subject",
	"drill", "body", "prev", "hash", NULL,
};

static int from_json(json_t *obj, struct dd_event *ev, char **encoded, struct dd_error *err)
{
	event_init(ev);
	if (!json_is_object(obj))
		return dd_fail(err, DD_EINVAL, "an event must be a JSON object");
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value) {
		const char *const *f = event_fields;
		while (*f && strcmp(*f, key) != 0)
			f++;
		if (!*f)
			return dd_fail(err, DD_EINVAL, "field '%s': not an event field", key);
	}
	json_int_t seq, hlc, drill;
	int rc;
	if ((rc = take_string(obj, "id", ev->id, sizeof ev->id, err)) ||
	    (rc = take_string(obj, "origin", ev->origin, sizeof ev->origin, err)) ||
	    (rc = take_int(obj, "seq", &seq, err)) ||
	    (rc = take_int(obj, "hlc", &hlc, err)) ||
	    (rc = take_string(obj, "at", ev->at, sizeof ev->at, err)) ||
	    (rc = take_string(obj, "actor", ev->actor, sizeof ev->actor, err)) ||
	    (rc = take_string(obj, "org", ev->org, sizeof ev->org, err)) ||
	    (rc = take_string(obj, "kind", ev->kind, sizeof ev->kind, err)) ||
	    (rc = take_string(obj, "subject", ev->subject, sizeof ev->subject, err)) ||
	    (rc = take_int(obj, "drill", &drill, err)) ||
	    (rc = take_string(obj, "prev", ev->prev, sizeof ev->prev, err)) ||
	    (rc = take_string(obj, "hash", ev->hash, sizeof ev->hash, err)))
		goto fail;
	if (hlc < 0) {
		rc = dd_fail(err, DD_EINVAL, "field 'hlc': must be an integer ≥ 0");
		goto fail;
	}
	if (drill != 0 && drill != 1) {
		rc = dd_fail(err, DD_EINVAL, "field 'drill': must be 0 or 1");
		goto fail;
	}
	ev->seq = seq;
	ev->hlc = (uint64_t)hlc;
	ev->drill = (int)drill;
	json_t *body = json_object_get(obj, "body");
	if (!body) {
		rc = dd_fail(err, DD_EINVAL, "field 'body': missing");
		goto fail;
	}
	ev->body = json_incref(body);
	if ((rc = validate(ev, true, encoded, err)))
		goto fail;
	return 0;
fail:
	event_free(ev);
	event_init(ev);
	return rc;
}

int event_from_json(json_t *obj, struct dd_event *ev, struct dd_error *err)
{
	return from_json(obj, ev, NULL, err);
}

int event_from_json_encoded(json_t *obj, struct dd_event *ev, char **json, struct dd_error *err)
{
	*json = NULL;
	return from_json(obj, ev, json, err);
}

int event_decode(const char *json, size_t len, struct dd_event *ev, struct dd_error *err)
{
	event_init(ev);
	if (len > DD_EVENT_MAX)
		return dd_fail(err, DD_ERANGE, "event of %zu bytes, at most %d allowed", len, DD_EVENT_MAX);
	json_error_t jerr;
	json_t *obj = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj)
		return dd_fail(err, DD_EINVAL, "not valid JSON at byte %d: %s", jerr.position, jerr.text);
	int rc = event_from_json(obj, ev, err);
	json_decref(obj);
	return rc;
}

int event_check_chain(const struct dd_event *before, const struct dd_event *ev,
		      struct dd_error *err)
{
	if (!before) {
		if (ev->seq != 1)
			return dd_fail(err, DD_ECHAIN, "event %s: seq %lld but origin %s has no event before it",
				       ev->id, (long long)ev->seq, ev->origin);
		if (strcmp(ev->prev, DD_GENESIS_PREV) != 0)
			return dd_fail(err, DD_ECHAIN, "event %s: first of its origin but prev is not zero", ev->id);
		return 0;
	}
	if (strcmp(before->origin, ev->origin) != 0)
		return dd_fail(err, DD_ECHAIN, "event %s: chained to another origin's event", ev->id);
	if (ev->seq != before->seq + 1)
		return dd_fail(err, DD_ECHAIN, "event %s: seq %lld follows %lld (gap or repeat)", ev->id,
			       (long long)ev->seq, (long long)before->seq);
	if (strcmp(ev->prev, before->hash) != 0)
		return dd_fail(err, DD_ECHAIN, "event %s: prev does not match the hash of seq %lld", ev->id,
			       (long long)before->seq);
	return 0;
}
