/*
 * logwin.h — the part of the shift log a screen holds in memory: a window
 * of consecutive entries around a cursor, loaded with keyset pagination.
 *
 * The log may hold millions of entries, so no screen loads it all.  A
 * window keeps the entries around its cursor (sel), fetched with
 * store_log_scan() from the (at_ms, id) of an entry it already has,
 * extends a page at a time as the cursor nears an end and trims the far
 * end, so every movement costs at most one indexed query whatever the
 * size of the log.  No curses here: the window is unit-tested alone.
 *
 * Invariants, true after every call (whatever it returned):
 *  - rows[0..n) are consecutive in the filtered log, in (at_ms, id)
 *    order: nothing the filter admits lies between two of them;
 *  - bof/eof say whether rows[0] / rows[n-1] are the first / last entry
 *    of the filtered log; when !bof, before_day is the local day of the
 *    entry just before rows[0], so rows[0] knows whether a day separator
 *    goes above it;
 *  - sel is -1 exactly when n is 0, else 0 <= sel < n; top likewise stays
 *    a valid index while rows are added or trimmed before it;
 *  - after logwin_fill() (which every loading call ends with), at least
 *    `margin` rows are loaded on each side of sel unless that side is the
 *    end of the log, and n <= logwin_max().
 */
#ifndef DUTYDESK_LOGWIN_H
#define DUTYDESK_LOGWIN_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/error.h"
#include "dutydesk/event.h"
#include "dutydesk/store.h"

/* Entries fetched per extension of the window. */
#define LOGWIN_PAGE 200

struct logwin_entry {
	struct dd_log_key key;
	int64_t day;                 /* local calendar day (time_local_day) */
	char hms[16];                /* local HH:MM:SS, formatted once */
	char at[DD_AT_MAX];          /* RFC 3339 as written */
	char corrects[DD_UUID_LEN + 1];
	int drill;
	const char *officer, *org, *kind, *text;   /* into strings[] */
	char strings[];
};

struct logwin {
	struct dd_store *st;
	const char *tz;              /* zone for days and times */
	char grep[256];              /* the filter, "" for none */
	int margin;                  /* rows to keep on each side of sel */

	struct logwin_entry **rows;
	int n, cap;
	bool bof, eof;
	int64_t before_day;

	int sel;                     /* the cursor, -1 when empty */
	int top;                     /* the owner's first row on screen */
	bool top_sep;                /* the owner's: top's separator is shown */
};

/* An empty window; margin is rows to keep on each side of the cursor
 * (a screen uses about twice its height). */
void logwin_init(struct logwin *w, struct dd_store *st, const char *tz, int margin);
void logwin_free(struct logwin *w);

/* The most rows the window keeps. */
int logwin_max(const struct logwin *w);

/* Replaces the window with the entries around anchor and puts the cursor
 * on the first entry at or after it, or on the last entry when there is
 * none; anchor NULL loads the end of the log.  On failure the window is
 * left as it was. */
int logwin_load(struct logwin *w, const struct dd_log_key *anchor, struct dd_error *err);
/* The start of the log, cursor on its first entry. */
int logwin_load_start(struct logwin *w, struct dd_error *err);

/* Moves the cursor by delta entries, as far as the log goes, loading as
 * needed; |delta| up to `margin` (a page of the screen). */
int logwin_move(struct logwin *w, int delta, struct dd_error *err);

/* Loads until `margin` rows lie on each side of the cursor (or the log
 * ends), trimming the far end to logwin_max(). */
int logwin_fill(struct logwin *w, struct dd_error *err);

/* Whether a day separator goes above rows[i]: it starts the log or a new
 * local day. */
bool logwin_has_sep(const struct logwin *w, int i);

/* Whether the cursor is on the newest entry of the log (or the log is
 * empty): the screen then follows new entries. */
bool logwin_at_end(const struct logwin *w);

#endif
