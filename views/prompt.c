/*
 * prompt.c — the one-line prompts at the bottom of the screen, quick
 * entry among them (see prompt.h).
 *
 * Invariants: at most one prompt is open; its text lives in a lineedit,
 * which holds no control character, so what is drawn needs no escaping
 * beyond text_fit(); the callback runs after the prompt has closed, with
 * a copy of the text, so it may open another prompt.
 *
 * Quick entry must never lose what an officer typed: a failed save keeps
 * the prompt open with the text, and only Esc (or an accepted save)
 * throws it away.
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dutydesk/editor.h"
#include "dutydesk/i18n.h"
#include "dutydesk/lineedit.h"
#include "dutydesk/prompt.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"

/* Entry text may be 16000 bytes (kinds.c); 4 bytes a character at most. */
#define ENTRY_MAX_CHARS 4000
#define LINE_MAX_CHARS 1000

/* The kinds quick entry offers, Tab cycling through them; handover
 * entries belong to the handover screen. */
static const char *const entry_kinds[] = { "note", "call-in", "call-out", "action" };
#define N_ENTRY_KINDS (sizeof entry_kinds / sizeof entry_kinds[0])

static struct {
	bool open;
	enum prompt_kind kind;
	char label[256];
	struct lineedit le;
	prompt_done done;
	void *ctx;
	/* A live filter: changed() sees the text after every edit, and Esc
	 * hands it back what was there before, so cancelling undoes. */
	prompt_done changed;
	char *before;
	/* The initial text is a suggestion (the current status, the next
	 * hop): Enter takes it, the first character typed replaces it, a
	 * movement or deletion keeps it to edit. */
	bool suggested;
	/* quick entry */
	size_t entry_kind;
	char corrects[DD_UUID_LEN + 1];
} p;

bool prompt_active(void)
{
	return p.open;
}

void prompt_open(struct ui *ui, enum prompt_kind kind, const char *label, const char *initial, prompt_done done,
		 void *ctx)
{
	(void)ui;
	lineedit_free(&p.le);
	lineedit_init(&p.le, kind == PROMPT_ENTRY ? ENTRY_MAX_CHARS : LINE_MAX_CHARS);
	lineedit_set_utf8(&p.le, initial);
	snprintf(p.label, sizeof p.label, "%s", label);
	p.kind = kind;
	p.done = done;
	p.ctx = ctx;
	p.changed = NULL;
	free(p.before);
	p.before = NULL;
	p.suggested = initial[0] != '\0';
	p.open = true;
}

void prompt_open_live(struct ui *ui, const char *label, const char *initial, prompt_done changed, prompt_done done,
		      void *ctx)
{
	prompt_open(ui, PROMPT_FILTER, label, initial, done, ctx);
	p.suggested = false;   /* a filter being refined, not a suggestion */
	p.before = strdup(initial);
	p.changed = p.before ? changed : NULL;
}

/* Tells a live filter's owner the text as it now stands. */
static void notify_changed(struct ui *ui)
{
	if (!p.open || !p.changed)
		return;
	char *text = lineedit_text(&p.le);
	if (!text) {
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	p.changed(ui, text, p.ctx);
	free(text);
}

static void close_prompt(void)
{
	p.open = false;
	p.changed = NULL;
	free(p.before);
	p.before = NULL;
	lineedit_clear(&p.le);
}

void prompt_close_all(void)
{
	close_prompt();
	lineedit_free(&p.le);
}

/* ---- quick entry ------------------------------------------------------- */

static void entry_label(void)
{
	if (p.corrects[0])
		snprintf(p.label, sizeof p.label, _("[%s, correcting #%s] > "),
			 log_kind_label(entry_kinds[p.entry_kind]), shiftlog_short_id(p.corrects));
	else
		snprintf(p.label, sizeof p.label, "[%s] > ", log_kind_label(entry_kinds[p.entry_kind]));
}

/* Saves text as an entry of the prompt's kind; true when saved. */
static bool save_entry(struct ui *ui, const char *text, const char *kind, const char *corrects)
{
	struct dd_event ev;
	struct dd_error err = { 0 };
	event_init(&ev);
	/* A screen test's fixed clock stamps the entry, so screens repeat. */
	int rc = shiftlog_add(ui->st, ui->cfg, text, strlen(text), kind, ui->fixed_now,
			      corrects[0] ? corrects : NULL, &ev, &err);
	if (rc != 0) {
		ui_status(ui, UI_ERROR, _("Not saved: %s"), err.msg);
		return false;
	}
	ui_status(ui, UI_INFO, _("Saved #%s."), shiftlog_short_id(ev.id));
	ui_entry_added(ui, &ev);
	event_free(&ev);
	return true;
}

void prompt_open_entry(struct ui *ui, const char *corrects)
{
	/* Quick entry saves by itself (accept_entry), so it has no callback. */
	prompt_open(ui, PROMPT_ENTRY, "", "", NULL, NULL);
	p.entry_kind = 0;
	snprintf(p.corrects, sizeof p.corrects, "%s", corrects ? corrects : "");
	entry_label();
}

/* Hands text to $EDITOR and saves what comes back; true when saved or
 * deliberately emptied (nothing left to keep in the prompt). */
static bool compose(struct ui *ui, const char *initial, const char *kind, const char *corrects)
{
	char *text = NULL;
	struct dd_error err = { 0 };
	if (editor_edit(ui, initial, &text, &err) != 0) {
		ui_status(ui, UI_ERROR, "%s", err.msg);
		return false;
	}
	bool done = true;
	if (strspn(text, " \t\r\n") == strlen(text))
		ui_status(ui, UI_INFO, "%s", _("The editor left no text; nothing saved."));
	else
		done = save_entry(ui, text, kind, corrects);
	free(text);
	return done;
}

void prompt_compose(struct ui *ui)
{
	compose(ui, "", "note", "");
}

static void accept_entry(struct ui *ui)
{
	char *text = lineedit_text(&p.le);
	if (!text) {
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	if (save_entry(ui, text, entry_kinds[p.entry_kind], p.corrects))
		close_prompt();
	free(text);
}

static void external_entry(struct ui *ui)
{
	char *text = lineedit_text(&p.le);
	if (!text) {
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	char kind[16], corrects[DD_UUID_LEN + 1];
	snprintf(kind, sizeof kind, "%s", entry_kinds[p.entry_kind]);
	snprintf(corrects, sizeof corrects, "%s", p.corrects);
	if (compose(ui, text, kind, corrects))
		close_prompt();
	free(text);
}

/* ---- keys -------------------------------------------------------------- */

static void accept(struct ui *ui)
{
	if (p.kind == PROMPT_ENTRY) {
		accept_entry(ui);
		return;
	}
	char *text = lineedit_text(&p.le);
	if (!text) {
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	prompt_done done = p.done;
	void *ctx = p.ctx;
	close_prompt();
	done(ui, text, ctx);
	free(text);
}

static bool printable(int key)
{
	return !KEY_IS_FN(key) && key >= 0x20 && key != 0x7f && key < 0x110000 && !(key >= 0x80 && key < 0xa0);
}

void prompt_key(struct ui *ui, const struct input *in)
{
	if (p.kind == PROMPT_CONFIRM) {
		prompt_done yes = p.done;
		void *ctx = p.ctx;
		close_prompt();
		if (in->key == 'y' || in->key == 'Y')
			yes(ui, "y", ctx);
		else
			ui_status_clear(ui);
		return;
	}
	switch (keys_lookup(KEYMAP_EDITOR, in->key)) {
	case REQ_EDIT_ACCEPT: accept(ui); return;
	case REQ_EDIT_CANCEL:
		if (p.changed && p.before) {
			prompt_done changed = p.changed;
			void *ctx = p.ctx;
			char *before = p.before;
			p.before = NULL;
			close_prompt();
			changed(ui, before, ctx);
			free(before);
		} else {
			close_prompt();
		}
		ui_status_clear(ui);
		return;
	case REQ_EDIT_NEXT_KIND:
		if (p.kind == PROMPT_ENTRY) {
			p.entry_kind = (p.entry_kind + 1) % N_ENTRY_KINDS;
			entry_label();
		}
		break;
	case REQ_EDIT_EXTERNAL:
		if (p.kind == PROMPT_ENTRY)
			external_entry(ui);
		break;
	case REQ_EDIT_LEFT: lineedit_left(&p.le); break;
	case REQ_EDIT_RIGHT: lineedit_right(&p.le); break;
	case REQ_EDIT_WORD_LEFT: lineedit_word_left(&p.le); break;
	case REQ_EDIT_WORD_RIGHT: lineedit_word_right(&p.le); break;
	case REQ_EDIT_HOME: lineedit_home(&p.le); break;
	case REQ_EDIT_END: lineedit_end(&p.le); break;
	case REQ_EDIT_BACKSPACE: lineedit_backspace(&p.le); break;
	case REQ_EDIT_DELETE: lineedit_delete(&p.le); break;
	case REQ_EDIT_KILL_START: lineedit_kill_to_start(&p.le); break;
	case REQ_EDIT_KILL_END: lineedit_kill_to_end(&p.le); break;
	case REQ_EDIT_KILL_WORD: lineedit_kill_word_back(&p.le); break;
	default:
		if (printable(in->key) && p.suggested)
			lineedit_clear(&p.le);
		if (printable(in->key) && lineedit_insert_wc(&p.le, (wchar_t)in->key) == 0)
			ui_status(ui, UI_ERROR, "%s", _("The line is full."));
		break;
	}
	p.suggested = false;
	notify_changed(ui);
}

void prompt_paste(struct ui *ui, const char *text)
{
	if (!p.open)
		prompt_open_entry(ui, NULL);
	if (p.kind == PROMPT_CONFIRM)
		return;   /* a paste is no answer to a question */
	if (p.suggested)
		lineedit_clear(&p.le);
	p.suggested = false;
	char *flat = strdup(text);
	if (!flat) {
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
		return;
	}
	for (char *c = flat; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	if (lineedit_insert_utf8(&p.le, flat) < 0)
		ui_status(ui, UI_ERROR, "%s", _("out of memory"));
	else if (p.le.len == p.le.max_chars)
		ui_status(ui, UI_ERROR, "%s", _("The line is full."));
	free(flat);
	notify_changed(ui);
}

void prompt_confirm(struct ui *ui, const char *question, prompt_done yes, void *ctx)
{
	prompt_open(ui, PROMPT_CONFIRM, question, "", yes, ctx);
}

/* ---- drawing ------------------------------------------------------------- */

int prompt_draw(struct ui *ui, int y, int cols)
{
	if (!p.open) {
		enum theme_role role = ui->status_level == UI_ERROR ? ROLE_ERROR : ROLE_INFO;
		int used = draw_text(y, 0, ui->status, cols, role);
		draw_fill(y, used, cols - used, ROLE_STATUS);
		return -1;
	}
	/* A long label (a question naming a choice of orgs) leaves the
	 * typing a third of the line at least; a yes/no has nothing to type. */
	int x = draw_text(y, 0, p.label, p.kind == PROMPT_CONFIRM ? cols : cols - cols / 3, ROLE_PROMPT);
	if (p.kind == PROMPT_CONFIRM) {
		draw_fill(y, x, cols - x, ROLE_STATUS);
		return x < cols ? x : cols - 1;
	}
	int field = cols - x;
	size_t count;
	int cursor = lineedit_layout(&p.le, field, &count);
	/* The editor's characters are never control characters, so the
	 * UTF-8 below is drawn as is, measured by text_fit() like the rest. */
	char buf[4 * LINE_MAX_CHARS + 16];
	size_t len = 0;
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	for (size_t i = 0; i < count && len + MB_LEN_MAX < sizeof buf; i++) {
		size_t w = wcrtomb(buf + len, p.le.buf[p.le.first_visible + i], &ps);
		if (w != (size_t)-1)
			len += w;
	}
	buf[len] = '\0';
	int used = draw_text(y, x, buf, field, p.suggested ? ROLE_SELECTION : ROLE_STATUS);
	draw_fill(y, x + used, field - used, ROLE_STATUS);
	return field > 0 ? x + cursor : -1;
}
