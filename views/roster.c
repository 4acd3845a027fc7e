/*
 * roster.c — the roster view (联络员): the 工作负责人 and 应急联络员 of every
 * org, grouped by org in tree order, filtered as the officer types, and
 * the contact card of one liaison with who is on duty at that org now
 * and the latest calls; `c` records a call as a shift-log entry.
 *
 * Every keystroke of the filter re-runs store_contact_filter() over the
 * in-memory index (roster.h), so narrowing costs one pass of memmem()
 * and never a table scan.  The list is a keyset window: rows are loaded
 * a page at a time after the last loaded key as the cursor nears the
 * end, so 30,000 contacts cost only what is scrolled through.
 *
 * The card reads the org's shifts now and its latest calls when drawn:
 * a few indexed rows, so a call logged from another desk shows at once.
 *
 * Invariants: rows[0..n) are the first n matches of the filter, in the
 * roster's order; sel is -1 exactly when n is 0; card is shown only
 * while sel is a valid row, and holds a copy of that row, so a refresh
 * that reorders the list never changes whose card is open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/call.h"
#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/prompt.h"
#include "dutydesk/roster.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"

#define PAGE 200
/* "9999+": counting further would read the whole index for a number. */
#define COUNT_CAP 9999
#define CARD_CALLS 8
#define CARD_SHIFTS 4

static struct {
	struct dd_contact_index *ix;
	char text[1024];               /* the filter as typed */
	struct dd_liaison *rows;
	int n, cap;
	bool eof;                      /* rows[n-1] is the last match */
	int64_t matched;               /* matches of the filter, up to COUNT_CAP + 1 */
	int sel, top;
	bool card;
	struct dd_liaison shown;       /* the card's liaison */
} r;

static int list_rows(const struct view *v)
{
	return v->height > 1 ? v->height - 1 : 1;
}

static int append(const struct dd_liaison *l, void *ctx)
{
	(void)ctx;
	if (r.n == r.cap) {
		int cap = r.cap ? 2 * r.cap : PAGE;
		struct dd_liaison *rows = realloc(r.rows, (size_t)cap * sizeof *rows);
		if (!rows)
			return DD_ENOMEM;
		r.rows = rows;
		r.cap = cap;
	}
	r.rows[r.n++] = *l;
	return 0;
}

/* Loads the next page after the last row (the first page when empty). */
static void load_more(struct view *v)
{
	if (!r.ix) {   /* opening failed and said so */
		r.eof = true;
		return;
	}
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.text = r.text;
	struct dd_contact_key after;
	if (r.n)
		roster_contact_key(&r.rows[r.n - 1], &after);
	struct dd_error err = { 0 };
	int before = r.n;
	int64_t matched = 0;
	int rc = store_contact_filter(r.ix, v->ui->st, &f, r.n ? &after : NULL, false, PAGE,
				      r.n ? 1 : COUNT_CAP + 1, append, NULL, before ? NULL : &matched, &err);
	if (rc != 0) {
		ui_status(v->ui, UI_ERROR, _("reading the roster: %s"), err.msg);
		r.eof = true;
		return;
	}
	if (!before)
		r.matched = matched;
	r.eof = r.n - before < PAGE;
}

/* Re-runs the filter from the start, keeping the cursor on the same
 * liaison when it still matches. */
static void reload(struct view *v)
{
	char keep[DD_UUID_LEN + 1] = "";
	if (r.sel >= 0 && r.sel < r.n)
		snprintf(keep, sizeof keep, "%s", r.rows[r.sel].id);
	r.n = 0;
	r.eof = false;
	load_more(v);
	r.sel = r.n ? 0 : -1;
	for (int i = 0; keep[0] && i < r.n; i++)
		if (strcmp(r.rows[i].id, keep) == 0)
			r.sel = i;
	if (r.sel < 0)
		r.card = false;
}

static void ensure_visible(struct view *v)
{
	r.top = view_top_for(r.sel, r.top, list_rows(v));
}

static void move_sel(struct view *v, int delta)
{
	if (r.sel < 0)
		return;
	int want = r.sel + delta;
	while (want >= r.n && !r.eof) {
		int had = r.n;
		load_more(v);
		if (r.n == had)
			break;
	}
	r.sel = want < 0 ? 0 : want >= r.n ? r.n - 1 : want;
	ensure_visible(v);
}

/* ---- drawing: the list ------------------------------------------------------ */

struct columns {
	int org, role, name, title, mobile, office;
};

static void layout(const struct view *v, struct columns *c)
{
	bool wide = v->width >= 120;
	c->role = text_width(roster_role_label("contact"));
	c->name = wide ? 20 : 16;
	c->mobile = 13;
	c->office = wide ? 14 : 0;
	c->title = wide ? 20 : 0;
	int used = 1 + c->role + 1 + c->name + 1 + c->mobile + 1 + (c->office ? c->office + 1 : 0) +
		   (c->title ? c->title + 1 : 0);
	c->org = v->width - used - 1;
}

static void draw_header(struct view *v, const struct columns *c)
{
	int y = v->y, x = 1;
	draw_fill(y, 0, v->width, ROLE_LABEL);
	x += draw_pad(y, x, _("Org"), c->org, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Role"), c->role, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Name"), c->name, ROLE_LABEL) + 1;
	if (c->title)
		x += draw_pad(y, x, _("Job title"), c->title, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Mobile"), c->mobile, ROLE_LABEL) + 1;
	if (c->office)
		draw_pad(y, x, _("Office"), c->office, ROLE_LABEL);
}

static void draw_row(struct view *v, int y, int i, const struct columns *c)
{
	const struct dd_liaison *l = &r.rows[i];
	bool selected = i == r.sel;
	enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
	draw_fill(y, 0, v->width, base);
	int x = 1;
	/* Grouped: the org is named on its first row only. */
	bool first = i == r.top || strcmp(r.rows[i - 1].org, l->org) != 0;
	/* Enterprises indented under their district office, as in the tree:
	 * cq.yubei at the margin, cq.yubei.ent-0042 two columns in.  A
	 * filtered list holds matches without their parents: no tree. */
	int depth = 0;
	for (const char *p = l->org; !r.text[0] && (p = strchr(p, '.')); p++)
		depth++;
	int indent = depth > 1 ? 2 * (depth - 1) : 0;
	if (indent > 6)
		indent = 6;
	if (first && indent < c->org) {
		draw_pad(y, x, "", indent, base);
		draw_pad(y, x + indent, l->org_name, c->org - indent, base);
	} else {
		draw_pad(y, x, first ? l->org_name : "", c->org, base);
	}
	x += c->org + 1;
	x += draw_pad(y, x, roster_role_label(l->role), c->role, selected ? base : ROLE_LABEL) + 1;
	x += draw_pad(y, x, l->name, c->name, base) + 1;
	if (c->title)
		x += draw_pad(y, x, l->title, c->title, base) + 1;
	x += draw_pad(y, x, l->mobile[0] ? l->mobile : "—", c->mobile, l->mobile[0] || selected ? base : ROLE_ERROR) + 1;
	if (c->office)
		draw_pad(y, x, l->office, c->office, base);
}

static void draw_list(struct view *v)
{
	struct columns c;
	layout(v, &c);
	draw_header(v, &c);
	ensure_visible(v);
	int h = list_rows(v);
	for (int i = 0; i < h && r.top + i < r.n; i++)
		draw_row(v, v->y + 1 + i, r.top + i, &c);
	if (r.n == 0) {
		const char *msg = r.text[0] ? _("No liaison matches the filter. Press Esc to clear it.")
					    : _("No liaisons yet: dutydesk org load data/orgs/chongqing.conf");
		int w = text_width(msg);
		draw_text(v->y + v->height / 2, w < v->width ? (v->width - w) / 2 : 0, msg, v->width, ROLE_DIM);
	}
}

/* ---- drawing: the card ------------------------------------------------------ */

struct card_pen {
	struct view *v;
	int y, label;
};

static bool card_room(const struct card_pen *p)
{
	return p->y < p->v->y + p->v->height;
}

static void card_field(struct card_pen *p, const char *label, const char *value, enum theme_role role)
{
	if (!card_room(p))
		return;
	int x = 2 + p->label + 2;
	draw_pad(p->y, 2, label, p->label, ROLE_LABEL);
	draw_text(p->y, x, value, p->v->width - x - 1, role);
	p->y++;
}

static void card_heading(struct card_pen *p, const char *text)
{
	p->y++;
	if (!card_room(p))
		return;
	draw_text(p->y++, 1, text, p->v->width - 2, ROLE_HELP_GROUP);
}

static int card_label_cols(void)
{
	const char *labels[] = { _("Org"), _("Role"), _("Name"), _("Job title"), _("Mobile"), _("Office"), _("E-mail"),
				 _("Valid from") };
	int w = 0;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(labels[i]) > w)
			w = text_width(labels[i]);
	return w;
}

static void card_duty(struct card_pen *p)
{
	struct view *v = p->v;
	struct dd_shift *s = calloc(CARD_SHIFTS, sizeof *s);
	struct dd_error err = { 0 };
	int n = 0;
	char line[1024], a[32], b[32];
	card_heading(p, _("On duty now"));
	if (!s || store_duty_at(v->ui->st, r.shown.org, ui_now(v->ui), s, CARD_SHIFTS, &n, &err) != 0) {
		if (card_room(p))
			draw_text(p->y++, 3, s ? err.msg : _("out of memory"), v->width - 4, ROLE_ERROR);
		free(s);
		return;
	}
	if (n == 0 && card_room(p))
		draw_text(p->y++, 3, _("No shift of this org is recorded for now."), v->width - 4, ROLE_DIM);
	for (int i = 0; i < n && card_room(p); i++) {
		size_t len = 0;
		line[0] = '\0';
		for (int k = 0; k < s[i].n_officers && len < sizeof line; k++)
			len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", k ? "、" : "", s[i].officers[k]);
		time_format_local(s[i].start_ms, v->ui->cfg->timezone, "%m-%d %H:%M", a, sizeof a);
		time_format_local(s[i].end_ms, v->ui->cfg->timezone, "%m-%d %H:%M", b, sizeof b);
		char text[1400];
		snprintf(text, sizeof text, _("%s–%s  officer %s · leader %s%s%s"), a, b,
			 s[i].n_officers ? line : "—", s[i].leader[0] ? s[i].leader : "—", s[i].phone[0] ? " · " : "",
			 s[i].phone);
		draw_text(p->y++, 3, text, v->width - 4, ROLE_NORMAL);
	}
	free(s);
}

static int card_call(const struct dd_call *c, void *ctx)
{
	struct card_pen *p = ctx;
	if (!card_room(p))
		return 0;
	struct view *v = p->v;
	char when[32], text[512];
	time_format_local(c->at_ms, v->ui->cfg->timezone, "%m-%d %H:%M", when, sizeof when);
	int x = 3;
	x += draw_text(p->y, x, when, v->width - x, ROLE_TIME) + 1;
	snprintf(text, sizeof text, "%s · %s · %s", log_kind_label(strcmp(c->direction, "in") == 0 ? "call-in" : "call-out"),
		 roster_call_result_label(c->result), c->officer);
	draw_text(p->y++, x, text, v->width - x - 1, ROLE_NORMAL);
	return 0;
}

static void draw_card(struct view *v)
{
	const struct dd_liaison *l = &r.shown;
	struct card_pen p = { .v = v, .y = v->y + 1, .label = card_label_cols() };
	char buf[1024];
	snprintf(buf, sizeof buf, "%s (%s)", l->org_name, l->org);
	card_field(&p, _("Org"), buf, ROLE_NORMAL);
	card_field(&p, _("Role"), roster_role_label(l->role), ROLE_NORMAL);
	card_field(&p, _("Name"), l->name, ROLE_NORMAL);
	card_field(&p, _("Job title"), l->title, ROLE_NORMAL);
	card_field(&p, _("Mobile"), l->mobile[0] ? l->mobile : _("none: cannot be reached on the move"),
		   l->mobile[0] ? ROLE_NORMAL : ROLE_ERROR);
	card_field(&p, _("Office"), l->office, ROLE_NORMAL);
	card_field(&p, _("E-mail"), l->email, ROLE_NORMAL);
	time_format_local(l->valid_from_ms, v->ui->cfg->timezone, "%Y-%m-%d %H:%M", buf, sizeof buf);
	card_field(&p, _("Valid from"), buf, ROLE_TIME);
	card_duty(&p);
	card_heading(&p, _("Recent calls"));
	int before = p.y;
	struct dd_error err = { 0 };
	if (store_call_scan(v->ui->st, l->org, CARD_CALLS, card_call, &p, &err) != 0)
		ui_status(v->ui, UI_ERROR, _("reading the calls: %s"), err.msg);
	else if (p.y == before && card_room(&p))
		draw_text(p.y, 3, _("No calls recorded. Press c to record one."), v->width - 4, ROLE_DIM);
}

static void roster_draw(struct view *v)
{
	if (r.card)
		draw_card(v);
	else
		draw_list(v);
}

static void roster_title(struct view *v, char *buf, size_t n)
{
	(void)v;
	if (r.card) {
		snprintf(buf, n, _("Contact card · %s · %s"), r.shown.name, r.shown.org_name);
		return;
	}
	char count[32];
	if (r.matched > COUNT_CAP)
		snprintf(count, sizeof count, "%d+", COUNT_CAP);
	else
		snprintf(count, sizeof count, "%lld", (long long)r.matched);
	int len = snprintf(buf, n, _("Roster (联络员) · %s liaisons"), count);
	if (r.text[0] && len > 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, _(" · filter: \"%s\""), r.text);
}

/* ---- recording a call (call.h) ---------------------------------------------- */

static void start_call(struct view *v)
{
	if (r.sel < 0)
		return;
	if (!r.card)
		r.shown = r.rows[r.sel];
	call_start(v->ui, &(struct call_start){ .org = r.shown.org, .who = &r.shown, .name = r.shown.name,
						 .ask_direction = true, .ask_incident = true });
}

/* ---- keys ------------------------------------------------------------------- */

static void filter_changed(struct ui *ui, const char *text, void *ctx)
{
	(void)ui;
	snprintf(r.text, sizeof r.text, "%s", text);
	r.sel = -1;
	r.top = 0;
	reload(ctx);
}

static enum view_handled roster_key(struct view *v, int req)
{
	int page = list_rows(v) > 1 ? list_rows(v) - 1 : 1;
	if (r.card && (req == REQ_BACK || req == REQ_FILTER_CLEAR)) {
		r.card = false;
		return VIEW_HANDLED;
	}
	switch (req) {
	case REQ_MOVE_UP: move_sel(v, -1); break;
	case REQ_MOVE_DOWN: move_sel(v, 1); break;
	case REQ_MOVE_PAGE_UP: move_sel(v, -page); break;
	case REQ_MOVE_PAGE_DOWN: move_sel(v, page); break;
	case REQ_MOVE_FIRST: move_sel(v, -r.sel); break;
	case REQ_MOVE_LAST: move_sel(v, 1 << 30); break;
	case REQ_OPEN:
		if (r.sel >= 0) {
			r.shown = r.rows[r.sel];
			r.card = true;
		}
		break;
	case REQ_CALL: start_call(v); break;
	case REQ_FILTER:
		r.card = false;
		prompt_open_live(v->ui, _("Filter (name, phone, org, district): "), r.text, filter_changed, filter_changed, v);
		break;
	case REQ_FILTER_CLEAR:
		if (!r.text[0])
			return VIEW_IGNORED;
		filter_changed(v->ui, "", v);
		ui_status(v->ui, UI_INFO, "%s", _("Filter cleared."));
		break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void roster_click(struct view *v, int row)
{
	int i = r.top + row - 1;
	if (r.card || row < 1 || i >= r.n)
		return;
	move_sel(v, i - r.sel);
}

static void roster_refresh(struct view *v)
{
	reload(v);
}

static void roster_open(struct view *v)
{
	memset(&r, 0, sizeof r);
	r.sel = -1;
	r.ix = store_contact_index_new();
	if (!r.ix) {
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
		r.eof = true;
		return;
	}
	reload(v);
}

static void roster_close(struct view *v)
{
	(void)v;
	store_contact_index_free(r.ix);
	free(r.rows);
	memset(&r, 0, sizeof r);
}

static const int roster_hints[] = { REQ_FILTER, REQ_OPEN, REQ_CALL, REQ_BACK, 0 };

const struct view_ops roster_view_ops = {
	.name = "roster",
	.open = roster_open,
	.close = roster_close,
	.draw = roster_draw,
	.title = roster_title,
	.key = roster_key,
	.refresh = roster_refresh,
	.click = roster_click,
	.hints = roster_hints,
};
