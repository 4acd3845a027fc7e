/*
 * ui.c — the console's main loop: tui_run(), drawing the screen, and
 * routing keys to the prompt, the current view and the global requests.
 *
 * The loop sleeps in poll() on the terminal, the signal self-pipe and an
 * inotify watch of the database, with a timeout that ends exactly at the
 * next whole second so the clock ticks; it never spins.  After waking it
 * reads everything pending, then redraws once: views draw into stdscr,
 * which curses compares with the terminal and sends only the difference
 * (erase, never clear, so nothing flickers).
 *
 * Key routing, in order: an open prompt takes every key; a mouse event
 * goes to the bottom bar or the view under it; otherwise the key is
 * resolved in the current view's keymap, then the generic one, and the
 * request goes to the view's handler, then to the global one here.
 *
 * Headless mode (DUTYDESK_TEST_SCREEN=COLSxROWS) runs the same routing
 * and drawing with keys from a script file and no terminal, so screen
 * tests exercise exactly the code an officer uses.
 */
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dutydesk/bars.h"
#include "dutydesk/command.h"
#include "dutydesk/i18n.h"
#include "dutydesk/keys.h"
#include "dutydesk/keyscript.h"
#include "dutydesk/notify.h"
#include "dutydesk/prompt.h"
#include "dutydesk/screendump.h"
#include "dutydesk/sync.h"
#include "dutydesk/term.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/tui.h"
#include "dutydesk/ui.h"
#include "dutydesk/watch.h"
#include "dutydesk/wrap.h"
#include "dutydesk/zeroremind.h"

/* Rows the bars take: top bar and view title above, status line and
 * bottom bar below. */
#define BODY_Y 2
#define BARS_ROWS 4

/* How long an alert holds the top bar. */
#define ALERT_MS 5000

int64_t ui_now(const struct ui *ui)
{
	return ui->fixed_now ? ui->fixed_now : time_now_ms() + ui->clock_offset;
}

void ui_status(struct ui *ui, enum ui_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	ui->status_level = level;
}

void ui_status_clear(struct ui *ui)
{
	ui->status[0] = '\0';
}

static void show(struct ui *ui);

void ui_busy(struct ui *ui, const char *msg)
{
	ui_status(ui, UI_INFO, "%s", msg);
	if (!ui->headless)
		show(ui);
}

void ui_quit(struct ui *ui)
{
	ui->quit = true;
}

void ui_suspend(struct ui *ui)
{
	(void)ui;
	def_prog_mode();
	endwin();
	term_paste_mode(false);
}

void ui_resume(struct ui *ui)
{
	(void)ui;
	term_paste_mode(true);
	reset_prog_mode();
	/* The editor drew over everything: repaint all of it. */
	clearok(curscr, TRUE);
}

static bool too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
}

static void layout(void)
{
	int height = LINES - BARS_ROWS;
	view_set_geometry(BODY_Y, height > 1 ? height : 1, COLS);
}

/* Re-reads what the store says now: banners every time (a protection
 * period starts by the clock, not by a write), projections when another
 * connection committed; then lets the notifier look at what changed and
 * at the deadlines the clock has reached. */
static bool check_store(struct ui *ui, bool banners)
{
	int64_t version = store_data_version(ui->st);
	bool changed = version != ui->data_version;
	if (changed) {
		ui->data_version = version;
		view_refresh_all();
		banners = true;
	}
	if (banners) {
		struct dd_error err = { 0 };
		if (store_banners(ui->st, ui_now(ui), &ui->banners, &err) != 0)
			ui_status(ui, UI_ERROR, _("Reading banners: %s"), err.msg);
	}
	notify_check(ui, changed);
	zero_remind_check(ui, changed);
	return changed;
}

void ui_incident_changed(struct ui *ui, const char *id)
{
	/* Our own commit does not change data_version for this connection. */
	view_refresh_all();
	notify_own(ui, id);
}

void ui_alert(struct ui *ui, const char *text)
{
	snprintf(ui->alert, sizeof ui->alert, "%s", text);
	ui->alert_until = ui_now(ui) + ALERT_MS;
	beep();
}

void ui_entry_added(struct ui *ui, const struct dd_event *ev)
{
	int64_t ms;
	int off;
	/* Our own commit does not change data_version for this connection,
	 * so the views are told here; the log then selects the new entry. */
	(void)ui;
	view_refresh_all();
	struct view *log = view_get(VIEW_LOG);
	if (log->opened && time_parse_rfc3339(ev->at, &ms, &off) == 0)
		log_view_reveal(log, ms, ev->id);
}

/* ---- drawing ------------------------------------------------------------ */

/* Draws text centred on rows from y, wrapped to the width; returns the
 * row after it. */
static int draw_centred(int y, const char *text, enum theme_role role)
{
	char line[256];
	while (*text && y < LINES - 1) {
		size_t len = wrap_line(text, COLS);
		snprintf(line, sizeof line, "%.*s", (int)len, text);
		int w = text_width(line);
		draw_text(y++, w < COLS ? (COLS - w) / 2 : 0, line, COLS, role);
		text += len;
		while (*text == ' ' || *text == '\n')
			text++;
	}
	return y;
}

static void draw_too_small(struct ui *ui)
{
	char msg[160], size[64];
	snprintf(msg, sizeof msg, _("terminal too small (need %d×%d)"), UI_MIN_COLS, UI_MIN_ROWS);
	snprintf(size, sizeof size, _("now %d×%d; enlarge the window"), COLS, LINES);
	int y = draw_centred(LINES / 2 - 1 > 0 ? LINES / 2 - 1 : 0, msg, ROLE_ERROR);
	draw_centred(y, size, ROLE_DIM);
	/* The prompt stays usable, so a typed :q or quick entry is seen. */
	if (prompt_active() || ui->status[0])
		prompt_draw(ui, LINES - 1, COLS);
}

/* Draws everything; returns the cursor column on the prompt row, or -1. */
static int draw_all(struct ui *ui)
{
	erase();
	if (too_small()) {
		draw_too_small(ui);
		return -1;
	}
	struct view *v = view_current();
	bars_draw_top(ui, 0, COLS);
	bars_draw_title(ui, v, 1, COLS);
	v->ops->draw(v);
	int cursor = prompt_draw(ui, LINES - 2, COLS);
	bars_draw_bottom(ui, v, LINES - 1, COLS);
	return cursor;
}

void ui_draw(struct ui *ui)
{
	draw_all(ui);
}

static void show(struct ui *ui)
{
	static int cursor_visible = -1;
	int x = draw_all(ui);
	int want = x >= 0 ? 1 : 0;
	if (want != cursor_visible) {
		curs_set(want);
		cursor_visible = want;
	}
	if (x >= 0)
		move(too_small() ? LINES - 1 : LINES - 2, x);
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- input --------------------------------------------------------------- */

static char *pasted;   /* the text of the last KEY_PASTE */

static void quit_yes(struct ui *ui, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	ui_quit(ui);
}

static void command_done(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	command_run(ui, text);
}

static void global_request(struct ui *ui, int req, int key)
{
	enum view_id target = keys_request_view(req);
	if (target != VIEW_COUNT) {
		view_show(target);
		return;
	}
	switch (req) {
	case REQ_ADD_ENTRY: prompt_open_entry(ui, NULL); break;
	case REQ_INC_NEW: incident_new_prompt(ui); break;
	case REQ_ADD_IN_EDITOR: prompt_compose(ui); break;
	case REQ_COMMAND: prompt_open(ui, PROMPT_COMMAND, ":", "", command_done, NULL); break;
	case REQ_BACK:
		if (!view_back())
			prompt_confirm(ui, _("Quit dutydesk? (y/n)"), quit_yes, NULL);
		break;
	case REQ_REDRAW: clearok(curscr, TRUE); break;
	case REQ_FILTER: ui_status(ui, UI_INFO, "%s", _("This view has no filter.")); break;
	case REQ_NONE: {
		char name[32];
		keys_name(key, name, sizeof name);
		ui_status(ui, UI_INFO, _("The key %s does nothing here; press ? for the list of keys."), name);
		break;
	}
	default: break;   /* a request this view has no use for */
	}
}

static void mouse_input(struct ui *ui, const struct input *in)
{
	struct view *v = view_current();
	if (in->key == KEY_CLICK) {
		if (in->y == LINES - 1) {
			enum view_id id = bars_tab_at(ui, in->x);
			if (id != VIEW_COUNT)
				view_show(id);
		} else if (in->y >= v->y && in->y < v->y + v->height && v->ops->click) {
			v->ops->click(v, in->y - v->y);
		}
		return;
	}
	int req = in->key == KEY_WHEEL_UP ? REQ_MOVE_UP : REQ_MOVE_DOWN;
	for (int i = 0; i < 3; i++)
		v->ops->key(v, req);
}

static void handle_input(struct ui *ui, const struct input *in)
{
	if (in->key == KEY_PASTE) {
		if (pasted && pasted[0])
			prompt_paste(ui, pasted);
		return;
	}
	if (prompt_active()) {
		prompt_key(ui, in);
		return;
	}
	if (in->key == KEY_CLICK || in->key == KEY_WHEEL_UP || in->key == KEY_WHEEL_DOWN) {
		mouse_input(ui, in);
		return;
	}
	struct view *v = view_current();
	int req = keys_resolve(v->id, in->key);
	/* A message stays until the next key, except the one that opens the
	 * command line, so `:save-display` still shows it. */
	if (req != REQ_COMMAND)
		ui_status_clear(ui);
	if (req == REQ_NONE || v->ops->key(v, req) == VIEW_IGNORED)
		global_request(ui, req, in->key);
}

/* Bracketed paste: the terminal wraps pasted text in these, once the
 * console has asked for it (term.c). */
static const wchar_t paste_start[] = L"[200~";
static const wchar_t paste_end[] = L"\033[201~";
#define PASTE_MAX (64 * 1024)

/* After an ESC: whether "[200~" follows; if not, what was read is put
 * back for the next reads. */
static bool paste_begins(void)
{
	wint_t got[5];
	int n = 0;
	while (n < 5) {
		if (get_wch(&got[n]) != OK)
			break;
		if ((wchar_t)got[n] != paste_start[n]) {
			n++;
			break;
		}
		n++;
	}
	if (n == 5 && (wchar_t)got[4] == paste_start[4])
		return true;
	while (n > 0)
		unget_wch((wchar_t)got[--n]);
	return false;
}

/* Reads the pasted text up to the end marker (or a pause of 200 ms, so a
 * terminal that drops the marker cannot hang the console). */
static void read_paste(void)
{
	size_t len = 0, matched = 0;
	free(pasted);
	pasted = malloc(PASTE_MAX + MB_LEN_MAX + 1);
	if (!pasted)
		return;
	timeout(200);
	wint_t wc;
	int rc;
	while ((rc = get_wch(&wc)) != ERR) {
		if (rc == OK && (wchar_t)wc == paste_end[matched]) {
			if (++matched == wcslen(paste_end))
				break;
			continue;
		}
		matched = 0;   /* a partial marker inside a paste is dropped: it is ESC */
		if (rc == OK && len < PASTE_MAX) {
			mbstate_t ps;
			memset(&ps, 0, sizeof ps);
			size_t w = wcrtomb(pasted + len, (wchar_t)wc, &ps);
			if (w != (size_t)-1)
				len += w;
		}
	}
	nodelay(stdscr, TRUE);
	pasted[len] = '\0';
}

/* Converts what get_wch() returned into an input. */
static bool read_input(struct input *in)
{
	wint_t wch;
	int rc = get_wch(&wch);
	memset(in, 0, sizeof *in);
	if (rc == ERR)
		return false;
	if (rc == KEY_CODE_YES) {
		switch (wch) {
		case KEY_ENTER: in->key = KEY_RETURN; break;
		case KEY_BACKSPACE: in->key = KEY_BS; break;
		case KEY_MOUSE: {
			MEVENT me;
			if (getmouse(&me) != OK)
				return read_input(in);
			in->x = me.x;
			in->y = me.y;
			if (me.bstate & BUTTON4_PRESSED)
				in->key = KEY_WHEEL_UP;
			else if (me.bstate & BUTTON5_PRESSED)
				in->key = KEY_WHEEL_DOWN;
			else if (me.bstate & BUTTON1_PRESSED)
				in->key = KEY_CLICK;
			else
				return read_input(in);
			break;
		}
		default: in->key = KEY_FN((int)wch); break;
		}
		return true;
	}
	if (wch == KEY_ESC && paste_begins()) {
		read_paste();
		in->key = KEY_PASTE;
	} else if (wch == '\n' || wch == '\r') {
		in->key = KEY_RETURN;
	} else if (wch == 0x08 || wch == 0x7f) {
		in->key = KEY_BS;
	} else {
		in->key = (int)wch;
	}
	return true;
}

/* ---- the loops ----------------------------------------------------------- */

/* A write can be seen by inotify a moment before its commit is visible
 * (the WAL index is updated through shared memory, which inotify does not
 * report); a wake that found nothing new looks again this much later. */
#define RECHECK_MS 100

static int poll_timeout(const struct ui *ui, int64_t recheck_at)
{
	int64_t now = ui_now(ui);
	int64_t ms = 1000 - now % 1000 + 1;
	if (recheck_at && recheck_at - now < ms)
		ms = recheck_at > now ? recheck_at - now : 0;
	return (int)ms;
}

/* The top bar shows the sync state at the next redraw; a refusal by the
 * server needs a person, so its reason goes to the status line, once. */
static void sync_check(struct ui *ui)
{
	static char shown[512];
	struct dd_sync_status st;
	sync_drain(ui->sync);
	sync_status(ui->sync, &st);
	if (st.state == DD_SYNC_REFUSED && strcmp(st.error, shown) != 0)
		ui_status(ui, UI_ERROR, _("Sync refused: %s"), st.error);
	snprintf(shown, sizeof shown, "%s", st.state == DD_SYNC_REFUSED ? st.error : "");
}

static void run_terminal(struct ui *ui)
{
	int watch = watch_open(store_path(ui->st));
	/* poll() skips a negative descriptor: no inotify, or no sync. */
	struct pollfd fds[4] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = term_signal_fd(), .events = POLLIN },
		{ .fd = watch, .events = POLLIN },
		{ .fd = sync_wake_fd(ui->sync), .events = POLLIN },
	};
	int64_t last_second = ui_now(ui) / 1000, recheck_at = 0;
	while (!ui->quit) {
		show(ui);
		int n = poll(fds, 4, poll_timeout(ui, recheck_at));
		if (n < 0 && errno != EINTR)
			break;
		if (n < 0)   /* a signal: revents were not filled in */
			for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
				fds[i].revents = 0;
		for (int sig; (sig = term_next_signal()) != 0;) {
			if (sig == SIGWINCH) {
				term_resize();
				layout();
			} else if (sig == SIGCONT) {
				clearok(curscr, TRUE);
			} else {
				ui->quit = true;   /* SIGTERM, SIGHUP, SIGINT: leave cleanly */
			}
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			ui->quit = true;   /* the terminal went away */
		struct input in;
		while (!ui->quit && read_input(&in)) {
			if (in.key == KEY_FN(KEY_RESIZE)) {
				layout();
				continue;
			}
			handle_input(ui, &in);
		}
		/* The sync's state changed: the redraw at the top shows it (the
		 * events it pulled arrive like any other writer's, by inotify). */
		if (fds[3].revents & POLLIN)
			sync_check(ui);
		bool written = watch >= 0 && (fds[2].revents & POLLIN) && watch_drain(watch, store_path(ui->st));
		int64_t now = ui_now(ui), second = now / 1000;
		bool due = recheck_at && now >= recheck_at;
		/* Without inotify, the one-second tick is the fallback check. */
		if (written || due || second != last_second) {
			bool changed = check_store(ui, second != last_second);
			recheck_at = written && !changed ? now + RECHECK_MS : due ? 0 : recheck_at;
		}
		last_second = second;
	}
	watch_close(watch);
}

static int run_script(struct ui *ui, const char *path, struct dd_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return dd_fail(err, DD_EIO, "%s: %s", path, strerror(errno));
	char line[4096];
	int lineno = 0, rc = 0;
	draw_all(ui);
	while (!ui->quit && rc == 0 && fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		/* "!save-display FILE" dumps the screen as it stands, even with a
		 * prompt open (where ":save-display" would only be typed). */
		if (strncmp(line, "!save-display ", 14) == 0) {
			rc = screen_save(line + 14, err);
			continue;
		}
		struct input in[512];
		int n = keyscript_parse_line(line, in, sizeof in / sizeof in[0], err);
		if (n < 0) {
			rc = dd_wrap(err, "%s:%d", path, lineno);
			break;
		}
		for (int i = 0; i < n && !ui->quit; i++) {
			handle_input(ui, &in[i]);
			check_store(ui, false);
			draw_all(ui);
		}
	}
	fclose(f);
	return rc;
}

static int parse_size(const char *s, int *cols, int *rows)
{
	char x;
	return sscanf(s, "%d%c%d", cols, &x, rows) == 3 && (x == 'x' || x == 'X') && *cols >= 10 && *rows >= 5 &&
			       *cols <= 1000 && *rows <= 500
		       ? 0
		       : -1;
}

int tui_run(struct dd_config *cfg, struct dd_store *st, const struct dd_tiers *tiers, struct dd_error *err)
{
	i18n_init();
	struct ui ui = { .cfg = cfg, .st = st, .tiers = tiers };
	const char *screen = getenv("DUTYDESK_TEST_SCREEN");
	const char *keys = getenv("DUTYDESK_TEST_KEYS");
	const char *now = getenv("DUTYDESK_TEST_NOW");
	int cols = 0, rows = 0, rc;
	ui.headless = screen && screen[0];
	if (ui.headless) {
		if (parse_size(screen, &cols, &rows) != 0)
			return dd_fail(err, DD_EINVAL, "DUTYDESK_TEST_SCREEN=\"%s\": expected COLSxROWS, e.g. 80x24", screen);
		if (!keys || !keys[0])
			return dd_fail(err, DD_EINVAL, "%s", "DUTYDESK_TEST_SCREEN needs DUTYDESK_TEST_KEYS, the key script");
	}
	int64_t test_now = 0;
	int off;
	if (now && now[0] && time_parse_rfc3339(now, &test_now, &off) != 0)
		return dd_fail(err, DD_EINVAL, "DUTYDESK_TEST_NOW=\"%s\": expected RFC 3339", now);
	if (ui.headless) {
		ui.fixed_now = test_now;
		rc = term_start_headless(cols, rows, err);
	} else {
		ui.clock_offset = test_now ? test_now - time_now_ms() : 0;
		rc = term_start(err);
	}
	if (rc != 0)
		return rc;

	theme_start();
	struct dd_error theme_err = { 0 };
	if (theme_use(cfg->theme[0] ? cfg->theme : "default", &theme_err) != 0 &&
	    !(theme_err.code == DD_ENOTFOUND && strcmp(cfg->theme, "default") == 0))
		ui_status(&ui, UI_ERROR, _("Theme not loaded, using the default: %s"), theme_err.msg);

	layout();
	ui.data_version = store_data_version(st);
	/* The banners before the alerts start: whether a drill runs decides
	 * what alerts.  A failure is reported by check_store, which reads
	 * them again. */
	struct dd_error banners_err = { 0 };
	store_banners(st, ui_now(&ui), &ui.banners, &banners_err);
	notify_start(&ui);
	check_store(&ui, true);
	view_init_all(&ui);

	if (ui.headless) {
		rc = run_script(&ui, keys, err);
	} else {
		/* Screen tests never sync: their screens must not depend on a network. */
		struct dd_error sync_err;
		if (cfg->server_url[0] && sync_start(cfg, &ui.sync, &sync_err) != 0)
			ui_status(&ui, UI_ERROR, _("Not syncing: %s"), sync_err.msg);
		run_terminal(&ui);
		sync_stop(ui.sync);
	}

	view_close_all();
	notify_stop();
	prompt_close_all();
	free(pasted);
	pasted = NULL;
	term_stop();
	return rc;
}
