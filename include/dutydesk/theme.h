/*
 * theme.h — colours and attributes by role, read from themes/<name>.theme.
 *
 * Parsing (theme_parse) is pure and unit-tested; theme_use() finds a file
 * by name, parses it and applies it to curses.  A theme that fails to
 * load leaves the current one in place and says why, naming file:line.
 * Without colour (NO_COLOR, or a terminal that has none) every role uses
 * its "mono" attributes, so the screen still tells roles apart by bold,
 * reverse and underline.
 */
#ifndef DUTYDESK_THEME_H
#define DUTYDESK_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "dutydesk/error.h"

/* enum name, name in theme files */
#define THEME_ROLE_INFO(_)                        \
	_(NORMAL, "normal")                       \
	_(TOP_BAR, "top-bar")                     \
	_(CLOCK, "clock")                         \
	_(VIEW_TITLE, "view-title")               \
	_(STATUS, "status")                       \
	_(BOTTOM_BAR, "bottom-bar")               \
	_(TAB, "tab")                             \
	_(TAB_CURRENT, "tab-current")             \
	_(HINT_KEY, "hint-key")                   \
	_(SELECTION, "selection")                 \
	_(DAY_SEPARATOR, "day-separator")         \
	_(TIME, "time")                           \
	_(OFFICER, "officer")                     \
	_(KIND_NOTE, "kind-note")                 \
	_(KIND_CALL_IN, "kind-call-in")           \
	_(KIND_CALL_OUT, "kind-call-out")         \
	_(KIND_ACTION, "kind-action")             \
	_(KIND_HANDOVER, "kind-handover")         \
	_(CORRECTION, "correction")               \
	_(DRILL, "drill")                         \
	_(TIER_UNASSESSED, "tier-unassessed")     \
	_(TIER_GENERAL, "tier-general")           \
	_(TIER_LARGER, "tier-larger")             \
	_(TIER_MAJOR, "tier-major")               \
	_(TIER_CRITICAL, "tier-critical")         \
	_(LEVEL_RED, "level-red")                 \
	_(LEVEL_ORANGE, "level-orange")           \
	_(LEVEL_YELLOW, "level-yellow")           \
	_(LEVEL_BLUE, "level-blue")               \
	_(DUE_SOON, "due-soon")                   \
	_(OVERDUE, "overdue")                     \
	_(ALERT, "alert")                         \
	_(BANNER_PERIOD, "banner-period")         \
	_(BANNER_DRILL, "banner-drill")           \
	_(SYNC, "sync")                           \
	_(ERROR, "error")                         \
	_(INFO, "info")                           \
	_(PROMPT, "prompt")                       \
	_(LABEL, "label")                         \
	_(DIM, "dim")                             \
	_(HELP_GROUP, "help-group")               \
	_(HELP_KEY, "help-key")

enum theme_role {
#define THEME_ROLE_ENUM(id, name) ROLE_##id,
	THEME_ROLE_INFO(THEME_ROLE_ENUM)
#undef THEME_ROLE_ENUM
	ROLE_COUNT
};

enum theme_attr_bits {
	THEME_BOLD = 1,
	THEME_REVERSE = 2,
	THEME_UNDERLINE = 4,
	THEME_DIM = 8,
	THEME_ITALIC = 16,
};

#define THEME_DEFAULT_COLOUR (-1)   /* the terminal's own */
#define THEME_UNSET (-2)            /* no fallback given */

struct theme_style {
	short fg, bg;            /* -1 or 0..255 */
	short fg8, bg8;          /* used when fg/bg exceed the terminal's colours */
	unsigned attrs;
	unsigned attrs8;         /* replaces attrs when the fallback is used */
	unsigned mono;           /* without colour */
	bool has_attrs8;
};

struct theme {
	struct theme_style style[ROLE_COUNT];
};

/* The compiled-in default; the same as themes/default.theme (tested). */
void theme_builtin(struct theme *t);

/* Reads path over the built-in default: roles the file leaves out keep
 * the default's style.  Errors name path:line. */
int theme_parse(const char *path, struct theme *t, struct dd_error *err);

/* The name of a role in theme files, and back (ROLE_COUNT if unknown). */
const char *theme_role_name(enum theme_role r);
enum theme_role theme_role_by_name(const char *name);

/* Where themes/<name>.theme is: beside the executable, else DD_DATADIR.
 * A name is letters, digits, '-' and '_' only. */
int theme_find(const char *name, char *path, size_t n, struct dd_error *err);

/* ---- curses ------------------------------------------------------- */

/* After initscr: starts colour unless NO_COLOR is set or the terminal
 * has none, and installs the built-in theme. */
void theme_start(void);
/* Finds, parses and applies a theme; on failure the current one stays. */
int theme_use(const char *name, struct dd_error *err);
/* curses attributes (colour pair included) for a role. */
attr_t theme_attr(enum theme_role r);

#endif
