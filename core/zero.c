/*
 * zero.c — the rules of protection periods, zero reports and the change
 * freeze (zero.h): slot arithmetic, who may do what, and the checks made
 * before anything is written, so a refused request stores nothing.
 *
 * Slot times are local wall-clock times in the period's own zone; an
 * instant is found per local day (DST-safe: the offset is looked up at
 * the instant itself), so "16:00" is 16:00 on every day of the period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/incident.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"

#define MIN_MS INT64_C(60000)

bool zero_may_set_period(const struct dd_config *cfg)
{
	return strcmp(cfg->org, "cq") == 0 || strcmp(cfg->org, "cq.center") == 0;
}

const char *zero_viewer_scope(const struct dd_config *cfg)
{
	return zero_may_set_period(cfg) ? "" : cfg->org;
}

bool zero_in_subtree(const char *org, const char *prefix)
{
	size_t n = strlen(prefix);
	return n == 0 || (strncmp(org, prefix, n) == 0 && (org[n] == '\0' || org[n] == '.'));
}

int zero_parse_hm(const char *s, int *min, struct dd_error *err)
{
	int h, m;
	char tail;
	if (strlen(s) > 5 || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59 ||
	    !(s[1] == ':' || s[2] == ':'))
		return dd_fail(err, DD_EINVAL, "report time '%s': use HH:MM such as 16:00", s);
	*min = h * 60 + m;
	return 0;
}

static const char *zone(const char *tz)
{
	return tz && *tz ? tz : DD_DEFAULT_TZ;
}

/* The instant of local minute min of local day day in zone tz. */
static int64_t local_instant(int64_t day, int min, const char *tz)
{
	int64_t wall = (day * 1440 + min) * MIN_MS;
	int off = time_offset_min(wall, tz);
	int64_t ms = wall - off * MIN_MS;
	int off2 = time_offset_min(ms, tz);
	return off2 == off ? ms : wall - off2 * MIN_MS;
}

int zero_slot_at(const struct dd_period *p, int64_t t, int64_t *slot_ms, struct dd_error *err)
{
	const char *tz = zone(p->tz);
	int64_t lo = t - p->grace_min * MIN_MS;
	int64_t best = INT64_MAX;
	int64_t day = time_local_day(lo > p->start_ms ? lo : p->start_ms, tz);
	/* Two days on either side cover any zone offset and a grace of up to
	 * 12 h; slots are ascending within a day. */
	for (int64_t d = day - 1; d <= day + 2 && best == INT64_MAX; d++)
		for (int i = 0; i < p->n_times; i++) {
			int64_t s = local_instant(d, p->times_min[i], tz);
			if (s >= lo && s >= p->start_ms && s <= p->end_ms && s < best)
				best = s;
		}
	if (best == INT64_MAX)
		return dd_fail(err, DD_ENOTFOUND, "protection period %s has no report time left", p->name);
	*slot_ms = best;
	return 0;
}

/* Whether s is one of p's slots. */
static bool is_slot(const struct dd_period *p, int64_t s)
{
	if (s < p->start_ms || s > p->end_ms)
		return false;
	const char *tz = zone(p->tz);
	int64_t d = time_local_day(s, tz);
	for (int i = 0; i < p->n_times; i++)
		if (local_instant(d, p->times_min[i], tz) == s)
			return true;
	return false;
}

enum dd_zero_state zero_state_of(const struct dd_period *p, int64_t slot_ms, int64_t reported_ms, int64_t now_ms)
{
	int64_t due = slot_ms + p->grace_min * MIN_MS;
	if (reported_ms)
		return reported_ms <= due ? DD_ZERO_REPORTED : DD_ZERO_LATE;
	return now_ms > due ? DD_ZERO_MISSING : DD_ZERO_PENDING;
}

const char *zero_state_name(enum dd_zero_state s)
{
	static const char *const names[] = { "missing", "late", "pending", "reported" };
	return names[s];
}

const char *zero_state_label(enum dd_zero_state s)
{
	static const char *const labels[] = { "未报", "迟报", "待报", "已报" };
	return labels[s];
}

/* ---- writing ---------------------------------------------------------- */

/* Appends kind about subject for org at at_ms (0 = now); takes body. */
static int append(struct dd_store *st, const struct dd_config *cfg, const char *kind, const char *subject,
		  const char *org, json_t *body, int64_t at_ms, struct dd_error *err)
{
	if (!cfg->origin[0] || !cfg->officer[0]) {
		json_decref(body);
		return dd_fail(err, DD_ECONFIG, "%s: origin and officer must be set; run `dutydesk init`", cfg->path);
	}
	struct dd_new_event ne = {
		.origin = cfg->origin, .actor = cfg->officer, .org = org, .kind = kind, .subject = subject,
		.drill = 0, .body = body, .at_ms = at_ms, .tz = cfg->timezone,
	};
	int rc = store_append_local(st, &ne, NULL, err);
	json_decref(body);
	return rc;
}

static int put_time(json_t *body, const char *name, int64_t ms, const char *tz, struct dd_error *err)
{
	char at[DD_AT_MAX];
	if (time_format_rfc3339(ms, zone(tz), at, sizeof at) < 0)
		return dd_fail(err, DD_ERANGE, "%s: the time is out of range", name);
	json_object_set_new(body, name, json_string(at));
	return 0;
}

/* The period.set body of p, whole. */
static int period_body(const struct dd_period *p, json_t **out, struct dd_error *err)
{
	json_t *b = json_pack("{s:i, s:s, s:s, s:I, s:b, s:b, s:b}", "v", 1, "name", p->name, "tz", zone(p->tz),
			      "grace_min", (json_int_t)p->grace_min, "zero", p->zero, "watch", p->watch, "freeze",
			      p->freeze);
	json_t *scope = json_array(), *times = json_array();
	for (int i = 0; i < p->n_scope; i++)
		json_array_append_new(scope, json_string(p->scope[i]));
	for (int i = 0; i < p->n_times; i++) {
		char hm[24];
		snprintf(hm, sizeof hm, "%02d:%02d", p->times_min[i] / 60 % 24, p->times_min[i] % 60);
		json_array_append_new(times, json_string(hm));
	}
	json_object_set_new(b, "scope", scope);
	json_object_set_new(b, "times", times);
	int rc = put_time(b, "start", p->start_ms, p->tz, err);
	if (rc == 0)
		rc = put_time(b, "end", p->end_ms, p->tz, err);
	if (rc)
		json_decref(b);
	else
		*out = b;
	return rc;
}

static bool scopes_meet(const struct dd_period *a, const struct dd_period *b)
{
	for (int i = 0; i < a->n_scope; i++)
		for (int j = 0; j < b->n_scope; j++)
			if (zero_in_subtree(a->scope[i], b->scope[j]) || zero_in_subtree(b->scope[j], a->scope[i]))
				return true;
	return false;
}

struct conflict {
	const struct dd_period *p;
	char found[DD_NAME_MAX + 64];
};

static int find_conflict(const struct dd_period *o, void *ctx)
{
	struct conflict *c = ctx;
	const struct dd_period *p = c->p;
	if (strcmp(o->id, p->id) == 0 || o->start_ms >= p->end_ms || p->start_ms >= o->end_ms || !scopes_meet(o, p))
		return 0;
	bool same = o->grace_min == p->grace_min && o->n_times == p->n_times &&
		    memcmp(o->times_min, p->times_min, sizeof o->times_min[0] * (size_t)o->n_times) == 0;
	if (!same)
		snprintf(c->found, sizeof c->found, "%s (%s)", o->name, o->id + 28);
	return !same;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int zero_period_new(struct dd_store *st, const struct dd_config *cfg, const struct dd_period_in *in,
		    char id[DD_UUID_LEN + 1], struct dd_error *err)
{
	if (!zero_may_set_period(cfg))
		return dd_fail(err, DD_EINVAL, "only the commission (cq) or the centre (cq.center) sets protection "
			       "periods; this console is %s", cfg->org);
	struct dd_period p;
	memset(&p, 0, sizeof p);
	int rc = text_clean_into("name", in->name, p.name, sizeof p.name, true, err);
	if (rc)
		return rc;
	if (in->end_ms <= in->start_ms)
		return dd_fail(err, DD_EINVAL, "end: must be after the start");
	p.start_ms = in->start_ms;
	p.end_ms = in->end_ms;
	snprintf(p.tz, sizeof p.tz, "%s", zone(cfg->timezone));
	if (in->n_scope < 1 || in->n_scope > DD_PERIOD_SCOPES_MAX)
		return dd_fail(err, DD_EINVAL, "scope: give 1 to %d org ids", DD_PERIOD_SCOPES_MAX);
	for (int i = 0; i < in->n_scope; i++) {
		struct dd_org o;
		if (store_org_get(st, in->scope[i], &o, err))
			return dd_fail(err, DD_EINVAL, "scope: no org %s", in->scope[i]);
		for (int j = 0; j < i; j++)
			if (strcmp(p.scope[j], o.id) == 0)
				return dd_fail(err, DD_EINVAL, "scope: %s twice", o.id);
		snprintf(p.scope[p.n_scope++], sizeof p.scope[0], "%s", o.id);
	}
	if (in->n_times < 1 || in->n_times > DD_PERIOD_TIMES_MAX)
		return dd_fail(err, DD_EINVAL, "report times: give 1 to %d, such as 16:00", DD_PERIOD_TIMES_MAX);
	for (int i = 0; i < in->n_times; i++) {
		if ((rc = zero_parse_hm(in->times[i], &p.times_min[i], err)))
			return rc;
		for (int j = 0; j < i; j++)
			if (p.times_min[j] == p.times_min[i])
				return dd_fail(err, DD_EINVAL, "report times: %s twice", in->times[i]);
	}
	p.n_times = in->n_times;
	qsort(p.times_min, (size_t)p.n_times, sizeof p.times_min[0], cmp_int);
	if (in->grace_min < 0 || in->grace_min > DD_PERIOD_GRACE_MAX)
		return dd_fail(err, DD_EINVAL, "grace: 0 to %d minutes", DD_PERIOD_GRACE_MAX);
	/* A grace reaching the next report time would let one report count
	 * for two slots, and a report at 17:00 land on the 08:00 slot. */
	for (int i = 0; i < p.n_times; i++) {
		int gap = (i + 1 < p.n_times ? p.times_min[i + 1] : p.times_min[0] + 24 * 60) - p.times_min[i];
		if (in->grace_min >= gap)
			return dd_fail(err, DD_EINVAL, "grace: %d minutes reaches the next report time (%d minutes later); "
				       "make it shorter", in->grace_min, gap);
	}
	p.grace_min = in->grace_min;
	p.zero = in->zero;
	p.watch = in->watch;
	p.freeze = in->freeze;
	uuid7_new(time_now_ms(), p.id);
	struct conflict c = { .p = &p };
	if ((rc = store_period_scan(st, true, 0, find_conflict, &c, err)))
		return rc;
	if (c.found[0])
		return dd_fail(err, DD_EINVAL, "overlaps protection period %s over the same orgs with other report "
			       "times or grace; end it or use the same times", c.found);
	json_t *body;
	if ((rc = period_body(&p, &body, err)) || (rc = append(st, cfg, "period.set", p.id, cfg->org, body, 0, err)))
		return rc;
	snprintf(id, DD_UUID_LEN + 1, "%s", p.id);
	return 0;
}

int zero_period_end(struct dd_store *st, const struct dd_config *cfg, const char *id, int64_t end_ms,
		    struct dd_error *err)
{
	if (!zero_may_set_period(cfg))
		return dd_fail(err, DD_EINVAL, "only the commission (cq) or the centre (cq.center) ends protection "
			       "periods; this console is %s", cfg->org);
	struct dd_period p;
	int rc = store_period_get(st, id, &p, err);
	if (rc)
		return rc;
	if (end_ms < p.start_ms)
		return dd_fail(err, DD_EINVAL, "end: before the period's start");
	if (end_ms >= p.end_ms)
		return dd_fail(err, DD_EINVAL, "protection period %s is already over by then", p.name);
	p.end_ms = end_ms;
	json_t *body;
	if ((rc = period_body(&p, &body, err)))
		return rc;
	return append(st, cfg, "period.set", p.id, cfg->org, body, 0, err);
}

/* ---- zero reports ----------------------------------------------------- */

static bool period_covers(const struct dd_period *p, const char *org)
{
	for (int i = 0; i < p->n_scope; i++)
		if (zero_in_subtree(org, p->scope[i]))
			return true;
	return false;
}

struct pick {
	const char *org;
	int64_t at;
	struct dd_period p;
	bool found;
};

static int pick_active(const struct dd_period *p, void *ctx)
{
	struct pick *k = ctx;
	if (!p->zero || !period_covers(p, k->org) || k->at < p->start_ms ||
	    k->at > p->end_ms + p->grace_min * MIN_MS)
		return 0;
	k->p = *p;
	k->found = true;
	return 1;
}

static int report_period(struct dd_store *st, const struct dd_zero_in *in, const char *org, int64_t at,
			 struct dd_period *p, struct dd_error *err)
{
	int rc;
	if (in->period && *in->period) {
		char id[DD_UUID_LEN + 1];
		if ((rc = store_period_resolve(st, in->period, id, err)) || (rc = store_period_get(st, id, p, err)))
			return rc;
		if (!p->zero)
			return dd_fail(err, DD_EINVAL, "protection period %s has no zero reporting", p->name);
		if (!period_covers(p, org))
			return dd_fail(err, DD_EINVAL, "%s is not in the scope of protection period %s", org, p->name);
		if (at < p->start_ms)
			return dd_fail(err, DD_EINVAL, "protection period %s has not begun", p->name);
		return 0;
	}
	struct pick k = { .org = org, .at = at };
	if ((rc = store_period_scan(st, true, 0, pick_active, &k, err)))
		return rc;
	if (!k.found)
		return dd_fail(err, DD_EINVAL, "no protection period with zero reporting covers %s now; nothing to report",
			       org);
	*p = k.p;
	return 0;
}

/* Resolves and checks the incident references into body's "incidents". */
static int put_incidents(struct dd_store *st, const struct dd_zero_in *in, json_t *body, struct dd_error *err)
{
	if (in->n_incidents > DD_ZERO_INCIDENTS_MAX)
		return dd_fail(err, DD_EINVAL, "at most %d incidents in one report", DD_ZERO_INCIDENTS_MAX);
	json_t *a = json_array();
	json_object_set_new(body, "incidents", a);
	for (int i = 0; i < in->n_incidents; i++) {
		char id[DD_UUID_LEN + 1];
		int rc = store_incident_resolve(st, in->incidents[i], id, err);
		if (rc)
			return dd_fail(err, DD_EINVAL, "incident %s: %s", in->incidents[i], err->msg);
		for (size_t j = 0; j < json_array_size(a); j++)
			if (strcmp(json_string_value(json_array_get(a, j)), id) == 0)
				return dd_fail(err, DD_EINVAL, "incident %s named twice", in->incidents[i]);
		json_array_append_new(a, json_string(id));
	}
	return 0;
}

int zero_submit(struct dd_store *st, const struct dd_config *cfg, const struct dd_zero_in *in,
		char id[DD_UUID_LEN + 1], int64_t *slot_ms, struct dd_error *err)
{
	const char *org_id = in->org && *in->org ? in->org : cfg->org;
	struct dd_org org;
	int rc = store_org_get(st, org_id, &org, err);
	if (rc)
		return rc == DD_ENOTFOUND ? dd_fail(err, DD_EINVAL, "no org %s", org_id) : rc;
	if (!roster_org_kind_enterprise(org.kind) && !roster_org_kind_district(org.kind))
		return dd_fail(err, DD_EINVAL, "%s (%s) is not an enterprise or district office; only they report",
			       org.id, org.name);
	/* A retired org is off every checklist: its report would be stored
	 * and never counted. */
	if (org.retired)
		return dd_fail(err, DD_EINVAL, "%s (%s) is retired; it no longer reports", org.id, org.name);
	if (!zero_in_subtree(org.id, zero_viewer_scope(cfg)))
		return dd_fail(err, DD_EINVAL, "%s is outside this console's scope (%s)", org.id, cfg->org);
	if (in->nil == (in->n_incidents > 0))
		return dd_fail(err, DD_EINVAL, in->nil ? "a zero report (--nil) names no incidents"
						       : "say --nil (零报告, nothing to report) or name the incidents");
	const char *via = in->via && *in->via ? in->via : "cli";
	bool via_ok = false;
	for (const char *const *v = dd_zero_vias; *v; v++)
		via_ok |= strcmp(*v, via) == 0;
	if (!via_ok)
		return dd_fail(err, DD_EINVAL, "via '%s': use console, cli or phone", via);
	int64_t at = in->at_ms ? in->at_ms : time_now_ms();
	struct dd_period p;
	if ((rc = report_period(st, in, org.id, at, &p, err)))
		return rc;
	int64_t current = INT64_MAX, slot;
	struct dd_error e;
	if (zero_slot_at(&p, at, &current, &e) != 0)
		current = INT64_MAX;
	if (in->slot_ms) {
		if (!is_slot(&p, in->slot_ms))
			return dd_fail(err, DD_EINVAL, "--slot: not a report time of protection period %s", p.name);
		if (in->slot_ms > current)
			return dd_fail(err, DD_EINVAL, "--slot: that report time is not open yet");
		slot = in->slot_ms;
	} else if (current == INT64_MAX) {
		return dd_fail(err, DD_EINVAL, "protection period %s has no report time left", p.name);
	} else {
		slot = current;
	}
	char reporter[DD_PERSON_MAX + 1], note[1001];
	if ((rc = text_clean_into("reporter", in->reporter, reporter, sizeof reporter, false, err)) ||
	    (rc = text_clean_into("note", in->note, note, sizeof note, false, err)))
		return rc;
	struct dd_zero_row old;
	rc = store_zero_latest(st, p.id, org.id, slot, &old, &e);
	if (rc && rc != DD_ENOTFOUND)
		return *err = e, rc;
	bool have = rc == 0;
	char when[32];
	time_format_local(slot, zone(p.tz), "%m-%d %H:%M", when, sizeof when);
	if (have && !in->correct)
		return dd_fail(err, DD_EINVAL, "%s already reported for %s (report %s by %s); a second report must be "
			       "a correction (--correct), the first stays on record", org.id, when, old.id + 28, old.by);
	if (!have && in->correct)
		return dd_fail(err, DD_EINVAL, "%s has no report for %s to correct", org.id, when);

	json_t *body = json_pack("{s:i, s:s, s:s, s:b, s:s}", "v", 1, "period", p.id, "org", org.id, "nil", in->nil,
				 "via", via);
	if ((rc = put_time(body, "slot", slot, p.tz, err)) || (!in->nil && (rc = put_incidents(st, in, body, err)))) {
		json_decref(body);
		return rc;
	}
	if (reporter[0])
		json_object_set_new(body, "reporter", json_string(reporter));
	if (note[0])
		json_object_set_new(body, "note", json_string(note));
	if (have)
		json_object_set_new(body, "corrects", json_string(old.id));
	char rid[DD_UUID_LEN + 1];
	uuid7_new(time_now_ms(), rid);
	if ((rc = append(st, cfg, "zero.report", rid, org.id, body, at, err)))
		return rc;
	snprintf(id, DD_UUID_LEN + 1, "%s", rid);
	*slot_ms = slot;
	return 0;
}

/* ---- change freeze ---------------------------------------------------- */

struct freezing {
	const char *org;
	int64_t at;
	int n;
	char ids[16][DD_UUID_LEN + 1];
};

static int collect_freezing(const struct dd_period *p, void *ctx)
{
	struct freezing *f = ctx;
	if (p->freeze && p->start_ms <= f->at && f->at < p->end_ms && period_covers(p, f->org) && f->n < 16)
		snprintf(f->ids[f->n++], sizeof f->ids[0], "%s", p->id);
	return 0;
}

int zero_freeze_check(struct dd_store *st, const struct dd_config *cfg, const char *object_id, bool was_important,
		      const char *change_kind, const char *change_event, int64_t at_ms, struct dd_error *err)
{
	struct dd_object o;
	int rc = store_object_get(st, object_id, &o, err);
	if (rc || !(o.important || was_important))
		return rc;
	struct freezing f = { .org = o.org, .at = at_ms };
	if ((rc = store_period_scan(st, false, at_ms, collect_freezing, &f, err)))
		return rc;
	for (int i = 0; i < f.n && rc == 0; i++) {
		json_t *body = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "v", 1, "period", f.ids[i], "object_name",
					 o.name, "org", o.org, "change", change_kind, "event", change_event);
		rc = append(st, cfg, "freeze.warning", o.id, o.org, body, at_ms, err);
	}
	return rc;
}
