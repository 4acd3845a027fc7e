/*
 * ui.h — what the parts of the console share: the open store and
 * configuration, the clock, the status line, and drawing helpers.
 *
 * One thread owns curses and this struct.  Views never touch the terminal
 * except through curses calls on stdscr inside their draw(); they report
 * outcomes with ui_status() rather than printing.
 */
#ifndef DUTYDESK_UI_H
#define DUTYDESK_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/store.h"
#include "dutydesk/theme.h"
#include "dutydesk/tiers.h"
#include "dutydesk/view.h"

/* The smallest screen the layout is designed for. */
#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

enum ui_level { UI_INFO, UI_ERROR };

struct ui_tab {
	int x0, x1;           /* columns [x0, x1) of a view's name in the bottom bar */
	enum view_id view;
};

struct ui {
	struct dd_config *cfg;
	struct dd_store *st;
	const struct dd_tiers *tiers;   /* the tier rules, loaded at start */
	bool headless;         /* DUTYDESK_TEST_SCREEN: no terminal, keys from a script */
	int64_t fixed_now;     /* headless: DUTYDESK_TEST_NOW in ms, or 0 for the real clock */
	int64_t clock_offset;  /* in a terminal, DUTYDESK_TEST_NOW starts a clock that runs */
	int64_t data_version;  /* last PRAGMA data_version seen */
	struct dd_banners banners;
	struct dd_sync *sync;  /* the background sync with dutydeskd, or NULL */
	bool quit;
	char status[512];
	enum ui_level status_level;
	struct ui_tab tabs[VIEW_COUNT];
	int n_tabs;
	/* An alert flashes the top bar until alert_until (ui_now ms). */
	char alert[256];
	int64_t alert_until;
};

/* Now in ms: the real clock, the fixed one of a screen test, or the
 * shifted one of a terminal test (which still ticks, so a deadline can
 * pass during a test without the test waiting for it). */
int64_t ui_now(const struct ui *ui);

/* Sets the status line (printf-style, text already translated). */
void ui_status(struct ui *ui, enum ui_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_status_clear(struct ui *ui);
/* Shows msg at once, before a slow step (a filter over a large log), so
 * the officer sees the console working rather than frozen. */
void ui_busy(struct ui *ui, const char *msg);

/* This process appended ev: views reload, and the log shows ev. */
void ui_entry_added(struct ui *ui, const struct dd_event *ev);

/* Draws the whole screen into curses' buffer (shown by the next
 * doupdate); :save-display calls it to dump a settled screen. */
void ui_draw(struct ui *ui);

/* This console changed incident id: views reload, and the notifier takes
 * the change as seen (an officer is not alerted to their own action). */
void ui_incident_changed(struct ui *ui, const char *id);

/* Rings the bell and shows text in the top bar, in the alert colours,
 * for a few seconds. */
void ui_alert(struct ui *ui, const char *text);

/* Ends the main loop after the current key. */
void ui_quit(struct ui *ui);

/* Leaves curses for a child that needs the terminal ($EDITOR), and
 * restores the screen afterwards. */
void ui_suspend(struct ui *ui);
void ui_resume(struct ui *ui);

/* ---- drawing (views/draw.c) ------------------------------------------
 * Every string from the store, and every translated string, is drawn
 * through these: text_fit() escapes control characters and measures and
 * cuts by display columns, so nothing drawn can act on the terminal or
 * overflow its field. */

/* Draws s at (y, x) in at most cols columns; returns the columns used. */
int draw_text(int y, int x, const char *s, int cols, enum theme_role role);
/* The same, padded with spaces to exactly cols columns. */
int draw_pad(int y, int x, const char *s, int cols, enum theme_role role);
/* Draws s right-aligned so it ends at column x_end (exclusive); returns
 * the column where it starts. */
int draw_right(int y, int x_end, const char *s, int cols, enum theme_role role);
/* Fills cols columns with spaces in role's colours. */
void draw_fill(int y, int x, int cols, enum theme_role role);
/* A section rule across cols columns: "── title ───…". */
void draw_rule(int y, int cols, const char *title);

/* ---- the shift log view's entry points (views/log.c) ---------------- */

/* Selects the entry (at_ms, id), loading the part of the log around it. */
void log_view_reveal(struct view *v, int64_t at_ms, const char *id);
/* Moves to the first entry at or after a time as an officer types it
 * (time_parse); a bad time goes to the status line. */
void log_view_jump(struct view *v, const char *when);
/* The translated label of a shift-log entry kind ("call-in": 来电). */
const char *log_kind_label(const char *kind);

/* ---- the incident views' entry points -------------------------------- */

/* Shows incident id (a full id) in the incident view. */
void incident_view_show(struct ui *ui, const char *id);
/* Asks, on the prompt line, for a new incident and opens it (incnew.c). */
void incident_new_prompt(struct ui *ui);
/* Shows the queue with only tier's open incidents (-1: every tier). */
void queue_view_show_tier(struct ui *ui, int tier);

#endif
