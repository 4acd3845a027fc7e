/*
 * test_text.c — unit tests for core/text.c: strict UTF-8 validation and
 * sanitising, and the escaping, measuring and truncation that make stored
 * text safe to draw.
 *
 * Expected strings are spelled out byte for byte, so a change of escape,
 * of width or of where truncation falls fails a test rather than passing
 * quietly.  Every fit also checks the module's invariants: the result is
 * valid UTF-8, holds nothing a terminal would act on, is no wider than
 * asked, and text_width() of it equals the width text_fit() returned.
 * The widths assume glibc's wcwidth() under C.UTF-8, set up once for the
 * whole group.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/text.h"

#define ELL "\xE2\x80\xA6"      /* … */
#define FFFD "\xEF\xBF\xBD"     /* U+FFFD */
#define ENTER "\xE2\x86\xB5"    /* ↵ */
#define ZH "\xE4\xB8\xAD"       /* 中 */
#define WEN "\xE6\x96\x87"      /* 文 */
#define ZI "\xE5\xAD\x97"       /* 字 */
#define GRIN "\xF0\x9F\x98\x80" /* U+1F600 */
#define ACUTE "\xCC\x81"        /* U+0301 combining acute */

/* Nothing in out may reach a terminal as an instruction: no C0, no DEL,
 * no C1 (C2 80..9F), no bidi control, and no ill-formed UTF-8 for a
 * terminal to guess at. */
static void assert_drawable(const char *out)
{
	const unsigned char *p = (const unsigned char *)out;
	size_t len = strlen(out);

	assert_true(text_is_valid_utf8(out, len));
	for (size_t i = 0; i < len; i++) {
		assert_true(p[i] >= 0x20);
		assert_true(p[i] != 0x7F);
		if (p[i] == 0xC2 && i + 1 < len)
			assert_false(p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);
	}
	assert_null(strstr(out, "\xE2\x80\xAA"));  /* U+202A..202E */
	assert_null(strstr(out, "\xE2\x80\xAB"));
	assert_null(strstr(out, "\xE2\x80\xAC"));
	assert_null(strstr(out, "\xE2\x80\xAD"));
	assert_null(strstr(out, "\xE2\x80\xAE"));
	assert_null(strstr(out, "\xE2\x80\x8E"));  /* U+200E, U+200F */
	assert_null(strstr(out, "\xE2\x80\x8F"));
	assert_null(strstr(out, "\xE2\x81\xA6"));  /* U+2066..2069 */
	assert_null(strstr(out, "\xE2\x81\xA7"));
	assert_null(strstr(out, "\xE2\x81\xA8"));
	assert_null(strstr(out, "\xE2\x81\xA9"));
}

/* A macro so a failure names the line of the case, not of a helper. */
#define ASSERT_FIT(src, cols, want, want_cols) do {                    \
		char buf_[512];                                        \
		int got_ = text_fit(buf_, sizeof buf_, (src), (cols)); \
		assert_string_equal(buf_, (want));                     \
		assert_int_equal(got_, (want_cols));                   \
		assert_true(got_ <= ((cols) > 0 ? (cols) : 0));        \
		assert_int_equal(text_width(buf_), got_);              \
		assert_drawable(buf_);                                 \
	} while (0)

#define ASSERT_SANITIZE(src, srclen, want) do {                        \
		size_t olen_ = (size_t)-1;                             \
		char *out_ = text_sanitize((src), (srclen), &olen_);   \
		assert_non_null(out_);                                 \
		assert_int_equal(olen_, sizeof(want) - 1);             \
		assert_memory_equal(out_, (want), sizeof(want));       \
		assert_true(text_is_valid_utf8(out_, olen_));          \
		free(out_);                                            \
	} while (0)

static int group_setup(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

/* ---- text_is_valid_utf8 ---- */

static void valid_accepts_well_formed(void **state)
{
	(void)state;
	assert_true(text_is_valid_utf8("", 0));
	assert_true(text_is_valid_utf8(NULL, 0));
	assert_true(text_is_valid_utf8("hello", 5));
	assert_true(text_is_valid_utf8(ZH WEN, 6));
	assert_true(text_is_valid_utf8(GRIN, 4));
	assert_true(text_is_valid_utf8("\033[2J\x7F", 5));
}

static void valid_accepts_range_edges(void **state)
{
	(void)state;
	assert_true(text_is_valid_utf8("\x7F", 1));
	assert_true(text_is_valid_utf8("\xC2\x80", 2));          /* U+0080 */
	assert_true(text_is_valid_utf8("\xDF\xBF", 2));          /* U+07FF */
	assert_true(text_is_valid_utf8("\xE0\xA0\x80", 3));      /* U+0800 */
	assert_true(text_is_valid_utf8("\xED\x9F\xBF", 3));      /* U+D7FF */
	assert_true(text_is_valid_utf8("\xEE\x80\x80", 3));      /* U+E000 */
	assert_true(text_is_valid_utf8("\xEF\xBF\xBF", 3));      /* U+FFFF */
	assert_true(text_is_valid_utf8("\xF0\x90\x80\x80", 4));  /* U+10000 */
	assert_true(text_is_valid_utf8("\xF4\x8F\xBF\xBF", 4));  /* U+10FFFF */
	assert_true(text_is_valid_utf8(FFFD, 3));
}

static void valid_rejects_overlong(void **state)
{
	(void)state;
	assert_false(text_is_valid_utf8("\xC0\x80", 2));
	assert_false(text_is_valid_utf8("\xC1\xBF", 2));
	assert_false(text_is_valid_utf8("\xE0\x80\x80", 3));
	assert_false(text_is_valid_utf8("\xE0\x9F\xBF", 3));
	assert_false(text_is_valid_utf8("\xF0\x80\x80\x80", 4));
	assert_false(text_is_valid_utf8("\xF0\x8F\xBF\xBF", 4));
}

static void valid_rejects_surrogates(void **state)
{
	(void)state;
	assert_false(text_is_valid_utf8("\xED\xA0\x80", 3));  /* U+D800 */
	assert_false(text_is_valid_utf8("\xED\xBF\xBF", 3));  /* U+DFFF */
	/* a CESU-8 pair is still two surrogates */
	assert_false(text_is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80", 6));
}

static void valid_rejects_above_max(void **state)
{
	(void)state;
	assert_false(text_is_valid_utf8("\xF4\x90\x80\x80", 4));
	assert_false(text_is_valid_utf8("\xF5\x80\x80\x80", 4));
	assert_false(text_is_valid_utf8("\xF8\x88\x80\x80\x80", 5));
	assert_false(text_is_valid_utf8("\xFE", 1));
	assert_false(text_is_valid_utf8("\xFF", 1));
}

static void valid_rejects_truncated_and_stray(void **state)
{
	(void)state;
	assert_false(text_is_valid_utf8("\xE4\xB8", 2));
	assert_false(text_is_valid_utf8("\xE4\xB8" "a", 3));
	assert_false(text_is_valid_utf8("\xF0\x9F\x98", 3));
	assert_false(text_is_valid_utf8("\xC3", 1));
	assert_false(text_is_valid_utf8("a\x80", 2));
	assert_false(text_is_valid_utf8("\xBF", 1));
	/* the length is honoured: a valid character cut by len is not valid */
	assert_false(text_is_valid_utf8(ZH, 2));
}

static void valid_rejects_nul_inside_len(void **state)
{
	(void)state;
	assert_false(text_is_valid_utf8("a\0b", 3));
	assert_true(text_is_valid_utf8("a\0b", 1));
}

/* ---- text_sanitize ---- */

static void sanitize_keeps_valid_text(void **state)
{
	(void)state;
	ASSERT_SANITIZE("plain", 5, "plain");
	ASSERT_SANITIZE(ZH WEN GRIN, 10, ZH WEN GRIN);
	/* control characters are stored as said; only drawing escapes them */
	ASSERT_SANITIZE("a\033[2Jb\n", 7, "a\033[2Jb\n");
	ASSERT_SANITIZE(FFFD, 3, FFFD);
	ASSERT_SANITIZE("", 0, "");
}

static void sanitize_overlong(void **state)
{
	(void)state;
	ASSERT_SANITIZE("a\xC0\x80z", 4, "a" FFFD FFFD "z");
	ASSERT_SANITIZE("\xE0\x80\xAF", 3, FFFD FFFD FFFD);
	ASSERT_SANITIZE("\xF0\x80\x80\xAF", 4, FFFD FFFD FFFD FFFD);
}

static void sanitize_surrogate(void **state)
{
	(void)state;
	/* ED may start a character, A0 may not follow it: three subparts */
	ASSERT_SANITIZE("\xED\xA0\x80", 3, FFFD FFFD FFFD);
}

static void sanitize_above_max(void **state)
{
	(void)state;
	ASSERT_SANITIZE("\xF5\x80\x80\x80", 4, FFFD FFFD FFFD FFFD);
	ASSERT_SANITIZE("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD);
	ASSERT_SANITIZE("\xFF" "a", 2, FFFD "a");
}

static void sanitize_truncated(void **state)
{
	(void)state;
	/* one maximal subpart, one U+FFFD, whatever its length */
	ASSERT_SANITIZE("\xE4\xB8", 2, FFFD);
	ASSERT_SANITIZE("\xE4\xB8" "a", 3, FFFD "a");
	ASSERT_SANITIZE("\xF0\x9F\x98", 3, FFFD);
	ASSERT_SANITIZE("\xF0\x9F\x98" "a", 4, FFFD "a");
	ASSERT_SANITIZE("\xE4\xB8" ZH, 5, FFFD ZH);
	/* len cuts a valid character */
	ASSERT_SANITIZE(ZH WEN, 4, ZH FFFD);
}

static void sanitize_stray_continuation(void **state)
{
	(void)state;
	ASSERT_SANITIZE("\x80\xBF", 2, FFFD FFFD);
	ASSERT_SANITIZE("a\x9B[2J", 5, "a" FFFD "[2J");
}

static void sanitize_nul_inside_len(void **state)
{
	(void)state;
	ASSERT_SANITIZE("a\0b", 3, "a" FFFD "b");
	ASSERT_SANITIZE("\0", 1, FFFD);
}

static void sanitize_out_len_optional(void **state)
{
	(void)state;
	char *out = text_sanitize("x\xFFy", 3, NULL);

	assert_non_null(out);
	assert_string_equal(out, "x" FFFD "y");
	free(out);
	out = text_sanitize(NULL, 0, NULL);
	assert_non_null(out);
	assert_string_equal(out, "");
	free(out);
}

static void sanitize_ignores_bytes_past_len(void **state)
{
	(void)state;
	ASSERT_SANITIZE("ab\xFF", 2, "ab");
}

/* ---- text_width ---- */

static void width_ascii(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("hello"), 5);
	assert_int_equal(text_width(NULL), 0);
}

static void width_cjk(void **state)
{
	(void)state;
	assert_int_equal(text_width(ZH WEN), 4);
	assert_int_equal(text_width("a" ZH "b"), 4);
}

static void width_combining_and_emoji(void **state)
{
	(void)state;
	assert_int_equal(text_width("e" ACUTE), 1);
	assert_int_equal(text_width(ACUTE), 0);
	assert_int_equal(text_width(GRIN), 2);
}

static void width_of_escapes(void **state)
{
	(void)state;
	assert_int_equal(text_width("\033"), 2);
	assert_int_equal(text_width("\x7F"), 2);
	assert_int_equal(text_width("\n"), 1);
	assert_int_equal(text_width("\t"), 1);
	assert_int_equal(text_width("\xC2\x9B"), 4);
	assert_int_equal(text_width("\u202E"), 8);
	assert_int_equal(text_width("\xC0"), 1);
	assert_int_equal(text_width("\033]0;x\007\033[2J"), 13);
}

static void width_matches_unlimited_fit(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"", "abc", ZH WEN ZI, "e" ACUTE "x", GRIN "!", "\033[1m\n\t",
		"\xC2\x85\u2066x\u2069", "\xED\xA0\x80\xF5\xE4\xB8",
	};
	char buf[256];

	for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
		assert_int_equal(text_fit(buf, sizeof buf, samples[i], INT_MAX),
				 text_width(samples[i]));
}

/* ---- text_fit: plain text ---- */

static void fit_ascii(void **state)
{
	(void)state;
	ASSERT_FIT("hello", 10, "hello", 5);
	ASSERT_FIT("hello", 5, "hello", 5);
	ASSERT_FIT("hello", 4, "hel" ELL, 4);
	ASSERT_FIT("hello", 1, ELL, 1);
	ASSERT_FIT("", 3, "", 0);
}

static void fit_nonpositive_cols_is_empty(void **state)
{
	(void)state;
	char buf[8] = "junk";

	assert_int_equal(text_fit(buf, sizeof buf, "hello", 0), 0);
	assert_string_equal(buf, "");
	memcpy(buf, "junk", 5);
	assert_int_equal(text_fit(buf, sizeof buf, "hello", -3), 0);
	assert_string_equal(buf, "");
	memcpy(buf, "junk", 5);
	assert_int_equal(text_fit(buf, sizeof buf, NULL, 5), 0);
	assert_string_equal(buf, "");
}

static void fit_cjk(void **state)
{
	(void)state;
	ASSERT_FIT(ZH WEN, 4, ZH WEN, 4);
	ASSERT_FIT(ZH WEN, 3, ZH ELL, 3);
}

static void fit_cjk_every_width(void **state)
{
	(void)state;
	static const struct {
		const char *want;
		int cols;
	} want[] = {
		{ "", 0 },
		{ ELL, 1 },
		{ ELL, 1 },            /* 中 would need both columns */
		{ ZH ELL, 3 },
		{ ZH ELL, 3 },         /* 文 would straddle the last column */
		{ ZH WEN ELL, 5 },
		{ ZH WEN ZI, 6 },
		{ ZH WEN ZI, 6 },
		{ ZH WEN ZI, 6 },
	};
	const char *src = ZH WEN ZI;

	for (int cols = 0; cols < (int)(sizeof want / sizeof *want); cols++) {
		char buf[64];
		int got = text_fit(buf, sizeof buf, src, cols);

		assert_string_equal(buf, want[cols].want);
		assert_int_equal(got, want[cols].cols);
		assert_true(got <= cols);
		assert_int_equal(text_width(buf), got);
		/* never split: the output is whole characters of src, plus "…" */
		size_t keep = strlen(buf);
		if (keep >= 3 && strcmp(buf + keep - 3, ELL) == 0)
			keep -= 3;
		assert_int_equal(keep % 3, 0);
		assert_memory_equal(buf, src, keep);
	}
}

static void fit_mixed(void **state)
{
	(void)state;
	ASSERT_FIT("a" ZH "b", 4, "a" ZH "b", 4);
	ASSERT_FIT("a" ZH "b", 3, "a" ELL, 2);
	ASSERT_FIT("ab" ZH "cd", 5, "ab" ZH ELL, 5);
	ASSERT_FIT("ab" ZH "cd", 4, "ab" ELL, 3);
}

static void fit_combining_stays_with_base(void **state)
{
	(void)state;
	ASSERT_FIT("e" ACUTE, 1, "e" ACUTE, 1);
	ASSERT_FIT("e" ACUTE "e" ACUTE "e" ACUTE, 3,
		   "e" ACUTE "e" ACUTE "e" ACUTE, 3);
	ASSERT_FIT("e" ACUTE "e" ACUTE "e" ACUTE, 2, "e" ACUTE ELL, 2);
	ASSERT_FIT("e" ACUTE ACUTE "xyz", 2, "e" ACUTE ACUTE ELL, 2);
}

static void fit_lone_combining_at_start(void **state)
{
	(void)state;
	ASSERT_FIT(ACUTE "a", 1, ACUTE "a", 1);
	ASSERT_FIT(ACUTE "ab", 1, ACUTE ELL, 1);
}

static void fit_emoji(void **state)
{
	(void)state;
	ASSERT_FIT(GRIN, 2, GRIN, 2);
	ASSERT_FIT(GRIN, 1, ELL, 1);
	ASSERT_FIT(GRIN GRIN, 3, GRIN ELL, 3);
	ASSERT_FIT(GRIN GRIN, 2, ELL, 1);
}

/* ---- text_fit: invalid input ---- */

static void fit_invalid_bytes_become_fffd(void **state)
{
	(void)state;
	ASSERT_FIT("a\xC0\x80" "b", 10, "a" FFFD FFFD "b", 4);
	ASSERT_FIT("\xED\xA0\x80", 10, FFFD FFFD FFFD, 3);
	ASSERT_FIT("\xF5\x80\x80\x80", 10, FFFD FFFD FFFD FFFD, 4);
	ASSERT_FIT("x\xE4\xB8", 10, "x" FFFD, 2);
	ASSERT_FIT("\xE4\xB8" "a", 10, FFFD "a", 2);
	ASSERT_FIT("\x9B" "31m", 10, FFFD "31m", 4);
	ASSERT_FIT("\xFF\xFF\xFF", 2, FFFD ELL, 2);
}

/* ---- text_fit: escapes ---- */

static void fit_esc_and_osc(void **state)
{
	(void)state;
	ASSERT_FIT("\033]0;x\007\033[2J", 40, "^[]0;x^G^[[2J", 13);
	ASSERT_FIT("\033[31mred\033[0m", 40, "^[[31mred^[[0m", 14);
}

static void fit_every_c0_control(void **state)
{
	(void)state;
	for (int c = 1; c < 0x20; c++) {
		char src[2] = { (char)c, '\0' };
		char want[3] = { '^', (char)(c + 0x40), '\0' };

		if (c == '\n' || c == '\t')
			continue;
		ASSERT_FIT(src, 10, want, 2);
	}
	ASSERT_FIT("\r", 10, "^M", 2);
	ASSERT_FIT("\a", 10, "^G", 2);
}

static void fit_del(void **state)
{
	(void)state;
	ASSERT_FIT("a\x7F" "b", 10, "a^?b", 4);
}

static void fit_newline_and_tab(void **state)
{
	(void)state;
	ASSERT_FIT("a\nb", 10, "a" ENTER "b", 3);
	ASSERT_FIT("a\tb", 10, "a b", 3);
	ASSERT_FIT("a\r\n", 10, "a^M" ENTER, 4);
}

static void fit_c1_controls(void **state)
{
	(void)state;
	ASSERT_FIT("\xC2\x9B" "2J", 10, "<9b>2J", 6);
	ASSERT_FIT("\xC2\x80", 10, "<80>", 4);
	ASSERT_FIT("\xC2\x9F", 10, "<9f>", 4);
	ASSERT_FIT("\xC2\x85", 10, "<85>", 4);
	/* the first character after C1 is printable and passes through */
	ASSERT_FIT("\xC2\xA0", 10, "\xC2\xA0", 1);
}

static void fit_bidi_controls(void **state)
{
	(void)state;
	ASSERT_FIT("abc\u202Edef", 20, "abc<U+202E>def", 14);
	ASSERT_FIT("\u202A\u202B\u202C\u202D", 40,
		   "<U+202A><U+202B><U+202C><U+202D>", 32);
	ASSERT_FIT("\u2066\u2067\u2068\u2069", 40,
		   "<U+2066><U+2067><U+2068><U+2069>", 32);
	ASSERT_FIT("\u200E\u200F", 40, "<U+200E><U+200F>", 16);
	ASSERT_FIT("\u061C", 40, "<U+061C>", 8);
}

static void fit_escape_never_split(void **state)
{
	(void)state;
	ASSERT_FIT("\u202E", 8, "<U+202E>", 8);
	ASSERT_FIT("\u202E", 7, ELL, 1);
	ASSERT_FIT("ab\u202E", 9, "ab" ELL, 3);
	ASSERT_FIT("ab\033", 4, "ab^[", 4);
	ASSERT_FIT("ab\033", 3, "ab" ELL, 3);
	ASSERT_FIT("\xC2\x9B" "x", 4, ELL, 1);
}

static void fit_unprintable_becomes_fffd(void **state)
{
	(void)state;
	/* wcwidth() < 0: line/paragraph separator, unassigned, noncharacter */
	ASSERT_FIT("a\u2028b\u2029c", 10, "a" FFFD "b" FFFD "c", 5);
	ASSERT_FIT("\xCD\xB8", 10, FFFD, 1);          /* U+0378 */
	ASSERT_FIT("\xEF\xBF\xBE", 10, FFFD, 1);      /* U+FFFE */
}

static void fit_output_is_fixed_point(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"\033]0;x\007\033[2J", "a\nb\tc", "\xC2\x9B\u202E", "\xC0\x80",
		ZH WEN ZI "abc", "e" ACUTE GRIN,
	};

	for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
		char once[256], twice[256];
		int w1 = text_fit(once, sizeof once, samples[i], 20);
		int w2 = text_fit(twice, sizeof twice, once, 20);

		assert_string_equal(twice, once);
		assert_int_equal(w2, w1);
	}
}

static void fit_huge_cols(void **state)
{
	(void)state;
	ASSERT_FIT("abc\033", INT_MAX, "abc^[", 5);
}

/* ---- text_fit: small buffers ---- */

static void fit_small_dstsz_exact(void **state)
{
	(void)state;
	static const struct {
		const char *want;
		int cols;
	} want[] = {
		{ "", 0 },             /* dstsz 1: only the NUL */
		{ "a", 1 },            /* no room for "…": whole chars that fit */
		{ "a", 1 },
		{ ELL, 1 },            /* 4 bytes: "…" replaces "a" as a marker */
		{ "a" ELL, 2 },
		{ "a" ZH "b", 4 },     /* 6 bytes: all 5 plus the NUL */
	};

	for (size_t dstsz = 1; dstsz <= sizeof want / sizeof *want; dstsz++) {
		char *buf = malloc(dstsz);  /* exact, so ASan sees any overrun */

		assert_non_null(buf);
		assert_int_equal(text_fit(buf, dstsz, "a" ZH "b", 100),
				 want[dstsz - 1].cols);
		assert_string_equal(buf, want[dstsz - 1].want);
		free(buf);
	}
}

static void fit_dstsz_zero_writes_nothing(void **state)
{
	(void)state;
	char buf[4] = "xyz";

	assert_int_equal(text_fit(buf, 0, "hello", 10), 0);
	assert_string_equal(buf, "xyz");
	assert_int_equal(text_pad(buf, 0, "hello", 10), 0);
	assert_string_equal(buf, "xyz");
	assert_int_equal(text_fit(NULL, 10, "hello", 10), 0);
}

static void fit_small_dstsz_never_overflows(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"hello world", ZH WEN ZI GRIN, "e" ACUTE ACUTE ACUTE "x",
		"\033]0;x\007\u202E\xC2\x9B", "\xC0\x80\xED\xA0\x80\xE4\xB8",
	};

	for (size_t s = 0; s < sizeof samples / sizeof *samples; s++) {
		for (size_t dstsz = 1; dstsz < 48; dstsz++) {
			unsigned char canary[64];
			int got;

			memset(canary, 0xAA, sizeof canary);
			got = text_fit((char *)canary, dstsz, samples[s], 100);
			assert_non_null(memchr(canary, '\0', dstsz));
			for (size_t i = dstsz; i < sizeof canary; i++)
				assert_int_equal(canary[i], 0xAA);
			assert_int_equal(text_width((char *)canary), got);
			assert_drawable((char *)canary);
		}
	}
}

static void fit_marks_dropped_with_base_when_bytes_run_out(void **state)
{
	(void)state;
	char buf[3];

	/* "e" fits in 3 bytes but its mark does not: neither is written */
	assert_int_equal(text_fit(buf, sizeof buf, "e" ACUTE "x", 10), 0);
	assert_string_equal(buf, "");
}

/* ---- text_pad ---- */

static void pad_exact_width(void **state)
{
	(void)state;
	char buf[64];

	assert_int_equal(text_pad(buf, sizeof buf, "ab", 5), 5);
	assert_string_equal(buf, "ab   ");
	assert_int_equal(text_pad(buf, sizeof buf, ZH WEN ZI, 4), 4);
	assert_string_equal(buf, ZH ELL " ");
	assert_int_equal(text_pad(buf, sizeof buf, ZH WEN ZI, 5), 5);
	assert_string_equal(buf, ZH WEN ELL);
	assert_int_equal(text_pad(buf, sizeof buf, "\033x", 4), 4);
	assert_string_equal(buf, "^[x ");
	assert_int_equal(text_pad(buf, sizeof buf, "", 3), 3);
	assert_string_equal(buf, "   ");
	assert_int_equal(text_pad(buf, sizeof buf, "abc", 0), 0);
	assert_string_equal(buf, "");
}

static void pad_every_width(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"abc", ZH WEN ZI, "a" GRIN "b", "e" ACUTE "\n\033", "\u202E",
	};

	for (size_t s = 0; s < sizeof samples / sizeof *samples; s++) {
		for (int cols = 0; cols <= 12; cols++) {
			char buf[128];

			assert_int_equal(text_pad(buf, sizeof buf, samples[s], cols), cols);
			assert_int_equal(text_width(buf), cols);
			assert_drawable(buf);
		}
	}
}

static void pad_small_dstsz(void **state)
{
	(void)state;
	char *buf = malloc(4);

	assert_non_null(buf);
	assert_int_equal(text_pad(buf, 4, "ab", 5), 3);
	assert_string_equal(buf, "ab ");
	assert_int_equal(text_pad(buf, 1, "ab", 5), 0);
	assert_string_equal(buf, "");
	free(buf);
}

/* ---- text_width_n ---- */

static void width_n_cjk(void **state)
{
	(void)state;
	const char *s = ZH WEN;
	static const int want[] = { 0, 0, 0, 2, 2, 2, 4, 4, 4 };

	for (size_t n = 0; n < sizeof want / sizeof *want; n++)
		assert_int_equal(text_width_n(s, n), want[n]);
	assert_int_equal(text_width_n(s, SIZE_MAX), 4);
}

static void width_n_ascii_and_marks(void **state)
{
	(void)state;
	const char *s = "a" ACUTE "b" ELL;
	static const int want[] = { 0, 1, 1, 1, 2, 2, 2, 3 };

	for (size_t n = 0; n < sizeof want / sizeof *want; n++)
		assert_int_equal(text_width_n(s, n), want[n]);
	assert_int_equal(text_width_n(NULL, 5), 0);
}

static void width_n_matches_fit(void **state)
{
	(void)state;
	char buf[128];
	int w = text_fit(buf, sizeof buf, "x\033]0;" ZH "\n" GRIN "\u202E", 30);

	assert_int_equal(text_width_n(buf, strlen(buf)), w);
	assert_int_equal(text_width_n(buf, 1), 1);           /* "x" */
	assert_int_equal(text_width_n(buf, 3), 3);           /* "x^[" */
}

/* ---- properties over arbitrary bytes ---- */

static unsigned next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

static void random_bytes_are_handled(void **state)
{
	(void)state;
	/* biased toward bytes that start or continue sequences, where the
	 * decoder's edge cases are */
	static const unsigned char pool[] = {
		0x00, 0x07, 0x0A, 0x1B, 'a', 0x7F, 0x80, 0x8F, 0x90, 0x9B, 0x9F,
		0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE2, 0xE4, 0xED, 0xEF,
		0xF0, 0xF4, 0xF5, 0xFF, 0xB8, 0xAD, 0x81, 0xAE,
	};
	unsigned seed = 12345;

	for (int iter = 0; iter < 3000; iter++) {
		char src[17];
		size_t len = next_rand(&seed) % 16, out_len;
		char *clean, fit[128];

		for (size_t i = 0; i < len; i++)
			src[i] = (char)pool[next_rand(&seed) % sizeof pool];
		src[len] = '\0';

		clean = text_sanitize(src, len, &out_len);
		assert_non_null(clean);
		assert_true(text_is_valid_utf8(clean, out_len));
		assert_int_equal(strlen(clean), out_len);
		/* valid means exactly "sanitising changes nothing" */
		assert_int_equal(text_is_valid_utf8(src, len),
				 out_len == len && memcmp(clean, src, len) == 0);
		free(clean);

		int cols = (int)(next_rand(&seed) % 12);
		int got = text_fit(fit, sizeof fit, src, cols);

		assert_true(got <= cols);
		assert_int_equal(text_width(fit), got);
		assert_drawable(fit);
	}
}

/* text_escape: the whole text, escaped, however long — never cut. */
static void escape_keeps_everything(void **state)
{
	(void)state;
	char *out = text_escape("值班\033]0;x\007\n完");
	assert_non_null(out);
	assert_string_equal(out, "值班^[]0;x^G↵完");
	free(out);

	char long_text[3001];
	memset(long_text, '\n', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	out = text_escape(long_text);
	assert_non_null(out);
	assert_int_equal(strlen(out), 3000 * strlen("↵"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_accepts_well_formed),
		cmocka_unit_test(valid_accepts_range_edges),
		cmocka_unit_test(valid_rejects_overlong),
		cmocka_unit_test(valid_rejects_surrogates),
		cmocka_unit_test(valid_rejects_above_max),
		cmocka_unit_test(valid_rejects_truncated_and_stray),
		cmocka_unit_test(valid_rejects_nul_inside_len),
		cmocka_unit_test(sanitize_keeps_valid_text),
		cmocka_unit_test(sanitize_overlong),
		cmocka_unit_test(sanitize_surrogate),
		cmocka_unit_test(sanitize_above_max),
		cmocka_unit_test(sanitize_truncated),
		cmocka_unit_test(sanitize_stray_continuation),
		cmocka_unit_test(sanitize_nul_inside_len),
		cmocka_unit_test(sanitize_out_len_optional),
		cmocka_unit_test(sanitize_ignores_bytes_past_len),
		cmocka_unit_test(width_ascii),
		cmocka_unit_test(width_cjk),
		cmocka_unit_test(width_combining_and_emoji),
		cmocka_unit_test(width_of_escapes),
		cmocka_unit_test(width_matches_unlimited_fit),
		cmocka_unit_test(fit_ascii),
		cmocka_unit_test(fit_nonpositive_cols_is_empty),
		cmocka_unit_test(fit_cjk),
		cmocka_unit_test(fit_cjk_every_width),
		cmocka_unit_test(fit_mixed),
		cmocka_unit_test(fit_combining_stays_with_base),
		cmocka_unit_test(fit_lone_combining_at_start),
		cmocka_unit_test(fit_emoji),
		cmocka_unit_test(fit_invalid_bytes_become_fffd),
		cmocka_unit_test(fit_esc_and_osc),
		cmocka_unit_test(fit_every_c0_control),
		cmocka_unit_test(fit_del),
		cmocka_unit_test(fit_newline_and_tab),
		cmocka_unit_test(fit_c1_controls),
		cmocka_unit_test(fit_bidi_controls),
		cmocka_unit_test(fit_escape_never_split),
		cmocka_unit_test(fit_unprintable_becomes_fffd),
		cmocka_unit_test(fit_output_is_fixed_point),
		cmocka_unit_test(fit_huge_cols),
		cmocka_unit_test(fit_small_dstsz_exact),
		cmocka_unit_test(fit_dstsz_zero_writes_nothing),
		cmocka_unit_test(fit_small_dstsz_never_overflows),
		cmocka_unit_test(fit_marks_dropped_with_base_when_bytes_run_out),
		cmocka_unit_test(pad_exact_width),
		cmocka_unit_test(pad_every_width),
		cmocka_unit_test(pad_small_dstsz),
		cmocka_unit_test(width_n_cjk),
		cmocka_unit_test(width_n_ascii_and_marks),
		cmocka_unit_test(width_n_matches_fit),
		cmocka_unit_test(random_bytes_are_handled),
		cmocka_unit_test(escape_keeps_everything),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
