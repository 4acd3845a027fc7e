/*
 * command.c — the `:` command line: one table of commands with their help
 * text (listed on the help screen), and their handlers.
 *
 * Commands never print: outcomes and errors go to the status line, and
 * the console keeps running whatever a command meets.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dutydesk/command.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incident.h"
#include "dutydesk/screendump.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/theme.h"

struct command {
	const char *name;
	const char *usage;
	const char *help;
	void (*run)(struct ui *ui, const char *arg);
};

static void cmd_log(struct ui *ui, const char *arg)
{
	if (!arg[0]) {
		view_show(VIEW_LOG);
		return;
	}
	struct dd_event ev;
	struct dd_error err = { 0 };
	event_init(&ev);
	if (shiftlog_add(ui->st, ui->cfg, arg, strlen(arg), "note", ui->fixed_now, NULL, &ev, &err) != 0) {
		ui_status(ui, UI_ERROR, _("Not saved: %s"), err.msg);
		return;
	}
	ui_status(ui, UI_INFO, _("Saved #%s."), shiftlog_short_id(ev.id));
	ui_entry_added(ui, &ev);
	event_free(&ev);
}

static void cmd_goto(struct ui *ui, const char *arg)
{
	if (!arg[0]) {
		ui_status(ui, UI_ERROR, "%s", _("Usage: :goto TIME, e.g. :goto 08:30 or :goto yesterday 14:00"));
		return;
	}
	view_show(VIEW_LOG);
	log_view_jump(view_current(), arg);
}

static void cmd_incident(struct ui *ui, const char *arg)
{
	char id[DD_UUID_LEN + 1];
	struct dd_error err = { 0 };
	if (!arg[0]) {
		ui_status(ui, UI_ERROR, "%s", _("Usage: :incident ID, e.g. :incident 1b4cb547"));
		return;
	}
	if (store_incident_resolve(ui->st, arg[0] == '#' ? arg + 1 : arg, id, &err) != 0) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	incident_view_show(ui, id);
}

static void cmd_theme(struct ui *ui, const char *arg)
{
	struct dd_error err = { 0 };
	if (theme_use(arg, &err) != 0) {
		ui_status(ui, UI_ERROR, _("Theme not changed: %s"), err.msg);
		return;
	}
	ui_status(ui, UI_INFO, _("Theme \"%s\"."), arg);
}

static void cmd_save_display(struct ui *ui, const char *arg)
{
	struct dd_error err = { 0 };
	if (!arg[0]) {
		ui_status(ui, UI_ERROR, "%s", _("Usage: :save-display FILE"));
		return;
	}
	/* The screen as it is without the command line that asked for it. */
	ui_draw(ui);
	if (screen_save(arg, &err) != 0)
		ui_status(ui, UI_ERROR, "%s", err.msg);
}

static void cmd_quit(struct ui *ui, const char *arg)
{
	(void)arg;
	ui_quit(ui);
}

static const struct command commands[] = {
	{ "log", N_(":log TEXT"), N_("Add TEXT to the shift log as a note"), cmd_log },
	{ "goto", N_(":goto TIME"), N_("Show the shift log at TIME (08:30, yesterday 14:00, -2h)"), cmd_goto },
	{ "incident", N_(":incident ID"), N_("Show the incident ID (its short id, or 4 or more of its hex digits)"),
	  cmd_incident },
	{ "theme", N_(":theme NAME"), N_("Use another colour theme: default, high-contrast, mono"), cmd_theme },
	{ "save-display", N_(":save-display FILE"), N_("Write the screen to FILE as text"), cmd_save_display },
	{ "q", N_(":q"), N_("Quit dutydesk at once"), cmd_quit },
	{ "quit", NULL, NULL, cmd_quit },
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

void command_run(struct ui *ui, const char *line)
{
	while (isspace((unsigned char)*line) || *line == ':')
		line++;
	if (!*line)
		return;
	size_t name_len = strcspn(line, " \t");
	const char *arg = line + name_len;
	while (isspace((unsigned char)*arg))
		arg++;
	/* Trailing blanks are no part of a file or theme name. */
	char argbuf[4096];
	snprintf(argbuf, sizeof argbuf, "%s", arg);
	for (size_t n = strlen(argbuf); n > 0 && isspace((unsigned char)argbuf[n - 1]); n--)
		argbuf[n - 1] = '\0';
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strlen(commands[i].name) == name_len && strncmp(commands[i].name, line, name_len) == 0) {
			commands[i].run(ui, argbuf);
			return;
		}
	}
	/* A view's name shows it: :zero, :handover, :help … */
	static const char *const view_names[] = {
#define VIEW_NAME(id, name, num, letter, label, help) #name,
		VIEW_INFO(VIEW_NAME)
#undef VIEW_NAME
	};
	for (int i = 0; i < VIEW_COUNT; i++) {
		if (i != VIEW_INCIDENT && strlen(view_names[i]) == name_len && strncmp(view_names[i], line, name_len) == 0) {
			view_show((enum view_id)i);
			return;
		}
	}
	ui_status(ui, UI_ERROR, _("Unknown command \"%.*s\" (:log, :goto, :incident, :theme, :save-display, :q; ? lists them)"),
		  (int)name_len, line);
}

void command_walk_help(void (*item)(const char *usage, const char *help, void *ctx), void *ctx)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (commands[i].help)
			item(commands[i].usage, commands[i].help, ctx);
	item(N_(":VIEW"), N_("Show a view by its name: :queue, :zero, :advisories, :handover, :drill, :help …"), ctx);
}
