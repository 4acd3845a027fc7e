/*
 * lineedit.c — the one-line editor behind quick entry, `/` and `:`, kept
 * free of curses so every keystroke's effect is unit-tested.
 *
 * Invariants, true after every public call:
 *  - cursor <= len, first_visible <= len, len <= max_chars, len <= cap;
 *  - buf holds no control character (C0, DEL, C1) and no value that is
 *    not a Unicode scalar value, so lineedit_text() always yields valid
 *    UTF-8 and nothing typed or pasted can act on the terminal;
 *  - first_visible is only a hint between calls: lineedit_layout() is the
 *    one place that makes it show the cursor, so editing functions merely
 *    keep it pointing at the same character when text before it goes.
 *
 * UTF-8 is decoded and encoded here by hand rather than with mbrtowc():
 * the bytes a paste or an input method delivers must mean the same thing
 * whatever LC_CTYPE the console was started under.  Display widths do
 * come from wcwidth(), which needs a UTF-8 LC_CTYPE (see text.h).
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/lineedit.h"

#define REPLACEMENT ((wchar_t)0xFFFD)

static bool is_control(wchar_t wc)
{
	/* wchar_t may be signed; anything negative is not a character. */
	return (wc >= 0 && wc <= 0x1F) || (wc >= 0x7F && wc <= 0x9F);
}

static bool is_scalar_value(wchar_t wc)
{
	return wc >= 0 && wc <= 0x10FFFF && !(wc >= 0xD800 && wc <= 0xDFFF);
}

/*
 * Word separators, listed rather than taken from iswspace() so that word
 * motions do not change with the locale.  These are Unicode's White_Space
 * characters minus the controls (never stored) and minus the no-break
 * spaces U+00A0, U+2007 and U+202F, which exist precisely to glue words
 * together.  U+3000 is included because CJK input methods type it.
 */
static bool is_space(wchar_t wc)
{
	return wc == 0x20 || wc == 0x1680 || (wc >= 0x2000 && wc <= 0x2006) ||
	       (wc >= 0x2008 && wc <= 0x200A) || wc == 0x2028 ||
	       wc == 0x2029 || wc == 0x205F || wc == 0x3000;
}

/* A terminal still draws something for a character wcwidth() cannot
 * measure (an unassigned code point), so it is given one column. */
static size_t width_of(wchar_t wc)
{
	int w = wcwidth(wc);
	return w < 0 ? 1 : (size_t)w;
}

static size_t room(const struct lineedit *le)
{
	return le->len >= le->max_chars ? 0 : le->max_chars - le->len;
}

/* Makes space for n more characters; false (buffer untouched) when memory
 * runs out, so a failed insert never loses what was already typed. */
static bool reserve(struct lineedit *le, size_t n)
{
	size_t need = le->len + n;
	if (need <= le->cap)
		return true;
	size_t cap = le->cap < 16 ? 16 : le->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	/* Growing past the limit would only waste memory. */
	if (cap > le->max_chars)
		cap = need > le->max_chars ? need : le->max_chars;
	if (cap > SIZE_MAX / sizeof *le->buf)
		return false;
	wchar_t *nbuf = realloc(le->buf, cap * sizeof *nbuf);
	if (!nbuf)
		return false;
	le->buf = nbuf;
	le->cap = cap;
	return true;
}

/* Opens a gap of n characters at the cursor, leaving the cursor before it
 * and the first visible character showing the same text. */
static void open_gap(struct lineedit *le, size_t n)
{
	size_t at = le->cursor;
	memmove(le->buf + at + n, le->buf + at,
		(le->len - at) * sizeof *le->buf);
	le->len += n;
	if (le->first_visible > at)
		le->first_visible += n;
}

/* Removes [from, to) and leaves the cursor where the text was. */
static void remove_range(struct lineedit *le, size_t from, size_t to)
{
	if (from >= to)
		return;
	memmove(le->buf + from, le->buf + to, (le->len - to) * sizeof *le->buf);
	le->len -= to - from;
	le->cursor = from;
	if (le->first_visible >= to)
		le->first_visible -= to - from;
	else if (le->first_visible > from)
		le->first_visible = from;
}

/*
 * Decodes one character from s[0..n), n >= 1, into *out and returns the
 * bytes consumed.  Strict (RFC 3629): overlongs, surrogates and values
 * above U+10FFFF are invalid.  Following Unicode's "maximal subpart"
 * practice, an ill-formed sequence yields one U+FFFD for the longest
 * prefix that could have begun a valid character, or for a single byte
 * that could begin none; the byte that broke the sequence is then decoded
 * afresh, so an ASCII character after a truncated sequence is kept.
 */
static size_t decode_one(const unsigned char *s, size_t n, wchar_t *out)
{
	unsigned char b = s[0];
	if (b < 0x80) {
		*out = (wchar_t)b;
		return 1;
	}

	size_t need;
	uint_least32_t cp;
	unsigned char lo = 0x80, hi = 0xBF;  /* range allowed for byte 2 */
	if (b >= 0xC2 && b <= 0xDF) {
		need = 2;
		cp = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 3;
		cp = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;          /* overlong below U+0800 */
		else if (b == 0xED)
			hi = 0x9F;          /* surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 4;
		cp = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;          /* overlong below U+10000 */
		else if (b == 0xF4)
			hi = 0x8F;          /* above U+10FFFF */
	} else {
		/* Stray continuation byte, C0/C1 (always overlong), F5..FF. */
		*out = REPLACEMENT;
		return 1;
	}

	for (size_t i = 1; i < need; i++) {
		unsigned char c = i < n ? s[i] : 0;
		unsigned char min = i == 1 ? lo : 0x80;
		unsigned char max = i == 1 ? hi : 0xBF;
		if (i >= n || c < min || c > max) {
			*out = REPLACEMENT;
			return i;
		}
		cp = (cp << 6) | (c & 0x3F);
	}
	*out = (wchar_t)cp;
	return need;
}

/*
 * Decodes utf8 and keeps what may be stored: a tab becomes one space, so
 * tab-separated text pasted into a search still has its words apart; any
 * other control character (a pasted newline, an escape sequence's ESC) is
 * dropped.  Writes at most max characters to dst when dst is not NULL and
 * returns how many were (or, with dst NULL, would be) kept.
 */
static size_t decode_filtered(const char *utf8, wchar_t *dst, size_t max)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = strlen(utf8), kept = 0;
	while (n > 0 && kept < max) {
		wchar_t wc;
		size_t used = decode_one(s, n, &wc);
		s += used;
		n -= used;
		if (wc == L'\t')
			wc = L' ';
		else if (is_control(wc))
			continue;
		if (dst)
			dst[kept] = wc;
		kept++;
	}
	return kept;
}

void lineedit_init(struct lineedit *le, size_t max_chars)
{
	le->buf = NULL;
	le->len = le->cap = 0;
	le->cursor = le->first_visible = 0;
	le->max_chars = max_chars;
}

void lineedit_free(struct lineedit *le)
{
	free(le->buf);
	/* Keeps max_chars so the editor can be reused as it was set up. */
	lineedit_init(le, le->max_chars);
}

void lineedit_clear(struct lineedit *le)
{
	le->len = le->cursor = le->first_visible = 0;
}

/*
 * -1 for a control character or when memory runs out (nothing inserted),
 * 0 when the field is full, 1 otherwise.  A value that is no Unicode
 * character (a surrogate, beyond U+10FFFF) is stored as U+FFFD, as an
 * invalid UTF-8 byte would be, so the text stays encodable.
 */
int lineedit_insert_wc(struct lineedit *le, wchar_t wc)
{
	if (is_control(wc))
		return -1;
	if (!is_scalar_value(wc))
		wc = REPLACEMENT;
	if (room(le) == 0)
		return 0;
	if (!reserve(le, 1))
		return -1;
	open_gap(le, 1);
	le->buf[le->cursor++] = wc;
	return 1;
}

/* Characters inserted, 0 for NULL or nothing storable, -1 when memory runs
 * out (nothing inserted).  Decoding twice avoids a temporary copy: the
 * first pass only counts, so the gap is opened once at the right size. */
int lineedit_insert_utf8(struct lineedit *le, const char *utf8)
{
	if (!utf8)
		return 0;
	size_t max = room(le);
	if (max > INT_MAX)
		max = INT_MAX;
	size_t n = decode_filtered(utf8, NULL, max);
	if (n == 0)
		return 0;
	if (!reserve(le, n))
		return -1;
	open_gap(le, n);
	decode_filtered(utf8, le->buf + le->cursor, n);
	le->cursor += n;
	return (int)n;
}

/* Filters and truncates as lineedit_insert_utf8(); if memory runs out the
 * field is left empty rather than holding a stale value. */
void lineedit_set_utf8(struct lineedit *le, const char *utf8)
{
	lineedit_clear(le);
	lineedit_insert_utf8(le, utf8);
}

void lineedit_backspace(struct lineedit *le)
{
	if (le->cursor > 0)
		remove_range(le, le->cursor - 1, le->cursor);
}

void lineedit_delete(struct lineedit *le)
{
	if (le->cursor < le->len)
		remove_range(le, le->cursor, le->cursor + 1);
}

void lineedit_left(struct lineedit *le)
{
	if (le->cursor > 0)
		le->cursor--;
}

void lineedit_right(struct lineedit *le)
{
	if (le->cursor < le->len)
		le->cursor++;
}

void lineedit_home(struct lineedit *le)
{
	le->cursor = 0;
}

void lineedit_end(struct lineedit *le)
{
	le->cursor = le->len;
}

/* Start of the word before pos: back over spaces, then over the run of
 * non-space characters.  Shared by word_left and Ctrl-W so the two always
 * agree on what a word is. */
static size_t word_start_before(const struct lineedit *le, size_t pos)
{
	while (pos > 0 && is_space(le->buf[pos - 1]))
		pos--;
	while (pos > 0 && !is_space(le->buf[pos - 1]))
		pos--;
	return pos;
}

void lineedit_word_left(struct lineedit *le)
{
	le->cursor = word_start_before(le, le->cursor);
}

/* Ends after the next word, as in Emacs and readline, so that word_left
 * right after word_right returns to where the word began. */
void lineedit_word_right(struct lineedit *le)
{
	size_t pos = le->cursor;
	while (pos < le->len && is_space(le->buf[pos]))
		pos++;
	while (pos < le->len && !is_space(le->buf[pos]))
		pos++;
	le->cursor = pos;
}

void lineedit_kill_to_start(struct lineedit *le)
{
	remove_range(le, 0, le->cursor);
}

void lineedit_kill_to_end(struct lineedit *le)
{
	remove_range(le, le->cursor, le->len);
}

void lineedit_kill_word_back(struct lineedit *le)
{
	remove_range(le, word_start_before(le, le->cursor), le->cursor);
}

static size_t encode_one(wchar_t wc, char *out)
{
	if (!is_scalar_value(wc))
		wc = REPLACEMENT;   /* unreachable while the invariant holds */
	uint_least32_t cp = (uint_least32_t)wc;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

char *lineedit_text(const struct lineedit *le)
{
	/* Four bytes per character is the most UTF-8 needs; sizing for the
	 * worst case beats a second pass over the text. */
	if (le->len > (SIZE_MAX - 1) / 4)
		return NULL;
	char *out = malloc(le->len * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < le->len; i++)
		o += encode_one(le->buf[i], out + o);
	out[o] = '\0';
	return out;
}

/* Columns taken by buf[from..to). */
static size_t span_width(const struct lineedit *le, size_t from, size_t to)
{
	size_t w = 0;
	for (size_t i = from; i < to; i++)
		w += width_of(le->buf[i]);
	return w;
}

/*
 * Scrolling rules, in order:
 *  1. a cursor left of the view becomes the first character drawn;
 *  2. the view scrolls right until the cell under the cursor fits whole —
 *     the character there (a wide one needs both its columns) or, at the
 *     end of the text, the one column where the next character would go;
 *     scrolling does not stop on a combining mark, which cannot be drawn
 *     without its base (only a cursor on the mark itself puts it first);
 *  3. if text is hidden on the left while the rest, plus that end column,
 *     would fit, the view scrolls back to show it (after a deletion or a
 *     wider field).  The end column is reserved even when the cursor is
 *     elsewhere, so that merely moving the cursor never shifts the text.
 * Only characters that fit whole are counted, so the cell after the last
 * one may be blank rather than hold half of a wide character.  With cols
 * below 1 nothing can be drawn: *count is 0 and the column 0.
 */
int lineedit_layout(struct lineedit *le, int cols, size_t *count)
{
	if (le->cursor > le->len)
		le->cursor = le->len;
	if (le->first_visible > le->len)
		le->first_visible = le->len;
	if (cols < 1) {
		le->first_visible = le->cursor;
		*count = 0;
		return 0;
	}
	size_t field = (size_t)cols;
	size_t first = le->first_visible, cursor = le->cursor;

	if (cursor < first)
		first = cursor;

	size_t under = cursor < le->len ? width_of(le->buf[cursor]) : 1;
	if (under == 0)
		under = 1;
	size_t before = span_width(le, first, cursor);
	while (first < cursor && before + under > field)
		before -= width_of(le->buf[first++]);
	while (first < cursor && width_of(le->buf[first]) == 0)
		first++;

	size_t rest = span_width(le, first, le->len) + 1;
	while (first > 0) {
		size_t start = first - 1, add = width_of(le->buf[start]);
		/* A base character and its marks come back together. */
		while (start > 0 && width_of(le->buf[start]) == 0) {
			start--;
			add += width_of(le->buf[start]);
		}
		if (rest + add > field)
			break;
		rest += add;
		first = start;
	}
	le->first_visible = first;

	size_t used = 0, n = 0;
	for (size_t i = first; i < le->len; i++) {
		size_t w = width_of(le->buf[i]);
		if (used + w > field)
			break;
		used += w;
		n++;
	}
	*count = n;
	return (int)span_width(le, first, cursor);
}
