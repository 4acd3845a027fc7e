/*
 * advisories.c — the advisories view (预警通报, seed art. 19–21): every
 * advisory this desk issued or receives, newest first, with its level
 * (红/橙/黄/蓝, in its colour and always as text, so it reads without
 * colour), title, issuer and deadline; an issuing desk (city, centre,
 * district) sees each one's progress, a recipient sees first what it
 * must still answer and its own state.  Enter opens one advisory: its
 * whole text and every recipient's answer, the missing ones first.
 *
 * A recipient acknowledges (A) and reports its self-inspection (R:
 * affected or not, measures, done at) here, each one event through
 * core's advisory_ack / advisory_report; what core refuses goes to the
 * status line.  Measures that could not be saved are kept and offered
 * again, so typed text is not lost.
 *
 * Advisories are few (tens a year), so the list is read whole on every
 * change; the answers of the open advisory are read when it opens and
 * on every change, and measures are held as separate strings because a
 * city-wide advisory has thousands of recipients.
 *
 * Invariants: sel is -1 exactly when n is 0; detail is true only while
 * `a` holds the advisory whose id is `id`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/advfmt.h"
#include "dutydesk/editor.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/keys.h"
#include "dutydesk/prompt.h"
#include "dutydesk/roster.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"
#include "dutydesk/wrap.h"
#include "dutydesk/zero.h"

struct answer {
	char org[DD_ORG_ID_MAX + 1];
	char org_name[DD_NAME_MAX + 1];
	int64_t acked_ms, reported_ms, done_ms;
	bool affected;
	char *measures;
	int rank, seq;
};

static struct {
	char text[256];               /* the filter */
	struct advfmt_row *rows;
	int n, cap;
	int sel, top;                 /* in advisories, not screen lines */
	bool issuer;                  /* this desk may issue: it sees progress */
	int owing;                    /* advisories this desk must still answer */

	bool detail;
	char id[DD_UUID_LEN + 1];
	struct dd_advisory *a;
	char issuer_name[DD_NAME_MAX + 1];
	enum advfmt_own own;
	struct answer *ans;
	int n_ans, cap_ans;
	int dtop;                     /* first document line on screen */
	int dlines;                   /* document lines at the last draw */

	/* the report being written, step by step */
	char pick_id[DD_UUID_LEN + 1];
	bool pick_affected;
	char *draft;                  /* measures not yet saved */
	char draft_for[DD_UUID_LEN + 1];
} s;

static void fmt_time(const struct view *v, int64_t ms, char *buf, size_t n)
{
	time_format_local(ms, v->ui->cfg->timezone, "%m-%d %H:%M", buf, n);
}

/* ---- loading ---------------------------------------------------------------- */

static void issuer_name_of(struct dd_store *st, const char *id, char *out, size_t n)
{
	struct dd_org o;
	struct dd_error err;
	snprintf(out, n, "%s", store_org_get(st, id, &o, &err) == 0 ? o.name : "");
}

/* What the desk's org owes on advisory id. */
static int own_state(struct view *v, const char *id, enum advfmt_own *out, struct dd_error *err)
{
	bool yes = false;
	struct dd_advisory_answer *mine = calloc(1, sizeof *mine);
	if (!mine)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc = store_advisory_recipient(v->ui->st, id, v->ui->cfg->org, &yes, err);
	if (rc == 0 && yes)
		rc = store_advisory_answer(v->ui->st, id, v->ui->cfg->org, mine, err);
	if (rc == 0)
		*out = advfmt_own_state(yes, mine);
	free(mine);
	return rc;
}

struct lister {
	struct view *v;
	int seq;
	struct dd_error *err;
};

static int add_row(const struct dd_advisory *a, void *ctx)
{
	struct lister *l = ctx;
	char name[DD_NAME_MAX + 1];
	issuer_name_of(l->v->ui->st, a->issuer, name, sizeof name);
	int seq = l->seq++;
	if (!advfmt_matches(a, name, s.text))
		return 0;
	enum advfmt_own own;
	if (own_state(l->v, a->id, &own, l->err) != 0)
		return 1;
	if (s.n == s.cap) {
		int cap = s.cap ? 2 * s.cap : 32;
		struct advfmt_row *rows = realloc(s.rows, (size_t)cap * sizeof *rows);
		if (!rows) {
			dd_fail(l->err, DD_ENOMEM, "out of memory");
			return 1;
		}
		s.rows = rows;
		s.cap = cap;
	}
	advfmt_row_from(&s.rows[s.n++], a, name, own, seq);
	return 0;
}

static int index_of(const char *id)
{
	for (int i = 0; i < s.n; i++)
		if (strcmp(s.rows[i].id, id) == 0)
			return i;
	return -1;
}

/* Reads the list again; the selection stays on the same advisory. */
static void load_list(struct view *v)
{
	char sel_id[DD_UUID_LEN + 1] = "";
	if (s.sel >= 0 && s.sel < s.n)
		snprintf(sel_id, sizeof sel_id, "%s", s.rows[s.sel].id);
	s.n = 0;
	s.owing = 0;
	s.issuer = advisory_may_issue(v->ui->st, v->ui->cfg);
	struct dd_error err = { 0 };
	struct lister l = { .v = v, .err = &err };
	/* The error is set only when a callback stopped the scan. */
	if (store_advisory_scan(v->ui->st, zero_viewer_scope(v->ui->cfg), ui_now(v->ui), add_row, &l, &err) != 0 ||
	    err.code)
		ui_status(v->ui, UI_ERROR, _("reading the advisories: %s"), err.msg);
	qsort(s.rows, (size_t)s.n, sizeof *s.rows, advfmt_row_cmp);
	for (int i = 0; i < s.n; i++)
		if (s.rows[i].own == ADVFMT_TO_ACK || s.rows[i].own == ADVFMT_TO_REPORT)
			s.owing++;
	int at = sel_id[0] ? index_of(sel_id) : -1;
	s.sel = at >= 0 ? at : s.n > 0 ? 0 : -1;
	if (s.sel < 0)
		s.top = 0;
}

static void free_answers(void)
{
	for (int i = 0; i < s.n_ans; i++)
		free(s.ans[i].measures);
	s.n_ans = 0;
}

static int add_answer(const struct dd_advisory_answer *a, void *ctx)
{
	bool *failed = ctx;
	if (s.n_ans == s.cap_ans) {
		int cap = s.cap_ans ? 2 * s.cap_ans : 64;
		struct answer *ans = realloc(s.ans, (size_t)cap * sizeof *ans);
		if (!ans) {
			*failed = true;
			return 1;
		}
		s.ans = ans;
		s.cap_ans = cap;
	}
	struct answer *w = &s.ans[s.n_ans];
	memset(w, 0, sizeof *w);
	if (!(w->measures = strdup(a->measures))) {
		*failed = true;
		return 1;
	}
	snprintf(w->org, sizeof w->org, "%s", a->org);
	snprintf(w->org_name, sizeof w->org_name, "%s", a->org_name);
	w->acked_ms = a->acked_ms;
	w->reported_ms = a->reported_ms;
	w->done_ms = a->done_ms;
	w->affected = a->affected;
	w->rank = advfmt_answer_rank(a->acked_ms, a->reported_ms);
	w->seq = s.n_ans++;
	return 0;
}

/* Missing answers first, in tree order within each state. */
static int answer_cmp(const void *a, const void *b)
{
	const struct answer *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void load_detail(struct view *v)
{
	struct dd_error err = { 0 };
	free_answers();
	if (!s.a && !(s.a = malloc(sizeof *s.a))) {
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
		s.detail = false;
		return;
	}
	bool failed = false;
	if (store_advisory_get(v->ui->st, s.id, ui_now(v->ui), s.a, &err) != 0 ||
	    own_state(v, s.id, &s.own, &err) != 0 || store_advisory_answers(v->ui->st, s.id, add_answer, &failed, &err) != 0) {
		ui_status(v->ui, UI_ERROR, _("reading advisory #%s: %s"), shiftlog_short_id(s.id), err.msg);
		s.detail = false;
		return;
	}
	if (failed)
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
	issuer_name_of(v->ui->st, s.a->issuer, s.issuer_name, sizeof s.issuer_name);
	qsort(s.ans, (size_t)s.n_ans, sizeof *s.ans, answer_cmp);
}

static void open_detail(struct view *v, const char *id)
{
	snprintf(s.id, sizeof s.id, "%s", id);
	s.detail = true;
	s.dtop = 0;
	load_detail(v);
}

/* ---- the list -------------------------------------------------------------------- */

/* One line per advisory on a wide screen, two on a narrow one. */
static bool wide(const struct view *v)
{
	return v->width >= 120;
}

static int item_lines(const struct view *v)
{
	return wide(v) ? 1 : 2;
}

static int visible_items(const struct view *v)
{
	int n = (v->height - 1) / item_lines(v);
	return n > 0 ? n : 1;
}

static void ensure_visible(const struct view *v)
{
	int h = visible_items(v);
	if (s.sel < 0)
		return;
	s.top = view_top_for(s.sel, s.top, h);
	if (s.top > 0 && s.top + h > s.n)
		s.top = s.n - h > 0 ? s.n - h : 0;
}

struct columns {
	int badge, title, issuer, deadline, own, progress;
};

static int widest(const char *const *labels, int n)
{
	int w = 0;
	for (int i = 0; i < n; i++)
		if (text_width(labels[i]) > w)
			w = text_width(labels[i]);
	return w;
}

static void layout(const struct view *v, struct columns *c)
{
	const char *badges[] = { advisory_level_label("red"), advisory_level_label("orange"),
				 advisory_level_label("yellow"), advisory_level_label("blue"), _("Level") };
	const char *owns[] = { advfmt_own_label(ADVFMT_TO_ACK), advfmt_own_label(ADVFMT_TO_REPORT),
			       advfmt_own_label(ADVFMT_DONE), _("Yours") };
	bool any_own = false;
	c->progress = 0;
	for (int i = 0; i < s.n; i++) {
		char buf[160];
		const struct advfmt_row *r = &s.rows[i];
		advfmt_progress(r->acked, r->reported, r->overdue, r->recipients, buf, sizeof buf);
		if (text_width(buf) > c->progress)
			c->progress = text_width(buf);
		any_own |= s.rows[i].own != ADVFMT_NOT_RECIPIENT;
	}
	if (!s.issuer)
		c->progress = 0;
	c->badge = widest(badges, 5);
	c->own = any_own ? widest(owns, 4) : 0;
	/* "11-28 18:00 overdue" */
	c->deadline = 11 + 1 + text_width(_("overdue"));
	if (text_width(_("Deadline")) > c->deadline)
		c->deadline = text_width(_("Deadline"));
	if (wide(v)) {
		c->issuer = 26;
		int used = 1 + c->badge + 1 + c->issuer + 1 + c->deadline + 1 + (c->own ? c->own + 1 : 0) +
			   (c->progress ? c->progress + 1 : 0);
		c->title = v->width - used;
		/* Past 72 columns a title is read as well; the issuer's full
		 * name is worth the room more. */
		if (c->title > 72) {
			int spare = c->title - 72;
			c->issuer += spare < 24 ? spare : 24;
			c->title = 72;
		}
		if (c->title < 20 && c->progress) {
			c->title += c->progress + 1;
			c->progress = 0;
		}
	} else {
		/* Line 1: badge, title, deadline; line 2 under the title:
		 * own state, progress, issuer. */
		c->title = v->width - (1 + c->badge + 1) - (c->deadline + 1);
		c->issuer = 0;
	}
}

static void draw_header(struct view *v, const struct columns *c)
{
	int y = v->y, x = 1;
	draw_fill(y, 0, v->width, ROLE_LABEL);
	x += draw_pad(y, x, _("Level"), c->badge, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Title"), c->title, ROLE_LABEL) + 1;
	if (c->issuer)
		x += draw_pad(y, x, _("Issuer"), c->issuer, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Deadline"), c->deadline, ROLE_LABEL) + 1;
	if (!wide(v))
		return;
	if (c->own)
		x += draw_pad(y, x, _("Yours"), c->own, ROLE_LABEL) + 1;
	if (c->progress)
		draw_pad(y, x, _("Progress"), c->progress, ROLE_LABEL);
}

static enum theme_role own_role(enum advfmt_own own)
{
	return own == ADVFMT_TO_ACK ? ROLE_DUE_SOON : own == ADVFMT_TO_REPORT ? ROLE_KIND_ACTION : ROLE_INFO;
}

/* Deadline and, once passed with answers missing, "overdue". */
static void draw_deadline(struct view *v, int y, int x, const struct advfmt_row *r, int cols, enum theme_role base)
{
	char when[32];
	fmt_time(v, r->deadline_ms, when, sizeof when);
	int used = draw_text(y, x, when, cols, base == ROLE_SELECTION ? base : ROLE_TIME);
	if (advfmt_row_overdue(r, ui_now(v->ui)) && used + 1 < cols)
		draw_text(y, x + used + 1, _("overdue"), cols - used - 1, ROLE_OVERDUE);
}

static void draw_item(struct view *v, int y, int i, const struct columns *c)
{
	const struct advfmt_row *r = &s.rows[i];
	bool selected = i == s.sel;
	enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
	char buf[512];
	for (int k = 0; k < item_lines(v); k++)
		draw_fill(y + k, 0, v->width, base);
	int x = 1;
	/* The level keeps its colour on the selected line, as a tier does. */
	x += draw_pad(y, x, advisory_level_label(r->level), c->badge, advfmt_level_role(r->level)) + 1;
	int title_x = x;
	x += draw_pad(y, x, r->title, c->title, base) + 1;
	const char *issuer = r->issuer_name[0] ? r->issuer_name : r->issuer;
	if (c->issuer)
		x += draw_pad(y, x, issuer, c->issuer, base) + 1;
	draw_deadline(v, y, x, r, c->deadline, base);
	x += c->deadline + 1;
	if (!wide(v)) {
		/* The second line: what is owed, the progress, who sent it. */
		y++;
		x = title_x;
	}
	advfmt_progress(r->acked, r->reported, r->overdue, r->recipients, buf, sizeof buf);
	if (c->own) {
		const char *own = advfmt_own_label(r->own);
		x += draw_pad(y, x, own, c->own, selected || !own[0] ? base : own_role(r->own)) + 1;
	}
	if (c->progress)
		x += draw_pad(y, x, buf, wide(v) ? c->progress : text_width(buf), base) + (wide(v) ? 1 : 2);
	if (!wide(v) && x < v->width - 1) {
		snprintf(buf, sizeof buf, "%s %s", _("from"), issuer);
		draw_text(y, x, buf, v->width - 1 - x, selected ? base : ROLE_DIM);
	}
}

static void draw_list(struct view *v)
{
	struct columns c;
	layout(v, &c);
	draw_header(v, &c);
	ensure_visible(v);
	int h = visible_items(v);
	for (int i = 0; i < h && s.top + i < s.n; i++)
		draw_item(v, v->y + 1 + i * item_lines(v), s.top + i, &c);
	if (s.n == 0) {
		const char *msg = s.text[0] ? _("No advisory matches the filter. Press Esc to clear it.")
					    : _("No advisories. Those this desk issues or receives appear here.");
		int w = text_width(msg);
		draw_text(v->y + v->height / 2, w < v->width ? (v->width - w) / 2 : 0, msg, v->width, ROLE_DIM);
	}
}

/* ---- one advisory ------------------------------------------------------------- */

/* The document is laid out line by line; only the lines between dtop
 * and dtop + height are drawn. */
struct doc {
	struct view *v;
	int line;
	int label_cols;
};

static int doc_y(const struct doc *d)
{
	int y = d->line - s.dtop;
	return y >= 0 && y < d->v->height ? d->v->y + y : -1;
}

/* label, then value wrapped over as many lines as it needs at column x. */
static void doc_text(struct doc *d, int x, const char *label, const char *value, enum theme_role role)
{
	int cols = d->v->width - x - 1;
	char line[4096];
	bool first = true;
	do {
		size_t len = wrap_line(value, cols > 1 ? cols : 1);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, value, len);
		line[len] = '\0';
		int y = doc_y(d);
		if (y >= 0) {
			if (first && label)
				draw_pad(y, 1, label, d->label_cols, ROLE_LABEL);
			draw_text(y, x, line, cols, role);
		}
		d->line++;
		first = false;
		value += len;
		while (*value == '\n' || *value == ' ')
			value++;
	} while (*value);
}

static void doc_field(struct doc *d, const char *label, const char *value, enum theme_role role)
{
	doc_text(d, d->label_cols + 3, label, value, role);
}

static void doc_rule(struct doc *d, const char *title)
{
	int y = doc_y(d);
	if (y >= 0)
		draw_rule(y, d->v->width, title);
	d->line++;
}

static int detail_label_cols(void)
{
	const char *labels[] = { _("Level"), _("Title"), _("Issuer"), _("Deadline"), _("Sent to"), _("Progress"),
				 _("Yours"), _("Affects"), _("Action") };
	return widest(labels, (int)(sizeof labels / sizeof labels[0]));
}

static void draw_own(struct doc *d)
{
	char buf[256];
	switch (s.own) {
	case ADVFMT_TO_ACK:
		snprintf(buf, sizeof buf, _("%s — press A to acknowledge"), advfmt_own_label(s.own));
		break;
	case ADVFMT_TO_REPORT:
		snprintf(buf, sizeof buf, _("%s — press R to report the self-inspection"), advfmt_own_label(s.own));
		break;
	case ADVFMT_DONE:
		snprintf(buf, sizeof buf, _("%s — R reports again (the new report replaces this one)"),
			 advfmt_own_label(s.own));
		break;
	case ADVFMT_NOT_RECIPIENT: return;
	}
	doc_field(d, _("Yours"), buf, own_role(s.own));
}

static void draw_answer(struct doc *d, const struct answer *w)
{
	struct view *v = d->v;
	int64_t now = ui_now(v->ui);
	enum theme_role role;
	const char *state = advfmt_answer_label(w->acked_ms, w->reported_ms, s.a->deadline_ms, now, &role);
	const char *states[] = { _("answered"), _("overdue"), _("acknowledged"), _("not acknowledged") };
	int state_cols = widest(states, 4);
	char buf[512], acked[32] = "—", reported[32] = "—";
	/* The name gets what the times leave, up to 30 columns (40 wide). */
	snprintf(buf, sizeof buf, _("acked %s · reported %s"), "11-26 09:40", "11-26 09:50");
	int name_cols = v->width - (1 + state_cols + 1) - (text_width(buf) + 2) - (wide(v) ? 29 : 0);
	if (name_cols > (wide(v) ? 40 : 30))
		name_cols = wide(v) ? 40 : 30;
	if (w->acked_ms)
		fmt_time(v, w->acked_ms, acked, sizeof acked);
	if (w->reported_ms)
		fmt_time(v, w->reported_ms, reported, sizeof reported);
	int y = doc_y(d);
	if (y >= 0) {
		int x = 1;
		x += draw_pad(y, x, state, state_cols, role) + 1;
		x += draw_pad(y, x, w->org_name[0] ? w->org_name : w->org, name_cols, ROLE_NORMAL) + 1;
		if (wide(v))
			x += draw_pad(y, x, w->org, 28, ROLE_DIM) + 1;
		snprintf(buf, sizeof buf, _("acked %s · reported %s"), acked, reported);
		draw_text(y, x, buf, v->width - x - 1, ROLE_TIME);
	}
	d->line++;
	if (!w->reported_ms)
		return;
	char done[32];
	fmt_time(v, w->done_ms, done, sizeof done);
	snprintf(buf, sizeof buf, _("affected: %s · done %s · measures: "), w->affected ? _("yes") : _("no"), done);
	size_t len = strlen(buf);
	char *line = malloc(len + strlen(w->measures) + 1);
	if (!line)
		return;
	memcpy(line, buf, len);
	strcpy(line + len, w->measures);
	doc_text(d, 1 + state_cols + 1, NULL, line, w->affected ? ROLE_DUE_SOON : ROLE_NORMAL);
	free(line);
}

static void draw_document(struct doc *d)
{
	struct view *v = d->v;
	const struct dd_advisory *a = s.a;
	int64_t now = ui_now(v->ui);
	char buf[1024], when[32], left[64];

	snprintf(buf, sizeof buf, "%s", advisory_level_label(a->level));
	doc_field(d, _("Level"), buf, advfmt_level_role(a->level));
	doc_field(d, _("Title"), a->title, ROLE_NORMAL);
	fmt_time(v, a->issued_ms, when, sizeof when);
	snprintf(buf, sizeof buf, _("%s (%s) · %s · issued %s"), s.issuer_name[0] ? s.issuer_name : a->issuer, a->issuer,
		 a->by, when);
	doc_field(d, _("Issuer"), buf, ROLE_NORMAL);
	fmt_time(v, a->deadline_ms, when, sizeof when);
	enum theme_role role = incfmt_countdown(a->deadline_ms, now, left, sizeof left);
	snprintf(buf, sizeof buf, "%s · %s", when, left);
	doc_field(d, _("Deadline"), buf, role == ROLE_NORMAL ? ROLE_TIME : role);
	char to[4096], org[INCFMT_ORG_LEN];
	size_t len = 0;
	to[0] = '\0';
	for (int i = 0; i < a->n_to && len < sizeof to; i++)
		len += (size_t)snprintf(to + len, sizeof to - len, "%s%s", i ? _(", ") : "",
					incfmt_org(v->ui->st, a->to[i], org, sizeof org));
	doc_field(d, _("Sent to"), to, ROLE_NORMAL);
	advfmt_progress(a->acked, a->reported, a->overdue, a->recipients, buf, sizeof buf);
	doc_field(d, _("Progress"), buf, a->overdue ? ROLE_OVERDUE : ROLE_NORMAL);
	draw_own(d);
	if (a->products[0])
		doc_field(d, _("Affects"), a->products, ROLE_NORMAL);
	doc_field(d, _("Action"), a->action, ROLE_NORMAL);
	char head[160];
	snprintf(head, sizeof head, _("Answers (%d recipients, missing first)"), s.n_ans);
	doc_rule(d, head);
	for (int i = 0; i < s.n_ans; i++)
		draw_answer(d, &s.ans[i]);
	if (s.n_ans == 0)
		doc_field(d, "", _("no recipient: no org of the tree lies under the recipients"), ROLE_DIM);
}

static void draw_detail(struct view *v)
{
	if (!s.a)
		return;
	struct doc d = { .v = v, .label_cols = detail_label_cols() };
	/* Count first, so the scroll stops at the end of the document. */
	int top = s.dtop;
	s.dtop = 1 << 29;
	draw_document(&d);
	s.dlines = d.line;
	s.dtop = top > s.dlines - v->height ? s.dlines - v->height : top;
	if (s.dtop < 0)
		s.dtop = 0;
	d = (struct doc){ .v = v, .label_cols = detail_label_cols() };
	draw_document(&d);
}

static void advisories_draw(struct view *v)
{
	if (s.detail)
		draw_detail(v);
	else
		draw_list(v);
}

static void advisories_title(struct view *v, char *buf, size_t n)
{
	(void)v;
	if (s.detail && s.a) {
		snprintf(buf, n, _("Advisory #%s · %s"), shiftlog_short_id(s.id), s.a->title);
		return;
	}
	int len = snprintf(buf, n, "%s", _("Advisories (预警通报)"));
	if (s.owing && len > 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, _(" · %d to answer"), s.owing);
	if (s.text[0] && len > 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, _(" · filter: \"%s\""), s.text);
}

/* ---- actions -------------------------------------------------------------------- */

/* After this console answered: say so, and let every view reload (our
 * own commit does not change data_version for this connection). */
static void changed(struct ui *ui, int rc, const struct dd_error *err, const char *done)
{
	if (rc != 0) {
		ui_status(ui, UI_ERROR, _("Not saved: %s"), err->msg);
		return;
	}
	ui_status(ui, UI_INFO, "%s", done);
	view_refresh_all();
}

/* The advisory an action is for: the open one, else the selected one. */
static bool target(const char **id, const char **title, enum advfmt_own *own)
{
	if (s.detail && s.a) {
		*id = s.id;
		*title = s.a->title;
		*own = s.own;
		return true;
	}
	if (s.sel < 0)
		return false;
	*id = s.rows[s.sel].id;
	*title = s.rows[s.sel].title;
	*own = s.rows[s.sel].own;
	return true;
}

static void do_ack(struct ui *ui, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	struct dd_error err = { 0 };
	char msg[256];
	snprintf(msg, sizeof msg, _("Advisory #%s acknowledged; report the self-inspection with R."),
		 shiftlog_short_id(s.pick_id));
	changed(ui, advisory_ack(ui->st, ui->cfg, s.pick_id, NULL, &err), &err, msg);
}

static void ask_ack(struct view *v)
{
	const char *id, *title;
	enum advfmt_own own;
	if (!target(&id, &title, &own))
		return;
	if (own == ADVFMT_NOT_RECIPIENT) {
		ui_status(v->ui, UI_ERROR, _("%s is not a recipient of this advisory: there is nothing to acknowledge."),
			  v->ui->cfg->org);
		return;
	}
	char desk[INCFMT_ORG_LEN];
	incfmt_org(v->ui->st, v->ui->cfg->org, desk, sizeof desk);
	if (own != ADVFMT_TO_ACK) {
		ui_status(v->ui, UI_INFO, _("%s has already acknowledged this advisory."), desk);
		return;
	}
	snprintf(s.pick_id, sizeof s.pick_id, "%s", id);
	char fitted[128], question[320 + INCFMT_ORG_LEN];
	text_fit(fitted, sizeof fitted, title, 30);
	snprintf(question, sizeof question, _("Acknowledge \"%s\" for %s? (y/n) "), fitted, desk);
	prompt_confirm(v->ui, question, do_ack, v);
}

/* Keeps measures that were not saved, to offer them again (takes text). */
static void keep_draft(char *text)
{
	free(s.draft);
	s.draft = text;
	snprintf(s.draft_for, sizeof s.draft_for, "%s", s.pick_id);
}

static void do_done(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct dd_error err = { 0 };
	int64_t done;
	if (time_parse(text[0] ? text : "now", ui_now(ui), ui->cfg->timezone, &done, &err) != 0) {
		ui_status(ui, UI_ERROR, _("Not saved: %s"), err.msg);
		return;
	}
	int rc = advisory_report(ui->st, ui->cfg, s.pick_id, NULL, s.pick_affected, s.draft ? s.draft : "", done, &err);
	char msg[256];
	snprintf(msg, sizeof msg, _("Self-inspection of advisory #%s reported."), shiftlog_short_id(s.pick_id));
	if (rc == 0) {
		free(s.draft);
		s.draft = NULL;
		s.draft_for[0] = '\0';
	}
	changed(ui, rc, &err, msg);
}

static void ask_done(struct ui *ui, void *ctx)
{
	prompt_open(ui, PROMPT_TIME, _("Done at (Enter for now; 14:30, -2h, 11-25 16:00): "), "", do_done, ctx);
}

static void do_measures(struct ui *ui, const char *text, void *ctx)
{
	char *measures = NULL;
	if (text[0]) {
		measures = strdup(text);
	} else {
		struct dd_error err = { 0 };
		const char *initial = s.draft && strcmp(s.draft_for, s.pick_id) == 0 ? s.draft : "";
		if (editor_edit(ui, initial, &measures, &err) != 0) {
			ui_status(ui, UI_ERROR, "%s", err.msg);
			return;
		}
		if (strspn(measures, " \t\r\n") == strlen(measures)) {
			free(measures);
			ui_status(ui, UI_INFO, "%s", _("The editor left no text; nothing saved."));
			return;
		}
	}
	if (!measures) {
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	keep_draft(measures);
	ask_done(ui, ctx);
}

static void do_affected(struct ui *ui, const char *text, void *ctx)
{
	if (!text[0])
		return;
	if (strcmp(text, "y") == 0 || strcmp(text, "Y") == 0 || strcmp(text, "yes") == 0 || strcmp(text, "是") == 0)
		s.pick_affected = true;
	else if (strcmp(text, "n") == 0 || strcmp(text, "N") == 0 || strcmp(text, "no") == 0 || strcmp(text, "否") == 0)
		s.pick_affected = false;
	else {
		ui_status(ui, UI_ERROR, _("\"%s\": answer y (affected) or n (not affected)"), text);
		return;
	}
	const char *initial = s.draft && strcmp(s.draft_for, s.pick_id) == 0 ? s.draft : "";
	/* A draft with line breaks belongs in the editor, not on one line. */
	if (strchr(initial, '\n'))
		initial = "";
	prompt_open(ui, PROMPT_FILTER, _("Measures taken (empty: write them in $EDITOR): "), initial, do_measures, ctx);
}

static void ask_report(struct view *v)
{
	const char *id, *title;
	enum advfmt_own own;
	if (!target(&id, &title, &own))
		return;
	if (own == ADVFMT_NOT_RECIPIENT) {
		ui_status(v->ui, UI_ERROR, _("%s is not a recipient of this advisory: there is nothing to report."),
			  v->ui->cfg->org);
		return;
	}
	if (own == ADVFMT_TO_ACK) {
		ui_status(v->ui, UI_ERROR, "%s", _("Acknowledge the advisory first (A), then report the self-inspection."));
		return;
	}
	if (strcmp(s.draft_for, id) != 0) {
		free(s.draft);
		s.draft = NULL;
	}
	snprintf(s.pick_id, sizeof s.pick_id, "%s", id);
	prompt_open(v->ui, PROMPT_FILTER, _("Affected by the advisory? (y/n): "), "", do_affected, v);
}

/* ---- keys ---------------------------------------------------------------------- */

static void filter_changed(struct ui *ui, const char *text, void *ctx)
{
	(void)ui;
	snprintf(s.text, sizeof s.text, "%s", text);
	s.sel = -1;
	s.top = 0;
	load_list(ctx);
}

static void move_sel(struct view *v, int delta)
{
	if (s.sel < 0)
		return;
	int to = s.sel + delta;
	s.sel = to < 0 ? 0 : to > s.n - 1 ? s.n - 1 : to;
	ensure_visible(v);
}

static void scroll_by(struct view *v, int delta)
{
	s.dtop += delta;
	if (s.dtop > s.dlines - v->height)
		s.dtop = s.dlines - v->height;
	if (s.dtop < 0)
		s.dtop = 0;
}

static enum view_handled detail_key(struct view *v, int req)
{
	int page = v->height > 2 ? v->height - 2 : 1;
	switch (req) {
	case REQ_MOVE_UP: scroll_by(v, -1); break;
	case REQ_MOVE_DOWN: scroll_by(v, 1); break;
	case REQ_MOVE_PAGE_UP: scroll_by(v, -page); break;
	case REQ_MOVE_PAGE_DOWN: scroll_by(v, page); break;
	case REQ_MOVE_FIRST: s.dtop = 0; break;
	case REQ_MOVE_LAST: scroll_by(v, s.dlines); break;
	case REQ_OPEN: break;
	case REQ_BACK:
	case REQ_FILTER_CLEAR:
		s.detail = false;
		load_list(v);
		break;
	case REQ_ADV_ACK: ask_ack(v); break;
	case REQ_ADV_REPORT: ask_report(v); break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static enum view_handled advisories_key(struct view *v, int req)
{
	if (s.detail)
		return detail_key(v, req);
	int page = visible_items(v) > 1 ? visible_items(v) - 1 : 1;
	switch (req) {
	case REQ_MOVE_UP: move_sel(v, -1); break;
	case REQ_MOVE_DOWN: move_sel(v, 1); break;
	case REQ_MOVE_PAGE_UP: move_sel(v, -page); break;
	case REQ_MOVE_PAGE_DOWN: move_sel(v, page); break;
	case REQ_MOVE_FIRST: move_sel(v, -s.n); break;
	case REQ_MOVE_LAST: move_sel(v, s.n); break;
	case REQ_OPEN:
		if (s.sel >= 0)
			open_detail(v, s.rows[s.sel].id);
		break;
	case REQ_FILTER:
		prompt_open_live(v->ui, _("Filter (title, level, issuer, CVE id): "), s.text, filter_changed, filter_changed,
				 v);
		break;
	case REQ_FILTER_CLEAR:
		if (!s.text[0])
			return VIEW_IGNORED;
		filter_changed(v->ui, "", v);
		ui_status(v->ui, UI_INFO, "%s", _("Filter cleared."));
		break;
	case REQ_ADV_ACK: ask_ack(v); break;
	case REQ_ADV_REPORT: ask_report(v); break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void advisories_click(struct view *v, int row)
{
	if (s.detail || row < 1)
		return;
	int i = s.top + (row - 1) / item_lines(v);
	if (i < s.n)
		move_sel(v, i - s.sel);
}

static void advisories_refresh(struct view *v)
{
	load_list(v);
	if (s.detail)
		load_detail(v);
}

static void advisories_open(struct view *v)
{
	memset(&s, 0, sizeof s);
	s.sel = -1;
	v->priv = &s;
	load_list(v);
}

static void advisories_close(struct view *v)
{
	free_answers();
	free(s.ans);
	free(s.rows);
	free(s.a);
	free(s.draft);
	memset(&s, 0, sizeof s);
	v->priv = NULL;
}

static const int advisories_hints[] = {
	REQ_OPEN, REQ_ADV_ACK, REQ_ADV_REPORT, REQ_FILTER, REQ_BACK, 0,
};

const struct view_ops advisories_view_ops = {
	.name = "advisories",
	.open = advisories_open,
	.close = advisories_close,
	.draw = advisories_draw,
	.title = advisories_title,
	.key = advisories_key,
	.refresh = advisories_refresh,
	.click = advisories_click,
	.hints = advisories_hints,
};
