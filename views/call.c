/*
 * call.c — the prompts that record a call (call.h).
 *
 * One call is recorded at a time (a prompt takes every key until it
 * ends), so what the prompts gathered so far is kept here, copied at the
 * start: the screen that started the call may reload its rows meanwhile.
 *
 * The direction and the result are a choice of one key each, not words
 * to type: the prompts are live ones (prompt_open_live), whose change
 * callback sees the first key typed and moves on at once.  A key that is
 * no choice opens the same question again, empty, and Enter on the
 * result asks again too, so a slip never saves a call nor falls through
 * to the screen below as a command; only Esc leaves.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/call.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incident.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"

static struct {
	char org[DD_ORG_ID_MAX + 1];
	bool has_liaison;
	struct dd_liaison who;
	char name[128];
	bool ask_incident;
	char about[512];
	bool incoming;
	char result[16];
	char note[1001];
} c;

/* The results in the order of their keys, 1 to 4. */
static const struct {
	const char *id, *label;
} results[] = {
	{ "reached", N_("reached") },
	{ "no-answer", N_("no answer") },
	{ "busy", N_("busy") },
	{ "wrong-number", N_("wrong number") },
};
#define N_RESULTS (sizeof results / sizeof results[0])

const char *call_result_label(const char *result)
{
	for (size_t i = 0; i < N_RESULTS; i++)
		if (strcmp(result, results[i].id) == 0)
			return _(results[i].label);
	return result;
}

static void save(struct ui *ui, const char *incident)
{
	char note[sizeof c.note + sizeof c.about + 8];
	snprintf(note, sizeof note, "%s%s%s", c.about, c.about[0] && c.note[0] ? " · " : "", c.note);
	struct dd_call_in in = {
		.org = c.org,
		.liaison = c.has_liaison ? c.who.id : NULL,
		.result = c.result,
		.incoming = c.incoming,
		.note = note[0] ? note : NULL,
		.incident = incident,
		/* A screen test's fixed clock stamps the call, so screens repeat. */
		.at_ms = ui->fixed_now,
	};
	struct dd_event ev;
	struct dd_error err = { 0 };
	if (roster_call(ui->st, ui->cfg, &in, &ev, &err) != 0) {
		ui_status(ui, UI_ERROR, _("Not saved: %s"), err.msg);
		return;
	}
	ui_status(ui, UI_INFO, _("Call saved to the shift log as #%s."), shiftlog_short_id(ev.id));
	ui_entry_added(ui, &ev);
	event_free(&ev);
}

static void call_incident(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	char iid[DD_UUID_LEN + 1];
	struct dd_error err = { 0 };
	if (text[0] && store_incident_resolve(ui->st, text, iid, &err) != 0) {
		ui_status(ui, UI_ERROR, _("Not saved: %s"), err.msg);
		return;
	}
	save(ui, text[0] ? iid : NULL);
}

static void call_note(struct ui *ui, const char *text, void *ctx)
{
	snprintf(c.note, sizeof c.note, "%s", text);
	if (c.ask_incident)
		prompt_open(ui, PROMPT_COMMAND, _("Incident id (empty: none): "), "", call_incident, ctx);
	else
		save(ui, NULL);
}

static void ask_result(struct ui *ui);

/* The key typed at the result question: 1 to 4 chooses, anything else
 * asks again. */
static void result_typed(struct ui *ui, const char *text, void *ctx)
{
	if (!text[0])
		return;   /* Esc, or a cursor key on the empty line */
	if (text[0] >= '1' && text[0] < '1' + (int)N_RESULTS && !text[1]) {
		snprintf(c.result, sizeof c.result, "%s", results[text[0] - '1'].id);
		char label[256];
		snprintf(label, sizeof label, _("%s · note (Enter: none): "), _(results[text[0] - '1'].label));
		prompt_open(ui, PROMPT_COMMAND, label, "", call_note, ctx);
		return;
	}
	ask_result(ui);
}

static void result_entered(struct ui *ui, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	ask_result(ui);
}

static void ask_result(struct ui *ui)
{
	char label[512];
	snprintf(label, sizeof label, c.incoming ? _("Call from %s: 1 %s  2 %s  3 %s  4 %s ") : _("Call to %s: 1 %s  2 %s  3 %s  4 %s "),
		 c.name, _(results[0].label), _(results[1].label), _(results[2].label), _(results[3].label));
	prompt_open_live(ui, label, "", result_typed, result_entered, NULL);
}

static void ask_direction(struct ui *ui);

/* The key typed at the direction question: 1 out, 2 in. */
static void direction_typed(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	if (!text[0])
		return;
	if ((text[0] == '1' || text[0] == '2') && !text[1]) {
		c.incoming = text[0] == '2';
		ask_result(ui);
		return;
	}
	ask_direction(ui);
}

/* Enter takes the usual direction: a call out. */
static void direction_entered(struct ui *ui, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	c.incoming = false;
	ask_result(ui);
}

static void ask_direction(struct ui *ui)
{
	char label[512];
	snprintf(label, sizeof label, _("Call with %s: 1 %s  2 %s  (Enter: %s) "), c.name,
		 log_kind_label("call-out"), log_kind_label("call-in"), log_kind_label("call-out"));
	prompt_open_live(ui, label, "", direction_typed, direction_entered, NULL);
}

void call_start(struct ui *ui, const struct call_start *in)
{
	memset(&c, 0, sizeof c);
	snprintf(c.org, sizeof c.org, "%s", in->org);
	if ((c.has_liaison = in->who != NULL))
		c.who = *in->who;
	/* The questions fit a line of 80 columns: a long name is cut. */
	text_fit(c.name, sizeof c.name, in->name, 20);
	c.ask_incident = in->ask_incident;
	snprintf(c.about, sizeof c.about, "%s", in->about ? in->about : "");
	if (in->ask_direction)
		ask_direction(ui);
	else
		ask_result(ui);
}
