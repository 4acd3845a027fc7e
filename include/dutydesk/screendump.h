/*
 * screendump.h — `:save-display`: the screen as UTF-8 text, for the
 * screen tests and for an officer who wants a copy of what is shown.
 */
#ifndef DUTYDESK_SCREENDUMP_H
#define DUTYDESK_SCREENDUMP_H

#include "dutydesk/error.h"

/* Writes stdscr to path: one line per row, each wide character once,
 * trailing spaces trimmed. */
int screen_save(const char *path, struct dd_error *err);

#endif
