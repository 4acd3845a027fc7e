/*
 * bars.c — the top bar, the view title line and the bottom bar.
 *
 * The top bar is built from parts with priorities and, when the terminal
 * is narrow, drops the least important parts whole rather than cutting
 * them mid-word: the clock and any banner (重保 with the countdown to the
 * next zero-report time, DRILL) always stay, then
 * the sync state, then the officer on duty, the leader and the shift
 * (the shift goes first), then the org.  The officer is who the desk org's schedule says is on
 * duty now (store_duty_at) with the 带班领导; with no shift recorded, the
 * officer this console is configured for; an accepted handover
 * (handover.h) overrides both: its incoming officer is on duty.  A
 * handover not accepted in time is a warning that always stays.  The
 * sync state tells the truth, as the sync thread last saw it (sync.h):
 * live, behind N, offline since HH:MM, refused, and how many of this
 * console's entries the server does not have yet; "no server" when none
 * is configured, "offline" when one is but sync is not running.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/bars.h"
#include "dutydesk/handover.h"
#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/roster.h"
#include "dutydesk/sync.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zeroremind.h"

#define MAX_PARTS 10

struct part {
	char text[320];
	enum theme_role role;
	int prio;          /* 0 always shown; larger goes first when narrow */
};

static int add_part(struct part *parts, int n, enum theme_role role, int prio, const char *text)
{
	if (n >= MAX_PARTS || !text[0])
		return n;
	snprintf(parts[n].text, sizeof parts[n].text, "%s", text);
	parts[n].role = role;
	parts[n].prio = prio;
	return n + 1;
}

/* The current shift as "Shift 11-26 08:30–11-27 08:30": it began at the
 * latest shift_start not after now and runs to the next one.  Worked out
 * once a minute: it is the costliest part of a redraw otherwise. */
static void shift_text(struct ui *ui, int64_t now, char *buf, size_t n)
{
	static int64_t minute = -1;
	static char cached[128];
	if (now / 60000 == minute) {
		snprintf(buf, n, "%s", cached);
		return;
	}
	minute = now / 60000;
	const char *tz = ui->cfg->timezone;
	int64_t start, end;
	char spec[32];
	buf[0] = cached[0] = '\0';
	if (time_parse(ui->cfg->shift_start, now, tz, &start, NULL) != 0)
		return;
	if (start > now) {
		snprintf(spec, sizeof spec, "yesterday %s", ui->cfg->shift_start);
		if (time_parse(spec, now, tz, &start, NULL) != 0)
			return;
	}
	/* 25 h on, the latest shift_start is the next day's, DST or not. */
	if (time_parse(ui->cfg->shift_start, start + 25 * 3600 * 1000LL, tz, &end, NULL) != 0)
		return;
	char a[32], b[32];
	time_format_local(start, tz, "%m-%d %H:%M", a, sizeof a);
	time_format_local(end, tz, "%m-%d %H:%M", b, sizeof b);
	snprintf(cached, sizeof cached, _("Shift %s–%s"), a, b);
	snprintf(buf, n, "%s", cached);
}

/* The handover's part of the bar: who took the duty by an accepted
 * handover, and the outgoing officer of one not accepted in time (shown
 * on every console of the org, so both officers see it).  Read again only
 * when the store changed or a minute passed: a handover row is large. */
static struct {
	int64_t version, minute;
	char took[DD_PERSON_MAX + 1];
	char late[DD_PERSON_MAX + 1];
} ho = { .version = -1 };

void bars_handover_changed(void)
{
	ho.version = -1;
}

static void handover_read(struct ui *ui, int64_t now)
{
	if (ui->data_version == ho.version && now / 60000 == ho.minute)
		return;
	ho.version = ui->data_version;
	ho.minute = now / 60000;
	ho.took[0] = ho.late[0] = '\0';
	struct dd_handover *h = malloc(sizeof *h);
	struct dd_error err = { 0 };
	if (h && store_handover_latest(ui->st, ui->cfg->org, false, h, &err) == 0 &&
	    handover_state(ui->cfg, h, now) == DD_HO_OVERDUE)
		snprintf(ho.late, sizeof ho.late, "%s", h->outgoing);
	free(h);
	handover_on_duty(ui->st, ui->cfg, now, ho.took, &err);
}

/* Who is on duty now at the desk's org, and their leader, from the
 * schedule: officers of every post in force, joined with "、"; the
 * configured officer when no shift holds now (or the schedule cannot be
 * read: the bar must still draw). */
static void duty_text(struct ui *ui, int64_t now, char *officer, size_t on, char *leader, size_t ln)
{
	struct dd_shift shifts[2];
	struct dd_error err = { 0 };
	int n = 0;
	leader[0] = '\0';
	/* An accepted handover decides who holds the duty now, whatever the
	 * schedule planned (a swap at the desk, a late relief). */
	handover_read(ui, now);
	if (store_duty_at(ui->st, ui->cfg->org, now, shifts, 2, &n, &err) != 0)
		n = 0;
	if (n == 0 && !ho.took[0]) {
		snprintf(officer, on, "%s", ui->cfg->officer);
		return;
	}
	char names[256] = "";
	size_t len = 0;
	if (ho.took[0])
		snprintf(names, sizeof names, "%s", ho.took);
	for (int i = 0; i < n && !ho.took[0]; i++)
		for (int k = 0; k < shifts[i].n_officers && len < sizeof names; k++)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? "、" : "",
						shifts[i].officers[k]);
	snprintf(officer, on, _("On duty %s"), names[0] ? names : "—");
	for (int i = 0; i < n && !leader[0]; i++)
		if (shifts[i].leader[0])
			snprintf(leader, ln, _("Leader %s"), shifts[i].leader);
}

static enum theme_role sync_text(struct ui *ui, char *buf, size_t n)
{
	if (!ui->cfg->server_url[0] || !ui->sync) {
		snprintf(buf, n, "%s", ui->cfg->server_url[0] ? _("offline") : _("no server"));
		return ROLE_SYNC;
	}
	struct dd_sync_status st;
	sync_status(ui->sync, &st);
	char when[16] = "";
	switch (st.state) {
	case DD_SYNC_STARTING: snprintf(buf, n, "%s", _("connecting")); break;
	case DD_SYNC_LIVE: snprintf(buf, n, "%s", _("live")); break;
	case DD_SYNC_BEHIND: snprintf(buf, n, _("behind %lld"), (long long)st.behind); break;
	case DD_SYNC_OFFLINE:
		time_format_local(st.offline_since_ms, ui->cfg->timezone, "%H:%M", when, sizeof when);
		snprintf(buf, n, _("offline since %s"), when);
		break;
	case DD_SYNC_REFUSED: snprintf(buf, n, "%s", _("sync refused")); break;
	}
	if (st.unsent > 0)
		snprintf(buf + strlen(buf), n - strlen(buf), _(" · %lld unsent"), (long long)st.unsent);
	return st.state == DD_SYNC_OFFLINE || st.state == DD_SYNC_REFUSED ? ROLE_ERROR : ROLE_SYNC;
}

void bars_draw_top(struct ui *ui, int y, int cols)
{
	struct part parts[MAX_PARTS];
	char buf[320];
	int n = 0;
	int64_t now = ui_now(ui);

	/* TRANSLATORS: a strftime() format for the clock; keep it short.
	 * xgettext:no-c-format */
	time_format_local(now, ui->cfg->timezone, _("%a %m-%d %H:%M:%S"), buf, sizeof buf);
	n = add_part(parts, n, ROLE_CLOCK, 0, buf);
	/* Who is on duty and the sync state keep their place: the banners'
	 * names are what gets cut, never the officer a caller asks for. */
	char officers[200], leader[200], sync[160];
	duty_text(ui, now, officers, sizeof officers, leader, sizeof leader);
	enum theme_role sync_role = sync_text(ui, sync, sizeof sync);
	int room = cols - 1 - (text_width(officers) + 2) - (text_width(sync) + 2) - (text_width(parts[0].text) + 2);
	/* The drill banner comes first: on a narrow screen nothing may hide
	 * that what the desk sees is an exercise. */
	if (ui->banners.drill[0]) {
		char whole[320];
		snprintf(whole, sizeof whole, _(" DRILL: %s "), ui->banners.drill);
		text_fit(buf, sizeof buf, whole, room - 2 > 16 ? room - 2 : 16);
		n = add_part(parts, n, ROLE_BANNER_DRILL, 0, buf);
		room -= text_width(buf) + 2;
	}
	bool alert = ui->alert[0] && now < ui->alert_until;
	if (alert) {
		snprintf(buf, sizeof buf, " ⚠ %s ", ui->alert);
		n = add_part(parts, n, ROLE_ALERT, 0, buf);
		room -= text_width(buf) + 2;
	}
	/* The period in sight with its next report time, else any running. */
	zero_remind_banner(ui, room - 2, buf, sizeof buf);
	if (!buf[0] && ui->banners.period[0]) {
		char whole[320];
		snprintf(whole, sizeof whole, _(" Protection period: %s "), ui->banners.period);
		text_fit(buf, sizeof buf, whole, room - 2 > 12 ? room - 2 : 12);
	}
	n = add_part(parts, n, ROLE_BANNER_PERIOD, 0, buf);
	handover_read(ui, now);
	if (ho.late[0]) {
		snprintf(buf, sizeof buf, _(" Handover overdue: %s "), ho.late);
		n = add_part(parts, n, ROLE_ALERT, 0, buf);
	}
	n = add_part(parts, n, ROLE_TOP_BAR, 1, officers);
	n = add_part(parts, n, ROLE_TOP_BAR, 2, leader);
	n = add_part(parts, n, ROLE_TOP_BAR, 3, ui->cfg->org);
	shift_text(ui, now, buf, sizeof buf);
	n = add_part(parts, n, ROLE_TOP_BAR, 2, buf);
	/* The sync state is last and drawn flush right. */
	n = add_part(parts, n, sync_role, 1, sync);

	bool shown[MAX_PARTS];
	int width = 1;
	for (int i = 0; i < n; i++) {
		shown[i] = true;
		width += text_width(parts[i].text) + 2;
	}
	for (int prio = 3; prio > 0 && width > cols; prio--)
		for (int i = n - 1; i >= 0 && width > cols; i--)
			if (shown[i] && parts[i].prio == prio) {
				shown[i] = false;
				width -= text_width(parts[i].text) + 2;
			}

	/* An alert turns the whole bar its colour: the flash. */
	draw_fill(y, 0, cols, alert ? ROLE_ALERT : ROLE_TOP_BAR);
	int x = 1;
	for (int i = 0; i < n - 1; i++) {
		if (!shown[i] || x >= cols)
			continue;
		x += draw_text(y, x, parts[i].text, cols - x,
			       alert && parts[i].role == ROLE_TOP_BAR ? ROLE_ALERT : parts[i].role) + 2;
	}
	if (shown[n - 1] && x < cols - 1)
		draw_right(y, cols - 1, parts[n - 1].text, cols - 1 - x, parts[n - 1].role);
}

void bars_draw_title(struct ui *ui, struct view *v, int y, int cols)
{
	(void)ui;
	char title[512];
	v->ops->title(v, title, sizeof title);
	draw_fill(y, 0, cols, ROLE_VIEW_TITLE);
	draw_text(y, 1, title, cols - 2, ROLE_VIEW_TITLE);
}

void bars_draw_bottom(struct ui *ui, struct view *v, int y, int cols)
{
	char buf[128], key[32];
	int x = 0;
	draw_fill(y, 0, cols, ROLE_BOTTOM_BAR);
	ui->n_tabs = 0;
	/* When the tabs with their names would take more than half the bar,
	 * the key hints of the current view matter more: the other views
	 * keep only their key, the current one and Help their name too. */
	bool compact = false;
	for (int pass = 0; pass < 2; pass++) {
		int width = 0;
		for (int i = 0; i < VIEW_COUNT; i++) {
			enum view_id id = (enum view_id)i;
			int k = view_number_key(id);
			/* A view without a key of its own has a tab only while shown. */
			if (!k && !view_letter_key(id) && v->id != id)
				continue;
			keys_name(k ? k : view_letter_key(id), key, sizeof key);
			bool named = !compact || v->id == id || id == VIEW_HELP;
			snprintf(buf, sizeof buf, named ? " %s %s " : " %s ", key, _(view_label(id)));
			if (pass == 0) {
				width += text_width(buf);
				continue;
			}
			enum theme_role role = v->id == id ? ROLE_TAB_CURRENT : ROLE_TAB;
			int w = draw_text(y, x, buf, cols - x, role);
			ui->tabs[ui->n_tabs++] = (struct ui_tab){ x, x + w, id };
			x += w;
			if (x >= cols)
				break;
		}
		if (pass == 0)
			compact = width > cols / 2;
	}
	x += 1;
	for (const int *h = v->ops->hints; *h && x < cols; h++) {
		keys_name(keys_first(v->id, *h), key, sizeof key);
		const char *hint = _(keys_request_hint(*h));
		/* A hint is shown whole or not at all. */
		if (x + text_width(key) + 1 + text_width(hint) > cols)
			break;
		x += draw_text(y, x, key, cols - x, ROLE_HINT_KEY);
		x += draw_text(y, x, " ", cols - x, ROLE_BOTTOM_BAR);
		x += draw_text(y, x, hint, cols - x, ROLE_BOTTOM_BAR) + 2;
	}
}

enum view_id bars_tab_at(const struct ui *ui, int x)
{
	for (int i = 0; i < ui->n_tabs; i++)
		if (x >= ui->tabs[i].x0 && x < ui->tabs[i].x1)
			return ui->tabs[i].view;
	return VIEW_COUNT;
}
