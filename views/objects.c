/*
 * objects.c — the objects view (保护对象台账): the protected-object ledger
 * of art. 9, district by district, the important (重要) objects of each
 * district first, then by enterprise and name; kind, whether the object
 * is exposed to the internet, and when it was assessed.  A desk of a
 * district office opens on its own district's ledger; the centre and
 * the commission on every district's.  `/` filters by object name,
 * enterprise name or id (so "cq.yubei" narrows to 渝北区) as you type.
 *
 * Rows are a keyset window loaded a page at a time after the last
 * loaded key (store_object_scan) as the cursor nears the end, so a
 * ledger of thousands of objects costs only what is scrolled through.
 *
 * Invariants: rows[0..n) are the first n objects of the filtered ledger
 * in ledger order; sel is -1 exactly when n is 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/keys.h"
#include "dutydesk/prompt.h"
#include "dutydesk/roster.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"

#define PAGE 200

static struct {
	char scope[DD_ORG_ID_MAX + 1];  /* the desk's district, "" every district */
	char text[1024];
	struct dd_object *rows;
	int n, cap;
	bool eof;
	int sel, top;
} b;

static int list_rows(const struct view *v)
{
	return v->height > 1 ? v->height - 1 : 1;
}

static int append(const struct dd_object *o, void *ctx)
{
	(void)ctx;
	if (b.n == b.cap) {
		int cap = b.cap ? 2 * b.cap : PAGE;
		struct dd_object *rows = realloc(b.rows, (size_t)cap * sizeof *rows);
		if (!rows)
			return DD_ENOMEM;
		b.rows = rows;
		b.cap = cap;
	}
	b.rows[b.n++] = *o;
	return 0;
}

static void load_more(struct view *v)
{
	struct dd_object_filter f;
	roster_object_filter_init(&f);
	f.scope = b.scope[0] ? b.scope : NULL;
	f.text = b.text[0] ? b.text : NULL;
	struct dd_object_key after;
	if (b.n)
		roster_object_key(&b.rows[b.n - 1], &after);
	struct dd_error err = { 0 };
	int before = b.n;
	if (store_object_scan(v->ui->st, &f, b.n ? &after : NULL, PAGE, append, NULL, &err) != 0) {
		ui_status(v->ui, UI_ERROR, _("reading the ledger: %s"), err.msg);
		b.eof = true;
		return;
	}
	b.eof = b.n - before < PAGE;
}

static void reload(struct view *v)
{
	b.n = 0;
	b.eof = false;
	load_more(v);
	b.sel = b.n ? 0 : -1;
	b.top = 0;
}

static void ensure_visible(struct view *v)
{
	b.top = view_top_for(b.sel, b.top, list_rows(v));
}

static void move_sel(struct view *v, int delta)
{
	if (b.sel < 0)
		return;
	int want = b.sel + delta;
	while (want >= b.n && !b.eof) {
		int had = b.n;
		load_more(v);
		if (b.n == had)
			break;
	}
	b.sel = want < 0 ? 0 : want >= b.n ? b.n - 1 : want;
	ensure_visible(v);
}

/* ---- drawing -------------------------------------------------------------- */

struct columns {
	int district, important, kind, name, org, exposed, assessed;
};

static int at_least(const char *header, int cols)
{
	int w = text_width(header);
	return w > cols ? w : cols;
}

static void layout(const struct view *v, struct columns *c)
{
	c->district = 8;
	c->important = at_least(_("Imp."), text_width(_("important")));
	c->kind = text_width(roster_object_kind_label("infrastructure"));
	c->exposed = at_least(_("Internet"), 3);
	/* Below 100 columns the assessment date goes: whose object it is
	 * matters more to an officer on the phone than when it was listed. */
	c->assessed = v->width >= 100 ? 10 : 0;
	int used = 1 + c->district + 1 + c->important + 1 + c->kind + 1 + c->exposed + 1;
	if (c->assessed)
		used += c->assessed + 1;
	int rest = v->width - used - 1;
	c->org = rest * 9 / 20;
	c->name = rest - c->org - 1;
}

static void draw_header(struct view *v, const struct columns *c)
{
	int y = v->y, x = 1;
	draw_fill(y, 0, v->width, ROLE_LABEL);
	x += draw_pad(y, x, _("District"), c->district, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Imp."), c->important, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Kind"), c->kind, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Object"), c->name, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Enterprise"), c->org, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Internet"), c->exposed, ROLE_LABEL) + 1;
	if (c->assessed)
		draw_pad(y, x, _("Assessed"), c->assessed, ROLE_LABEL);
}

static void draw_row(struct view *v, int y, int i, const struct columns *c)
{
	const struct dd_object *o = &b.rows[i];
	bool selected = i == b.sel;
	enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
	draw_fill(y, 0, v->width, base);
	int x = 1;
	/* Grouped: a district is named on its first row only. */
	bool first = i == b.top || strcmp(b.rows[i - 1].district, o->district) != 0;
	char district[INCFMT_ORG_LEN] = "";
	if (first)
		incfmt_org(v->ui->st, o->district, district, sizeof district);
	x += draw_pad(y, x, district, c->district, selected ? base : ROLE_LABEL) + 1;
	x += draw_pad(y, x, o->important ? _("important") : "", c->important, selected ? base : ROLE_OVERDUE) + 1;
	x += draw_pad(y, x, roster_object_kind_label(o->kind), c->kind, base) + 1;
	x += draw_pad(y, x, o->name, c->name, base) + 1;
	x += draw_pad(y, x, o->org_name, c->org, base) + 1;
	x += draw_pad(y, x, o->exposed ? _("yes") : _("no"), c->exposed, o->exposed && !selected ? ROLE_DUE_SOON : base) + 1;
	if (!c->assessed)
		return;
	char when[16] = "—";
	if (o->assessed_ms)
		time_format_local(o->assessed_ms, v->ui->cfg->timezone, "%Y-%m-%d", when, sizeof when);
	draw_pad(y, x, when, c->assessed, o->assessed_ms || selected ? base : ROLE_DIM);
}

static void objects_draw(struct view *v)
{
	struct columns c;
	layout(v, &c);
	draw_header(v, &c);
	ensure_visible(v);
	int h = list_rows(v);
	for (int i = 0; i < h && b.top + i < b.n; i++)
		draw_row(v, v->y + 1 + i, b.top + i, &c);
	if (b.n == 0) {
		const char *msg = b.text[0] ? _("No object matches the filter. Press Esc to clear it.")
					    : _("The ledger is empty: dutydesk objects add, or org load.");
		int w = text_width(msg);
		draw_text(v->y + v->height / 2, w < v->width ? (v->width - w) / 2 : 0, msg, v->width, ROLE_DIM);
	}
}

static void objects_title(struct view *v, char *buf, size_t n)
{
	char scope[INCFMT_ORG_LEN];
	int len = snprintf(buf, n, "%s", _("Protected-object ledger (保护对象台账)"));
	if (b.scope[0] && len > 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, " · %s", incfmt_org(v->ui->st, b.scope, scope, sizeof scope));
	if (b.text[0] && len > 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, _(" · filter: \"%s\""), b.text);
}

/* ---- keys ------------------------------------------------------------------ */

static void filter_changed(struct ui *ui, const char *text, void *ctx)
{
	(void)ui;
	snprintf(b.text, sizeof b.text, "%s", text);
	reload(ctx);
}

static enum view_handled objects_key(struct view *v, int req)
{
	int page = list_rows(v) > 1 ? list_rows(v) - 1 : 1;
	switch (req) {
	case REQ_MOVE_UP: move_sel(v, -1); break;
	case REQ_MOVE_DOWN: move_sel(v, 1); break;
	case REQ_MOVE_PAGE_UP: move_sel(v, -page); break;
	case REQ_MOVE_PAGE_DOWN: move_sel(v, page); break;
	case REQ_MOVE_FIRST: move_sel(v, -b.sel); break;
	case REQ_MOVE_LAST: move_sel(v, 1 << 30); break;
	case REQ_FILTER:
		prompt_open_live(v->ui, _("Filter (object, enterprise, cq.…): "), b.text, filter_changed, filter_changed, v);
		break;
	case REQ_FILTER_CLEAR:
		if (!b.text[0])
			return VIEW_IGNORED;
		filter_changed(v->ui, "", v);
		ui_status(v->ui, UI_INFO, "%s", _("Filter cleared."));
		break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void objects_click(struct view *v, int row)
{
	int i = b.top + row - 1;
	if (row < 1 || i >= b.n)
		return;
	move_sel(v, i - b.sel);
}

static void objects_refresh(struct view *v)
{
	int sel = b.sel;
	reload(v);
	move_sel(v, sel > 0 ? sel : 0);
}

static void objects_open(struct view *v)
{
	memset(&b, 0, sizeof b);
	roster_district_of(v->ui->cfg->org, b.scope);
	reload(v);
}

static void objects_close(struct view *v)
{
	(void)v;
	free(b.rows);
	memset(&b, 0, sizeof b);
}

static const int objects_hints[] = { REQ_FILTER, REQ_ADD_ENTRY, REQ_BACK, 0 };

const struct view_ops objects_view_ops = {
	.name = "objects",
	.open = objects_open,
	.close = objects_close,
	.draw = objects_draw,
	.title = objects_title,
	.key = objects_key,
	.refresh = objects_refresh,
	.click = objects_click,
	.hints = objects_hints,
};
