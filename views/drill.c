/*
 * drill.c — the drill view (应急演练): the running drill, or the last one
 * when none runs.  A head with the scenario, its state and the T+ clock
 * (scenario time: frozen while paused, --speed times the wall clock) and
 * the next inject; then every inject, fired or pending, with what
 * response it expects, within how long, and whether and how fast it was
 * answered; under the list, the selected inject's text, wrapped.  An
 * inject reads by its title and its org by name; the id shows in the
 * detail, for `drill fire`.  Every time is scenario time.
 *
 * What it reads is reloaded when the store changes; answered-or-not is
 * worked out then too, so drawing (once a second for the clock) never
 * touches the store.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/roster.h"
#include "dutydesk/text.h"
#include "dutydesk/ui.h"
#include "dutydesk/wrap.h"

static struct {
	bool loaded, stale, have;
	struct dd_drill_run run;
	struct dd_drill_inject injects[DD_DRILL_INJECTS_MAX];
	int64_t answered_ms[DD_DRILL_INJECTS_MAX];   /* wall, 0 none */
	int64_t answered_clock[DD_DRILL_INJECTS_MAX]; /* scenario time of the answer */
	char org_name[DD_DRILL_INJECTS_MAX][DD_NAME_MAX + 1];  /* "" when not in the org tree */
	int n;
	int sel, top;
} d;

static int newest_cb(const struct dd_drill_run *r, void *ctx)
{
	(void)ctx;
	d.run = *r;
	d.have = true;
	return 1;
}

static void load(struct view *v)
{
	struct dd_store *st = v->ui->st;
	struct dd_error err = { 0 };
	d.loaded = true;
	d.have = false;
	d.n = 0;
	int rc = store_drill_current(st, &d.run, &err);
	if (rc == 0)
		d.have = true;
	else if (rc == DD_ENOTFOUND)
		rc = store_drill_list(st, newest_cb, NULL, &err);
	if (rc == 0 && d.have)
		rc = store_drill_injects(st, d.run.id, d.injects, DD_DRILL_INJECTS_MAX, &d.n, &err);
	for (int i = 0; rc == 0 && i < d.n; i++) {
		char actor[129];
		struct dd_org o;
		struct dd_error oerr;
		d.answered_ms[i] = d.answered_clock[i] = 0;
		snprintf(d.org_name[i], sizeof d.org_name[i], "%s",
			 store_org_get(st, d.injects[i].in.org, &o, &oerr) == 0 ? o.name : "");
		if (d.injects[i].fired_ms)
			rc = store_drill_response(st, &d.injects[i], d.run.ended_ms, &d.answered_ms[i], actor, sizeof actor,
						  &err);
		if (rc == 0 && d.answered_ms[i])
			rc = store_drill_clock_at(st, &d.run, d.answered_ms[i], &d.answered_clock[i], &err);
	}
	if (rc)
		ui_status(v->ui, UI_ERROR, _("reading the drill: %s"), err.msg);
	if (d.sel >= d.n)
		d.sel = d.n ? d.n - 1 : 0;
}

/* Scenario time as mm:ss or h:mm:ss, without the "T+". */
static void span(int64_t ms, char *buf, size_t n)
{
	char t[32];
	drill_offset_format(ms, t, sizeof t);
	snprintf(buf, n, "%s", t + 2);
}

/* What a person reads for inject i: its title, else its id. */
static const char *label(int i)
{
	return d.injects[i].in.title[0] ? d.injects[i].in.title : d.injects[i].in.id;
}

static const char *org_label(int i)
{
	return d.org_name[i][0] ? d.org_name[i] : d.injects[i].in.org;
}

/* What became of inject i: its text and role.  Judged in scenario time
 * (pauses taken off), as the window is; once the run ended its clock
 * stands at the end. */
static enum theme_role outcome(int i, int64_t clock, char *buf, size_t n)
{
	const struct dd_drill_inject *in = &d.injects[i];
	char t[32];
	if (!in->fired_ms) {
		snprintf(buf, n, "%s", d.run.ended_ms ? _("not fired") : _("waiting to fire"));
		return ROLE_DIM;
	}
	if (d.answered_ms[i]) {
		int64_t took = d.answered_clock[i] - in->fired_clock_ms;
		span(took, t, sizeof t);
		bool late = took > in->in.within_ms;
		snprintf(buf, n, late ? _("answered late %s") : _("answered %s"), t);
		return late ? ROLE_DUE_SOON : ROLE_INFO;
	}
	/* Scenario time of the firing: the clock then, not the schedule (a
	 * `drill fire` goes early). */
	int64_t fired_at = in->fired_clock_ms;
	if (d.run.ended_ms || clock > fired_at + in->in.within_ms) {
		snprintf(buf, n, "%s", _("missed"));
		return ROLE_OVERDUE;
	}
	span(fired_at + in->in.within_ms - clock, t, sizeof t);
	snprintf(buf, n, _("waiting, %s left"), t);
	return ROLE_TIME;
}

static void draw_head(struct view *v, int64_t clock, int *y)
{
	char buf[512], t[32];
	const struct dd_drill_run *r = &d.run;
	const char *state = r->ended_ms ? _("ended") : r->paused_ms ? _("paused") : _("running");
	int x = 1;
	x += draw_text(*y, x, r->name, v->width - x - 1, ROLE_DRILL) + 2;
	snprintf(buf, sizeof buf, "%s · %s · ×%d · %s", state, r->tier, r->speed, r->by);
	draw_text(*y, x, buf, v->width - x - 1, ROLE_LABEL);
	(*y)++;
	drill_offset_format(clock, t, sizeof t);
	x = 1;
	x += draw_text(*y, x, t, v->width - x - 1, ROLE_CLOCK) + 2;
	int next = -1;
	for (int i = 0; i < d.n && next < 0; i++)
		if (!d.injects[i].fired_ms)
			next = i;
	if (next >= 0) {
		char in[32];
		int64_t left = d.injects[next].due_ms - clock;
		span(left, in, sizeof in);
		if (left > 0)
			snprintf(buf, sizeof buf, _("next: %s in %s"), label(next), in);
		else
			snprintf(buf, sizeof buf, _("next: %s, due now"), label(next));
	} else if (!r->ended_ms && clock >= drill_windows_close(d.injects, d.n)) {
		/* Kept running (`drill run --keep`, or started elsewhere): the
		 * exercise is over, nothing more can be answered in time. */
		snprintf(buf, sizeof buf, "%s", _("every response window has closed; `dutydesk drill stop` ends the drill"));
	} else {
		snprintf(buf, sizeof buf, _("%d of %d injects fired"), r->n_fired, r->n_injects);
	}
	draw_text(*y, x, buf, v->width - x - 1, ROLE_NORMAL);
	(*y)++;
}

static void expected(int i, char *buf, size_t n)
{
	char t[32];
	drill_window_format(d.injects[i].in.within_ms, t, sizeof t);
	snprintf(buf, n, _("%s within %s"), _(drill_action_label(d.injects[i].in.expect)), t);
}

/* Column widths of the inject list, worked out from every row so the
 * columns line up; 0 hides a column. */
struct cols {
	int label, kind, org, exp, out;
};

/* The expected response (action and window) and the outcome are read
 * whole first; the title, the org and the kind share what is left, the
 * org widening only up to its longest name. */
static struct cols layout(int w, int64_t clock)
{
	struct cols c = { 0 };
	int label_max = 0, org_max = 0;
	char buf[256];
	for (int i = 0; i < d.n; i++) {
		expected(i, buf, sizeof buf);
		c.exp = text_width(buf) > c.exp ? text_width(buf) : c.exp;
		outcome(i, clock, buf, sizeof buf);
		c.out = text_width(buf) > c.out ? text_width(buf) : c.out;
		label_max = text_width(label(i)) > label_max ? text_width(label(i)) : label_max;
		org_max = text_width(org_label(i)) > org_max ? text_width(org_label(i)) : org_max;
	}
	/* Margins, the time (9) and a space after each column. */
	int left = w - 2 - 10 - (c.exp + 1) - c.out;
	c.label = label_max < (w >= 100 ? 26 : 20) ? label_max : w >= 100 ? 26 : 20;
	if (c.label + 1 > left)
		c.label = left - 1 > 8 ? left - 1 : 8;
	left -= c.label + 1;
	if (w >= 100 && left >= 15 + 12) {
		c.kind = 14;
		left -= 15;
	}
	if (w >= 100 && left >= 9)
		c.org = org_max < left - 1 ? org_max : left - 1;
	return c;
}

/* The columns of the inject list: at, title, kind, org, expected, outcome. */
static void draw_row(struct view *v, int y, int i, int64_t clock, const struct cols *c)
{
	const struct dd_drill_inject *in = &d.injects[i];
	bool selected = i == d.sel;
	enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
	char buf[256], t[32];
	draw_fill(y, 0, v->width, base);
	int x = 1, w = v->width;
	drill_offset_format(in->due_ms, t, sizeof t);
	x += draw_pad(y, x, t, 9, selected ? base : ROLE_TIME) + 1;
	x += draw_pad(y, x, label(i), c->label, base) + 1;
	if (c->kind)
		x += draw_pad(y, x, _(drill_kind_label(in->in.kind)), c->kind, selected ? base : ROLE_LABEL) + 1;
	if (c->org)
		x += draw_pad(y, x, org_label(i), c->org, base) + 1;
	enum theme_role role = outcome(i, clock, buf, sizeof buf);
	char exp[160];
	expected(i, exp, sizeof exp);
	/* Narrow screens cut the expected response, never the outcome. */
	int exp_cols = w - 1 - c->out - 1 - x;
	x += draw_pad(y, x, exp, exp_cols < c->exp ? exp_cols : c->exp, base) + 1;
	draw_text(y, x, buf, w - 1 - x, selected ? base : role);
}

static void draw_detail(struct view *v, int y, int last)
{
	if (d.sel >= d.n || y > last)
		return;
	const struct dd_drill_inject *in = &d.injects[d.sel];
	char head[512];
	snprintf(head, sizeof head, "%s · %s · %s · %s", label(d.sel), in->in.id, _(drill_kind_label(in->in.kind)),
		 org_label(d.sel));
	draw_text(y++, 1, head, v->width - 2, ROLE_LABEL);
	const char *s = in->in.text;
	while (*s && y <= last) {
		size_t len = wrap_line(s, v->width - 2 > 1 ? v->width - 2 : 1);
		char line[DD_DRILL_TEXT_MAX + 1];
		memcpy(line, s, len);
		line[len] = '\0';
		draw_text(y++, 1, line, v->width - 2, ROLE_NORMAL);
		s += len;
		while (*s == ' ' || *s == '\n')
			s++;
	}
}

static void drill_draw(struct view *v)
{
	if (!d.loaded || d.stale) {
		d.stale = false;
		load(v);
	}
	int y = v->y, last = v->y + v->height - 1;
	if (!d.have) {
		draw_text(y + 1, 1, _("No drill has run. Start one with `dutydesk drill run data/drills/NAME.conf`."),
			  v->width - 2, ROLE_DIM);
		return;
	}
	int64_t clock = drill_clock(&d.run, ui_now(v->ui));
	draw_head(v, clock, &y);
	y++;
	/* The list takes what the detail (four lines) leaves. */
	int rows = last - y + 1 - 5;
	if (rows < 1)
		rows = last - y + 1;
	if (d.sel < d.top)
		d.top = d.sel;
	if (d.sel >= d.top + rows)
		d.top = d.sel - rows + 1;
	struct cols c = layout(v->width, clock);
	for (int i = d.top; i < d.n && y <= last && i < d.top + rows; i++)
		draw_row(v, y++, i, clock, &c);
	draw_detail(v, y + 1, last);
}

static void drill_title(struct view *v, char *buf, size_t n)
{
	(void)v;
	if (!d.have)
		snprintf(buf, n, "%s", _("Drill (应急演练)"));
	else
		snprintf(buf, n, _("Drill (应急演练) · %d/%d injects fired"), d.run.n_fired, d.run.n_injects);
}

static enum view_handled drill_key(struct view *v, int req)
{
	(void)v;
	switch (req) {
	case REQ_MOVE_UP: d.sel = d.sel > 0 ? d.sel - 1 : 0; break;
	case REQ_MOVE_DOWN: d.sel = d.sel < d.n - 1 ? d.sel + 1 : d.sel; break;
	case REQ_MOVE_FIRST:
	case REQ_MOVE_PAGE_UP: d.sel = 0; break;
	case REQ_MOVE_LAST:
	case REQ_MOVE_PAGE_DOWN: d.sel = d.n ? d.n - 1 : 0; break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void drill_refresh(struct view *v)
{
	(void)v;
	d.stale = true;
}

static void drill_open(struct view *v)
{
	memset(&d, 0, sizeof d);
	load(v);
}

static const int drill_hints[] = { REQ_ADD_ENTRY, REQ_BACK, 0 };

const struct view_ops drill_view_ops = {
	.name = "drill",
	.open = drill_open,
	.draw = drill_draw,
	.title = drill_title,
	.key = drill_key,
	.refresh = drill_refresh,
	.hints = drill_hints,
};
