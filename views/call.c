/*
 * call.c — the prompts that record a call (call.h).
 *
 * One call is recorded at a time (a prompt takes every key until it
 * ends), so what the prompts gathered so far is kept here, copied at the
 * start: the screen that started the call may reload its rows meanwhile.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/call.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incident.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"

static struct {
	char org[DD_ORG_ID_MAX + 1];
	bool has_liaison;
	struct dd_liaison who;
	bool ask_incident;
	char about[512];
	bool incoming;
	char result[16];
	char note[1001];
} c;

static const char *const results[] = { "reached", "no-answer", "busy", "wrong-number" };
#define N_RESULTS (sizeof results / sizeof results[0])

/* A result as typed: its id, its first letter, or its Chinese label. */
static const char *parse_result(const char *s)
{
	for (size_t i = 0; i < N_RESULTS; i++)
		if (strcmp(s, results[i]) == 0 || strcmp(s, roster_call_result_label(results[i])) == 0 ||
		    (s[0] == results[i][0] && !s[1]))
			return results[i];
	return NULL;
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

static void call_result(struct ui *ui, const char *text, void *ctx)
{
	const char *id = parse_result(text);
	if (!id) {
		ui_status(ui, UI_ERROR, _("\"%s\" is no result: reached, no-answer, busy or wrong-number"), text);
		return;
	}
	snprintf(c.result, sizeof c.result, "%s", id);
	prompt_open(ui, PROMPT_COMMAND, _("Note: "), "", call_note, ctx);
}

static void call_direction(struct ui *ui, const char *text, void *ctx)
{
	if (!text[0] || strcmp(text, "out") == 0 || strcmp(text, "o") == 0 || strcmp(text, log_kind_label("call-out")) == 0)
		c.incoming = false;
	else if (strcmp(text, "in") == 0 || strcmp(text, "i") == 0 || strcmp(text, log_kind_label("call-in")) == 0)
		c.incoming = true;
	else {
		ui_status(ui, UI_ERROR, _("\"%s\" is no direction: out or in"), text);
		return;
	}
	prompt_open(ui, PROMPT_COMMAND, _("Result (reached, no-answer, busy, wrong-number): "), "", call_result, ctx);
}

void call_start(struct ui *ui, const struct call_start *in)
{
	memset(&c, 0, sizeof c);
	snprintf(c.org, sizeof c.org, "%s", in->org);
	if ((c.has_liaison = in->who != NULL))
		c.who = *in->who;
	c.ask_incident = in->ask_incident;
	snprintf(c.about, sizeof c.about, "%s", in->about ? in->about : "");
	char label[512];
	if (in->ask_direction) {
		snprintf(label, sizeof label, _("Call with %s — direction (out, in; Enter: out): "), in->name);
		prompt_open(ui, PROMPT_COMMAND, label, "", call_direction, NULL);
		return;
	}
	snprintf(label, sizeof label, _("Call to %s — result (reached, no-answer, busy, wrong-number): "), in->name);
	prompt_open(ui, PROMPT_COMMAND, label, "", call_result, NULL);
}
