/*
 * queuewin.h — the part of the incident queue a screen holds in memory:
 * a window of consecutive incidents around a cursor, loaded with keyset
 * pagination (store_incident_scan), as logwin.h does for the shift log.
 *
 * The queue may hold 100,000 incidents, so no screen loads it all: the
 * window keeps the rows around its cursor, extends a page at a time as
 * the cursor nears an end and trims the far end, so every movement costs
 * at most one indexed query.  No curses here: unit-tested alone.
 *
 * Invariants, true after every call (whatever it returned):
 *  - rows[0..n) are consecutive in the filtered queue, in queue order
 *    (tier, nearest deadline, id): nothing the filter admits lies between
 *    two of them;
 *  - bof/eof say whether rows[0] / rows[n-1] are the first / last
 *    incident of the filtered queue;
 *  - sel is -1 exactly when n is 0, else 0 <= sel < n; top stays a valid
 *    index while rows are added or trimmed before it;
 *  - after queuewin_fill() (which every loading call ends with), at
 *    least `margin` rows are loaded on each side of sel unless that side
 *    is the end of the queue, and n <= queuewin_max().
 */
#ifndef DUTYDESK_QUEUEWIN_H
#define DUTYDESK_QUEUEWIN_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/error.h"
#include "dutydesk/incident.h"
#include "dutydesk/store.h"

/* Incidents fetched per extension of the window. */
#define QUEUEWIN_PAGE 100

/* What a queue line shows of an incident: a few hundred bytes, not the
 * 10 KB of a struct dd_incident. */
struct queue_row {
	struct dd_queue_key key;   /* key.id is the incident's id */
	int tier, status, drill;
	bool unconfirmed;          /* the tier is proposed, not confirmed */
	bool cii, duplicate;
	int64_t detected_ms, next_due_ms;
	char next_due_what[DD_HOP_ID_MAX + 1];
	char org[129], district[129];
	char title[301];
};

/* The queue's filter, owning its strings. */
struct queue_filter {
	int closed;                /* 0 open, 1 closed, -1 all */
	int tier;                  /* -1 any */
	int status;                /* -1 any */
	char district[129];        /* "" any */
	char text[256];            /* "" any */
	int drill;                 /* enum queue_drill; zero shows both, drill items marked, */
	bool drill_running;        /* … while a drill runs; after it, real ones only */
};

enum queue_drill { QUEUE_REAL_AND_DRILL, QUEUE_DRILL_ONLY, QUEUE_REAL_ONLY };

struct queuewin {
	struct dd_store *st;
	struct queue_filter filter;
	int margin;                /* rows to keep on each side of sel */

	struct queue_row *rows;
	int n, cap;
	bool bof, eof;

	int sel;                   /* the cursor, -1 when empty */
	int top;                   /* the owner's first row on screen */
};

/* An empty window over the open incidents. */
void queuewin_init(struct queuewin *w, struct dd_store *st, int margin);
void queuewin_free(struct queuewin *w);

int queuewin_max(const struct queuewin *w);

/* Replaces the window with the incidents around anchor and puts the
 * cursor on the first at or after it (the last when none is); anchor
 * NULL loads the start of the queue.  On failure the window is left as
 * it was. */
int queuewin_load(struct queuewin *w, const struct dd_queue_key *anchor, struct dd_error *err);

/* Moves the cursor by delta rows, as far as the queue goes, loading as
 * needed. */
int queuewin_move(struct queuewin *w, int delta, struct dd_error *err);

/* Loads until `margin` rows lie on each side of the cursor (or the queue
 * ends), trimming the far end to queuewin_max(). */
int queuewin_fill(struct queuewin *w, struct dd_error *err);

/* Parses what an officer types after `f`: words, each a tier (IV, 较大,
 * II…), a status (responding, 处置中, …), a district or org id (cq.…),
 * or "all" / "*" to clear; the words change only the parts they name,
 * and an empty text clears tier, status and district.  On an unknown
 * word nothing changes and err names it. */
int queuewin_parse_filter(struct queue_filter *f, const char *text, struct dd_error *err);

/* The tier, status and district parts of f as queuewin_parse_filter
 * reads them back ("II responding cq.yubei"), "" when none is set. */
void queuewin_describe_filter(const struct queue_filter *f, char *buf, size_t n);

#endif
