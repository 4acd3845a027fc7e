/*
 * notify.c — deciding when to alert the officer (see notify.h).
 *
 * What is known is a hash table of the open incidents: id, tier, next
 * deadline, and `wake`, the next instant at which one of its hop
 * deadlines crosses a threshold (15 minutes before, or the deadline
 * itself).  A change of the store rebuilds the table from one index-only
 * scan and compares: an id not known before arrived, a greater tier was
 * raised.  Every check looks only at the incidents whose wake has come,
 * so a tick costs a pass over memory, and a query only for the rare
 * incident with a deadline crossing right then.
 *
 * What was alerted is a set of strings "id arrive", "id tier N", "id hop
 * soon", "id hop late": an alert is sent only if its string is new, so
 * each (incident, event) alerts once however often it is seen.
 *
 * Many alerts at once (a console started on a backlog of overdue
 * incidents, a large sync) become one summary, never a storm of
 * notifications: they are counted, not remembered one by one, which is
 * enough for "once" — an arrival or a raise is also remembered by the
 * table, and a summarised deadline is not looked at again until the
 * incident's deadline changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/desktop.h"
#include "dutydesk/handover.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/notify.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/timefmt.h"

#define NEVER INT64_MAX
/* More alerts than this in one check are sent as one summary. */
#define BURST 3

struct known {
	char id[DD_UUID_LEN + 1];   /* "" for an empty slot */
	int tier;
	int64_t due;                /* next_due_ms, 0 none */
	int64_t wake;
	bool drill;
};

struct table {
	struct known *slot;
	size_t cap, count;          /* cap a power of two, count <= cap / 2 */
};

enum alert_kind { ALERT_ARRIVE, ALERT_RAISED, ALERT_SOON, ALERT_LATE };

#define ALERT_KEY_MAX (DD_UUID_LEN + DD_HOP_ID_MAX + 16)

struct alert {
	enum alert_kind kind;
	char id[DD_UUID_LEN + 1];
	int tier;
	struct dd_hop_state hop;
	bool drill;
	char key[ALERT_KEY_MAX];          /* its string in the set of alerts sent */
};

static struct {
	bool started;
	struct table known;
	int64_t next_wake;          /* the least wake in known: ticks before it cost nothing */
	/* the set of alerts sent, as a hash table of strings */
	char **sent;
	size_t sent_cap, sent_count;
	/* The alerts of the current check: the first few kept, all counted. */
	struct alert alerts[BURST + 1];
	int n_alerts, total, drill_total;   /* drill_total: how many of total are drill items */
	bool said_off;
	int64_t handover_minute;    /* the minute the handover was last looked at */
} nf;

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* ---- the table of known incidents ------------------------------------------ */

static struct known *find(struct table *t, const char *id)
{
	if (!t->cap)
		return NULL;
	for (size_t i = hash(id) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slot[i].id[0])
			return NULL;
		if (strcmp(t->slot[i].id, id) == 0)
			return &t->slot[i];
	}
}

/* Inserts k (not yet present); false when out of memory. */
static bool insert(struct table *t, const struct known *k)
{
	if ((t->count + 1) * 2 > t->cap) {
		struct table bigger = { calloc(t->cap ? 2 * t->cap : 256, sizeof(struct known)), t->cap ? 2 * t->cap : 256,
					0 };
		if (!bigger.slot)
			return false;
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].id[0])
				insert(&bigger, &t->slot[i]);
		free(t->slot);
		*t = bigger;
	}
	size_t i = hash(k->id) & (t->cap - 1);
	while (t->slot[i].id[0])
		i = (i + 1) & (t->cap - 1);
	t->slot[i] = *k;
	t->count++;
	return true;
}

static void table_free(struct table *t)
{
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* ---- the set of alerts sent ------------------------------------------------- */

static bool sent_before(const char *key)
{
	if (!nf.sent_cap)
		return false;
	for (size_t i = hash(key) & (nf.sent_cap - 1); nf.sent[i]; i = (i + 1) & (nf.sent_cap - 1))
		if (strcmp(nf.sent[i], key) == 0)
			return true;
	return false;
}

/* Records key as sent (it is not yet). */
static void remember(const char *key)
{
	if ((nf.sent_count + 1) * 2 > nf.sent_cap) {
		size_t cap = nf.sent_cap ? 2 * nf.sent_cap : 256;
		char **bigger = calloc(cap, sizeof *bigger);
		if (!bigger)
			return;
		for (size_t i = 0; i < nf.sent_cap; i++) {
			if (!nf.sent[i])
				continue;
			size_t j = hash(nf.sent[i]) & (cap - 1);
			while (bigger[j])
				j = (j + 1) & (cap - 1);
			bigger[j] = nf.sent[i];
		}
		free(nf.sent);
		nf.sent = bigger;
		nf.sent_cap = cap;
	}
	size_t i = hash(key) & (nf.sent_cap - 1);
	while (nf.sent[i])
		i = (i + 1) & (nf.sent_cap - 1);
	if ((nf.sent[i] = strdup(key)))
		nf.sent_count++;
}

static void add_alert(enum alert_kind kind, const char *id, int tier, bool drill, const struct dd_hop_state *hop)
{
	char key[ALERT_KEY_MAX];
	if (kind == ALERT_ARRIVE)
		snprintf(key, sizeof key, "%s arrive", id);
	else if (kind == ALERT_RAISED)
		snprintf(key, sizeof key, "%s tier %d", id, tier);
	else
		snprintf(key, sizeof key, "%s %s %s", id, hop->hop, kind == ALERT_SOON ? "soon" : "late");
	if (sent_before(key))
		return;
	nf.total++;
	nf.drill_total += drill;
	if (nf.n_alerts > BURST)
		return;   /* too many to send one by one: only counted */
	struct alert *a = &nf.alerts[nf.n_alerts++];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	snprintf(a->id, sizeof a->id, "%s", id);
	a->tier = tier;
	a->drill = drill;
	if (hop)
		a->hop = *hop;
	memcpy(a->key, key, sizeof key);
}

/* ---- scanning ---------------------------------------------------------------- */

struct scan {
	struct table fresh;
	int64_t next_wake;
	bool baseline;             /* notify_start: nothing has arrived */
	bool drill_running;        /* else a drill's incidents alert no more */
	bool failed;
};

static int scan_one(const struct dd_incident_brief *b, void *ctx)
{
	struct scan *sc = ctx;
	if (b->drill && !sc->drill_running)
		return 0;
	struct known k = { .tier = b->tier, .due = b->next_due_ms, .drill = b->drill };
	snprintf(k.id, sizeof k.id, "%s", b->id);
	const struct known *old = find(&nf.known, b->id);
	if (!old && !sc->baseline)
		add_alert(ALERT_ARRIVE, b->id, b->tier, b->drill, NULL);
	else if (old && b->tier > old->tier)
		add_alert(ALERT_RAISED, b->id, b->tier, b->drill, NULL);
	/* The same deadline keeps its place in the checks already done. */
	k.wake = old && old->due == k.due ? old->wake : k.due ? k.due - INCFMT_SOON_MS : NEVER;
	if (!insert(&sc->fresh, &k)) {
		sc->failed = true;
		return 1;
	}
	if (k.wake < sc->next_wake)
		sc->next_wake = k.wake;
	return 0;
}

static void rescan(struct ui *ui, bool baseline)
{
	struct scan sc = { .baseline = baseline, .next_wake = NEVER, .drill_running = ui->banners.drill[0] != '\0' };
	struct dd_error err = { 0 };
	if (store_incident_open_briefs(ui->st, scan_one, &sc, &err) != 0 || sc.failed) {
		table_free(&sc.fresh);
		if (!sc.failed)
			ui_status(ui, UI_ERROR, _("Checking for new incidents: %s"), err.msg);
		return;
	}
	table_free(&nf.known);
	nf.known = sc.fresh;
	nf.next_wake = sc.next_wake;
}

/* Alerts for the hops of k that are near or past; sets k's next wake. */
static void check_deadlines(struct ui *ui, struct known *k, int64_t now)
{
	struct dd_hop_state hops[DD_HOPS_MAX];
	int n;
	struct dd_error err = { 0 };
	k->wake = NEVER;
	if (store_incident_hops(ui->st, k->id, hops, &n, &err) != 0)
		return;
	for (int i = 0; i < n; i++) {
		const struct dd_hop_state *h = &hops[i];
		if (h->done_ms)
			continue;
		int64_t next;
		if (h->due_ms <= now) {
			add_alert(ALERT_LATE, k->id, k->tier, k->drill, h);
			continue;
		}
		if (h->due_ms - INCFMT_SOON_MS <= now) {
			add_alert(ALERT_SOON, k->id, k->tier, k->drill, h);
			next = h->due_ms;
		} else {
			next = h->due_ms - INCFMT_SOON_MS;
		}
		if (next < k->wake)
			k->wake = next;
	}
}

/* ---- alerting -------------------------------------------------------------------- */

static enum desktop_urgency urgency_of(const struct alert *a)
{
	return a->tier >= DD_TIER_II ? DESKTOP_CRITICAL : DESKTOP_NORMAL;
}

static void describe(struct ui *ui, const struct alert *a, char *summary, size_t ns, char *body, size_t nb)
{
	const struct dd_tiers *t = ui->tiers;
	struct dd_incident *in = malloc(sizeof *in);
	struct dd_error err = { 0 };
	char title[320] = "", when[32], span[32];
	if (in && store_incident_get(ui->st, a->id, in, &err) == 0)
		snprintf(title, sizeof title, "%s", in->title);
	free(in);
	const char *tier = t->tier[a->tier].name_zh;
	const char *drill_mark = a->drill ? _("[DRILL] ") : "";
	switch (a->kind) {
	case ALERT_ARRIVE: snprintf(summary, ns, _("%sNew incident (%s): %s"), drill_mark, tier, title); break;
	case ALERT_RAISED: snprintf(summary, ns, _("%sRaised to %s: %s"), drill_mark, tier, title); break;
	case ALERT_SOON:
		time_format_span(a->hop.due_ms - ui_now(ui), span, sizeof span);
		snprintf(summary, ns, _("%sReport to %s due in %s: %s"), drill_mark, a->hop.to, span, title);
		break;
	case ALERT_LATE: snprintf(summary, ns, _("%sReport to %s OVERDUE: %s"), drill_mark, a->hop.to, title); break;
	}
	if (a->kind == ALERT_SOON || a->kind == ALERT_LATE) {
		time_format_local(a->hop.due_ms, ui->cfg->timezone, "%m-%d %H:%M", when, sizeof when);
		snprintf(body, nb, _("#%s · %s · hop %s due %s"), shiftlog_short_id(a->id), tier, a->hop.hop, when);
	} else {
		snprintf(body, nb, _("#%s · %s · %s"), shiftlog_short_id(a->id), tier, t->tier[a->tier].lead);
	}
}

static void send_alerts(struct ui *ui)
{
	if (nf.total == 0)
		return;
	char summary[512], body[768], flash[512];
	if (nf.total <= BURST) {
		/* The top bar shows the alert of the highest tier, and of those
		 * the longest overdue (then by id: the table's order is a hash's). */
		const struct alert *worst = NULL;
		for (int i = 0; i < nf.n_alerts; i++) {
			const struct alert *a = &nf.alerts[i];
			remember(a->key);
			describe(ui, a, summary, sizeof summary, body, sizeof body);
			desktop_notify(summary, body, urgency_of(a));
			if (!worst || a->tier > worst->tier ||
			    (a->tier == worst->tier && (a->hop.due_ms < worst->hop.due_ms ||
							(a->hop.due_ms == worst->hop.due_ms && strcmp(a->id, worst->id) < 0)))) {
				worst = a;
				snprintf(flash, sizeof flash, "%s", summary);
			}
		}
	} else {
		/* A backlog (a console started on many overdue incidents, a
		 * large sync) is one notification, at the urgency of the worst
		 * alert seen; the queue shows each in red. */
		enum desktop_urgency u = DESKTOP_NORMAL;
		for (int i = 0; i < nf.n_alerts; i++)
			if (urgency_of(&nf.alerts[i]) > u)
				u = urgency_of(&nf.alerts[i]);
		/* A drill item is never counted as real without saying so. */
		if (nf.drill_total == nf.total)
			snprintf(summary, sizeof summary, _("[DRILL] %d drill incidents need attention"), nf.total);
		else if (nf.drill_total)
			snprintf(summary, sizeof summary, _("%d incidents need attention ([DRILL] %d of them drill)"),
				 nf.total, nf.drill_total);
		else
			snprintf(summary, sizeof summary, _("%d incidents need attention"), nf.total);
		snprintf(body, sizeof body, "%s", _("New incidents, raised tiers or reporting deadlines: see the queue."));
		desktop_notify(summary, body, u);
		snprintf(flash, sizeof flash, "%s", summary);
	}
	nf.n_alerts = nf.total = nf.drill_total = 0;
	ui_alert(ui, flash);
	/* A screen test reads the outcome at once; a terminal learns it on a
	 * later tick, without waiting for D-Bus. */
	if (ui->headless)
		desktop_flush();
}

static void say_if_off(struct ui *ui)
{
	/* The technical reason (no D-Bus, no notification daemon) helps no
	 * officer; what they need to know is where alerts go instead. */
	char why[256];
	if (nf.said_off || !desktop_off(why, sizeof why))
		return;
	/* What the officer just did is answered first (a save, a refusal):
	 * this waits for an empty status line, on a later tick. */
	if (ui->status[0])
		return;
	nf.said_off = true;
	ui_status(ui, UI_INFO, "%s", _("Desktop notifications off: alerts use the bell and the top bar"));
}

void notify_start(struct ui *ui)
{
	memset(&nf, 0, sizeof nf);
	nf.started = true;
	nf.next_wake = NEVER;
	rescan(ui, true);
}

/* Looks at every incident whose wake has come, and finds the next wake.
 * Past a handful, reading each one's chain would stall the console (a
 * start on 100,000 overdue incidents): they are counted into one alert
 * instead, and looked at again when their deadline changes. */
static void check_all_deadlines(struct ui *ui, int64_t now)
{
	int due = 0, due_drill = 0;
	for (size_t i = 0; i < nf.known.cap; i++)
		if (nf.known.slot[i].id[0] && nf.known.slot[i].wake <= now) {
			due++;
			due_drill += nf.known.slot[i].drill;
		}
	nf.next_wake = NEVER;
	for (size_t i = 0; i < nf.known.cap; i++) {
		struct known *k = &nf.known.slot[i];
		if (!k->id[0])
			continue;
		if (k->wake <= now) {
			if (due > BURST)
				k->wake = NEVER;
			else
				check_deadlines(ui, k, now);
		}
		if (k->wake < nf.next_wake)
			nf.next_wake = k->wake;
	}
	if (due > BURST) {
		nf.total += due;
		nf.drill_total += due_drill;
	}
}

/* A handover of the desk not accepted in time alerts once per handover
 * (the top bar keeps saying so while it lasts).  Looked at when the store
 * changed and once a minute: the clock makes it late, not a write. */
static void check_handover(struct ui *ui, bool changed, int64_t now)
{
	if (!changed && now / 60000 == nf.handover_minute)
		return;
	nf.handover_minute = now / 60000;
	struct dd_handover *h = malloc(sizeof *h);
	struct dd_error err = { 0 };
	char key[DD_UUID_LEN + 16], summary[512], body[512], when[32];
	if (h && store_handover_latest(ui->st, ui->cfg->org, false, h, &err) == 0 &&
	    handover_state(ui->cfg, h, now) == DD_HO_OVERDUE) {
		snprintf(key, sizeof key, "%s handover", h->id);
		if (!sent_before(key)) {
			remember(key);
			time_format_local(handover_due_ms(ui->cfg, h), ui->cfg->timezone, "%H:%M", when, sizeof when);
			snprintf(summary, sizeof summary, _("Handover of %s not accepted"), h->outgoing);
			snprintf(body, sizeof body, _("It was due by %s: the incoming officer accepts it (H, then A)."), when);
			desktop_notify(summary, body, DESKTOP_CRITICAL);
			ui_alert(ui, summary);
			if (ui->headless)
				desktop_flush();
		}
	}
	free(h);
}

void notify_check(struct ui *ui, bool changed)
{
	if (!nf.started)
		return;
	if (changed)
		rescan(ui, false);
	int64_t now = ui_now(ui);
	if (now >= nf.next_wake)
		check_all_deadlines(ui, now);
	send_alerts(ui);
	check_handover(ui, changed, now);
	say_if_off(ui);
}

void notify_own(struct ui *ui, const char *id)
{
	if (!nf.started)
		return;
	struct dd_incident *in = malloc(sizeof *in);
	struct dd_error err = { 0 };
	if (!in)
		return;
	if (store_incident_get(ui->st, id, in, &err) == 0) {
		struct known *k = find(&nf.known, id);
		struct known fresh = { .tier = in->tier, .due = in->next_due_ms };
		fresh.wake = fresh.due ? fresh.due - INCFMT_SOON_MS : NEVER;
		snprintf(fresh.id, sizeof fresh.id, "%s", id);
		if (k && k->due == fresh.due)
			fresh.wake = k->wake;
		if (k)
			*k = fresh;
		else if (incident_status_open(in->status))
			insert(&nf.known, &fresh);   /* reopened here: no arrival */
		if (fresh.wake < nf.next_wake)
			nf.next_wake = fresh.wake;
	}
	free(in);
}

void notify_stop(void)
{
	table_free(&nf.known);
	for (size_t i = 0; i < nf.sent_cap; i++)
		free(nf.sent[i]);
	free(nf.sent);
	memset(&nf, 0, sizeof nf);
}
