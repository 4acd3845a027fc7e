/*
 * scope.c — the write and read scope rules (see scope.h).
 *
 * The table below is the only place a role is tied to a kind.  Rules are
 * tried in order and the first that matches decides, so a rule naming a
 * body field and value (incident.tier with action "confirm") comes before
 * the general rule for its kind.
 */
#include <string.h>

#include "scope.h"

#define R(x) (1u << (x))
#define AUTHORITIES (R(ROLE_CITY) | R(ROLE_CENTER) | R(ROLE_DISTRICT))
#define PARTIES (AUTHORITIES | R(ROLE_ENTERPRISE))   /* those an incident is about */
#define EVERYONE (PARTIES | R(ROLE_SUPPORT))

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_CITY] = "city",
	[ROLE_CENTER] = "center",
	[ROLE_DISTRICT] = "district",
	[ROLE_ENTERPRISE] = "enterprise",
	[ROLE_SUPPORT] = "support",
};

static const struct write_rule {
	const char *kind;
	const char *field;    /* a body field to match, or NULL: any body */
	const char *value;
	unsigned roles;
} rules[] = {
	/* A support body (技术支撑机构) logs, notes and reports what it found;
	 * it does not move an incident along the chain. */
	{ "log.entry", NULL, NULL, EVERYONE },
	/* An enterprise reports its own incidents (seed art. 17). */
	{ "incident.open", NULL, NULL, EVERYONE },
	/* Anyone may propose a tier; confirming one is for the authority
	 * that leads at that tier, never the reporting enterprise. */
	{ "incident.tier", "action", "confirm", AUTHORITIES },
	{ "incident.tier", NULL, NULL, EVERYONE },
	/* Reviewing the summary closes the file: the authority's act. */
	{ "incident.status", "to", "reviewed", AUTHORITIES },
	{ "incident.status", NULL, NULL, PARTIES },
	{ "incident.hop", NULL, NULL, PARTIES },
	{ "incident.note", NULL, NULL, EVERYONE },
	{ "incident.report", NULL, NULL, EVERYONE },
	{ "incident.duplicate", NULL, NULL, AUTHORITIES },
	{ "incident.summary", NULL, NULL, PARTIES },
	/* The org tree and the importance of a protected object are the
	 * authorities' to keep; each party keeps its own liaisons (联络员机制)
	 * and protected objects, and every desk its duty schedule. */
	{ "org.set", NULL, NULL, AUTHORITIES },
	{ "liaison.set", NULL, NULL, PARTIES },
	{ "object.set", NULL, NULL, PARTIES },
	{ "object.assess", NULL, NULL, AUTHORITIES },
	{ "duty.shift", NULL, NULL, EVERYONE },
	/* Every desk hands over its own shifts (交接班); the envelope's org
	 * is the desk, so its scope is the writer's own. */
	{ "handover.submit", NULL, NULL, EVERYONE },
	{ "handover.accept", NULL, NULL, EVERYONE },
	/* Protection periods are the commission's and the centre's to set
	 * (seed art. 22); each party sends its own zero reports, and the
	 * freeze warning goes with the object change that raised it. */
	{ "period.set", NULL, NULL, R(ROLE_CITY) | R(ROLE_CENTER) },
	{ "zero.report", NULL, NULL, PARTIES },
	{ "freeze.warning", NULL, NULL, PARTIES },
	/* Advisories (预警通报) go from the authorities down; each recipient
	 * acknowledges and reports its own self-inspection. */
	{ "advisory.issue", NULL, NULL, AUTHORITIES },
	{ "advisory.ack", NULL, NULL, PARTIES },
	{ "advisory.report", NULL, NULL, PARTIES },
	/* Drills are run by the authorities that organise them (seed art.
	 * 31); every console in scope sees them, none may start one for an
	 * enterprise.  The store keeps them off real items whoever writes. */
	{ "drill.start", NULL, NULL, AUTHORITIES },
	{ "drill.inject", NULL, NULL, AUTHORITIES },
	{ "drill.pause", NULL, NULL, AUTHORITIES },
	{ "drill.resume", NULL, NULL, AUTHORITIES },
	{ "drill.shift", NULL, NULL, AUTHORITIES },
	{ "drill.stop", NULL, NULL, AUTHORITIES },
};

int role_parse(const char *name, enum role *out)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (strcmp(role_names[r], name) == 0) {
			*out = (enum role)r;
			return 0;
		}
	return DD_EINVAL;
}

const char *role_name(enum role r)
{
	return r < ROLE_COUNT ? role_names[r] : "?";
}

const char *scope_read_prefix(enum role r, const char *org)
{
	return r == ROLE_CITY || r == ROLE_CENTER ? NULL : org;
}

static bool rule_matches(const struct write_rule *rule, const struct dd_event *ev)
{
	if (strcmp(rule->kind, ev->kind) != 0)
		return false;
	if (!rule->field)
		return true;
	const char *v = json_string_value(json_object_get(ev->body, rule->field));
	return v && strcmp(v, rule->value) == 0;
}

/* Orgs an event names in its body besides its envelope org: the org a
 * roster entry, report or answer is about, and the recipients of an
 * advisory, a protection period or a drill.  A "to" field (subtree)
 * addresses each org and everything under it, as advisory_to does on
 * the console; an "about" field names one org.  Both decide what a
 * writer may name (inside its own subtree) and who else reads the event.
 * field NULL is the subject (org.set: the org being set). */
static const struct addressee {
	const char *kind;
	const char *field;
	bool subtree;
} addressees[] = {
	{ "org.set", NULL, false },
	{ "liaison.set", "org", false },
	{ "object.set", "org", false },
	{ "duty.shift", "org", false },
	{ "zero.report", "org", false },
	{ "freeze.warning", "org", false },
	{ "advisory.issue", "to", true },
	{ "advisory.ack", "org", false },
	{ "advisory.report", "org", false },
	{ "handover.submit", "org", false },
	{ "period.set", "scope", true },
	{ "drill.start", "orgs", true },
	{ "drill.inject", "orgs", true },
	{ "drill.pause", "orgs", true },
	{ "drill.resume", "orgs", true },
	{ "drill.shift", "orgs", true },
	{ "drill.stop", "orgs", true },
	/* Free text or an org id: only an org id addresses anyone. */
	{ "incident.open", "reporting_org", false },
};

static int each_named(const struct dd_event *ev, scope_addressee_cb cb, void *ctx)
{
	for (size_t i = 0; i < sizeof addressees / sizeof addressees[0]; i++) {
		const struct addressee *a = &addressees[i];
		if (strcmp(a->kind, ev->kind) != 0)
			continue;
		json_t *v = a->field ? json_object_get(ev->body, a->field) : NULL;
		const char *one = a->field ? json_string_value(v) : ev->subject;
		if (one) {
			int rc = org_id_valid(one) ? cb(one, a->subtree, ctx) : 0;
			if (rc)
				return rc;
		}
		size_t j;
		json_t *item;
		json_array_foreach(v, j, item) {
			const char *name = json_string_value(item);
			int rc = name && org_id_valid(name) ? cb(name, a->subtree, ctx) : 0;
			if (rc)
				return rc;
		}
	}
	return 0;
}

bool scope_about_incident(const struct dd_event *ev)
{
	return strncmp(ev->kind, "incident.", 9) == 0 && strcmp(ev->kind, "incident.open") != 0;
}

const char *scope_incident_opened(const struct dd_event *ev)
{
	if (strcmp(ev->kind, "incident.open") != 0)
		return NULL;
	const char *rep = json_string_value(json_object_get(ev->body, "reporting_org"));
	return rep && org_id_valid(rep) ? rep : ev->org;
}

int scope_addressees(const struct dd_event *ev, const char *incident_org, scope_addressee_cb cb, void *ctx)
{
	if (incident_org && scope_about_incident(ev) && org_id_valid(incident_org)) {
		int rc = cb(incident_org, false, ctx);
		if (rc)
			return rc;
	}
	return each_named(ev, cb, ctx);
}

/* The commission keeps the whole org tree, the external bodies of the
 * escalation chain (ext.…, outside cq) included; every other role writes
 * inside its own org's subtree. */
static bool may_write_for(enum role r, const char *token_org, const char *org)
{
	return r == ROLE_CITY || org_in_scope(org, token_org);
}

struct named_check {
	enum role role;
	const char *scope;
	const char *outside;   /* the first named org outside scope */
};

static int check_named(const char *org, bool subtree, void *ctx)
{
	(void)subtree;
	struct named_check *c = ctx;
	if (may_write_for(c->role, c->scope, org))
		return 0;
	c->outside = org;
	return 1;
}

int scope_check_write(enum role r, const char *org, const struct dd_event *ev, struct dd_error *err)
{
	if (!may_write_for(r, org, ev->org))
		return dd_fail(err, DD_EINVAL, "org %s is outside this token's scope %s", ev->org, org);
	/* A roster entry filed under the writer's own org but about another
	 * org would change that org's roster on every console. */
	struct named_check named = { .role = r, .scope = org };
	if (each_named(ev, check_named, &named))
		return dd_fail(err, DD_EINVAL, "%s names org %s, which is outside this token's scope %s", ev->kind,
			       named.outside, org);
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (!rule_matches(&rules[i], ev))
			continue;
		if (rules[i].roles & R(r))
			return 0;
		if (rules[i].field)
			return dd_fail(err, DD_EINVAL, "role %s may not write %s with %s \"%s\"", role_name(r), ev->kind,
				       rules[i].field, rules[i].value);
		return dd_fail(err, DD_EINVAL, "role %s may not write %s", role_name(r), ev->kind);
	}
	return dd_fail(err, DD_EINVAL, "kind %s has no write rule on this server", ev->kind);
}
