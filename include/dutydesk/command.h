/*
 * command.h — the `:` command line.
 */
#ifndef DUTYDESK_COMMAND_H
#define DUTYDESK_COMMAND_H

#include "dutydesk/ui.h"

/* Runs one command line such as "log 接到电话" or "theme mono"; outcomes
 * and errors go to the status line. */
void command_run(struct ui *ui, const char *line);

/* Calls item(usage, help) for every command, for the help screen; both
 * untranslated. */
void command_walk_help(void (*item)(const char *usage, const char *help, void *ctx), void *ctx);

#endif
