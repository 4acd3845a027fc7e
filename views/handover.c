/*
 * handover.c — the handover view (交接班): the shift being handed over,
 * the state (draft, submitted by X at T, overdue, accepted by Y at T,
 * with objections), the generated summary — open incidents, reports due,
 * missing zero reports, advisories awaiting answers, calls not reached —
 * and the outgoing officer's notes.
 *
 * A handover awaiting acceptance shows its snapshot (what was signed
 * off); a draft shows a summary generated when the view is loaded, and
 * again after the store changes.  Notes being written live only in this
 * view until submitted (`e` edits them in $EDITOR, `s` submits); the
 * incoming officer accepts with `A` or accepts with objections with `O`,
 * naming themselves (the desk's console is shared at a change of shift).
 * The rules are core/handover.c's; a refusal goes to the status line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/advisory.h"
#include "dutydesk/bars.h"
#include "dutydesk/editor.h"
#include "dutydesk/handover.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/keys.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"
#include "dutydesk/wrap.h"

static struct {
	struct dd_handover_view *hv;
	struct dd_handover_summary *live;   /* the draft's summary */
	bool loaded;
	bool stale;
	char *draft;                        /* notes written here, not yet submitted */
	char objection[DD_HANDOVER_NOTES_MAX + 1];
	int top;                            /* first document line shown */
	int lines;                          /* document length at the last draw */
	int64_t minute;                     /* of the last load: a report time passes by the clock */
} h;

static const struct dd_handover *shown(void)
{
	return h.hv && h.hv->has_pending ? &h.hv->pending : NULL;
}

static const struct dd_handover_summary *summary(void)
{
	return shown() ? &shown()->summary : h.live;
}

static void load(struct view *v)
{
	struct ui *ui = v->ui;
	struct dd_error err = { 0 };
	if (!h.hv)
		h.hv = malloc(sizeof *h.hv);
	if (!h.live)
		h.live = malloc(sizeof *h.live);
	if (!h.hv || !h.live) {
		ui_status(ui, UI_ERROR, "%s", _("Out of memory"));
		return;
	}
	int64_t now = ui_now(ui);
	h.minute = now / 60000;
	h.loaded = handover_view_at(ui->st, ui->cfg, now, h.hv, &err) == 0 &&
		   (h.hv->has_pending || handover_summary_build(ui->st, ui->cfg, now, h.hv->shift_start_ms,
								h.hv->shift_end_ms, h.live, &err) == 0);
	if (!h.loaded)
		ui_status(ui, UI_ERROR, _("Reading the handover: %s"), err.msg);
}

/* ---- drawing ---------------------------------------------------------- */

struct pen {
	struct view *v;
	int line;
	bool draw;
	int rows;                           /* of the view, less the "more below" line */
};

static int pen_y(const struct pen *p)
{
	int y = p->line - h.top;
	return p->draw && y >= 0 && y < p->rows ? p->v->y + y : -1;
}

static void put(struct pen *p, int x, const char *text, enum theme_role role)
{
	int y = pen_y(p);
	if (y >= 0)
		draw_text(y, x, text, p->v->width - x - 1, role);
	p->line++;
}

static void heading(struct pen *p, const char *text)
{
	p->line++;
	put(p, 1, text, ROLE_LABEL);
}

/* Text wrapped to the width, every line indented; blank lines kept. */
static void para(struct pen *p, const char *text, enum theme_role role)
{
	int cols = p->v->width - 5;
	char line[4096];
	while (*text) {
		size_t len = wrap_line(text, cols > 1 ? cols : 1);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, text, len);
		line[len] = '\0';
		put(p, 3, line, role);
		text += len;
		if (*text == '\n')
			text++;
		else
			while (*text == ' ')
				text++;
	}
}

static void state_lines(struct pen *p)
{
	struct ui *ui = p->v->ui;
	const char *tz = ui->cfg->timezone;
	const struct dd_handover *ho = shown();
	char a[32], b[32], line[1024], org[INCFMT_ORG_LEN];
	time_format_local(h.hv->shift_start_ms, tz, "%m-%d %H:%M", a, sizeof a);
	time_format_local(h.hv->shift_end_ms, tz, "%m-%d %H:%M", b, sizeof b);
	snprintf(line, sizeof line, _("Shift %s–%s · %s"), a, b, incfmt_org(ui->st, ui->cfg->org, org, sizeof org));
	put(p, 1, line, ROLE_TIME);
	enum dd_handover_state st = ho ? handover_state(ui->cfg, ho, ui_now(ui)) : DD_HO_DRAFT;
	enum theme_role role = ROLE_NORMAL;
	switch (st) {
	case DD_HO_DRAFT:
		snprintf(line, sizeof line, "%s",
			 h.draft ? _("Draft: notes written, not submitted (s submits)") : _("Draft: not submitted (e writes the notes)"));
		role = ROLE_DIM;
		break;
	case DD_HO_SUBMITTED:
	case DD_HO_OVERDUE:
		time_format_local(ho->submitted_ms, tz, "%m-%d %H:%M", a, sizeof a);
		time_format_local(handover_due_ms(ui->cfg, ho), tz, "%m-%d %H:%M", b, sizeof b);
		snprintf(line, sizeof line,
			 st == DD_HO_OVERDUE ? _("Submitted by %s at %s · NOT ACCEPTED, due %s")
					     : _("Submitted by %s at %s · to be accepted by %s"),
			 ho->outgoing, a, b);
		role = st == DD_HO_OVERDUE ? ROLE_OVERDUE : ROLE_NORMAL;
		break;
	case DD_HO_ACCEPTED:
	case DD_HO_OBJECTED:
		break;   /* an accepted handover is never pending */
	}
	put(p, 1, line, role);
	if (h.hv->has_last) {
		const struct dd_handover *l = &h.hv->last;
		time_format_local(l->accepted_ms, tz, "%m-%d %H:%M", a, sizeof a);
		snprintf(line, sizeof line,
			 l->objection[0] ? _("Last handover: %s to %s, accepted at %s with objections")
					 : _("Last handover: %s to %s, accepted at %s"),
			 l->outgoing, l->incoming, a);
		put(p, 1, line, ROLE_DIM);
		if (l->objection[0] && !ho) {
			put(p, 3, _("Objections:"), ROLE_LABEL);
			para(p, l->objection, ROLE_NORMAL);
		}
	}
}

/* A list holds the most urgent DD_HANDOVER_LIST_MAX items; the count of
 * the rest says the heading's total is not all on screen. */
static void more(struct pen *p, int shown, int64_t total)
{
	if (total <= shown)
		return;
	char line[128];
	snprintf(line, sizeof line, _("… and %lld more"), (long long)(total - shown));
	put(p, 3, line, ROLE_DIM);
}

static void summary_lines(struct pen *p)
{
	struct ui *ui = p->v->ui;
	const char *tz = ui->cfg->timezone;
	const struct dd_handover_summary *s = summary();
	int64_t now = ui_now(ui);
	char a[64], b[64], line[1024];

	snprintf(line, sizeof line, _("Open incidents (%lld)"), (long long)s->incidents_total);
	heading(p, line);
	int badge_cols = 0;
	for (int t = 0; t < DD_TIERS; t++) {
		incfmt_badge(ui->tiers, t, true, a, sizeof a);
		if (text_width(a) > badge_cols)
			badge_cols = text_width(a);
	}
	for (int i = 0; i < s->n_incidents; i++) {
		const struct dd_ho_incident *o = &s->incidents[i];
		incfmt_badge(ui->tiers, o->tier, o->unconfirmed, a, sizeof a);
		enum theme_role role = incfmt_countdown(o->next_due_ms, now, b, sizeof b);
		int y = pen_y(p);
		if (y >= 0) {
			int x = 3, w = p->v->width - 1;
			x += draw_pad(y, x, a, badge_cols, incfmt_tier_role(ui->tiers, o->tier)) + 1;
			x += draw_pad(y, x, incfmt_status(o->status), incfmt_status_cols(), ROLE_NORMAL) + 1;
			x += draw_pad(y, x, b[0] ? b : "—", 14, role) + 1;
			if (x < w)
				draw_text(y, x, o->title, w - x, ROLE_NORMAL);
		}
		p->line++;
	}
	more(p, s->n_incidents, s->incidents_total);
	/* Due by the end of the next shift, not this one: what the incoming
	 * officer must make before handing over in turn. */
	time_format_local(s->next_end_ms, tz, "%m-%d %H:%M", a, sizeof a);
	snprintf(line, sizeof line, _("Reports overdue or due before the next shift ends (%s) (%lld)"), a,
		 (long long)s->hops_total);
	heading(p, line);
	for (int i = 0; i < s->n_hops; i++) {
		const struct dd_ho_hop *o = &s->hops[i];
		enum theme_role role = incfmt_countdown(o->due_ms, now, b, sizeof b);
		int y = pen_y(p);
		if (y >= 0) {
			int x = 3, w = p->v->width - 1;
			x += draw_pad(y, x, b, 14, role) + 1;
			snprintf(line, sizeof line, "→ %s · %s", o->to, o->title);
			if (x < w)
				draw_text(y, x, line, w - x, ROLE_NORMAL);
		}
		p->line++;
	}
	more(p, s->n_hops, s->hops_total);
	if (s->period[0]) {
		time_format_local(s->slot_ms, tz, "%m-%d %H:%M", a, sizeof a);
		snprintf(line, sizeof line, _("Missing zero reports · %s %s (%lld)"), s->period_name, a,
			 (long long)s->missing_total);
	} else {
		snprintf(line, sizeof line, "%s", _("Missing zero reports: no protection period with zero reporting"));
	}
	heading(p, line);
	for (int i = 0; i < s->n_missing; i++)
		put(p, 3, s->missing[i].name[0] ? s->missing[i].name : s->missing[i].org, ROLE_OVERDUE);
	more(p, s->n_missing, s->missing_total);
	snprintf(line, sizeof line, _("Advisories awaiting answers (%lld)"), (long long)s->advisories_total);
	heading(p, line);
	for (int i = 0; i < s->n_advisories; i++) {
		const struct dd_ho_advisory *o = &s->advisories[i];
		time_format_local(o->deadline_ms, tz, "%m-%d %H:%M", a, sizeof a);
		snprintf(line, sizeof line, _("%s %lld/%lld answered · deadline %s · %s"), advisory_level_label(o->level),
			 (long long)o->reported, (long long)o->recipients, a, o->title);
		put(p, 3, line, o->deadline_ms <= now ? ROLE_OVERDUE : ROLE_NORMAL);
	}
	more(p, s->n_advisories, s->advisories_total);
	snprintf(line, sizeof line, _("Calls not reached (%lld)"), (long long)s->calls_total);
	heading(p, line);
	for (int i = 0; i < s->n_calls; i++) {
		const struct dd_ho_call *o = &s->calls[i];
		time_format_local(o->at_ms, tz, "%H:%M", a, sizeof a);
		snprintf(line, sizeof line, "%s  %s  %s  %s  %s", a, o->callee_name[0] ? o->callee_name : o->callee,
			 o->liaison[0] ? o->liaison : "—", roster_call_result_label(o->result), o->officer);
		put(p, 3, line, ROLE_NORMAL);
	}
	more(p, s->n_calls, s->calls_total);
}

static void draw_document(struct pen *p)
{
	state_lines(p);
	summary_lines(p);
	const struct dd_handover *ho = shown();
	heading(p, h.draft ? _("Notes (draft)") : _("Notes"));
	if (h.draft)
		para(p, h.draft, ROLE_NORMAL);
	else if (ho)
		para(p, ho->notes, ROLE_NORMAL);
	else
		put(p, 3, _("None yet: press e to write them in the editor."), ROLE_DIM);
}

static void handover_draw(struct view *v)
{
	if (h.stale || !h.loaded || ui_now(v->ui) / 60000 != h.minute) {
		h.stale = false;
		load(v);
	}
	if (!h.loaded)
		return;
	struct pen p = { .v = v };
	draw_document(&p);
	h.lines = p.line;
	if (h.top > h.lines - v->height)
		h.top = h.lines - v->height;
	if (h.top < 0)
		h.top = 0;
	/* What does not fit is announced on the last line, or an officer
	 * takes the last item shown for the last of its list. */
	bool below = h.top + v->height < h.lines;
	p = (struct pen){ .v = v, .draw = true, .rows = below ? v->height - 1 : v->height };
	draw_document(&p);
	if (below) {
		char line[128];
		snprintf(line, sizeof line, _("↓ %d more lines below (Down, PgDn)"), h.lines - h.top - p.rows);
		draw_fill(v->y + v->height - 1, 0, v->width, ROLE_NORMAL);
		draw_text(v->y + v->height - 1, 1, line, v->width - 2, ROLE_DIM);
	}
}

static void handover_title(struct view *v, char *buf, size_t n)
{
	static const char *const states[] = { N_("draft"), N_("submitted"), N_("NOT ACCEPTED"), N_("accepted"),
					       N_("accepted with objections") };
	const struct dd_handover *ho = shown();
	enum dd_handover_state st = ho ? handover_state(v->ui->cfg, ho, ui_now(v->ui)) : DD_HO_DRAFT;
	snprintf(buf, n, _("Handover (交接班) · %s"), _(states[st]));
}

/* ---- actions ---------------------------------------------------------- */

static void edit_notes(struct view *v)
{
	struct ui *ui = v->ui;
	const struct dd_handover *ho = shown();
	if (ho && strcmp(ho->outgoing, ui->cfg->officer) != 0) {
		ui_status(ui, UI_ERROR, _("The handover of %s awaits acceptance: A accepts it"), ho->outgoing);
		return;
	}
	char *text = NULL;
	struct dd_error err = { 0 };
	if (editor_edit(ui, h.draft ? h.draft : ho ? ho->notes : "", &text, &err)) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	free(h.draft);
	h.draft = text;
	if (handover_draft_save(ui->cfg, text, &err))
		ui_status(ui, UI_ERROR, _("The draft is shown but not saved (%s): submit it before quitting"), err.msg);
	else
		ui_status(ui, UI_INFO, "%s", _("Notes kept as a draft: s submits the handover"));
}

static void submit_yes(struct ui *ui, const char *text, void *ctx)
{
	(void)text;
	struct view *v = ctx;
	const struct dd_handover *ho = shown();
	char id[DD_UUID_LEN + 1];
	struct dd_error err = { 0 };
	if (handover_submit(ui->st, ui->cfg, h.draft ? h.draft : ho ? ho->notes : "", ui_now(ui), id, &err)) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	free(h.draft);
	h.draft = NULL;
	handover_draft_clear(ui->cfg);
	bars_handover_changed();
	view_refresh_all();
	load(v);
	ui_status(ui, UI_INFO, _("Handover submitted by %s: the incoming officer accepts it with A"), ui->cfg->officer);
}

static void submit(struct view *v)
{
	struct ui *ui = v->ui;
	const struct dd_handover *ho = shown();
	if (!h.draft && !ho) {
		ui_status(ui, UI_ERROR, "%s", _("Write the notes first: e opens $EDITOR"));
		return;
	}
	prompt_confirm(ui, ho ? _("Submit the handover again, with a fresh summary? (y/n)")
			      : _("Submit the handover to the next shift? (y/n)"), submit_yes, v);
}

static void accept_as(struct ui *ui, const char *name, void *ctx)
{
	struct view *v = ctx;
	char id[DD_UUID_LEN + 1];
	struct dd_error err = { 0 };
	if (handover_accept(ui->st, ui->cfg, name, h.objection[0] ? h.objection : NULL, ui_now(ui), id, &err)) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	bars_handover_changed();
	view_refresh_all();
	load(v);
	ui_status(ui, UI_INFO, h.objection[0] ? _("Handover accepted by %s, with objections: %s is on duty")
					      : _("Handover accepted by %s: %s is on duty"), name, name);
	h.objection[0] = '\0';
}

static void ask_name(struct view *v)
{
	struct ui *ui = v->ui;
	const struct dd_handover *ho = shown();
	/* The console is usually the outgoing officer's: then the incoming
	 * one types their name. */
	const char *guess = ho && strcmp(ho->outgoing, ui->cfg->officer) != 0 ? ui->cfg->officer : "";
	prompt_open(ui, PROMPT_COMMAND, _("Incoming officer: "), guess, accept_as, v);
}

static void objection_given(struct ui *ui, const char *text, void *ctx)
{
	size_t n;
	char *clean = text_clean(text, strlen(text), &n);
	if (!clean || n == 0 || n > DD_HANDOVER_NOTES_MAX) {
		free(clean);
		ui_status(ui, UI_ERROR, "%s", _("An objection needs words; nothing was accepted"));
		return;
	}
	snprintf(h.objection, sizeof h.objection, "%s", clean);
	free(clean);
	ask_name(ctx);
}

static void accept(struct view *v, bool objecting)
{
	if (!shown()) {
		ui_status(v->ui, UI_ERROR, "%s", _("No handover awaits acceptance"));
		return;
	}
	h.objection[0] = '\0';
	if (objecting)
		prompt_open(v->ui, PROMPT_FILTER, _("Objections: "), "", objection_given, v);
	else
		ask_name(v);
}

static enum view_handled handover_key(struct view *v, int req)
{
	switch (req) {
	case REQ_MOVE_UP: h.top = h.top > 0 ? h.top - 1 : 0; break;
	case REQ_MOVE_DOWN: h.top++; break;
	case REQ_MOVE_PAGE_UP: h.top = h.top > v->height ? h.top - v->height : 0; break;
	/* One line less than a screen: the last line may be the "more
	 * below" one, and what it covered must come into view. */
	case REQ_MOVE_PAGE_DOWN: h.top += v->height > 1 ? v->height - 1 : 1; break;
	case REQ_MOVE_FIRST: h.top = 0; break;
	case REQ_MOVE_LAST: h.top = h.lines; break;
	case REQ_HANDOVER_NOTES: edit_notes(v); break;
	case REQ_HANDOVER_SUBMIT: submit(v); break;
	case REQ_HANDOVER_ACCEPT: accept(v, false); break;
	case REQ_HANDOVER_OBJECT: accept(v, true); break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void handover_refresh(struct view *v)
{
	(void)v;
	h.stale = true;
}

static void handover_open(struct view *v)
{
	h.top = 0;
	h.draft = handover_draft_load(v->ui->cfg);
	load(v);
}

static void handover_close(struct view *v)
{
	(void)v;
	free(h.hv);
	free(h.live);
	free(h.draft);
	memset(&h, 0, sizeof h);
}

static const int handover_hints[] = { REQ_HANDOVER_NOTES, REQ_HANDOVER_SUBMIT, REQ_HANDOVER_ACCEPT,
				      REQ_HANDOVER_OBJECT, REQ_BACK, 0 };

const struct view_ops handover_view_ops = {
	.name = "handover",
	.open = handover_open,
	.close = handover_close,
	.draw = handover_draw,
	.title = handover_title,
	.key = handover_key,
	.refresh = handover_refresh,
	.hints = handover_hints,
};
