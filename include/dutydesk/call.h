/*
 * call.h — recording a call with an org's liaison from a screen: the
 * questions (direction, result, note, incident) that end in roster_call(),
 * so a shift-log entry records it.  The roster's contact card and the
 * Zero checklist's chase call both start here.
 */
#ifndef DUTYDESK_CALL_H
#define DUTYDESK_CALL_H

#include <stdbool.h>

#include "dutydesk/roster.h"
#include "dutydesk/ui.h"

struct call_start {
	const char *org;               /* the callee org */
	const struct dd_liaison *who;  /* the liaison called, or NULL (the org's number) */
	const char *name;              /* how the first prompt names the callee */
	bool ask_direction;            /* else an outgoing call */
	bool ask_incident;             /* else linked to no incident */
	const char *about;             /* put before the officer's note, or NULL */
};

/* Opens the first question; the last one records the call and says so
 * on the status line (or why it was not saved).  Direction and result
 * are one key each (1 去电, 2 来电; 1 reached … 4 wrong number); Esc
 * cancels at any of them and nothing is saved. */
void call_start(struct ui *ui, const struct call_start *c);

/* A call result ("no-answer") as the screens show it, translated. */
const char *call_result_label(const char *result);

#endif
