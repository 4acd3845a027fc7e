/*
 * test_shiftlog.c — unit tests for core/shiftlog.c: what shiftlog_add()
 * makes of what an officer typed (trimmed, never empty, always valid
 * UTF-8, a known kind, an identity), the event it appends, and the short
 * ids people use.
 *
 * Each test has its own store in a mkdtemp() folder, removed afterwards.
 * Every refusal also checks that nothing was appended.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/kinds.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/store.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "tempdir.h"

#define FFFD "\xEF\xBF\xBD"
#define ORIGIN "0194d6e0-0000-7000-8000-00000000c0de"
/* 2026-11-26T00:30:00Z, 08:30 in Shanghai */
#define AT INT64_C(1795653000000)

struct fx {
	char dir[256];
	char db[512];
	struct dd_store *st;
	struct dd_config cfg;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-shiftlog-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->db, sizeof fx->db, "%s/dutydesk.db", fx->dir);
	config_defaults(&fx->cfg);
	snprintf(fx->cfg.path, sizeof fx->cfg.path, "%s/dutydesk.conf", fx->dir);
	snprintf(fx->cfg.origin, sizeof fx->cfg.origin, ORIGIN);
	snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "张伟");
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.yubei");
	*state = fx;
	struct dd_error err;
	if (store_open(fx->db, DD_STORE_CREATE, &fx->st, &err)) {
		print_error("store_open: %s\n", err.msg);
		tempdir_remove(fx->dir);
		free(fx);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	store_close(fx->st);
	int rc = tempdir_remove(fx->dir);
	free(fx);
	return rc;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const char *body_text(const struct dd_event *ev)
{
	return json_string_value(json_object_get(ev->body, "text"));
}

/* The text of the only shift-log row with this id, as stored. */
struct find {
	const char *id;
	char text[20000];
	char kind[32];
	char corrects[64];
	int found;
};

static int find_cb(const struct dd_log_row *row, void *ctx)
{
	struct find *f = ctx;
	if (strcmp(row->id, f->id) == 0) {
		snprintf(f->text, sizeof f->text, "%s", row->text);
		snprintf(f->kind, sizeof f->kind, "%s", row->kind);
		snprintf(f->corrects, sizeof f->corrects, "%s", row->corrects);
		f->found++;
	}
	return 0;
}

static struct find *find_row(struct fx *fx, const char *id)
{
	static struct find f;
	memset(&f, 0, sizeof f);
	f.id = id;
	struct dd_log_filter filter;
	store_log_filter_init(&filter);
	struct dd_error err;
	assert_int_equal(store_log_scan(fx->st, &filter, NULL, false, 100000, find_cb, &f, &err), 0);
	assert_int_equal(f.found, 1);
	return &f;
}

/* Adds text[0..len) and checks what was stored, in the event and in the
 * shift log, is want (a valid UTF-8 string). */
static void expect_stored(struct fx *fx, const char *text, size_t len, const char *want)
{
	struct dd_event ev;
	struct dd_error err;
	int rc = shiftlog_add(fx->st, &fx->cfg, text, len, NULL, AT, NULL, &ev, &err);
	if (rc)
		fail_msg("shiftlog_add: %d %s", rc, err.msg);
	assert_string_equal(body_text(&ev), want);
	assert_int_equal(json_string_length(json_object_get(ev.body, "text")), strlen(want));
	assert_true(text_is_valid_utf8(body_text(&ev), strlen(body_text(&ev))));
	struct find *f = find_row(fx, ev.id);
	assert_string_equal(f->text, want);
	event_free(&ev);
}

/* shiftlog_add must fail with code and a message holding want, and append
 * nothing. */
static void expect_refused(struct fx *fx, const char *text, size_t len, const char *kind, const char *corrects,
			   int code, const char *want)
{
	int64_t before = store_event_count(fx->st);
	struct dd_event ev;
	struct dd_error err = { 0, "" };
	int rc = shiftlog_add(fx->st, &fx->cfg, text, len, kind, AT, corrects, &ev, &err);
	if (rc != code || !strstr(err.msg, want))
		fail_msg("rc %d (want %d), message \"%s\" (want \"%s\")", rc, code, err.msg, want);
	assert_int_equal(err.code, code);
	assert_int_equal(store_event_count(fx->st), before);
}

/* A literal's exact length, NUL bytes inside included. */
#define EXPECT_STORED(lit, want) expect_stored(fx, (lit), sizeof(lit) - 1, (want))

/* ---- text ----------------------------------------------------------------- */

static void test_trims(void **state)
{
	struct fx *fx = *state;
	const char *t = "  \t 接警：龙溪街道火灾 \r\n";
	expect_stored(fx, t, strlen(t), "接警：龙溪街道火灾");
	t = "\v\f x \f\v";
	expect_stored(fx, t, strlen(t), "x");
	/* white space inside is kept, newlines included */
	t = " 第一行\n  第二行\t结束 ";
	expect_stored(fx, t, strlen(t), "第一行\n  第二行\t结束");
	/* len is honoured: bytes past it are not read */
	expect_stored(fx, "abc   def", 6, "abc");
	/* control characters other than white space are kept in storage */
	t = "\x1b[31m红色\x1b[0m";
	expect_stored(fx, t, strlen(t), "\x1b[31m红色\x1b[0m");
	assert_int_equal(store_event_count(fx->st), 5);
}

static void test_rejects_empty(void **state)
{
	struct fx *fx = *state;
	expect_refused(fx, "", 0, NULL, NULL, DD_EINVAL, "empty");
	expect_refused(fx, " ", 1, NULL, NULL, DD_EINVAL, "empty");
	expect_refused(fx, " \t\r\n\v\f  ", 8, NULL, NULL, DD_EINVAL, "empty");
	expect_refused(fx, "   text after len", 3, NULL, NULL, DD_EINVAL, "empty");
	expect_refused(fx, NULL, 0, "note", NULL, DD_EINVAL, "empty");
	assert_int_equal(store_event_count(fx->st), 0);
}

static void test_invalid_utf8_replaced(void **state)
{
	struct fx *fx = *state;
	/* stray bytes, each one U+FFFD */
	EXPECT_STORED("abc\xff\xfe" "def", "abc" FFFD FFFD "def");
	/* a truncated sequence is one U+FFFD */
	EXPECT_STORED("火\xe4\xb8 灾", "火" FFFD " 灾");
	EXPECT_STORED("x\xe4\xb8", "x" FFFD);
	/* overlong and surrogate encodings */
	EXPECT_STORED("\xc0\xaf", FFFD FFFD);
	EXPECT_STORED("a\xed\xa0\x80z", "a" FFFD FFFD FFFD "z");
	/* a NUL byte inside the text does not cut it short */
	EXPECT_STORED("a\0b", "a" FFFD "b");
	/* trimming happens around invalid bytes, not through them */
	EXPECT_STORED("  \xff  ", FFFD);
	/* valid text is untouched, including four-byte characters */
	EXPECT_STORED("\xF0\x9F\x9A\x92 出动", "\xF0\x9F\x9A\x92 出动");
}

static void test_text_length(void **state)
{
	struct fx *fx = *state;
	char *text = malloc(20000);
	memset(text, 'a', 16001);
	/* too long is a usage error naming both sizes */
	expect_refused(fx, text, 16001, NULL, NULL, DD_EINVAL, "the entry is 16001 bytes; at most 16000 are allowed");
	/* 16000 bytes is the limit, white space around it does not count */
	memset(text, ' ', 20000);
	memset(text + 10, 'b', 16000);
	struct dd_event ev;
	struct dd_error err;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, text, 20000, NULL, AT, NULL, &ev, &err), 0);
	assert_int_equal(json_string_length(json_object_get(ev.body, "text")), 16000);
	event_free(&ev);
	/* the limit applies after replacement: 6,000 bad bytes are 18,000 */
	memset(text, '\xff', 6000);
	expect_refused(fx, text, 6000, NULL, NULL, DD_EINVAL, "the entry is 18000 bytes");
	free(text);
	assert_int_equal(store_event_count(fx->st), 1);
}

/* ---- kinds, corrections, identity ---------------------------------------------- */

static void test_kinds(void **state)
{
	struct fx *fx = *state;
	struct dd_event ev;
	struct dd_error err;
	/* NULL is a note */
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "x", 1, NULL, AT, NULL, &ev, &err), 0);
	assert_string_equal(json_string_value(json_object_get(ev.body, "kind")), "note");
	assert_string_equal(find_row(fx, ev.id)->kind, "note");
	event_free(&ev);
	int n = 0;
	for (const char *const *k = dd_log_kinds; *k; k++, n++) {
		assert_true(shiftlog_kind_valid(*k));
		assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "y", 1, *k, AT, NULL, &ev, &err), 0);
		assert_string_equal(json_string_value(json_object_get(ev.body, "kind")), *k);
		assert_string_equal(find_row(fx, ev.id)->kind, *k);
		event_free(&ev);
	}
	assert_int_equal(n, 5);
	static const char *const bad[] = { "fire", "Note", "NOTE", "", "note ", "call_in", "log.entry" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(shiftlog_kind_valid(bad[i]));
		char want[64];
		snprintf(want, sizeof want, "unknown entry kind \"%s\"", bad[i]);
		expect_refused(fx, "text", 4, bad[i], NULL, DD_EINVAL, want);
	}
	assert_int_equal(store_event_count(fx->st), 6);
}

static void test_corrects(void **state)
{
	struct fx *fx = *state;
	struct dd_event first, fix, plain;
	struct dd_error err;
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "地址：龙溪街道", strlen("地址：龙溪街道"), "call-in", AT,
				      NULL, &first, &err), 0);
	assert_null(json_object_get(first.body, "corrects"));
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "更正：龙塔街道", strlen("更正：龙塔街道"), "note", AT + 1,
				      first.id, &fix, &err), 0);
	assert_string_equal(json_string_value(json_object_get(fix.body, "corrects")), first.id);
	assert_string_equal(find_row(fx, fix.id)->corrects, first.id);
	assert_string_equal(find_row(fx, first.id)->corrects, "");
	/* "" amends nothing */
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "z", 1, NULL, AT + 2, "", &plain, &err), 0);
	assert_null(json_object_get(plain.body, "corrects"));
	/* not an id */
	expect_refused(fx, "x", 1, NULL, "not-a-uuid", DD_EINVAL, "body field 'corrects'");
	expect_refused(fx, "x", 1, NULL, "DEADBEEF", DD_EINVAL, "body field 'corrects'");
	assert_int_equal(store_event_count(fx->st), 3);
	event_free(&first);
	event_free(&fix);
	event_free(&plain);
}

static void test_missing_identity(void **state)
{
	struct fx *fx = *state;
	struct dd_config good = fx->cfg;
	fx->cfg.origin[0] = '\0';
	expect_refused(fx, "x", 1, NULL, NULL, DD_ECONFIG, fx->cfg.path);
	expect_refused(fx, "x", 1, NULL, NULL, DD_ECONFIG, "dutydesk init");
	fx->cfg = good;
	fx->cfg.officer[0] = '\0';
	expect_refused(fx, "x", 1, NULL, NULL, DD_ECONFIG, fx->cfg.path);
	fx->cfg = good;
	fx->cfg.org[0] = '\0';
	expect_refused(fx, "x", 1, NULL, NULL, DD_ECONFIG, fx->cfg.path);
	/* identity is checked before the text */
	fx->cfg.org[0] = '\0';
	expect_refused(fx, "", 0, NULL, NULL, DD_ECONFIG, "origin, officer and org");
	/* an identity that is there but wrong is named by its event field */
	fx->cfg = good;
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "CQ.Yubei");
	expect_refused(fx, "x", 1, NULL, NULL, DD_EINVAL, "field 'org'");
	fx->cfg = good;
	snprintf(fx->cfg.origin, sizeof fx->cfg.origin, "console-1");
	expect_refused(fx, "x", 1, NULL, NULL, DD_EINVAL, "field 'origin'");
	fx->cfg = good;
	snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "张\xff");
	expect_refused(fx, "x", 1, NULL, NULL, DD_EINVAL, "field 'actor'");
	assert_int_equal(store_event_count(fx->st), 0);
}

/* ---- the event ---------------------------------------------------------------- */

static void test_event_fields(void **state)
{
	struct fx *fx = *state;
	struct dd_event a, b;
	struct dd_error err;
	int64_t before = time_now_ms();
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "接警", strlen("接警"), "call-in", AT, NULL, &a, &err), 0);
	assert_true(uuid_valid(a.id, true));
	assert_string_equal(a.origin, ORIGIN);
	assert_int_equal(a.seq, 1);
	assert_string_equal(a.prev, DD_GENESIS_PREV);
	assert_string_equal(a.actor, "张伟");
	assert_string_equal(a.org, "cq.yubei");
	assert_string_equal(a.kind, "log.entry");
	assert_string_equal(a.subject, "");
	assert_int_equal(a.drill, 0);
	/* "at" is when it happened, in the configured zone */
	assert_string_equal(a.at, "2026-11-26T08:30:00.000+08:00");
	assert_int_equal(json_integer_value(json_object_get(a.body, "v")), 1);
	assert_int_equal(json_object_size(a.body), 3);
	assert_int_equal(event_validate(&a, true, &err), 0);
	/* the id and the clock are of now, not of "at" */
	assert_true(uuid7_ms(a.id) >= before);
	assert_true(hlc_physical(a.hlc) >= before);

	/* at 0 is now; another zone gives another offset */
	snprintf(fx->cfg.timezone, sizeof fx->cfg.timezone, "Europe/Berlin");
	before = time_now_ms();
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "现在", strlen("现在"), NULL, 0, NULL, &b, &err), 0);
	int64_t after = time_now_ms();
	int64_t at_ms;
	int off;
	assert_int_equal(time_parse_rfc3339(b.at, &at_ms, &off), 0);
	assert_true(at_ms >= before && at_ms <= after);
	assert_int_equal(off, time_offset_min(at_ms, "Europe/Berlin"));
	assert_int_equal(b.seq, 2);
	assert_string_equal(b.prev, a.hash);
	assert_true(b.hlc > a.hlc);
	assert_int_equal(event_check_chain(&a, &b, &err), 0);
	event_free(&a);
	event_free(&b);

	/* out may be NULL */
	assert_int_equal(shiftlog_add(fx->st, &fx->cfg, "无需返回", strlen("无需返回"), NULL, AT, NULL, NULL, &err), 0);
	assert_int_equal(store_event_count(fx->st), 3);
	int64_t checked;
	assert_int_equal(store_verify(fx->st, &checked, &err), 0);
	assert_int_equal(checked, 3);
}

/* ---- short ids -------------------------------------------------------------------- */

static void test_short_id(void **state)
{
	(void)state;
	const char *id = "01a21542-5b40-7a11-8c22-0000deadbeef";
	assert_string_equal(shiftlog_short_id(id), "deadbeef");
	assert_ptr_equal(shiftlog_short_id(id), id + 28);
	const char *eight = "12345678";
	assert_ptr_equal(shiftlog_short_id(eight), eight);
	assert_string_equal(shiftlog_short_id("123456789"), "23456789");
	assert_string_equal(shiftlog_short_id("abc"), "abc");
	assert_string_equal(shiftlog_short_id(""), "");
	/* two ids made in the same ms differ in their short ids */
	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1];
	uuid7_new(AT, a);
	uuid7_new(AT, b);
	assert_string_not_equal(shiftlog_short_id(a), shiftlog_short_id(b));
	assert_int_equal(strlen(shiftlog_short_id(a)), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_trims),
		TEST(test_rejects_empty),
		TEST(test_invalid_utf8_replaced),
		TEST(test_text_length),
		TEST(test_kinds),
		TEST(test_corrects),
		TEST(test_missing_identity),
		TEST(test_event_fields),
		cmocka_unit_test(test_short_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
