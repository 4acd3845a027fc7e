/*
 * incident.c — one incident (事件) in full: its header (tier and who
 * leads, status, org, objects, times), the reporting chain with each
 * hop's deadline, and the timeline of every event about it; and the
 * actions a duty officer takes on it, each one event through core.
 *
 * The body is one document scrolled as a whole; the cursor moves over
 * the timeline entries only.  Each entry shows when it happened (the
 * detection time of the opening, the time a hop was made) beside when it
 * was recorded, because a report made by phone at 09:10 and entered at
 * 09:40 must read as both.  Nothing is ever edited: a correction is drawn
 * directly under the entry it corrects, which is marked as corrected, so
 * the original and its correction are read together.
 *
 * Multi-step actions (status then note, tier then reason, hop then
 * channel then time) chain one-line prompts; what the earlier steps
 * chose waits in the view's state.  A summary or follow-up report that
 * could not be saved is kept as a draft and offered again next time, so
 * an officer's text is never lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/editor.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/keys.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/template.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"
#include "dutydesk/wrap.h"

struct entry {
	char id[DD_UUID_LEN + 1];
	char kind[48];             /* after "incident." */
	char actor[129];
	int64_t at_ms;             /* recorded */
	int64_t happened_ms;       /* from the body, else at_ms */
	char corrects[DD_UUID_LEN + 1];
	bool corrected;            /* a later note corrects it */
	int depth;                 /* corrections sit one deeper than their entry */
	char *text;                /* the line describing it (malloc'd) */
};

enum draft_kind { DRAFT_SUMMARY, DRAFT_REPORT, DRAFTS };

struct incident_state {
	char id[DD_UUID_LEN + 1];
	struct dd_incident *in;    /* NULL until loaded */
	struct dd_hop_state hops[DD_HOPS_MAX];
	int n_hops;
	struct entry *tl;          /* in display order */
	int n_tl;
	int sel, top;
	bool expanded;             /* the selected entry drawn in full */
	/* what earlier prompts of an action chose */
	int pick_status, pick_tier;
	bool pick_confirm;
	char pick_hop[DD_HOP_ID_MAX + 1], pick_to[201], pick_via[16];
	/* texts from $EDITOR that were not saved, per incident */
	char *draft[DRAFTS];
	char draft_for[DRAFTS][DD_UUID_LEN + 1];
};

static struct incident_state the_state;

static struct incident_state *state(struct view *v)
{
	return v->priv;
}

/* ---- the report and summary documents ------------------------------------ */

static const struct template_section report_sections[] = {
	{ "occurred", "发生时间和经过", "Occurrence" },
	{ "scope", "影响范围", "Scope" },
	{ "harm", "危害程度", "Harm" },
	{ "measures", "已采取的措施", "Measures taken" },
	{ "recommendations", "处置建议", "Recommendations" },
	{ "support", "需要的支持", "Support requested" },
};

static const struct template_section summary_sections[] = {
	{ "cause", "事件原因", "Cause" },
	{ "response", "处置情况", "Response" },
	{ "harm", "危害与影响", "Harm" },
	{ "accountability", "责任认定", "Accountability" },
	{ "rectification", "整改措施", "Rectification" },
	{ "lessons", "经验教训", "Lessons" },
};

#define N_SECTIONS 6

/* ---- loading --------------------------------------------------------------- */

static const char *body_text(const struct dd_event *ev, const char *name)
{
	const char *s = json_string_value(json_object_get(ev->body, name));
	return s ? s : "";
}

static int64_t body_time(const struct dd_event *ev, const char *name, int64_t fallback)
{
	int64_t ms;
	int off;
	const char *s = json_string_value(json_object_get(ev->body, name));
	return s && time_parse_rfc3339(s, &ms, &off) == 0 ? ms : fallback;
}

/* "label: text; label: text" of the sections a report or summary holds. */
static void join_sections(const struct dd_event *ev, const struct template_section *secs, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < N_SECTIONS && len < n; i++) {
		const char *t = body_text(ev, secs[i].key);
		if (t[0])
			len += (size_t)snprintf(buf + len, n - len, "%s%s: %s", len ? "; " : "", secs[i].zh, t);
	}
}

struct loader {
	struct incident_state *s;
	const struct dd_tiers *tiers;
	int reports;
	int cap;
	bool failed;
};

static void describe(struct loader *l, const struct dd_event *ev, struct entry *e, char *buf, size_t n)
{
	const struct dd_tiers *t = l->tiers;
	const char *k = e->kind;
	char joined[8192];
	if (strcmp(k, "open") == 0) {
		e->happened_ms = body_time(ev, "detected_at", e->at_ms);
		snprintf(buf, n, _("Opened (detected): %s"), body_text(ev, "title"));
	} else if (strcmp(k, "status") == 0) {
		snprintf(buf, n, _("Status → %s: %s"), incfmt_status(incident_status_parse(body_text(ev, "to"))),
			 body_text(ev, "note"));
	} else if (strcmp(k, "tier") == 0) {
		int tier = tier_parse(body_text(ev, "tier"));
		bool confirm = strcmp(body_text(ev, "action"), "confirm") == 0;
		char name[160];
		incfmt_tier_name(t, tier, name, sizeof name);
		snprintf(buf, n, confirm ? _("Tier confirmed: %s — %s") : _("Tier proposed: %s — %s"), name,
			 body_text(ev, "reason"));
	} else if (strcmp(k, "hop") == 0) {
		e->happened_ms = body_time(ev, "made_at", e->at_ms);
		const char *note = body_text(ev, "note");
		snprintf(buf, n, _("Reported to %s (%s)%s%s"), body_text(ev, "to"), incfmt_via(body_text(ev, "via")),
			 note[0] ? ": " : "", note);
	} else if (strcmp(k, "note") == 0) {
		snprintf(buf, n, e->corrects[0] ? _("Correction: %s") : _("Note: %s"), body_text(ev, "text"));
	} else if (strcmp(k, "report") == 0) {
		join_sections(ev, report_sections, joined, sizeof joined);
		if (l->reports++ == 0)
			snprintf(buf, n, _("First report #1: %s"), joined);
		else
			snprintf(buf, n, _("Follow-up report (补报) #%d: %s"), l->reports, joined);
	} else if (strcmp(k, "duplicate") == 0) {
		snprintf(buf, n, _("Marked a duplicate of #%s"), shiftlog_short_id(body_text(ev, "of")));
	} else if (strcmp(k, "summary") == 0) {
		join_sections(ev, summary_sections, joined, sizeof joined);
		snprintf(buf, n, _("Post-incident summary: %s"), joined);
	} else {
		snprintf(buf, n, "%s", ev->kind);
	}
}

static int collect(const struct dd_event *ev, void *ctx)
{
	struct loader *l = ctx;
	struct incident_state *s = l->s;
	if (s->n_tl == l->cap) {
		int cap = l->cap ? 2 * l->cap : 32;
		struct entry *tl = realloc(s->tl, (size_t)cap * sizeof *tl);
		if (!tl) {
			l->failed = true;
			return 1;
		}
		s->tl = tl;
		l->cap = cap;
	}
	struct entry *e = &s->tl[s->n_tl];
	memset(e, 0, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s", ev->id);
	snprintf(e->kind, sizeof e->kind, "%s", ev->kind + (strncmp(ev->kind, "incident.", 9) == 0 ? 9 : 0));
	snprintf(e->actor, sizeof e->actor, "%s", drill_actor_label(ev->actor));
	int off;
	if (time_parse_rfc3339(ev->at, &e->at_ms, &off) != 0)
		e->at_ms = 0;
	e->happened_ms = e->at_ms;
	if (strcmp(e->kind, "note") == 0)
		snprintf(e->corrects, sizeof e->corrects, "%s", body_text(ev, "corrects"));
	char line[16384];
	describe(l, ev, e, line, sizeof line);
	if (!(e->text = strdup(line))) {
		l->failed = true;
		return 1;
	}
	s->n_tl++;
	return 0;
}

static void free_timeline(struct incident_state *s)
{
	for (int i = 0; i < s->n_tl; i++)
		free(s->tl[i].text);
	free(s->tl);
	s->tl = NULL;
	s->n_tl = 0;
}

static int index_of(const struct entry *tl, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(tl[i].id, id) == 0)
			return i;
	return -1;
}

/* Appends entry i and, under it, whatever corrects it (recursively). */
static void place(const struct entry *in, int n, int i, int depth, bool *placed, struct entry *out, int *k)
{
	if (placed[i])
		return;
	placed[i] = true;
	out[*k] = in[i];
	out[*k].depth = depth;
	(*k)++;
	for (int j = 0; j < n; j++)
		if (!placed[j] && strcmp(in[j].corrects, in[i].id) == 0)
			place(in, n, j, depth + 1, placed, out, k);
}

/* Recorded order, with each correction moved under what it corrects. */
static int order_corrections(struct incident_state *s)
{
	int n = s->n_tl;
	struct entry *out = malloc((size_t)(n > 0 ? n : 1) * sizeof *out);
	bool *placed = calloc((size_t)(n > 0 ? n : 1), sizeof *placed);
	if (!out || !placed) {
		free(out);
		free(placed);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (s->tl[i].corrects[0] && index_of(s->tl, n, s->tl[i].corrects) >= 0)
			s->tl[index_of(s->tl, n, s->tl[i].corrects)].corrected = true;
	int k = 0;
	for (int i = 0; i < n; i++) {
		/* A correction starts no branch of its own unless its target
		 * is missing (it then stands where it was recorded). */
		if (s->tl[i].corrects[0] && index_of(s->tl, n, s->tl[i].corrects) >= 0)
			continue;
		place(s->tl, n, i, 0, placed, out, &k);
	}
	free(placed);
	free(s->tl);
	s->tl = out;
	s->n_tl = k;
	return 0;
}

/* Reads the incident again; the selection stays on the same entry. */
static void load(struct view *v)
{
	struct incident_state *s = state(v);
	struct dd_error err = { 0 };
	char sel_id[DD_UUID_LEN + 1] = "";
	if (s->sel >= 0 && s->sel < s->n_tl)
		snprintf(sel_id, sizeof sel_id, "%s", s->tl[s->sel].id);
	free_timeline(s);
	if (!s->in && !(s->in = malloc(sizeof *s->in))) {
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	if (store_incident_get(v->ui->st, s->id, s->in, &err) != 0 ||
	    store_incident_hops(v->ui->st, s->id, s->hops, &s->n_hops, &err) != 0) {
		free(s->in);
		s->in = NULL;
		ui_status(v->ui, UI_ERROR, _("reading incident #%s: %s"), shiftlog_short_id(s->id), err.msg);
		return;
	}
	struct loader l = { .s = s, .tiers = v->ui->tiers };
	if (store_incident_timeline(v->ui->st, s->id, collect, &l, &err) != 0)
		ui_status(v->ui, UI_ERROR, _("reading incident #%s: %s"), shiftlog_short_id(s->id), err.msg);
	else if (l.failed || order_corrections(s) != 0)
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
	int at = sel_id[0] ? index_of(s->tl, s->n_tl, sel_id) : -1;
	s->sel = at >= 0 ? at : s->n_tl > 0 ? 0 : -1;
}

void incident_view_show(struct ui *ui, const char *id)
{
	view_show(VIEW_INCIDENT);
	struct view *v = view_get(VIEW_INCIDENT);
	struct incident_state *s = state(v);
	(void)ui;
	if (strcmp(s->id, id) != 0) {
		snprintf(s->id, sizeof s->id, "%s", id);
		s->sel = -1;
		s->top = 0;
		s->expanded = false;
		free_timeline(s);
	}
	load(v);
}

/* ---- the document ---------------------------------------------------------- */

/* Lays out the document line by line; draws only the lines between top
 * and top + height, and remembers where the selected entry lies. */
struct pen {
	struct view *v;
	int line;
	bool draw;
	int label_cols;
	int sel_first, sel_last;
};

static int pen_y(const struct pen *p)
{
	int y = p->line - state(p->v)->top;
	return p->draw && y >= 0 && y < p->v->height ? p->v->y + y : -1;
}

static void field(struct pen *p, const char *label, const char *value, enum theme_role role)
{
	int y = pen_y(p);
	if (y >= 0) {
		draw_pad(y, 1, label, p->label_cols, ROLE_LABEL);
		draw_text(y, p->label_cols + 3, value, p->v->width - p->label_cols - 4, role);
	}
	p->line++;
}

/* A labelled value wrapped over as many lines as it needs. */
static void field_wrapped(struct pen *p, const char *label, const char *value, enum theme_role role)
{
	int cols = p->v->width - p->label_cols - 4;
	char line[4096];
	bool first = true;
	do {
		size_t len = wrap_line(value, cols > 1 ? cols : 1);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, value, len);
		line[len] = '\0';
		field(p, first ? label : "", line, role);
		first = false;
		value += len;
		while (*value == '\n' || *value == ' ')
			value++;
	} while (*value);
}

static void rule(struct pen *p, const char *title)
{
	int y = pen_y(p);
	if (y >= 0)
		draw_rule(y, p->v->width, title);
	p->line++;
}

static void fmt_time(const struct view *v, int64_t ms, char *buf, size_t n)
{
	time_format_local(ms, v->ui->cfg->timezone, "%m-%d %H:%M", buf, n);
}

static void draw_header(struct pen *p)
{
	struct view *v = p->v;
	struct incident_state *s = state(v);
	const struct dd_incident *in = s->in;
	const struct dd_tier_rule *r = &v->ui->tiers->tier[in->tier];
	char buf[2048], a[32], b[32], name[INCFMT_ORG_LEN];

	const char *how = in->confirmed_tier >= 0 ? _("confirmed by a leader")
			  : in->proposed_tier >= 0 ? _("proposed, not yet confirmed") : _("not yet assessed");
	incfmt_tier_name(v->ui->tiers, in->tier, name, sizeof name);
	snprintf(buf, sizeof buf, "%s · %s", name, how);
	field(p, _("Tier"), buf, incfmt_tier_role(v->ui->tiers, in->tier));
	if (in->confirmed_tier >= 0 && in->proposed_tier >= 0 && in->proposed_tier != in->confirmed_tier) {
		incfmt_tier_name(v->ui->tiers, in->proposed_tier, name, sizeof name);
		snprintf(buf, sizeof buf, _("%s proposed"), name);
		field(p, "", buf, ROLE_DIM);
	}
	snprintf(buf, sizeof buf, "%s · %s", incfmt_status(in->status), incfmt_category(in->category));
	field(p, _("Status"), buf, ROLE_NORMAL);
	field_wrapped(p, _("Lead"), r->lead, ROLE_NORMAL);
	snprintf(buf, sizeof buf, "%s%s%s%s", incfmt_org(v->ui->st, in->reporting_org, name, sizeof name),
		 in->reporter[0] ? " · " : "", in->reporter,
		 in->cii ? _(" · critical information infrastructure (关键信息基础设施)") : "");
	field(p, _("Org"), buf, ROLE_NORMAL);
	if (in->objects[0])
		field_wrapped(p, _("Objects"), in->objects, ROLE_NORMAL);
	fmt_time(v, in->detected_ms, a, sizeof a);
	int len = snprintf(buf, sizeof buf, _("detected %s"), a);
	if (in->occurred_ms && len > 0 && (size_t)len < sizeof buf) {
		fmt_time(v, in->occurred_ms, b, sizeof b);
		len += snprintf(buf + len, sizeof buf - (size_t)len, _(" · occurred %s"), b);
	}
	if (len > 0 && (size_t)len < sizeof buf) {
		fmt_time(v, in->opened_ms, b, sizeof b);
		snprintf(buf + len, sizeof buf - (size_t)len, _(" · opened %s by %s"), b, drill_actor_label(in->opened_by));
	}
	field(p, _("Times"), buf, ROLE_TIME);
	if (in->duplicate_of[0]) {
		snprintf(buf, sizeof buf, _("a duplicate of #%s, which is counted instead"), shiftlog_short_id(in->duplicate_of));
		field(p, _("Duplicate"), buf, ROLE_CORRECTION);
	}
	if (in->description[0])
		field_wrapped(p, _("About"), in->description, ROLE_NORMAL);
}

static void draw_chain(struct pen *p)
{
	struct view *v = p->v;
	struct incident_state *s = state(v);
	int64_t now = ui_now(v->ui);
	int to_cols = 0;
	for (int i = 0; i < s->n_hops; i++)
		if (text_width(s->hops[i].to) > to_cols)
			to_cols = text_width(s->hops[i].to);
	if (to_cols > v->width / 4)
		to_cols = v->width / 4;
	char title[128];
	snprintf(title, sizeof title, "%s", _("Reporting chain (逐级上报)"));
	rule(p, title);
	if (s->n_hops == 0)
		field(p, "", _("no hop is due for this tier"), ROLE_DIM);
	for (int i = 0; i < s->n_hops; i++) {
		const struct dd_hop_state *h = &s->hops[i];
		int y = pen_y(p);
		p->line++;
		if (y < 0)
			continue;
		char buf[512], when[32], due[64];
		int x = 1;
		x += draw_pad(y, x, h->to, to_cols, ROLE_NORMAL) + 2;
		fmt_time(v, h->due_ms, when, sizeof when);
		snprintf(due, sizeof due, _("due %s"), when);
		x += draw_text(y, x, due, v->width - x, ROLE_TIME) + 2;
		enum theme_role role;
		if (h->done_ms) {
			/* LATE goes first: on a narrow screen it must not be cut. */
			if (h->done_ms > h->due_ms)
				x += draw_text(y, x, _("LATE"), v->width - x, ROLE_OVERDUE) + 1;
			fmt_time(v, h->done_ms, when, sizeof when);
			snprintf(buf, sizeof buf, _("made %s by %s (%s)"), when, drill_actor_label(h->by), incfmt_via(h->via));
			role = ROLE_INFO;
		} else if (s->in->status >= DD_ST_CLOSED) {
			/* A closed incident counts down to nothing: the report was
			 * simply never made, and that stays on the record. */
			snprintf(buf, sizeof buf, "%s", _("never reported"));
			role = ROLE_OVERDUE;
		} else {
			role = incfmt_countdown(h->due_ms, now, buf, sizeof buf);
		}
		draw_text(y, x, buf, v->width - x, role);
	}
	const struct dd_incident *in = s->in;
	if (in->summary_due_ms) {
		char when[32], buf[256];
		time_format_local(in->summary_due_ms, v->ui->cfg->timezone, "%Y-%m-%d", when, sizeof when);
		enum theme_role role = ROLE_INFO;
		if (in->has_summary) {
			snprintf(buf, sizeof buf, _("summary due %s · written"), when);
		} else {
			char left[64];
			role = incfmt_countdown(in->summary_due_ms, now, left, sizeof left);
			snprintf(buf, sizeof buf, _("summary due %s · %s"), when, left);
		}
		field(p, "", buf, role);
	}
}

static void draw_entry(struct pen *p, int i)
{
	struct view *v = p->v;
	struct incident_state *s = state(v);
	const struct entry *e = &s->tl[i];
	bool selected = i == s->sel;
	enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
	enum theme_role role = e->depth ? ROLE_CORRECTION : ROLE_NORMAL;
	if (selected) {
		p->sel_first = p->line;
		role = ROLE_SELECTION;
	}
	int actor_cols = v->width >= 120 ? 12 : 8;
	int text_x = 1 + 11 + 1 + 11 + 1 + actor_cols + 1;
	int y = pen_y(p);
	if (y >= 0) {
		char when[32];
		int x = 1;
		draw_fill(y, 0, v->width, base);
		fmt_time(v, e->happened_ms, when, sizeof when);
		x += draw_pad(y, x, when, 11, selected ? base : ROLE_TIME) + 1;
		fmt_time(v, e->at_ms, when, sizeof when);
		x += draw_pad(y, x, when, 11, selected ? base : ROLE_DIM) + 1;
		x += draw_pad(y, x, e->actor, actor_cols, selected ? base : ROLE_OFFICER) + 1;
		char mark[64];
		if (e->depth) {
			x += 2 * (e->depth - 1);
			x += draw_text(y, x, "↳ ", 2, role);
		}
		/* Short ids cost ten columns: wide screens, or the entry open
		 * in full, can spare them. */
		if (v->width >= 120 || (selected && s->expanded)) {
			snprintf(mark, sizeof mark, "#%s ", shiftlog_short_id(e->id));
			x += draw_text(y, x, mark, v->width - x, selected ? base : ROLE_DIM);
		}
		if (e->corrected) {
			snprintf(mark, sizeof mark, "%s ", _("[corrected below]"));
			x += draw_text(y, x, mark, v->width - x, selected ? base : ROLE_CORRECTION);
		}
		if (!(selected && s->expanded))
			draw_text(y, x, e->text, v->width - x - 1, role);
	}
	p->line++;
	if (selected && s->expanded) {
		/* The whole text, wrapped under the entry's columns. */
		int cols = v->width - text_x - 2 * e->depth - 1;
		const char *t = e->text;
		char line[4096];
		while (*t) {
			size_t len = wrap_line(t, cols > 1 ? cols : 1);
			if (len >= sizeof line)
				len = sizeof line - 1;
			memcpy(line, t, len);
			line[len] = '\0';
			int yy = pen_y(p);
			if (yy >= 0) {
				draw_fill(yy, 0, v->width, base);
				draw_text(yy, text_x + 2 * e->depth, line, cols, base);
			}
			p->line++;
			t += len;
			while (*t == '\n' || *t == ' ')
				t++;
		}
	}
	if (selected)
		p->sel_last = p->line - 1;
}

static void draw_document(struct pen *p)
{
	struct view *v = p->v;
	struct incident_state *s = state(v);
	draw_header(p);
	draw_chain(p);
	char title[256];
	snprintf(title, sizeof title, "%s", _("Timeline: happened · recorded · by"));
	rule(p, title);
	for (int i = 0; i < s->n_tl; i++)
		draw_entry(p, i);
	if (s->n_tl == 0)
		field(p, "", _("no entries"), ROLE_DIM);
}

static int label_cols(void)
{
	const char *labels[] = { _("Tier"), _("Status"), _("Lead"), _("Org"), _("Objects"), _("Times"),
				 _("Duplicate"), _("About") };
	int w = 0;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(labels[i]) > w)
			w = text_width(labels[i]);
	return w;
}

static void incident_draw(struct view *v)
{
	struct incident_state *s = state(v);
	if (!s->in) {
		draw_text(v->y + v->height / 2, 2, _("This incident cannot be read; press q to go back."), v->width - 4,
			  ROLE_DIM);
		return;
	}
	struct pen p = { .v = v, .label_cols = label_cols(), .sel_first = -1, .sel_last = -1 };
	draw_document(&p);
	int total = p.line;
	/* Scroll as little as possible to show the selected entry whole. */
	if (p.sel_first >= 0) {
		if (p.sel_last >= s->top + v->height)
			s->top = p.sel_last - v->height + 1;
		if (p.sel_first < s->top)
			s->top = p.sel_first;
	}
	if (s->top > total - v->height)
		s->top = total - v->height;
	if (s->top < 0)
		s->top = 0;
	p = (struct pen){ .v = v, .draw = true, .label_cols = label_cols(), .sel_first = -1, .sel_last = -1 };
	draw_document(&p);
}

static void incident_title(struct view *v, char *buf, size_t n)
{
	struct incident_state *s = state(v);
	if (!s->in) {
		snprintf(buf, n, _("Incident #%s"), shiftlog_short_id(s->id));
		return;
	}
	/* The drill mark first: a long title is cut at the right. */
	int len = s->in->drill ? snprintf(buf, n, "%s · ", _("DRILL")) : 0;
	if (len >= 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, _("Incident #%s · %s"), shiftlog_short_id(s->id), s->in->title);
}

/* ---- actions ------------------------------------------------------------- */

/* After a change this console made: say so, and let every view reload. */
static void changed(struct view *v, int rc, const struct dd_error *err, const char *done)
{
	struct ui *ui = v->ui;
	if (rc != 0) {
		ui_status(ui, UI_ERROR, _("Not saved: %s"), err->msg);
		return;
	}
	ui_status(ui, UI_INFO, "%s", done);
	ui_incident_changed(ui, state(v)->id);
}

static void do_note(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct dd_error err = { 0 };
	if (!text[0])
		return;
	changed(v, incident_note(ui->st, ui->cfg, state(v)->id, text, NULL, &err), &err, _("Note added."));
}

static void do_correct(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	struct dd_error err = { 0 };
	if (!text[0] || s->sel < 0)
		return;
	char msg[128];
	snprintf(msg, sizeof msg, _("Correction of #%s added."), shiftlog_short_id(s->tl[s->sel].id));
	changed(v, incident_note(ui->st, ui->cfg, s->id, text, s->tl[s->sel].id, &err), &err, msg);
}

static void do_status_note(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	struct dd_error err = { 0 };
	char msg[128];
	if (!text[0]) {
		ui_status(ui, UI_ERROR, "%s", _("A status change needs a note; nothing saved."));
		return;
	}
	snprintf(msg, sizeof msg, _("Status set to %s."), incfmt_status(s->pick_status));
	changed(v, incident_set_status(ui->st, ui->cfg, ui->tiers, s->id, s->pick_status, text, &err), &err, msg);
}

static void do_status(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	int to = incfmt_status_parse(text);
	if (!text[0])
		return;
	if (to < 0) {
		ui_status(ui, UI_ERROR, _("\"%s\" is no status (reported, assessing, responding, recovering, closed, "
					  "reviewed, or 1–6)"), text);
		return;
	}
	if (!incident_transition_valid(s->in->status, to)) {
		ui_status(ui, UI_ERROR, _("An incident that is %s cannot become %s."), incfmt_status(s->in->status),
			  incfmt_status(to));
		return;
	}
	s->pick_status = to;
	/* Closing with reports up the chain not made is allowed (a false
	 * alarm needs none), but the officer is told which before writing. */
	char missing[256] = "";
	size_t len = 0;
	for (int i = 0; to == DD_ST_CLOSED && i < s->n_hops && len < sizeof missing; i++)
		if (!s->hops[i].done_ms)
			len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", len ? _(", ") : "",
						s->hops[i].to);
	char label[512];
	if (missing[0])
		snprintf(label, sizeof label, _("Note for %s (not yet reported to %s): "), incfmt_status(to), missing);
	else
		snprintf(label, sizeof label, _("Note for %s: "), incfmt_status(to));
	prompt_open(ui, PROMPT_FILTER, label, "", do_status_note, v);
}

/* The status an officer most likely wants next. */
static int next_status(int from)
{
	return from == DD_ST_REVIEWED ? -1 : from == DD_ST_CLOSED ? DD_ST_REVIEWED : from + 1;
}

static void do_tier_reason(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	struct dd_error err = { 0 };
	char msg[256];
	if (!text[0]) {
		ui_status(ui, UI_ERROR, "%s", _("A tier needs a reason; nothing saved."));
		return;
	}
	const struct dd_tier_rule *r = &ui->tiers->tier[s->pick_tier];
	snprintf(msg, sizeof msg, s->pick_confirm ? _("Tier %s confirmed.") : _("Tier %s proposed."), r->name_zh);
	changed(v, incident_set_tier(ui->st, ui->cfg, ui->tiers, s->id, s->pick_confirm, s->pick_tier, text, &err), &err,
		msg);
}

static void do_tier(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	if (!text[0])
		return;
	int tier = tier_parse(text);
	if (tier < 0) {
		ui_status(ui, UI_ERROR, _("\"%s\" is no tier (IV 一般, III 较大, II 重大, I 特别重大)"), text);
		return;
	}
	s->pick_tier = tier;
	char label[256];
	snprintf(label, sizeof label, s->pick_confirm ? _("Why confirm %s: ") : _("Why %s: "), ui->tiers->tier[tier].name_zh);
	prompt_open(ui, PROMPT_FILTER, label, "", do_tier_reason, v);
}

static void ask_tier(struct view *v, bool confirm)
{
	struct incident_state *s = state(v);
	s->pick_confirm = confirm;
	int initial = confirm && s->in->proposed_tier >= 0 ? s->in->proposed_tier : s->in->tier;
	prompt_open(v->ui, PROMPT_FILTER,
		    confirm ? _("Confirm tier (IV 一般, III 较大, II 重大, I 特别重大): ")
			    : _("Propose tier (IV 一般, III 较大, II 重大, I 特别重大): "),
		    initial > DD_TIER_UNASSESSED ? tier_id(initial) : "", do_tier, v);
}

static void do_hop_when(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	struct dd_error err = { 0 };
	int64_t made;
	if (time_parse(text[0] ? text : "now", ui_now(ui), ui->cfg->timezone, &made, &err) != 0) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	char msg[256];
	snprintf(msg, sizeof msg, _("Hop %s recorded."), s->pick_to);
	changed(v, incident_record_hop(ui->st, ui->cfg, s->id, s->pick_hop, NULL, s->pick_via, made, NULL, &err), &err,
		msg);
}

static void do_hop_via(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	static const char *const vias[] = { "phone", "platform", "document" };
	const char *via = NULL;
	for (int i = 0; i < 3; i++)
		if (strcmp(text, vias[i]) == 0 || strcmp(text, incfmt_via(vias[i])) == 0 ||
		    (text[0] == '1' + i && !text[1]))
			via = vias[i];
	if (!text[0])
		return;
	if (!via) {
		ui_status(ui, UI_ERROR, _("\"%s\": say phone, platform or document (or 1, 2, 3)"), text);
		return;
	}
	snprintf(s->pick_via, sizeof s->pick_via, "%s", via);
	prompt_open(ui, PROMPT_TIME, _("Made when (Enter for now; 14:30, -20m): "), "", do_hop_when, v);
}

static void do_hop(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	if (!text[0])
		return;
	int found = -1;
	for (int i = 0; i < s->n_hops; i++)
		if (strcmp(s->hops[i].hop, text) == 0 || strcmp(s->hops[i].to, text) == 0)
			found = i;
	if (found < 0) {
		char names[512] = "";
		size_t len = 0;
		for (int i = 0; i < s->n_hops && len < sizeof names; i++)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? _(", ") : "", s->hops[i].to);
		ui_status(ui, UI_ERROR, _("\"%s\" is no hop of this chain (%s)"), text, names);
		return;
	}
	if (s->hops[found].done_ms) {
		ui_status(ui, UI_ERROR, _("Hop %s is already recorded; add a note to correct it."), s->hops[found].to);
		return;
	}
	snprintf(s->pick_hop, sizeof s->pick_hop, "%s", s->hops[found].hop);
	snprintf(s->pick_to, sizeof s->pick_to, "%s", s->hops[found].to);
	char label[256];
	snprintf(label, sizeof label, _("How was %s told (phone, platform, document): "), s->hops[found].to);
	prompt_open(ui, PROMPT_FILTER, label, incfmt_via("phone"), do_hop_via, v);
}

static void ask_hop(struct view *v)
{
	struct incident_state *s = state(v);
	const char *first = NULL;
	char list[512] = "";
	size_t len = 0;
	for (int i = 0; i < s->n_hops; i++) {
		if (s->hops[i].done_ms)
			continue;
		if (!first)
			first = s->hops[i].to;
		if (len < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? _(", ") : "", s->hops[i].to);
	}
	if (!first) {
		ui_status(v->ui, UI_INFO, "%s", s->n_hops ? _("Every hop of the chain is recorded.")
							 : _("This tier's chain has no hops."));
		return;
	}
	char label[640];
	snprintf(label, sizeof label, _("Record hop (%s): "), list);
	prompt_open(v->ui, PROMPT_FILTER, label, first, do_hop, v);
}

static void do_duplicate(struct ui *ui, const char *text, void *ctx)
{
	struct view *v = ctx;
	struct incident_state *s = state(v);
	struct dd_error err = { 0 };
	char of[DD_UUID_LEN + 1];
	if (!text[0])
		return;
	const char *ref = text[0] == '#' ? text + 1 : text;
	if (store_incident_resolve(ui->st, ref, of, &err) != 0) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	char msg[128];
	snprintf(msg, sizeof msg, _("Marked a duplicate of #%s."), shiftlog_short_id(of));
	changed(v, incident_mark_duplicate(ui->st, ui->cfg, s->id, of, &err), &err, msg);
}

/* Keeps text as the draft of kind for this incident (takes ownership). */
static void keep_draft(struct incident_state *s, enum draft_kind kind, char *text)
{
	free(s->draft[kind]);
	s->draft[kind] = text;
	memcpy(s->draft_for[kind], s->id, sizeof s->id);
}

/* Writes a report or summary in $EDITOR, from the last unsaved draft
 * when there is one, and saves it. */
static void compose(struct view *v, enum draft_kind kind)
{
	struct ui *ui = v->ui;
	struct incident_state *s = state(v);
	const struct template_section *secs = kind == DRAFT_SUMMARY ? summary_sections : report_sections;
	char intro[1024], *doc = NULL;
	if (s->draft[kind] && strcmp(s->draft_for[kind], s->id) == 0) {
		doc = s->draft[kind];
		s->draft[kind] = NULL;
	} else {
		snprintf(intro, sizeof intro, "%s — #%s %s\n%s",
			 kind == DRAFT_SUMMARY ? "事件分析总结 Post-incident summary" : "补报 Follow-up report",
			 shiftlog_short_id(s->id), s->in->title,
			 kind == DRAFT_SUMMARY
				 ? "Write under each of the six headings; every one is required.\n"
				   "在六个标题下分别填写，每项都必须填写。以 # 开头的行会被忽略。"
				 : "Fill in what is known now; leave the rest empty for a later report.\n"
				   "填写目前已掌握的情况，其余留空待后续补报。以 # 开头的行会被忽略。");
		doc = template_build(intro, secs, N_SECTIONS, NULL);
	}
	if (!doc) {
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	char *text = NULL;
	struct dd_error err = { 0 };
	if (editor_edit(ui, doc, &text, &err) != 0) {
		keep_draft(s, kind, doc);
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	free(doc);
	char *out[N_SECTIONS];
	if (template_parse(text, secs, N_SECTIONS, out, &err) != 0) {
		keep_draft(s, kind, text);
		ui_status(ui, UI_ERROR, _("Not saved (%s); the text is kept — press the key again to go on."), err.msg);
		return;
	}
	char empty[512] = "";
	size_t len = 0;
	int filled = 0;
	for (int i = 0; i < N_SECTIONS; i++) {
		if (out[i][0])
			filled++;
		else if (len < sizeof empty)
			len += (size_t)snprintf(empty + len, sizeof empty - len, "%s%s %s", len ? ", " : "", secs[i].zh,
						secs[i].en);
	}
	int rc;
	if (filled == 0) {
		template_free(out, N_SECTIONS);
		free(text);
		ui_status(ui, UI_INFO, "%s", _("Nothing written; nothing saved."));
		return;
	}
	if (kind == DRAFT_SUMMARY && filled < N_SECTIONS) {
		template_free(out, N_SECTIONS);
		keep_draft(s, kind, text);
		ui_status(ui, UI_ERROR, _("Not saved: the summary needs every section; empty: %s. The text is kept — press S "
					  "to go on."), empty);
		return;
	}
	if (kind == DRAFT_SUMMARY) {
		struct dd_incident_summary sum = { out[0], out[1], out[2], out[3], out[4], out[5] };
		rc = incident_summary(ui->st, ui->cfg, s->id, &sum, &err);
	} else {
		struct dd_incident_report rep = { out[0], out[1], out[2], out[3], out[4], out[5] };
		rc = incident_report(ui->st, ui->cfg, s->id, &rep, &err);
	}
	template_free(out, N_SECTIONS);
	if (rc != 0) {
		keep_draft(s, kind, text);
		ui_status(ui, UI_ERROR, _("Not saved: %s. The text is kept — press the key again to go on."), err.msg);
		return;
	}
	free(text);
	changed(v, 0, &err, kind == DRAFT_SUMMARY ? _("Post-incident summary saved.") : _("Follow-up report saved."));
}

static void move_sel(struct incident_state *s, int delta)
{
	if (s->n_tl == 0)
		return;
	s->sel += delta;
	if (s->sel < 0)
		s->sel = 0;
	if (s->sel > s->n_tl - 1)
		s->sel = s->n_tl - 1;
	s->expanded = false;
}

static enum view_handled incident_key(struct view *v, int req)
{
	struct incident_state *s = state(v);
	struct ui *ui = v->ui;
	int page = v->height > 2 ? v->height - 2 : 1;
	if (!s->in && req != REQ_BACK)
		return VIEW_IGNORED;
	switch (req) {
	case REQ_MOVE_UP:
		/* Above the first entry, scroll up to the header. */
		if (s->sel <= 0)
			s->top = 0;
		move_sel(s, -1);
		break;
	case REQ_MOVE_DOWN: move_sel(s, 1); break;
	case REQ_MOVE_PAGE_UP: move_sel(s, -page); break;
	case REQ_MOVE_PAGE_DOWN: move_sel(s, page); break;
	case REQ_MOVE_FIRST:
		move_sel(s, -s->n_tl);
		s->top = 0;
		break;
	case REQ_MOVE_LAST: move_sel(s, s->n_tl); break;
	case REQ_OPEN: s->expanded = !s->expanded; break;
	case REQ_INC_NOTE: prompt_open(ui, PROMPT_FILTER, _("Note: "), "", do_note, v); break;
	case REQ_CORRECT: {
		if (s->sel < 0)
			break;
		char label[128];
		snprintf(label, sizeof label, _("Correct #%s: "), shiftlog_short_id(s->tl[s->sel].id));
		prompt_open(ui, PROMPT_FILTER, label, "", do_correct, v);
		break;
	}
	case REQ_INC_STATUS: {
		int next = next_status(s->in->status);
		if (next < 0) {
			ui_status(ui, UI_INFO, "%s", _("The incident is reviewed: its status is final."));
			break;
		}
		char label[256];
		snprintf(label, sizeof label, _("Status, now %s (1 reported … 6 reviewed): "), incfmt_status(s->in->status));
		prompt_open(ui, PROMPT_FILTER, label, incfmt_status(next), do_status, v);
		break;
	}
	case REQ_INC_PROPOSE: ask_tier(v, false); break;
	case REQ_INC_CONFIRM:
		if (strcmp(ui->cfg->role, "leader") != 0) {
			ui_status(ui, UI_ERROR, "%s", _("Only a shift leader (带班领导) confirms a tier, and this desk is an "
							 "officer's: propose it with p."));
			break;
		}
		ask_tier(v, true);
		break;
	case REQ_INC_HOP: ask_hop(v); break;
	case REQ_INC_REPORT: compose(v, DRAFT_REPORT); break;
	case REQ_INC_SUMMARY:
		if (s->in->status < DD_ST_CLOSED) {
			ui_status(ui, UI_ERROR, "%s", _("The summary is written once handling has ended: close the incident "
							 "first (s)."));
			break;
		}
		compose(v, DRAFT_SUMMARY);
		break;
	case REQ_INC_DUPLICATE: prompt_open(ui, PROMPT_FILTER, _("Duplicate of (id or short id): "), "", do_duplicate, v); break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void incident_refresh(struct view *v)
{
	if (state(v)->id[0])
		load(v);
}

static void incident_view_open(struct view *v)
{
	memset(&the_state, 0, sizeof the_state);
	the_state.sel = -1;
	v->priv = &the_state;
}

static void incident_view_close(struct view *v)
{
	struct incident_state *s = state(v);
	free_timeline(s);
	free(s->in);
	for (int i = 0; i < DRAFTS; i++)
		free(s->draft[i]);
	memset(s, 0, sizeof *s);
	v->priv = NULL;
}

static const int incident_hints[] = {
	REQ_INC_NOTE, REQ_INC_STATUS, REQ_INC_PROPOSE, REQ_INC_HOP, REQ_BACK, 0,
};

const struct view_ops incident_view_ops = {
	.name = "incident",
	.open = incident_view_open,
	.close = incident_view_close,
	.draw = incident_draw,
	.title = incident_title,
	.key = incident_key,
	.refresh = incident_refresh,
	.hints = incident_hints,
};
