/*
 * term.h — owning the terminal: curses set-up and tear-down, signals, and
 * leaving the terminal usable whatever happens (quit, SIGTERM, SIGHUP, a
 * crash).
 */
#ifndef DUTYDESK_TERM_H
#define DUTYDESK_TERM_H

#include <stdbool.h>

#include "dutydesk/error.h"

/* Takes over the real terminal (stdin/stdout must be one). */
int term_start(struct dd_error *err);
/* Draws into a screen of cols × rows that goes nowhere (screen tests). */
int term_start_headless(int cols, int rows, struct dd_error *err);
/* Gives the terminal back as it was. */
void term_stop(void);

/* Turns the terminal's bracketed paste on or off (off while $EDITOR
 * has the terminal). */
void term_paste_mode(bool on);

/* The read end of the signal self-pipe to poll, or -1 when headless. */
int term_signal_fd(void);
/* The next signal delivered since the last call (SIGWINCH, SIGTERM,
 * SIGHUP, SIGINT, SIGCONT), or 0 when none is pending. */
int term_next_signal(void);
/* Adopts the terminal's new size after SIGWINCH. */
void term_resize(void);

#endif
