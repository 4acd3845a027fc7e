/*
 * editor.h — handing text to the officer's $EDITOR and back.
 */
#ifndef DUTYDESK_EDITOR_H
#define DUTYDESK_EDITOR_H

#include "dutydesk/error.h"
#include "dutydesk/ui.h"

/* Writes initial to a new 0600 temporary file, leaves curses, runs
 * $EDITOR (default vi) on it, restores the screen and returns the file's
 * text in *out (malloc'd; "" when the officer emptied it).  The file is
 * removed in every case.  ui NULL: a command run from the shell, with
 * no screen to leave. */
int editor_edit(struct ui *ui, const char *initial, char **out, struct dd_error *err);

#endif
