/*
 * keys.c — the request table and the one table of key bindings.
 *
 * Invariants:
 *  - every request has exactly one entry in `requests`, in enum order, so
 *    a request indexes its own help text;
 *  - a key appears at most once per keymap in `bindings` (a unit test
 *    checks), so lookup order inside a keymap never matters;
 *  - the help screen and the bottom-bar hints read these tables and
 *    nothing else, so a binding cannot be undocumented.
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "dutydesk/keys.h"

struct request_info {
	const char *group;   /* set on the first request of a help section */
	const char *hint;
	const char *help;
};

static const struct request_info requests[REQ_COUNT] = {
	[REQ_NONE] = { NULL, NULL, NULL },
#define VIEW_REQ(id, name, num, letter, label, help) [REQ_VIEW_##id] = { N_("Views"), label, help },
	VIEW_INFO(VIEW_REQ)
#undef VIEW_REQ
#define REQ_GROUP_NONE(title)
#define REQ_ROW(req, hint, help) [REQ_##req] = { NULL, hint, help },
	REQ_INFO(REQ_GROUP_NONE, REQ_ROW)
#undef REQ_GROUP_NONE
#undef REQ_ROW
};

/* The help sections of REQ_INFO: their titles, and how many requests each
 * holds, counted by the preprocessor.  group_sizes starts with a dummy 0
 * because each title expands to ", 0" opening the next count. */
static const char *const group_titles[] = {
#define TITLE_OF(title) title,
#define TITLE_SKIP(req, hint, help)
	REQ_INFO(TITLE_OF, TITLE_SKIP)
#undef TITLE_OF
#undef TITLE_SKIP
};

static const int group_sizes[] = {
	0
#define SIZE_NEXT(title) , 0
#define SIZE_ROW(req, hint, help) +1
	REQ_INFO(SIZE_NEXT, SIZE_ROW)
#undef SIZE_NEXT
#undef SIZE_ROW
};

struct binding {
	int keymap;
	int key;
	int request;
};

/* Default bindings, in the spirit of tig and less.  View switches come
 * from VIEW_INFO (a key of 0 is no key and never matches). */
static const struct binding bindings[] = {
#define VIEW_BIND(id, name, num, letter, label, help)                                              \
	{ KEYMAP_GENERIC, num, REQ_VIEW_##id }, { KEYMAP_GENERIC, letter, REQ_VIEW_##id },
	VIEW_INFO(VIEW_BIND)
#undef VIEW_BIND
	{ KEYMAP_GENERIC, KEY_FN(KEY_F(1)), REQ_VIEW_HELP },

	{ KEYMAP_GENERIC, 'k', REQ_MOVE_UP },
	{ KEYMAP_GENERIC, KEY_FN(KEY_UP), REQ_MOVE_UP },
	{ KEYMAP_GENERIC, 'j', REQ_MOVE_DOWN },
	{ KEYMAP_GENERIC, KEY_FN(KEY_DOWN), REQ_MOVE_DOWN },
	{ KEYMAP_GENERIC, KEY_FN(KEY_PPAGE), REQ_MOVE_PAGE_UP },
	{ KEYMAP_GENERIC, KEY_CTRL('b'), REQ_MOVE_PAGE_UP },
	{ KEYMAP_GENERIC, KEY_FN(KEY_NPAGE), REQ_MOVE_PAGE_DOWN },
	{ KEYMAP_GENERIC, KEY_CTRL('f'), REQ_MOVE_PAGE_DOWN },
	{ KEYMAP_GENERIC, ' ', REQ_MOVE_PAGE_DOWN },
	{ KEYMAP_GENERIC, 'g', REQ_MOVE_FIRST },
	{ KEYMAP_GENERIC, KEY_FN(KEY_HOME), REQ_MOVE_FIRST },
	{ KEYMAP_GENERIC, 'G', REQ_MOVE_LAST },
	{ KEYMAP_GENERIC, KEY_FN(KEY_END), REQ_MOVE_LAST },

	{ KEYMAP_GENERIC, 'a', REQ_ADD_ENTRY },
	{ KEYMAP_GENERIC, 'E', REQ_ADD_IN_EDITOR },
	{ KEYMAP_GENERIC, '/', REQ_FILTER },
	{ KEYMAP_GENERIC, KEY_ESC, REQ_FILTER_CLEAR },
	{ KEYMAP_GENERIC, ':', REQ_COMMAND },
	{ KEYMAP_GENERIC, 'q', REQ_BACK },
	{ KEYMAP_GENERIC, KEY_CTRL('c'), REQ_BACK },
	{ KEYMAP_GENERIC, KEY_CTRL('l'), REQ_REDRAW },

	{ VIEW_LOG, KEY_RETURN, REQ_OPEN },
	{ VIEW_LOG, 't', REQ_JUMP_TIME },
	{ VIEW_LOG, 'c', REQ_CORRECT },

	{ VIEW_QUEUE, KEY_RETURN, REQ_OPEN },
	{ KEYMAP_GENERIC, 'N', REQ_INC_NEW },
	{ VIEW_QUEUE, 'n', REQ_INC_NEW },
	{ VIEW_QUEUE, 'f', REQ_QUEUE_PICK },
	{ VIEW_QUEUE, 'o', REQ_QUEUE_CLOSED },

	{ VIEW_TIERS, KEY_RETURN, REQ_OPEN },

	{ VIEW_INCIDENT, KEY_RETURN, REQ_OPEN },
	{ VIEW_INCIDENT, 'c', REQ_CORRECT },
	{ VIEW_INCIDENT, 'n', REQ_INC_NOTE },
	{ VIEW_INCIDENT, 's', REQ_INC_STATUS },
	{ VIEW_INCIDENT, 'p', REQ_INC_PROPOSE },
	{ VIEW_INCIDENT, 'C', REQ_INC_CONFIRM },
	{ VIEW_INCIDENT, 'h', REQ_INC_HOP },
	{ VIEW_INCIDENT, 'r', REQ_INC_REPORT },
	{ VIEW_INCIDENT, 'S', REQ_INC_SUMMARY },
	{ VIEW_INCIDENT, 'd', REQ_INC_DUPLICATE },

	{ VIEW_ROSTER, KEY_RETURN, REQ_OPEN },
	{ VIEW_ROSTER, 'c', REQ_CALL },

	{ VIEW_DUTY, 'o', REQ_DUTY_ORG },
	{ VIEW_DUTY, '[', REQ_WEEK_PREV },
	{ VIEW_DUTY, ']', REQ_WEEK_NEXT },

	{ VIEW_ADVISORIES, KEY_RETURN, REQ_OPEN },
	{ VIEW_ADVISORIES, 'A', REQ_ADV_ACK },
	{ VIEW_ADVISORIES, 'R', REQ_ADV_REPORT },

	{ VIEW_ZERO, KEY_RETURN, REQ_OPEN },
	{ VIEW_ZERO, 'c', REQ_CALL },
	{ VIEW_ZERO, '[', REQ_ZERO_PREV },
	{ VIEW_ZERO, ']', REQ_ZERO_NEXT },
	{ VIEW_ZERO, 'p', REQ_ZERO_PERIOD },
	{ VIEW_ZERO, 'h', REQ_ZERO_GRID },

	{ VIEW_HANDOVER, 'e', REQ_HANDOVER_NOTES },
	{ VIEW_HANDOVER, 's', REQ_HANDOVER_SUBMIT },
	{ VIEW_HANDOVER, 'A', REQ_HANDOVER_ACCEPT },
	{ VIEW_HANDOVER, 'O', REQ_HANDOVER_OBJECT },

	{ KEYMAP_EDITOR, KEY_RETURN, REQ_EDIT_ACCEPT },
	{ KEYMAP_EDITOR, KEY_ESC, REQ_EDIT_CANCEL },
	{ KEYMAP_EDITOR, KEY_CTRL('c'), REQ_EDIT_CANCEL },
	{ KEYMAP_EDITOR, KEY_CTRL('g'), REQ_EDIT_CANCEL },
	{ KEYMAP_EDITOR, KEY_TAB, REQ_EDIT_NEXT_KIND },
	{ KEYMAP_EDITOR, KEY_CTRL('e'), REQ_EDIT_EXTERNAL },
	{ KEYMAP_EDITOR, KEY_FN(KEY_LEFT), REQ_EDIT_LEFT },
	{ KEYMAP_EDITOR, KEY_CTRL('b'), REQ_EDIT_LEFT },
	{ KEYMAP_EDITOR, KEY_FN(KEY_RIGHT), REQ_EDIT_RIGHT },
	{ KEYMAP_EDITOR, KEY_CTRL('f'), REQ_EDIT_RIGHT },
	{ KEYMAP_EDITOR, KEY_FN(KEY_SLEFT), REQ_EDIT_WORD_LEFT },
	{ KEYMAP_EDITOR, KEY_FN(KEY_SRIGHT), REQ_EDIT_WORD_RIGHT },
	{ KEYMAP_EDITOR, KEY_FN(KEY_HOME), REQ_EDIT_HOME },
	{ KEYMAP_EDITOR, KEY_CTRL('a'), REQ_EDIT_HOME },
	{ KEYMAP_EDITOR, KEY_FN(KEY_END), REQ_EDIT_END },
	{ KEYMAP_EDITOR, KEY_BS, REQ_EDIT_BACKSPACE },
	{ KEYMAP_EDITOR, KEY_FN(KEY_DC), REQ_EDIT_DELETE },
	{ KEYMAP_EDITOR, KEY_CTRL('d'), REQ_EDIT_DELETE },
	{ KEYMAP_EDITOR, KEY_CTRL('u'), REQ_EDIT_KILL_START },
	{ KEYMAP_EDITOR, KEY_CTRL('k'), REQ_EDIT_KILL_END },
	{ KEYMAP_EDITOR, KEY_CTRL('w'), REQ_EDIT_KILL_WORD },
};

#define N_BINDINGS (sizeof bindings / sizeof bindings[0])

int keys_lookup(int keymap, int key)
{
	if (key == 0)
		return REQ_NONE;
	for (size_t i = 0; i < N_BINDINGS; i++)
		if (bindings[i].keymap == keymap && bindings[i].key == key)
			return bindings[i].request;
	return REQ_NONE;
}

int keys_resolve(enum view_id view, int key)
{
	int req = keys_lookup((int)view, key);
	return req != REQ_NONE ? req : keys_lookup(KEYMAP_GENERIC, key);
}

int keys_first(enum view_id view, int request)
{
	for (int pass = 0; pass < 2; pass++) {
		int keymap = pass == 0 ? (int)view : KEYMAP_GENERIC;
		for (size_t i = 0; i < N_BINDINGS; i++)
			if (bindings[i].keymap == keymap && bindings[i].request == request && bindings[i].key)
				return bindings[i].key;
	}
	return 0;
}

enum view_id keys_request_view(int request)
{
	if (request >= REQ_VIEW_LOG && request < REQ_VIEW_LOG + VIEW_COUNT)
		return (enum view_id)(request - REQ_VIEW_LOG);
	return VIEW_COUNT;
}

const char *keys_request_hint(int request)
{
	return request > REQ_NONE && request < REQ_COUNT ? requests[request].hint : NULL;
}

const char *keys_request_help(int request)
{
	return request > REQ_NONE && request < REQ_COUNT ? requests[request].help : NULL;
}

/* Names of keys that do not print as themselves.  The first name of a key
 * is the one shown; later ones are accepted aliases. */
static const struct {
	int key;
	const char *name;
} key_names[] = {
	{ KEY_RETURN, "Enter" },
	{ KEY_ESC, "Esc" },
	{ KEY_TAB, "Tab" },
	{ KEY_BS, "BS" },
	{ ' ', "Space" },
	{ KEY_FN(KEY_UP), "Up" },
	{ KEY_FN(KEY_DOWN), "Down" },
	{ KEY_FN(KEY_LEFT), "Left" },
	{ KEY_FN(KEY_RIGHT), "Right" },
	{ KEY_FN(KEY_SLEFT), "S-Left" },
	{ KEY_FN(KEY_SRIGHT), "S-Right" },
	{ KEY_FN(KEY_PPAGE), "PgUp" },
	{ KEY_FN(KEY_NPAGE), "PgDn" },
	{ KEY_FN(KEY_HOME), "Home" },
	{ KEY_FN(KEY_END), "End" },
	{ KEY_FN(KEY_DC), "Del" },
	{ KEY_FN(KEY_IC), "Ins" },
	{ KEY_CLICK, "Click" },
	{ KEY_WHEEL_UP, "WheelUp" },
	{ KEY_WHEEL_DOWN, "WheelDown" },
	{ KEY_RETURN, "Return" },
	{ KEY_ESC, "Escape" },
	{ KEY_BS, "Backspace" },
	{ KEY_FN(KEY_PPAGE), "PageUp" },
	{ KEY_FN(KEY_NPAGE), "PageDown" },
	{ KEY_FN(KEY_DC), "Delete" },
};

#define N_KEY_NAMES (sizeof key_names / sizeof key_names[0])

void keys_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < N_KEY_NAMES; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, n, "%s", key_names[i].name);
			return;
		}
	}
	if (KEY_IS_FN(key) && (key & ~0x200000) >= KEY_F(1) && (key & ~0x200000) <= KEY_F(12)) {
		snprintf(buf, n, "F%d", (key & ~0x200000) - KEY_F0);
	} else if (key > 0 && key < 0x20) {
		snprintf(buf, n, "Ctrl-%c", key + '@');
	} else if (!KEY_IS_FN(key) && key < 0x110000) {
		mbstate_t ps;
		memset(&ps, 0, sizeof ps);
		char mb[MB_LEN_MAX + 1];
		size_t len = wcrtomb(mb, (wchar_t)key, &ps);
		if (len == (size_t)-1)
			len = 0;
		mb[len] = '\0';
		snprintf(buf, n, "%s", mb);
	} else {
		snprintf(buf, n, "?");
	}
}

int keys_parse_name(const char *name)
{
	for (size_t i = 0; i < N_KEY_NAMES; i++)
		if (strcasecmp(key_names[i].name, name) == 0)
			return key_names[i].key;
	/* C-u, Ctrl-U, ^U */
	const char *c = NULL;
	if (strncasecmp(name, "C-", 2) == 0)
		c = name + 2;
	else if (strncasecmp(name, "Ctrl-", 5) == 0)
		c = name + 5;
	else if (name[0] == '^')
		c = name + 1;
	if (c && c[0] && !c[1]) {
		char up = (char)(c[0] >= 'a' && c[0] <= 'z' ? c[0] - 'a' + 'A' : c[0]);
		if (up >= '@' && up <= '_')
			return up - '@';
	}
	if ((name[0] == 'F' || name[0] == 'f') && name[1]) {
		char *end;
		long f = strtol(name + 1, &end, 10);
		if (!*end && f >= 1 && f <= 12)
			return KEY_FN(KEY_F((int)f));
	}
	return 0;
}

void keys_foreach(void (*fn)(int keymap, int key, int request, void *ctx), void *ctx)
{
	for (size_t i = 0; i < N_BINDINGS; i++)
		if (bindings[i].key)
			fn(bindings[i].keymap, bindings[i].key, bindings[i].request, ctx);
}

struct describe {
	int request;
	int keys[16];
	int count;
	char *buf;
	size_t n, len;
};

/* Appends one key's name, once, whatever keymaps bind it. */
static void describe_one(int keymap, int key, int request, void *ctx)
{
	(void)keymap;
	struct describe *d = ctx;
	if (request != d->request || d->count == (int)(sizeof d->keys / sizeof d->keys[0]))
		return;
	for (int i = 0; i < d->count; i++)
		if (d->keys[i] == key)
			return;
	char name[32];
	keys_name(key, name, sizeof name);
	int w = snprintf(d->buf + d->len, d->n - d->len, "%s%s", d->count ? ", " : "", name);
	if (w < 0 || (size_t)w >= d->n - d->len) {
		d->buf[d->len] = '\0';   /* a name fits whole or not at all */
		return;
	}
	d->len += (size_t)w;
	d->keys[d->count++] = key;
}

int keys_describe(int request, char *buf, size_t n)
{
	struct describe d = { .request = request, .buf = buf, .n = n };
	buf[0] = '\0';
	keys_foreach(describe_one, &d);
	return d.count;
}

void keys_walk_help(void (*group)(const char *title, void *ctx), void (*item)(int request, void *ctx),
		    void *ctx)
{
	group(requests[REQ_VIEW_LOG].group, ctx);
	for (int r = REQ_VIEW_LOG; r < REQ_VIEW_LOG + VIEW_COUNT; r++)
		item(r, ctx);
	/* The request enum follows REQ_INFO's order, so sections are runs. */
	int r = REQ_VIEW_LOG + VIEW_COUNT;
	for (size_t g = 0; g < sizeof group_titles / sizeof group_titles[0]; g++) {
		group(group_titles[g], ctx);
		for (int k = 0; k < group_sizes[g + 1]; k++)
			item(r++, ctx);
	}
}
