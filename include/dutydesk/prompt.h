/*
 * prompt.h — the line at the bottom where the officer types: quick entry
 * (`a`), the command line (`:`), the filter (`/`), a time (`t`), and the
 * yes/no question before quitting.
 *
 * At most one prompt is open.  While it is, every key goes to it; it
 * edits with the line editor (lineedit.h) through the KEYMAP_EDITOR
 * bindings, and Enter hands the text to the opener's callback after the
 * prompt has closed (so the callback may open another).
 */
#ifndef DUTYDESK_PROMPT_H
#define DUTYDESK_PROMPT_H

#include <stdbool.h>

#include "dutydesk/keys.h"
#include "dutydesk/ui.h"

enum prompt_kind { PROMPT_ENTRY, PROMPT_COMMAND, PROMPT_FILTER, PROMPT_TIME, PROMPT_CONFIRM };

typedef void (*prompt_done)(struct ui *ui, const char *text, void *ctx);

bool prompt_active(void);

/* Opens a prompt showing label (translated) with initial text. */
void prompt_open(struct ui *ui, enum prompt_kind kind, const char *label, const char *initial, prompt_done done,
		 void *ctx);

/* Opens a filter prompt that calls changed() with the text after every
 * edit (filter as you type), done() on Enter, and changed() with initial
 * again on Esc. */
void prompt_open_live(struct ui *ui, const char *label, const char *initial, prompt_done changed, prompt_done done,
		      void *ctx);

/* Opens quick entry for a new shift-log entry; corrects is the id of the
 * entry it amends, or NULL. */
void prompt_open_entry(struct ui *ui, const char *corrects);

/* Asks question; yes() runs when the answer is y. */
void prompt_confirm(struct ui *ui, const char *question, prompt_done yes, void *ctx);

/* Writes a whole entry in $EDITOR and saves it (kind note). */
void prompt_compose(struct ui *ui);

void prompt_key(struct ui *ui, const struct input *in);

/* Inserts pasted text at the cursor, line breaks and tabs as spaces; with
 * no prompt open, opens quick entry holding it. */
void prompt_paste(struct ui *ui, const char *text);

/* Draws the prompt, or else the status message, on row y; returns the
 * column for the terminal cursor, or -1 when it should be hidden. */
int prompt_draw(struct ui *ui, int y, int cols);

/* Frees the editor's memory at exit. */
void prompt_close_all(void);

#endif
