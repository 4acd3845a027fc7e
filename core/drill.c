/*
 * drill.c — scenario files and the changes that run a drill (see drill.h).
 *
 * A scenario is checked whole, or nothing of it runs.  Running it is a
 * sequence of drill.* events; each inject's effect goes through the same
 * core function a real item would (incident_open, incident_set_tier,
 * roster_call, shiftlog_add) with the store in drill mode, so the effect
 * is a drill event and the store's guard applies to it as to any other.
 * The effect and its drill.inject event commit in one transaction.
 */
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/roster.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/timefmt.h"

const char *const dd_inject_kinds[] = { "incident", "tier", "call", "zero-missing", "outage", "advisory", NULL };
const char *const dd_drill_actions[] = { "open", "tier", "hop", "status", "report", "note", "call", "log", NULL };

const char *drill_action_label(const char *action)
{
	static const struct {
		const char *id, *label;
	} labels[] = {
		{ "open", N_("open an incident") }, { "tier", N_("set the tier") },    { "hop", N_("report up the chain") },
		{ "status", N_("move the status") }, { "report", N_("file a report") }, { "note", N_("add a note") },
		{ "call", N_("call the org") },     { "log", N_("log it") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].id, action) == 0)
			return labels[i].label;
	return action;
}

const char *drill_kind_label(const char *kind)
{
	static const struct {
		const char *id, *label;
	} labels[] = {
		{ "incident", N_("new incident") }, { "tier", N_("tier change") },     { "call", N_("incoming call") },
		{ "zero-missing", N_("zero report missing") }, { "outage", N_("outage") }, { "advisory", N_("advisory") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].id, kind) == 0)
			return labels[i].label;
	return kind;
}

const char *drill_event_label(const char *kind)
{
	static const struct {
		const char *id, *label;
	} labels[] = {
		{ "drill.start", N_("drill started") },
		{ "drill.inject", N_("inject fired") },
		{ "drill.pause", N_("drill paused") },
		{ "drill.resume", N_("drill resumed") },
		{ "drill.shift", N_("injects shifted") },
		{ "drill.stop", N_("drill stopped") },
		{ "log.entry", N_("shift-log entry") },
		{ "incident.open", N_("incident opened") },
		{ "incident.status", N_("status moved") },
		{ "incident.tier", N_("tier set") },
		{ "incident.hop", N_("reported up the chain") },
		{ "incident.note", N_("note added") },
		{ "incident.report", N_("report filed") },
		{ "incident.duplicate", N_("marked a duplicate") },
		{ "incident.summary", N_("summary written") },
		{ "handover.submit", N_("handover submitted") },
		{ "handover.accept", N_("handover accepted") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].id, kind) == 0)
			return labels[i].label;
	return kind;
}

const char *drill_actor_label(const char *actor)
{
	return strcmp(actor, DD_DRILL_CONTROL) == 0 ? _("Drill control") : actor;
}

void drill_window_format(int64_t ms, char *buf, size_t n)
{
	long long s = (long long)(ms / 1000), h = s / 3600, m = s / 60 % 60;
	s %= 60;
	if (h && !m && !s)
		snprintf(buf, n, _("%lld h"), h);
	else if (h && !s)
		snprintf(buf, n, _("%lld h %lld min"), h, m);
	else if (h)
		snprintf(buf, n, _("%lld h %lld min %lld s"), h, m, s);
	else if (m && !s)
		snprintf(buf, n, _("%lld min"), m);
	else if (m)
		snprintf(buf, n, _("%lld min %lld s"), m, s);
	else
		snprintf(buf, n, _("%lld s"), s);
}

int64_t drill_windows_close(const struct dd_drill_inject *all, int n)
{
	int64_t close = 0;
	for (int i = 0; i < n; i++) {
		if (!all[i].fired_ms)
			return -1;
		if (all[i].fired_clock_ms + all[i].in.within_ms > close)
			close = all[i].fired_clock_ms + all[i].in.within_ms;
	}
	return close;
}

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

int64_t drill_offset_parse(const char *s)
{
	if (strncmp(s, "T+", 2) == 0)
		s += 2;
	long part[3];
	int n = 0;
	const char *p = s;
	while (n < 3) {
		if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
			return -1;
		part[n++] = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p != ':')
			break;
		p++;
	}
	if (*p || n < 2 || part[n - 1] > 59 || (n == 3 && part[1] > 59))
		return -1;
	int64_t secs = n == 3 ? part[0] * 3600 + part[1] * 60 + part[2] : part[0] * 60 + part[1];
	return secs * 1000;
}

void drill_offset_format(int64_t ms, char *buf, size_t n)
{
	const char *sign = ms < 0 ? "-" : "+";
	int64_t s = (ms < 0 ? -ms : ms) / 1000;
	if (s >= 3600)
		snprintf(buf, n, "T%s%02lld:%02lld:%02lld", sign, (long long)(s / 3600), (long long)(s / 60 % 60),
			 (long long)(s % 60));
	else
		snprintf(buf, n, "T%s%02lld:%02lld", sign, (long long)(s / 60), (long long)(s % 60));
}

/* ---- scenario files ------------------------------------------------ */

struct loader {
	const char *path;
	struct dd_store *st;
	struct dd_error *err;
};

__attribute__((format(printf, 3, 4)))
static int bad(struct loader *l, const config_setting_t *s, const char *fmt, ...)
{
	int line = s ? (int)config_setting_source_line(s) : 0;
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (!line)
		return dd_fail(l->err, DD_ECONFIG, "%s: %s", l->path, why);
	return dd_fail(l->err, DD_ECONFIG, "%s:%d: %s", l->path, line, why);
}

/* A required (or optional, left "") string setting of group. */
static int text_of(struct loader *l, const config_setting_t *group, const char *name, char *dst, size_t cap,
		   bool required)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	dst[0] = 0;
	if (!s)
		return required ? bad(l, group, "'%s' is missing", name) : 0;
	const char *v = config_setting_get_string(s);
	if (!v)
		return bad(l, s, "'%s' must be a string", name);
	if (!*v && required)
		return bad(l, s, "'%s' is empty", name);
	if (strlen(v) >= cap)
		return bad(l, s, "'%s' is too long", name);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int org_known(struct loader *l, const config_setting_t *s, const char *org)
{
	if (!org_id_valid(org))
		return bad(l, s, "org \"%s\" is not an org id such as cq.yubei", org);
	if (!l->st)
		return 0;
	struct dd_org o;
	struct dd_error e;
	int rc = store_org_get(l->st, org, &o, &e);
	if (rc == DD_ENOTFOUND)
		return bad(l, s, "unknown org \"%s\" (not in the org tree; see `dutydesk org list`)", org);
	if (rc)
		return dd_fail(l->err, rc, "%s", e.msg);
	return 0;
}

static int load_inject(struct loader *l, const config_setting_t *g, struct dd_scenario *sc, int i)
{
	struct dd_inject *in = &sc->injects[i];
	char at[32], within[32];
	int rc;
	if (!config_setting_is_group(g))
		return bad(l, g, "each inject must be a group { id = …; at = …; … }");
	if ((rc = text_of(l, g, "id", in->id, sizeof in->id, true)) || (rc = text_of(l, g, "at", at, sizeof at, true)) ||
	    (rc = text_of(l, g, "kind", in->kind, sizeof in->kind, true)) ||
	    (rc = text_of(l, g, "org", in->org, sizeof in->org, true)) ||
	    (rc = text_of(l, g, "text", in->text, sizeof in->text, true)) ||
	    (rc = text_of(l, g, "title", in->title, sizeof in->title, false)))
		return rc;
	const config_setting_t *e = config_setting_get_member(g, "expect");
	if (!e || !config_setting_is_group(e))
		return bad(l, e ? e : g, "inject '%s': 'expect' must be a group { action = …; within = \"mm:ss\"; }", in->id);
	if ((rc = text_of(l, e, "action", in->expect, sizeof in->expect, true)) ||
	    (rc = text_of(l, e, "within", within, sizeof within, true)))
		return rc;
	for (int j = 0; j < i; j++)
		if (strcmp(sc->injects[j].id, in->id) == 0)
			return bad(l, config_setting_get_member(g, "id"), "inject id '%s' is used twice", in->id);
	const config_setting_t *s_at = config_setting_get_member(g, "at");
	if ((in->at_ms = drill_offset_parse(at)) < 0 || in->at_ms > DD_DRILL_SPAN_MAX_MS)
		return bad(l, s_at, "'at' is \"%s\": expected T+mm:ss or T+hh:mm:ss within a day", at);
	if (i > 0 && in->at_ms < sc->injects[i - 1].at_ms)
		return bad(l, s_at, "inject '%s' at %s comes before the inject above it; list injects in time order",
			   in->id, at);
	if ((in->within_ms = drill_offset_parse(within)) <= 0)
		return bad(l, config_setting_get_member(e, "within"), "'within' is \"%s\": expected mm:ss after the "
			   "inject, more than zero", within);
	if (!in_list(dd_inject_kinds, in->kind))
		return bad(l, config_setting_get_member(g, "kind"), "unknown inject kind \"%s\" (use incident, tier, "
			   "call, zero-missing, outage or advisory)", in->kind);
	if (!in_list(dd_drill_actions, in->expect))
		return bad(l, config_setting_get_member(e, "action"), "unknown expected action \"%s\" (use open, tier, "
			   "hop, status, report, note, call or log)", in->expect);
	if ((rc = org_known(l, config_setting_get_member(g, "org"), in->org)))
		return rc;
	if (strcmp(in->kind, "incident") == 0) {
		if ((rc = text_of(l, g, "category", in->category, sizeof in->category, true)))
			return rc;
		if (!in_list(dd_incident_categories, in->category))
			return bad(l, config_setting_get_member(g, "category"), "unknown category \"%s\"", in->category);
	}
	if (strcmp(in->kind, "tier") == 0) {
		if ((rc = text_of(l, g, "incident", in->incident, sizeof in->incident, true)) ||
		    (rc = text_of(l, g, "tier", in->tier, sizeof in->tier, true)))
			return rc;
		if (tier_parse(in->tier) <= 0)
			return bad(l, config_setting_get_member(g, "tier"), "unknown tier \"%s\" (IV, III, II or I)", in->tier);
		snprintf(in->tier, sizeof in->tier, "%s", tier_id(tier_parse(in->tier)));
		bool found = false;
		for (int j = 0; j < i; j++)
			found |= strcmp(sc->injects[j].id, in->incident) == 0 && strcmp(sc->injects[j].kind, "incident") == 0;
		if (!found)
			return bad(l, config_setting_get_member(g, "incident"), "'incident' must name an earlier "
				   "incident inject; \"%s\" is none", in->incident);
	}
	return 0;
}

int drill_scenario_load(const char *path, struct dd_store *st, struct dd_scenario *sc, struct dd_error *err)
{
	memset(sc, 0, sizeof *sc);
	snprintf(sc->path, sizeof sc->path, "%s", path);
	config_t cf;
	config_init(&cf);
	struct loader l = { path, st, err };
	int rc = 0;
	if (!config_read_file(&cf, path)) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			rc = dd_fail(err, DD_ENOTFOUND, "%s: cannot read the scenario file", path);
		else
			rc = dd_fail(err, DD_ECONFIG, "%s:%d: %s", path, config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		return rc;
	}
	const config_setting_t *root = config_root_setting(&cf);
	const config_setting_t *orgs = config_setting_get_member(root, "orgs");
	const config_setting_t *injects = config_setting_get_member(root, "injects");
	if ((rc = text_of(&l, root, "name", sc->name, sizeof sc->name, true)) ||
	    (rc = text_of(&l, root, "description", sc->description, sizeof sc->description, true)) ||
	    (rc = text_of(&l, root, "tier", sc->tier, sizeof sc->tier, true)))
		goto out;
	if (tier_parse(sc->tier) <= 0) {
		rc = bad(&l, config_setting_get_member(root, "tier"), "unknown tier \"%s\" (IV, III, II or I)", sc->tier);
		goto out;
	}
	snprintf(sc->tier, sizeof sc->tier, "%s", tier_id(tier_parse(sc->tier)));
	if (!orgs || !config_setting_is_array(orgs) || config_setting_length(orgs) == 0 ||
	    config_setting_length(orgs) > DD_DRILL_ORGS_MAX) {
		rc = bad(&l, orgs, "'orgs' must be an array of 1 to 8 participating org ids [ \"cq.yubei\", … ]");
		goto out;
	}
	sc->n_orgs = config_setting_length(orgs);
	for (int i = 0; i < sc->n_orgs; i++) {
		const char *o = config_setting_get_string_elem(orgs, i);
		if (!o || strlen(o) >= sizeof sc->orgs[i]) {
			rc = bad(&l, orgs, "'orgs' must hold org ids");
			goto out;
		}
		if ((rc = org_known(&l, orgs, o)))
			goto out;
		memcpy(sc->orgs[i], o, strlen(o) + 1);
	}
	if (!injects || !config_setting_is_list(injects) || config_setting_length(injects) == 0 ||
	    config_setting_length(injects) > DD_DRILL_INJECTS_MAX) {
		rc = bad(&l, injects, "'injects' must be a list ( { … }, … ) of 1 to 64 injects");
		goto out;
	}
	sc->n_injects = config_setting_length(injects);
	for (int i = 0; i < sc->n_injects && rc == 0; i++)
		rc = load_inject(&l, config_setting_get_elem(injects, (unsigned)i), sc, i);
out:
	config_destroy(&cf);
	return rc;
}

json_t *drill_injects_to_json(const struct dd_scenario *sc)
{
	json_t *arr = json_array();
	for (int i = 0; i < sc->n_injects; i++) {
		const struct dd_inject *in = &sc->injects[i];
		json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I}", "id", in->id, "at_ms", (json_int_t)in->at_ms,
				      "kind", in->kind, "org", in->org, "text", in->text, "expect", in->expect,
				      "within_ms", (json_int_t)in->within_ms);
		if (in->title[0])
			json_object_set_new(o, "title", json_string(in->title));
		if (in->category[0])
			json_object_set_new(o, "category", json_string(in->category));
		if (in->incident[0]) {
			json_object_set_new(o, "incident", json_string(in->incident));
			json_object_set_new(o, "tier", json_string(in->tier));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static int copy_str(const json_t *o, const char *name, char *dst, size_t cap, bool required, size_t i,
		    struct dd_error *err)
{
	const json_t *v = json_object_get(o, name);
	dst[0] = 0;
	if (!v && !required)
		return 0;
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) >= cap || strlen(s) != json_string_length(v))
		return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: '%s' must be text of 1 to %zu bytes", i, name,
			       cap - 1);
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

int drill_injects_from_json(const json_t *arr, struct dd_inject *out, int *n, struct dd_error *err)
{
	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > DD_DRILL_INJECTS_MAX)
		return dd_fail(err, DD_EINVAL, "body field 'injects': must be an array of 1 to %d injects",
			       DD_DRILL_INJECTS_MAX);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *o = json_array_get(arr, i);
		struct dd_inject *in = &out[i];
		memset(in, 0, sizeof *in);
		int rc;
		if (!json_is_object(o))
			return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: must be an object", i);
		if ((rc = copy_str(o, "id", in->id, sizeof in->id, true, i, err)) ||
		    (rc = copy_str(o, "kind", in->kind, sizeof in->kind, true, i, err)) ||
		    (rc = copy_str(o, "org", in->org, sizeof in->org, true, i, err)) ||
		    (rc = copy_str(o, "text", in->text, sizeof in->text, true, i, err)) ||
		    (rc = copy_str(o, "expect", in->expect, sizeof in->expect, true, i, err)) ||
		    (rc = copy_str(o, "title", in->title, sizeof in->title, false, i, err)) ||
		    (rc = copy_str(o, "category", in->category, sizeof in->category, false, i, err)) ||
		    (rc = copy_str(o, "incident", in->incident, sizeof in->incident, false, i, err)) ||
		    (rc = copy_str(o, "tier", in->tier, sizeof in->tier, false, i, err)))
			return rc;
		const json_t *at = json_object_get(o, "at_ms"), *within = json_object_get(o, "within_ms");
		if (!json_is_integer(at) || !json_is_integer(within))
			return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: at_ms and within_ms must be integers", i);
		in->at_ms = json_integer_value(at);
		in->within_ms = json_integer_value(within);
		if (in->at_ms < 0 || in->at_ms > DD_DRILL_SPAN_MAX_MS || in->within_ms <= 0 ||
		    in->within_ms > DD_DRILL_SPAN_MAX_MS || (i > 0 && in->at_ms < out[i - 1].at_ms))
			return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: times out of range or out of order", i);
		if (!in_list(dd_inject_kinds, in->kind) || !in_list(dd_drill_actions, in->expect) || !org_id_valid(in->org))
			return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: unknown kind, action or org", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(out[j].id, in->id) == 0)
				return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: id '%s' twice", i, in->id);
		if (strcmp(in->kind, "incident") == 0 && !in_list(dd_incident_categories, in->category))
			return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: an incident inject needs a category", i);
		if (strcmp(in->kind, "tier") == 0) {
			bool found = false;
			for (size_t j = 0; j < i; j++)
				found |= strcmp(out[j].id, in->incident) == 0 && strcmp(out[j].kind, "incident") == 0;
			if (!found || tier_parse(in->tier) <= 0)
				return dd_fail(err, DD_EINVAL, "body field 'injects'[%zu]: a tier inject needs an earlier "
					       "incident inject and a tier", i);
		}
		(*n)++;
	}
	return 0;
}

/* ---- running ------------------------------------------------------- */

int64_t drill_clock(const struct dd_drill_run *r, int64_t now_ms)
{
	int64_t end = r->ended_ms ? r->ended_ms : r->paused_ms ? r->paused_ms : now_ms;
	int64_t wall = end - r->started_ms - r->held_ms;
	return (wall < 0 ? 0 : wall) * (r->speed > 0 ? r->speed : 1);
}

int64_t drill_wall_at(const struct dd_drill_run *r, int64_t scenario_ms)
{
	int speed = r->speed > 0 ? r->speed : 1;
	return r->started_ms + r->held_ms + (scenario_ms + speed - 1) / speed;
}

static json_t *run_orgs(const struct dd_drill_run *r)
{
	json_t *arr = json_array();
	for (int i = 0; i < r->n_orgs; i++)
		json_array_append_new(arr, json_string(r->orgs[i]));
	return arr;
}

/* Every drill.* event carries the participating orgs, so the server
 * delivers the whole run, its end included, to each of them. */
static int append_run(const struct dd_drill_ctx *c, const char *kind, const char *subject, json_t *orgs, json_t *body,
		      struct dd_error *err)
{
	json_object_set_new(body, "v", json_integer(1));
	json_object_set_new(body, "orgs", orgs);
	struct dd_new_event ne = {
		.origin = c->cfg->origin, .actor = c->cfg->officer, .org = c->cfg->org, .kind = kind,
		.subject = subject, .drill = 1, .body = body, .at_ms = 0, .tz = c->cfg->timezone,
	};
	int rc = store_append_local(c->st, &ne, NULL, err);
	json_decref(body);
	return rc;
}

static int running(const struct dd_drill_ctx *c, struct dd_drill_run *r, struct dd_error *err)
{
	int rc = store_drill_current(c->st, r, err);
	return rc == DD_ENOTFOUND ? dd_fail(err, DD_EINVAL, "no drill is running (start one with `drill run`)") : rc;
}

int drill_start(const struct dd_drill_ctx *c, const struct dd_scenario *sc, int speed, char id[DD_UUID_LEN + 1],
		struct dd_error *err)
{
	if (speed < 1 || speed > DD_DRILL_SPEED_MAX)
		return dd_fail(err, DD_EINVAL, "speed must be from 1 to %d", DD_DRILL_SPEED_MAX);
	/* Checked and started under the write lock: two coordinators starting
	 * at once get one drill, not two. */
	int rc = store_batch_begin(c->st, err);
	if (rc)
		return rc;
	struct dd_drill_run r;
	rc = store_drill_current(c->st, &r, err);
	if (rc == 0)
		rc = dd_fail(err, DD_EINVAL, "drill \"%s\" is still running; stop it first (`drill stop`)", r.name);
	else if (rc == DD_ENOTFOUND)
		rc = 0;
	if (rc == 0) {
		const char *base = strrchr(sc->path, '/');
		json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o}", "name", sc->name, "description",
					 sc->description, "scenario", base ? base + 1 : sc->path, "tier", sc->tier, "speed",
					 speed, "injects", drill_injects_to_json(sc));
		uuid7_new(time_now_ms(), id);
		json_t *orgs = json_array();
		for (int i = 0; i < sc->n_orgs; i++)
			json_array_append_new(orgs, json_string(sc->orgs[i]));
		rc = append_run(c, "drill.start", id, orgs, body, err);
	}
	struct dd_error end_err;
	int end = store_batch_end(c->st, rc == 0, &end_err);
	if (rc == 0 && end)
		*err = end_err;
	return rc ? rc : end;
}

/* The inject's effect, written by drill control in drill mode. */
static int effect(const struct dd_drill_ctx *c, const struct dd_drill_inject *all, int n,
		  const struct dd_drill_inject *inj, char item[DD_UUID_LEN + 1], struct dd_error *err)
{
	struct dd_config ctl = *c->cfg;
	snprintf(ctl.officer, sizeof ctl.officer, "%s", DD_DRILL_CONTROL);
	const struct dd_inject *in = &inj->in;
	item[0] = 0;
	if (strcmp(in->kind, "incident") == 0) {
		struct dd_incident_new ni = { .title = in->text, .category = in->category, .reporting_org = in->org,
					      .description = in->text };
		return incident_open(c->st, &ctl, c->tiers, &ni, item, err);
	}
	if (strcmp(in->kind, "tier") == 0) {
		for (int i = 0; i < n; i++)
			if (strcmp(all[i].in.id, in->incident) == 0) {
				if (!all[i].item[0])
					return dd_fail(err, DD_EINVAL, "inject '%s' raises the incident of inject '%s', "
						       "which has not been fired yet", in->id, in->incident);
				snprintf(item, DD_UUID_LEN + 1, "%s", all[i].item);
				return incident_set_tier(c->st, &ctl, c->tiers, item, false, tier_parse(in->tier), in->text,
							 err);
			}
		return dd_fail(err, DD_EINVAL, "inject '%s' names no incident inject", in->id);
	}
	struct dd_event ev;
	int rc;
	if (strcmp(in->kind, "call") == 0) {
		struct dd_call_in ci = { .org = in->org, .result = "reached", .incoming = true, .note = in->text };
		rc = roster_call(c->st, &ctl, &ci, &ev, err);
	} else {
		/* The title says what happened, as the drill screen shows it;
		 * without one, the kind and the org. */
		char text[DD_DRILL_TEXT_MAX + 200];
		if (in->title[0])
			snprintf(text, sizeof text, "[%s] %s", in->title, in->text);
		else
			snprintf(text, sizeof text, "[%s %s] %s", in->kind, in->org, in->text);
		rc = shiftlog_add(c->st, &ctl, text, strlen(text), "note", 0, NULL, &ev, err);
	}
	if (rc == 0) {
		snprintf(item, DD_UUID_LEN + 1, "%s", ev.id);
		event_free(&ev);
	}
	return rc;
}

static int fire(const struct dd_drill_ctx *c, const struct dd_drill_run *r, struct dd_drill_inject *all, int n,
		struct dd_drill_inject *inj, bool manual, struct dd_error *err)
{
	int rc = store_batch_begin(c->st, err);
	if (rc)
		return rc;
	/* Re-read under the write lock: another terminal may have fired it
	 * (`drill fire` while `drill run` plays), and it fires once. */
	int again;
	char item[DD_UUID_LEN + 1] = "";
	if ((rc = store_drill_injects(c->st, r->id, all, DD_DRILL_INJECTS_MAX, &again, err)) == 0 && inj->fired_ms)
		rc = dd_fail(err, DD_EINVAL, "inject '%s' was already fired", inj->in.id);
	if (rc == 0) {
		bool was = store_set_drill(c->st, true);
		rc = effect(c, all, n, inj, item, err);
		store_set_drill(c->st, was);
	}
	if (rc == 0) {
		json_t *body = json_pack("{s:s, s:b}", "inject", inj->in.id, "manual", manual);
		if (item[0])
			json_object_set_new(body, "item", json_string(item));
		rc = append_run(c, "drill.inject", r->id, run_orgs(r), body, err);
	}
	struct dd_error end_err;
	int end = store_batch_end(c->st, rc == 0, &end_err);
	if (rc == 0 && end)
		*err = end_err;
	if (rc == 0 && end == 0)
		snprintf(inj->item, sizeof inj->item, "%s", item);
	return rc ? rc : end;
}

static int load_injects(const struct dd_drill_ctx *c, const struct dd_drill_run *r, struct dd_drill_inject **all,
			int *n, struct dd_error *err)
{
	*all = calloc(DD_DRILL_INJECTS_MAX, sizeof **all);
	if (!*all)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc = store_drill_injects(c->st, r->id, *all, DD_DRILL_INJECTS_MAX, n, err);
	if (rc) {
		free(*all);
		*all = NULL;
	}
	return rc;
}

int drill_fire(const struct dd_drill_ctx *c, const char *inject, bool manual, struct dd_error *err)
{
	struct dd_drill_run r;
	struct dd_drill_inject *all;
	int n, rc;
	if ((rc = running(c, &r, err)) || (rc = load_injects(c, &r, &all, &n, err)))
		return rc;
	rc = dd_fail(err, DD_ENOTFOUND, "drill \"%s\" has no inject '%s'", r.name, inject);
	for (int i = 0; i < n; i++) {
		if (strcmp(all[i].in.id, inject) != 0)
			continue;
		rc = all[i].fired_ms ? dd_fail(err, DD_EINVAL, "inject '%s' was already fired", inject)
				     : fire(c, &r, all, n, &all[i], manual, err);
		break;
	}
	free(all);
	return rc;
}

int drill_fire_due(const struct dd_drill_ctx *c, int64_t now_ms, int *fired, struct dd_error *err)
{
	struct dd_drill_run r;
	struct dd_drill_inject *all;
	int n, rc;
	*fired = 0;
	if ((rc = running(c, &r, err)) || (rc = load_injects(c, &r, &all, &n, err)))
		return rc;
	int64_t t = drill_clock(&r, now_ms);
	for (int i = 0; i < n && rc == 0 && !r.paused_ms; i++)
		if (!all[i].fired_ms && all[i].due_ms <= t && (rc = fire(c, &r, all, n, &all[i], false, err)) == 0)
			(*fired)++;
	free(all);
	return rc;
}

int drill_pause(const struct dd_drill_ctx *c, struct dd_error *err)
{
	struct dd_drill_run r;
	int rc = running(c, &r, err);
	if (rc)
		return rc;
	if (r.paused_ms)
		return dd_fail(err, DD_EINVAL, "drill \"%s\" is already paused", r.name);
	return append_run(c, "drill.pause", r.id, run_orgs(&r), json_object(), err);
}

int drill_resume(const struct dd_drill_ctx *c, struct dd_error *err)
{
	struct dd_drill_run r;
	int rc = running(c, &r, err);
	if (rc)
		return rc;
	if (!r.paused_ms)
		return dd_fail(err, DD_EINVAL, "drill \"%s\" is not paused", r.name);
	return append_run(c, "drill.resume", r.id, run_orgs(&r), json_object(), err);
}

int drill_shift(const struct dd_drill_ctx *c, int64_t by_ms, struct dd_error *err)
{
	struct dd_drill_run r;
	int rc = running(c, &r, err);
	if (rc)
		return rc;
	if (by_ms <= 0 || by_ms > DD_DRILL_SPAN_MAX_MS)
		return dd_fail(err, DD_EINVAL, "a shift moves pending injects later, by more than zero and at most a day");
	return append_run(c, "drill.shift", r.id, run_orgs(&r), json_pack("{s:I}", "by_ms", (json_int_t)by_ms),
			  err);
}

int drill_stop(const struct dd_drill_ctx *c, struct dd_error *err)
{
	struct dd_drill_run r;
	int rc = running(c, &r, err);
	return rc ? rc : append_run(c, "drill.stop", r.id, run_orgs(&r), json_object(), err);
}

/* ---- after-action report ------------------------------------------- */

int drill_report(struct dd_store *st, const char *run, int64_t now_ms, json_t **out, struct dd_error *err)
{
	struct dd_drill_run r;
	struct dd_drill_inject *all = calloc(DD_DRILL_INJECTS_MAX, sizeof *all);
	int n, rc;
	if (!all)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	if ((rc = store_drill_get(st, run, &r, err)) ||
	    (rc = store_drill_injects(st, run, all, DD_DRILL_INJECTS_MAX, &n, err))) {
		free(all);
		return rc;
	}
	/* Once the run ended its clock stands at the end, as the view's does. */
	int64_t clock = drill_clock(&r, r.ended_ms ? r.ended_ms : now_ms);
	json_t *injects = json_array(), *missed = json_array(), *pending = json_array();
	int answered = 0, in_time = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		const struct dd_drill_inject *d = &all[i];
		char at[32];
		drill_offset_format(d->in.at_ms, at, sizeof at);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", d->in.id, "at", at, "kind", d->in.kind,
				      "org", d->in.org, "text", d->in.text, "expect", d->in.expect, "within_s",
				      (json_int_t)(d->in.within_ms / 1000));
		json_object_set_new(o, "title", json_string(d->in.title));
		json_object_set_new(o, "fired", json_boolean(d->fired_ms != 0));
		struct dd_org org;
		struct dd_error oerr;
		if (store_org_get(st, d->in.org, &org, &oerr) == 0)
			json_object_set_new(o, "org_name", json_string(org.name));
		if (d->fired_ms) {
			int64_t at_ms, at_clock = 0;
			char actor[129];
			if ((rc = store_drill_response(st, d, r.ended_ms, &at_ms, actor, sizeof actor, err)) ||
			    (at_ms && (rc = store_drill_clock_at(st, &r, at_ms, &at_clock, err)))) {
				json_decref(o);
				break;
			}
			json_object_set_new(o, "manual", json_boolean(d->manual));
			/* Response times are in scenario time, as the expectation
			 * is: a pause between the inject and the answer counts not. */
			int64_t took = at_clock - d->fired_clock_ms;
			bool waiting = !at_ms && !r.ended_ms && clock <= d->fired_clock_ms + d->in.within_ms;
			if (at_ms) {
				json_object_set_new(o, "answered_by", json_string(actor));
				json_object_set_new(o, "took_s", json_integer((json_int_t)(took / 1000)));
				json_object_set_new(o, "late", json_boolean(took > d->in.within_ms));
				answered++;
				in_time += took <= d->in.within_ms;
			}
			json_object_set_new(o, "pending", json_boolean(waiting));
			if (waiting)
				json_array_append_new(pending, json_pack("{s:s, s:s, s:b}", "inject", d->in.id, "expect",
									 d->in.expect, "fired", 1));
			else if (!at_ms || took > d->in.within_ms)
				json_array_append_new(missed, json_pack("{s:s, s:s, s:b}", "inject", d->in.id, "expect",
									d->in.expect, "answered", at_ms != 0));
		} else {
			/* Not fired: nobody was asked yet, so nothing was missed. */
			json_object_set_new(o, "pending", json_boolean(!r.ended_ms));
			if (!r.ended_ms)
				json_array_append_new(pending, json_pack("{s:s, s:s, s:b}", "inject", d->in.id, "expect",
									 d->in.expect, "fired", 0));
		}
		json_array_append_new(injects, o);
	}
	free(all);
	json_t *timeline = json_array();
	if (rc || (rc = store_drill_timeline(st, &r, timeline, err))) {
		json_decref(injects);
		json_decref(missed);
		json_decref(pending);
		json_decref(timeline);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:b, s:i, s:i, s:i, s:o, s:o, s:o, s:o}", "id", r.id,
			 "name", r.name, "scenario", r.scenario, "tier", r.tier, "speed", r.speed, "started_ms",
			 (json_int_t)r.started_ms, "ended_ms", (json_int_t)r.ended_ms, "running", r.ended_ms == 0,
			 "injects_total", n, "answered", answered, "in_time", in_time, "injects", injects, "missed", missed,
			 "pending", pending, "timeline", timeline);
	return 0;
}
