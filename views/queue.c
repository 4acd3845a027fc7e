/*
 * queue.c — the incident queue (事件队列): one line per incident, the
 * highest tier first and, within a tier, the nearest deadline first,
 * with the deadline counting down by the console's clock.
 *
 * The rows come from a queuewin (queuewin.h): a window around the cursor
 * loaded a page at a time, so the queue scrolls 100,000 incidents as
 * fast as ten and drawing never queries.  There is no count in the
 * title on purpose: counting what a filter admits reads every row, a
 * fifth of a second at 100,000 incidents (the tiers view has the counts).
 *
 * Live: when the store changes (another desk, the CLI, this console) the
 * window is reloaded around the selected incident — found again by id,
 * since a raised tier or a recorded hop moves it — and the selection
 * keeps its line on screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/keys.h"
#include "dutydesk/orgpick.h"
#include "dutydesk/prompt.h"
#include "dutydesk/queuewin.h"
#include "dutydesk/roster.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"
#include "dutydesk/zero.h"

/* Change-freeze warnings shown above the incidents (seed art. 23: no
 * change to an important object while a protection period runs). */
#define FREEZE_SHOWN 3

struct queue_state {
	struct queuewin w;
	int n_freeze;                                     /* of running periods, in sight */
	struct dd_freeze_warning freeze[FREEZE_SHOWN];    /* the newest */
};

/* One queue view, so its state is static: opening cannot fail. */
static struct queue_state the_state;

static struct queue_state *state(struct view *v)
{
	return v->priv;
}

/* Rows of the freeze block: a heading and the newest warnings, never
 * more than a third of the body. */
static int freeze_rows(const struct view *v)
{
	const struct queue_state *s = v->priv;
	if (!s || !s->n_freeze)
		return 0;
	int rows = 1 + (s->n_freeze < FREEZE_SHOWN ? s->n_freeze : FREEZE_SHOWN);
	return rows <= v->height / 3 ? rows : v->height / 3;
}

/* Body rows below the freeze block and the column header. */
static int list_rows(const struct view *v)
{
	int h = v->height - freeze_rows(v) - 1;
	return h > 1 ? h : 1;
}

struct freeze_read {
	struct queue_state *s;
	int64_t now;
	const char *viewer;
	struct dd_store *st;
	struct dd_error *err;
	int rc;
};

static int take_warning(const struct dd_freeze_warning *w, void *ctx)
{
	struct queue_state *s = ctx;
	/* Periods are read one after another: keep the newest overall. */
	int i = s->n_freeze < FREEZE_SHOWN ? s->n_freeze : FREEZE_SHOWN;
	while (i > 0 && s->freeze[i - 1].at_ms < w->at_ms) {
		if (i < FREEZE_SHOWN)
			s->freeze[i] = s->freeze[i - 1];
		i--;
	}
	if (i < FREEZE_SHOWN)
		s->freeze[i] = *w;
	s->n_freeze++;
	return 0;
}

static int running_period(const struct dd_period *p, void *ctx)
{
	struct freeze_read *r = ctx;
	if (!p->freeze || p->start_ms > r->now)
		return 0;
	r->rc = store_freeze_scan(r->st, p->id, r->viewer, take_warning, r->s, r->err);
	return r->rc;
}

static void load_freeze(struct view *v)
{
	struct queue_state *s = state(v);
	struct dd_error err = { 0 };
	s->n_freeze = 0;
	struct freeze_read r = { s, ui_now(v->ui), zero_viewer_scope(v->ui->cfg), v->ui->st, &err, 0 };
	if (store_period_scan(v->ui->st, false, r.now, running_period, &r, &err) != 0 || r.rc != 0)
		ui_status(v->ui, UI_ERROR, _("reading change-freeze warnings: %s"), err.msg);
}

static const char *change_label(const char *kind)
{
	return strcmp(kind, "object.assess") == 0 ? _("importance changed")
	       : strcmp(kind, "object.set") == 0  ? _("ledger entry changed")
						  : kind;
}

static void draw_freeze(struct view *v)
{
	struct queue_state *s = state(v);
	int rows = freeze_rows(v);
	if (!rows)
		return;
	char buf[512], when[32], org[INCFMT_ORG_LEN];
	snprintf(buf, sizeof buf, _("⚠ Change freeze: %d changes to important objects during the protection period"),
		 s->n_freeze);
	draw_fill(v->y, 0, v->width, ROLE_ALERT);
	draw_text(v->y, 1, buf, v->width - 2, ROLE_ALERT);
	for (int i = 0; i + 1 < rows; i++) {
		const struct dd_freeze_warning *w = &s->freeze[i];
		time_format_local(w->at_ms, v->ui->cfg->timezone, "%m-%d %H:%M", when, sizeof when);
		snprintf(buf, sizeof buf, "%s  %s · %s · %s (%s)", when, incfmt_org(v->ui->st, w->org, org, sizeof org),
			 w->object_name, change_label(w->change), drill_actor_label(w->by));
		draw_fill(v->y + 1 + i, 0, v->width, ROLE_NORMAL);
		draw_text(v->y + 1 + i, 2, buf, v->width - 3, ROLE_OVERDUE);
	}
}

static void set_margin(struct view *v)
{
	state(v)->w.margin = 2 * list_rows(v) + 20;
}

static void report(struct view *v, int rc, const struct dd_error *err)
{
	if (rc != 0)
		ui_status(v->ui, UI_ERROR, _("reading the queue: %s"), err->msg);
}

static void ensure_visible(struct view *v)
{
	struct queuewin *w = &state(v)->w;
	int h = list_rows(v);
	if (w->sel < 0) {
		w->top = 0;
		return;
	}
	if (w->sel < w->top)
		w->top = w->sel;
	else if (w->sel >= w->top + h)
		w->top = w->sel - h + 1;
	/* At the end of the queue, no blank lines while rows lie above. */
	if (w->eof && w->top > 0 && w->top + h > w->n)
		w->top = w->n - h > 0 ? w->n - h : 0;
}

/* Loads around anchor (NULL: the start) with the selection `line` rows
 * below the top of the list. */
static void reload(struct view *v, const struct dd_queue_key *anchor, int line)
{
	struct queue_state *s = state(v);
	struct dd_error err = { 0 };
	set_margin(v);
	s->w.filter.drill_running = v->ui->banners.drill[0] != '\0';
	load_freeze(v);
	report(v, queuewin_load(&s->w, anchor, &err), &err);
	s->w.top = s->w.sel - line > 0 ? s->w.sel - line : 0;
	ensure_visible(v);
}

static int sel_line(const struct view *v)
{
	const struct queuewin *w = &((const struct queue_state *)v->priv)->w;
	return w->sel > w->top ? w->sel - w->top : 0;
}

static void move_sel(struct view *v, int delta)
{
	struct dd_error err = { 0 };
	set_margin(v);
	report(v, queuewin_move(&state(v)->w, delta, &err), &err);
	ensure_visible(v);
}

/* ---- drawing ------------------------------------------------------------ */

struct columns {
	int badge, id, age, status, place, due, what, title;
	bool wide;
};

static void layout(const struct view *v, struct columns *c)
{
	const struct dd_tiers *t = v->ui->tiers;
	c->wide = v->width >= 120;
	c->badge = 0;
	for (int i = 0; i < DD_TIERS; i++)
		if (text_width(t->tier[i].name_zh) + 1 > c->badge)
			c->badge = text_width(t->tier[i].name_zh) + 1;
	c->id = 9;
	/* Below 100 columns the age goes, so the title shows what
	 * happened, not only where: the deadline says what is urgent. */
	c->age = v->width >= 100 ? 6 : 0;
	c->status = incfmt_status_cols();
	c->place = c->wide ? 26 : 10;
	c->due = 14;
	c->what = 0;
	for (int i = 0; c->wide && i < DD_TIERS; i++)
		for (int k = 0; k < t->tier[i].n_hops; k++)
			if (text_width(t->tier[i].hops[k].to) > c->what)
				c->what = text_width(t->tier[i].hops[k].to);
	if (c->what > 24)
		c->what = 24;
	int used = 1 + c->badge + 1 + c->id + 1 + c->status + 1 + c->place + 1 + c->due + 1;
	if (c->age)
		used += c->age + 1;
	if (c->what)
		used += c->what + 1;
	c->title = v->width - used;
}

/* District names from the org tree, remembered: there are 41 district
 * offices and the queue asks on every redraw. */
#define NAME_CACHE 64
static struct {
	char id[DD_ORG_MAX + 1];
	char name[DD_NAME_MAX + 1];
} names[NAME_CACHE];
static int n_names;

static const char *org_name(struct dd_store *st, const char *id)
{
	for (int i = 0; i < n_names; i++)
		if (strcmp(names[i].id, id) == 0)
			return names[i].name;
	/* Misses are not remembered: the org tree may be loaded later. */
	struct dd_org org;
	struct dd_error err;
	if (store_org_get(st, id, &org, &err) != 0 || !org.name[0])
		return NULL;
	int slot = n_names < NAME_CACHE ? n_names++ : NAME_CACHE - 1;
	snprintf(names[slot].id, sizeof names[slot].id, "%s", id);
	snprintf(names[slot].name, sizeof names[slot].name, "%s", org.name);
	return names[slot].name;
}

/* Where an incident is: its district's name (or id, before the org tree
 * is loaded) when narrow, its reporting org's name when wide or when it
 * has no district. */
static const char *place_of(struct dd_store *st, const struct queue_row *r, bool wide, char *buf, size_t n)
{
	if (wide || !r->district[0])
		return incfmt_org(st, r->org, buf, n);
	const char *name = org_name(st, r->district);
	if (name)
		return name;
	return strncmp(r->district, "cq.", 3) == 0 ? r->district + 3 : r->district;
}

static void draw_header(struct view *v, const struct columns *c)
{
	int y = v->y + freeze_rows(v), x = 1;
	draw_fill(y, 0, v->width, ROLE_LABEL);
	x += draw_pad(y, x, _("Tier"), c->badge, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Id"), c->id, ROLE_LABEL) + 1;
	if (c->age)
		x += draw_pad(y, x, _("Age"), c->age, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Status"), c->status, ROLE_LABEL) + 1;
	x += draw_pad(y, x, c->wide ? _("Reporting org") : _("District"), c->place, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Title"), c->title, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Next deadline"), c->due, ROLE_LABEL) + 1;
	if (c->what)
		draw_pad(y, x, _("Hop"), c->what, ROLE_LABEL);
}

static void draw_row(struct view *v, int y, const struct queue_row *r, bool selected, const struct columns *c)
{
	const struct dd_tiers *t = v->ui->tiers;
	int64_t now = ui_now(v->ui);
	char buf[512], span[32];
	enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
	draw_fill(y, 0, v->width, base);
	int x = 1;
	/* The badge keeps its tier's colour even on the selected line: the
	 * tier is what the eye looks for. */
	incfmt_badge(t, r->tier, r->unconfirmed, buf, sizeof buf);
	x += draw_pad(y, x, buf, c->badge, incfmt_tier_role(t, r->tier)) + 1;
	snprintf(buf, sizeof buf, "#%s", shiftlog_short_id(r->key.id));
	x += draw_pad(y, x, buf, c->id, selected ? base : ROLE_DIM) + 1;
	if (c->age) {
		time_format_span(now - r->detected_ms, span, sizeof span);
		x += draw_pad(y, x, span, c->age, base) + 1;
	}
	x += draw_pad(y, x, incfmt_status(r->status), c->status, base) + 1;
	/* A title that begins with the district's name (most do) takes
	 * the district's column too: the name is still where the eye
	 * looks for it, and the title gets the room to say what happened. */
	char org[INCFMT_ORG_LEN];
	const char *place = place_of(v->ui->st, r, c->wide, org, sizeof org);
	int end = x + c->place + 1 + c->title;
	if (c->wide || !place[0] || strncmp(r->title, place, strlen(place)) != 0)
		x += draw_pad(y, x, place, c->place, base) + 1;
	int tx = x;
	if (r->drill) {
		snprintf(buf, sizeof buf, "[%s] ", _("DRILL"));
		tx += draw_text(y, tx, buf, end - tx, selected ? base : ROLE_DRILL);
	}
	if (r->cii)
		tx += draw_text(y, tx, _("[CII] "), end - tx, base);
	draw_text(y, tx, r->title, end - tx, base);
	x = end + 1;
	enum theme_role due_role = incfmt_countdown(r->next_due_ms, now, buf, sizeof buf);
	if (!r->next_due_ms)
		snprintf(buf, sizeof buf, "%s", "—");
	x += draw_pad(y, x, buf, c->due, due_role == ROLE_NORMAL ? base : due_role) + 1;
	if (c->what)
		draw_pad(y, x, incfmt_hop(t, r->tier, r->next_due_what), c->what, base);
}

static void draw_empty(struct view *v)
{
	struct queue_state *s = state(v);
	char msg[512];
	if (s->w.filter.text[0] || s->w.filter.tier >= 0 || s->w.filter.status >= 0 || s->w.filter.district[0] ||
	    s->w.filter.drill != QUEUE_REAL_AND_DRILL)
		snprintf(msg, sizeof msg, "%s", _("No incident matches the filter. Press Esc to clear it."));
	else if (s->w.filter.closed == 1)
		snprintf(msg, sizeof msg, "%s", _("No closed incidents. Press o to show the open ones."));
	else
		snprintf(msg, sizeof msg, "%s", _("No open incidents. New ones appear here as they are reported."));
	int w = text_width(msg);
	draw_text(v->y + v->height / 2, w < v->width ? (v->width - w) / 2 : 0, msg, v->width, ROLE_DIM);
}

static void queue_draw(struct view *v)
{
	struct queue_state *s = state(v);
	int margin = s->w.margin;
	set_margin(v);
	/* A taller screen after a resize needs more rows loaded. */
	if (s->w.margin > margin) {
		struct dd_error err = { 0 };
		report(v, queuewin_fill(&s->w, &err), &err);
	}
	ensure_visible(v);
	struct columns c;
	layout(v, &c);
	draw_freeze(v);
	draw_header(v, &c);
	int h = list_rows(v), y0 = v->y + freeze_rows(v) + 1;
	for (int i = 0; i < h && s->w.top + i < s->w.n; i++)
		draw_row(v, y0 + i, &s->w.rows[s->w.top + i], s->w.top + i == s->w.sel, &c);
	if (s->w.n == 0)
		draw_empty(v);
}

static void queue_title(struct view *v, char *buf, size_t n)
{
	struct queue_state *s = state(v);
	size_t len = (size_t)snprintf(buf, n, "%s", s->w.filter.closed == 0   ? _("Incident queue (open)")
						 : s->w.filter.closed == 1 ? _("Incident queue (closed)")
									   : _("Incident queue (all)"));
	const struct queue_filter *f = &s->w.filter;
	if (f->tier >= 0 && len < n)
		len += (size_t)snprintf(buf + len, n - len, " · %s", v->ui->tiers->tier[f->tier].name_zh);
	if (f->status >= 0 && len < n)
		len += (size_t)snprintf(buf + len, n - len, " · %s", incfmt_status(f->status));
	if (f->district[0] && len < n) {
		const char *name = org_name(v->ui->st, f->district);
		len += (size_t)snprintf(buf + len, n - len, " · %s", name ? name : f->district);
	}
	if (f->drill != QUEUE_REAL_AND_DRILL && len < n)
		len += (size_t)snprintf(buf + len, n - len, " · %s", f->drill == QUEUE_DRILL_ONLY ? _("drill only") : _("real only"));
	if (s->w.filter.text[0] && len < n)
		snprintf(buf + len, n - len, _(" · filter: \"%s\""), s->w.filter.text);
}

/* ---- keys ---------------------------------------------------------------- */

static void set_text(struct ui *ui, const char *text, void *ctx)
{
	(void)ui;
	struct view *v = ctx;
	snprintf(state(v)->w.filter.text, sizeof state(v)->w.filter.text, "%s", text);
	reload(v, NULL, 0);
}

/* A word that is no tier, status or filter keyword may be a district as
 * the queue shows it (九龙坡区, or 九龙坡): it becomes the district's id. */
static void districts_to_ids(struct view *v, const char *text, char *out, size_t n)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", text);
	size_t len = 0;
	out[0] = '\0';
	char *save = NULL;
	for (char *word = strtok_r(buf, " \t,", &save); word && len < n; word = strtok_r(NULL, " \t,", &save)) {
		struct queue_filter probe = state(v)->w.filter;
		struct dd_error err = { 0 };
		struct orgpick pick;
		const char *use = word;
		if ((unsigned char)word[0] >= 0x80 && queuewin_parse_filter(&probe, word, &err) != 0 &&
		    orgpick(v->ui->st, word, true, &pick, &err) == 0 && pick.matches == 1)
			use = pick.id;
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? " " : "", use);
	}
}

static void set_pick(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct dd_error err = { 0 };
	char words[600];
	districts_to_ids(v, text, words, sizeof words);
	if (queuewin_parse_filter(&state(v)->w.filter, words, &err) != 0) {
		ui_status(ui, UI_ERROR, _("\"%s\" is no tier, status or district (try II, 较大, responding, cq.yubei)"),
			  err.msg);
		return;
	}
	reload(v, NULL, 0);
}

static enum view_handled queue_key(struct view *v, int req)
{
	struct queue_state *s = state(v);
	struct queue_filter *f = &s->w.filter;
	int page = list_rows(v) > 1 ? list_rows(v) - 1 : 1;
	switch (req) {
	case REQ_MOVE_UP: move_sel(v, -1); break;
	case REQ_MOVE_DOWN: move_sel(v, 1); break;
	case REQ_MOVE_PAGE_UP: move_sel(v, -page); break;
	case REQ_MOVE_PAGE_DOWN: move_sel(v, page); break;
	case REQ_MOVE_FIRST: reload(v, NULL, 0); break;
	case REQ_MOVE_LAST: {
		/* Past every key: the lowest tier sorts last, so one below it. */
		struct dd_queue_key end = { .tier = -1, .due = INT64_MAX, .id = "~" };
		reload(v, &end, list_rows(v) - 1);
		break;
	}
	case REQ_OPEN:
		if (s->w.sel >= 0)
			incident_view_show(v->ui, s->w.rows[s->w.sel].key.id);
		break;
	case REQ_FILTER: prompt_open(v->ui, PROMPT_FILTER, _("Filter: "), f->text, set_text, v); break;
	case REQ_QUEUE_PICK: {
		char now[256];
		queuewin_describe_filter(f, now, sizeof now);
		prompt_open(v->ui, PROMPT_FILTER, _("Show (tier, status, district, drill or real; empty for all): "), now,
			    set_pick, v);
		break;
	}
	case REQ_QUEUE_CLOSED:
		f->closed = f->closed == 0 ? 1 : f->closed == 1 ? -1 : 0;
		f->status = -1;
		reload(v, NULL, 0);
		ui_status(v->ui, UI_INFO, "%s",
			  f->closed == 0 ? _("Showing open incidents.")
			  : f->closed == 1 ? _("Showing closed incidents.") : _("Showing all incidents."));
		break;
	case REQ_FILTER_CLEAR:
		if (!f->text[0] && f->tier < 0 && f->status < 0 && !f->district[0] && f->drill == QUEUE_REAL_AND_DRILL)
			return VIEW_IGNORED;
		f->text[0] = f->district[0] = '\0';
		f->tier = f->status = -1;
		f->drill = QUEUE_REAL_AND_DRILL;
		if (f->closed == -1)
			f->closed = 0;
		reload(v, NULL, 0);
		ui_status(v->ui, UI_INFO, "%s", _("Filter cleared."));
		break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void queue_click(struct view *v, int row)
{
	struct queue_state *s = state(v);
	int first = freeze_rows(v) + 1;
	int i = s->w.top + row - first;
	if (row < first || i >= s->w.n)
		return;
	move_sel(v, i - s->w.sel);
}

static void queue_refresh(struct view *v)
{
	struct queue_state *s = state(v);
	if (s->w.sel < 0) {
		reload(v, NULL, 0);
		return;
	}
	/* Follow the selected incident to where its new key puts it. */
	struct dd_queue_key anchor = s->w.rows[s->w.sel].key;
	struct dd_incident *in = malloc(sizeof *in);
	struct dd_error err = { 0 };
	if (in && store_incident_get(v->ui->st, anchor.id, in, &err) == 0)
		incident_queue_key(in, &anchor);
	free(in);
	reload(v, &anchor, sel_line(v));
}

void queue_view_show_tier(struct ui *ui, int tier)
{
	(void)ui;
	view_show(VIEW_QUEUE);
	struct view *v = view_get(VIEW_QUEUE);
	struct queue_filter *f = &state(v)->w.filter;
	f->tier = tier;
	f->status = -1;
	f->closed = 0;
	reload(v, NULL, 0);
}

static void queue_open(struct view *v)
{
	struct queue_state *s = &the_state;
	memset(s, 0, sizeof *s);
	queuewin_init(&s->w, v->ui->st, 0);
	v->priv = s;
	reload(v, NULL, 0);
}

static void queue_close(struct view *v)
{
	queuewin_free(&state(v)->w);
	v->priv = NULL;
}

static const int queue_hints[] = {
	REQ_OPEN, REQ_INC_NEW, REQ_FILTER, REQ_QUEUE_PICK, REQ_QUEUE_CLOSED, REQ_ADD_ENTRY, REQ_BACK, 0,
};

const struct view_ops queue_view_ops = {
	.name = "queue",
	.open = queue_open,
	.close = queue_close,
	.draw = queue_draw,
	.title = queue_title,
	.key = queue_key,
	.refresh = queue_refresh,
	.click = queue_click,
	.hints = queue_hints,
};
