/*
 * kinds.c — the schema of every event kind's body (see kinds.h and
 * docs/EVENTS.md, which must list the same kinds and fields).
 */
#include <string.h>

#include "dutydesk/ids.h"
#include "dutydesk/kinds.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

const char *const dd_log_kinds[] = { "note", "call-in", "call-out", "action", "handover", NULL };

static const struct dd_field_spec log_entry_fields[] = {
	{ "kind", DD_F_STRING, 1, 16, dd_log_kinds },
	{ "text", DD_F_STRING, 1, DD_LOG_TEXT_MAX, NULL },
	{ "corrects", DD_F_UUID, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_kind_spec kinds[] = {
	{ "log.entry", 1, log_entry_fields,
	  "a shift-log entry: a call taken or made, an action, a note; "
	  "\"corrects\" points at the entry it amends" },
};

const struct dd_kind_spec *kind_find(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

static int check_field(const struct dd_field_spec *f, const json_t *v, struct dd_error *err)
{
	switch (f->type) {
	case DD_F_STRING: {
		if (!json_is_string(v))
			return dd_fail(err, DD_EINVAL, "body field '%s': must be a string", f->name);
		size_t len = json_string_length(v);
		const char *s = json_string_value(v);
		if (len == 0 || strlen(s) != len)
			return dd_fail(err, DD_EINVAL, "body field '%s': must not be empty or hold NUL", f->name);
		if (f->max && len > f->max)
			return dd_fail(err, DD_ERANGE, "body field '%s': %zu bytes, at most %zu allowed",
				       f->name, len, f->max);
		if (f->allowed) {
			for (const char *const *a = f->allowed; *a; a++)
				if (strcmp(*a, s) == 0)
					return 0;
			return dd_fail(err, DD_EINVAL, "body field '%s': unknown value \"%s\"", f->name, s);
		}
		return 0;
	}
	case DD_F_INT:
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    (f->max && (size_t)json_integer_value(v) > f->max))
			return dd_fail(err, DD_EINVAL, "body field '%s': must be an integer from 0 to %zu",
				       f->name, f->max);
		return 0;
	case DD_F_BOOL:
		if (!json_is_boolean(v))
			return dd_fail(err, DD_EINVAL, "body field '%s': must be true or false", f->name);
		return 0;
	case DD_F_UUID:
		if (!json_is_string(v) || !uuid_valid(json_string_value(v), false))
			return dd_fail(err, DD_EINVAL, "body field '%s': must be a UUID", f->name);
		return 0;
	case DD_F_TIME: {
		int64_t ms;
		int off;
		if (!json_is_string(v) || time_parse_rfc3339(json_string_value(v), &ms, &off) != 0)
			return dd_fail(err, DD_EINVAL, "body field '%s': must be an RFC 3339 time", f->name);
		return 0;
	}
	}
	return dd_fail(err, DD_EINVAL, "body field '%s': unknown type", f->name);
}

int kind_validate_body(const char *kind, const json_t *body, struct dd_error *err)
{
	const struct dd_kind_spec *spec = kind_find(kind);
	if (!spec)
		return dd_fail(err, DD_EINVAL, "field 'kind': unknown event kind \"%s\"", kind);
	if (!json_is_object(body))
		return dd_fail(err, DD_EINVAL, "field 'body': must be an object");

	json_t *v = json_object_get(body, "v");
	if (!json_is_integer(v) || json_integer_value(v) != spec->version)
		return dd_fail(err, DD_EINVAL, "body field 'v': %s is version %d", kind, spec->version);

	const char *key;
	json_t *value;
	json_object_foreach((json_t *)body, key, value) {
		if (strcmp(key, "v") == 0)
			continue;
		const struct dd_field_spec *f = spec->fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name)
			return dd_fail(err, DD_EINVAL, "body field '%s': not part of %s v%d", key, kind,
				       spec->version);
		int rc = check_field(f, value, err);
		if (rc)
			return rc;
	}
	for (const struct dd_field_spec *f = spec->fields; f->name; f++)
		if (f->required && !json_object_get(body, f->name))
			return dd_fail(err, DD_EINVAL, "body field '%s': missing (required by %s)", f->name, kind);
	return 0;
}
