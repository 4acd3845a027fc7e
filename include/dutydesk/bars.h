/*
 * bars.h — the top bar (clock, officer, shift, sync state, banners), the
 * view's title line and the bottom bar (view switcher and key hints).
 */
#ifndef DUTYDESK_BARS_H
#define DUTYDESK_BARS_H

#include "dutydesk/ui.h"
#include "dutydesk/view.h"

void bars_draw_top(struct ui *ui, int y, int cols);
void bars_draw_title(struct ui *ui, struct view *v, int y, int cols);
/* Also records where each view's name is, for bars_tab_at(). */
void bars_draw_bottom(struct ui *ui, struct view *v, int y, int cols);
/* The view whose name is drawn at column x of the bottom bar, or
 * VIEW_COUNT. */
enum view_id bars_tab_at(const struct ui *ui, int x);

/* This console submitted or accepted a handover: the top bar reads who
 * is on duty again (its own commit does not change data_version). */
void bars_handover_changed(void);

#endif
