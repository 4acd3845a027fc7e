/*
 * view.c — the set of views and the stack that `q` walks back through.
 *
 * Invariants: the stack is never empty while the console runs (the last
 * view can only be left by quitting); a view appears on it at most once,
 * so showing a view already open brings it to the top instead of
 * stacking a second copy; a view is opened the first time it is shown
 * and closed only when the console ends.
 */
#include <string.h>

#include "dutydesk/ui.h"
#include "dutydesk/view.h"

struct view_def {
	const struct view_ops *ops;
	const char *label;
	int number, letter;
};

static const struct view_def defs[VIEW_COUNT] = {
#define VIEW_DEF(id, name, num, letter, label, help) [VIEW_##id] = { &name##_view_ops, label, num, letter },
	VIEW_INFO(VIEW_DEF)
#undef VIEW_DEF
};

static struct view views[VIEW_COUNT];
static enum view_id stack[VIEW_COUNT];
static int depth;

static int body_y, body_height, body_width;

void view_set_geometry(int y, int height, int width)
{
	body_y = y;
	body_height = height;
	body_width = width;
	for (int i = 0; i < VIEW_COUNT; i++) {
		views[i].y = y;
		views[i].height = height;
		views[i].width = width;
	}
}

void view_init_all(struct ui *ui)
{
	for (int i = 0; i < VIEW_COUNT; i++) {
		views[i] = (struct view){ .id = (enum view_id)i, .ops = defs[i].ops, .ui = ui,
					  .y = body_y, .height = body_height, .width = body_width };
	}
	depth = 0;
	view_show((enum view_id)0);
}

void view_close_all(void)
{
	for (int i = 0; i < VIEW_COUNT; i++) {
		if (views[i].opened && views[i].ops->close)
			views[i].ops->close(&views[i]);
		views[i].opened = false;
	}
	depth = 0;
}

struct view *view_current(void)
{
	return &views[stack[depth - 1]];
}

void view_show(enum view_id id)
{
	int at = 0;
	while (at < depth && stack[at] != id)
		at++;
	if (at < depth) {
		memmove(&stack[at], &stack[at + 1], (size_t)(depth - at - 1) * sizeof stack[0]);
		depth--;
	}
	stack[depth++] = id;
	struct view *v = &views[id];
	if (!v->opened) {
		v->opened = true;
		if (v->ops->open)
			v->ops->open(v);
	}
}

bool view_back(void)
{
	if (depth <= 1)
		return false;
	depth--;
	return true;
}

int view_top_for(int sel, int top, int rows)
{
	if (sel < top)
		return sel > 0 ? sel : 0;
	if (sel >= top + rows)
		return sel - rows + 1;
	return top;
}

void view_refresh_all(void)
{
	for (int i = 0; i < VIEW_COUNT; i++)
		if (views[i].opened && views[i].ops->refresh)
			/* Parenthesised: curses defines a refresh() macro. */
			(views[i].ops->refresh)(&views[i]);
}

struct view *view_get(enum view_id id)
{
	return &views[id];
}

const char *view_label(enum view_id id)
{
	return defs[id].label;
}

int view_number_key(enum view_id id)
{
	return defs[id].number;
}

int view_letter_key(enum view_id id)
{
	return defs[id].letter;
}
