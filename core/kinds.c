/*
 * kinds.c — the schema of every event kind's body (see kinds.h and
 * docs/EVENTS.md, which must list the same kinds and fields).
 */
#include <stdlib.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/event.h"
#include "dutydesk/ids.h"
#include "dutydesk/kinds.h"
#include "dutydesk/phone.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

const char *const dd_log_kinds[] = { "note", "call-in", "call-out", "action", "handover", NULL };

const char *const dd_call_results[] = { "reached", "no-answer", "busy", "wrong-number", NULL };

/* callee … incident were added to v1 as optional fields (a call recorded
 * from the roster), so every entry written before them stays valid. */
static const struct dd_field_spec log_entry_fields[] = {
	{ "kind", DD_F_STRING, 1, 16, dd_log_kinds },
	{ "text", DD_F_STRING, 1, DD_LOG_TEXT_MAX, NULL },
	{ "corrects", DD_F_UUID, 0, 0, NULL },
	{ "callee", DD_F_ORG, 0, 0, NULL },
	{ "result", DD_F_STRING, 0, 16, dd_call_results },
	{ "liaison", DD_F_UUID, 0, 0, NULL },
	{ "incident", DD_F_UUID, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

const char *const dd_incident_categories[] = { "vulnerability", "intrusion", "malware", "outage",
						"data-leak", "other", NULL };
const char *const dd_incident_statuses[] = { "reported", "assessing", "responding", "recovering",
					      "closed", "reviewed", NULL };
const char *const dd_tier_ids[] = { "unassessed", "IV", "III", "II", "I", NULL };
const char *const dd_hop_channels[] = { "phone", "platform", "document", NULL };
static const char *const tier_actions[] = { "propose", "confirm", NULL };

#define TEXT_MAX 8000

static const struct dd_field_spec incident_open_fields[] = {
	{ "title", DD_F_STRING, 1, 300, NULL },
	{ "category", DD_F_STRING, 1, 16, dd_incident_categories },
	{ "description", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ "reporting_org", DD_F_STRING, 1, 128, NULL },
	{ "objects", DD_F_STRING, 0, 1000, NULL },
	{ "reporter", DD_F_STRING, 0, 200, NULL },
	{ "cii", DD_F_BOOL, 1, 0, NULL },
	{ "occurred_at", DD_F_TIME, 0, 0, NULL },
	{ "detected_at", DD_F_TIME, 1, 0, NULL },
	{ "hops", DD_F_HOPS, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec incident_status_fields[] = {
	{ "to", DD_F_STRING, 1, 16, dd_incident_statuses },
	{ "note", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "summary_within_min", DD_F_INT, 0, 2000000, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec incident_tier_fields[] = {
	{ "action", DD_F_STRING, 1, 8, tier_actions },
	{ "tier", DD_F_STRING, 1, 16, dd_tier_ids },
	{ "reason", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "hops", DD_F_HOPS, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec incident_hop_fields[] = {
	{ "hop", DD_F_STRING, 1, 32, NULL },
	{ "to", DD_F_STRING, 1, 200, NULL },
	{ "via", DD_F_STRING, 1, 16, dd_hop_channels },
	{ "made_at", DD_F_TIME, 1, 0, NULL },
	{ "note", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec incident_note_fields[] = {
	{ "text", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "corrects", DD_F_UUID, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec incident_report_fields[] = {
	{ "occurred", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ "scope", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ "harm", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ "measures", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ "recommendations", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ "support", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec incident_duplicate_fields[] = {
	{ "of", DD_F_UUID, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec incident_summary_fields[] = {
	{ "cause", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "response", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "harm", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "accountability", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "rectification", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "lessons", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ NULL, 0, 0, 0, NULL },
};

const char *const dd_org_kinds[] = { "commission", "centre", "district", "county", "autonomous-county", "zone",
				       "ent-industrial", "ent-service", "ent-platform", "ent-infrastructure",
				       "ent-utility", "support", "expert-group", "external", NULL };
const char *const dd_liaison_roles[] = { "lead", "contact", NULL };
const char *const dd_object_kinds[] = { "ics", "platform", "infrastructure", NULL };
const char *const dd_shift_changes[] = { "set", "swap", "take-over", "reassign", "cancel", NULL };

#define PERSON_MAX 128

/* Subject: the org id (at most 64 bytes, the subject's limit). */
static const struct dd_field_spec org_set_fields[] = {
	{ "kind", DD_F_STRING, 1, 24, dd_org_kinds },
	{ "name", DD_F_STRING, 1, 300, NULL },
	{ "name_en", DD_F_STRING, 0, 300, NULL },
	{ "pinyin", DD_F_STRING, 0, 200, NULL },
	{ "parent", DD_F_ORG, 0, 0, NULL },
	{ "retired", DD_F_BOOL, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

/* Subject: the liaison's UUID, kept while the post changes hands. */
static const struct dd_field_spec liaison_set_fields[] = {
	{ "org", DD_F_ORG, 1, 0, NULL },
	{ "role", DD_F_STRING, 1, 8, dd_liaison_roles },
	{ "name", DD_F_STRING, 1, PERSON_MAX, NULL },
	{ "title", DD_F_STRING, 0, PERSON_MAX, NULL },
	{ "office", DD_F_PHONE, 0, 0, NULL },
	{ "mobile", DD_F_PHONE, 0, 0, NULL },
	{ "email", DD_F_STRING, 0, PERSON_MAX, NULL },
	{ "valid_from", DD_F_TIME, 1, 0, NULL },
	{ "removed", DD_F_BOOL, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec object_set_fields[] = {
	{ "org", DD_F_ORG, 1, 0, NULL },
	{ "kind", DD_F_STRING, 1, 16, dd_object_kinds },
	{ "name", DD_F_STRING, 1, 300, NULL },
	{ "exposed", DD_F_BOOL, 1, 0, NULL },
	{ "note", DD_F_STRING, 0, 1000, NULL },
	{ "retired", DD_F_BOOL, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec object_assess_fields[] = {
	{ "important", DD_F_BOOL, 1, 0, NULL },
	{ "assessed_at", DD_F_TIME, 1, 0, NULL },
	{ "note", DD_F_STRING, 0, 1000, NULL },
	{ NULL, 0, 0, 0, NULL },
};

/* The whole state of a shift: the latest version replaces it. */
static const struct dd_field_spec duty_shift_fields[] = {
	{ "org", DD_F_ORG, 1, 0, NULL },
	{ "post", DD_F_STRING, 0, 64, NULL },
	{ "start", DD_F_TIME, 1, 0, NULL },
	{ "end", DD_F_TIME, 1, 0, NULL },
	{ "officers", DD_F_NAMES, 1, PERSON_MAX, NULL },
	{ "leader", DD_F_STRING, 0, PERSON_MAX, NULL },
	{ "phone", DD_F_PHONE, 0, 0, NULL },
	{ "h24", DD_F_BOOL, 0, 0, NULL },
	{ "change", DD_F_STRING, 1, 16, dd_shift_changes },
	{ "reason", DD_F_STRING, 0, 1000, NULL },
	{ NULL, 0, 0, 0, NULL },
};

/* Protection periods (zero.h): the whole state, last-writer-wins. */
static const struct dd_field_spec period_set_fields[] = {
	{ "name", DD_F_STRING, 1, 300, NULL },
	{ "start", DD_F_TIME, 1, 0, NULL },
	{ "end", DD_F_TIME, 1, 0, NULL },
	{ "tz", DD_F_STRING, 1, 63, NULL },
	{ "scope", DD_F_NAMES, 1, 64, NULL },
	{ "times", DD_F_NAMES, 1, 5, NULL },
	{ "grace_min", DD_F_INT, 1, 720, NULL },
	{ "zero", DD_F_BOOL, 1, 0, NULL },
	{ "watch", DD_F_BOOL, 1, 0, NULL },
	{ "freeze", DD_F_BOOL, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

const char *const dd_zero_vias[] = { "console", "cli", "phone", NULL };

static const struct dd_field_spec zero_report_fields[] = {
	{ "period", DD_F_UUID, 1, 0, NULL },
	{ "org", DD_F_ORG, 1, 0, NULL },
	{ "slot", DD_F_TIME, 1, 0, NULL },
	{ "nil", DD_F_BOOL, 1, 0, NULL },
	{ "incidents", DD_F_NAMES, 0, 36, NULL },
	{ "via", DD_F_STRING, 1, 8, dd_zero_vias },
	{ "reporter", DD_F_STRING, 0, PERSON_MAX, NULL },
	{ "note", DD_F_STRING, 0, 1000, NULL },
	{ "corrects", DD_F_UUID, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const char *const freeze_changes[] = { "object.set", "object.assess", NULL };

static const struct dd_field_spec freeze_warning_fields[] = {
	{ "period", DD_F_UUID, 1, 0, NULL },
	{ "object_name", DD_F_STRING, 1, 300, NULL },
	{ "org", DD_F_ORG, 1, 0, NULL },
	{ "change", DD_F_STRING, 1, 16, freeze_changes },
	{ "event", DD_F_UUID, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

const char *const dd_advisory_levels[] = { "red", "orange", "yellow", "blue", NULL };

static const struct dd_field_spec advisory_issue_fields[] = {
	{ "title", DD_F_STRING, 1, 300, NULL },
	{ "level", DD_F_STRING, 1, 8, dd_advisory_levels },
	{ "products", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ "action", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "deadline", DD_F_TIME, 1, 0, NULL },
	{ "to", DD_F_NAMES, 1, 64, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec advisory_ack_fields[] = {
	{ "org", DD_F_ORG, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec advisory_report_fields[] = {
	{ "org", DD_F_ORG, 1, 0, NULL },
	{ "affected", DD_F_BOOL, 1, 0, NULL },
	{ "measures", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "done_at", DD_F_TIME, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

/* Handovers (handover.h): the outgoing officer's submission, whole, the
 * latest superseding; the incoming officer's acceptance. */
static const struct dd_field_spec handover_submit_fields[] = {
	{ "shift", DD_F_UUID, 0, 0, NULL },
	{ "shift_start", DD_F_TIME, 1, 0, NULL },
	{ "shift_end", DD_F_TIME, 1, 0, NULL },
	{ "outgoing", DD_F_STRING, 1, PERSON_MAX, NULL },
	{ "notes", DD_F_STRING, 1, TEXT_MAX, NULL },
	{ "summary", DD_F_OBJECT, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec handover_accept_fields[] = {
	{ "incoming", DD_F_STRING, 1, PERSON_MAX, NULL },
	{ "objection", DD_F_STRING, 0, TEXT_MAX, NULL },
	{ NULL, 0, 0, 0, NULL },
};

/* Drills (drill.h): every drill.* event has drill = 1, the run's id as
 * subject and the participating orgs (so each of them receives the whole
 * run); drill.start carries the whole checked scenario. */
static const struct dd_field_spec drill_start_fields[] = {
	{ "name", DD_F_STRING, 1, 300, NULL },
	{ "description", DD_F_STRING, 1, DD_DRILL_TEXT_MAX, NULL },
	{ "scenario", DD_F_STRING, 1, 255, NULL },
	{ "tier", DD_F_STRING, 1, 16, dd_tier_ids },
	{ "speed", DD_F_INT, 1, DD_DRILL_SPEED_MAX, NULL },
	{ "orgs", DD_F_NAMES, 1, 128, NULL },
	{ "injects", DD_F_INJECTS, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec drill_inject_fields[] = {
	{ "orgs", DD_F_NAMES, 1, 128, NULL },
	{ "inject", DD_F_STRING, 1, DD_DRILL_ID_MAX, NULL },
	{ "item", DD_F_UUID, 0, 0, NULL },
	{ "manual", DD_F_BOOL, 1, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec drill_shift_fields[] = {
	{ "orgs", DD_F_NAMES, 1, 128, NULL },
	{ "by_ms", DD_F_INT, 1, DD_DRILL_SPAN_MAX_MS, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_field_spec drill_plain_fields[] = {
	{ "orgs", DD_F_NAMES, 1, 128, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct dd_kind_spec kinds[] = {
	{ "log.entry", 1, log_entry_fields,
	  "a shift-log entry: a call taken or made, an action, a note; "
	  "\"corrects\" points at the entry it amends" },
	{ "incident.open", 1, incident_open_fields, "an incident is opened; subject is its new id" },
	{ "incident.status", 1, incident_status_fields, "a status change, with a note" },
	{ "incident.tier", 1, incident_tier_fields,
	  "a tier proposed or confirmed, with the reporting chain tiers.conf gave it then" },
	{ "incident.hop", 1, incident_hop_fields, "a hop of the reporting chain was made" },
	{ "incident.note", 1, incident_note_fields, "a note, or a correction of an earlier entry" },
	{ "incident.report", 1, incident_report_fields, "a first or follow-up report (补报)" },
	{ "incident.duplicate", 1, incident_duplicate_fields, "marks the subject a duplicate of another" },
	{ "incident.summary", 1, incident_summary_fields, "the post-incident summary (事件分析总结)" },
	{ "org.set", 1, org_set_fields, "an organisation created or changed; subject is its id" },
	{ "liaison.set", 1, liaison_set_fields,
	  "a 工作负责人 or 应急联络员 from valid_from on; subject is the liaison's id" },
	{ "object.set", 1, object_set_fields, "a protected object (保护对象) created or changed" },
	{ "object.assess", 1, object_assess_fields, "the importance assessment (重要) of a protected object" },
	{ "duty.shift", 1, duty_shift_fields, "a shift of the duty schedule, set, swapped, reassigned or cancelled" },
	{ "period.set", 1, period_set_fields, "a protection period (重保时期) created, changed or ended; subject is its id" },
	{ "zero.report", 1, zero_report_fields,
	  "a zero report (零报告) or a report of incidents for one org and report time; subject is its id" },
	{ "freeze.warning", 1, freeze_warning_fields,
	  "an important protected object changed during a change freeze; subject is the object" },
	{ "advisory.issue", 1, advisory_issue_fields, "an advisory (预警通报) is issued; subject is its new id" },
	{ "advisory.ack", 1, advisory_ack_fields, "a recipient acknowledges the advisory (the subject)" },
	{ "advisory.report", 1, advisory_report_fields, "a recipient reports its self-inspection (自查)" },
	{ "handover.submit", 1, handover_submit_fields,
	  "the outgoing officer hands over a shift: notes and the summary as submitted; subject is the handover" },
	{ "handover.accept", 1, handover_accept_fields,
	  "the incoming officer accepts the handover (the subject), with any objections" },
	{ "drill.start", 1, drill_start_fields, "a drill run starts; subject is its new id" },
	{ "drill.inject", 1, drill_inject_fields, "an inject of the run (the subject) was fired; item is what it created" },
	{ "drill.pause", 1, drill_plain_fields, "the run's clock stops; no inject fires" },
	{ "drill.resume", 1, drill_plain_fields, "the run's clock goes on; pending injects move by the pause" },
	{ "drill.shift", 1, drill_shift_fields, "every pending inject of the run moves later by by_ms" },
	{ "drill.stop", 1, drill_plain_fields, "the run ends; its report can be written" },
};

const struct dd_kind_spec *kind_find(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

static bool hop_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static int check_hops(const char *name, const json_t *v, struct dd_error *err)
{
	if (!json_is_array(v) || json_array_size(v) > 8)
		return dd_fail(err, DD_EINVAL, "body field '%s': must be an array of at most 8 hops", name);
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *h = json_array_get(v, i);
		const char *id = json_string_value(json_object_get(h, "id"));
		const char *to = json_string_value(json_object_get(h, "to"));
		const char *after = json_string_value(json_object_get(h, "after"));
		json_t *within = json_object_get(h, "within_min");
		if (!json_is_object(h) || json_object_size(h) != 4 || !id || !hop_id_ok(id) || !to || !*to ||
		    strlen(to) > 200 || !after || !json_is_integer(within) || json_integer_value(within) < 1 ||
		    json_integer_value(within) > 2000000)
			return dd_fail(err, DD_EINVAL,
				       "body field '%s'[%zu]: needs exactly id, to, within_min (≥ 1) and after", name, i);
		bool after_ok = !*after;
		for (size_t j = 0; j < i; j++) {
			const char *other = json_string_value(json_object_get(json_array_get(v, j), "id"));
			if (strcmp(other, id) == 0)
				return dd_fail(err, DD_EINVAL, "body field '%s'[%zu]: hop '%s' twice", name, i, id);
			if (strcmp(other, after) == 0)
				after_ok = true;
		}
		if (!after_ok)
			return dd_fail(err, DD_EINVAL, "body field '%s'[%zu]: after must name an earlier hop", name, i);
	}
	return 0;
}

static int check_names(const struct dd_field_spec *f, const json_t *v, struct dd_error *err)
{
	if (!json_is_array(v) || json_array_size(v) > DD_SHIFT_OFFICERS_MAX)
		return dd_fail(err, DD_EINVAL, "body field '%s': must be an array of at most %d names", f->name,
			       DD_SHIFT_OFFICERS_MAX);
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *e = json_array_get(v, i);
		const char *s = json_string_value(e);
		if (!s || !*s || strlen(s) != json_string_length(e) || strlen(s) > f->max)
			return dd_fail(err, DD_EINVAL, "body field '%s'[%zu]: must be a name of 1 to %zu bytes", f->name,
				       i, f->max);
		for (size_t j = 0; j < i; j++)
			if (strcmp(json_string_value(json_array_get(v, j)), s) == 0)
				return dd_fail(err, DD_EINVAL, "body field '%s'[%zu]: \"%s\" twice", f->name, i, s);
	}
	return 0;
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
	case DD_F_HOPS:
		return check_hops(f->name, v, err);
	case DD_F_NAMES:
		return check_names(f, v, err);
	case DD_F_ORG:
		if (!json_is_string(v) || !org_id_valid(json_string_value(v)))
			return dd_fail(err, DD_EINVAL, "body field '%s': must be an org id such as cq.yubei", f->name);
		return 0;
	case DD_F_PHONE: {
		/* Stored in canonical form only, so two consoles never disagree
		 * about whether a number changed. */
		char canon[DD_PHONE_MAX], digits[DD_PHONE_MAX];
		const char *s = json_string_value(v);
		if (!s || phone_normalize(s, canon, digits, NULL, err) != 0 || strcmp(canon, s) != 0)
			return dd_fail(err, DD_EINVAL, "body field '%s': must be a phone number in canonical form "
				       "(13800000001, 023-63001234)", f->name);
		return 0;
	}
	case DD_F_INJECTS: {
		struct dd_inject *in = calloc(DD_DRILL_INJECTS_MAX, sizeof *in);
		int n;
		if (!in)
			return dd_fail(err, DD_ENOMEM, "out of memory");
		int rc = drill_injects_from_json(v, in, &n, err);
		free(in);
		return rc;
	}
	case DD_F_OBJECT:
		if (!json_is_object(v))
			return dd_fail(err, DD_EINVAL, "body field '%s': must be an object", f->name);
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
