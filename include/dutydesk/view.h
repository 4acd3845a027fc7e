/*
 * view.h — the screens of the console and what every screen provides.
 *
 * Each view is one file in views/ filling a `const struct view_ops`, and
 * one line of VIEW_INFO, which generates the view enum, the requests that
 * switch to it, its switch keys and its name in the bottom bar.  Adding a
 * view is therefore a new file and a new line here; nothing else lists
 * views.
 *
 * The screen is laid out top to bottom as: top bar, view title line, the
 * view's body (what draw() fills), status/prompt line, bottom bar.
 */
#ifndef DUTYDESK_VIEW_H
#define DUTYDESK_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "dutydesk/i18n.h"

/* id, name (keymap, `:` commands), number key, letter key, label in the
 * bottom bar, help text.  A key of 0 means none; a view with no key is
 * reached from another (the incident view, from the queue) and shows in
 * the bottom bar only while it is the current one.  The log stays first:
 * it is the view the console opens on. */
#define VIEW_INFO(_)                                                                        \
	_(LOG, log, '1', 'l', N_("Log"), N_("Show the shift log"))                   \
	_(QUEUE, queue, '2', 'i', N_("Queue"), N_("Show the incident queue"))         \
	_(TIERS, tiers, '3', 'T', N_("Tiers"), N_("Show the tiers, their rules and open incidents")) \
	_(INCIDENT, incident, 0, 0, N_("Incident"), N_("Show one incident (Enter in the queue)")) \
	_(ROSTER, roster, '4', 'r', N_("Roster"), N_("Show the liaisons (联络员) of every org; type to filter")) \
	_(DUTY, duty, '5', 'd', N_("Duty"), N_("Show this week's duty schedule (值班表)"))      \
	_(OBJECTS, objects, '6', 'b', N_("Objects"), N_("Show the protected-object ledger (保护对象台账)")) \
	_(ZERO, zero, '7', 'z', N_("Zero"), N_("Show the zero-report checklist (零报告) of the protection period")) \
	_(ADVISORIES, advisories, '8', 'v', N_("Advisories"), N_("Show the advisories (预警通报) and what is answered")) \
	_(DRILL, drill, '9', 'D', N_("Drill"), N_("Show the running drill (应急演练): injects, responses, T+ clock")) \
	_(HANDOVER, handover, '0', 'H', N_("Handover"), N_("Show the shift handover (交接班): summary, notes, accept")) \
	_(HELP, help, 0, '?', N_("Help"), N_("Show the keys and commands"))

enum view_id {
#define VIEW_ENUM(id, name, num, letter, label, help) VIEW_##id,
	VIEW_INFO(VIEW_ENUM)
#undef VIEW_ENUM
	VIEW_COUNT
};

struct ui;
struct view;

/* What a view's key handler tells the dispatcher. */
enum view_handled {
	VIEW_IGNORED = 0,   /* not for this view: try the global handler */
	VIEW_HANDLED = 1,
};

struct view_ops {
	const char *name;
	/* Called once, the first time the view is shown: load what it shows. */
	void (*open)(struct view *v);
	/* Frees what open() allocated; called when the console ends. */
	void (*close)(struct view *v);
	/* Draws the body: rows v->y .. v->y + v->height - 1, v->width columns. */
	void (*draw)(struct view *v);
	/* Writes the title line's text (already translated) into buf. */
	void (*title)(struct view *v, char *buf, size_t n);
	/* Handles a request resolved from a key (keys.h); VIEW_IGNORED lets
	 * the global handler have it. */
	enum view_handled (*key)(struct view *v, int request);
	/* The store changed (another process, or this one appended). */
	void (*refresh)(struct view *v);
	/* A mouse click on body row `row` (0 = first body row). */
	void (*click)(struct view *v, int row);
	/* Requests shown as hints in the bottom bar, ending with 0. */
	const int *hints;
};

struct view {
	enum view_id id;
	const struct view_ops *ops;
	struct ui *ui;
	bool opened;
	int y, height, width;   /* the body, set before every draw */
	void *priv;             /* the view's own state */
};

#define VIEW_OPS_DECL(id, name, num, letter, label, help) extern const struct view_ops name##_view_ops;
VIEW_INFO(VIEW_OPS_DECL)
#undef VIEW_OPS_DECL

/* Sets the body of every view (the rows between the bars); before
 * view_init_all and after every resize. */
void view_set_geometry(int y, int height, int width);

/* Prepares every view (none opened yet) and shows the first. */
void view_init_all(struct ui *ui);
void view_close_all(void);

/* The view on top of the stack. */
struct view *view_current(void);
/* Any view, opened or not. */
struct view *view_get(enum view_id id);
/* Shows view id, opening it if needed; it moves to the top of the stack. */
void view_show(enum view_id id);
/* Pops the current view; false when it is the last one (the caller asks
 * whether to quit). */
bool view_back(void);
/* Tells every opened view that the store changed. */
void view_refresh_all(void);
/* The first row to show so that row sel is on a list of `rows` lines
 * that now starts at top: top itself when sel is already in sight. */
int view_top_for(int sel, int top, int rows);
/* Bottom-bar label and number/letter keys of a view. */
const char *view_label(enum view_id id);
int view_number_key(enum view_id id);
int view_letter_key(enum view_id id);

#endif
