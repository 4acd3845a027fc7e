/*
 * test_template.c — unit tests for views/template.c: the documents of
 * headed sections an officer writes in $EDITOR (the post-incident summary
 * and follow-up reports) and how they are read back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dutydesk/template.h"

static const struct template_section secs[] = {
	{ "cause", "事件原因", "Cause" },
	{ "response", "处置情况", "Response" },
	{ "lessons", "经验教训", "Lessons" },
};
#define N 3

static void round_trip(void **state)
{
	(void)state;
	char *initial[N] = { "工程师站被植入木马", NULL, "加强\n移动介质管理" };
	char *doc = template_build("事件分析总结 Post-incident summary\nLines starting with # are ignored.", secs, N,
				   initial);
	assert_non_null(doc);
	assert_non_null(strstr(doc, "# 事件分析总结 Post-incident summary\n# Lines starting"));
	assert_non_null(strstr(doc, "\n## 事件原因 Cause\n\n工程师站被植入木马\n"));
	assert_non_null(strstr(doc, "\n## 处置情况 Response\n\n"));
	char *out[N];
	struct dd_error err = { 0 };
	assert_int_equal(template_parse(doc, secs, N, out, &err), 0);
	assert_string_equal(out[0], "工程师站被植入木马");
	assert_string_equal(out[1], "");
	assert_string_equal(out[2], "加强\n移动介质管理");
	template_free(out, N);
	assert_null(out[0]);
	free(doc);
}

static void headings_in_either_language(void **state)
{
	(void)state;
	char *out[N];
	struct dd_error err = { 0 };
	const char *text = "# a comment\n"
			   "## lessons\n  back up the PLC programs  \n\n"
			   "## 事件原因\nUSB 介质\n# a comment inside is dropped\n第二行\n"
			   "##  处置情况 Response  \n\n\n隔离\n\n";
	assert_int_equal(template_parse(text, secs, N, out, &err), 0);
	assert_string_equal(out[0], "USB 介质\n第二行");
	assert_string_equal(out[1], "隔离");
	assert_string_equal(out[2], "back up the PLC programs");
	template_free(out, N);
}

static void bad_documents_are_refused_whole(void **state)
{
	(void)state;
	char *out[N];
	struct dd_error err = { 0 };
	assert_int_equal(template_parse("## 事件原因\nx\n## 后果 Aftermath\ny\n", secs, N, out, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "unknown heading \"## 后果 Aftermath\""));
	assert_null(out[0]);
	assert_int_equal(template_parse("## Cause\nx\n## 事件原因 Cause\ny\n", secs, N, out, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "appears twice"));
	/* Words above the first heading would be lost: refused instead. */
	assert_int_equal(template_parse("\n  \nforgot the heading\n## Cause\nx\n", secs, N, out, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "before the first heading"));
	/* Blank lines and comments above it are fine. */
	assert_int_equal(template_parse("\n# intro\n\n## Cause\nx", secs, N, out, &err), 0);
	assert_string_equal(out[0], "x");
	assert_string_equal(out[2], "");
	template_free(out, N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(headings_in_either_language),
		cmocka_unit_test(bad_documents_are_refused_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
