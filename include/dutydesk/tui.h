/*
 * tui.h — the full-screen console (views/), entered when dutydesk is run
 * without a command.
 *
 * Headless screen tests: with DUTYDESK_TEST_SCREEN=COLSxROWS the console
 * draws to no terminal at that size and reads keys from the script file
 * named by DUTYDESK_TEST_KEYS (see tests/screen/README); `:save-display
 * FILE` writes the screen as text.
 */
#ifndef DUTYDESK_TUI_H
#define DUTYDESK_TUI_H

#include "dutydesk/config.h"
#include "dutydesk/error.h"
#include "dutydesk/store.h"

/* Runs until the officer quits; returns 0, or a DD_E* code with err set
 * when the terminal could not be used. */
int tui_run(struct dd_config *cfg, struct dd_store *st, struct dd_error *err);

#endif
