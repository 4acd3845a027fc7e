/*
 * test_scope.c — unit tests for server/scope.c: the write matrix (every
 * role against the org tree and against each kind's rule, the tier
 * confirmation above all) and the read scope of each role.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../server/scope.h"

/* An event with only what scope looks at: org, kind, body. */
static struct dd_event ev_of(const char *org, const char *kind, const char *field, const char *value)
{
	struct dd_event ev;
	event_init(&ev);
	snprintf(ev.org, sizeof ev.org, "%s", org);
	snprintf(ev.kind, sizeof ev.kind, "%s", kind);
	ev.body = json_object();
	if (field)
		json_object_set_new(ev.body, field, json_string(value));
	return ev;
}

static bool may(enum role r, const char *token_org, const char *org, const char *kind, const char *field,
		const char *value)
{
	struct dd_event ev = ev_of(org, kind, field, value);
	struct dd_error err;
	bool ok = scope_check_write(r, token_org, &ev, &err) == 0;
	event_free(&ev);
	return ok;
}

static void test_roles(void **state)
{
	(void)state;
	static const char *const names[] = { "city", "center", "district", "enterprise", "support" };
	for (int i = 0; i < ROLE_COUNT; i++) {
		enum role r;
		assert_int_equal(role_parse(names[i], &r), 0);
		assert_int_equal(r, i);
		assert_string_equal(role_name(r), names[i]);
	}
	enum role r;
	assert_int_not_equal(role_parse("admin", &r), 0);
	assert_int_not_equal(role_parse("City", &r), 0);
	assert_int_not_equal(role_parse("", &r), 0);
}

static void test_org_subtree(void **state)
{
	(void)state;
	assert_true(may(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "log.entry", NULL, NULL));
	assert_true(may(ROLE_DISTRICT, "cq.yubei", "cq.yubei.ent-1", "log.entry", NULL, NULL));
	assert_false(may(ROLE_DISTRICT, "cq.yubei", "cq.fuling", "log.entry", NULL, NULL));
	assert_false(may(ROLE_DISTRICT, "cq.yubei", "cq", "log.entry", NULL, NULL));
	/* A prefix of the text is not a subtree. */
	assert_false(may(ROLE_DISTRICT, "cq.yubei", "cq.yubei2", "log.entry", NULL, NULL));
	assert_false(may(ROLE_ENTERPRISE, "cq.yubei.ent-1", "cq.yubei.ent-10", "log.entry", NULL, NULL));
	assert_false(may(ROLE_ENTERPRISE, "cq.yubei.ent-1", "cq.yubei", "log.entry", NULL, NULL));
	assert_true(may(ROLE_CITY, "cq", "cq.fuling.ent-9", "log.entry", NULL, NULL));
	/* The centre writes for itself, not for the districts. */
	assert_false(may(ROLE_CENTER, "cq.center", "cq.yubei", "log.entry", NULL, NULL));
}

static void test_tier_confirmation(void **state)
{
	(void)state;
	const char *org = "cq.yubei.ent-1";
	assert_true(may(ROLE_CITY, "cq", org, "incident.tier", "action", "confirm"));
	assert_true(may(ROLE_CENTER, org, org, "incident.tier", "action", "confirm"));
	assert_true(may(ROLE_DISTRICT, "cq.yubei", org, "incident.tier", "action", "confirm"));
	assert_false(may(ROLE_ENTERPRISE, org, org, "incident.tier", "action", "confirm"));
	assert_false(may(ROLE_SUPPORT, org, org, "incident.tier", "action", "confirm"));
	/* Proposing is open to all. */
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_true(may((enum role)r, org, org, "incident.tier", "action", "propose"));

	struct dd_event ev = ev_of(org, "incident.tier", "action", "confirm");
	struct dd_error err;
	assert_int_equal(scope_check_write(ROLE_ENTERPRISE, org, &ev, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "enterprise may not write incident.tier"));
	event_free(&ev);
}

static void test_kind_rules(void **state)
{
	(void)state;
	const char *org = "cq.yubei.ent-1";
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_true(may((enum role)r, org, org, "log.entry", NULL, NULL));
		assert_true(may((enum role)r, org, org, "incident.open", NULL, NULL));
		assert_true(may((enum role)r, org, org, "incident.note", NULL, NULL));
		assert_true(may((enum role)r, org, org, "incident.report", NULL, NULL));
	}
	assert_true(may(ROLE_DISTRICT, org, org, "incident.duplicate", NULL, NULL));
	assert_false(may(ROLE_ENTERPRISE, org, org, "incident.duplicate", NULL, NULL));
	assert_true(may(ROLE_ENTERPRISE, org, org, "incident.status", "to", "responding"));
	assert_false(may(ROLE_ENTERPRISE, org, org, "incident.status", "to", "reviewed"));
	assert_true(may(ROLE_DISTRICT, org, org, "incident.status", "to", "reviewed"));
	assert_false(may(ROLE_SUPPORT, org, org, "incident.hop", NULL, NULL));
	/* A drill is the organising authority's; an enterprise takes part. */
	assert_true(may(ROLE_CITY, "cq", "cq", "drill.start", NULL, NULL));
	assert_true(may(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "drill.inject", NULL, NULL));
	assert_false(may(ROLE_ENTERPRISE, org, org, "drill.start", NULL, NULL));
	/* Periods are set at the top; every party reports for itself. */
	assert_true(may(ROLE_CENTER, "cq.center", "cq.center", "period.set", NULL, NULL));
	assert_false(may(ROLE_DISTRICT, org, org, "period.set", NULL, NULL));
	assert_true(may(ROLE_ENTERPRISE, org, org, "zero.report", NULL, NULL));
	assert_true(may(ROLE_DISTRICT, "cq.yubei", org, "zero.report", NULL, NULL));
	assert_false(may(ROLE_SUPPORT, org, org, "zero.report", NULL, NULL));
	assert_true(may(ROLE_ENTERPRISE, org, org, "freeze.warning", NULL, NULL));
	/* A kind nobody has decided on is nobody's to write. */
	struct dd_event ev = ev_of(org, "exercise.start", NULL, NULL);
	struct dd_error err;
	assert_int_equal(scope_check_write(ROLE_CITY, "cq", &ev, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "no write rule"));
	event_free(&ev);
}

static void test_read_scope(void **state)
{
	(void)state;
	assert_null(scope_read_prefix(ROLE_CITY, "cq"));
	assert_null(scope_read_prefix(ROLE_CENTER, "cq.center"));
	assert_string_equal(scope_read_prefix(ROLE_DISTRICT, "cq.yubei"), "cq.yubei");
	assert_string_equal(scope_read_prefix(ROLE_ENTERPRISE, "cq.yubei.ent-1"), "cq.yubei.ent-1");
	assert_string_equal(scope_read_prefix(ROLE_SUPPORT, "cq.support.lab"), "cq.support.lab");
}

/* An event whose body field names an org (or, field NULL, whose subject does). */
static struct dd_event named(const char *org, const char *kind, const char *field, const char *named_org)
{
	struct dd_event ev = ev_of(org, kind, field, named_org);
	if (!field)
		snprintf(ev.subject, sizeof ev.subject, "%s", named_org);
	return ev;
}

static bool may_name(enum role r, const char *token_org, const char *org, const char *kind, const char *field,
		     const char *named_org)
{
	struct dd_event ev = named(org, kind, field, named_org);
	struct dd_error err;
	bool ok = scope_check_write(r, token_org, &ev, &err) == 0;
	if (!ok && field)
		assert_non_null(strstr(err.msg, named_org));
	event_free(&ev);
	return ok;
}

static void test_body_org_in_write_scope(void **state)
{
	(void)state;
	/* Filed under the writer's own org, about another org: refused. */
	assert_true(may_name(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "liaison.set", "org", "cq.yubei.ent-1"));
	assert_false(may_name(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "liaison.set", "org", "cq.fuling.ent-2"));
	assert_false(may_name(ROLE_ENTERPRISE, "cq.yubei.ent-1", "cq.yubei.ent-1", "object.set", "org", "cq.yubei.ent-2"));
	assert_false(may_name(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "duty.shift", "org", "cq"));
	assert_false(may_name(ROLE_ENTERPRISE, "cq.yubei.ent-1", "cq.yubei.ent-1", "zero.report", "org", "cq.yubei"));
	/* org.set names its org as the subject. */
	assert_true(may_name(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "org.set", NULL, "cq.yubei.ent-9"));
	assert_false(may_name(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "org.set", NULL, "cq.fuling"));
	/* The commission keeps the external bodies too; nobody else does. */
	assert_true(may_name(ROLE_CITY, "cq", "ext.cac", "org.set", NULL, "ext.cac"));
	assert_false(may_name(ROLE_CENTER, "cq.center", "cq.center", "org.set", NULL, "ext.cac"));
	/* An advisory goes to the issuer's own subtree only. */
	assert_true(may_name(ROLE_DISTRICT, "cq.yubei", "cq.yubei", "advisory.issue", NULL, "x"));
	struct dd_event ev = ev_of("cq.yubei", "advisory.issue", NULL, NULL);
	json_object_set_new(ev.body, "to", json_pack("[s, s]", "cq.yubei.ent-1", "cq.fuling"));
	struct dd_error err;
	assert_int_equal(scope_check_write(ROLE_DISTRICT, "cq.yubei", &ev, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "names org cq.fuling"));
	assert_int_equal(scope_check_write(ROLE_CITY, "cq", &ev, &err), 0);
	event_free(&ev);
	assert_false(may(ROLE_ENTERPRISE, "cq.yubei.ent-1", "cq.yubei.ent-1", "advisory.issue", NULL, NULL));
	assert_true(may_name(ROLE_ENTERPRISE, "cq.yubei.ent-1", "cq.yubei.ent-1", "advisory.ack", "org", "cq.yubei.ent-1"));
}

struct seen {
	char orgs[4][64];
	bool subtree[4];
	int n;
};

static int collect(const char *org, bool subtree, void *ctx)
{
	struct seen *s = ctx;
	assert_true(s->n < 4);
	snprintf(s->orgs[s->n], sizeof s->orgs[s->n], "%s", org);
	s->subtree[s->n++] = subtree;
	return 0;
}

static void test_addressees(void **state)
{
	(void)state;
	struct seen s = { 0 };
	/* An advisory reaches each recipient's subtree. */
	struct dd_event ev = ev_of("cq", "advisory.issue", NULL, NULL);
	json_object_set_new(ev.body, "to", json_pack("[s, s]", "cq.yubei", "cq.fuling.ent-1"));
	assert_int_equal(scope_addressees(&ev, NULL, collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.orgs[0], "cq.yubei");
	assert_true(s.subtree[0]);
	assert_string_equal(s.orgs[1], "cq.fuling.ent-1");
	event_free(&ev);
	/* An incident's later events reach its reporting org, whoever writes. */
	s.n = 0;
	ev = ev_of("cq.center", "incident.hop", "hop", "district");
	assert_true(scope_about_incident(&ev));
	assert_null(scope_incident_opened(&ev));
	assert_int_equal(scope_addressees(&ev, "cq.yubei.ent-1", collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.orgs[0], "cq.yubei.ent-1");
	assert_false(s.subtree[0]);
	event_free(&ev);
	/* The open itself names it; free text names nobody. */
	ev = ev_of("cq", "incident.open", "reporting_org", "cq.yubei.ent-1");
	assert_false(scope_about_incident(&ev));
	assert_string_equal(scope_incident_opened(&ev), "cq.yubei.ent-1");
	event_free(&ev);
	ev = ev_of("cq.yubei.ent-1", "incident.open", "reporting_org", "某企业");
	assert_string_equal(scope_incident_opened(&ev), "cq.yubei.ent-1");
	s.n = 0;
	assert_int_equal(scope_addressees(&ev, NULL, collect, &s), 0);
	assert_int_equal(s.n, 0);
	event_free(&ev);
	/* A log entry is its own org's only. */
	ev = ev_of("cq", "log.entry", "text", "x");
	assert_int_equal(scope_addressees(&ev, NULL, collect, &s), 0);
	assert_int_equal(s.n, 0);
	event_free(&ev);
}

/* Every event of a drill run, its stop included, reaches each
 * participating org's subtree, so their banners come and go with it. */
static void test_drill_addressees(void **state)
{
	(void)state;
	static const char *const kinds[] = { "drill.start", "drill.inject", "drill.pause", "drill.resume",
					     "drill.shift", "drill.stop" };
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		struct seen s = { 0 };
		struct dd_event ev = ev_of("cq", kinds[k], NULL, NULL);
		json_object_set_new(ev.body, "orgs", json_pack("[s, s]", "cq.banan", "cq.banan.ent-77"));
		assert_int_equal(scope_addressees(&ev, NULL, collect, &s), 0);
		assert_int_equal(s.n, 2);
		assert_string_equal(s.orgs[0], "cq.banan");
		assert_true(s.subtree[0]);
		event_free(&ev);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_org_subtree),
		cmocka_unit_test(test_tier_confirmation),
		cmocka_unit_test(test_kind_rules),
		cmocka_unit_test(test_read_scope),
		cmocka_unit_test(test_body_org_in_write_scope),
		cmocka_unit_test(test_addressees),
		cmocka_unit_test(test_drill_addressees),
	};
	return cmocka_run_group_tests_name("scope", tests, NULL, NULL);
}
