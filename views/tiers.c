/*
 * tiers.c — the tiers view (分级): every tier of data/tiers.conf, the
 * most serious first, with who leads its handling, whom it notifies,
 * its reporting chain with the deadlines, and how many incidents of it
 * are open now.  For 重大 (II) the notify list is the multi-agency
 * command of eight bodies, shown as a numbered list.
 *
 * The rules are the struct dd_tiers loaded at start (nothing here reads
 * tiers.conf); the counts are one grouped query, re-run when the view is
 * drawn after the store changed.  The cursor moves over tiers; Enter shows that tier's
 * incidents in the queue.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/keys.h"
#include "dutydesk/text.h"
#include "dutydesk/ui.h"
#include "dutydesk/wrap.h"

static struct {
	int64_t open[DD_TIERS];
	bool counted;
	bool stale;                /* the store changed since the counts */
	int sel;                   /* index into the display order */
	int top;                   /* first document line shown */
} t;

/* The display order: the most serious tier first. */
static int tier_at(int i)
{
	return DD_TIERS - 1 - i;
}

static void count(struct view *v)
{
	struct dd_error err = { 0 };
	t.counted = store_incident_tier_counts(v->ui->st, 0, t.open, &err) == 0;
	if (!t.counted)
		ui_status(v->ui, UI_ERROR, _("counting incidents: %s"), err.msg);
}

/* A duration of tiers.conf as it was written there: 30m, 4h, 1d, 1h30m. */
static void minutes(int min, char *buf, size_t n)
{
	if (min % 1440 == 0)
		snprintf(buf, n, "%dd", min / 1440);
	else if (min % 60 == 0)
		snprintf(buf, n, "%dh", min / 60);
	else if (min > 60)
		snprintf(buf, n, "%dh%02dm", min / 60, min % 60);
	else
		snprintf(buf, n, "%dm", min);
}

struct pen {
	struct view *v;
	int line;
	bool draw;
	int label_cols;
	int sel_first, sel_last;
};

static int pen_y(const struct pen *p)
{
	int y = p->line - t.top;
	return p->draw && y >= 0 && y < p->v->height ? p->v->y + y : -1;
}

/* A labelled value, wrapped; label "" continues the previous one. */
static void field(struct pen *p, const char *label, const char *value, enum theme_role role)
{
	int x = 3 + p->label_cols + 2;
	int cols = p->v->width - x - 1;
	char line[4096];
	bool first = true;
	do {
		size_t len = wrap_line(value, cols > 1 ? cols : 1);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, value, len);
		line[len] = '\0';
		int y = pen_y(p);
		if (y >= 0) {
			if (first)
				draw_pad(y, 3, label, p->label_cols, ROLE_LABEL);
			draw_text(y, x, line, cols, role);
		}
		p->line++;
		first = false;
		value += len;
		while (*value == '\n' || *value == ' ')
			value++;
	} while (*value);
}

static void draw_tier(struct pen *p, int i)
{
	struct view *v = p->v;
	int tier = tier_at(i);
	const struct dd_tier_rule *r = &v->ui->tiers->tier[tier];
	bool selected = i == t.sel;
	char buf[4096], a[32], b[32];
	if (selected)
		p->sel_first = p->line;
	int y = pen_y(p);
	if (y >= 0) {
		enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
		draw_fill(y, 0, v->width, base);
		int x = 1;
		incfmt_tier_name(v->ui->tiers, tier, buf, sizeof buf);
		x += draw_text(y, x, buf, v->width - x, incfmt_tier_role(v->ui->tiers, tier)) + 2;
		if (t.counted) {
			snprintf(buf, sizeof buf, _("%lld open"), (long long)t.open[tier]);
			draw_right(y, v->width - 1, buf, v->width - x - 1, t.open[tier] ? base : selected ? base : ROLE_DIM);
		}
	}
	p->line++;
	field(p, _("Lead"), r->lead, ROLE_NORMAL);
	if (tier == DD_TIER_II) {
		/* The eight bodies of the command, one a line, as an officer
		 * works down them on the phone. */
		for (int k = 0; k < r->n_notify; k++) {
			snprintf(buf, sizeof buf, "%d. %s", k + 1, r->notify[k]);
			field(p, k == 0 ? _("Command") : "", buf, ROLE_NORMAL);
		}
	} else if (r->n_notify) {
		size_t len = 0;
		buf[0] = '\0';
		for (int k = 0; k < r->n_notify && len < sizeof buf; k++)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", k ? " · " : "", r->notify[k]);
		field(p, _("Notify"), buf, ROLE_NORMAL);
	}
	for (int k = 0; k < r->n_hops; k++) {
		const struct dd_hop_rule *h = &r->hops[k];
		minutes(h->within_min, a, sizeof a);
		int len = h->after[0] ? snprintf(buf, sizeof buf, _("%s · within %s of the report to %s"), h->to, a,
						 incfmt_hop(v->ui->tiers, tier, h->after))
				      : snprintf(buf, sizeof buf, _("%s · within %s of detection"), h->to, a);
		if (h->cii_within_min != h->within_min && len > 0 && (size_t)len < sizeof buf) {
			minutes(h->cii_within_min, b, sizeof b);
			snprintf(buf + len, sizeof buf - (size_t)len, _(" (CII: %s)"), b);
		}
		field(p, k == 0 ? _("Chain") : "", buf, ROLE_TIME);
	}
	if (r->n_hops == 0)
		field(p, _("Chain"), _("no report is due"), ROLE_DIM);
	if (selected)
		p->sel_last = p->line - 1;
}

static void draw_document(struct pen *p)
{
	for (int i = 0; i < DD_TIERS; i++) {
		draw_tier(p, i);
		p->line++;   /* a blank line between tiers */
	}
	char buf[64], line[256];
	minutes(p->v->ui->tiers->summary_within_min, buf, sizeof buf);
	snprintf(line, sizeof line, _("The post-incident summary (事件分析总结) is due %s after handling ends."), buf);
	int y = pen_y(p);
	if (y >= 0)
		draw_text(y, 1, line, p->v->width - 2, ROLE_DIM);
	p->line++;
}

static int label_cols(void)
{
	const char *labels[] = { _("Lead"), _("Command"), _("Notify"), _("Chain") };
	int w = 0;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(labels[i]) > w)
			w = text_width(labels[i]);
	return w;
}

static void tiers_draw(struct view *v)
{
	/* Counted when shown, not on every change while hidden: the grouped
	 * count reads every open incident. */
	if (t.stale) {
		t.stale = false;
		count(v);
	}
	struct pen p = { .v = v, .label_cols = label_cols(), .sel_first = -1, .sel_last = -1 };
	draw_document(&p);
	if (p.sel_last >= t.top + v->height)
		t.top = p.sel_last - v->height + 1;
	if (p.sel_first < t.top)
		t.top = p.sel_first;
	if (t.top > p.line - v->height)
		t.top = p.line - v->height;
	if (t.top < 0)
		t.top = 0;
	p = (struct pen){ .v = v, .draw = true, .label_cols = label_cols(), .sel_first = -1, .sel_last = -1 };
	draw_document(&p);
}

static void tiers_title(struct view *v, char *buf, size_t n)
{
	(void)v;
	int64_t open = 0;
	for (int i = 0; i < DD_TIERS; i++)
		open += t.open[i];
	snprintf(buf, n, _("Tiers (事件分级) · %lld open incidents"), (long long)open);
}

static enum view_handled tiers_key(struct view *v, int req)
{
	switch (req) {
	case REQ_MOVE_UP: t.sel = t.sel > 0 ? t.sel - 1 : 0; break;
	case REQ_MOVE_DOWN: t.sel = t.sel < DD_TIERS - 1 ? t.sel + 1 : DD_TIERS - 1; break;
	case REQ_MOVE_FIRST:
	case REQ_MOVE_PAGE_UP:
		t.sel = 0;
		t.top = 0;
		break;
	case REQ_MOVE_LAST:
	case REQ_MOVE_PAGE_DOWN: t.sel = DD_TIERS - 1; break;
	case REQ_OPEN: queue_view_show_tier(v->ui, tier_at(t.sel)); break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void tiers_refresh(struct view *v)
{
	(void)v;
	t.stale = true;
}

static void tiers_open(struct view *v)
{
	memset(&t, 0, sizeof t);
	count(v);
}

static const int tiers_hints[] = { REQ_OPEN, REQ_ADD_ENTRY, REQ_BACK, 0 };

const struct view_ops tiers_view_ops = {
	.name = "tiers",
	.open = tiers_open,
	.draw = tiers_draw,
	.title = tiers_title,
	.key = tiers_key,
	.refresh = tiers_refresh,
	.hints = tiers_hints,
};
