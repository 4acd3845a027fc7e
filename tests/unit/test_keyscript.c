/*
 * test_keyscript.c — unit tests for views/keyscript.c, the key scripts of
 * the headless screen tests (format in keyscript.h).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dutydesk/keyscript.h"

static int group_setup(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

static struct input in[64];

static int parse(const char *line)
{
	struct dd_error err = { 0 };
	memset(in, 0, sizeof in);
	return keyscript_parse_line(line, in, sizeof in / sizeof in[0], &err);
}

static void comments_and_blank_lines_are_nothing(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(parse("# setup: dutydesk log x"), 0);
}

static void text_is_typed_character_by_character(void **state)
{
	(void)state;
	assert_int_equal(parse("a中b"), 3);
	assert_int_equal(in[0].key, 'a');
	assert_int_equal(in[1].key, 0x4E2D);
	assert_int_equal(in[2].key, 'b');
	assert_int_equal(parse(" x "), 3);
	assert_int_equal(in[0].key, ' ');
}

static void named_keys(void **state)
{
	(void)state;
	assert_int_equal(parse("<Enter>"), 1);
	assert_int_equal(in[0].key, KEY_RETURN);
	assert_int_equal(parse("<C-u>"), 1);
	assert_int_equal(in[0].key, KEY_CTRL('u'));
	assert_int_equal(parse("ab<Left><BS>c"), 5);
	assert_int_equal(in[2].key, keys_parse_name("Left"));
	assert_int_equal(in[3].key, KEY_BS);
	assert_int_equal(in[4].key, 'c');
	assert_int_equal(parse("<lt>"), 1);
	assert_int_equal(in[0].key, '<');
	/* A '<' with no '>' after it is just text. */
	assert_int_equal(parse("a < b"), 5);
}

static void command_lines_end_with_enter(void **state)
{
	(void)state;
	assert_int_equal(parse(":q"), 3);
	assert_int_equal(in[0].key, ':');
	assert_int_equal(in[1].key, 'q');
	assert_int_equal(in[2].key, KEY_RETURN);
	/* Angle brackets in a command are typed, not keys. */
	assert_int_equal(parse(":log <Enter>"), 13);
	assert_int_equal(in[5].key, '<');
}

static void mouse_events(void **state)
{
	(void)state;
	assert_int_equal(parse("<Click 10 5>"), 1);
	assert_int_equal(in[0].key, KEY_CLICK);
	assert_int_equal(in[0].x, 10);
	assert_int_equal(in[0].y, 5);
	assert_int_equal(parse("<WheelDown>"), 1);
	assert_int_equal(in[0].key, KEY_WHEEL_DOWN);
	assert_int_equal(parse("<WheelUp 3 4>"), 1);
	assert_int_equal(in[0].y, 4);
}

static void errors_name_the_problem(void **state)
{
	(void)state;
	struct dd_error err = { 0 };
	assert_int_equal(keyscript_parse_line("<Entr>", in, 4, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "<Entr>"));
	assert_int_equal(keyscript_parse_line("<Click>", in, 4, &err), DD_EINVAL);
	assert_int_equal(keyscript_parse_line("<Click 1 2 3>", in, 4, &err), DD_EINVAL);
	assert_int_equal(keyscript_parse_line("abcde", in, 4, &err), DD_ERANGE);
	assert_int_equal(keyscript_parse_line("\xff", in, 4, &err), DD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(comments_and_blank_lines_are_nothing),
		cmocka_unit_test(text_is_typed_character_by_character),
		cmocka_unit_test(named_keys),
		cmocka_unit_test(command_lines_end_with_enter),
		cmocka_unit_test(mouse_events),
		cmocka_unit_test(errors_name_the_problem),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
