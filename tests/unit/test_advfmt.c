/*
 * test_advfmt.c — unit tests for views/advfmt.c: what a desk owes on an
 * advisory, the list order (what must be answered first), when a
 * deadline is marked overdue, the filter, the answers' order and state,
 * and the keys of the advisories view.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dutydesk/advfmt.h"
#include "dutydesk/keys.h"

static int group_setup(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

static void own_state_follows_the_answer(void **state)
{
	(void)state;
	struct dd_advisory_answer a;
	memset(&a, 0, sizeof a);
	assert_int_equal(advfmt_own_state(false, &a), ADVFMT_NOT_RECIPIENT);
	assert_int_equal(advfmt_own_state(true, &a), ADVFMT_TO_ACK);
	a.acked_ms = 1000;
	assert_int_equal(advfmt_own_state(true, &a), ADVFMT_TO_REPORT);
	a.reported_ms = 2000;
	assert_int_equal(advfmt_own_state(true, &a), ADVFMT_DONE);
	/* An answer on record does not make a non-recipient owe anything. */
	assert_int_equal(advfmt_own_state(false, &a), ADVFMT_NOT_RECIPIENT);
	assert_string_equal(advfmt_own_label(ADVFMT_TO_ACK), "to acknowledge");
	assert_string_equal(advfmt_own_label(ADVFMT_NOT_RECIPIENT), "");
}

static void what_is_owed_comes_first_then_newest(void **state)
{
	(void)state;
	/* seq is the scan order, newest first. */
	static const enum advfmt_own owns[] = { ADVFMT_DONE, ADVFMT_TO_REPORT, ADVFMT_NOT_RECIPIENT, ADVFMT_TO_ACK,
						ADVFMT_TO_ACK, ADVFMT_TO_REPORT };
	struct advfmt_row rows[6];
	memset(rows, 0, sizeof rows);
	for (int i = 0; i < 6; i++) {
		rows[i].own = owns[i];
		rows[i].seq = i;
	}
	qsort(rows, 6, sizeof rows[0], advfmt_row_cmp);
	static const int want[] = { 3, 4, 1, 5, 0, 2 };
	for (int i = 0; i < 6; i++)
		assert_int_equal(rows[i].seq, want[i]);
}

static void overdue_only_with_answers_missing(void **state)
{
	(void)state;
	struct advfmt_row r;
	memset(&r, 0, sizeof r);
	r.deadline_ms = 10000;
	r.own = ADVFMT_TO_REPORT;
	assert_false(advfmt_row_overdue(&r, 10000));
	assert_true(advfmt_row_overdue(&r, 10001));
	r.own = ADVFMT_TO_ACK;
	assert_true(advfmt_row_overdue(&r, 10001));
	r.own = ADVFMT_DONE;
	assert_false(advfmt_row_overdue(&r, 10001));
	/* An issuer's advisory: overdue while any recipient's report is. */
	r.own = ADVFMT_NOT_RECIPIENT;
	r.overdue = 0;
	assert_false(advfmt_row_overdue(&r, 20000));
	r.overdue = 2;
	assert_true(advfmt_row_overdue(&r, 20000));
	assert_false(advfmt_row_overdue(&r, 9000));
}

static void filter_words_all_match_somewhere(void **state)
{
	(void)state;
	struct dd_advisory *a = calloc(1, sizeof *a);
	assert_non_null(a);
	strcpy(a->title, "某PLC高危漏洞");
	strcpy(a->level, "red");
	strcpy(a->issuer, "cq.yubei");
	strcpy(a->products, "S7-1200 CVE-2026-0001");
	strcpy(a->action, "立即自查，升级固件");
	assert_true(advfmt_matches(a, "渝北区经济和信息化委员会", ""));
	assert_true(advfmt_matches(a, "渝北区经济和信息化委员会", "PLC"));
	assert_true(advfmt_matches(a, "", "plc"));
	assert_true(advfmt_matches(a, "", "cve-2026-0001"));
	assert_true(advfmt_matches(a, "", "红色"));
	assert_true(advfmt_matches(a, "", "RED"));
	assert_true(advfmt_matches(a, "渝北区经济和信息化委员会", "渝北 固件"));
	assert_true(advfmt_matches(a, "", "cq.yubei"));
	assert_false(advfmt_matches(a, "", "橙色"));
	assert_false(advfmt_matches(a, "渝北区经济和信息化委员会", "渝北 勒索"));
	assert_false(advfmt_matches(a, NULL, "渝北"));
	free(a);
}

static void progress_reads_in_one_line(void **state)
{
	(void)state;
	char buf[128];
	advfmt_progress(3, 1, 2, 5, buf, sizeof buf);
	assert_string_equal(buf, "acked 3 / reported 1 / overdue 2 of 5");
}

static void answers_missing_first_and_named(void **state)
{
	(void)state;
	assert_int_equal(advfmt_answer_rank(0, 0), 0);
	assert_int_equal(advfmt_answer_rank(5, 0), 1);
	assert_int_equal(advfmt_answer_rank(5, 6), 2);
	enum theme_role role;
	assert_string_equal(advfmt_answer_label(0, 0, 100, 50, &role), "not acknowledged");
	assert_int_equal(role, ROLE_DUE_SOON);
	assert_string_equal(advfmt_answer_label(10, 0, 100, 50, &role), "acknowledged");
	assert_int_equal(role, ROLE_NORMAL);
	assert_string_equal(advfmt_answer_label(10, 0, 100, 101, &role), "overdue");
	assert_int_equal(role, ROLE_OVERDUE);
	assert_string_equal(advfmt_answer_label(0, 0, 100, 101, &role), "overdue");
	/* A report after the deadline is still a report. */
	assert_string_equal(advfmt_answer_label(10, 150, 100, 200, &role), "answered");
	assert_int_equal(role, ROLE_INFO);
}

static void levels_have_their_roles(void **state)
{
	(void)state;
	assert_int_equal(advfmt_level_role("red"), ROLE_LEVEL_RED);
	assert_int_equal(advfmt_level_role("orange"), ROLE_LEVEL_ORANGE);
	assert_int_equal(advfmt_level_role("yellow"), ROLE_LEVEL_YELLOW);
	assert_int_equal(advfmt_level_role("blue"), ROLE_LEVEL_BLUE);
	assert_int_equal(advfmt_level_role("purple"), ROLE_NORMAL);
	assert_string_equal(theme_role_name(ROLE_LEVEL_ORANGE), "level-orange");
}

static void view_keys(void **state)
{
	(void)state;
	assert_int_equal(keys_resolve(VIEW_LOG, '8'), REQ_VIEW_ADVISORIES);
	assert_int_equal(keys_resolve(VIEW_LOG, 'v'), REQ_VIEW_ADVISORIES);
	assert_int_equal(keys_resolve(VIEW_ADVISORIES, 'A'), REQ_ADV_ACK);
	assert_int_equal(keys_resolve(VIEW_ADVISORIES, 'R'), REQ_ADV_REPORT);
	assert_int_equal(keys_resolve(VIEW_ADVISORIES, KEY_RETURN), REQ_OPEN);
	/* Only this view acknowledges: A means nothing in the log. */
	assert_int_equal(keys_resolve(VIEW_LOG, 'A'), REQ_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_state_follows_the_answer),
		cmocka_unit_test(what_is_owed_comes_first_then_newest),
		cmocka_unit_test(overdue_only_with_answers_missing),
		cmocka_unit_test(filter_words_all_match_somewhere),
		cmocka_unit_test(progress_reads_in_one_line),
		cmocka_unit_test(answers_missing_first_and_named),
		cmocka_unit_test(levels_have_their_roles),
		cmocka_unit_test(view_keys),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
