/*
 * zeroremind.h — reminders of zero-report deadlines (零报告): the top
 * bar's countdown to the next report time of the protection period in
 * sight, an alert zero_remind_min minutes (configuration) before it,
 * and, for the desks that chase reports (any whose sight holds other
 * orgs: the commission, the centre, district offices — not an
 * enterprise), an alert once a slot's grace has run out listing how many
 * orgs are missing and the first few names.  Each alert is sent once
 * per period and slot, through desktop.h and the top bar's flash.
 */
#ifndef DUTYDESK_ZEROREMIND_H
#define DUTYDESK_ZEROREMIND_H

#include <stdbool.h>
#include <stddef.h>

#include "dutydesk/ui.h"

/* After every look at the store (changed: another process wrote). */
void zero_remind_check(struct ui *ui, bool changed);

/* The top bar's period banner with its countdown, e.g. " 重保：峰会 ·
 * 16:00 报送 还有 1:23 "; "" when no period with zero reporting is
 * running in this desk's sight.  When it would be wider than cols, the
 * period's name is cut, never the report time and countdown. */
void zero_remind_banner(struct ui *ui, int cols, char *buf, size_t n);

#endif
