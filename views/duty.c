/*
 * duty.c — the duty view (值班表): one org's shifts for a week, Monday to
 * Sunday, the desk's own org unless `o` picks another; `[` and `]` step
 * through weeks.  Today's rows are highlighted; a day with no shift, a
 * shift with no duty officer or no 带班领导 is flagged with the same
 * labels as `dutydesk duty gaps`; the 7×24 watch of a response period
 * is shown on its shift.
 *
 * A day is the standard shift starting that day (shift_start, 08:30 by
 * default, to the same time the next day); a shift belongs to the day
 * its start falls in, so a night of 20:00 to 08:30 stays under the day
 * it began.  "Today" is the day of the shift holding now, so at 03:00 it
 * is still yesterday's date, as the officers count it.
 *
 * The week's shifts are one store_duty_scan(), re-run when the store
 * changes, the org or the week changes; drawing never queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/orgpick.h"
#include "dutydesk/prompt.h"
#include "dutydesk/roster.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"

#define DAY_MS 86400000LL
#define DAYS 7

static struct {
	struct dd_org org;            /* whose schedule */
	int week;                     /* weeks from this one */
	int64_t day_start[DAYS + 1];  /* the standard shifts of the week; [DAYS] is its end */
	int today;                    /* index of today in the week, -1 when another week */
	struct dd_shift *shifts;
	int n, cap;
	int top;
} d;

/* Works out the week's days from the shift holding now. */
static int week_days(struct view *v, struct dd_error *err)
{
	const struct dd_config *cfg = v->ui->cfg;
	int64_t now = ui_now(v->ui), start, end;
	if (duty_shift_bounds(cfg->shift_start, cfg->timezone, now, &start, &end, err) != 0)
		return -1;
	char wday[8], date[16];
	time_format_local(start, cfg->timezone, "%u", wday, sizeof wday);
	/* Noon of the shift's date steps across days whatever the clock
	 * changes do to a day's length. */
	time_format_local(start, cfg->timezone, "%Y-%m-%d", date, sizeof date);
	int64_t noon;
	char spec[32];
	snprintf(spec, sizeof spec, "%s 12:00", date);
	if (time_parse(spec, now, cfg->timezone, &noon, err) != 0)
		return -1;
	int64_t monday = noon - (atoi(wday) - 1) * DAY_MS + (int64_t)d.week * DAYS * DAY_MS;
	for (int i = 0; i <= DAYS; i++) {
		time_format_local(monday + i * DAY_MS, cfg->timezone, "%Y-%m-%d", date, sizeof date);
		if (duty_shift_on(date, cfg->shift_start, NULL, cfg->timezone, &d.day_start[i], &end, err) != 0)
			return -1;
	}
	d.today = d.week == 0 ? atoi(wday) - 1 : -1;
	return 0;
}

static int collect(const struct dd_shift *s, void *ctx)
{
	(void)ctx;
	if (strcmp(s->org, d.org.id) != 0)   /* the scan covers the subtree */
		return 0;
	if (d.n == d.cap) {
		int cap = d.cap ? 2 * d.cap : 16;
		struct dd_shift *shifts = realloc(d.shifts, (size_t)cap * sizeof *shifts);
		if (!shifts)
			return DD_ENOMEM;
		d.shifts = shifts;
		d.cap = cap;
	}
	d.shifts[d.n++] = *s;
	return 0;
}

static void load(struct view *v)
{
	struct dd_error err = { 0 };
	d.n = 0;
	if (week_days(v, &err) != 0 ||
	    store_duty_scan(v->ui->st, d.org.id, d.day_start[0], d.day_start[DAYS], false, collect, NULL, &err) != 0)
		ui_status(v->ui, UI_ERROR, _("reading the duty schedule: %s"), err.msg);
}

/* The desk's org, or its bare id when the tree has not been loaded. */
static void set_org(struct view *v, const char *id)
{
	struct dd_error err = { 0 };
	if (store_org_get(v->ui->st, id, &d.org, &err) != 0) {
		memset(&d.org, 0, sizeof d.org);
		snprintf(d.org.id, sizeof d.org.id, "%s", id);
	}
}

/* ---- drawing -------------------------------------------------------------- */

struct columns {
	int day, time, officers, leader, phone, notes;
};

static void layout(const struct view *v, struct columns *c)
{
	bool wide = v->width >= 120;
	c->day = 16;
	c->time = 11;
	c->leader = wide ? 16 : 10;
	c->phone = wide ? 14 : 0;
	c->notes = wide ? 36 : 24;
	int used = 1 + c->day + 1 + c->time + 1 + c->leader + 1 + (c->phone ? c->phone + 1 : 0) + c->notes;
	c->officers = v->width - used - 1;
}

struct pen {
	struct view *v;
	const struct columns *c;
	int line;      /* document line */
};

static int pen_y(const struct pen *p)
{
	int y = p->line - d.top;
	return y >= 0 && y < p->v->height - 1 ? p->v->y + 1 + y : -1;
}

static void draw_shift(struct pen *p, int day, const struct dd_shift *s, bool first)
{
	struct view *v = p->v;
	const struct columns *c = p->c;
	const char *tz = v->ui->cfg->timezone;
	int y = pen_y(p);
	p->line++;
	if (y < 0)
		return;
	enum theme_role base = day == d.today ? ROLE_SELECTION : ROLE_NORMAL;
	char buf[1024], a[16], b[16];
	draw_fill(y, 0, v->width, base);
	int x = 1;
	if (first) {
		/* TRANSLATORS: a strftime() format for a day of the duty week.
		 * xgettext:no-c-format */
		time_format_local(d.day_start[day], tz, _("%m-%d %a"), buf, sizeof buf);
		if (day == d.today)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " %s", _("today"));
	} else {
		buf[0] = '\0';
	}
	x += draw_pad(y, x, buf, c->day, base) + 1;
	if (!s) {
		x += draw_pad(y, x, "", c->time + 1 + c->officers + 1 + c->leader + 1 + (c->phone ? c->phone + 1 : 0),
			      base);
		draw_text(y, x, roster_gap_label(DD_GAP_UNCOVERED), c->notes, ROLE_ERROR);
		return;
	}
	time_format_local(s->start_ms, tz, "%H:%M", a, sizeof a);
	time_format_local(s->end_ms, tz, "%H:%M", b, sizeof b);
	snprintf(buf, sizeof buf, "%s–%s", a, b);
	x += draw_pad(y, x, buf, c->time, base) + 1;
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < s->n_officers && len < sizeof buf; k++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", k ? "、" : "", s->officers[k]);
	if (s->post[0] && len < sizeof buf)
		snprintf(buf + len, sizeof buf - len, " (%s)", s->post);
	x += draw_pad(y, x, s->n_officers ? buf : "—", c->officers, base) + 1;
	x += draw_pad(y, x, s->leader[0] ? s->leader : "—", c->leader, base) + 1;
	if (c->phone)
		x += draw_pad(y, x, s->phone, c->phone, base) + 1;
	int end = x + c->notes;
	if (s->h24)
		x += draw_text(y, x, _("7×24"), end - x, ROLE_BANNER_PERIOD) + 1;
	if (!s->n_officers)
		x += draw_text(y, x, roster_gap_label(DD_GAP_NO_OFFICER), end - x, ROLE_ERROR) + 1;
	if (!s->leader[0])
		draw_text(y, x, roster_gap_label(DD_GAP_NO_LEADER), end - x, ROLE_ERROR);
}

static void draw_week(struct pen *p)
{
	for (int day = 0; day < DAYS; day++) {
		bool any = false;
		for (int i = 0; i < d.n; i++) {
			const struct dd_shift *s = &d.shifts[i];
			if (s->start_ms < d.day_start[day] || s->start_ms >= d.day_start[day + 1])
				continue;
			draw_shift(p, day, s, !any);
			any = true;
		}
		if (!any)
			draw_shift(p, day, NULL, true);
	}
}

static void draw_header(struct view *v, const struct columns *c)
{
	int y = v->y, x = 1;
	draw_fill(y, 0, v->width, ROLE_LABEL);
	x += draw_pad(y, x, _("Day"), c->day, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Shift"), c->time, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Duty officers"), c->officers, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Leader"), c->leader, ROLE_LABEL) + 1;
	if (c->phone)
		x += draw_pad(y, x, _("Duty phone"), c->phone, ROLE_LABEL) + 1;
	draw_pad(y, x, _("Flags"), c->notes, ROLE_LABEL);
}

static void duty_draw(struct view *v)
{
	struct columns c;
	layout(v, &c);
	draw_header(v, &c);
	struct pen p = { .v = v, .c = &c };
	draw_week(&p);
	/* Clamp the scroll to the week, then draw once more when it moved. */
	int max_top = p.line - (v->height - 1);
	int top = d.top > max_top ? max_top : d.top;
	if (top < 0)
		top = 0;
	if (top != d.top) {
		d.top = top;
		draw_fill(v->y + 1, 0, v->width, ROLE_NORMAL);
		p = (struct pen){ .v = v, .c = &c };
		draw_week(&p);
	}
}

static void duty_title(struct view *v, char *buf, size_t n)
{
	char a[16], b[16];
	time_format_local(d.day_start[0], v->ui->cfg->timezone, "%m-%d", a, sizeof a);
	time_format_local(d.day_start[DAYS - 1], v->ui->cfg->timezone, "%m-%d", b, sizeof b);
	snprintf(buf, n, _("Duty schedule (值班表) · %s–%s · %s"), a, b, d.org.name[0] ? d.org.name : d.org.id);
}

/* ---- keys ------------------------------------------------------------------ */

/* An org id, or text that names one; several matches are named back. */
static void pick_org(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct dd_error err = { 0 };
	struct orgpick pick;
	if (!text[0])
		return;
	if (orgpick(ui->st, text, false, &pick, &err) != 0) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	if (pick.matches != 1) {
		if (pick.matches)
			ui_status(ui, UI_ERROR, _("\"%s\": %d orgs match (%s …); type more of the name, or an id"), text,
				  pick.matches, pick.names);
		else
			ui_status(ui, UI_ERROR, _("No org matches \"%s\"."), text);
		return;
	}
	set_org(v, pick.id);
	d.top = 0;
	load(v);
}

static enum view_handled duty_key(struct view *v, int req)
{
	switch (req) {
	case REQ_MOVE_UP: d.top = d.top > 0 ? d.top - 1 : 0; break;
	case REQ_MOVE_DOWN: d.top++; break;
	case REQ_MOVE_FIRST: d.top = 0; break;
	case REQ_WEEK_PREV:
	case REQ_WEEK_NEXT:
		d.week += req == REQ_WEEK_NEXT ? 1 : -1;
		d.top = 0;
		load(v);
		break;
	case REQ_DUTY_ORG: prompt_open(v->ui, PROMPT_COMMAND, _("Org (id or name): "), "", pick_org, v); break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void duty_refresh(struct view *v)
{
	load(v);
}

static void duty_open(struct view *v)
{
	memset(&d, 0, sizeof d);
	set_org(v, v->ui->cfg->org);
	load(v);
}

static void duty_close(struct view *v)
{
	(void)v;
	free(d.shifts);
	memset(&d, 0, sizeof d);
}

static const int duty_hints[] = { REQ_DUTY_ORG, REQ_ADD_ENTRY, REQ_BACK, 0 };

const struct view_ops duty_view_ops = {
	.name = "duty",
	.open = duty_open,
	.close = duty_close,
	.draw = duty_draw,
	.title = duty_title,
	.key = duty_key,
	.refresh = duty_refresh,
	.hints = duty_hints,
};
