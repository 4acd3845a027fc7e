/*
 * tui.h — the full-screen console (views/), entered when dutydesk is run
 * without a command.
 *
 * Headless screen tests: with DUTYDESK_TEST_SCREEN=COLSxROWS the console
 * draws to no terminal at that size and reads keys from the script file
 * named by DUTYDESK_TEST_KEYS (see tests/screen/README); `:save-display
 * FILE` writes the screen as text.  DUTYDESK_TEST_NOW (RFC 3339) fixes
 * the clock of a headless run; in a terminal it starts the clock at that
 * time and lets it run, so a terminal test can watch a deadline pass.
 */
#ifndef DUTYDESK_TUI_H
#define DUTYDESK_TUI_H

#include "dutydesk/config.h"
#include "dutydesk/error.h"
#include "dutydesk/store.h"
#include "dutydesk/tiers.h"

/* Runs until the officer quits; returns 0, or a DD_E* code with err set
 * when the terminal could not be used.  tiers are the loaded tier rules
 * (cli_load_tiers), which the incident screens read. */
int tui_run(struct dd_config *cfg, struct dd_store *st, const struct dd_tiers *tiers, struct dd_error *err);

#endif
