/*
 * incnew.c — opening an incident from the console (N anywhere, n in the
 * queue): what happened, its category, the reporting org and when it was
 * detected, asked one prompt after another on the bottom line, so an
 * officer on the phone never leaves the screen.
 *
 * A bad answer says why and asks the same question again with what was
 * typed; Esc at any step drops the whole incident, nothing is stored
 * until the last answer.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/orgpick.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/ui.h"

/* One incident is being asked for at a time: the prompt is modal. */
static struct {
	bool drill;         /* part of the drill running now */
	char title[2048];   /* core says when it is too long */
	const char *category;
	char org[DD_ORG_ID_MAX + 1];
} draft;

static void ask_category(struct ui *ui, const char *bad);
static void ask_drill(struct ui *ui, const char *bad);
static void ask_org(struct ui *ui, const char *initial, const char *why);
static void ask_detected(struct ui *ui, const char *initial, const char *why);

static void got_detected(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct dd_error err = { 0 };
	int64_t detected;
	if (time_parse(text[0] ? text : "now", ui_now(ui), ui->cfg->timezone, &detected, &err) != 0) {
		ask_detected(ui, text, err.msg);
		return;
	}
	if (detected > ui_now(ui)) {
		ask_detected(ui, text, _("that is still to come"));
		return;
	}
	struct dd_incident_new in = {
		.title = draft.title, .category = draft.category, .reporting_org = draft.org, .detected_ms = detected,
	};
	char id[DD_UUID_LEN + 1];
	bool was = store_set_drill(ui->st, draft.drill);
	int rc = incident_open(ui->st, ui->cfg, ui->tiers, &in, id, &err);
	store_set_drill(ui->st, was);
	if (rc != 0) {
		ui_status(ui, UI_ERROR, _("Incident not opened: %s"), err.msg);
		return;
	}
	ui_status(ui, UI_INFO, _("Incident #%s opened: grade it (p) and record each report up the chain (h)."),
		  shiftlog_short_id(id));
	incident_view_show(ui, id);
}

static void ask_detected(struct ui *ui, const char *initial, const char *why)
{
	char label[sizeof ((struct dd_error *)0)->msg + 64];
	if (why)
		snprintf(label, sizeof label, _("Detected when (%s): "), why);
	else
		snprintf(label, sizeof label, "%s", _("Detected when (Enter for now; 14:30, -20m): "));
	prompt_open(ui, PROMPT_TIME, label, initial, got_detected, NULL);
}

static void got_org(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct dd_error err = { 0 };
	if (!text[0]) {
		/* An id of the tree is at most DD_ORG_ID_MAX bytes. */
		snprintf(draft.org, sizeof draft.org, "%.*s", DD_ORG_ID_MAX, ui->cfg->org);
		ask_detected(ui, "", NULL);
		return;
	}
	struct orgpick pick;
	char why[sizeof err.msg];
	if (orgpick(ui->st, text, false, &pick, &err) != 0) {
		snprintf(why, sizeof why, "%s", err.msg);
	} else if (pick.matches == 1) {
		snprintf(draft.org, sizeof draft.org, "%s", pick.id);
		ask_detected(ui, "", NULL);
		return;
	} else if (pick.matches) {
		snprintf(why, sizeof why, pick.matches > 3 ? _("%d match: %s …; type more, or an id") : _("%d match: %s; type more, or an id"),
			 pick.matches, pick.names);
	} else {
		snprintf(why, sizeof why, "%s", _("no org matches"));
	}
	ask_org(ui, text, why);
}

static void ask_org(struct ui *ui, const char *initial, const char *why)
{
	char label[sizeof ((struct dd_error *)0)->msg + 64];
	if (why)
		snprintf(label, sizeof label, _("Reporting org (%s): "), why);
	else
		snprintf(label, sizeof label, _("Reporting org, id or name (Enter for %s): "), ui->cfg->org);
	prompt_open(ui, PROMPT_FILTER, label, initial, got_org, NULL);
}

static void got_category(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	draft.category = NULL;
	int i = 0;
	for (const char *const *c = dd_incident_categories; *c; c++, i++)
		if (strcmp(text, *c) == 0 || strcmp(text, incfmt_category(*c)) == 0 || (text[0] == '1' + i && !text[1]))
			draft.category = *c;
	if (!draft.category) {
		ask_category(ui, text[0] ? text : NULL);
		return;
	}
	ask_org(ui, "", NULL);
}

/* bad: what was typed that is no category, or NULL. */
static void ask_category(struct ui *ui, const char *bad)
{
	char label[1024];
	size_t len = 0;
	if (bad)
		len = (size_t)snprintf(label, sizeof label, _("\"%.64s\" is no category. "), bad);
	len += (size_t)snprintf(label + len, sizeof label - len, "%s", _("Category"));
	int i = 0;
	for (const char *const *c = dd_incident_categories; *c && len < sizeof label; c++, i++)
		len += (size_t)snprintf(label + len, sizeof label - len, " %d %s", i + 1, incfmt_category(*c));
	if (len < sizeof label)
		snprintf(label + len, sizeof label - len, "%s", _(": "));
	prompt_open(ui, PROMPT_FILTER, label, "", got_category, NULL);
}

static void got_title(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	if (!text[0])
		return;   /* Enter on nothing: the officer changed their mind */
	snprintf(draft.title, sizeof draft.title, "%s", text);
	ask_category(ui, NULL);
}

static void ask_title(struct ui *ui)
{
	prompt_open(ui, PROMPT_FILTER,
		    draft.drill ? _("New DRILL incident, what happened: ") : _("New incident, what happened: "), "",
		    got_title, NULL);
}

static void got_drill(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	if (!text[0])
		return;   /* Enter on nothing: no incident */
	bool drill = strcasecmp(text, "d") == 0 || strcmp(text, _("drill")) == 0;
	bool real = strcasecmp(text, "r") == 0 || strcmp(text, _("real")) == 0;
	if (drill == real) {   /* neither */
		ask_drill(ui, text);
		return;
	}
	draft.drill = drill;
	ask_title(ui);
}

/* While a drill runs an incident may be part of it or a real one that
 * happens meanwhile: the officer says which, the console never guesses. */
static void ask_drill(struct ui *ui, const char *bad)
{
	char label[512];
	if (bad)
		snprintf(label, sizeof label, _("\"%.32s\"? Drill \"%s\" is running: d for a drill incident, r for a real one: "),
			 bad, ui->banners.drill);
	else
		snprintf(label, sizeof label, _("Drill \"%s\" is running: d for a drill incident, r for a real one: "),
			 ui->banners.drill);
	prompt_open(ui, PROMPT_FILTER, label, "", got_drill, NULL);
}

void incident_new_prompt(struct ui *ui)
{
	memset(&draft, 0, sizeof draft);
	if (ui->banners.drill[0])
		ask_drill(ui, NULL);
	else
		ask_title(ui);
}
