/*
 * incident.c — the rules for changing an incident: what may be opened,
 * which status may follow which, who may confirm a tier, which hop may be
 * recorded.  Each change is checked against the projection, then written
 * as one event (see incident.h); nothing is ever updated in place.
 */
#include <stdlib.h>
#include <string.h>

#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

int incident_status_parse(const char *s)
{
	for (int i = 0; dd_incident_statuses[i]; i++)
		if (strcmp(dd_incident_statuses[i], s) == 0)
			return i;
	return -1;
}

const char *incident_status_id(int status)
{
	return status >= 0 && status < DD_STATUSES ? dd_incident_statuses[status] : "?";
}

bool incident_status_open(int status)
{
	return status < DD_ST_CLOSED;
}

bool incident_transition_valid(int from, int to)
{
	if (from < 0 || from >= DD_STATUSES || to < 0 || to >= DD_STATUSES || from == DD_ST_REVIEWED)
		return false;
	if (to == from + 1)
		return true;
	if (to == DD_ST_CLOSED && incident_status_open(from))
		return true;
	return from == DD_ST_CLOSED && to == DD_ST_RESPONDING;
}

/* Cleans text a person typed into body[name]; required fields must not
 * end up empty, optional empty ones are left out. */
static int put_text(json_t *body, const char *name, const char *value, size_t max, bool required,
		    struct dd_error *err)
{
	if (!value)
		value = "";
	size_t len;
	char *clean = text_clean(value, strlen(value), &len);
	if (!clean)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc = 0;
	if (len == 0 && required)
		rc = dd_fail(err, DD_EINVAL, "%s is empty", name);
	else if (len > max)
		rc = dd_fail(err, DD_EINVAL, "%s is %zu bytes; at most %zu are allowed", name, len, max);
	else if (len > 0)
		json_object_set_new(body, name, json_stringn(clean, len));
	free(clean);
	return rc;
}

static int put_time(json_t *body, const char *name, int64_t ms, const struct dd_config *cfg, struct dd_error *err)
{
	char at[DD_AT_MAX];
	if (time_format_rfc3339(ms, cfg->timezone, at, sizeof at) < 0)
		return dd_fail(err, DD_EINVAL, "%s: cannot format the time", name);
	json_object_set_new(body, name, json_string(at));
	return 0;
}

/* The reporting chain of tier as tiers.conf defines it now, with the
 * shorter deadlines for critical information infrastructure applied. */
static json_t *chain_of(const struct dd_tiers *tiers, int tier, bool cii)
{
	json_t *hops = json_array();
	const struct dd_tier_rule *r = &tiers->tier[tier];
	for (int i = 0; i < r->n_hops; i++) {
		const struct dd_hop_rule *h = &r->hops[i];
		json_array_append_new(hops, json_pack("{s:s, s:s, s:i, s:s}", "id", h->id, "to", h->to, "within_min",
						      cii ? h->cii_within_min : h->within_min, "after", h->after));
	}
	return hops;
}

static int append(struct dd_store *st, const struct dd_config *cfg, const char *kind, const char *id,
		  json_t *body, struct dd_error *err)
{
	if (!cfg->origin[0] || !cfg->officer[0] || !cfg->org[0]) {
		json_decref(body);
		return dd_fail(err, DD_ECONFIG, "%s: origin, officer and org must be set; run `dutydesk init`", cfg->path);
	}
	json_object_set_new(body, "v", json_integer(1));
	struct dd_new_event ne = {
		.origin = cfg->origin, .actor = cfg->officer, .org = cfg->org, .kind = kind,
		.subject = id, .drill = 0, .body = body, .at_ms = 0, .tz = cfg->timezone,
	};
	int rc = store_append_local(st, &ne, NULL, err);
	json_decref(body);
	return rc;
}

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

int incident_open(struct dd_store *st, const struct dd_config *cfg, const struct dd_tiers *tiers,
		  const struct dd_incident_new *in, char id[DD_UUID_LEN + 1], struct dd_error *err)
{
	int64_t now = time_now_ms();
	const char *org = in->reporting_org && *in->reporting_org ? in->reporting_org : cfg->org;
	if (!in->category || !in_list(dd_incident_categories, in->category))
		return dd_fail(err, DD_EINVAL, "category must be one of vulnerability, intrusion, malware, outage, "
			       "data-leak, other");
	if (!org_id_valid(org))
		return dd_fail(err, DD_EINVAL, "reporting org '%s' is not an org id such as cq.yubei.ent-0042", org);
	int64_t detected = in->detected_ms ? in->detected_ms : now;
	if (detected > now + 5 * 60000)
		return dd_fail(err, DD_EINVAL, "detected time is in the future");
	if (in->occurred_ms && in->occurred_ms > detected)
		return dd_fail(err, DD_EINVAL, "it cannot have occurred after it was detected");

	json_t *body = json_object();
	int rc;
	if ((rc = put_text(body, "title", in->title, 300, true, err)) ||
	    (rc = put_text(body, "description", in->description, 8000, false, err)) ||
	    (rc = put_text(body, "objects", in->objects, 1000, false, err)) ||
	    (rc = put_text(body, "reporter", in->reporter, 200, false, err)) ||
	    (rc = put_time(body, "detected_at", detected, cfg, err)) ||
	    (in->occurred_ms && (rc = put_time(body, "occurred_at", in->occurred_ms, cfg, err)))) {
		json_decref(body);
		return rc;
	}
	json_object_set_new(body, "category", json_string(in->category));
	json_object_set_new(body, "reporting_org", json_string(org));
	json_object_set_new(body, "cii", json_boolean(in->cii));
	json_object_set_new(body, "hops", chain_of(tiers, DD_TIER_UNASSESSED, in->cii));
	uuid7_new(now, id);
	return append(st, cfg, "incident.open", id, body, err);
}

static int load(struct dd_store *st, const char *id, struct dd_incident *in, struct dd_error *err)
{
	int rc = store_incident_get(st, id, in, err);
	return rc == DD_ENOTFOUND ? dd_fail(err, DD_EINVAL, "no incident %s", id) : rc;
}

int incident_set_status(struct dd_store *st, const struct dd_config *cfg, const struct dd_tiers *tiers,
			const char *id, int to, const char *note, struct dd_error *err)
{
	struct dd_incident in;
	int rc = load(st, id, &in, err);
	if (rc)
		return rc;
	if (!incident_transition_valid(in.status, to))
		return dd_fail(err, DD_EINVAL, "an incident that is %s cannot become %s (the order is reported → "
			       "assessing → responding → recovering → closed → reviewed; any open one may be closed, "
			       "a closed one reopened as responding)", incident_status_id(in.status), incident_status_id(to));
	if (to == DD_ST_REVIEWED && !in.has_summary)
		return dd_fail(err, DD_EINVAL, "reviewed needs the post-incident summary first (incident summary)");
	json_t *body = json_object();
	if ((rc = put_text(body, "note", note, 8000, true, err))) {
		json_decref(body);
		return rc;
	}
	json_object_set_new(body, "to", json_string(incident_status_id(to)));
	if (to == DD_ST_CLOSED)
		json_object_set_new(body, "summary_within_min", json_integer(tiers->summary_within_min));
	return append(st, cfg, "incident.status", id, body, err);
}

int incident_set_tier(struct dd_store *st, const struct dd_config *cfg, const struct dd_tiers *tiers,
		      const char *id, bool confirm, int tier, const char *reason, struct dd_error *err)
{
	struct dd_incident in;
	int rc = load(st, id, &in, err);
	if (rc)
		return rc;
	if (tier < 0 || tier >= DD_TIERS)
		return dd_fail(err, DD_EINVAL, "unknown tier (use IV 一般, III 较大, II 重大, I 特别重大)");
	if (confirm && strcmp(cfg->role, "leader") != 0)
		return dd_fail(err, DD_EINVAL, "only a shift leader (role = \"leader\") may confirm a tier; propose it instead");
	if (in.status == DD_ST_REVIEWED)
		return dd_fail(err, DD_EINVAL, "the incident is reviewed; its tier can no longer change");
	json_t *body = json_object();
	if ((rc = put_text(body, "reason", reason, 8000, true, err))) {
		json_decref(body);
		return rc;
	}
	json_object_set_new(body, "action", json_string(confirm ? "confirm" : "propose"));
	json_object_set_new(body, "tier", json_string(tier_id(tier)));
	json_object_set_new(body, "hops", chain_of(tiers, tier, in.cii));
	return append(st, cfg, "incident.tier", id, body, err);
}

int incident_record_hop(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *hop,
			const char *to, const char *via, int64_t made_ms, const char *note, struct dd_error *err)
{
	struct dd_hop_state hops[DD_HOPS_MAX];
	int n;
	int rc = store_incident_hops(st, id, hops, &n, err);
	if (rc)
		return rc;
	const struct dd_hop_state *h = NULL;
	char names[DD_HOPS_MAX * (DD_HOP_ID_MAX + 2) + 1] = "";
	for (int i = 0; i < n; i++) {
		if (strcmp(hops[i].hop, hop) == 0)
			h = &hops[i];
		if (i)
			strcat(names, ", ");
		strcat(names, hops[i].hop);
	}
	if (!h)
		return dd_fail(err, DD_EINVAL, "the incident's chain has no hop '%s' (it has: %s)", hop,
			       n ? names : "none");
	if (h->done_ms) {
		char when[32];
		time_format_local(h->done_ms, cfg->timezone, "%Y-%m-%d %H:%M", when, sizeof when);
		return dd_fail(err, DD_EDUP, "hop '%s' was already recorded at %s by %s", hop, when, h->by);
	}
	if (!via || !in_list(dd_hop_channels, via))
		return dd_fail(err, DD_EINVAL, "how it was reported must be phone, platform or document");
	int64_t now = time_now_ms();
	if (!made_ms)
		made_ms = now;
	if (made_ms > now + 5 * 60000)
		return dd_fail(err, DD_EINVAL, "a hop cannot be recorded as made in the future");
	json_t *body = json_object();
	if ((rc = put_text(body, "to", to && *to ? to : h->to, 200, true, err)) ||
	    (rc = put_text(body, "note", note, 8000, false, err)) || (rc = put_time(body, "made_at", made_ms, cfg, err))) {
		json_decref(body);
		return rc;
	}
	json_object_set_new(body, "hop", json_string(hop));
	json_object_set_new(body, "via", json_string(via));
	return append(st, cfg, "incident.hop", id, body, err);
}

struct find_event {
	const char *id;
	bool found;
};

static int match_event(const struct dd_event *ev, void *ctx)
{
	struct find_event *f = ctx;
	f->found = strcmp(ev->id, f->id) == 0;
	return f->found;
}

int incident_note(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *text,
		  const char *corrects, struct dd_error *err)
{
	struct dd_incident in;
	int rc = load(st, id, &in, err);
	if (rc)
		return rc;
	json_t *body = json_object();
	if ((rc = put_text(body, "text", text, 8000, true, err))) {
		json_decref(body);
		return rc;
	}
	if (corrects && *corrects) {
		struct find_event f = { .id = corrects };
		if ((rc = store_incident_timeline(st, id, match_event, &f, err)) || !f.found) {
			json_decref(body);
			return rc ? rc : dd_fail(err, DD_EINVAL, "entry %s is not part of incident %s", corrects, id);
		}
		json_object_set_new(body, "corrects", json_string(corrects));
	}
	return append(st, cfg, "incident.note", id, body, err);
}

int incident_report(struct dd_store *st, const struct dd_config *cfg, const char *id,
		    const struct dd_incident_report *r, struct dd_error *err)
{
	struct dd_incident in;
	int rc = load(st, id, &in, err);
	if (rc)
		return rc;
	json_t *body = json_object();
	if ((rc = put_text(body, "occurred", r->occurred, 8000, false, err)) ||
	    (rc = put_text(body, "scope", r->scope, 8000, false, err)) ||
	    (rc = put_text(body, "harm", r->harm, 8000, false, err)) ||
	    (rc = put_text(body, "measures", r->measures, 8000, false, err)) ||
	    (rc = put_text(body, "recommendations", r->recommendations, 8000, false, err)) ||
	    (rc = put_text(body, "support", r->support, 8000, false, err))) {
		json_decref(body);
		return rc;
	}
	if (json_object_size(body) == 0) {
		json_decref(body);
		return dd_fail(err, DD_EINVAL, "a report needs at least one of: occurred, scope, harm, measures, "
			       "recommendations, support");
	}
	return append(st, cfg, "incident.report", id, body, err);
}

int incident_mark_duplicate(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *of,
			    struct dd_error *err)
{
	struct dd_incident in, other;
	int rc = load(st, id, &in, err);
	if (rc || (rc = load(st, of, &other, err)))
		return rc;
	if (strcmp(id, of) == 0 || strcmp(other.duplicate_of, id) == 0)
		return dd_fail(err, DD_EINVAL, "an incident cannot be a duplicate of itself or of its own duplicate");
	json_t *body = json_object();
	json_object_set_new(body, "of", json_string(of));
	return append(st, cfg, "incident.duplicate", id, body, err);
}

int incident_summary(struct dd_store *st, const struct dd_config *cfg, const char *id,
		     const struct dd_incident_summary *s, struct dd_error *err)
{
	struct dd_incident in;
	int rc = load(st, id, &in, err);
	if (rc)
		return rc;
	if (in.status < DD_ST_CLOSED)
		return dd_fail(err, DD_EINVAL, "the summary is written once handling has ended (close the incident first)");
	json_t *body = json_object();
	if ((rc = put_text(body, "cause", s->cause, 8000, true, err)) ||
	    (rc = put_text(body, "response", s->response, 8000, true, err)) ||
	    (rc = put_text(body, "harm", s->harm, 8000, true, err)) ||
	    (rc = put_text(body, "accountability", s->accountability, 8000, true, err)) ||
	    (rc = put_text(body, "rectification", s->rectification, 8000, true, err)) ||
	    (rc = put_text(body, "lessons", s->lessons, 8000, true, err))) {
		json_decref(body);
		return rc;
	}
	return append(st, cfg, "incident.summary", id, body, err);
}
