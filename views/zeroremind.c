/*
 * zeroremind.c — zero-report reminders (zeroremind.h).
 *
 * The periods in sight are read again when the store changed or a new
 * minute began (a period starts by the clock), so the one-second tick
 * costs arithmetic only; the checklist is read only at the moment an
 * alert is due, to count who has not reported.
 *
 * What was alerted is remembered per (period, slot, kind) by
 * zero_alert_once(), so an alert is never sent twice for one slot while
 * the console runs.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/desktop.h"
#include "dutydesk/i18n.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zeroclock.h"
#include "dutydesk/zeroremind.h"

#define MAX_PERIODS 16
#define NAMES_SHOWN 3
#define MIN_MS INT64_C(60000)

static struct {
	bool chaser;
	int64_t minute;
	struct dd_period periods[MAX_PERIODS];
	int n;
	struct zero_alerted sent;
} zr;

static int add_period(const struct dd_period *p, void *ctx)
{
	struct ui *ui = ctx;
	if (zr.n < MAX_PERIODS && zero_period_running(p, ui_now(ui)) &&
	    zero_period_in_sight(p, zero_viewer_scope(ui->cfg)))
		zr.periods[zr.n++] = *p;
	return 0;
}

/* Whether this desk chases reports: its sight holds other orgs (the
 * commission and centre see all; a district office its enterprises). */
static bool chases(struct ui *ui)
{
	struct dd_org org;
	struct dd_error err = { 0 };
	return !zero_viewer_scope(ui->cfg)[0] ||
	       (store_org_get(ui->st, ui->cfg->org, &org, &err) == 0 && !roster_org_kind_enterprise(org.kind));
}

struct tally {
	const struct dd_period *p;
	int64_t slot, now;
	enum dd_zero_state want;
	int count;
	char names[512];
};

static int tally_one(const struct dd_zero_row *r, void *ctx)
{
	struct tally *t = ctx;
	if (zero_state_of(t->p, t->slot, r->id[0] ? r->at_ms : 0, t->now) != t->want)
		return 0;
	if (t->count < NAMES_SHOWN) {
		size_t len = strlen(t->names);
		snprintf(t->names + len, sizeof t->names - len, "%s%s", len ? "、" : "", r->org_name);
	}
	t->count++;
	return 0;
}

/* Counts the orgs in sight in state want for slot; -1 when unreadable. */
static int tally(struct ui *ui, struct tally *t)
{
	struct dd_error err = { 0 };
	if (store_zero_checklist(ui->st, t->p->id, t->slot, zero_viewer_scope(ui->cfg), tally_one, t, &err) != 0) {
		ui_status(ui, UI_ERROR, _("reading the zero checklist: %s"), err.msg);
		return -1;
	}
	return t->count;
}

static void alert(struct ui *ui, const char *summary, const char *body, enum desktop_urgency u)
{
	desktop_notify(summary, body, u);
	ui_alert(ui, summary);
	/* A screen test reads the outcome at once (as notify.c does). */
	if (ui->headless)
		desktop_flush();
}

static void check_soon(struct ui *ui, const struct dd_period *p, int64_t now)
{
	int64_t s;
	if (!zero_alert_slot(p, now, ui->cfg->zero_remind_min, ZERO_ALERT_SOON, &s) ||
	    !zero_alert_once(&zr.sent, p->id, s, ZERO_ALERT_SOON))
		return;
	struct tally t = { .p = p, .slot = s, .now = now, .want = DD_ZERO_PENDING };
	if (tally(ui, &t) <= 0)
		return;   /* everyone in sight has reported */
	char when[16], left[16], summary[512], body[768];
	time_format_local(s, ui->cfg->timezone, "%H:%M", when, sizeof when);
	zero_countdown(s - now, left, sizeof left);
	snprintf(summary, sizeof summary, _("Zero report due at %s (in %s): %s"), when, left, p->name);
	snprintf(body, sizeof body, _("%d not reported yet: %s%s"), t.count, t.names, t.count > NAMES_SHOWN ? "…" : "");
	alert(ui, summary, body, DESKTOP_NORMAL);
}

static void check_late(struct ui *ui, const struct dd_period *p, int64_t now)
{
	int64_t s;
	if (!zr.chaser || !zero_alert_slot(p, now, 0, ZERO_ALERT_MISSING, &s) ||
	    !zero_alert_once(&zr.sent, p->id, s, ZERO_ALERT_MISSING))
		return;
	struct tally t = { .p = p, .slot = s, .now = now, .want = DD_ZERO_MISSING };
	if (tally(ui, &t) <= 0)
		return;
	char when[32], summary[512], body[768];
	/* Dated: the slot may be yesterday's (a console started this morning). */
	time_format_local(s, ui->cfg->timezone, "%m-%d %H:%M", when, sizeof when);
	snprintf(summary, sizeof summary, _("Zero reports missing for %s (%d): %s"), when, t.count, p->name);
	snprintf(body, sizeof body, "%s%s", t.names, t.count > NAMES_SHOWN ? "…" : "");
	alert(ui, summary, body, DESKTOP_CRITICAL);
}

void zero_remind_check(struct ui *ui, bool changed)
{
	int64_t now = ui_now(ui);
	if (changed || now / MIN_MS != zr.minute) {
		struct dd_error err = { 0 };
		zr.minute = now / MIN_MS;
		zr.chaser = chases(ui);
		zr.n = 0;
		if (store_period_scan(ui->st, false, now, add_period, ui, &err) != 0)
			ui_status(ui, UI_ERROR, _("reading the protection periods: %s"), err.msg);
	}
	for (int i = 0; i < zr.n; i++) {
		check_soon(ui, &zr.periods[i], now);
		check_late(ui, &zr.periods[i], now);
	}
}

void zero_remind_banner(struct ui *ui, int cols, char *buf, size_t n)
{
	int64_t now = ui_now(ui), s;
	int i = zero_period_soonest(zr.periods, zr.n, now);
	buf[0] = '\0';
	if (i < 0 || zero_next_deadline(&zr.periods[i], now, &s) != 0)
		return;
	char when[16], left[16], name[DD_NAME_MAX + 1];
	time_format_local(s, ui->cfg->timezone, "%H:%M", when, sizeof when);
	zero_countdown(s - now, left, sizeof left);
	const char *full = zr.periods[i].name;
	snprintf(buf, n, _(" Protection period: %s · %s report in %s "), full, when, left);
	int over = text_width(buf) - cols, keep = text_width(full) - over;
	if (over > 0 && keep >= 2) {
		text_fit(name, sizeof name, full, keep);
		snprintf(buf, n, _(" Protection period: %s · %s report in %s "), name, when, left);
	}
}
