/*
 * wrap.h — breaking stored text into lines of a given display width, for
 * showing an entry in full.
 */
#ifndef DUTYDESK_WRAP_H
#define DUTYDESK_WRAP_H

#include <stddef.h>

/* The length in bytes of the first line of s (NUL-terminated) when lines
 * are at most cols display columns as text_fit() draws them.  A line ends
 * before a newline (which the caller skips), after the last space that
 * lets the line fit when that fills at least two thirds of it (Latin
 * words are not cut), or otherwise after the last character that fits:
 * CJK text, which has no spaces, breaks between any two characters, except
 * before a closing or pause mark (，。、）…), which never starts a line.  Unless s is empty or
 * starts with a newline, the line holds at least one character, so a
 * caller's loop advances even when cols is too small. */
size_t wrap_line(const char *s, int cols);

#endif
