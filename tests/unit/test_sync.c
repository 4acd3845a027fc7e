/*
 * test_sync.c — unit tests for the parts of sync that need no server:
 * the token file rules of core/sync.c (mode 0600, one token on one line)
 * and what core/store_sync.c keeps (cursors per server, this console's
 * events in seq order, the chain head), and the partial chains a reader
 * with a read scope holds.  The protocol itself is tested
 * against a real dutydeskd in tests/sync/run.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dutydesk/store.h"
#include "dutydesk/sync.h"
#include "tempdir.h"

struct fx {
	char dir[256];
	char path[300];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	const char *tmp = getenv("TMPDIR");
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-sync.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof fx->path, "%s/token", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	tempdir_remove(fx->dir);
	free(fx);
	return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_token_file_mode(void **state)
{
	struct fx *fx = *state;
	char buf[256];
	struct dd_error err;
	write_file(fx->path, "ddt_abc\n", 0600);
	assert_int_equal(sync_read_token(fx->path, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "ddt_abc");
	write_file(fx->path, "ddt_abc\n", 0400);
	assert_int_equal(sync_read_token(fx->path, buf, sizeof buf, &err), 0);
	static const mode_t open_modes[] = { 0640, 0644, 0604, 0660, 0666 };
	for (size_t i = 0; i < sizeof open_modes / sizeof open_modes[0]; i++) {
		write_file(fx->path, "ddt_abc\n", open_modes[i]);
		assert_int_equal(sync_read_token(fx->path, buf, sizeof buf, &err), DD_ECONFIG);
		assert_non_null(strstr(err.msg, "chmod 600"));
	}
}

static void test_token_file_content(void **state)
{
	struct fx *fx = *state;
	char buf[256];
	struct dd_error err;
	static const char *const bad[] = { "", "\n", "ddt_a ddt_b\n", "ddt_a\nddt_b\n" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(fx->path, bad[i], 0600);
		assert_int_equal(sync_read_token(fx->path, buf, sizeof buf, &err), DD_ECONFIG);
	}
	assert_int_equal(sync_read_token("", buf, sizeof buf, &err), DD_ECONFIG);
	char missing[320];
	snprintf(missing, sizeof missing, "%s/none", fx->dir);
	assert_int_equal(sync_read_token(missing, buf, sizeof buf, &err), DD_ECONFIG);
	assert_int_equal(sync_read_token(fx->dir, buf, sizeof buf, &err), DD_ECONFIG);
}

static int collect(int64_t seq, const char *json, size_t len, void *ctx)
{
	int64_t *last = ctx;
	assert_int_equal(seq, *last + 1);
	assert_int_equal(strlen(json), len);
	struct dd_event ev;
	struct dd_error err;
	assert_int_equal(event_decode(json, len, &ev, &err), 0);
	event_free(&ev);
	*last = seq;
	return 0;
}

static void test_store_cursors_and_outbox(void **state)
{
	struct fx *fx = *state;
	char db[320];
	snprintf(db, sizeof db, "%s/c.db", fx->dir);
	struct dd_store *st;
	struct dd_error err;
	assert_int_equal(store_open(db, DD_STORE_CREATE, &st, &err), 0);
	const char *origin = "01a2157c-344a-771c-b0fc-4732328e134d";
	struct dd_sync_cursor c;
	assert_int_equal(store_sync_cursor(st, "https://a", &c, &err), 0);
	assert_int_equal(c.pulled, 0);
	assert_int_equal(c.pushed, 0);
	int64_t head;
	assert_int_equal(store_origin_head(st, origin, &head, &err), 0);
	assert_int_equal(head, 0);
	for (int i = 0; i < 5; i++) {
		json_t *body = json_pack("{s:i, s:s, s:s}", "v", 1, "kind", "note", "text", "x");
		struct dd_new_event ne = { .origin = origin, .actor = "张伟", .org = "cq.center", .kind = "log.entry",
					   .body = body };
		assert_int_equal(store_append_local(st, &ne, NULL, &err), 0);
		json_decref(body);
	}
	assert_int_equal(store_origin_head(st, origin, &head, &err), 0);
	assert_int_equal(head, 5);
	assert_int_equal(store_sync_set_pushed(st, "https://a", 2, &err), 0);
	assert_int_equal(store_sync_set_pulled(st, "https://a", 17, &err), 0);
	assert_int_equal(store_sync_set_pulled(st, "https://b", 3, &err), 0);
	assert_int_equal(store_sync_cursor(st, "https://a", &c, &err), 0);
	assert_int_equal(c.pushed, 2);
	assert_int_equal(c.pulled, 17);
	assert_int_equal(store_sync_cursor(st, "https://b", &c, &err), 0);
	assert_int_equal(c.pushed, 0);
	assert_int_equal(c.pulled, 3);
	int64_t last = 2;
	assert_int_equal(store_events_of(st, origin, 2, 100, collect, &last, &err), 0);
	assert_int_equal(last, 5);
	/* Cursors are not projections: a rebuild keeps them, digests ignore them. */
	char before[DD_HASH_HEX + 1], after[DD_HASH_HEX + 1];
	assert_int_equal(store_digest(st, before, &err), 0);
	assert_int_equal(store_sync_set_pulled(st, "https://a", 99, &err), 0);
	assert_int_equal(store_rebuild(st, &err), 0);
	assert_int_equal(store_digest(st, after, &err), 0);
	assert_string_equal(before, after);
	assert_int_equal(store_sync_cursor(st, "https://a", &c, &err), 0);
	assert_int_equal(c.pulled, 99);
	store_close(st);
}

/* A reader with a read scope holds parts of another desk's chain: the
 * gaps it was given are recorded and verify accepts them, and only them. */
static void test_partial_chains(void **state)
{
	struct fx *fx = *state;
	char src[320], dst[320];
	snprintf(src, sizeof src, "%s/src.db", fx->dir);
	snprintf(dst, sizeof dst, "%s/dst.db", fx->dir);
	struct dd_store *a, *b;
	struct dd_error err;
	assert_int_equal(store_open(src, DD_STORE_CREATE, &a, &err), 0);
	assert_int_equal(store_open(dst, DD_STORE_CREATE, &b, &err), 0);
	const char *origin = "01a2157c-344a-771c-b0fc-4732328e1380";
	struct dd_event ev[6];
	for (int i = 0; i < 6; i++) {
		json_t *body = json_pack("{s:i, s:s, s:s}", "v", 1, "kind", "note", "text", "x");
		struct dd_new_event ne = { .origin = origin, .actor = "张伟", .org = "cq.center", .kind = "log.entry",
					   .body = body };
		assert_int_equal(store_append_local(a, &ne, &ev[i], &err), 0);
		json_decref(body);
	}
	/* seq 2, 3, then 5 and 6: gaps before 2 and before 5. */
	assert_int_equal(store_append_remote(b, &ev[1], &err), DD_ECHAIN);
	assert_int_equal(store_append_partial(b, &ev[1], &err), 0);
	assert_int_equal(store_append_partial(b, &ev[2], &err), 0);
	assert_int_equal(store_append_partial(b, &ev[4], &err), 0);
	assert_int_equal(store_append_partial(b, &ev[5], &err), 0);
	/* A link that is there is still checked: seq 6 again is a repeat. */
	assert_int_equal(store_append_partial(b, &ev[5], &err), DD_EDUP);
	int64_t checked;
	assert_int_equal(store_verify(b, &checked, &err), 0);
	assert_int_equal(checked, 4);
	/* A gap nobody gave this console is still found. */
	store_close(b);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(dst, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 5", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(dst, 0, &b, &err), 0);
	assert_int_equal(store_verify(b, &checked, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, ev[5].id));
	for (int i = 0; i < 6; i++)
		event_free(&ev[i]);
	store_close(a);
	store_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_file_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_file_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_cursors_and_outbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_chains, setup, teardown),
	};
	return cmocka_run_group_tests_name("sync", tests, NULL, NULL);
}
