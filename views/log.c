/*
 * log.c — the shift log view (值班日志): newest entry at the bottom, day
 * separators, a filter, jumping to a time, and one entry shown in full.
 *
 * The entries come from a logwin (logwin.h): a window of consecutive
 * entries around the cursor, loaded a page at a time, so the view scrolls
 * a log of millions as fast as one of ten.  The window keeps twice the
 * screen's height loaded on each side of the cursor, so drawing never
 * queries.
 *
 * What is on screen is a list of display lines: each entry is one line,
 * preceded by a separator line when its local day differs from the
 * previous entry's.  The first visible line is (top, top_sep): the
 * separator of row `top` when top_sep, else its entry line.  After every
 * key the selected entry is visible, and when the window holds the end
 * of the log no blank lines hang below the newest entry.
 *
 * Follow mode: when the cursor is on the last entry of the log, new
 * entries (from this console or another process) are loaded and the
 * cursor moves onto the newest, so the view stays at the bottom.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/keys.h"
#include "dutydesk/kinds.h"
#include "dutydesk/logwin.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"
#include "dutydesk/wrap.h"

struct log_state {
	struct logwin w;         /* the entries around the cursor */
	bool detail;             /* showing the selected entry in full */
	int detail_top;          /* first line of the detail shown */
	int detail_lines;        /* lines in the detail, from the last draw */
	int *line_row;           /* row drawn on each body line, -1 for none */
	int line_rows_cap;
};

static struct log_state *state(struct view *v)
{
	return v->priv;
}

/* ---- kinds ------------------------------------------------------------- */

const char *log_kind_label(const char *kind)
{
	/* Looked up once: every row of every redraw asks. */
	static const char *kinds[] = { "note", "call-in", "call-out", "action", "handover" };
	static const char *labels[] = { N_("Note"), N_("Call in"), N_("Call out"), N_("Action"), N_("Handover") };
	static const char *translated[5];
	for (int i = 0; i < 5; i++) {
		if (strcmp(kind, kinds[i]) != 0)
			continue;
		if (!translated[i])
			translated[i] = _(labels[i]);
		return translated[i];
	}
	return kind;
}

static enum theme_role kind_role(const char *kind)
{
	if (strcmp(kind, "call-in") == 0)
		return ROLE_KIND_CALL_IN;
	if (strcmp(kind, "call-out") == 0)
		return ROLE_KIND_CALL_OUT;
	if (strcmp(kind, "action") == 0)
		return ROLE_KIND_ACTION;
	if (strcmp(kind, "handover") == 0)
		return ROLE_KIND_HANDOVER;
	return ROLE_KIND_NOTE;
}

/* The width of the widest kind label in the current language. */
static int kind_cols(void)
{
	int w = 0;
	for (const char *const *k = dd_log_kinds; *k; k++) {
		int kw = text_width(log_kind_label(*k));
		if (kw > w)
			w = kw;
	}
	return w;
}

/* ---- the viewport ------------------------------------------------------- */

/* Display lines of row i as drawn from the top: its entry line, and its
 * separator unless i is the top row shown without it. */
static int lines_of(const struct logwin *w, int i)
{
	return 1 + ((i == w->top ? w->top_sep : logwin_has_sep(w, i)) ? 1 : 0);
}

/* Moves the first visible line one display line up. */
static bool step_up(struct logwin *w)
{
	if (!w->top_sep && logwin_has_sep(w, w->top)) {
		w->top_sep = true;
	} else if (w->top > 0) {
		w->top--;
		w->top_sep = false;
	} else {
		return false;
	}
	return true;
}

/* Display lines from the first visible one to the end of the window,
 * counting no further than limit. */
static int lines_to_end(const struct logwin *w, int limit)
{
	int lines = 0;
	for (int i = w->top; i < w->n && lines < limit; i++)
		lines += lines_of(w, i);
	return lines;
}

/* Lines from the top of the screen to the selected entry's line. */
static int lines_above_sel(const struct logwin *w, int limit)
{
	int line = 0;
	for (int i = w->top; i < w->sel && line < limit; i++)
		line += lines_of(w, i);
	if (w->sel != w->top ? logwin_has_sep(w, w->sel) : w->top_sep)
		line++;
	return line;
}

/* Puts the selected entry's line `above` lines below the top, or as near
 * as the start of the log allows. */
static void place_sel(struct logwin *w, int above)
{
	if (w->sel < 0)
		return;
	w->top = w->sel;
	w->top_sep = false;
	for (int k = 0; k < above; k++)
		if (!step_up(w))
			break;
}

/* Scrolls as little as possible to show the selection, then pulls the
 * view down so no blank lines hang below the newest entry. */
static void ensure_visible(struct logwin *w, int height)
{
	if (w->sel < 0)
		return;
	if (w->top > w->n - 1)
		w->top = w->n - 1;
	if (w->top_sep && !logwin_has_sep(w, w->top))
		w->top_sep = false;
	if (w->sel < w->top || (w->sel == w->top && !w->top_sep && logwin_has_sep(w, w->sel)))
		place_sel(w, logwin_has_sep(w, w->sel) ? 1 : 0);
	else if (lines_above_sel(w, height) >= height)
		place_sel(w, height - 1);
	if (w->eof)
		while (lines_to_end(w, height) < height && step_up(w))
			;
}

/* Where the selection sits on screen, to keep it there across a reload. */
static int sel_line(const struct view *v)
{
	const struct logwin *w = &((const struct log_state *)v->priv)->w;
	if (w->sel < w->top)
		return 0;
	int line = lines_above_sel(w, v->height);
	return line < v->height ? line : v->height - 1;
}

/* Rows the window keeps on each side of the cursor: two screens, so a
 * page up or down never waits for a query before drawing. */
static void set_margin(struct view *v)
{
	state(v)->w.margin = 2 * (v->height > 0 ? v->height : UI_MIN_ROWS) + 20;
}

static void report(struct view *v, int rc, const struct dd_error *err)
{
	if (rc != 0)
		ui_status(v->ui, UI_ERROR, _("reading the shift log: %s"), err->msg);
}

static void move_sel(struct view *v, int delta)
{
	struct dd_error err = { 0 };
	set_margin(v);
	report(v, logwin_move(&state(v)->w, delta, &err), &err);
	ensure_visible(&state(v)->w, v->height);
}

/* Loads around anchor (NULL: the end) with the selection `above` lines
 * below the top of the screen. */
static void reload(struct view *v, const struct dd_log_key *anchor, int above)
{
	struct dd_error err = { 0 };
	set_margin(v);
	report(v, logwin_load(&state(v)->w, anchor, &err), &err);
	place_sel(&state(v)->w, above);
	ensure_visible(&state(v)->w, v->height);
}

void log_view_reveal(struct view *v, int64_t at_ms, const char *id)
{
	struct log_state *s = state(v);
	struct dd_log_key key = { .at_ms = at_ms };
	snprintf(key.id, sizeof key.id, "%s", id);
	s->detail = false;
	reload(v, &key, sel_line(v));
}

/* ---- drawing ------------------------------------------------------------ */

static void draw_separator(struct view *v, int y, const struct logwin_entry *e)
{
	struct ui *ui = v->ui;
	char date[96], label[160];
	/* TRANSLATORS: a strftime() format for the date on day separators.
	 * xgettext:no-c-format */
	time_format_local(e->key.at_ms, ui->cfg->timezone, _("%A, %Y-%m-%d"), date, sizeof date);
	int64_t today = time_local_day(ui_now(ui), ui->cfg->timezone);
	if (e->day == today)
		snprintf(label, sizeof label, "%s · %s", date, _("today"));
	else if (e->day == today - 1)
		snprintf(label, sizeof label, "%s · %s", date, _("yesterday"));
	else
		snprintf(label, sizeof label, "%s", date);
	draw_rule(y, v->width, label);
}

static void draw_entry(struct view *v, int y, const struct logwin_entry *e, bool selected)
{
	int officer_cols = v->width >= 120 ? 16 : 10;
	int kcols = kind_cols();
	int x = 0;
#define ROLE(r) (selected ? ROLE_SELECTION : (r))
	draw_fill(y, 0, v->width, ROLE(ROLE_NORMAL));
	x += draw_pad(y, x, e->hms, 8, ROLE(ROLE_TIME)) + 2;
	x += draw_pad(y, x, drill_actor_label(e->officer), officer_cols, ROLE(ROLE_OFFICER)) + 2;
	x += draw_pad(y, x, log_kind_label(e->kind), kcols, ROLE(kind_role(e->kind))) + 2;
	if (e->drill) {
		char mark[64];
		snprintf(mark, sizeof mark, "[%s]", _("DRILL"));
		x += draw_text(y, x, mark, v->width - x, ROLE(ROLE_DRILL)) + 1;
	}
	if (e->corrects[0]) {
		char mark[96];
		snprintf(mark, sizeof mark, _("[corrects #%s]"), shiftlog_short_id(e->corrects));
		x += draw_text(y, x, mark, v->width - x, ROLE(ROLE_CORRECTION)) + 1;
	}
	if (x < v->width)
		draw_text(y, x, e->text, v->width - x, ROLE(ROLE_NORMAL));
#undef ROLE
}

static void draw_empty(struct view *v)
{
	struct log_state *s = state(v);
	char msg[512];
	if (s->w.grep[0])
		snprintf(msg, sizeof msg, _("No entries contain \"%s\". Press Esc to clear the filter."), s->w.grep);
	else
		snprintf(msg, sizeof msg, "%s", _("The shift log is empty. Press a to add the first entry."));
	int w = text_width(msg);
	int x = w < v->width ? (v->width - w) / 2 : 0;
	draw_text(v->y + v->height / 2, x, msg, v->width, ROLE_DIM);
}

static void draw_list(struct view *v)
{
	struct log_state *s = state(v);
	int line = 0;
	for (int i = s->w.top; i < s->w.n && line < v->height; i++) {
		if (i == s->w.top ? s->w.top_sep : logwin_has_sep(&s->w, i)) {
			s->line_row[line] = i;
			draw_separator(v, v->y + line++, s->w.rows[i]);
		}
		if (line < v->height) {
			s->line_row[line] = i;
			draw_entry(v, v->y + line++, s->w.rows[i], i == s->w.sel);
		}
	}
	if (s->w.n == 0)
		draw_empty(v);
}

/* One labelled line of the detail, or a wrapped paragraph when label is
 * NULL; lines before detail_top are counted but not drawn. */
struct detail_pen {
	struct view *v;
	int line;
	int label_cols;
};

static void detail_line(struct detail_pen *p, const char *label, const char *value, enum theme_role role)
{
	struct view *v = p->v;
	struct log_state *s = state(v);
	int y = p->line - s->detail_top;
	if (y >= 0 && y < v->height) {
		int x = 1;
		if (label) {
			draw_pad(v->y + y, x, label, p->label_cols, ROLE_LABEL);
			x += p->label_cols + 2;
		}
		draw_text(v->y + y, x, value, v->width - x - 1, role);
	}
	p->line++;
}

static void detail_wrapped(struct detail_pen *p, const char *text)
{
	int cols = p->v->width - 2;
	char line[4096];
	while (*text) {
		size_t len = wrap_line(text, cols);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, text, len);
		line[len] = '\0';
		detail_line(p, NULL, line, ROLE_NORMAL);
		text += len;
		if (*text == '\n')
			text++;
	}
}

static void draw_detail(struct view *v)
{
	struct log_state *s = state(v);
	const struct logwin_entry *e = s->w.rows[s->w.sel];
	const char *tz = v->ui->cfg->timezone;
	const char *labels[] = { _("Time"), _("Officer"), _("Org"), _("Kind"), _("Corrects"), _("Drill") };
	struct detail_pen p = { v, 0, 0 };
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(labels[i]) > p.label_cols)
			p.label_cols = text_width(labels[i]);

	char buf[256], when[64], day[64], org[INCFMT_ORG_LEN];
	/* The short id is what the CLI and the corrections name; the whole
	 * UUID would say nothing more to an officer. */
	snprintf(buf, sizeof buf, _("Entry #%s"), shiftlog_short_id(e->key.id));
	detail_line(&p, NULL, buf, ROLE_VIEW_TITLE);
	time_format_local(e->key.at_ms, tz, "%Y-%m-%d %H:%M:%S", when, sizeof when);
	time_format_local(e->key.at_ms, tz, "%A", day, sizeof day);
	int off = time_offset_min(e->key.at_ms, tz);
	int len = snprintf(buf, sizeof buf, "%s %c%02d:%02d  %s", when, off < 0 ? '-' : '+', abs(off) / 60,
			   abs(off) % 60, day);
	/* An entry written in another zone keeps the time as it was written. */
	int64_t ms;
	int written_off;
	if (time_parse_rfc3339(e->at, &ms, &written_off) == 0 && written_off != off && len > 0 &&
	    (size_t)len < sizeof buf)
		snprintf(buf + len, sizeof buf - (size_t)len, _("  (written as %s)"), e->at);
	detail_line(&p, labels[0], buf, ROLE_TIME);
	detail_line(&p, labels[1], drill_actor_label(e->officer), ROLE_OFFICER);
	detail_line(&p, labels[2], incfmt_org(v->ui->st, e->org, org, sizeof org), ROLE_NORMAL);
	detail_line(&p, labels[3], log_kind_label(e->kind), kind_role(e->kind));
	if (e->corrects[0]) {
		snprintf(buf, sizeof buf, "#%s", shiftlog_short_id(e->corrects));
		detail_line(&p, labels[4], buf, ROLE_CORRECTION);
	}
	if (e->drill)
		detail_line(&p, labels[5], _("yes: an exercise entry, not a real event"), ROLE_DRILL);
	detail_line(&p, NULL, "", ROLE_NORMAL);
	detail_wrapped(&p, e->text);
	s->detail_lines = p.line;
}

static void log_draw(struct view *v)
{
	struct log_state *s = state(v);
	if (s->line_rows_cap < v->height) {
		int *rows = realloc(s->line_row, (size_t)v->height * sizeof *rows);
		if (!rows)
			return;
		s->line_row = rows;
		s->line_rows_cap = v->height;
	}
	for (int i = 0; i < v->height; i++)
		s->line_row[i] = -1;
	/* After a resize the window may hold too few rows for the new
	 * height, and the selection may have left the screen. */
	int margin = s->w.margin;
	set_margin(v);
	if (s->w.margin > margin) {
		struct dd_error err = { 0 };
		report(v, logwin_fill(&s->w, &err), &err);
	}
	ensure_visible(&s->w, v->height);
	if (s->detail && s->w.sel >= 0)
		draw_detail(v);
	else
		draw_list(v);
}

static void log_title(struct view *v, char *buf, size_t n)
{
	struct log_state *s = state(v);
	size_t len = (size_t)snprintf(buf, n, "%s", s->detail ? _("Shift log entry") : _("Shift log"));
	/* The selected entry's day, so a screen scrolled past its separator
	 * still says which day it shows. */
	if (!s->detail && s->w.sel >= 0 && len < n) {
		char date[96];
		time_format_local(s->w.rows[s->w.sel]->key.at_ms, v->ui->cfg->timezone, _("%A, %Y-%m-%d"), date,
				  sizeof date);
		len += (size_t)snprintf(buf + len, n - len, " · %s", date);
	}
	if (s->w.grep[0] && len < n)
		len += (size_t)snprintf(buf + len, n - len, _(" · filter: \"%s\""), s->w.grep);
	if (!s->detail && s->w.n > 0 && logwin_at_end(&s->w) && len < n)
		snprintf(buf + len, n - len, " · %s", _("following new entries"));
}

/* ---- keys ---------------------------------------------------------------- */

static void set_filter(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct log_state *s = state(v);
	struct dd_log_key anchor, *a = NULL;
	if (s->w.sel >= 0 && !logwin_at_end(&s->w)) {
		anchor = s->w.rows[s->w.sel]->key;
		a = &anchor;
	}
	snprintf(s->w.grep, sizeof s->w.grep, "%s", text);
	s->detail = false;
	/* A rare text makes SQLite read the whole log, a second or so for a
	 * million entries: say so before starting. */
	if (s->w.grep[0])
		ui_busy(ui, _("Filtering…"));
	reload(v, a, v->height - 1);
	if (s->w.grep[0] && s->w.n == 0)
		ui_status(ui, UI_INFO, _("No entries contain \"%s\"."), s->w.grep);
	else if (s->w.grep[0] && ui->status_level == UI_INFO)
		ui_status_clear(ui);   /* "Filtering…" done; an error stays */
}

static void jump_to(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	int64_t ms;
	struct dd_error err = { 0 };
	if (!text[0])
		return;
	if (time_parse(text, ui_now(ui), ui->cfg->timezone, &ms, &err) != 0) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	struct dd_log_key key = { .at_ms = ms, .id = "" };
	state(v)->detail = false;
	reload(v, &key, v->height / 2);
	char when[64];
	time_format_local(ms, ui->cfg->timezone, "%Y-%m-%d %H:%M:%S", when, sizeof when);
	ui_status(ui, UI_INFO, _("Jumped to %s."), when);
}

void log_view_jump(struct view *v, const char *when)
{
	jump_to(v->ui, when, v);
}

static enum view_handled detail_key(struct view *v, int req)
{
	struct log_state *s = state(v);
	int page = v->height > 1 ? v->height - 1 : 1;
	int last = s->detail_lines - v->height;
	switch (req) {
	case REQ_MOVE_UP: s->detail_top--; break;
	case REQ_MOVE_DOWN: s->detail_top++; break;
	case REQ_MOVE_PAGE_UP: s->detail_top -= page; break;
	case REQ_MOVE_PAGE_DOWN: s->detail_top += page; break;
	case REQ_MOVE_FIRST: s->detail_top = 0; break;
	case REQ_MOVE_LAST: s->detail_top = last; break;
	case REQ_OPEN:
	case REQ_BACK:
	case REQ_FILTER_CLEAR: s->detail = false; return VIEW_HANDLED;
	default: return VIEW_IGNORED;
	}
	if (s->detail_top > last)
		s->detail_top = last;
	if (s->detail_top < 0)
		s->detail_top = 0;
	return VIEW_HANDLED;
}

static enum view_handled log_key(struct view *v, int req)
{
	struct log_state *s = state(v);
	if (s->detail && detail_key(v, req) == VIEW_HANDLED)
		return VIEW_HANDLED;
	int page = v->height > 1 ? v->height - 1 : 1;
	switch (req) {
	case REQ_MOVE_UP: move_sel(v, -1); break;
	case REQ_MOVE_DOWN: move_sel(v, 1); break;
	case REQ_MOVE_PAGE_UP: move_sel(v, -page); break;
	case REQ_MOVE_PAGE_DOWN: move_sel(v, page); break;
	case REQ_MOVE_FIRST: {
		struct dd_error err = { 0 };
		set_margin(v);
		report(v, logwin_load_start(&s->w, &err), &err);
		place_sel(&s->w, 0);
		ensure_visible(&s->w, v->height);
		break;
	}
	case REQ_MOVE_LAST: reload(v, NULL, v->height - 1); break;
	case REQ_OPEN:
		if (s->w.sel >= 0) {
			s->detail = true;
			s->detail_top = 0;
		}
		break;
	case REQ_FILTER:
		prompt_open(v->ui, PROMPT_FILTER, _("Filter: "), s->w.grep, set_filter, v);
		break;
	case REQ_FILTER_CLEAR:
		if (!s->w.grep[0])
			return VIEW_IGNORED;
		set_filter(v->ui, "", v);
		ui_status(v->ui, UI_INFO, "%s", _("Filter cleared."));
		break;
	case REQ_JUMP_TIME:
		prompt_open(v->ui, PROMPT_TIME, _("Jump to time: "), "", jump_to, v);
		break;
	case REQ_CORRECT:
		if (s->w.sel >= 0)
			prompt_open_entry(v->ui, s->w.rows[s->w.sel]->key.id);
		break;
	default:
		return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void log_click(struct view *v, int row)
{
	struct log_state *s = state(v);
	if (s->detail || row < 0 || row >= v->height || s->line_row[row] < 0)
		return;
	struct dd_error err = { 0 };
	s->w.sel = s->line_row[row];
	set_margin(v);
	report(v, logwin_fill(&s->w, &err), &err);
	ensure_visible(&s->w, v->height);
}

static void log_refresh(struct view *v)
{
	struct log_state *s = state(v);
	/* An entry open in full stays the same entry: only the list follows. */
	if (logwin_at_end(&s->w) && !s->detail) {
		reload(v, NULL, v->height - 1);
	} else {
		struct dd_log_key anchor = s->w.rows[s->w.sel]->key;
		reload(v, &anchor, sel_line(v));
	}
}

/* There is one log view, so its state is static: opening cannot fail. */
static struct log_state the_state;

static void log_open(struct view *v)
{
	struct log_state *s = &the_state;
	memset(s, 0, sizeof *s);
	logwin_init(&s->w, v->ui->st, v->ui->cfg->timezone, 0);
	v->priv = s;
	reload(v, NULL, v->height - 1);
}

static void log_close(struct view *v)
{
	struct log_state *s = state(v);
	logwin_free(&s->w);
	free(s->line_row);
	memset(s, 0, sizeof *s);
	v->priv = NULL;
}

static const int log_hints[] = {
	REQ_ADD_ENTRY, REQ_OPEN, REQ_FILTER, REQ_JUMP_TIME, REQ_COMMAND, REQ_BACK, 0,
};

const struct view_ops log_view_ops = {
	.name = "log",
	.open = log_open,
	.close = log_close,
	.draw = log_draw,
	.title = log_title,
	.key = log_key,
	.refresh = log_refresh,
	.click = log_click,
	.hints = log_hints,
};
