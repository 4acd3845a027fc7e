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

int scope_check_write(enum role r, const char *org, const struct dd_event *ev, struct dd_error *err)
{
	if (!org_in_scope(ev->org, org))
		return dd_fail(err, DD_EINVAL, "org %s is outside this token's scope %s", ev->org, org);
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
