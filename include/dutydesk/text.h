/*
 * text.h — UTF-8 hygiene and display-column arithmetic.
 *
 * Two jobs, kept apart on purpose:
 *  - on the way in, text_sanitize() makes any byte string valid UTF-8
 *    (invalid sequences become U+FFFD) so nothing raw is ever stored;
 *  - on the way out, text_fit() turns stored text into something safe to
 *    draw: control characters become visible escapes (ESC is "^[", a C1
 *    control "<9b>", a bidi override "<U+202E>"), a newline is "↵", a tab
 *    one space; the result is measured in display columns (wcwidth), never
 *    bytes, and truncated with "…" without splitting a character.
 * Stored text keeps its control characters: the log must not lose what was
 * said, only never let it act on the terminal.
 *
 * The width functions need an LC_CTYPE whose codeset is UTF-8; the console
 * ensures one at start-up even when LANG=C.
 */
#ifndef DUTYDESK_TEXT_H
#define DUTYDESK_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is strict UTF-8 with no NUL byte inside len, i.e.
 * exactly when text_sanitize() would return it unchanged.  NUL counts as
 * invalid because stored text is handled as C strings, where it would cut
 * off whatever follows. */
bool text_is_valid_utf8(const char *s, size_t len);

/* Returns a malloc'd, NUL-terminated copy of s[0..len) in which every
 * invalid UTF-8 sequence (overlong, surrogate, > U+10FFFF, truncated,
 * stray continuation byte) and every NUL byte is replaced by U+FFFD.
 * One U+FFFD replaces each maximal subpart of an ill-formed sequence
 * (Unicode's recommended practice), so a truncated "E4 B8" is one U+FFFD
 * and a surrogate "ED A0 80" is three.  *out_len (may be NULL) receives
 * the byte length.  NULL on allocation failure only. */
char *text_sanitize(const char *s, size_t len, size_t *out_len);

/* text_sanitize() of s without the white space around it: what a person
 * typed, ready to store.  *out_len 0 means there was nothing but space. */
char *text_clean(const char *s, size_t len, size_t *out_len);

struct dd_error;

/* text_clean() of value (NULL reads as "") into dst of cap bytes: the
 * rule every typed field of the roster and the duty schedule follows.
 * Required text must not end up empty; too long is an error, never a
 * silent cut.  0, or DD_EINVAL/DD_ENOMEM with err set. */
int text_clean_into(const char *what, const char *value, char *dst, size_t cap, bool required,
		    struct dd_error *err);

/* Display columns src would occupy once escaped as text_fit() draws it. */
int text_width(const char *src);

/* Writes into dst (dstsz bytes, always NUL-terminated) the escaped form of
 * src, at most cols display columns wide; when it does not fit it ends
 * with "…".  Returns the columns used.  Zero-width combining marks stay
 * with their base character.
 *
 * Escapes: C0 controls "^@".."^_" (ESC "^["), DEL "^?", newline "↵",
 * tab " ", C1 controls "<80>".."<9f>", bidi controls (U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069) "<U+202E>"; invalid bytes and
 * characters wcwidth() calls unprintable become U+FFFD.  A character or
 * escape is written whole or not at all, so a wide character that would
 * straddle the last column is left out.  cols <= 0 gives "".  dstsz also
 * limits the output; when dstsz < 4 there is no room for "…" and the whole
 * characters that fit are written without it.  Nothing is written when
 * dst is NULL or dstsz is 0. */
int text_fit(char *dst, size_t dstsz, const char *src, int cols);

/* The whole of src escaped as text_fit() draws it, never truncated, in a
 * malloc'd string (NULL when out of memory): for output that is not a
 * screen field, such as a listing or a printed report. */
char *text_escape(const char *src);

/* As text_fit(), then pads with spaces to exactly cols columns (fewer
 * only when dstsz is too small to hold them).  Returns the columns used. */
int text_pad(char *dst, size_t dstsz, const char *src, int cols);

/* Display width of the first n bytes of an already safe string (as
 * produced by text_fit), e.g. to place a cursor.  A character that n cuts
 * through is not counted; n past the NUL means the whole string. */
int text_width_n(const char *safe, size_t n);

#endif
