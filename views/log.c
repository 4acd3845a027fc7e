/*
 * log.c — the shift log view (值班日志): newest entry at the bottom, day
 * separators, a filter, jumping to a time, and one entry shown in full.
 *
 * The log may hold millions of entries, so the view never loads it all.
 * It keeps a *segment*: a run of consecutive entries (in (at_ms, id)
 * order, under the current filter) around the cursor, fetched with
 * keyset pagination (store_log_scan), extended a page at a time as the
 * cursor nears either end and trimmed at the far end, so every key costs
 * at most one indexed query whatever the log's size.
 *
 * Invariants of the segment:
 *  - rows[0..n) are consecutive in the filtered log: nothing the filter
 *    admits lies between two of them;
 *  - bof/eof say whether rows[0] / rows[n-1] are the first / last entry
 *    of the filtered log; when !bof, before_day is the local day of the
 *    entry just before rows[0], so rows[0] knows whether a day separator
 *    goes above it;
 *  - while the cursor moves, at least `margin` rows stay loaded on each
 *    side of it unless that side is the end of the log, so drawing a
 *    screen never needs a query;
 *  - n <= seg_max.
 *
 * What is on screen is a list of display lines: each entry is one line,
 * preceded by a separator line when its local day differs from the
 * previous entry's.  The first visible line is (top, top_sep): the
 * separator of row `top` when top_sep, else its entry line.
 *
 * Follow mode: when the cursor is on the last entry of the log, new
 * entries (from this console or another process) are loaded and the
 * cursor moves onto the newest, so the view stays at the bottom.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/kinds.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"
#include "dutydesk/wrap.h"

/* Rows fetched per extension of the segment. */
#define PAGE 200

struct entry {
	struct dd_log_key key;
	int64_t day;                        /* local calendar day */
	char hms[16];                       /* local HH:MM:SS, formatted once */
	char at[DD_AT_MAX];
	char corrects[DD_UUID_LEN + 1];
	int drill;
	const char *officer, *org, *kind, *text;   /* into strings[] */
	char strings[];
};

struct log_state {
	struct entry **rows;
	int n, cap;
	bool bof, eof;
	int64_t before_day;

	int sel;                 /* selected row, or -1 when the segment is empty */
	int top;
	bool top_sep;

	char grep[256];          /* the filter, "" for none */

	bool detail;             /* showing rows[sel] in full */
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
	if (strcmp(kind, "note") == 0)
		return _("Note");
	if (strcmp(kind, "call-in") == 0)
		return _("Call in");
	if (strcmp(kind, "call-out") == 0)
		return _("Call out");
	if (strcmp(kind, "action") == 0)
		return _("Action");
	if (strcmp(kind, "handover") == 0)
		return _("Handover");
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

/* ---- the segment ------------------------------------------------------- */

struct fetch {
	struct ui *ui;
	struct entry **rows;
	int n, cap;
};

static struct entry *entry_new(struct ui *ui, const struct dd_log_row *r)
{
	size_t lo = strlen(r->officer) + 1, lg = strlen(r->org) + 1, lk = strlen(r->kind) + 1,
	       lt = strlen(r->text) + 1;
	struct entry *e = malloc(sizeof *e + lo + lg + lk + lt);
	if (!e)
		return NULL;
	e->key.at_ms = r->at_ms;
	snprintf(e->key.id, sizeof e->key.id, "%s", r->id);
	const char *tz = ui->cfg->timezone;
	e->day = time_local_day(r->at_ms, tz);
	time_format_local(r->at_ms, tz, "%H:%M:%S", e->hms, sizeof e->hms);
	snprintf(e->at, sizeof e->at, "%s", r->at);
	snprintf(e->corrects, sizeof e->corrects, "%s", r->corrects ? r->corrects : "");
	e->drill = r->drill;
	char *p = e->strings;
	e->officer = memcpy(p, r->officer, lo);
	p += lo;
	e->org = memcpy(p, r->org, lg);
	p += lg;
	e->kind = memcpy(p, r->kind, lk);
	p += lk;
	e->text = memcpy(p, r->text, lt);
	return e;
}

static int collect(const struct dd_log_row *row, void *ctx)
{
	struct fetch *f = ctx;
	if (f->n == f->cap)
		return 1;
	struct entry *e = entry_new(f->ui, row);
	if (!e)
		return 1;
	f->rows[f->n++] = e;
	return 0;
}

static void free_rows(struct entry **rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i]);
}

/* Up to limit entries after (or before) key, in scan order, into a new
 * array; *n receives the count.  NULL on failure, with the status set. */
static struct entry **fetch(struct view *v, const struct dd_log_key *key, bool backward, int limit, int *n)
{
	struct log_state *s = state(v);
	struct dd_log_filter filter;
	store_log_filter_init(&filter);
	filter.grep = s->grep[0] ? s->grep : NULL;
	struct fetch f = { v->ui, calloc((size_t)limit, sizeof(struct entry *)), 0, limit };
	*n = 0;
	if (!f.rows) {
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
		return NULL;
	}
	struct dd_error err = { 0 };
	if (store_log_scan(v->ui->st, &filter, key, backward, limit, collect, &f, &err) != 0) {
		ui_status(v->ui, UI_ERROR, _("reading the shift log: %s"), err.msg);
		free_rows(f.rows, f.n);
		free(f.rows);
		return NULL;
	}
	*n = f.n;
	return f.rows;
}

/* Rows on each side of the cursor kept loaded, and the segment's limit. */
static int margin(const struct view *v)
{
	return 2 * (v->height > 0 ? v->height : UI_MIN_ROWS) + 20;
}

static int seg_max(const struct view *v)
{
	return 2 * margin(v) + 2 * PAGE;
}

static bool reserve(struct log_state *s, int need)
{
	if (need <= s->cap)
		return true;
	int cap = s->cap ? s->cap : 256;
	while (cap < need)
		cap *= 2;
	struct entry **rows = realloc(s->rows, (size_t)cap * sizeof *rows);
	if (!rows)
		return false;
	s->rows = rows;
	s->cap = cap;
	return true;
}

static void seg_clear(struct log_state *s)
{
	free_rows(s->rows, s->n);
	s->n = 0;
	s->sel = -1;
	s->top = 0;
	s->top_sep = false;
	s->bof = s->eof = true;
}

static bool has_sep(const struct log_state *s, int i)
{
	if (i == 0)
		return s->bof || s->before_day != s->rows[0]->day;
	return s->rows[i]->day != s->rows[i - 1]->day;
}

/* Drops k rows from the front, remembering the day before the new first. */
static void trim_front(struct log_state *s, int k)
{
	if (k <= 0)
		return;
	s->before_day = s->rows[k - 1]->day;
	s->bof = false;
	free_rows(s->rows, k);
	memmove(s->rows, s->rows + k, (size_t)(s->n - k) * sizeof *s->rows);
	s->n -= k;
	s->sel -= k;
	s->top -= k;
	if (s->top < 0) {
		s->top = 0;
		s->top_sep = false;
	}
}

static void trim_back(struct log_state *s, int k)
{
	if (k <= 0)
		return;
	free_rows(s->rows + s->n - k, k);
	s->n -= k;
	s->eof = false;
}

/* Appends a page after the last row; false when nothing more came. */
static bool extend_down(struct view *v)
{
	struct log_state *s = state(v);
	int got;
	struct entry **more = fetch(v, &s->rows[s->n - 1]->key, false, PAGE + 1, &got);
	if (!more)
		return false;
	s->eof = got <= PAGE;
	if (!s->eof)
		free(more[--got]);
	if (!reserve(s, s->n + got)) {
		free_rows(more, got);
		free(more);
		return false;
	}
	memcpy(s->rows + s->n, more, (size_t)got * sizeof *more);
	s->n += got;
	free(more);
	if (s->n > seg_max(v))
		trim_front(s, s->n - seg_max(v));
	return got > 0;
}

/* Prepends a page before the first row; false when nothing more came. */
static bool extend_up(struct view *v)
{
	struct log_state *s = state(v);
	int got;
	struct entry **more = fetch(v, &s->rows[0]->key, true, PAGE + 1, &got);
	if (!more)
		return false;
	/* The extra row only tells the day before the new first row. */
	s->bof = got <= PAGE;
	if (!s->bof) {
		s->before_day = more[PAGE]->day;
		free(more[--got]);
	}
	if (!reserve(s, s->n + got)) {
		free_rows(more, got);
		free(more);
		return false;
	}
	memmove(s->rows + got, s->rows, (size_t)s->n * sizeof *s->rows);
	for (int i = 0; i < got; i++)
		s->rows[i] = more[got - 1 - i];
	s->n += got;
	s->sel += got;
	s->top += got;
	free(more);
	if (s->n > seg_max(v))
		trim_back(s, s->n - seg_max(v));
	return got > 0;
}

/* Keeps `margin` rows loaded on both sides of the cursor. */
static void ensure_loaded(struct view *v)
{
	struct log_state *s = state(v);
	while (s->n > 0 && !s->eof && s->sel > s->n - 1 - margin(v))
		if (!extend_down(v))
			break;
	while (s->n > 0 && !s->bof && s->sel < margin(v))
		if (!extend_up(v))
			break;
}

/* Replaces the segment with the entries around anchor and selects the
 * first entry at or after it (the last entry when none is).  anchor NULL
 * loads the end of the log. */
static void load_around(struct view *v, const struct dd_log_key *anchor)
{
	struct log_state *s = state(v);
	int want = margin(v) + PAGE / 2;
	int nb, nf = 0;
	struct entry **back = fetch(v, anchor, true, want + 1, &nb);
	if (!back)
		return;
	struct entry **fwd = NULL;
	if (anchor) {
		/* Forward from the newest row before the anchor, so the two
		 * scans meet exactly whatever ids share the anchor's time. */
		fwd = fetch(v, nb ? &back[0]->key : NULL, false, want + 1, &nf);
		if (!fwd) {
			free_rows(back, nb);
			free(back);
			return;
		}
	}
	seg_clear(s);
	bool bof = nb <= want;
	int64_t before_day = 0;
	if (!bof) {
		before_day = back[want]->day;
		free(back[--nb]);
	}
	bool eof = !anchor || nf <= want;
	if (anchor && !eof)
		free(fwd[--nf]);
	if (!reserve(s, nb + nf)) {
		free_rows(back, nb);
		free_rows(fwd, nf);
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
	} else {
		for (int i = 0; i < nb; i++)
			s->rows[i] = back[nb - 1 - i];
		for (int i = 0; i < nf; i++)
			s->rows[nb + i] = fwd[i];
		s->n = nb + nf;
		s->bof = bof;
		s->eof = eof;
		s->before_day = before_day;
		s->sel = s->n == 0 ? -1 : nf > 0 ? nb : s->n - 1;
	}
	free(back);
	free(fwd);
}

/* Loads the start of the log and selects its first entry. */
static void load_start(struct view *v)
{
	struct log_state *s = state(v);
	int want = margin(v) + PAGE / 2, got;
	struct entry **rows = fetch(v, NULL, false, want + 1, &got);
	if (!rows)
		return;
	seg_clear(s);
	s->eof = got <= want;
	if (!s->eof)
		free(rows[--got]);
	if (reserve(s, got)) {
		memcpy(s->rows, rows, (size_t)got * sizeof *rows);
		s->n = got;
	} else {
		free_rows(rows, got);
	}
	free(rows);
	s->bof = true;
	s->sel = s->n ? 0 : -1;
}

/* ---- the viewport ------------------------------------------------------- */

static bool step_up(struct log_state *s)
{
	if (!s->top_sep && has_sep(s, s->top)) {
		s->top_sep = true;
	} else if (s->top > 0) {
		s->top--;
		s->top_sep = false;
	} else {
		return false;
	}
	return true;
}

/* Display lines from the first visible one to the end of the segment,
 * counting no further than limit. */
static int lines_to_end(const struct log_state *s, int limit)
{
	int lines = 0;
	for (int i = s->top; i < s->n && lines < limit; i++)
		lines += 1 + ((i == s->top ? s->top_sep : has_sep(s, i)) ? 1 : 0);
	return lines;
}

/* Puts the selected entry's line `above` lines below the top, or as near
 * as the start of the log allows. */
static void place_sel(struct view *v, int above)
{
	struct log_state *s = state(v);
	if (s->sel < 0)
		return;
	s->top = s->sel;
	s->top_sep = false;
	for (int k = 0; k < above; k++)
		if (!step_up(s))
			break;
}

/* Scrolls as little as possible to show the selection, then pulls the
 * view down so no blank lines hang below the newest entry. */
static void ensure_visible(struct view *v)
{
	struct log_state *s = state(v);
	if (s->sel < 0)
		return;
	if (s->top > s->n - 1)
		s->top = s->n - 1;
	if (s->top_sep && !has_sep(s, s->top))
		s->top_sep = false;
	if (s->sel < s->top || (s->sel == s->top && !s->top_sep && has_sep(s, s->sel))) {
		place_sel(v, has_sep(s, s->sel) ? 1 : 0);
	} else {
		int line = 0;
		for (int i = s->top; i < s->sel && line < v->height; i++)
			line += 1 + ((i == s->top ? s->top_sep : has_sep(s, i)) ? 1 : 0);
		if (has_sep(s, s->sel))
			line++;
		if (line >= v->height)
			place_sel(v, v->height - 1);
	}
	if (s->eof)
		while (lines_to_end(s, v->height) < v->height && step_up(s))
			;
}

/* Where the selection sits on screen, to keep it there across a reload. */
static int sel_line(const struct view *v)
{
	const struct log_state *s = v->priv;
	if (s->sel < s->top)
		return 0;
	int line = 0;
	for (int i = s->top; i < s->sel; i++)
		line += 1 + ((i == s->top ? s->top_sep : has_sep(s, i)) ? 1 : 0);
	if (s->sel != s->top ? has_sep(s, s->sel) : s->top_sep)
		line++;
	return line < v->height ? line : v->height - 1;
}

static bool following(const struct log_state *s)
{
	return s->n == 0 || (s->eof && s->sel == s->n - 1);
}

static void move_sel(struct view *v, int delta)
{
	struct log_state *s = state(v);
	if (s->sel < 0)
		return;
	int to = s->sel + delta;
	/* Load before clamping, so a long move crosses page boundaries. */
	while (to > s->n - 1 && !s->eof && extend_down(v))
		to = s->sel + delta;
	while (to < 0 && !s->bof && extend_up(v))
		to = s->sel + delta;
	s->sel = to < 0 ? 0 : to > s->n - 1 ? s->n - 1 : to;
	ensure_loaded(v);
	ensure_visible(v);
}

static void reload(struct view *v, const struct dd_log_key *anchor, int above)
{
	load_around(v, anchor);
	ensure_loaded(v);
	place_sel(v, above);
	ensure_visible(v);
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

static void draw_separator(struct view *v, int y, const struct entry *e)
{
	struct ui *ui = v->ui;
	char date[96], label[160];
	/* TRANSLATORS: a strftime() format for the date on day separators.
	 * xgettext:no-c-format */
	time_format_local(e->key.at_ms, ui->cfg->timezone, _("%A, %Y-%m-%d"), date, sizeof date);
	int64_t today = time_local_day(ui_now(ui), ui->cfg->timezone);
	if (e->day == today)
		snprintf(label, sizeof label, "── %s · %s ", date, _("today"));
	else if (e->day == today - 1)
		snprintf(label, sizeof label, "── %s · %s ", date, _("yesterday"));
	else
		snprintf(label, sizeof label, "── %s ", date);
	int used = draw_text(y, 0, label, v->width, ROLE_DAY_SEPARATOR);
	attr_t a = theme_attr(ROLE_DAY_SEPARATOR);
	attron(a);
	for (int x = used; x < v->width; x++)
		mvaddstr(y, x, "─");
	attroff(a);
}

static void draw_entry(struct view *v, int y, const struct entry *e, bool selected)
{
	int officer_cols = v->width >= 120 ? 16 : 10;
	int kcols = kind_cols();
	int x = 0;
#define ROLE(r) (selected ? ROLE_SELECTION : (r))
	draw_fill(y, 0, v->width, ROLE(ROLE_NORMAL));
	x += draw_pad(y, x, e->hms, 8, ROLE(ROLE_TIME)) + 2;
	x += draw_pad(y, x, e->officer, officer_cols, ROLE(ROLE_OFFICER)) + 2;
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
	if (s->grep[0])
		snprintf(msg, sizeof msg, _("No entries contain \"%s\". Press Esc to clear the filter."), s->grep);
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
	for (int i = s->top; i < s->n && line < v->height; i++) {
		if (i == s->top ? s->top_sep : has_sep(s, i)) {
			s->line_row[line] = i;
			draw_separator(v, v->y + line++, s->rows[i]);
		}
		if (line < v->height) {
			s->line_row[line] = i;
			draw_entry(v, v->y + line++, s->rows[i], i == s->sel);
		}
	}
	if (s->n == 0)
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
	const struct entry *e = s->rows[s->sel];
	const char *tz = v->ui->cfg->timezone;
	const char *labels[] = { _("Id"), _("Time"), _("Officer"), _("Org"), _("Kind"), _("Corrects"), _("Drill") };
	struct detail_pen p = { v, 0, 0 };
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(labels[i]) > p.label_cols)
			p.label_cols = text_width(labels[i]);

	char buf[256], when[64], day[64];
	snprintf(buf, sizeof buf, _("Entry #%s"), shiftlog_short_id(e->key.id));
	detail_line(&p, NULL, buf, ROLE_VIEW_TITLE);
	detail_line(&p, labels[0], e->key.id, ROLE_DIM);
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
	detail_line(&p, labels[1], buf, ROLE_TIME);
	detail_line(&p, labels[2], e->officer, ROLE_OFFICER);
	detail_line(&p, labels[3], e->org, ROLE_NORMAL);
	detail_line(&p, labels[4], log_kind_label(e->kind), kind_role(e->kind));
	if (e->corrects[0]) {
		snprintf(buf, sizeof buf, "#%s  (%s)", shiftlog_short_id(e->corrects), e->corrects);
		detail_line(&p, labels[5], buf, ROLE_CORRECTION);
	}
	if (e->drill)
		detail_line(&p, labels[6], _("yes: an exercise entry, not a real event"), ROLE_DRILL);
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
	/* The height may have changed since the last key (a resize). */
	ensure_visible(v);
	if (s->detail && s->sel >= 0)
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
	if (!s->detail && s->sel >= 0 && len < n) {
		char date[96];
		time_format_local(s->rows[s->sel]->key.at_ms, v->ui->cfg->timezone, _("%A, %Y-%m-%d"), date,
				  sizeof date);
		len += (size_t)snprintf(buf + len, n - len, " · %s", date);
	}
	if (s->grep[0] && len < n)
		len += (size_t)snprintf(buf + len, n - len, _(" · filter: \"%s\""), s->grep);
	if (!s->detail && s->n > 0 && following(s) && len < n)
		snprintf(buf + len, n - len, " · %s", _("following new entries"));
}

/* ---- keys ---------------------------------------------------------------- */

static void set_filter(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct log_state *s = state(v);
	struct dd_log_key anchor, *a = NULL;
	if (s->sel >= 0 && !following(s)) {
		anchor = s->rows[s->sel]->key;
		a = &anchor;
	}
	snprintf(s->grep, sizeof s->grep, "%s", text);
	s->detail = false;
	/* A rare text makes SQLite read the whole log, a second or so for a
	 * million entries: say so before starting. */
	if (s->grep[0])
		ui_busy(ui, _("Filtering…"));
	reload(v, a, v->height - 1);
	if (s->grep[0] && s->n == 0)
		ui_status(ui, UI_INFO, _("No entries contain \"%s\"."), s->grep);
	else if (s->grep[0] && ui->status_level == UI_INFO)
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
	case REQ_MOVE_FIRST:
		load_start(v);
		ensure_loaded(v);
		place_sel(v, 0);
		ensure_visible(v);
		break;
	case REQ_MOVE_LAST: reload(v, NULL, v->height - 1); break;
	case REQ_OPEN:
		if (s->sel >= 0) {
			s->detail = true;
			s->detail_top = 0;
		}
		break;
	case REQ_FILTER:
		prompt_open(v->ui, PROMPT_FILTER, _("Filter: "), s->grep, set_filter, v);
		break;
	case REQ_FILTER_CLEAR:
		if (!s->grep[0])
			return VIEW_IGNORED;
		set_filter(v->ui, "", v);
		ui_status(v->ui, UI_INFO, "%s", _("Filter cleared."));
		break;
	case REQ_JUMP_TIME:
		prompt_open(v->ui, PROMPT_TIME, _("Jump to time: "), "", jump_to, v);
		break;
	case REQ_CORRECT:
		if (s->sel >= 0)
			prompt_open_entry(v->ui, s->rows[s->sel]->key.id);
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
	s->sel = s->line_row[row];
	ensure_loaded(v);
	ensure_visible(v);
}

static void log_refresh(struct view *v)
{
	struct log_state *s = state(v);
	/* An entry open in full stays the same entry: only the list follows. */
	if (following(s) && !s->detail) {
		reload(v, NULL, v->height - 1);
	} else {
		struct dd_log_key anchor = s->rows[s->sel]->key;
		reload(v, &anchor, sel_line(v));
	}
}

/* There is one log view, so its state is static: opening cannot fail. */
static struct log_state the_state;

static void log_open(struct view *v)
{
	struct log_state *s = &the_state;
	memset(s, 0, sizeof *s);
	s->sel = -1;
	s->bof = s->eof = true;
	v->priv = s;
	reload(v, NULL, v->height - 1);
}

static void log_close(struct view *v)
{
	struct log_state *s = state(v);
	free_rows(s->rows, s->n);
	free(s->rows);
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
