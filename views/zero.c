/*
 * zero.c — the Zero checklist view (零报告): for one report slot of a
 * protection period, every org in this desk's sight as reported, late,
 * missing or pending, grouped by district, the districts with the most
 * missing orgs first and, inside each, missing orgs on top; counts at
 * the top.  `h` switches to the history grid (orgs × report slots,
 * one glyph a slot, the days above them); Enter shows an org's
 * liaisons, and so does `c` on a missing or late org; there `c` or
 * Enter records a chase call (call.h) to the liaison chosen, naming the
 * period and slot.  An org with no report shows the last call out to
 * it since the slot began (已催报 12:26 无人接听), from the calls the shift
 * log recorded.
 *
 * The period shown is the running one (zero reporting on) whose next
 * deadline comes first; `p` steps through the others in sight.  The
 * slot follows the clock (zero_current_slot) until the officer steps
 * with `[` and `]`; then it stays where it was put.
 *
 * Invariants: rows[0..n) are the checklist of (period, slot) as the
 * store gave it, in tree order; lines[] is the screen order of the rows
 * passing the filter, with a heading line before each district; sel is
 * an org line of lines[], or -1 exactly when there is none.  States are
 * worked out against the clock when built, and rebuilt when the clock
 * crosses the slot's due time (pending turns missing then), so the
 * order on screen is the state on screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/call.h"
#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/prompt.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"
#include "dutydesk/zeroclock.h"

#define MAX_PERIODS 16
#define MAX_LIAISONS 16
#define GRID_MAX_DAYS 62
#define MIN_MS INT64_C(60000)

struct row {
	char org[DD_ORG_ID_MAX + 1];
	char name[DD_NAME_MAX + 1];
	char district[DD_ORG_ID_MAX + 1];
	char by[129];
	char via[16];
	int64_t at_ms;            /* 0: no report */
	int n_reports;
	int64_t chased_ms;        /* the last call out since the slot began, 0 none */
	char chased_result[16];
	enum dd_zero_state state;
};

/* A line of the screen: a district heading (row -1) or an org. */
struct line {
	int row;
	int group;
};

struct group {
	char district[DD_ORG_ID_MAX + 1];
	char name[DD_NAME_MAX + 1];   /* the district office's name, or its id */
	int total, done, missing;
};

static struct {
	struct dd_period periods[MAX_PERIODS];
	int n_periods, cur;       /* cur -1: none running */
	int64_t slot;
	bool pinned;              /* the officer chose the slot */
	int64_t built_now;        /* the clock the states were worked out at */
	int64_t periods_minute;   /* the minute the periods were read in */
	bool stale;               /* the store changed since the last read */
	struct row *rows;
	int n, cap;
	bool oom;                 /* the last load ran out of memory: rows are partial */
	int counts[DD_ZERO_REPORTED + 1];
	struct group *groups;
	int n_groups;
	struct line *lines;
	int n_lines;
	char text[256];           /* the filter */
	int sel, top;
	/* the history grid */
	bool grid;
	bool grid_stale;
	int grid_days;             /* columns loaded */
	int64_t grid_day0;         /* local day number of the first column */
	int64_t *slots;            /* slots of the grid's days, ascending */
	int *slot_col;             /* the column (day) of each slot */
	int n_slots;
	unsigned char *cells;      /* n × n_slots states */
	/* the chase pane */
	bool chase;
	struct row chased;
	struct dd_liaison liaisons[MAX_LIAISONS];
	int n_liaisons, lsel;
} z;

static const char *state_label(enum dd_zero_state s)
{
	/* "on time", not "reported": the summary counts late ones as
	 * reported too, and an incident's status "reported" reads
	 * otherwise in Chinese. */
	static const char *const labels[] = { N_("missing"), N_("late"), N_("pending"), N_("on time") };
	return _(labels[s]);
}

static enum theme_role state_role(enum dd_zero_state s)
{
	static const enum theme_role roles[] = { ROLE_OVERDUE, ROLE_DUE_SOON, ROLE_DIM, ROLE_NORMAL };
	return roles[s];
}

/* The grid's glyph of a state; ASCII, so it reads without colour and in
 * any locale. */
static char state_glyph(enum dd_zero_state s)
{
	static const char glyphs[] = { 'X', '!', '?', '+' };
	return glyphs[s];
}

static const struct dd_period *period(void)
{
	return z.cur >= 0 ? &z.periods[z.cur] : NULL;
}

static const char *period_tz(const struct dd_period *p)
{
	return p->tz[0] ? p->tz : DD_DEFAULT_TZ;
}

static int64_t due_of(const struct dd_period *p, int64_t slot)
{
	return slot + p->grace_min * MIN_MS;
}

/* ---- loading -------------------------------------------------------------- */

struct period_scan {
	const char *viewer;
	int64_t now;
};

static int add_period(const struct dd_period *p, void *ctx)
{
	const struct period_scan *ps = ctx;
	if (z.n_periods < MAX_PERIODS && zero_period_running(p, ps->now) && zero_period_in_sight(p, ps->viewer))
		z.periods[z.n_periods++] = *p;
	return 0;
}

/* Reads the running periods; keeps the one shown when it still runs,
 * else shows the one due first. */
static void load_periods(struct view *v)
{
	char keep[DD_UUID_LEN + 1] = "";
	if (period())
		snprintf(keep, sizeof keep, "%s", period()->id);
	struct period_scan ps = { zero_viewer_scope(v->ui->cfg), ui_now(v->ui) };
	z.periods_minute = ps.now / MIN_MS;
	struct dd_error err = { 0 };
	z.n_periods = 0;
	if (store_period_scan(v->ui->st, false, ps.now, add_period, &ps, &err) != 0)
		ui_status(v->ui, UI_ERROR, _("reading the protection periods: %s"), err.msg);
	z.cur = -1;
	for (int i = 0; i < z.n_periods; i++)
		if (strcmp(z.periods[i].id, keep) == 0)
			z.cur = i;
	if (z.cur < 0) {
		z.pinned = false;
		z.cur = zero_period_shown(z.periods, z.n_periods, ps.now);
	}
}

static int add_row(const struct dd_zero_row *r, void *ctx)
{
	(void)ctx;
	if (z.n == z.cap) {
		int cap = z.cap ? 2 * z.cap : 256;
		struct row *rows = realloc(z.rows, (size_t)cap * sizeof *rows);
		if (!rows) {
			z.oom = true;
			return DD_ENOMEM;
		}
		z.rows = rows;
		z.cap = cap;
	}
	struct row *w = &z.rows[z.n++];
	snprintf(w->org, sizeof w->org, "%s", r->org);
	snprintf(w->name, sizeof w->name, "%s", r->org_name);
	snprintf(w->district, sizeof w->district, "%s", r->district);
	snprintf(w->by, sizeof w->by, "%s", r->by);
	snprintf(w->via, sizeof w->via, "%s", r->via);
	w->at_ms = r->id[0] ? r->at_ms : 0;
	w->n_reports = r->n_reports;
	w->chased_ms = 0;
	w->chased_result[0] = '\0';
	return 0;
}

/* The window a chase of the shown slot falls in: from the slot to the
 * next one. */
struct chase_window {
	struct row *row;
	int64_t from, until;
};

/* Calls come newest first: the first call out inside the window is the
 * one shown; one before the window ends the walk. */
static int note_chase(const struct dd_call *call, void *ctx)
{
	struct chase_window *w = ctx;
	if (call->at_ms < w->from)
		return 1;
	if (call->at_ms >= w->until || strcmp(call->direction, "out") != 0)
		return 0;
	w->row->chased_ms = call->at_ms;
	snprintf(w->row->chased_result, sizeof w->row->chased_result, "%s", call->result);
	return 1;
}

/* Marks the rows with no report that were called about it: one indexed
 * read of the org's newest calls each (16, plenty for the slot shown
 * unless it is far back), and only those rows. */
static void load_chases(struct view *v, const struct dd_period *p)
{
	struct chase_window w = { .from = z.slot, .until = INT64_MAX };
	int64_t next;
	if (zero_slot_step(p, z.slot, 1, &next) == 0)
		w.until = next;
	for (int i = 0; i < z.n; i++) {
		struct row *r = &z.rows[i];
		if (r->at_ms)
			continue;
		w.row = r;
		struct dd_error err = { 0 };
		if (store_call_scan(v->ui->st, r->org, 16, note_chase, &w, &err) != 0) {
			ui_status(v->ui, UI_ERROR, _("reading the calls: %s"), err.msg);
			return;
		}
	}
}

static bool matches(const struct row *r, const struct group *g)
{
	return !z.text[0] || strcasestr(r->name, z.text) || strcasestr(r->org, z.text) || strcasestr(g->name, z.text);
}

/* Works out every row's state at now, the groups and the screen order;
 * keeps the cursor on the same org when it is still shown.  Rows come in
 * tree order, so a district's rows are together and finding a row's
 * group looks at the last one first. */
static void build(struct view *v)
{
	const struct dd_period *p = period();
	char keep[DD_ORG_ID_MAX + 1] = "";
	if (z.sel >= 0 && z.sel < z.n_lines)
		snprintf(keep, sizeof keep, "%s", z.rows[z.lines[z.sel].row].org);
	z.built_now = ui_now(v->ui);
	memset(z.counts, 0, sizeof z.counts);
	free(z.groups);
	free(z.lines);
	size_t cap = (size_t)(z.n ? z.n : 1);
	z.groups = calloc(cap, sizeof *z.groups);
	z.lines = calloc(2 * cap + 1, sizeof *z.lines);
	int *group = malloc(cap * sizeof *group);
	size_t *order = malloc(cap * sizeof *order), *rank = malloc(cap * sizeof *rank);
	const char **districts = malloc(cap * sizeof *districts);
	enum dd_zero_state *states = malloc(cap * sizeof *states);
	struct group *ranked = calloc(cap, sizeof *ranked);
	z.n_groups = z.n_lines = 0;
	z.sel = -1;
	z.grid_stale = true;
	if (!z.groups || !z.lines || !group || !rank || !order || !districts || !states || !ranked) {
		free(group);
		free(rank);
		free(order);
		free(districts);
		free(states);
		free(ranked);
		z.n_lines = 0;
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	for (int i = 0; i < z.n; i++) {
		struct row *r = &z.rows[i];
		r->state = zero_state_of(p, z.slot, r->at_ms, z.built_now);
		z.counts[r->state]++;
		int gi = z.n_groups - 1;
		if (gi < 0 || strcmp(z.groups[gi].district, r->district) != 0)
			for (gi = 0; gi < z.n_groups && strcmp(z.groups[gi].district, r->district) != 0; gi++)
				;
		struct group *g = &z.groups[gi];
		if (gi == z.n_groups) {
			z.n_groups++;
			snprintf(g->district, sizeof g->district, "%s", r->district);
			/* A desk below the district has no row of the office. */
			struct dd_org org;
			struct dd_error err = { 0 };
			snprintf(g->name, sizeof g->name, "%s",
				 !r->district[0] ? "—"
				 : store_org_get(v->ui->st, r->district, &org, &err) == 0 ? org.name : r->district);
		}
		group[i] = gi;
		districts[i] = r->district;
		states[i] = r->state;
		g->total++;
		g->done += r->state == DD_ZERO_REPORTED || r->state == DD_ZERO_LATE;
		g->missing += r->state == DD_ZERO_MISSING;
	}
	/* The order `zero status` prints too; rank[i] is row i's district's
	 * place, and the groups are put in that order. */
	if (zero_checklist_order(districts, states, (size_t)z.n, order, rank) != 0) {
		z.n = 0;
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
	}
	for (int i = 0; i < z.n; i++)
		ranked[rank[i]] = z.groups[group[i]];
	memcpy(z.groups, ranked, (size_t)z.n_groups * sizeof *z.groups);
	int last = -1;
	for (int k = 0; k < z.n; k++) {
		int i = (int)order[k], gi = (int)rank[i];
		if (!matches(&z.rows[i], &z.groups[gi]))
			continue;
		if (gi != last)
			z.lines[z.n_lines++] = (struct line){ -1, gi };
		last = gi;
		z.lines[z.n_lines++] = (struct line){ i, gi };
		if (z.sel < 0 || strcmp(z.rows[i].org, keep) == 0)
			z.sel = z.n_lines - 1;
	}
	free(group);
	free(rank);
	free(order);
	free(districts);
	free(states);
	free(ranked);
}

/* Reads the checklist of the period and slot shown. */
static void load(struct view *v)
{
	z.n = 0;
	const struct dd_period *p = period();
	if (!p) {
		build(v);
		return;
	}
	if (!z.pinned && zero_current_slot(p, ui_now(v->ui), &z.slot) != 0)
		z.slot = p->start_ms;
	struct dd_error err = { 0 };
	z.oom = false;
	if (store_zero_checklist(v->ui->st, p->id, z.slot, zero_viewer_scope(v->ui->cfg), add_row, NULL, &err) != 0)
		ui_status(v->ui, UI_ERROR, _("reading the zero checklist: %s"), err.msg);
	else if (z.oom)
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
	else
		load_chases(v, p);
	build(v);
}

/* ---- the history grid ------------------------------------------------------ */

static int cmp_org(const void *a, const void *b)
{
	return strcmp(z.rows[*(const int *)a].org, z.rows[*(const int *)b].org);
}

static int cmp_slot(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

struct history {
	int *by_org;               /* row indexes sorted by org id */
	int64_t now;
};

static int mark_report(const char *org, int64_t slot, int64_t at, void *ctx)
{
	struct history *h = ctx;
	int lo = 0, hi = z.n - 1, row = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(z.rows[h->by_org[mid]].org, org);
		if (c == 0) {
			row = h->by_org[mid];
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	int64_t *s = bsearch(&slot, z.slots, (size_t)z.n_slots, sizeof *z.slots, cmp_slot);
	if (row >= 0 && s)
		z.cells[(size_t)row * (size_t)z.n_slots + (size_t)(s - z.slots)] =
			(unsigned char)zero_state_of(period(), slot, at, h->now);
	return 0;
}

/* Loads days columns ending with the shown slot's day (not before the
 * period's first day): the slots of those days and each org's state in
 * each of them. */
static void load_grid(struct view *v, int days)
{
	const struct dd_period *p = period();
	const char *tz = period_tz(p);
	free(z.slots);
	free(z.slot_col);
	free(z.cells);
	z.slots = NULL;
	z.slot_col = NULL;
	z.cells = NULL;
	z.n_slots = 0;
	z.grid_days = days;
	z.grid_stale = false;
	int64_t last = time_local_day(z.slot, tz), first_day = time_local_day(p->start_ms, tz);
	z.grid_day0 = last - days + 1 < first_day ? first_day : last - days + 1;
	if (days <= 0)
		return;
	int cap = (days + 1) * (p->n_times ? p->n_times : 1);
	z.slots = calloc((size_t)cap, sizeof *z.slots);
	z.slot_col = calloc((size_t)cap, sizeof *z.slot_col);
	if (!z.slots || !z.slot_col) {
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	int64_t s;
	if (zero_next_deadline(p, p->start_ms, &s) == 0) {
		/* Steps back from the shown slot to the first of day0, then on. */
		while (time_local_day(s, tz) < z.grid_day0 && zero_slot_step(p, s, 1, &s) == 0)
			;
		while (z.n_slots < cap && time_local_day(s, tz) >= z.grid_day0 && time_local_day(s, tz) <= last) {
			z.slot_col[z.n_slots] = (int)(time_local_day(s, tz) - z.grid_day0);
			z.slots[z.n_slots++] = s;
			if (zero_slot_step(p, s, 1, &s) != 0)
				break;
		}
	}
	struct history h = { .by_org = malloc((size_t)(z.n ? z.n : 1) * sizeof(int)), .now = ui_now(v->ui) };
	z.cells = malloc((size_t)(z.n ? z.n : 1) * (size_t)(z.n_slots ? z.n_slots : 1));
	if (!h.by_org || !z.cells) {
		free(h.by_org);
		ui_status(v->ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	for (int i = 0; i < z.n; i++) {
		h.by_org[i] = i;
		for (int k = 0; k < z.n_slots; k++)
			z.cells[(size_t)i * (size_t)z.n_slots + (size_t)k] =
				(unsigned char)zero_state_of(p, z.slots[k], 0, h.now);
	}
	qsort(h.by_org, (size_t)z.n, sizeof *h.by_org, cmp_org);
	struct dd_error err = { 0 };
	if (z.n_slots && store_zero_history(v->ui->st, p->id, z.slots[0], z.slots[z.n_slots - 1] + 1,
					    zero_viewer_scope(v->ui->cfg), mark_report, &h, &err) != 0)
		ui_status(v->ui, UI_ERROR, _("reading the zero-report history: %s"), err.msg);
	free(h.by_org);
}

/* ---- drawing ------------------------------------------------------------- */

/* The rows under the headings: two in the list (counts, columns),
 * three in the grid (legend, days, report times). */
static int list_rows(const struct view *v)
{
	int above = z.grid && !z.chase ? 3 : 2;
	return v->height > above ? v->height - above : 1;
}

static void ensure_visible(struct view *v)
{
	int h = list_rows(v);
	if (z.sel < 0)
		return;
	/* Its district's heading stays in sight with the first org. */
	int want_top = z.sel > 0 && z.lines[z.sel - 1].row < 0 ? z.sel - 1 : z.sel;
	if (want_top < z.top)
		z.top = want_top;
	else if (z.sel >= z.top + h)
		z.top = z.sel - h + 1;
	if (z.top > z.n_lines - h)
		z.top = z.n_lines - h > 0 ? z.n_lines - h : 0;
	if (z.top > want_top)
		z.top = want_top;
}

static void draw_centred(struct view *v, int y, const char *msg, enum theme_role role)
{
	int w = text_width(msg);
	draw_text(y, w < v->width ? (v->width - w) / 2 : 0, msg, v->width, role);
}

static void draw_empty(struct view *v)
{
	int y = v->y + v->height / 2 - 2;
	draw_centred(v, y, _("No protection period (重保) with zero reporting is running."), ROLE_NORMAL);
	draw_centred(v, y + 2, _("The commission or the centre starts one with"), ROLE_DIM);
	draw_centred(v, y + 3, "dutydesk period new NAME --start … --end … --scope cq --times 16:00 --rules zero", ROLE_LABEL);
}

static void draw_counts(struct view *v)
{
	char buf[512], due[32], left[32];
	int done = z.counts[DD_ZERO_REPORTED] + z.counts[DD_ZERO_LATE];
	snprintf(buf, sizeof buf, _("%d / %d reported · %d missing · %d late · %d pending"), done, z.n,
		 z.counts[DD_ZERO_MISSING], z.counts[DD_ZERO_LATE], z.counts[DD_ZERO_PENDING]);
	draw_fill(v->y, 0, v->width, ROLE_NORMAL);
	int x = 1 + draw_text(v->y, 1, buf, v->width - 2, z.counts[DD_ZERO_MISSING] ? ROLE_OVERDUE : ROLE_NORMAL);
	const struct dd_period *p = period();
	int64_t d = due_of(p, z.slot), now = ui_now(v->ui);
	time_format_local(d, v->ui->cfg->timezone, "%H:%M", due, sizeof due);
	if (now <= d) {
		zero_countdown(d - now, left, sizeof left);
		snprintf(buf, sizeof buf, _("closes %s (in %s)"), due, left);
	} else {
		snprintf(buf, sizeof buf, _("closed %s"), due);
	}
	if (x + 2 + text_width(buf) < v->width)
		draw_right(v->y, v->width - 1, buf, v->width - x - 3, ROLE_TIME);
}

struct columns {
	int state, name, id, at, who;
};

static void layout(const struct view *v, struct columns *c)
{
	c->state = 0;
	for (int s = DD_ZERO_MISSING; s <= DD_ZERO_REPORTED; s++)
		if (text_width(state_label((enum dd_zero_state)s)) > c->state)
			c->state = text_width(state_label((enum dd_zero_state)s));
	c->at = 11;
	c->who = v->width >= 120 ? 30 : 18;
	c->id = v->width >= 120 ? 32 : 0;
	c->name = v->width - (2 + c->state + 1 + c->at + 1 + c->who + 1 + (c->id ? c->id + 1 : 0)) - 1;
	/* A wide screen gives what a name does not need to who reported. */
	if (c->name > 48) {
		c->who += c->name - 48;
		c->name = 48;
	}
}

static void draw_header(struct view *v, const struct columns *c)
{
	int y = v->y + 1, x = 2;
	draw_fill(y, 0, v->width, ROLE_LABEL);
	x += draw_pad(y, x, _("State"), c->state, ROLE_LABEL) + 1;
	x += draw_pad(y, x, _("Org"), c->name, ROLE_LABEL) + 1;
	if (c->id)
		x += draw_pad(y, x, _("Org id"), c->id, ROLE_LABEL) + 1;
	/* When the report came in: the slot it was for is in the title. */
	x += draw_pad(y, x, _("Received"), c->at, ROLE_LABEL) + 1;
	draw_pad(y, x, _("By"), c->who, ROLE_LABEL);
}

static void draw_heading(struct view *v, int y, const struct group *g)
{
	char buf[600];
	snprintf(buf, sizeof buf, _("%s · %d / %d reported · %d missing"), g->name, g->done, g->total, g->missing);
	draw_fill(y, 0, v->width, ROLE_NORMAL);
	draw_text(y, 1, buf, v->width - 2, ROLE_HELP_GROUP);
}

static const char *via_label(const char *via)
{
	if (strcmp(via, "console") == 0)
		return _("console");
	if (strcmp(via, "phone") == 0)
		return _("by phone");
	return _("CLI");
}

static void draw_org(struct view *v, int y, int li, const struct columns *c)
{
	const struct row *r = &z.rows[z.lines[li].row];
	bool selected = li == z.sel;
	enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
	draw_fill(y, 0, v->width, base);
	int x = 2;
	x += draw_pad(y, x, state_label(r->state), c->state, selected ? base : state_role(r->state)) + 1;
	x += draw_pad(y, x, r->name, c->name, base) + 1;
	if (c->id)
		x += draw_pad(y, x, r->org, c->id, selected ? base : ROLE_DIM) + 1;
	char at[32] = "—", who[300] = "";
	if (!r->at_ms && r->chased_ms) {
		/* No report to show: the chase takes both columns. */
		char when[16];
		time_format_local(r->chased_ms, v->ui->cfg->timezone, "%H:%M", when, sizeof when);
		snprintf(who, sizeof who, _("chased %s %s"), when, call_result_label(r->chased_result));
		draw_pad(y, x, who, c->at + 1 + c->who, selected ? base : ROLE_DUE_SOON);
		return;
	}
	if (r->at_ms) {
		time_format_local(r->at_ms, v->ui->cfg->timezone, "%m-%d %H:%M", at, sizeof at);
		snprintf(who, sizeof who, "%s · %s%s", via_label(r->via), r->by, r->n_reports > 1 ? _(" (corrected)") : "");
	}
	x += draw_pad(y, x, at, c->at, selected ? base : ROLE_TIME) + 1;
	draw_pad(y, x, who, c->who, base);
}

static void draw_list(struct view *v)
{
	struct columns c;
	layout(v, &c);
	draw_header(v, &c);
	ensure_visible(v);
	int h = list_rows(v);
	for (int i = 0; i < h && z.top + i < z.n_lines; i++) {
		int li = z.top + i, y = v->y + 2 + i;
		if (z.lines[li].row < 0)
			draw_heading(v, y, &z.groups[z.lines[li].group]);
		else
			draw_org(v, y, li, &c);
	}
	if (z.n_lines == 0)
		draw_centred(v, v->y + v->height / 2,
			     z.text[0] ? _("No org matches the filter. Press Esc to clear it.")
				       : _("No org in this desk's sight is in the period's scope."), ROLE_DIM);
}

static int grid_label(const struct view *v)
{
	return v->width >= 120 ? 30 : 22;
}

/* A column a report time: "16" under its day when every time is on the
 * hour, else "16:30". */
static int grid_cell_width(const struct dd_period *p)
{
	for (int i = 0; i < p->n_times; i++)
		if (p->times_min[i] % 60)
			return 6;
	return 3;
}

static void draw_grid(struct view *v)
{
	const struct dd_period *p = period();
	int label = grid_label(v), cell = grid_cell_width(p), per_day = p->n_times > 0 ? p->n_times : 1;
	int days = zero_grid_days(v->width - 1, label, cell * per_day, GRID_MAX_DAYS);
	if (z.grid_stale || days != z.grid_days)
		load_grid(v, days);
	const char *tz = period_tz(p);
	/* The legend; then the days above their report times, the times
	 * above their columns: one glyph is one org at one report time. */
	char legend[300];
	snprintf(legend, sizeof legend, _("%c on time  %c late  %c missing  %c pending · a column per report time"),
		 state_glyph(DD_ZERO_REPORTED), state_glyph(DD_ZERO_LATE), state_glyph(DD_ZERO_MISSING),
		 state_glyph(DD_ZERO_PENDING));
	draw_fill(v->y, 0, v->width, ROLE_NORMAL);
	draw_text(v->y, 1, legend, v->width - 2, ROLE_DIM);
	draw_fill(v->y + 1, 0, v->width, ROLE_LABEL);
	draw_fill(v->y + 2, 0, v->width, ROLE_LABEL);
	draw_pad(v->y + 1, 1, _("Day"), label, ROLE_LABEL);
	draw_pad(v->y + 2, 1, _("Org / report time"), label, ROLE_LABEL);
	int x0 = 1 + label + 1;
	for (int k = 0; k < z.n_slots; k++) {
		char text[16];
		if (k == 0 || z.slot_col[k] != z.slot_col[k - 1]) {
			int span = 0;
			while (k + span < z.n_slots && z.slot_col[k + span] == z.slot_col[k])
				span++;
			time_format_local(z.slots[k], tz, span * cell > 5 ? "%m-%d" : "%d", text, sizeof text);
			draw_text(v->y + 1, x0 + k * cell, text, span * cell, ROLE_LABEL);
		}
		time_format_local(z.slots[k], tz, cell > 3 ? "%H:%M" : "%H", text, sizeof text);
		draw_text(v->y + 2, x0 + k * cell, text, cell, ROLE_LABEL);
	}
	ensure_visible(v);
	int h = list_rows(v);
	for (int i = 0; i < h && z.top + i < z.n_lines; i++) {
		int li = z.top + i, y = v->y + 3 + i;
		if (z.lines[li].row < 0) {
			const struct group *g = &z.groups[z.lines[li].group];
			draw_fill(y, 0, v->width, ROLE_NORMAL);
			draw_text(y, 1, g->name, v->width - 2, ROLE_HELP_GROUP);
			continue;
		}
		bool selected = li == z.sel;
		enum theme_role base = selected ? ROLE_SELECTION : ROLE_NORMAL;
		const struct row *r = &z.rows[z.lines[li].row];
		draw_fill(y, 0, v->width, base);
		draw_pad(y, 1, r->name, label, base);
		for (int k = 0; k < z.n_slots && z.cells; k++) {
			int s = z.cells[(size_t)z.lines[li].row * (size_t)z.n_slots + (size_t)k];
			char g[2] = { state_glyph((enum dd_zero_state)s), '\0' };
			draw_text(y, x0 + k * cell, g, 1, selected ? base : state_role((enum dd_zero_state)s));
		}
	}
}

static void draw_chase(struct view *v)
{
	const struct row *r = &z.chased;
	char buf[800], slot[32];
	time_format_local(z.slot, v->ui->cfg->timezone, "%m-%d %H:%M", slot, sizeof slot);
	int y = v->y;
	snprintf(buf, sizeof buf, "%s (%s) · %s · %s", r->name, r->org, state_label(r->state), slot);
	draw_text(y++, 1, buf, v->width - 2, state_role(r->state));
	y++;
	draw_text(y++, 1, _("Liaisons (联络员)"), v->width - 2, ROLE_HELP_GROUP);
	int role_w = text_width(roster_role_label("contact"));
	for (int i = 0; i < z.n_liaisons && y < v->y + v->height - 2; i++, y++) {
		const struct dd_liaison *l = &z.liaisons[i];
		enum theme_role base = i == z.lsel ? ROLE_SELECTION : ROLE_NORMAL;
		draw_fill(y, 0, v->width, base);
		int x = 3;
		x += draw_pad(y, x, roster_role_label(l->role), role_w, i == z.lsel ? base : ROLE_LABEL) + 1;
		x += draw_pad(y, x, l->name, 16, base) + 1;
		x += draw_pad(y, x, l->mobile[0] ? l->mobile : "—", 14, l->mobile[0] || i == z.lsel ? base : ROLE_ERROR) + 1;
		draw_pad(y, x, l->office, v->width - x - 1 > 0 ? v->width - x - 1 : 0, base);
	}
	if (z.n_liaisons == 0)
		draw_text(y++, 3, _("No liaison is recorded for this org: the call is logged against the org."),
			  v->width - 4, ROLE_ERROR);
	draw_text(v->y + v->height - 1, 1, _("c or Enter: record a chase call to the selected liaison · q: back"),
		  v->width - 2, ROLE_DIM);
}

static void reload(struct view *v);

static void zero_draw(struct view *v)
{
	/* Periods start and end by the clock, not only by a write. */
	if (z.stale || ui_now(v->ui) / MIN_MS != z.periods_minute)
		reload(v);
	const struct dd_period *p = period();
	if (!p) {
		draw_empty(v);
		return;
	}
	int64_t now = ui_now(v->ui), s;
	/* The clock moves the screen: the next slot opens, or a due time
	 * passes and pending orgs turn missing. */
	if (!z.pinned && zero_current_slot(p, now, &s) == 0 && s != z.slot)
		load(v);
	else if ((z.built_now <= due_of(p, z.slot)) != (now <= due_of(p, z.slot)))
		build(v);
	if (z.chase) {
		draw_chase(v);
		return;
	}
	if (z.grid) {
		draw_grid(v);
		return;
	}
	draw_counts(v);
	draw_list(v);
}

static void zero_title(struct view *v, char *buf, size_t n)
{
	const struct dd_period *p = period();
	if (!p) {
		snprintf(buf, n, "%s", _("Zero reports (零报告)"));
		return;
	}
	char slot[32];
	time_format_local(z.slot, v->ui->cfg->timezone, "%m-%d %H:%M", slot, sizeof slot);
	int len = snprintf(buf, n, z.grid ? _("Zero reports (零报告) · %s · history to %s") : _("Zero reports (零报告) · %s · slot %s"),
			   p->name, slot);
	if (z.n_periods > 1 && len > 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, _(" · period %d of %d"), z.cur + 1, z.n_periods);
	if (z.text[0] && len > 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, _(" · filter: \"%s\""), z.text);
}

/* ---- the chase call ---------------------------------------------------------- */

static int add_liaison(const struct dd_liaison *l, void *ctx)
{
	(void)ctx;
	if (z.n_liaisons < MAX_LIAISONS)
		z.liaisons[z.n_liaisons++] = *l;
	return 0;
}

static void open_chase(struct view *v)
{
	if (z.sel < 0)
		return;
	z.chased = z.rows[z.lines[z.sel].row];
	z.n_liaisons = z.lsel = 0;
	struct dd_contact_filter f;
	roster_contact_filter_init(&f);
	f.org = z.chased.org;
	struct dd_error err = { 0 };
	if (store_contact_scan(v->ui->st, &f, NULL, false, MAX_LIAISONS, add_liaison, NULL, &err) != 0)
		ui_status(v->ui, UI_ERROR, _("reading the roster: %s"), err.msg);
	z.chase = true;
}

static void chase_call(struct view *v)
{
	const struct row *r = &z.chased;
	if (r->state != DD_ZERO_MISSING && r->state != DD_ZERO_LATE) {
		ui_status(v->ui, UI_INFO, _("%s is %s for this slot: nothing to chase."), r->name, state_label(r->state));
		return;
	}
	const struct dd_period *p = period();
	char slot[32], about[512];
	time_format_local(z.slot, v->ui->cfg->timezone, "%m-%d %H:%M", slot, sizeof slot);
	snprintf(about, sizeof about, _("chasing the zero report of period %s, slot %s"), p->name, slot);
	const struct dd_liaison *l = z.n_liaisons ? &z.liaisons[z.lsel] : NULL;
	call_start(v->ui, &(struct call_start){ .org = r->org, .who = l, .name = l ? l->name : r->name, .about = about });
}

/* ---- keys --------------------------------------------------------------------- */

static void move_sel(struct view *v, int delta)
{
	if (z.sel < 0)
		return;
	int step = delta < 0 ? -1 : 1, left = delta < 0 ? -delta : delta, at = z.sel;
	for (int i = z.sel + step; i >= 0 && i < z.n_lines && left > 0; i += step)
		if (z.lines[i].row >= 0) {
			at = i;
			left--;
		}
	z.sel = at;
	ensure_visible(v);
}

static void filter_changed(struct ui *ui, const char *text, void *ctx)
{
	(void)ui;
	snprintf(z.text, sizeof z.text, "%s", text);
	z.top = 0;
	build(ctx);
}

static void step_slot(struct view *v, int dir)
{
	int64_t s;
	if (zero_slot_step(period(), z.slot, dir, &s) != 0) {
		ui_status(v->ui, UI_INFO, "%s", dir < 0 ? _("This is the period's first report slot.")
						 : _("This is the period's last report slot."));
		return;
	}
	z.slot = s;
	z.pinned = true;
	/* Another slot is another list: it starts at the top. */
	z.sel = -1;
	z.top = 0;
	load(v);
}

static enum view_handled chase_key(struct view *v, int req)
{
	switch (req) {
	case REQ_BACK:
	case REQ_FILTER_CLEAR: z.chase = false; break;
	case REQ_MOVE_UP: if (z.lsel > 0) z.lsel--; break;
	case REQ_MOVE_DOWN: if (z.lsel + 1 < z.n_liaisons) z.lsel++; break;
	case REQ_OPEN:
	case REQ_CALL: chase_call(v); break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static enum view_handled zero_key(struct view *v, int req)
{
	if (!period())
		return VIEW_IGNORED;
	if (z.chase)
		return chase_key(v, req);
	int page = list_rows(v) > 1 ? list_rows(v) - 1 : 1;
	switch (req) {
	case REQ_MOVE_UP: move_sel(v, -1); break;
	case REQ_MOVE_DOWN: move_sel(v, 1); break;
	case REQ_MOVE_PAGE_UP: move_sel(v, -page); break;
	case REQ_MOVE_PAGE_DOWN: move_sel(v, page); break;
	case REQ_MOVE_FIRST: move_sel(v, -z.n_lines); break;
	case REQ_MOVE_LAST: move_sel(v, z.n_lines); break;
	case REQ_OPEN: open_chase(v); break;
	case REQ_CALL:
		/* The liaisons first: the officer picks whom to call, and the
		 * questions open only from there, so no key typed on the way
		 * lands in them. */
		if (z.sel < 0)
			break;
		z.chased = z.rows[z.lines[z.sel].row];
		if (z.chased.state == DD_ZERO_MISSING || z.chased.state == DD_ZERO_LATE)
			open_chase(v);
		else
			chase_call(v);
		break;
	case REQ_ZERO_PREV: step_slot(v, -1); break;
	case REQ_ZERO_NEXT: step_slot(v, 1); break;
	case REQ_ZERO_PERIOD:
		if (z.n_periods > 1) {
			z.cur = (z.cur + 1) % z.n_periods;
			z.pinned = false;
			z.top = 0;
			z.sel = -1;
			load(v);
		} else {
			ui_status(v->ui, UI_INFO, "%s", _("No other protection period is running in sight."));
		}
		break;
	case REQ_ZERO_GRID:
		z.grid = !z.grid;
		z.grid_stale = true;
		break;
	case REQ_FILTER:
		prompt_open_live(v->ui, _("Filter (org, id, district): "), z.text, filter_changed, filter_changed, v);
		break;
	case REQ_FILTER_CLEAR:
		if (!z.text[0])
			return VIEW_IGNORED;
		filter_changed(v->ui, "", v);
		ui_status(v->ui, UI_INFO, "%s", _("Filter cleared."));
		break;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void zero_click(struct view *v, int row)
{
	int above = z.grid ? 3 : 2, i = z.top + row - above;
	if (z.chase || row < above || i >= z.n_lines || z.lines[i].row < 0)
		return;
	z.sel = i;
	ensure_visible(v);
}

/* Reads everything again; the store's changes only mark it stale (see
 * zero_refresh), so a busy store costs nothing while another view shows. */
static void reload(struct view *v)
{
	z.stale = false;
	load_periods(v);
	load(v);
	if (z.chase)
		for (int i = 0; i < z.n; i++)
			if (strcmp(z.rows[i].org, z.chased.org) == 0)
				z.chased.state = z.rows[i].state;
}

static void zero_refresh(struct view *v)
{
	(void)v;
	z.stale = true;
}

static void zero_open(struct view *v)
{
	memset(&z, 0, sizeof z);
	z.cur = -1;
	z.sel = -1;
	reload(v);
}

static void zero_close(struct view *v)
{
	(void)v;
	free(z.rows);
	free(z.groups);
	free(z.lines);
	free(z.slots);
	free(z.slot_col);
	free(z.cells);
	memset(&z, 0, sizeof z);
}

static const int zero_hints[] = { REQ_CALL, REQ_ZERO_GRID, REQ_ZERO_PREV, REQ_ZERO_PERIOD, REQ_FILTER, 0 };

const struct view_ops zero_view_ops = {
	.name = "zero",
	.open = zero_open,
	.close = zero_close,
	.draw = zero_draw,
	.title = zero_title,
	.key = zero_key,
	.refresh = zero_refresh,
	.click = zero_click,
	.hints = zero_hints,
};
