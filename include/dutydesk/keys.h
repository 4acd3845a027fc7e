/*
 * keys.h — requests, their help text, and the one table binding keys to
 * them.
 *
 * A key press is resolved to a request in the current view's keymap
 * first, then in the generic one (the line editor has its own keymap);
 * the view's handler sees the request before the global handler does.
 * The `?` screen and the bottom bar's hints are generated from the same
 * table, so what is documented is what is bound.
 *
 * Keys are ints: a character is its code point (Ctrl-U is 0x15); a curses
 * function key KEY_x is KEY_FN(KEY_x), above every code point, so Latin
 * letters such as U+0101 never collide with curses codes.  Mouse events
 * are KEY_CLICK, KEY_WHEEL_UP and KEY_WHEEL_DOWN with a position; a
 * bracketed paste is one KEY_PASTE, so pasted text is never taken for
 * keys (a pasted "q" and newline must not quit).
 */
#ifndef DUTYDESK_KEYS_H
#define DUTYDESK_KEYS_H

#include <stddef.h>

#include "dutydesk/error.h"
#include "dutydesk/view.h"

#define KEY_FN(k) (0x200000 | (k))
#define KEY_IS_FN(k) (((k) & 0x200000) != 0)
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 0x1b
#define KEY_TAB 0x09
#define KEY_RETURN 0x0d       /* every form of Enter is read as this */
#define KEY_BS 0x7f           /* every form of Backspace is read as this */
#define KEY_CLICK 0x400001
#define KEY_WHEEL_UP 0x400002
#define KEY_WHEEL_DOWN 0x400003
#define KEY_PASTE 0x400004          /* bracketed paste; the text travels apart */

/* One input event: a key, or a mouse event at (x, y). */
struct input {
	int key;
	int x, y;
};

/* Requests after the view-switching ones: name, short hint for the bottom
 * bar (or NULL), help text.  GROUP starts a section of the help screen. */
#define REQ_INFO(GROUP, REQ)                                                                  \
	GROUP(N_("Moving around"))                                                            \
	REQ(MOVE_UP, NULL, N_("Move the cursor one line up"))                                 \
	REQ(MOVE_DOWN, NULL, N_("Move the cursor one line down"))                             \
	REQ(MOVE_PAGE_UP, NULL, N_("Move one page up"))                                       \
	REQ(MOVE_PAGE_DOWN, NULL, N_("Move one page down"))                                   \
	REQ(MOVE_FIRST, NULL, N_("Go to the first line (oldest entry)"))                      \
	REQ(MOVE_LAST, NULL, N_("Go to the last line (newest entry) and follow new ones"))    \
	GROUP(N_("Everywhere"))                                                               \
	REQ(ADD_ENTRY, N_("add"), N_("Add a shift-log entry, from any view"))                 \
	REQ(ADD_IN_EDITOR, NULL, N_("Write a long shift-log entry in $EDITOR"))               \
	REQ(FILTER, N_("filter"), N_("Filter the list by text"))                              \
	REQ(FILTER_CLEAR, NULL, N_("Clear the filter, close the open entry"))                 \
	REQ(COMMAND, N_("command"), N_("Open the command line"))                              \
	REQ(BACK, N_("back"), N_("Go back; on the last view, quit (asks first)"))             \
	REQ(REDRAW, NULL, N_("Redraw the whole screen"))                                      \
	GROUP(N_("Shift log"))                                                                \
	REQ(OPEN, N_("open"), N_("Open the selected entry, incident or tier"))                \
	REQ(JUMP_TIME, N_("time"), N_("Jump to a time (14:30, yesterday 08:30, -2h, …)"))     \
	REQ(CORRECT, NULL, N_("Correct the selected entry (adds an entry pointing at it)"))   \
	GROUP(N_("Incidents"))                                                                \
	REQ(QUEUE_PICK, N_("tier/status"), N_("Filter the queue by tier, status or district (e.g. II responding cq.yubei)")) \
	REQ(QUEUE_CLOSED, N_("open/closed"), N_("Show open, closed or all incidents"))        \
	REQ(INC_NEW, N_("new"), N_("Open a new incident: what, category, reporting org, when"))   \
	REQ(INC_NOTE, N_("note"), N_("Add a note to the incident"))                           \
	REQ(INC_STATUS, N_("status"), N_("Move the incident to another status, with a note")) \
	REQ(INC_PROPOSE, N_("propose"), N_("Propose a tier, with a reason"))                 \
	REQ(INC_CONFIRM, NULL, N_("Confirm a tier (shift leader only)"))                      \
	REQ(INC_HOP, N_("hop"), N_("Record a hop of the reporting chain: to whom, how, when"))  \
	REQ(INC_REPORT, NULL, N_("Write a follow-up report (补报) in $EDITOR"))                \
	REQ(INC_SUMMARY, NULL, N_("Write the post-incident summary (事件分析总结) in $EDITOR")) \
	REQ(INC_DUPLICATE, NULL, N_("Mark the incident a duplicate of another"))               \
	GROUP(N_("Roster, duty and objects"))                                                 \
	REQ(CALL, N_("call"), N_("Record a call with the contact's org (a shift-log entry)")) \
	REQ(DUTY_ORG, N_("org"), N_("Show another org's duty schedule"))                      \
	REQ(WEEK_PREV, NULL, N_("Show the week before"))                                      \
	REQ(WEEK_NEXT, NULL, N_("Show the week after"))                                       \
	GROUP(N_("Zero reports"))                                                            \
	REQ(ZERO_PREV, N_("slot"), N_("Show the report slot before"))                        \
	REQ(ZERO_NEXT, NULL, N_("Show the report slot after"))                                \
	REQ(ZERO_PERIOD, N_("period"), N_("Show the next protection period in sight"))       \
	REQ(ZERO_GRID, N_("history"), N_("Switch between the checklist and the history grid (orgs × report times)")) \
	GROUP(N_("Advisories"))                                                               \
	REQ(ADV_ACK, N_("acknowledge"), N_("Acknowledge the advisory for this desk's org (签收)")) \
	REQ(ADV_REPORT, N_("self-inspection"), N_("Report the self-inspection (自查): affected, measures, done at")) \
	GROUP(N_("Handover"))                                                                 \
	REQ(HANDOVER_NOTES, N_("notes"), N_("Write the handover notes in $EDITOR (outgoing officer)")) \
	REQ(HANDOVER_SUBMIT, N_("submit"), N_("Submit the handover with a fresh summary (outgoing officer)")) \
	REQ(HANDOVER_ACCEPT, N_("accept"), N_("Accept the handover (incoming officer)"))       \
	REQ(HANDOVER_OBJECT, N_("object"), N_("Accept the handover with objections on record (incoming officer)")) \
	GROUP(N_("Line editor (quick entry, command line, filter)"))                          \
	REQ(EDIT_ACCEPT, NULL, N_("Save the entry / run the command"))                        \
	REQ(EDIT_CANCEL, NULL, N_("Cancel"))                                                  \
	REQ(EDIT_NEXT_KIND, NULL, N_("Next entry kind: note, call in, call out, action"))     \
	REQ(EDIT_EXTERNAL, NULL, N_("Continue the entry in $EDITOR"))                         \
	REQ(EDIT_LEFT, NULL, N_("Move one character left"))                                   \
	REQ(EDIT_RIGHT, NULL, N_("Move one character right"))                                 \
	REQ(EDIT_WORD_LEFT, NULL, N_("Move one word left"))                                   \
	REQ(EDIT_WORD_RIGHT, NULL, N_("Move one word right"))                                 \
	REQ(EDIT_HOME, NULL, N_("Go to the start of the line"))                               \
	REQ(EDIT_END, NULL, N_("Go to the end of the line"))                                  \
	REQ(EDIT_BACKSPACE, NULL, N_("Delete the character before the cursor"))               \
	REQ(EDIT_DELETE, NULL, N_("Delete the character under the cursor"))                   \
	REQ(EDIT_KILL_START, NULL, N_("Delete to the start of the line"))                     \
	REQ(EDIT_KILL_END, NULL, N_("Delete to the end of the line"))                         \
	REQ(EDIT_KILL_WORD, NULL, N_("Delete the word before the cursor"))

enum request {
	REQ_NONE,
#define REQ_VIEW_ENUM(id, name, num, letter, label, help) REQ_VIEW_##id,
	VIEW_INFO(REQ_VIEW_ENUM)
#undef REQ_VIEW_ENUM
#define REQ_ENUM_GROUP(title)
#define REQ_ENUM(req, hint, help) REQ_##req,
	REQ_INFO(REQ_ENUM_GROUP, REQ_ENUM)
#undef REQ_ENUM_GROUP
#undef REQ_ENUM
	REQ_COUNT
};

/* Keymaps: one per view (its view_id), then these. */
enum keymap {
	KEYMAP_GENERIC = VIEW_COUNT,
	KEYMAP_EDITOR,
	KEYMAP_COUNT
};

/* The request bound to key in keymap, or REQ_NONE. */
int keys_lookup(int keymap, int key);
/* A view's keymap first, then the generic one. */
int keys_resolve(enum view_id view, int key);

/* The view a REQ_VIEW_* request shows, or VIEW_COUNT. */
enum view_id keys_request_view(int request);
/* Untranslated short hint (or NULL) and help text of a request. */
const char *keys_request_hint(int request);
const char *keys_request_help(int request);

/* The first key bound to request in view's keymap, else in the generic
 * one; 0 when unbound.  Used for the bottom bar's hints. */
int keys_first(enum view_id view, int request);

/* Calls fn for every binding, in table order (keys of 0 skipped). */
void keys_foreach(void (*fn)(int keymap, int key, int request, void *ctx), void *ctx);

/* The keys bound to request in any keymap, as "j, Down", into buf;
 * returns how many. */
int keys_describe(int request, char *buf, size_t n);
/* The name of one key: "j", "Enter", "PgDn", "Ctrl-U", "F1", "中". */
void keys_name(int key, char *buf, size_t n);

/* Walks the help sections in table order: group(title) at each section
 * start (untranslated), item(request) for each request; the view
 * switches come first, under "Views". */
void keys_walk_help(void (*group)(const char *title, void *ctx), void (*item)(int request, void *ctx),
		    void *ctx);

/* Reads the key named name ("Enter", "PgDn", "C-u", "Ctrl-U", "F1") —
 * the inverse of keys_name() for non-printing keys.  0 when unknown. */
int keys_parse_name(const char *name);

#endif
