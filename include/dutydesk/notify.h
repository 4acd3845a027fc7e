/*
 * notify.h — alerting the duty officer: when an incident arrives, when
 * one is raised to a higher tier, and when a hop deadline is 15 minutes
 * away or has passed.  Each alert is a desktop notification (desktop.h,
 * urgency by tier), the terminal bell and a flash of the top bar; each
 * (incident, event) alerts once per run of the console.  A handover of
 * the desk not accepted in time (handover.h) alerts once as well.
 *
 * The console calls notify_check() after every look at the store: with
 * changed true it compares the open incidents with what it knew (one
 * index-only scan); every time it checks the deadlines that have come
 * due by the console's clock (ui_now, so a test clock drives it).
 */
#ifndef DUTYDESK_NOTIFY_H
#define DUTYDESK_NOTIFY_H

#include <stdbool.h>

#include "dutydesk/ui.h"

/* Takes the incidents open now as known: starting the console alerts to
 * no arrival, only to deadlines near or passed. */
void notify_start(struct ui *ui);

void notify_check(struct ui *ui, bool changed);

/* This console changed incident id itself: its new tier is taken as
 * known, so an officer is not alerted to their own action. */
void notify_own(struct ui *ui, const char *id);

/* Frees what notify_start() allocated. */
void notify_stop(void);

#endif
