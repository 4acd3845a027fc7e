/*
 * test_advisory.c — unit tests for advisories (预警通报): who may issue
 * and to whom (a district office only inside its district), recipients
 * resolved from org subtrees without the issuer, acknowledgement before
 * report, refusals that store nothing, progress (acked / reported /
 * overdue) at a chosen instant, a later report superseding an earlier,
 * and rebuild equals incremental.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/advisory.h"
#include "dutydesk/config.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"
#include "dutydesk/timefmt.h"
#include "orgtree.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

static int setup(void **state)
{
	return orgtree_setup(state, "advisory");
}

#define teardown orgtree_teardown

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void issue(struct fx *fx, const char *to, int64_t deadline, char id[DD_UUID_LEN + 1])
{
	const char *list[] = { to };
	struct dd_advisory_in in = { .title = "某PLC高危漏洞", .level = "红", .products = "CVE-2026-0001",
				     .action = "立即自查", .deadline_ms = deadline, .to = list, .n_to = 1 };
	struct dd_error err;
	if (advisory_issue(fx->st, &fx->cfg, &in, id, &err))
		fail_msg("advisory_issue: %s", err.msg);
}

static void who_issues_to_whom(void **state)
{
	struct fx *fx = *state;
	const char *yubei[] = { "cq.yubei" }, *jiangbei[] = { "cq.jiangbei.ent-1" };
	struct dd_advisory_in in = { .title = "t", .level = "orange", .action = "a",
				     .deadline_ms = time_now_ms() + DAY_MS, .to = yubei, .n_to = 1 };
	char id[DD_UUID_LEN + 1];
	struct dd_error err;
	int64_t before = store_event_count(fx->st);
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.yubei.ent-1");
	assert_false(advisory_may_issue(fx->st, &fx->cfg));
	assert_int_equal(advisory_issue(fx->st, &fx->cfg, &in, id, &err), DD_EINVAL);
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.yubei");
	in.to = jiangbei;
	assert_int_equal(advisory_issue(fx->st, &fx->cfg, &in, id, &err), DD_EINVAL);
	in.to = yubei;
	in.level = "purple";
	assert_int_equal(advisory_issue(fx->st, &fx->cfg, &in, id, &err), DD_EINVAL);
	in.level = "橙色";
	in.deadline_ms = time_now_ms() - MIN_MS;
	assert_int_equal(advisory_issue(fx->st, &fx->cfg, &in, id, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);
	in.deadline_ms = time_now_ms() + DAY_MS;
	assert_int_equal(advisory_issue(fx->st, &fx->cfg, &in, id, &err), 0);
	struct dd_advisory a;
	assert_int_equal(store_advisory_get(fx->st, id, time_now_ms(), &a, &err), 0);
	assert_string_equal(a.level, "orange");
	assert_string_equal(a.issuer, "cq.yubei");
	assert_int_equal(a.recipients, 2);   /* the two enterprises, not the issuer */
}

static void ack_then_report_and_progress(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	int64_t deadline = time_now_ms() + DAY_MS;
	issue(fx, "cq.yubei", deadline, id);
	struct dd_error err;
	int64_t before = store_event_count(fx->st);
	assert_int_equal(advisory_ack(fx->st, &fx->cfg, id, "cq.jiangbei.ent-1", &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "not a recipient"));
	assert_int_equal(advisory_report(fx->st, &fx->cfg, id, "cq.yubei.ent-1", false, "无", 0, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);
	assert_int_equal(advisory_ack(fx->st, &fx->cfg, id, "cq.yubei.ent-1", &err), 0);
	assert_int_equal(advisory_ack(fx->st, &fx->cfg, id, "cq.yubei.ent-1", &err), DD_EINVAL);
	assert_int_equal(advisory_ack(fx->st, &fx->cfg, id, "cq.yubei", &err), 0);
	assert_int_equal(advisory_report(fx->st, &fx->cfg, id, "cq.yubei.ent-1", true, "已升级固件", 0, &err), 0);

	struct dd_advisory a;
	assert_int_equal(store_advisory_get(fx->st, id, time_now_ms(), &a, &err), 0);
	assert_int_equal(a.recipients, 3);
	assert_int_equal(a.acked, 2);
	assert_int_equal(a.reported, 1);
	assert_int_equal(a.overdue, 0);
	/* After the deadline, everyone who has not reported is overdue. */
	assert_int_equal(store_advisory_get(fx->st, id, deadline + 1, &a, &err), 0);
	assert_int_equal(a.overdue, 2);

	/* A later report supersedes. */
	assert_int_equal(advisory_report(fx->st, &fx->cfg, id, "cq.yubei.ent-1", false, "复核：未受影响", 0, &err), 0);
	struct dd_advisory_answer w;
	assert_int_equal(store_advisory_answer(fx->st, id, "cq.yubei.ent-1", &w, &err), 0);
	assert_false(w.affected);
	assert_string_equal(w.measures, "复核：未受影响");
	assert_true(w.acked_ms > 0);

	/* A district desk answers only inside its district. */
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.jiangbei");
	assert_int_equal(advisory_ack(fx->st, &fx->cfg, id, "cq.yubei.ent-2", &err), DD_EINVAL);

	char x[DD_HASH_HEX + 1], y[DD_HASH_HEX + 1];
	assert_int_equal(store_digest(fx->st, x, &err), 0);
	assert_int_equal(store_rebuild(fx->st, &err), 0);
	assert_int_equal(store_digest(fx->st, y, &err), 0);
	assert_string_equal(x, y);
}

static int count(const struct dd_advisory *a, void *ctx)
{
	(void)a;
	(*(int *)ctx)++;
	return 0;
}

static void list_by_viewer(void **state)
{
	struct fx *fx = *state;
	char id[DD_UUID_LEN + 1];
	issue(fx, "cq.yubei", time_now_ms() + DAY_MS, id);
	issue(fx, "cq.jiangbei.ent-1", time_now_ms() + DAY_MS, id);
	struct dd_error err;
	int n = 0;
	assert_int_equal(store_advisory_scan(fx->st, "", time_now_ms(), count, &n, &err), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(store_advisory_scan(fx->st, "cq.yubei.ent-2", time_now_ms(), count, &n, &err), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_advisory_scan(fx->st, "cq.jiangbei", time_now_ms(), count, &n, &err), 0);
	assert_int_equal(n, 1);
	char full[DD_UUID_LEN + 1];
	assert_int_equal(store_advisory_resolve(fx->st, id + 28, full, &err), 0);
	assert_string_equal(full, id);
	assert_string_equal(advisory_level_label("red"), "红色");
	assert_string_equal(advisory_level_parse("蓝"), "blue");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(who_issues_to_whom),
		TEST(ack_then_report_and_progress),
		TEST(list_by_viewer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
