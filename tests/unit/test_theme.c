/*
 * test_theme.c — unit tests for views/theme.c: the shipped themes parse,
 * default.theme equals the compiled-in default, and every error names
 * file:line and leaves the theme untouched.
 *
 * Run from the repository root (make unit does), where themes/ is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dutydesk/theme.h"

static char tmp_path[64];

/* Writes text to a fresh temporary theme file. */
static const char *theme_file(const char *text)
{
	snprintf(tmp_path, sizeof tmp_path, "/tmp/dd-theme-XXXXXX");
	int fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return tmp_path;
}

static int remove_tmp(void **state)
{
	(void)state;
	if (tmp_path[0])
		unlink(tmp_path);
	tmp_path[0] = '\0';
	return 0;
}

static void default_file_equals_builtin(void **state)
{
	(void)state;
	struct theme parsed, builtin;
	struct dd_error err = { 0 };
	memset(&parsed, 0, sizeof parsed);
	assert_int_equal(theme_parse("themes/default.theme", &parsed, &err), 0);
	theme_builtin(&builtin);
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *a = &parsed.style[r], *b = &builtin.style[r];
		if (a->fg != b->fg || a->bg != b->bg || a->fg8 != b->fg8 || a->bg8 != b->bg8 ||
		    a->attrs != b->attrs || a->mono != b->mono || a->has_attrs8 != b->has_attrs8 ||
		    (a->has_attrs8 && a->attrs8 != b->attrs8))
			fail_msg("role %s differs between themes/default.theme and views/theme.c",
				 theme_role_name((enum theme_role)r));
	}
}

static void shipped_themes_parse(void **state)
{
	(void)state;
	static const char *const files[] = { "themes/high-contrast.theme", "themes/mono.theme" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct theme t;
		struct dd_error err = { 0 };
		if (theme_parse(files[i], &t, &err) != 0)
			fail_msg("%s", err.msg);
	}
}

static void tier_major_is_orange_with_a_fallback(void **state)
{
	(void)state;
	struct theme t;
	theme_builtin(&t);
	assert_int_equal(t.style[ROLE_TIER_MAJOR].fg, 208);
	assert_int_equal(t.style[ROLE_TIER_MAJOR].fg8, COLOR_YELLOW);
	assert_true(t.style[ROLE_TIER_MAJOR].has_attrs8);
	assert_int_equal(t.style[ROLE_TIER_MAJOR].attrs8, THEME_BOLD);
}

static void roles_left_out_keep_the_default(void **state)
{
	(void)state;
	struct theme t, d;
	struct dd_error err = { 0 };
	const char *path = theme_file("roles = {\n  time = { fg = 3; attrs = \"bold underline\"; };\n};\n");
	assert_int_equal(theme_parse(path, &t, &err), 0);
	theme_builtin(&d);
	assert_int_equal(t.style[ROLE_TIME].fg, 3);
	assert_int_equal(t.style[ROLE_TIME].attrs, THEME_BOLD | THEME_UNDERLINE);
	assert_int_equal(t.style[ROLE_TIME].bg, d.style[ROLE_TIME].bg);
	assert_int_equal(t.style[ROLE_SELECTION].bg, d.style[ROLE_SELECTION].bg);
}

/* Parses text, expects DD_ECONFIG with "file:line" and a phrase, and an
 * untouched theme. */
static void expect_error(const char *text, int line, const char *phrase)
{
	struct theme t;
	memset(&t, 0x5a, sizeof t);
	struct dd_error err = { 0 };
	const char *path = theme_file(text);
	assert_int_equal(theme_parse(path, &t, &err), DD_ECONFIG);
	char where[96];
	snprintf(where, sizeof where, "%s:%d:", path, line);
	if (!strstr(err.msg, where) || !strstr(err.msg, phrase))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.msg, where, phrase);
	for (size_t i = 0; i < sizeof t; i++)
		assert_int_equal(((unsigned char *)&t)[i], 0x5a);
	unlink(path);
}

static void errors_name_file_and_line(void **state)
{
	(void)state;
	expect_error("roles = {\n  nonsense = { fg = 1; };\n};\n", 2, "unknown role 'nonsense'");
	expect_error("roles = {\n  time = {\n    fg = \"orange\";\n  };\n};\n", 3, "unknown colour \"orange\"");
	expect_error("roles = {\n  time = { fg = 300; };\n};\n", 2, "0 to 255");
	expect_error("roles = {\n  time = { attrs = \"blink\"; };\n};\n", 2, "unknown attribute \"blink\"");
	expect_error("roles = {\n  time = { colour = 1; };\n};\n", 2, "unknown setting 'colour'");
	expect_error("roles = {\n  time = { fg = ; };\n};\n", 2, "");   /* libconfig's syntax error */
	expect_error("colours = {};\n", 1, "unknown setting 'colours'");
}

static void missing_file_is_not_found(void **state)
{
	(void)state;
	struct theme t;
	struct dd_error err = { 0 };
	assert_int_equal(theme_parse("/nonexistent/x.theme", &t, &err), DD_ENOTFOUND);
}

static void names_are_checked_before_any_path_is_built(void **state)
{
	(void)state;
	char path[256];
	struct dd_error err = { 0 };
	assert_int_equal(theme_find("../etc/passwd", path, sizeof path, &err), DD_EINVAL);
	assert_int_equal(theme_find("", path, sizeof path, &err), DD_EINVAL);
	assert_int_equal(theme_find("no-such-theme", path, sizeof path, &err), DD_ENOTFOUND);
}

static void role_names_round_trip(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(theme_role_by_name(theme_role_name((enum theme_role)r)), r);
	assert_int_equal(theme_role_by_name("nope"), ROLE_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_file_equals_builtin),
		cmocka_unit_test(shipped_themes_parse),
		cmocka_unit_test(tier_major_is_orange_with_a_fallback),
		cmocka_unit_test_teardown(roles_left_out_keep_the_default, remove_tmp),
		cmocka_unit_test_teardown(errors_name_file_and_line, remove_tmp),
		cmocka_unit_test(missing_file_is_not_found),
		cmocka_unit_test(names_are_checked_before_any_path_is_built),
		cmocka_unit_test(role_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
