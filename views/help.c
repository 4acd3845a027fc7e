/*
 * help.c — the `?` screen, generated from the key-binding table and the
 * command table, so it lists exactly what is bound.
 *
 * It is a pager: j/k and the page keys scroll it, `/` keeps only the
 * lines containing a text (the section titles of those lines stay, so a
 * match is never shown out of context).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/command.h"
#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/prompt.h"
#include "dutydesk/text.h"
#include "dutydesk/ui.h"

enum line_kind { LINE_GROUP, LINE_ITEM, LINE_BLANK };

struct help_line {
	enum line_kind kind;
	char keys[64];          /* what to press, or the command's usage */
	const char *text;       /* untranslated; translated when drawn */
};

#define MAX_LINES 128

static struct {
	struct help_line lines[MAX_LINES];
	int n;
	int shown[MAX_LINES];   /* indexes of lines passing the filter */
	int n_shown;
	int top;
	char grep[256];
} h;

static void add(enum line_kind kind, const char *keys, const char *text)
{
	if (h.n == MAX_LINES)
		return;
	struct help_line *l = &h.lines[h.n++];
	l->kind = kind;
	snprintf(l->keys, sizeof l->keys, "%s", keys);
	l->text = text;
}

static void on_group(const char *title, void *ctx)
{
	(void)ctx;
	if (h.n > 0)
		add(LINE_BLANK, "", "");
	add(LINE_GROUP, "", title);
}

static void on_item(int request, void *ctx)
{
	(void)ctx;
	char keys[64];
	if (keys_describe(request, keys, sizeof keys) > 0)
		add(LINE_ITEM, keys, keys_request_help(request));
}

static void on_command(const char *usage, const char *help, void *ctx)
{
	(void)ctx;
	add(LINE_ITEM, _(usage), help);
}

static bool matches(const struct help_line *l)
{
	if (!h.grep[0])
		return true;
	return strcasestr(l->keys, h.grep) || strcasestr(_(l->text), h.grep);
}

/* Keeps matching items, each under its section title. */
static void apply_filter(void)
{
	h.n_shown = 0;
	int group = -1;
	bool group_shown = false;
	for (int i = 0; i < h.n; i++) {
		const struct help_line *l = &h.lines[i];
		if (l->kind == LINE_GROUP) {
			group = i;
			group_shown = false;
		}
		if (!h.grep[0]) {
			h.shown[h.n_shown++] = i;
		} else if (l->kind == LINE_ITEM && matches(l)) {
			if (group >= 0 && !group_shown) {
				if (h.n_shown > 0)
					h.shown[h.n_shown++] = group - 1;   /* its blank line */
				h.shown[h.n_shown++] = group;
				group_shown = true;
			}
			h.shown[h.n_shown++] = i;
		}
	}
	h.top = 0;
}

static void help_open(struct view *v)
{
	(void)v;
	h.n = 0;
	keys_walk_help(on_group, on_item, NULL);
	on_group(N_("Commands (type : first)"), NULL);
	command_walk_help(on_command, NULL);
	apply_filter();
}

static void help_draw(struct view *v)
{
	int key_cols = 0;
	for (int i = 0; i < h.n; i++)
		if (h.lines[i].kind == LINE_ITEM && text_width(h.lines[i].keys) > key_cols)
			key_cols = text_width(h.lines[i].keys);
	if (key_cols > v->width / 3)
		key_cols = v->width / 3;
	for (int row = 0; row < v->height; row++) {
		int i = h.top + row;
		int y = v->y + row;
		if (i >= h.n_shown) {
			if (h.n_shown == 0 && row == 0)
				draw_text(y, 2, _("No help line matches the filter. Press Esc to clear it."), v->width - 2,
					  ROLE_DIM);
			continue;
		}
		const struct help_line *l = &h.lines[h.shown[i]];
		if (l->kind == LINE_GROUP) {
			draw_text(y, 1, _(l->text), v->width - 2, ROLE_HELP_GROUP);
		} else if (l->kind == LINE_ITEM) {
			draw_pad(y, 3, l->keys, key_cols, ROLE_HELP_KEY);
			draw_text(y, 3 + key_cols + 2, _(l->text), v->width - key_cols - 6, ROLE_NORMAL);
		}
	}
}

static void help_title(struct view *v, char *buf, size_t n)
{
	(void)v;
	int len = snprintf(buf, n, _("Help: dutydesk %s"), DD_VERSION);
	if (h.grep[0] && len >= 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, _(" · filter: \"%s\""), h.grep);
}

static void set_filter(struct ui *ui, const char *text, void *ctx)
{
	(void)ui;
	(void)ctx;
	snprintf(h.grep, sizeof h.grep, "%s", text);
	apply_filter();
}

static enum view_handled help_key(struct view *v, int req)
{
	int page = v->height > 1 ? v->height - 1 : 1;
	int last = h.n_shown - v->height;
	switch (req) {
	case REQ_MOVE_UP: h.top--; break;
	case REQ_MOVE_DOWN: h.top++; break;
	case REQ_MOVE_PAGE_UP: h.top -= page; break;
	case REQ_MOVE_PAGE_DOWN: h.top += page; break;
	case REQ_MOVE_FIRST: h.top = 0; break;
	case REQ_MOVE_LAST: h.top = last; break;
	case REQ_FILTER:
		prompt_open(v->ui, PROMPT_FILTER, _("Filter: "), h.grep, set_filter, v);
		return VIEW_HANDLED;
	case REQ_FILTER_CLEAR:
		if (!h.grep[0])
			return VIEW_IGNORED;
		set_filter(v->ui, "", v);
		return VIEW_HANDLED;
	default: return VIEW_IGNORED;
	}
	if (h.top > last)
		h.top = last;
	if (h.top < 0)
		h.top = 0;
	return VIEW_HANDLED;
}

static const int help_hints[] = { REQ_FILTER, REQ_ADD_ENTRY, REQ_COMMAND, REQ_BACK, 0 };

const struct view_ops help_view_ops = {
	.name = "help",
	.open = help_open,
	.draw = help_draw,
	.title = help_title,
	.key = help_key,
	.hints = help_hints,
};
