/*
 * lineedit.h — the one-line editor behind quick entry, `/` and `:`.
 *
 * A wchar_t buffer with a cursor and the index of the first visible
 * character, in the manner of neomutt's editor: it knows nothing of
 * curses, so every editing function is tested without a terminal.  The
 * cursor moves by characters; layout is by display columns (wcwidth), so
 * a wide CJK character is two columns and is never split at the edge.
 */
#ifndef DUTYDESK_LINEEDIT_H
#define DUTYDESK_LINEEDIT_H

#include <stddef.h>
#include <wchar.h>

struct lineedit {
	wchar_t *buf;          /* not NUL-terminated; len characters */
	size_t len, cap;
	size_t cursor;         /* 0..len */
	size_t first_visible;  /* first character drawn */
	size_t max_chars;      /* inserts beyond this are refused (0: all) */
};

void lineedit_init(struct lineedit *le, size_t max_chars);
void lineedit_free(struct lineedit *le);
void lineedit_clear(struct lineedit *le);

/* Inserts at the cursor.  Control characters (C0, DEL, C1) are refused
 * and return -1; a string (an input method commits several characters at
 * once) is inserted whole or, past max_chars, up to the limit.  Invalid
 * UTF-8 bytes are inserted as U+FFFD.  Returns characters inserted.
 *
 * insert_wc: 1, 0 when full, -1 for a control character or out of
 * memory; a surrogate or value past U+10FFFF is stored as U+FFFD.
 * insert_utf8: decoded strictly and without the locale, one U+FFFD per
 * maximal invalid subsequence; a tab becomes a space and other control
 * characters (a pasted newline, ESC) are skipped, not refused; NULL is
 * empty; -1 only when out of memory, with nothing inserted. */
int lineedit_insert_wc(struct lineedit *le, wchar_t wc);
int lineedit_insert_utf8(struct lineedit *le, const char *utf8);

/* Replaces the whole text and puts the cursor at the end; filtered and
 * truncated as by lineedit_insert_utf8 (left empty if out of memory). */
void lineedit_set_utf8(struct lineedit *le, const char *utf8);

void lineedit_backspace(struct lineedit *le);       /* deletes before cursor */
void lineedit_delete(struct lineedit *le);          /* deletes at cursor */
void lineedit_left(struct lineedit *le);
void lineedit_right(struct lineedit *le);
void lineedit_home(struct lineedit *le);
void lineedit_end(struct lineedit *le);
/* A word is a run of characters other than spaces (U+0020, U+3000 and
 * the other Unicode spaces except the no-break ones), so CJK text without
 * spaces is one word.  word_left goes to the start of the word before the
 * cursor, word_right to the end of the next one, as in readline. */
void lineedit_word_left(struct lineedit *le);
void lineedit_word_right(struct lineedit *le);
void lineedit_kill_to_start(struct lineedit *le);   /* Ctrl-U */
void lineedit_kill_to_end(struct lineedit *le);     /* Ctrl-K */
void lineedit_kill_word_back(struct lineedit *le);  /* Ctrl-W: spaces, then a word */

/* malloc'd UTF-8 copy of the text; NULL on allocation failure. */
char *lineedit_text(const struct lineedit *le);

/* Lays the text out in a field cols columns wide, scrolling first_visible
 * so the cursor stays visible (with one column for it at the end).  Sets
 * *count to the characters drawn from first_visible and returns the
 * cursor's column inside the field, always < cols.  Only characters that
 * fit whole are counted; wcwidth() < 0 counts as one column.  Text hidden
 * on the left scrolls back when the rest fits.  cols < 1: *count 0, 0. */
int lineedit_layout(struct lineedit *le, int cols, size_t *count);

#endif
