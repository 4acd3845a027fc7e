/*
 * test_keys.c — unit tests for views/keys.c: the binding table's
 * invariants, lookup order (view keymap before generic), key names both
 * ways, and the help sections generated from the request table.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dutydesk/keys.h"

static int group_setup(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

struct seen {
	int keymap[256], key[256];
	int n;
	int dups;
	int unhelped;
};

static void collect(int keymap, int key, int request, void *ctx)
{
	struct seen *s = ctx;
	for (int i = 0; i < s->n; i++)
		if (s->keymap[i] == keymap && s->key[i] == key)
			s->dups++;
	if (s->n < 256) {
		s->keymap[s->n] = keymap;
		s->key[s->n++] = key;
	}
	if (!keys_request_help(request))
		s->unhelped++;
}

static void no_key_twice_in_a_keymap(void **state)
{
	(void)state;
	struct seen s = { .n = 0 };
	keys_foreach(collect, &s);
	assert_true(s.n > 20);
	assert_int_equal(s.dups, 0);
	assert_int_equal(s.unhelped, 0);
}

static void view_keymap_comes_first(void **state)
{
	(void)state;
	/* Enter opens an entry in the log, but means nothing generically. */
	assert_int_equal(keys_resolve(VIEW_LOG, KEY_RETURN), REQ_OPEN);
	assert_int_equal(keys_resolve(VIEW_HELP, KEY_RETURN), REQ_NONE);
	/* Generic keys reach every view. */
	assert_int_equal(keys_resolve(VIEW_HELP, 'j'), REQ_MOVE_DOWN);
	assert_int_equal(keys_resolve(VIEW_LOG, 'q'), REQ_BACK);
	/* The editor keymap is separate: 'j' types a j there. */
	assert_int_equal(keys_lookup(KEYMAP_EDITOR, 'j'), REQ_NONE);
	assert_int_equal(keys_lookup(KEYMAP_EDITOR, KEY_CTRL('u')), REQ_EDIT_KILL_START);
	assert_int_equal(keys_lookup(KEYMAP_GENERIC, 0), REQ_NONE);
}

static void view_switch_keys_come_from_view_info(void **state)
{
	(void)state;
	assert_int_equal(keys_resolve(VIEW_HELP, '1'), REQ_VIEW_LOG);
	assert_int_equal(keys_resolve(VIEW_HELP, 'l'), REQ_VIEW_LOG);
	assert_int_equal(keys_resolve(VIEW_LOG, '?'), REQ_VIEW_HELP);
	assert_int_equal(keys_request_view(REQ_VIEW_HELP), VIEW_HELP);
	assert_int_equal(keys_request_view(REQ_MOVE_UP), VIEW_COUNT);
	assert_int_equal(keys_first(VIEW_LOG, REQ_OPEN), KEY_RETURN);
	assert_int_equal(keys_first(VIEW_HELP, REQ_ADD_ENTRY), 'a');
}

static void names_round_trip(void **state)
{
	(void)state;
	static const char *const names[] = { "Enter", "Esc", "Tab", "BS", "Space", "Up", "Down", "Left",
					     "Right", "PgUp", "PgDn", "Home", "End", "Del", "F1", "F12",
					     "Ctrl-U", "Ctrl-W" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char buf[32];
		int key = keys_parse_name(names[i]);
		assert_int_not_equal(key, 0);
		keys_name(key, buf, sizeof buf);
		assert_string_equal(buf, names[i]);
	}
}

static void parse_aliases(void **state)
{
	(void)state;
	assert_int_equal(keys_parse_name("C-u"), KEY_CTRL('u'));
	assert_int_equal(keys_parse_name("ctrl-w"), KEY_CTRL('w'));
	assert_int_equal(keys_parse_name("^K"), KEY_CTRL('k'));
	assert_int_equal(keys_parse_name("escape"), KEY_ESC);
	assert_int_equal(keys_parse_name("PageDown"), keys_parse_name("PgDn"));
	assert_int_equal(keys_parse_name("Backspace"), KEY_BS);
	assert_int_equal(keys_parse_name("F13"), 0);
	assert_int_equal(keys_parse_name("Entr"), 0);
	assert_int_equal(keys_parse_name("C-"), 0);
}

static void names_of_printing_keys(void **state)
{
	(void)state;
	char buf[32];
	keys_name('j', buf, sizeof buf);
	assert_string_equal(buf, "j");
	keys_name(0x4E2D, buf, sizeof buf);   /* 中 */
	assert_string_equal(buf, "\xE4\xB8\xAD");
	keys_name(' ', buf, sizeof buf);
	assert_string_equal(buf, "Space");
}

static void describe_lists_every_key_once(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(keys_describe(REQ_MOVE_DOWN, buf, sizeof buf), 2);
	assert_string_equal(buf, "j, Down");
	assert_int_equal(keys_describe(REQ_VIEW_HELP, buf, sizeof buf), 2);
	assert_string_equal(buf, "?, F1");
	/* A tiny buffer truncates at a key boundary, never mid-name. */
	char tiny[8];
	keys_describe(REQ_MOVE_PAGE_DOWN, tiny, sizeof tiny);
	assert_string_equal(tiny, "PgDn");
}

struct walk {
	int groups, items;
	int last;
	int out_of_order;
};

static void on_group(const char *title, void *ctx)
{
	struct walk *w = ctx;
	assert_non_null(title);
	w->groups++;
}

static void on_item(int request, void *ctx)
{
	struct walk *w = ctx;
	assert_non_null(keys_request_help(request));
	if (request <= w->last)
		w->out_of_order++;
	w->last = request;
	w->items++;
}

static void help_walk_covers_every_request(void **state)
{
	(void)state;
	struct walk w = { 0, 0, REQ_NONE, 0 };
	keys_walk_help(on_group, on_item, &w);
	assert_int_equal(w.items, REQ_COUNT - 1);
	assert_int_equal(w.out_of_order, 0);
	assert_true(w.groups >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_key_twice_in_a_keymap),
		cmocka_unit_test(view_keymap_comes_first),
		cmocka_unit_test(view_switch_keys_come_from_view_info),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(parse_aliases),
		cmocka_unit_test(names_of_printing_keys),
		cmocka_unit_test(describe_lists_every_key_once),
		cmocka_unit_test(help_walk_covers_every_request),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
