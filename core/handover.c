/*
 * handover.c — the rules of the shift handover and the generated summary
 * (handover.h).  Everything is checked before an event is written; the
 * summary reads only the store's queries (incidents, hops, zero reports,
 * advisories, calls), never tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/advisory.h"
#include "dutydesk/handover.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incident.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"

#define MINUTE_MS 60000LL
/* How far back the last passed report time of a period is looked for:
 * two days holds a slot whatever the report times. */
#define ZERO_LOOKBACK_MS (2 * 86400000LL)

int64_t handover_due_ms(const struct dd_config *cfg, const struct dd_handover *h)
{
	int64_t from = h->submitted_ms > h->shift_end_ms ? h->submitted_ms : h->shift_end_ms;
	return from + cfg->handover_accept_min * MINUTE_MS;
}

enum dd_handover_state handover_state(const struct dd_config *cfg, const struct dd_handover *h, int64_t now_ms)
{
	if (h->accepted_ms)
		return h->objection[0] ? DD_HO_OBJECTED : DD_HO_ACCEPTED;
	if (!h->submitted_ms)
		return DD_HO_DRAFT;
	return now_ms > handover_due_ms(cfg, h) ? DD_HO_OVERDUE : DD_HO_SUBMITTED;
}

const char *handover_state_name(enum dd_handover_state s)
{
	static const char *const names[] = { "draft", "submitted", "overdue", "accepted", "accepted-with-objections" };
	return names[s];
}

int handover_shift_at(struct dd_store *st, const struct dd_config *cfg, int64_t at_ms, int64_t *start_ms,
		      int64_t *end_ms, char shift_id[DD_UUID_LEN + 1], struct dd_error *err)
{
	struct dd_shift shift;
	int n = 0;
	int rc = store_duty_at(st, cfg->org, at_ms, &shift, 1, &n, err);
	if (rc)
		return rc;
	if (n > 0) {
		*start_ms = shift.start_ms;
		*end_ms = shift.end_ms;
		snprintf(shift_id, DD_UUID_LEN + 1, "%s", shift.id);
		return 0;
	}
	shift_id[0] = '\0';
	return duty_shift_bounds(cfg->shift_start, cfg->timezone, at_ms, start_ms, end_ms, err);
}

/* ---- the summary ---------------------------------------------------- */

struct build {
	struct dd_store *st;
	const struct dd_config *cfg;
	struct dd_handover_summary *s;
	int64_t now;
	const struct dd_period *period;
	int64_t slot;
	struct dd_error *err;
	int rc;
};

static int add_incident(const struct dd_incident *in, void *ctx)
{
	struct build *b = ctx;
	struct dd_handover_summary *s = b->s;
	if (s->n_incidents < DD_HANDOVER_LIST_MAX) {
		struct dd_ho_incident *o = &s->incidents[s->n_incidents++];
		snprintf(o->id, sizeof o->id, "%s", in->id);
		snprintf(o->title, sizeof o->title, "%s", in->title);
		o->tier = in->tier;
		o->unconfirmed = in->confirmed_tier < 0 && in->proposed_tier >= 0;
		o->status = in->status;
		o->next_due_ms = in->next_due_ms;
		snprintf(o->next_due_what, sizeof o->next_due_what, "%s", in->next_due_what);
	}
	s->incidents_total++;
	return 0;
}

static int add_missing(const struct dd_zero_row *r, void *ctx)
{
	struct build *b = ctx;
	struct dd_handover_summary *s = b->s;
	if (zero_state_of(b->period, b->slot, r->id[0] ? r->at_ms : 0, b->now) != DD_ZERO_MISSING)
		return 0;
	if (s->n_missing < DD_HANDOVER_LIST_MAX) {
		struct dd_ho_org *o = &s->missing[s->n_missing++];
		snprintf(o->org, sizeof o->org, "%s", r->org);
		snprintf(o->name, sizeof o->name, "%s", r->org_name);
	}
	s->missing_total++;
	return 0;
}

/* The first active period with zero reporting whose latest report time
 * has passed its grace: its missing orgs.  One period is enough for the
 * handover; overlapping periods share report times (zero.h). */
static int check_period(const struct dd_period *p, void *ctx)
{
	struct build *b = ctx;
	if (!p->zero || p->start_ms > b->now || b->s->period[0])
		return 0;
	int64_t grace = p->grace_min * MINUTE_MS, slot, last = 0;
	int64_t t = b->now - ZERO_LOOKBACK_MS > p->start_ms ? b->now - ZERO_LOOKBACK_MS : p->start_ms;
	struct dd_error e;
	while (zero_slot_at(p, t, &slot, &e) == 0 && slot + grace < b->now) {
		last = slot;
		t = slot + grace + 1;
	}
	if (!last)
		return 0;
	struct dd_handover_summary *s = b->s;
	snprintf(s->period, sizeof s->period, "%s", p->id);
	snprintf(s->period_name, sizeof s->period_name, "%s", p->name);
	s->slot_ms = last;
	b->period = p;
	b->slot = last;
	b->rc = store_zero_checklist(b->st, p->id, last, zero_viewer_scope(b->cfg), add_missing, b, b->err);
	return b->rc;
}

static int add_advisory(const struct dd_advisory *a, void *ctx)
{
	struct build *b = ctx;
	struct dd_handover_summary *s = b->s;
	if (a->recipients == 0 || a->reported >= a->recipients)
		return 0;
	if (s->n_advisories < DD_HANDOVER_LIST_MAX) {
		struct dd_ho_advisory *o = &s->advisories[s->n_advisories++];
		snprintf(o->id, sizeof o->id, "%s", a->id);
		snprintf(o->title, sizeof o->title, "%s", a->title);
		snprintf(o->level, sizeof o->level, "%s", a->level);
		o->deadline_ms = a->deadline_ms;
		o->recipients = a->recipients;
		o->reported = a->reported;
	}
	s->advisories_total++;
	return 0;
}

int handover_summary_build(struct dd_store *st, const struct dd_config *cfg, int64_t now_ms, int64_t start_ms,
			   int64_t end_ms, struct dd_handover_summary *out, struct dd_error *err)
{
	memset(out, 0, sizeof *out);
	out->at_ms = now_ms;
	out->shift_start_ms = start_ms;
	out->shift_end_ms = end_ms;
	int64_t next_start;
	char next_id[DD_UUID_LEN + 1];
	int rc = handover_shift_at(st, cfg, end_ms, &next_start, &out->next_end_ms, next_id, err);
	if (rc)
		return rc;

	struct build b = { .st = st, .cfg = cfg, .s = out, .now = now_ms, .err = err };
	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	f.closed = 0;
	f.drill = 0;
	if ((rc = store_incident_scan(st, &f, NULL, false, INT32_MAX, add_incident, &b, err)) ||
	    (rc = store_handover_hops_due(st, out->next_end_ms, out->hops, DD_HANDOVER_LIST_MAX, &out->n_hops,
					  &out->hops_total, err)))
		return rc;
	if ((rc = store_period_scan(st, false, now_ms, check_period, &b, err)) || b.rc)
		return rc ? rc : b.rc;
	if ((rc = store_advisory_scan(st, zero_viewer_scope(cfg), now_ms, add_advisory, &b, err)))
		return rc;
	return store_handover_missed_calls(st, cfg->org, start_ms, now_ms + 1, out->calls, DD_HANDOVER_LIST_MAX,
					   &out->n_calls, &out->calls_total, err);
}

/* ---- the snapshot as JSON ------------------------------------------- */

static json_t *time_json(int64_t ms, const char *tz)
{
	char at[DD_AT_MAX];
	if (!ms || time_format_rfc3339(ms, tz, at, sizeof at) < 0)
		return json_string("");
	return json_string(at);
}

static int64_t time_of(const json_t *o, const char *name)
{
	int64_t ms = 0;
	const char *s = json_string_value(json_object_get(o, name));
	if (s && *s)
		time_parse_rfc3339(s, &ms, NULL);
	return ms;
}

static void str_of(const json_t *o, const char *name, char *dst, size_t cap)
{
	const char *s = json_string_value(json_object_get(o, name));
	snprintf(dst, cap, "%s", s ? s : "");
}

static int64_t int_of(const json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

json_t *handover_summary_to_json(const struct dd_handover_summary *s, const char *tz)
{
	json_t *incidents = json_array(), *hops = json_array(), *missing = json_array(), *advisories = json_array(),
	       *calls = json_array();
	for (int i = 0; i < s->n_incidents; i++) {
		const struct dd_ho_incident *o = &s->incidents[i];
		json_array_append_new(incidents, json_pack("{s:s, s:s, s:s, s:b, s:s, s:o, s:s}", "id", o->id, "title",
							    o->title, "tier", dd_tier_ids[o->tier], "tier_unconfirmed",
							    o->unconfirmed, "status", incident_status_id(o->status),
							    "next_due", time_json(o->next_due_ms, tz), "next_due_what",
							    o->next_due_what));
	}
	for (int i = 0; i < s->n_hops; i++) {
		const struct dd_ho_hop *o = &s->hops[i];
		json_array_append_new(hops, json_pack("{s:s, s:s, s:s, s:s, s:o}", "incident", o->incident, "title", o->title,
						       "hop", o->hop, "to", o->to, "due", time_json(o->due_ms, tz)));
	}
	for (int i = 0; i < s->n_missing; i++)
		json_array_append_new(missing, json_pack("{s:s, s:s}", "org", s->missing[i].org, "name", s->missing[i].name));
	for (int i = 0; i < s->n_advisories; i++) {
		const struct dd_ho_advisory *o = &s->advisories[i];
		json_array_append_new(advisories, json_pack("{s:s, s:s, s:s, s:o, s:I, s:I}", "id", o->id, "title", o->title,
							     "level", o->level, "deadline", time_json(o->deadline_ms, tz),
							     "recipients", (json_int_t)o->recipients, "reported",
							     (json_int_t)o->reported));
	}
	for (int i = 0; i < s->n_calls; i++) {
		const struct dd_ho_call *o = &s->calls[i];
		json_array_append_new(calls, json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s}", "id", o->id, "at",
							time_json(o->at_ms, tz), "org", o->callee, "name", o->callee_name,
							"liaison", o->liaison, "result", o->result, "officer", o->officer));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:I, s:{s:s, s:s, s:o, s:o, s:I}, s:o, s:I, s:o, s:I}",
			 "generated", time_json(s->at_ms, tz), "shift_start", time_json(s->shift_start_ms, tz),
			 "shift_end", time_json(s->shift_end_ms, tz), "next_end", time_json(s->next_end_ms, tz),
			 "incidents", incidents, "incidents_total", (json_int_t)s->incidents_total, "hops", hops,
			 "hops_total", (json_int_t)s->hops_total, "zero", "period", s->period, "name", s->period_name,
			 "slot", time_json(s->slot_ms, tz), "missing", missing, "missing_total",
			 (json_int_t)s->missing_total, "advisories", advisories, "advisories_total",
			 (json_int_t)s->advisories_total, "calls", calls, "calls_total", (json_int_t)s->calls_total);
}

static int tier_index(const char *id)
{
	for (int i = 0; dd_tier_ids[i]; i++)
		if (strcmp(dd_tier_ids[i], id) == 0)
			return i;
	return 0;
}

void handover_summary_from_json(const json_t *j, struct dd_handover_summary *s)
{
	memset(s, 0, sizeof *s);
	if (!json_is_object(j))
		return;
	s->at_ms = time_of(j, "generated");
	s->shift_start_ms = time_of(j, "shift_start");
	s->shift_end_ms = time_of(j, "shift_end");
	s->next_end_ms = time_of(j, "next_end");
	const json_t *a = json_object_get(j, "incidents");
	for (size_t i = 0; i < json_array_size(a) && s->n_incidents < DD_HANDOVER_LIST_MAX; i++) {
		const json_t *o = json_array_get(a, i);
		struct dd_ho_incident *x = &s->incidents[s->n_incidents++];
		char tier[16], status[16];
		str_of(o, "id", x->id, sizeof x->id);
		str_of(o, "title", x->title, sizeof x->title);
		str_of(o, "tier", tier, sizeof tier);
		str_of(o, "status", status, sizeof status);
		x->tier = tier_index(tier);
		/* Absent from snapshots written before it was recorded. */
		x->unconfirmed = json_is_true(json_object_get(o, "tier_unconfirmed"));
		x->status = incident_status_parse(status) < 0 ? 0 : incident_status_parse(status);
		x->next_due_ms = time_of(o, "next_due");
		str_of(o, "next_due_what", x->next_due_what, sizeof x->next_due_what);
	}
	s->incidents_total = int_of(j, "incidents_total");
	a = json_object_get(j, "hops");
	for (size_t i = 0; i < json_array_size(a) && s->n_hops < DD_HANDOVER_LIST_MAX; i++) {
		const json_t *o = json_array_get(a, i);
		struct dd_ho_hop *x = &s->hops[s->n_hops++];
		str_of(o, "incident", x->incident, sizeof x->incident);
		str_of(o, "title", x->title, sizeof x->title);
		str_of(o, "hop", x->hop, sizeof x->hop);
		str_of(o, "to", x->to, sizeof x->to);
		x->due_ms = time_of(o, "due");
	}
	s->hops_total = int_of(j, "hops_total");
	const json_t *z = json_object_get(j, "zero");
	str_of(z, "period", s->period, sizeof s->period);
	str_of(z, "name", s->period_name, sizeof s->period_name);
	s->slot_ms = time_of(z, "slot");
	a = json_object_get(z, "missing");
	for (size_t i = 0; i < json_array_size(a) && s->n_missing < DD_HANDOVER_LIST_MAX; i++) {
		const json_t *o = json_array_get(a, i);
		struct dd_ho_org *x = &s->missing[s->n_missing++];
		str_of(o, "org", x->org, sizeof x->org);
		str_of(o, "name", x->name, sizeof x->name);
	}
	s->missing_total = int_of(z, "missing_total");
	a = json_object_get(j, "advisories");
	for (size_t i = 0; i < json_array_size(a) && s->n_advisories < DD_HANDOVER_LIST_MAX; i++) {
		const json_t *o = json_array_get(a, i);
		struct dd_ho_advisory *x = &s->advisories[s->n_advisories++];
		str_of(o, "id", x->id, sizeof x->id);
		str_of(o, "title", x->title, sizeof x->title);
		str_of(o, "level", x->level, sizeof x->level);
		x->deadline_ms = time_of(o, "deadline");
		x->recipients = int_of(o, "recipients");
		x->reported = int_of(o, "reported");
	}
	s->advisories_total = int_of(j, "advisories_total");
	a = json_object_get(j, "calls");
	for (size_t i = 0; i < json_array_size(a) && s->n_calls < DD_HANDOVER_LIST_MAX; i++) {
		const json_t *o = json_array_get(a, i);
		struct dd_ho_call *x = &s->calls[s->n_calls++];
		str_of(o, "id", x->id, sizeof x->id);
		x->at_ms = time_of(o, "at");
		str_of(o, "org", x->callee, sizeof x->callee);
		str_of(o, "name", x->callee_name, sizeof x->callee_name);
		str_of(o, "liaison", x->liaison, sizeof x->liaison);
		str_of(o, "result", x->result, sizeof x->result);
		str_of(o, "officer", x->officer, sizeof x->officer);
	}
	s->calls_total = int_of(j, "calls_total");
}

/* ---- the rules ------------------------------------------------------ */

int handover_view_at(struct dd_store *st, const struct dd_config *cfg, int64_t now_ms, struct dd_handover_view *out,
		     struct dd_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = store_handover_latest(st, cfg->org, false, &out->pending, err);
	if (rc && rc != DD_ENOTFOUND)
		return rc;
	out->has_pending = rc == 0;
	rc = store_handover_latest(st, cfg->org, true, &out->last, err);
	if (rc && rc != DD_ENOTFOUND)
		return rc;
	out->has_last = rc == 0;
	if (out->has_pending) {
		out->state = handover_state(cfg, &out->pending, now_ms);
		snprintf(out->shift, sizeof out->shift, "%s", out->pending.shift);
		out->shift_start_ms = out->pending.shift_start_ms;
		out->shift_end_ms = out->pending.shift_end_ms;
		return 0;
	}
	out->state = DD_HO_DRAFT;
	if ((rc = handover_shift_at(st, cfg, now_ms, &out->shift_start_ms, &out->shift_end_ms, out->shift, err)))
		return rc;
	/* The shift holding now was handed over already (accepted before it
	 * ended): the next handover is of the shift after it. */
	if (out->has_last && out->last.shift_start_ms >= out->shift_start_ms)
		return handover_shift_at(st, cfg, out->shift_end_ms, &out->shift_start_ms, &out->shift_end_ms,
					 out->shift, err);
	return 0;
}

static int need_identity(const struct dd_config *cfg, struct dd_error *err)
{
	if (!cfg->origin[0] || !cfg->officer[0] || !cfg->org[0])
		return dd_fail(err, DD_ECONFIG, "%s: origin, officer and org must be set; run `dutydesk init`", cfg->path);
	return 0;
}

static int append(struct dd_store *st, const struct dd_config *cfg, const char *kind, const char *subject,
		  json_t *body, int64_t now_ms, struct dd_error *err)
{
	if (!body)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	struct dd_new_event ne = {
		.origin = cfg->origin, .actor = cfg->officer, .org = cfg->org, .kind = kind, .subject = subject,
		.drill = 0, .body = body, .at_ms = now_ms, .tz = cfg->timezone,
	};
	int rc = store_append_local(st, &ne, NULL, err);
	json_decref(body);
	return rc;
}

static void when(const struct dd_config *cfg, int64_t ms, char *buf, size_t n)
{
	time_format_local(ms, cfg->timezone, "%m-%d %H:%M", buf, n);
}

/* src cut to at most max bytes at a character boundary, with "…" when
 * cut; the log line quotes it, the handover keeps it whole. */
static void excerpt(char *dst, size_t cap, const char *src, size_t len, size_t max)
{
	size_t n = len;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(dst, cap, "%.*s%s", (int)n, src, n < len ? "…" : "");
}

/* The handover event and its line in the shift log, both or neither:
 * the log is where the next shift reads what happened at the desk. */
static int append_logged(struct dd_store *st, const struct dd_config *cfg, const char *kind, const char *subject,
			 json_t *body, int64_t now_ms, const char *line, struct dd_error *err)
{
	int rc = store_batch_begin(st, err);
	if (rc) {
		json_decref(body);
		return rc;
	}
	rc = append(st, cfg, kind, subject, body, now_ms, err);
	if (rc == 0)
		rc = shiftlog_add(st, cfg, line, strlen(line), "handover", now_ms, NULL, NULL, err);
	struct dd_error end_err;
	int end = store_batch_end(st, rc == 0, rc ? &end_err : err);
	return rc ? rc : end;
}

int handover_submit(struct dd_store *st, const struct dd_config *cfg, const char *notes, int64_t now_ms,
		    char id[DD_UUID_LEN + 1], struct dd_error *err)
{
	char clean[DD_HANDOVER_NOTES_MAX + 1];
	int rc = need_identity(cfg, err);
	if (rc || (rc = text_clean_into("notes", notes, clean, sizeof clean, true, err)))
		return rc;
	struct dd_handover_view *v = malloc(sizeof *v);
	struct dd_handover_summary *sum = malloc(sizeof *sum);
	if (!v || !sum) {
		free(v);
		free(sum);
		return dd_fail(err, DD_ENOMEM, "out of memory");
	}
	if ((rc = handover_view_at(st, cfg, now_ms, v, err)))
		goto out;
	if (v->has_pending && strcmp(v->pending.outgoing, cfg->officer) != 0) {
		char at[32];
		when(cfg, v->pending.submitted_ms, at, sizeof at);
		rc = dd_fail(err, DD_EINVAL, "the handover %s submitted at %s awaits acceptance; it must be accepted first",
			     v->pending.outgoing, at);
		goto out;
	}
	if (v->has_pending)
		snprintf(id, DD_UUID_LEN + 1, "%s", v->pending.id);
	else
		uuid7_new(now_ms, id);
	if ((rc = handover_summary_build(st, cfg, now_ms, v->shift_start_ms, v->shift_end_ms,
					 sum, err)))
		goto out;
	json_t *body = json_pack("{s:i, s:o, s:o, s:s, s:s, s:o}", "v", 1, "shift_start",
				 time_json(v->shift_start_ms, cfg->timezone), "shift_end",
				 time_json(v->shift_end_ms, cfg->timezone), "outgoing", cfg->officer, "notes", clean,
				 "summary", handover_summary_to_json(sum, cfg->timezone));
	if (body && v->shift[0])
		json_object_set_new(body, "shift", json_string(v->shift));
	char from[32], to[32], first[400], line[800];
	when(cfg, v->shift_start_ms, from, sizeof from);
	when(cfg, v->shift_end_ms, to, sizeof to);
	excerpt(first, sizeof first, clean, strcspn(clean, "\n"), 180);
	snprintf(line, sizeof line, _("Handover of the shift %s–%s submitted by %s: %s"), from, to, cfg->officer, first);
	rc = append_logged(st, cfg, "handover.submit", id, body, now_ms, line, err);
out:
	free(v);
	free(sum);
	return rc;
}

int handover_accept(struct dd_store *st, const struct dd_config *cfg, const char *incoming, const char *objection,
		    int64_t now_ms, char id[DD_UUID_LEN + 1], struct dd_error *err)
{
	char who[DD_PERSON_MAX + 1], why[DD_HANDOVER_NOTES_MAX + 1] = "";
	int rc = need_identity(cfg, err);
	if (rc || (rc = text_clean_into("incoming officer", incoming && *incoming ? incoming : cfg->officer, who,
					sizeof who, true, err)))
		return rc;
	if (objection && (rc = text_clean_into("objection", objection, why, sizeof why, true, err)))
		return rc;
	struct dd_handover_view *v = malloc(sizeof *v);
	if (!v)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	if ((rc = handover_view_at(st, cfg, now_ms, v, err)))
		goto out;
	char at[32];
	if (!v->has_pending) {
		if (v->has_last) {
			when(cfg, v->last.accepted_ms, at, sizeof at);
			rc = dd_fail(err, DD_EINVAL, "the handover of %s was already accepted by %s at %s",
				     v->last.outgoing, v->last.incoming, at);
		} else {
			rc = dd_fail(err, DD_EINVAL, "no handover awaits acceptance: the outgoing officer submits one first");
		}
		goto out;
	}
	if (strcmp(v->pending.outgoing, who) == 0) {
		rc = dd_fail(err, DD_EINVAL, "%s submitted this handover and cannot accept it: the incoming officer does",
			     who);
		goto out;
	}
	json_t *body = json_pack("{s:i, s:s}", "v", 1, "incoming", who);
	if (body && why[0])
		json_object_set_new(body, "objection", json_string(why));
	snprintf(id, DD_UUID_LEN + 1, "%s", v->pending.id);
	char line[1200], said[800];
	if (why[0]) {
		excerpt(said, sizeof said, why, strlen(why), 600);
		snprintf(line, sizeof line, _("Handover of %s accepted by %s, with objections: %s"), v->pending.outgoing,
			 who, said);
	}
	else
		snprintf(line, sizeof line, _("Handover of %s accepted by %s"), v->pending.outgoing, who);
	rc = append_logged(st, cfg, "handover.accept", v->pending.id, body, now_ms, line, err);
out:
	free(v);
	return rc;
}

int handover_on_duty(struct dd_store *st, const struct dd_config *cfg, int64_t now_ms,
		     char officer[DD_PERSON_MAX + 1], struct dd_error *err)
{
	officer[0] = '\0';
	struct dd_handover *h = malloc(sizeof *h);
	if (!h)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc = store_handover_latest(st, cfg->org, true, h, err);
	if (rc == DD_ENOTFOUND) {
		free(h);
		return 0;
	}
	int64_t start, end;
	char shift[DD_UUID_LEN + 1];
	/* The incoming officer holds the duty until the end of the shift
	 * after the one handed over. */
	if (rc == 0 && h->accepted_ms <= now_ms && h->shift_end_ms > 0 &&
	    (rc = handover_shift_at(st, cfg, h->shift_end_ms, &start, &end, shift, err)) == 0 && now_ms < end)
		snprintf(officer, DD_PERSON_MAX + 1, "%s", h->incoming);
	free(h);
	return rc;
}

/* ---- the draft ------------------------------------------------------- */

static void draft_path(const struct dd_config *cfg, char *buf, size_t n)
{
	snprintf(buf, n, "%s.handover-draft", cfg->database);
}

int handover_draft_save(const struct dd_config *cfg, const char *text, struct dd_error *err)
{
	char path[DD_PATH_MAX + 32], tmp[DD_PATH_MAX + 48];
	draft_path(cfg, path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);   /* 0600 */
	if (fd < 0)
		return dd_fail(err, DD_EIO, "%s: %s", tmp, strerror(errno));
	/* Kept with a final newline, as an editor leaves a file: an editor
	 * that appends starts a line of its own. */
	size_t len = strlen(text), done = 0;
	bool newline = len > 0 && text[len - 1] != '\n';
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	bool ok = done == len && (!newline || write(fd, "\n", 1) == 1) && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		saved = ok ? errno : saved;
		unlink(tmp);
		return dd_fail(err, DD_EIO, "%s: %s", path, strerror(saved));
	}
	return 0;
}

char *handover_draft_load(const struct dd_config *cfg)
{
	char path[DD_PATH_MAX + 32];
	draft_path(cfg, path, sizeof path);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = malloc(DD_HANDOVER_NOTES_MAX + 1);
	size_t n = buf ? fread(buf, 1, DD_HANDOVER_NOTES_MAX, f) : 0;
	fclose(f);
	if (!buf || n == 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	/* A file anyone could have edited: what is shown is cleaned text. */
	size_t clean_len;
	char *clean = text_clean(buf, n, &clean_len);
	free(buf);
	return clean;
}

void handover_draft_clear(const struct dd_config *cfg)
{
	char path[DD_PATH_MAX + 32];
	draft_path(cfg, path, sizeof path);
	unlink(path);
}
