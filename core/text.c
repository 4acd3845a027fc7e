/*
 * text.c — the one UTF-8 decoder, and the escaping that keeps stored text
 * from ever acting on the terminal.
 *
 * Everything that reads UTF-8 goes through utf8_decode(), so "valid"
 * means the same thing on the way in (text_sanitize, text_is_valid_utf8)
 * and on the way out (text_fit, text_width).  The decoder follows the
 * well-formed byte sequences of Unicode Table 3-7 and, for ill-formed
 * input, consumes one "maximal subpart" per U+FFFD (Unicode's recommended
 * practice, also what WHATWG and Python do), so every implementation that
 * follows the standard agrees with us on how many U+FFFD a bad string
 * becomes.
 *
 * Invariants:
 *  - utf8_decode() never reads past the length it is given and always
 *    consumes at least one byte, so every loop over it terminates.
 *  - text_sanitize() output is valid UTF-8 with no NUL inside its length.
 *  - text_fit() output contains no byte below 0x20, no 0x7f, no C1 control
 *    and no bidi control: each has a visible ASCII escape instead, so what
 *    is drawn is what was said, and a terminal never sees an instruction.
 *  - A display unit (a character or an escape) is written whole or not at
 *    all, and zero-width marks are kept with the unit they follow, so
 *    truncation never splits a character, an escape or a grapheme's marks.
 *  - The width text_fit() returns is the width of what it wrote, and
 *    text_width() of that output gives the same number: the output is its
 *    own escaped form, so fitting it again changes nothing.
 *  - dst is always NUL-terminated when dstsz > 0, and never written past
 *    dstsz.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dutydesk/error.h"
#include "dutydesk/text.h"

/* What utf8_decode() yields for ill-formed input: above U+10FFFF, so it
 * cannot be confused with a U+FFFD that was really in the text. */
#define BAD_SEQUENCE 0x110000u

/* U+FFFD, "…" and "↵" in UTF-8, and the columns we promise for them.
 * Their widths are fixed rather than asked of wcwidth() so the layout of
 * an escape does not depend on the locale's opinion of these symbols. */
static const char repl_utf8[] = "\xEF\xBF\xBD";
static const char ellipsis_utf8[] = "\xE2\x80\xA6";
static const char newline_utf8[] = "\xE2\x86\xB5";

/* Decodes one character from s[0..len), len >= 1, into *cp and returns the
 * bytes consumed.  Ill-formed input yields BAD_SEQUENCE and consumes the
 * maximal subpart: the longest prefix that could still have begun a
 * well-formed sequence, or one byte when even the first byte cannot.
 * The tightened second-byte ranges are what reject overlongs (E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and values above U+10FFFF (F4 90..). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		/* 80..BF stray continuation, C0/C1 always overlong, F5.. too big */
		*cp = BAD_SEQUENCE;
		return 1;
	}
	for (size_t i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = BAD_SEQUENCE;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3Fu);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

/* NUL is well-formed UTF-8, but stored text is handled as C strings, where
 * an embedded NUL would silently cut off whatever followed it. */
static bool storable(uint32_t cp)
{
	return cp != 0 && cp != BAD_SEQUENCE;
}

bool text_is_valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (!s)
		return len == 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (!storable(cp))
			return false;
		i += n;
	}
	return true;
}

char *text_sanitize(const char *s, size_t len, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t need = 0, i, o;
	char *out;

	if (!s)
		len = 0;
	/* Measured first so the copy is exactly as large as it must be; a
	 * blanket 3*len would also need its own overflow check. */
	for (i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		size_t add = storable(cp) ? n : sizeof repl_utf8 - 1;

		if (need > SIZE_MAX - 1 - add)
			return NULL;
		need += add;
		i += n;
	}
	out = malloc(need + 1);
	if (!out)
		return NULL;
	for (i = 0, o = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (storable(cp)) {
			memcpy(out + o, p + i, n);
			o += n;
		} else {
			memcpy(out + o, repl_utf8, sizeof repl_utf8 - 1);
			o += sizeof repl_utf8 - 1;
		}
		i += n;
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

/* One display unit: a character as it will be drawn, or its escape. */
struct unit {
	char buf[12];   /* longest is "<U+202E>" */
	size_t len;
	int width;
};

/* Unicode's Bidi_Control set.  They are invisible (wcwidth 0) yet reorder
 * whatever follows, so a name or note could make a log line read
 * differently from what was said; showing them keeps that visible. */
static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static const char hexdigits[] = "0123456789abcdef";
static const char HEXDIGITS[] = "0123456789ABCDEF";

static void unit_set(struct unit *u, const char *bytes, size_t len, int width)
{
	memcpy(u->buf, bytes, len);
	u->len = len;
	u->width = width;
}

/* Reads the unit starting at s[0..len), len >= 1, and returns the source
 * bytes it covers. */
static size_t next_unit(const unsigned char *s, size_t len, struct unit *u)
{
	uint32_t cp;
	size_t n = utf8_decode(s, len, &cp);
	int w;

	if (cp == BAD_SEQUENCE) {
		unit_set(u, repl_utf8, sizeof repl_utf8 - 1, 1);
	} else if (cp == '\n') {
		/* one column, so a multi-line note still reads as one row */
		unit_set(u, newline_utf8, sizeof newline_utf8 - 1, 1);
	} else if (cp == '\t') {
		/* a tab's width depends on where it lands; one space does not */
		unit_set(u, " ", 1, 1);
	} else if (cp < 0x20 || cp == 0x7F) {
		char esc[2] = { '^', (char)(cp ^ 0x40) };

		unit_set(u, esc, 2, 2);
	} else if (cp >= 0x80 && cp <= 0x9F) {
		char esc[4] = { '<', hexdigits[cp >> 4], hexdigits[cp & 0xF], '>' };

		unit_set(u, esc, 4, 4);
	} else if (is_bidi_control(cp)) {
		char esc[8] = { '<', 'U', '+',
				HEXDIGITS[(cp >> 12) & 0xF], HEXDIGITS[(cp >> 8) & 0xF],
				HEXDIGITS[(cp >> 4) & 0xF], HEXDIGITS[cp & 0xF], '>' };

		unit_set(u, esc, 8, 8);
	} else if ((w = wcwidth((wchar_t)cp)) < 0) {
		/* unassigned, line/paragraph separators, noncharacters: the
		 * terminal's guess at their width would break the layout */
		unit_set(u, repl_utf8, sizeof repl_utf8 - 1, 1);
	} else {
		unit_set(u, (const char *)s, n, w);
	}
	return n;
}

int text_width(const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t len, i;
	int total = 0;

	if (!src)
		return 0;
	len = strlen(src);
	for (i = 0; i < len;) {
		struct unit u;

		i += next_unit(p + i, len - i, &u);
		/* saturate: a width is for layout, and INT_MAX already means
		 * "wider than any screen" */
		total = u.width > INT_MAX - total ? INT_MAX : total + u.width;
	}
	return total;
}

int text_fit(char *dst, size_t dstsz, const char *src, int cols)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t len, i, out = 0, base_out = 0, mark_out = 0;
	int used = 0, base_used = 0, mark_used = 0;
	bool truncated = false, mark_ok;
	const size_t ell_len = sizeof ellipsis_utf8 - 1;

	if (!dst || dstsz == 0)
		return 0;
	dst[0] = '\0';
	if (cols <= 0 || !src)
		return 0;
	len = strlen(src);

	/* The mark is the latest unit boundary after which "…" still fits
	 * (one column, ell_len bytes plus the NUL).  Both columns and bytes
	 * only grow, so once a boundary fails no later one can succeed. */
	mark_ok = dstsz > ell_len;
	for (i = 0; i < len;) {
		struct unit u;
		size_t n = next_unit(p + i, len - i, &u);

		if (u.width > 0) {
			/* a new base: the previous one is complete with its marks */
			if (used < cols && dstsz - out > ell_len) {
				mark_out = out;
				mark_used = used;
			}
			base_out = out;
			base_used = used;
			if (u.width > cols - used) {
				truncated = true;
				break;
			}
		}
		if (u.len >= dstsz - out) {
			/* out of bytes: drop the whole base with its marks, not
			 * just this mark, so no mark is left without its base */
			out = base_out;
			used = base_used;
			truncated = true;
			break;
		}
		memcpy(dst + out, u.buf, u.len);
		out += u.len;
		used += u.width;
		i += n;
	}
	if (truncated && mark_ok) {
		out = mark_out;
		used = mark_used;
		memcpy(dst + out, ellipsis_utf8, ell_len);
		out += ell_len;
		used += 1;
	}
	/* Without room for "…" (dstsz < 4) the whole units that fit are
	 * still better than nothing. */
	dst[out] = '\0';
	return used;
}

int text_pad(char *dst, size_t dstsz, const char *src, int cols)
{
	int used = text_fit(dst, dstsz, src, cols);
	size_t out;

	if (!dst || dstsz == 0)
		return 0;
	out = strlen(dst);
	/* a too-small buffer gets as much padding as fits, still terminated */
	while (used < cols && out + 1 < dstsz) {
		dst[out++] = ' ';
		used++;
	}
	dst[out] = '\0';
	return used;
}

int text_width_n(const char *safe, size_t n)
{
	const unsigned char *p = (const unsigned char *)safe;
	size_t len, i;
	int total = 0;

	if (!safe)
		return 0;
	/* Look up to three bytes past n so a character that n cuts through
	 * is recognised as not yet reached rather than mistaken for a
	 * truncated sequence drawn as U+FFFD. */
	len = strnlen(safe, n > SIZE_MAX - 3 ? SIZE_MAX : n + 3);
	for (i = 0; i < len;) {
		struct unit u;
		size_t step = next_unit(p + i, len - i, &u);

		if (i + step > n)
			break;
		total = u.width > INT_MAX - total ? INT_MAX : total + u.width;
		i += step;
	}
	return total;
}

static bool ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *text_clean(const char *s, size_t len, size_t *out_len)
{
	while (len > 0 && ascii_space((unsigned char)s[0])) {
		s++;
		len--;
	}
	while (len > 0 && ascii_space((unsigned char)s[len - 1]))
		len--;
	return text_sanitize(s, len, out_len);
}

int text_clean_into(const char *what, const char *value, char *dst, size_t cap, bool required,
		    struct dd_error *err)
{
	size_t len;
	char *clean = text_clean(value ? value : "", value ? strlen(value) : 0, &len);
	if (!clean)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc = 0;
	if (len == 0 && required)
		rc = dd_fail(err, DD_EINVAL, "%s is empty", what);
	else if (len >= cap)
		rc = dd_fail(err, DD_EINVAL, "%s is %zu bytes; at most %zu are allowed", what, len, cap - 1);
	else
		memcpy(dst, clean, len + 1);
	free(clean);
	return rc;
}

char *text_escape(const char *src)
{
	/* The longest escape is three bytes per input byte (a newline as
	 * "↵", an invalid byte as U+FFFD, "<U+202E>" for a 3-byte bidi
	 * control); twice that leaves room to spare. */
	size_t cap = strlen(src) * 6 + 16;
	char *buf = malloc(cap);
	if (buf)
		text_fit(buf, cap, src, text_width(src));
	return buf;
}
