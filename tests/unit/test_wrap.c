/*
 * test_wrap.c — unit tests for views/wrap.c: line breaking by display
 * columns for CJK, Latin, mixed and escaped text.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dutydesk/text.h"
#include "dutydesk/wrap.h"

static int group_setup(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

/* Wraps s at cols and joins the lines with '|'. */
static void wrap_all(const char *s, int cols, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	while (*s) {
		size_t l = wrap_line(s, cols);
		char line[256];
		memcpy(line, s, l);
		line[l] = '\0';
		assert_true(text_width(line) <= cols || l <= 4);
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "|" : "", line);
		s += l;
		if (*s == '\n')
			s++;
	}
}

static void cjk_breaks_between_characters(void **state)
{
	(void)state;
	char out[256];
	wrap_all("一二三四五六七", 6, out, sizeof out);
	assert_string_equal(out, "一二三|四五六|七");
	/* A wide character never straddles the edge. */
	wrap_all("一二三", 5, out, sizeof out);
	assert_string_equal(out, "一二|三");
}

static void latin_breaks_after_spaces(void **state)
{
	(void)state;
	char out[256];
	wrap_all("call the district officer now", 12, out, sizeof out);
	assert_string_equal(out, "call the |district |officer now");
}

static void long_word_is_cut(void **state)
{
	(void)state;
	char out[256];
	wrap_all("abcdefghij", 4, out, sizeof out);
	assert_string_equal(out, "abcd|efgh|ij");
}

static void cjk_with_a_latin_word_fills_the_line(void **state)
{
	(void)state;
	char out[256];
	/* Breaking after "PLC " would leave nearly half the line empty. */
	wrap_all("一二 PLC 三四五六七八九十", 16, out, sizeof out);
	assert_string_equal(out, "一二 PLC 三四五|六七八九十");
	/* Late in the line, the space is still the better break. */
	wrap_all("一二三四 PLC 五六七八九十", 16, out, sizeof out);
	assert_string_equal(out, "一二三四 PLC |五六七八九十");
}

static void punctuation_never_starts_a_line(void **state)
{
	(void)state;
	char out[256];
	wrap_all("一二三，四五", 6, out, sizeof out);
	assert_string_equal(out, "一二|三，四|五");
	wrap_all("一二三。", 6, out, sizeof out);
	assert_string_equal(out, "一二|三。");
	/* One character and its mark wider than the line: cut anyway. */
	wrap_all("一，", 2, out, sizeof out);
	assert_string_equal(out, "一|，");
}

static void newlines_end_lines(void **state)
{
	(void)state;
	char out[256];
	wrap_all("ab\ncd\n\nef", 10, out, sizeof out);
	assert_string_equal(out, "ab|cd||ef");
	assert_int_equal(wrap_line("", 5), 0);
	assert_int_equal(wrap_line("\nx", 5), 0);
}

static void escapes_count_as_drawn(void **state)
{
	(void)state;
	/* ESC is drawn "^[", two columns. */
	assert_int_equal(wrap_line("a\x1b" "bc", 3), 2);
}

static void always_advances(void **state)
{
	(void)state;
	assert_int_equal(wrap_line("中", 1), 3);
	assert_int_equal(wrap_line("x", 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cjk_breaks_between_characters),
		cmocka_unit_test(latin_breaks_after_spaces),
		cmocka_unit_test(long_word_is_cut),
		cmocka_unit_test(cjk_with_a_latin_word_fills_the_line),
		cmocka_unit_test(punctuation_never_starts_a_line),
		cmocka_unit_test(newlines_end_lines),
		cmocka_unit_test(escapes_count_as_drawn),
		cmocka_unit_test(always_advances),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
