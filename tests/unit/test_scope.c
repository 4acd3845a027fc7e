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
	/* A kind nobody has decided on is nobody's to write. */
	struct dd_event ev = ev_of(org, "drill.start", NULL, NULL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_org_subtree),
		cmocka_unit_test(test_tier_confirmation),
		cmocka_unit_test(test_kind_rules),
		cmocka_unit_test(test_read_scope),
	};
	return cmocka_run_group_tests_name("scope", tests, NULL, NULL);
}
