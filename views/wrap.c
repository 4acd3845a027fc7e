/*
 * wrap.c — line breaking by display columns (see wrap.h).
 *
 * Widths come from text_width() on each character, so a control
 * character is measured as the escape text_fit() will draw for it, and a
 * zero-width combining mark stays on the line of its base character.
 */
#include <stdbool.h>
#include <string.h>

#include "dutydesk/text.h"
#include "dutydesk/wrap.h"

/* Bytes in the UTF-8 character at s (stored text is valid UTF-8; a stray
 * byte counts as one). */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return i;
	return n;
}

/* Punctuation that must not begin a line (Chinese 避头点, as in
 * GB/T 15834 practice): closing marks and pause marks stay with the
 * character before them. */
static bool no_line_start(const char *c)
{
	static const char *const marks[] = {
		"，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "】", "》", "〉",
		"”", "’", "…", "·", ",", ".", ";", ":", "?", "!", ")",
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp(c, marks[i], strlen(marks[i])) == 0)
			return true;
	return false;
}

size_t wrap_line(const char *s, int cols)
{
	size_t pos = 0, prev = 0, last_space = 0;
	int width = 0, space_width = 0;
	while (s[pos] && s[pos] != '\n') {
		size_t len = char_len(s + pos);
		char one[5];
		memcpy(one, s + pos, len);
		one[len] = '\0';
		int w = text_width(one);
		if (width + w > cols && pos > 0) {
			/* After the last space, unless that wastes a third of the
			 * line: CJK text with one Latin word in it must not leave
			 * half a line blank before the word. */
			if (last_space > 0 && space_width >= cols - cols / 3)
				return last_space;
			/* Carry the last character over with a mark that may not
			 * start a line, unless it is the only one. */
			return no_line_start(s + pos) && prev > 0 ? prev : pos;
		}
		width += w;
		prev = pos;
		pos += len;
		if (one[0] == ' ') {
			last_space = pos;
			space_width = width;
		}
	}
	return pos;
}
