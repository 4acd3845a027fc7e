/*
 * term.c — curses set-up and tear-down, signals and crash safety.
 *
 * Signals are turned into bytes on a self-pipe that the main loop polls,
 * so nothing but write() runs in a handler and a signal arriving between
 * two polls is never lost.  Handlers are installed before initscr(), so
 * curses keeps its hands off SIGWINCH, SIGINT and SIGTERM.
 *
 * A crash (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) must not leave an
 * officer's terminal raw and on the alternate screen at 3 a.m.: the
 * handler restores the saved termios and writes the terminal's own
 * "leave" sequences, computed at start-up because nothing in a handler
 * may allocate, then re-raises the signal so the crash is still reported
 * (and dumps core) as usual.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "dutydesk/i18n.h"
#include "dutydesk/term.h"

#define PASTE_ON "\033[?2004h"
#define PASTE_OFF "\033[?2004l"

static int sig_pipe[2] = { -1, -1 };
static SCREEN *screen;
static FILE *null_in, *null_out;

static struct termios saved_tio;
static bool have_tio;
static char restore_seq[256];
static size_t restore_len;

static const int relayed[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGCONT };
static const int fatal[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
#define COUNT(a) (sizeof a / sizeof a[0])

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	ssize_t ignored = write(sig_pipe[1], &c, 1);
	(void)ignored;
	errno = saved;
}

static void on_crash(int sig)
{
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	ssize_t ignored = write(STDOUT_FILENO, restore_seq, restore_len);
	(void)ignored;
	/* SA_RESETHAND has restored the default action. */
	raise(sig);
}

static void append_cap(const char *cap)
{
	const char *s = tigetstr(cap);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void install_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < COUNT(relayed); i++)
		sigaction(relayed[i], &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < COUNT(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
}

static void default_handlers(void)
{
	for (size_t i = 0; i < COUNT(relayed); i++)
		signal(relayed[i], SIG_DFL);
	for (size_t i = 0; i < COUNT(fatal); i++)
		signal(fatal[i], SIG_DFL);
}

static void setup_curses(void)
{
	raw();              /* Ctrl-C, Ctrl-S, Ctrl-Z reach us as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);   /* Esc must feel instant */
	curs_set(0);
}

int term_start(struct dd_error *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return dd_fail(err, DD_EINVAL, "%s",
			       _("The console needs a terminal; for scripts use commands such as `dutydesk log`."));
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return dd_fail(err, DD_EIO, "pipe: %s", strerror(errno));
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	install_handlers();
	/* newterm rather than initscr, which would exit on failure. */
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		term_stop();
		return dd_fail(err, DD_EIO, _("Cannot use the terminal \"%s\"; is TERM right?"),
			       getenv("TERM") ? getenv("TERM") : "");
	}
	set_term(screen);
	setup_curses();
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	term_paste_mode(true);
	/* Leave-the-screen sequences for the crash handler: paste and mouse
	 * reporting off, attributes off, cursor back, main screen back. */
	static const char modes_off[] = PASTE_OFF "\033[?1000l\033[?1002l\033[?1006l";
	memcpy(restore_seq, modes_off, sizeof modes_off - 1);
	restore_len = sizeof modes_off - 1;
	append_cap("sgr0");
	append_cap("cnorm");
	append_cap("rmcup");
	return 0;
}

int term_start_headless(int cols, int rows, struct dd_error *err)
{
	null_out = fopen("/dev/null", "w");
	null_in = fopen("/dev/null", "r");
	if (!null_out || !null_in) {
		term_stop();
		return dd_fail(err, DD_EIO, "/dev/null: %s", strerror(errno));
	}
	/* A fixed terminal type, so a test's screen does not depend on the
	 * TERM of whoever runs it. */
	screen = newterm("xterm-256color", null_out, null_in);
	if (!screen)
		screen = newterm("vt100", null_out, null_in);
	if (!screen) {
		term_stop();
		return dd_fail(err, DD_EIO, "%s", _("Cannot start a headless screen (no terminfo?)."));
	}
	set_term(screen);
	setup_curses();
	resizeterm(rows, cols);
	return 0;
}

void term_stop(void)
{
	if (screen) {
		endwin();
		delscreen(screen);
		screen = NULL;
		if (!null_out)
			term_paste_mode(false);
	}
	if (null_in)
		fclose(null_in);
	if (null_out)
		fclose(null_out);
	null_in = null_out = NULL;
	if (sig_pipe[0] >= 0) {
		default_handlers();
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		sig_pipe[0] = sig_pipe[1] = -1;
	}
	have_tio = false;
}

void term_paste_mode(bool on)
{
	/* Bracketed paste, so pasted text arrives as one paste rather than
	 * as keys; terminals that do not know the mode ignore it. */
	fputs(on ? PASTE_ON : PASTE_OFF, stdout);
	fflush(stdout);
}

int term_signal_fd(void)
{
	return sig_pipe[0];
}

int term_next_signal(void)
{
	unsigned char c;
	if (sig_pipe[0] < 0)
		return 0;
	ssize_t n = read(sig_pipe[0], &c, 1);
	return n == 1 ? c : 0;
}

void term_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}
