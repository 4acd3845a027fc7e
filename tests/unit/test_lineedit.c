/*
 * test_lineedit.c — unit tests for views/lineedit.c, one cmocka group per
 * public function.  No terminal is involved: the editor is pure, and the
 * widths come from wcwidth() under C.UTF-8, where a CJK ideograph is two
 * columns, a combining mark zero and an unassigned code point -1.
 *
 * Each test gets a fresh editor limited to 64 characters (see le_setup);
 * tests about the limit re-create it with their own.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "dutydesk/lineedit.h"

/* U+FFFD as UTF-8, what every invalid byte sequence becomes. */
#define RC "\xEF\xBF\xBD"

/* The long CJK line: ten ideographs, twenty columns. */
#define CJK10 "一二三四五六七八九十"

/* A macro rather than a function so a failure reports the caller's line. */
#define assert_text(le, expect)                                         \
	do {                                                            \
		char *text_ = lineedit_text(le);                        \
		assert_non_null(text_);                                 \
		assert_string_equal(text_, (expect));                   \
		free(text_);                                            \
	} while (0)

static int group_setup(void **state)
{
	(void)state;
	/* Without a UTF-8 LC_CTYPE wcwidth() measures nothing; failing the
	 * group says so instead of letting every layout test fail oddly. */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return -1;
	return wcwidth(0x4E00) == 2 ? 0 : -1;
}

static int le_setup(void **state)
{
	struct lineedit *le = malloc(sizeof *le);
	if (!le)
		return -1;
	lineedit_init(le, 64);
	*state = le;
	return 0;
}

static int le_teardown(void **state)
{
	struct lineedit *le = *state;
	lineedit_free(le);
	free(le);
	return 0;
}

static void reinit(struct lineedit *le, size_t max_chars)
{
	lineedit_free(le);
	lineedit_init(le, max_chars);
}

static void move_right(struct lineedit *le, int n)
{
	while (n-- > 0)
		lineedit_right(le);
}

/* Columns taken by the count characters drawn from first_visible, with
 * wcwidth() < 0 counted as one, as the editor does. */
static size_t drawn_width(const struct lineedit *le, size_t count)
{
	size_t w = 0;
	for (size_t i = le->first_visible; i < le->first_visible + count; i++) {
		int cw = wcwidth(le->buf[i]);
		w += cw < 0 ? 1 : (size_t)cw;
	}
	return w;
}

/* ---- lineedit_init / lineedit_clear / lineedit_free ---------------- */

static void test_init_empty(void **state)
{
	struct lineedit le;
	(void)state;
	lineedit_init(&le, 10);
	assert_int_equal(le.len, 0);
	assert_int_equal(le.cursor, 0);
	assert_int_equal(le.first_visible, 0);
	assert_int_equal(le.max_chars, 10);
	assert_text(&le, "");
	lineedit_free(&le);
}

static void test_clear_keeps_limit(void **state)
{
	struct lineedit *le = *state;
	reinit(le, 3);
	lineedit_set_utf8(le, "abc");
	lineedit_clear(le);
	assert_int_equal(le->len, 0);
	assert_int_equal(le->cursor, 0);
	assert_int_equal(le->first_visible, 0);
	assert_text(le, "");
	assert_int_equal(lineedit_insert_utf8(le, "wxyz"), 3);
	assert_text(le, "wxy");
}

static void test_free_then_reuse(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "before");
	lineedit_free(le);
	assert_int_equal(le->len, 0);
	assert_int_equal(le->cursor, 0);
	assert_int_equal(le->max_chars, 64);
	assert_int_equal(lineedit_insert_wc(le, L'x'), 1);
	assert_text(le, "x");
}

/* ---- lineedit_insert_wc ------------------------------------------- */

static void test_insert_wc_ascii(void **state)
{
	struct lineedit *le = *state;
	assert_int_equal(lineedit_insert_wc(le, L'a'), 1);
	assert_int_equal(lineedit_insert_wc(le, L'b'), 1);
	assert_int_equal(lineedit_insert_wc(le, L'c'), 1);
	assert_text(le, "abc");
	assert_int_equal(le->cursor, 3);

	lineedit_home(le);
	assert_int_equal(lineedit_insert_wc(le, L'x'), 1);
	assert_text(le, "xabc");
	assert_int_equal(le->cursor, 1);
}

static void test_insert_wc_cjk(void **state)
{
	struct lineedit *le = *state;
	assert_int_equal(lineedit_insert_wc(le, 0x4E2D), 1);   /* 中 */
	assert_int_equal(lineedit_insert_wc(le, 0x6587), 1);   /* 文 */
	assert_int_equal(le->len, 2);
	assert_int_equal(le->cursor, 2);
	assert_text(le, "中文");
}

static void test_insert_wc_control_refused(void **state)
{
	struct lineedit *le = *state;
	static const wchar_t refused[] = {
		0x00, 0x01, L'\t', L'\n', L'\r', 0x1B, 0x1F,
		0x7F, 0x80, 0x85, 0x9B, 0x9F,
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		assert_int_equal(lineedit_insert_wc(le, refused[i]), -1);
	assert_int_equal(le->len, 0);
	assert_int_equal(le->cursor, 0);

	/* The characters just outside the control ranges are accepted. */
	assert_int_equal(lineedit_insert_wc(le, 0x20), 1);
	assert_int_equal(lineedit_insert_wc(le, 0x7E), 1);
	assert_int_equal(lineedit_insert_wc(le, 0xA0), 1);
	assert_text(le, " ~\xC2\xA0");
}

static void test_insert_wc_max_chars(void **state)
{
	struct lineedit *le = *state;
	reinit(le, 3);
	assert_int_equal(lineedit_insert_wc(le, L'a'), 1);
	assert_int_equal(lineedit_insert_wc(le, L'b'), 1);
	assert_int_equal(lineedit_insert_wc(le, L'c'), 1);
	assert_int_equal(lineedit_insert_wc(le, L'd'), 0);
	assert_text(le, "abc");
	assert_int_equal(le->cursor, 3);

	lineedit_home(le);
	assert_int_equal(lineedit_insert_wc(le, L'x'), 0);
	assert_int_equal(le->cursor, 0);
	/* A control character is refused as such even when full. */
	assert_int_equal(lineedit_insert_wc(le, L'\n'), -1);
	assert_text(le, "abc");

	reinit(le, 0);
	assert_int_equal(lineedit_insert_wc(le, L'a'), 0);
	assert_int_equal(le->len, 0);
}

static void test_insert_wc_not_a_character(void **state)
{
	struct lineedit *le = *state;
	assert_int_equal(lineedit_insert_wc(le, 0xD800), 1);    /* surrogate */
	assert_int_equal(lineedit_insert_wc(le, 0x110000), 1);  /* too big */
	assert_int_equal(le->buf[0], 0xFFFD);
	assert_int_equal(le->buf[1], 0xFFFD);
	assert_text(le, RC RC);
}

/* ---- lineedit_insert_utf8 ----------------------------------------- */

static void test_insert_utf8_ascii(void **state)
{
	struct lineedit *le = *state;
	assert_int_equal(lineedit_insert_utf8(le, "hello"), 5);
	assert_int_equal(le->cursor, 5);
	assert_int_equal(le->len, 5);
	assert_text(le, "hello");
}

static void test_insert_utf8_ime_commit(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "ab");
	lineedit_left(le);
	/* An input method commits the whole phrase in one go. */
	assert_int_equal(lineedit_insert_utf8(le, "日本語"), 3);
	assert_text(le, "a日本語b");
	assert_int_equal(le->cursor, 4);
	assert_int_equal(le->len, 5);
	assert_int_equal(le->buf[1], 0x65E5);
	assert_int_equal(le->buf[3], 0x8A9E);
}

static void test_insert_utf8_max_chars(void **state)
{
	struct lineedit *le = *state;
	reinit(le, 5);
	assert_int_equal(lineedit_insert_utf8(le, "ab"), 2);
	assert_int_equal(lineedit_insert_utf8(le, "中文字符串"), 3);
	assert_text(le, "ab中文字");
	assert_int_equal(le->cursor, 5);
	assert_int_equal(lineedit_insert_utf8(le, "x"), 0);
	lineedit_home(le);
	assert_int_equal(lineedit_insert_utf8(le, "z"), 0);
	assert_int_equal(le->cursor, 0);
	assert_text(le, "ab中文字");

	/* Truncation happens in the middle too, keeping the tail. */
	reinit(le, 4);
	lineedit_set_utf8(le, "ab");
	lineedit_left(le);
	assert_int_equal(lineedit_insert_utf8(le, "XYZ"), 2);
	assert_text(le, "aXYb");
	assert_int_equal(le->cursor, 3);
}

static void test_insert_utf8_controls_skipped(void **state)
{
	struct lineedit *le = *state;
	assert_int_equal(lineedit_insert_utf8(le, "a\nb"), 2);
	assert_text(le, "ab");

	lineedit_clear(le);
	assert_int_equal(lineedit_insert_utf8(le, "x\x1b[31my"), 6);
	assert_text(le, "x[31my");

	/* CR, DEL, and CSI (U+009B) encoded as UTF-8. */
	lineedit_clear(le);
	assert_int_equal(lineedit_insert_utf8(le, "\r\x7f\xC2\x9B"), 0);
	assert_int_equal(le->len, 0);

	/* A tab keeps pasted words apart as a single space. */
	lineedit_clear(le);
	assert_int_equal(lineedit_insert_utf8(le, "a\tb"), 3);
	assert_text(le, "a b");
}

static void test_insert_utf8_invalid(void **state)
{
	struct lineedit *le = *state;
	static const struct {
		const char *in, *out;
		int count;
	} cases[] = {
		{ "\xFF", RC, 1 },                         /* never valid */
		{ "a\x80" "b", "a" RC "b", 3 },            /* stray continuation */
		{ "\xE2\x82" "x", RC "x", 2 },             /* truncated, then ASCII */
		{ "\xC3" "\xC3\xA9", RC "é", 2 },          /* truncated, then valid */
		{ "\xF0\x9F\x98", RC, 1 },                 /* truncated at end */
		{ "\xC0\xAF", RC RC, 2 },                  /* overlong '/' */
		{ "\xE0\x80\xAF", RC RC RC, 3 },           /* overlong, 3 bytes */
		{ "\xF0\x80\x80\xAF", RC RC RC RC, 4 },    /* overlong, 4 bytes */
		{ "\xED\xA0\x80", RC RC RC, 3 },           /* surrogate D800 */
		{ "\xF4\x90\x80\x80", RC RC RC RC, 4 },    /* 110000 */
		{ "\xF8\x88\x80\x80\x80", RC RC RC RC RC, 5 },  /* 5-byte form */
		{ "\xED\x9F\xBF", "\xED\x9F\xBF", 1 },     /* D7FF is valid */
		{ "\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", 1 },  /* 10FFFF */
		{ "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", 1 },  /* 1F600 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lineedit_clear(le);
		assert_int_equal(lineedit_insert_utf8(le, cases[i].in),
				 cases[i].count);
		assert_int_equal(le->len, (size_t)cases[i].count);
		assert_text(le, cases[i].out);
	}
	assert_int_equal(le->buf[0], 0x1F600);
}

static void test_insert_utf8_empty_and_null(void **state)
{
	struct lineedit *le = *state;
	assert_int_equal(lineedit_insert_utf8(le, ""), 0);
	assert_int_equal(lineedit_insert_utf8(le, NULL), 0);
	assert_int_equal(le->len, 0);
	assert_int_equal(le->cursor, 0);
}

/* ---- lineedit_set_utf8 -------------------------------------------- */

static void test_set_replaces(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "old text");
	lineedit_home(le);
	lineedit_set_utf8(le, "new");
	assert_text(le, "new");
	assert_int_equal(le->len, 3);
	assert_int_equal(le->cursor, 3);

	lineedit_set_utf8(le, "中文");
	assert_int_equal(le->len, 2);
	assert_int_equal(le->cursor, 2);
	assert_text(le, "中文");
}

static void test_set_truncates_and_filters(void **state)
{
	struct lineedit *le = *state;
	reinit(le, 4);
	lineedit_set_utf8(le, "abcdef");
	assert_text(le, "abcd");
	assert_int_equal(le->cursor, 4);

	reinit(le, 64);
	lineedit_set_utf8(le, "a\nb\tc\xFF");
	assert_text(le, "ab c" RC);
	assert_int_equal(le->cursor, 5);
}

static void test_set_empty_resets_view(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	lineedit_set_utf8(le, CJK10);
	lineedit_layout(le, 10, &count);
	assert_int_equal(le->first_visible, 6);

	lineedit_set_utf8(le, "");
	assert_int_equal(le->len, 0);
	assert_int_equal(le->cursor, 0);
	assert_int_equal(le->first_visible, 0);

	lineedit_set_utf8(le, "x");
	lineedit_set_utf8(le, NULL);
	assert_int_equal(le->len, 0);
	assert_text(le, "");
}

/* ---- lineedit_backspace ------------------------------------------- */

static void test_backspace_wide_char(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	lineedit_set_utf8(le, "a中b");
	lineedit_left(le);
	lineedit_backspace(le);
	assert_text(le, "ab");
	assert_int_equal(le->cursor, 1);
	assert_int_equal(le->len, 2);
	/* The two columns the ideograph took are gone with it. */
	assert_int_equal(lineedit_layout(le, 10, &count), 1);
	assert_int_equal(count, 2);
}

static void test_backspace_boundaries(void **state)
{
	struct lineedit *le = *state;
	lineedit_backspace(le);
	assert_int_equal(le->len, 0);

	lineedit_set_utf8(le, "abc");
	lineedit_backspace(le);
	assert_text(le, "ab");
	assert_int_equal(le->cursor, 2);

	lineedit_home(le);
	lineedit_backspace(le);
	assert_text(le, "ab");
	assert_int_equal(le->cursor, 0);
}

/* ---- lineedit_delete ---------------------------------------------- */

static void test_delete_at_cursor(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "abc");
	lineedit_home(le);
	lineedit_delete(le);
	assert_text(le, "bc");
	assert_int_equal(le->cursor, 0);

	lineedit_set_utf8(le, "中文");
	lineedit_home(le);
	lineedit_delete(le);
	assert_text(le, "文");
	assert_int_equal(le->cursor, 0);
	assert_int_equal(le->len, 1);
}

static void test_delete_at_end(void **state)
{
	struct lineedit *le = *state;
	lineedit_delete(le);
	assert_int_equal(le->len, 0);

	lineedit_set_utf8(le, "abc");
	lineedit_delete(le);
	assert_text(le, "abc");
	assert_int_equal(le->cursor, 3);
}

/* ---- lineedit_left / right / home / end --------------------------- */

static void test_left(void **state)
{
	struct lineedit *le = *state;
	lineedit_left(le);
	assert_int_equal(le->cursor, 0);

	lineedit_set_utf8(le, "中文");
	lineedit_left(le);
	assert_int_equal(le->cursor, 1);
	lineedit_left(le);
	assert_int_equal(le->cursor, 0);
	lineedit_left(le);
	assert_int_equal(le->cursor, 0);
}

static void test_right(void **state)
{
	struct lineedit *le = *state;
	lineedit_right(le);
	assert_int_equal(le->cursor, 0);

	lineedit_set_utf8(le, "中文");
	lineedit_home(le);
	lineedit_right(le);
	assert_int_equal(le->cursor, 1);
	lineedit_right(le);
	assert_int_equal(le->cursor, 2);
	lineedit_right(le);
	assert_int_equal(le->cursor, 2);
}

static void test_home(void **state)
{
	struct lineedit *le = *state;
	lineedit_home(le);
	assert_int_equal(le->cursor, 0);

	lineedit_set_utf8(le, "ab中文");
	lineedit_home(le);
	assert_int_equal(le->cursor, 0);
	lineedit_home(le);
	assert_int_equal(le->cursor, 0);
}

static void test_end(void **state)
{
	struct lineedit *le = *state;
	lineedit_end(le);
	assert_int_equal(le->cursor, 0);

	lineedit_set_utf8(le, "ab中文");
	lineedit_home(le);
	lineedit_end(le);
	assert_int_equal(le->cursor, 4);
	lineedit_end(le);
	assert_int_equal(le->cursor, 4);
}

/* ---- lineedit_word_left / lineedit_word_right --------------------- */

/* Positions: foo 2..4, bar 6..8, baz 11..13, length 16. */
#define SPACED "  foo bar  baz  "

static void test_word_left(void **state)
{
	struct lineedit *le = *state;
	static const size_t stops[] = { 11, 6, 2, 0, 0 };
	lineedit_set_utf8(le, SPACED);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		lineedit_word_left(le);
		assert_int_equal(le->cursor, stops[i]);
	}

	/* From inside a word, to its start. */
	lineedit_home(le);
	move_right(le, 8);
	lineedit_word_left(le);
	assert_int_equal(le->cursor, 6);
}

static void test_word_right(void **state)
{
	struct lineedit *le = *state;
	static const size_t stops[] = { 5, 9, 14, 16, 16 };
	lineedit_set_utf8(le, SPACED);
	lineedit_home(le);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		lineedit_word_right(le);
		assert_int_equal(le->cursor, stops[i]);
	}

	/* Right then left returns to the start of the word. */
	lineedit_home(le);
	move_right(le, 6);
	lineedit_word_right(le);
	assert_int_equal(le->cursor, 9);
	lineedit_word_left(le);
	assert_int_equal(le->cursor, 6);
}

static void test_word_motion_cjk(void **state)
{
	struct lineedit *le = *state;
	/* 我们 0..1, 去 3, 吃饭 5..6: each run of non-space is one word. */
	lineedit_set_utf8(le, "我们 去 吃饭");
	lineedit_word_left(le);
	assert_int_equal(le->cursor, 5);
	lineedit_word_left(le);
	assert_int_equal(le->cursor, 3);
	lineedit_word_left(le);
	assert_int_equal(le->cursor, 0);
	lineedit_word_right(le);
	assert_int_equal(le->cursor, 2);
	lineedit_word_right(le);
	assert_int_equal(le->cursor, 4);
	lineedit_word_right(le);
	assert_int_equal(le->cursor, 7);

	/* The ideographic space separates; a no-break space does not. */
	lineedit_set_utf8(le, "一\xE3\x80\x80二");
	lineedit_word_left(le);
	assert_int_equal(le->cursor, 2);
	lineedit_set_utf8(le, "a\xC2\xA0" "b");
	lineedit_word_left(le);
	assert_int_equal(le->cursor, 0);
}

/* ---- lineedit_kill_to_start (Ctrl-U) ------------------------------ */

static void test_kill_to_start(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "hello world");
	lineedit_home(le);
	move_right(le, 6);
	lineedit_kill_to_start(le);
	assert_text(le, "world");
	assert_int_equal(le->cursor, 0);
	assert_int_equal(le->len, 5);

	lineedit_kill_to_start(le);
	assert_text(le, "world");

	lineedit_set_utf8(le, "中文abc");
	lineedit_home(le);
	move_right(le, 2);
	lineedit_kill_to_start(le);
	assert_text(le, "abc");

	lineedit_end(le);
	lineedit_kill_to_start(le);
	assert_text(le, "");
	assert_int_equal(le->cursor, 0);
}

static void test_kill_to_start_scrolled(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	lineedit_set_utf8(le, CJK10);
	lineedit_layout(le, 10, &count);
	assert_int_equal(le->first_visible, 6);
	lineedit_left(le);
	lineedit_left(le);
	/* The view started inside the killed text: it now starts at the
	 * cursor, and never past the end of what is left. */
	lineedit_kill_to_start(le);
	assert_text(le, "九十");
	assert_int_equal(le->cursor, 0);
	assert_int_equal(le->first_visible, 0);

	lineedit_set_utf8(le, CJK10);
	lineedit_layout(le, 10, &count);
	lineedit_kill_to_start(le);
	assert_int_equal(le->len, 0);
	assert_int_equal(le->first_visible, 0);
}

/* ---- lineedit_kill_to_end (Ctrl-K) -------------------------------- */

static void test_kill_to_end(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "hello world");
	lineedit_home(le);
	move_right(le, 5);
	lineedit_kill_to_end(le);
	assert_text(le, "hello");
	assert_int_equal(le->cursor, 5);

	lineedit_kill_to_end(le);
	assert_text(le, "hello");
	assert_int_equal(le->cursor, 5);

	lineedit_home(le);
	lineedit_kill_to_end(le);
	assert_text(le, "");
	assert_int_equal(le->cursor, 0);
}

/* ---- lineedit_kill_word_back (Ctrl-W) ----------------------------- */

static void test_kill_word_back_trailing_spaces(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "foo bar   ");
	lineedit_kill_word_back(le);
	assert_text(le, "foo ");
	assert_int_equal(le->cursor, 4);
	lineedit_kill_word_back(le);
	assert_text(le, "");
	assert_int_equal(le->cursor, 0);
	lineedit_kill_word_back(le);
	assert_text(le, "");

	lineedit_set_utf8(le, "   ");
	lineedit_kill_word_back(le);
	assert_text(le, "");
}

static void test_kill_word_back_middle(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "foo bar baz");
	lineedit_home(le);
	move_right(le, 7);
	lineedit_kill_word_back(le);
	assert_text(le, "foo  baz");
	assert_int_equal(le->cursor, 4);

	/* Inside a word only the part before the cursor goes. */
	lineedit_set_utf8(le, "foobar");
	lineedit_home(le);
	move_right(le, 3);
	lineedit_kill_word_back(le);
	assert_text(le, "bar");
	assert_int_equal(le->cursor, 0);
}

static void test_kill_word_back_cjk(void **state)
{
	struct lineedit *le = *state;
	lineedit_set_utf8(le, "你好 世界  ");
	lineedit_kill_word_back(le);
	assert_text(le, "你好 ");
	assert_int_equal(le->cursor, 3);
}

/* ---- lineedit_text ------------------------------------------------ */

static void test_text_empty(void **state)
{
	struct lineedit *le = *state;
	assert_text(le, "");
}

static void test_text_encoding_boundaries(void **state)
{
	struct lineedit *le = *state;
	static const wchar_t cps[] = {
		L'a', 0xA0, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF,
	};
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++)
		assert_int_equal(lineedit_insert_wc(le, cps[i]), 1);
	assert_text(le, "a" "\xC2\xA0" "\xDF\xBF" "\xE0\xA0\x80"
			"\xEF\xBF\xBF" "\xF0\x90\x80\x80" "\xF4\x8F\xBF\xBF");
}

static void test_text_round_trip(void **state)
{
	struct lineedit *le = *state;
	static const char *const texts[] = {
		"plain", "café", "中文 text", "\xF0\x9F\x98\x80!", "e\xCC\x81",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		lineedit_set_utf8(le, texts[i]);
		assert_text(le, texts[i]);
	}
}

/* ---- lineedit_layout ---------------------------------------------- */

static void test_layout_empty(void **state)
{
	struct lineedit *le = *state;
	size_t count = 99;
	assert_int_equal(lineedit_layout(le, 10, &count), 0);
	assert_int_equal(count, 0);
	assert_int_equal(le->first_visible, 0);
	count = 99;
	assert_int_equal(lineedit_layout(le, 1, &count), 0);
	assert_int_equal(count, 0);
}

static void test_layout_short_ascii(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	lineedit_set_utf8(le, "abc");
	assert_int_equal(lineedit_layout(le, 10, &count), 3);
	assert_int_equal(count, 3);
	assert_int_equal(le->first_visible, 0);
	lineedit_home(le);
	assert_int_equal(lineedit_layout(le, 10, &count), 0);
	assert_int_equal(count, 3);
}

enum step { NONE, LEFT, RIGHT, HOME, END };

/* Ten ideographs (20 columns) in a 10-column field: after each step the
 * exact view, cursor column and characters drawn. */
static void test_layout_cjk_scrolling(void **state)
{
	struct lineedit *le = *state;
	static const struct {
		enum step step;
		int times;
		size_t cursor, first;
		int col;
		size_t count;
	} steps[] = {
		{ NONE, 0, 10, 6, 8, 4 },   /* end needs a free column */
		{ HOME, 1, 0, 0, 0, 5 },
		{ RIGHT, 4, 4, 0, 8, 5 },   /* 五 exactly fills the field */
		{ RIGHT, 1, 5, 1, 8, 5 },   /* 六 would not: scroll by one */
		{ RIGHT, 1, 6, 2, 8, 5 },
		{ END, 1, 10, 6, 8, 4 },
		{ LEFT, 1, 9, 6, 6, 4 },    /* the text does not move */
		{ LEFT, 3, 6, 6, 0, 4 },
		{ LEFT, 1, 5, 5, 0, 5 },    /* past first_visible: scroll */
		{ LEFT, 2, 3, 3, 0, 5 },
		{ HOME, 1, 0, 0, 0, 5 },
	};
	lineedit_set_utf8(le, CJK10);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		size_t count = 99;
		for (int t = 0; t < steps[i].times; t++) {
			switch (steps[i].step) {
			case LEFT: lineedit_left(le); break;
			case RIGHT: lineedit_right(le); break;
			case HOME: lineedit_home(le); break;
			case END: lineedit_end(le); break;
			case NONE: break;
			}
		}
		int col = lineedit_layout(le, 10, &count);
		assert_int_equal(le->cursor, steps[i].cursor);
		assert_int_equal(le->first_visible, steps[i].first);
		assert_int_equal(col, steps[i].col);
		assert_int_equal(count, steps[i].count);
		assert_true(col < 10);
		assert_true(drawn_width(le, count) <= 10);
	}
}

/* Whatever the field width and however the cursor got there: the cursor
 * column is inside the field, what is drawn fits, and the character under
 * the cursor is drawn whenever it can fit at all. */
static void check_sweep(struct lineedit *le, int cols)
{
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			lineedit_home(le);
		for (size_t k = 0; k <= le->len; k++) {
			size_t count;
			int col = lineedit_layout(le, cols, &count);
			assert_true(col >= 0);
			assert_true(col < cols);
			assert_true(drawn_width(le, count) <= (size_t)cols);
			assert_true(le->first_visible <= le->cursor);
			assert_true(le->cursor <= le->first_visible + count);
			if (le->cursor < le->len &&
			    wcwidth(le->buf[le->cursor]) <= cols)
				assert_true(le->cursor < le->first_visible + count);
			if (pass == 0)
				lineedit_right(le);
			else
				lineedit_left(le);
		}
	}
}

static void test_layout_invariants(void **state)
{
	struct lineedit *le = *state;
	static const char *const texts[] = {
		CJK10, "a一b二三 c四五六七d", "abcdefghijklmnopqrstuvwxyz",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		lineedit_set_utf8(le, texts[i]);
		for (int cols = 1; cols <= 12; cols++)
			check_sweep(le, cols);
	}
}

static void test_layout_wide_char_not_split(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	/* a + five ideographs = 11 columns; the fifth would need 10..11. */
	lineedit_set_utf8(le, "a一二三四五");
	lineedit_home(le);
	assert_int_equal(lineedit_layout(le, 10, &count), 0);
	assert_int_equal(count, 5);
	assert_int_equal(drawn_width(le, count), 9);

	lineedit_end(le);
	assert_int_equal(lineedit_layout(le, 10, &count), 8);
	assert_int_equal(le->first_visible, 2);
	assert_int_equal(count, 4);

	/* An odd field: four ideographs, one blank column. */
	lineedit_set_utf8(le, "一二三四五六");
	lineedit_home(le);
	assert_int_equal(lineedit_layout(le, 9, &count), 0);
	assert_int_equal(count, 4);
	assert_int_equal(drawn_width(le, count), 8);
}

static void test_layout_ascii_stays_put(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	lineedit_set_utf8(le, "abcdefghijklmno");
	assert_int_equal(lineedit_layout(le, 10, &count), 9);
	assert_int_equal(le->first_visible, 6);
	assert_int_equal(count, 9);
	lineedit_left(le);
	assert_int_equal(lineedit_layout(le, 10, &count), 8);
	assert_int_equal(le->first_visible, 6);
	assert_int_equal(count, 9);
}

static void test_layout_narrow(void **state)
{
	struct lineedit *le = *state;
	size_t count = 99;

	lineedit_set_utf8(le, "中文");
	lineedit_home(le);
	/* An ideograph cannot fit one column: nothing drawn, cursor shown. */
	assert_int_equal(lineedit_layout(le, 1, &count), 0);
	assert_int_equal(count, 0);
	assert_int_equal(le->first_visible, 0);
	lineedit_end(le);
	assert_int_equal(lineedit_layout(le, 1, &count), 0);
	assert_int_equal(le->first_visible, 2);
	assert_int_equal(count, 0);

	/* Two columns: one ideograph, or only the end cell. */
	assert_int_equal(lineedit_layout(le, 2, &count), 0);
	assert_int_equal(le->first_visible, 2);
	assert_int_equal(count, 0);
	lineedit_left(le);
	assert_int_equal(lineedit_layout(le, 2, &count), 0);
	assert_int_equal(le->first_visible, 1);
	assert_int_equal(count, 1);

	lineedit_set_utf8(le, "abc");
	lineedit_home(le);
	lineedit_right(le);
	assert_int_equal(lineedit_layout(le, 1, &count), 0);
	assert_int_equal(le->first_visible, 1);
	assert_int_equal(count, 1);

	/* No field at all. */
	count = 99;
	assert_int_equal(lineedit_layout(le, 0, &count), 0);
	assert_int_equal(count, 0);
	count = 99;
	assert_int_equal(lineedit_layout(le, -3, &count), 0);
	assert_int_equal(count, 0);
}

static void test_layout_fills_after_delete(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	lineedit_set_utf8(le, CJK10);
	lineedit_layout(le, 10, &count);
	assert_int_equal(le->first_visible, 6);

	/* Three gone from the end: the hidden ones scroll back in. */
	lineedit_backspace(le);
	lineedit_backspace(le);
	lineedit_backspace(le);
	assert_int_equal(lineedit_layout(le, 10, &count), 8);
	assert_int_equal(le->first_visible, 3);
	assert_int_equal(count, 4);

	/* A wider field shows it all. */
	assert_int_equal(lineedit_layout(le, 30, &count), 14);
	assert_int_equal(le->first_visible, 0);
	assert_int_equal(count, 7);

	/* Ctrl-U from the end leaves nothing to scroll. */
	lineedit_kill_to_start(le);
	assert_int_equal(le->first_visible, 0);
	assert_int_equal(lineedit_layout(le, 10, &count), 0);
	assert_int_equal(count, 0);
}

static void test_layout_zero_and_unknown_width(void **state)
{
	struct lineedit *le = *state;
	size_t count;
	/* a, e, COMBINING ACUTE (0 columns), b. */
	lineedit_set_utf8(le, "ae\xCC\x81" "b");
	assert_int_equal(le->len, 4);
	assert_int_equal(lineedit_layout(le, 10, &count), 3);
	assert_int_equal(count, 4);

	/* Scrolling does not stop on the mark, whose base is hidden. */
	lineedit_set_utf8(le, "e\xCC\x81xy");
	assert_int_equal(lineedit_layout(le, 3, &count), 2);
	assert_int_equal(le->first_visible, 2);
	assert_int_equal(count, 2);

	/* U+0378 is unassigned, wcwidth() -1: it takes one column. */
	lineedit_clear(le);
	assert_int_equal(lineedit_insert_wc(le, L'a'), 1);
	assert_int_equal(lineedit_insert_wc(le, 0x378), 1);
	assert_int_equal(lineedit_insert_wc(le, L'b'), 1);
	assert_int_equal(lineedit_layout(le, 10, &count), 3);
	assert_int_equal(count, 3);
	assert_int_equal(lineedit_layout(le, 3, &count), 2);
	assert_int_equal(le->first_visible, 1);
	assert_int_equal(count, 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, le_setup, le_teardown)

int main(void)
{
	const struct CMUnitTest init_tests[] = {
		cmocka_unit_test(test_init_empty),
		T(test_clear_keeps_limit),
		T(test_free_then_reuse),
	};
	const struct CMUnitTest insert_wc_tests[] = {
		T(test_insert_wc_ascii),
		T(test_insert_wc_cjk),
		T(test_insert_wc_control_refused),
		T(test_insert_wc_max_chars),
		T(test_insert_wc_not_a_character),
	};
	const struct CMUnitTest insert_utf8_tests[] = {
		T(test_insert_utf8_ascii),
		T(test_insert_utf8_ime_commit),
		T(test_insert_utf8_max_chars),
		T(test_insert_utf8_controls_skipped),
		T(test_insert_utf8_invalid),
		T(test_insert_utf8_empty_and_null),
	};
	const struct CMUnitTest set_utf8_tests[] = {
		T(test_set_replaces),
		T(test_set_truncates_and_filters),
		T(test_set_empty_resets_view),
	};
	const struct CMUnitTest backspace_tests[] = {
		T(test_backspace_wide_char),
		T(test_backspace_boundaries),
	};
	const struct CMUnitTest delete_tests[] = {
		T(test_delete_at_cursor),
		T(test_delete_at_end),
	};
	const struct CMUnitTest left_tests[] = { T(test_left) };
	const struct CMUnitTest right_tests[] = { T(test_right) };
	const struct CMUnitTest home_tests[] = { T(test_home) };
	const struct CMUnitTest end_tests[] = { T(test_end) };
	const struct CMUnitTest word_tests[] = {
		T(test_word_left),
		T(test_word_right),
		T(test_word_motion_cjk),
	};
	const struct CMUnitTest kill_to_start_tests[] = {
		T(test_kill_to_start),
		T(test_kill_to_start_scrolled),
	};
	const struct CMUnitTest kill_to_end_tests[] = { T(test_kill_to_end) };
	const struct CMUnitTest kill_word_back_tests[] = {
		T(test_kill_word_back_trailing_spaces),
		T(test_kill_word_back_middle),
		T(test_kill_word_back_cjk),
	};
	const struct CMUnitTest text_tests[] = {
		T(test_text_empty),
		T(test_text_encoding_boundaries),
		T(test_text_round_trip),
	};
	const struct CMUnitTest layout_tests[] = {
		T(test_layout_empty),
		T(test_layout_short_ascii),
		T(test_layout_cjk_scrolling),
		T(test_layout_invariants),
		T(test_layout_wide_char_not_split),
		T(test_layout_ascii_stays_put),
		T(test_layout_narrow),
		T(test_layout_fills_after_delete),
		T(test_layout_zero_and_unknown_width),
	};

	int failed = 0;
	failed += cmocka_run_group_tests_name("lineedit_init_clear_free",
					      init_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_insert_wc",
					      insert_wc_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_insert_utf8",
					      insert_utf8_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_set_utf8",
					      set_utf8_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_backspace",
					      backspace_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_delete",
					      delete_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_left",
					      left_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_right",
					      right_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_home",
					      home_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_end",
					      end_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_word_left_right",
					      word_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_kill_to_start",
					      kill_to_start_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_kill_to_end",
					      kill_to_end_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_kill_word_back",
					      kill_word_back_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_text",
					      text_tests, group_setup, NULL);
	failed += cmocka_run_group_tests_name("lineedit_layout",
					      layout_tests, group_setup, NULL);
	return failed == 0 ? 0 : 1;
}
