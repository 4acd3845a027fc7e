/*
 * orgpick.h — the org an officer names in a prompt (views/orgpick.c):
 * its id, its whole name, or enough of its name or pinyin to be the only
 * match.  The new-incident prompt, the duty view's `o` and the queue's
 * district filter all take an org this way.
 */
#ifndef DUTYDESK_ORGPICK_H
#define DUTYDESK_ORGPICK_H

#include <stdbool.h>
#include <stddef.h>

#include "dutydesk/roster.h"
#include "dutydesk/store.h"

struct orgpick {
	int matches;                     /* 0 none, 1 found, more: ambiguous */
	char id[DD_ORG_ID_MAX + 1];      /* when matches == 1 (or a whole name matched) */
	char names[300];                 /* when ambiguous: the first three, "name id, …" */
};

/* Resolves text; districts_only keeps to the district offices (cq.X).
 * A whole name that matches exactly one org wins over partial matches.
 * 0, or the store's error code. */
int orgpick(struct dd_store *st, const char *text, bool districts_only, struct orgpick *out, struct dd_error *err);

#endif
