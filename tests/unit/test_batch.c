/*
 * test_batch.c — unit tests for server/batch.c with the SQLite backend
 * (server/db_sqlite.c): decoding a POST /v1/events body, authorising it,
 * and storing it all or nothing — new events, duplicates, a fork, a gap,
 * a chain sent out of order — plus the answer and status it yields.
 *
 * Each test has its own mkdtemp() folder and server database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/batch.h"
#include "dutydesk/ids.h"
#include "dutydesk/timefmt.h"
#include "tempdir.h"

#define ORIGIN "01a2157c-344a-771c-b0fc-4732328e134d"
#define OTHER "01a2157c-344a-771c-b0fc-4732328e1350"

struct fx {
	char dir[256];
	struct db_session *s;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	const char *tmp = getenv("TMPDIR");
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-batch.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	char path[300];
	snprintf(path, sizeof path, "%s/d.db", fx->dir);
	struct dd_error err;
	assert_int_equal(db_sqlite_ops.open(path, &fx->s, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	db_sqlite_ops.close(fx->s);
	tempdir_remove(fx->dir);
	free(fx);
	return 0;
}

/* A sealed log.entry of origin at seq after prev, encoded; its hash in hash. */
static char *event_text(const char *origin, int64_t seq, const char *prev, const char *org, const char *kind,
			json_t *body, char hash[DD_HASH_HEX + 1])
{
	struct dd_event ev;
	event_init(&ev);
	uuid7_new(time_now_ms(), ev.id);
	snprintf(ev.origin, sizeof ev.origin, "%s", origin);
	ev.seq = seq;
	ev.hlc = hlc_make(INT64_C(1795651200000), (uint32_t)seq);
	snprintf(ev.at, sizeof ev.at, "2026-11-26T08:30:00.000+08:00");
	snprintf(ev.actor, sizeof ev.actor, "张伟");
	snprintf(ev.org, sizeof ev.org, "%s", org);
	snprintf(ev.kind, sizeof ev.kind, "%s", kind);
	ev.body = body;
	snprintf(ev.prev, sizeof ev.prev, "%s", prev);
	struct dd_error err;
	assert_int_equal(event_seal(&ev, &err), 0);
	char *text;
	assert_int_equal(event_encode(&ev, &text, NULL, &err), 0);
	if (hash)
		memcpy(hash, ev.hash, DD_HASH_HEX + 1);
	event_free(&ev);
	return text;
}

static char *log_text(const char *origin, int64_t seq, const char *prev, const char *org, const char *text,
		      char hash[DD_HASH_HEX + 1])
{
	return event_text(origin, seq, prev, org, "log.entry",
			  json_pack("{s:i, s:s, s:s}", "v", 1, "kind", "note", "text", text), hash);
}

/* A chain of n log entries of origin: texts[i] is seq i + 1. */
static void chain(const char *origin, int n, char **texts)
{
	char prev[DD_HASH_HEX + 1];
	memcpy(prev, DD_GENESIS_PREV, sizeof prev);
	for (int i = 0; i < n; i++) {
		char text[32];
		snprintf(text, sizeof text, "entry %d", i + 1);
		texts[i] = log_text(origin, i + 1, prev, "cq.yubei", text, prev);
	}
}

/* {"events": [texts in the order of idx]}. */
static char *body_of(char **texts, const int *idx, int n)
{
	size_t len = 16;
	for (int i = 0; i < n; i++)
		len += strlen(texts[idx[i]]) + 1;
	char *b = malloc(len);
	strcpy(b, "{\"events\":[");
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(b, ",");
		strcat(b, texts[idx[i]]);
	}
	strcat(b, "]}");
	return b;
}

static int count_events(struct fx *fx)
{
	int64_t n;
	struct dd_error err;
	assert_int_equal(db_sqlite_ops.events_count_after(fx->s, 0, NULL, NULL, &n, &err), 0);
	return (int)n;
}

/* Parses, authorises as a city token and stores body; the store result. */
static int ingest(struct fx *fx, const char *body, struct batch *b, enum role r, const char *org)
{
	struct dd_error err;
	assert_int_equal(batch_parse(body, strlen(body), b, &err), 0);
	batch_authorize(b, r, org);
	return db_run_tx(&db_sqlite_ops, fx->s, true, batch_store, b, &err);
}

static void test_parse_rejects_bad_bodies(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "{", "[]", "{\"events\": {}}", "{\"events\": []}", "{\"events\": [], \"more\": 1}",
		"{\"events\": [1], \"events\": [2]}", "{\"events\": [\"\xff\"]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct batch b;
		struct dd_error err;
		assert_int_equal(batch_parse(bad[i], strlen(bad[i]), &b, &err), DD_EINVAL);
	}
}

static void test_invalid_event_is_rejected_with_its_reason(void **state)
{
	(void)state;
	char *t = log_text(ORIGIN, 1, DD_GENESIS_PREV, "cq.yubei", "hello", NULL);
	/* Change the text without resealing: the hash no longer matches. */
	char *p = strstr(t, "hello");
	p[0] = 'j';
	int idx[] = { 0 };
	char *body = body_of(&t, idx, 1);
	struct batch b;
	struct dd_error err;
	assert_int_equal(batch_parse(body, strlen(body), &b, &err), 0);
	assert_int_equal(batch_rejected(&b), 1);
	assert_int_equal(b.items[0].status, 422);
	assert_non_null(strstr(b.items[0].reason, "hash"));
	assert_int_equal(batch_status(&b), 422);
	json_t *answer = batch_answer(&b);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(answer, "rejected"), 0), "id")),
			    b.items[0].ev.id);
	json_decref(answer);
	batch_free(&b);
	free(body);
	free(t);
}

static void test_new_then_duplicates(void **state)
{
	struct fx *fx = *state;
	char *t[3];
	chain(ORIGIN, 3, t);
	int idx[] = { 0, 1, 2 };
	char *body = body_of(t, idx, 3);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), 0);
	assert_int_equal(batch_status(&b), 200);
	json_t *a = batch_answer(&b);
	assert_int_equal(json_array_size(json_object_get(a, "accepted")), 3);
	assert_int_equal(json_integer_value(json_object_get(a, "last")), 3);
	json_decref(a);
	batch_free(&b);
	assert_int_equal(count_events(fx), 3);

	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), 0);
	a = batch_answer(&b);
	assert_int_equal(json_array_size(json_object_get(a, "accepted")), 0);
	assert_int_equal(json_array_size(json_object_get(a, "duplicates")), 3);
	json_decref(a);
	batch_free(&b);
	assert_int_equal(count_events(fx), 3);
	free(body);
	for (int i = 0; i < 3; i++)
		free(t[i]);
}

static void test_chain_out_of_order_is_stored_in_order(void **state)
{
	struct fx *fx = *state;
	char *t[4];
	chain(ORIGIN, 4, t);
	int idx[] = { 3, 1, 0, 2 };
	char *body = body_of(t, idx, 4);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_DISTRICT, "cq.yubei"), 0);
	batch_free(&b);
	assert_int_equal(count_events(fx), 4);
	int64_t seq;
	char hash[DD_HASH_HEX + 1];
	struct dd_error err;
	assert_int_equal(db_sqlite_ops.chain_head(fx->s, ORIGIN, &seq, hash, &err), 0);
	assert_int_equal(seq, 4);
	free(body);
	for (int i = 0; i < 4; i++)
		free(t[i]);
}

static void test_fork_stores_nothing(void **state)
{
	struct fx *fx = *state;
	char *t[2];
	chain(ORIGIN, 2, t);
	int idx[] = { 0, 1 };
	char *body = body_of(t, idx, 2);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), 0);
	batch_free(&b);
	free(body);

	/* Another origin's new event, then origin's seq 2 again, different. */
	char *fork[2];
	fork[0] = log_text(OTHER, 1, DD_GENESIS_PREV, "cq.yubei", "innocent", NULL);
	char h1[DD_HASH_HEX + 1];
	struct dd_error err;
	bool found;
	char id[DD_UUID_LEN + 1];
	assert_int_equal(db_sqlite_ops.event_at(fx->s, ORIGIN, 1, &found, id, h1, &err), 0);
	assert_true(found);
	fork[1] = log_text(ORIGIN, 2, h1, "cq.yubei", "rewritten", NULL);
	body = body_of(fork, idx, 2);
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), DD_ECHAIN);
	assert_non_null(strstr(b.fork, "forks at seq 2"));
	batch_free(&b);
	assert_int_equal(count_events(fx), 2);
	free(body);
	for (int i = 0; i < 2; i++) {
		free(t[i]);
		free(fork[i]);
	}
}

static void test_gap_rejects_whole_batch(void **state)
{
	struct fx *fx = *state;
	char *t[3];
	chain(ORIGIN, 3, t);
	int idx[] = { 0, 2 };   /* seq 1 and 3: 2 is missing */
	char *body = body_of(t, idx, 2);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), DD_EINVAL);
	assert_int_equal(batch_status(&b), 422);
	assert_int_equal(batch_rejected(&b), 1);
	assert_non_null(strstr(b.items[1].reason, "does not follow"));
	/* Nothing stored, and the answer says none was accepted. */
	json_t *a = batch_answer(&b);
	assert_int_equal(json_array_size(json_object_get(a, "accepted")), 0);
	json_decref(a);
	batch_free(&b);
	assert_int_equal(count_events(fx), 0);
	free(body);
	for (int i = 0; i < 3; i++)
		free(t[i]);
}

static void test_scope_rejects_before_storing(void **state)
{
	struct fx *fx = *state;
	char *t[2];
	t[0] = log_text(ORIGIN, 1, DD_GENESIS_PREV, "cq.yubei.ent-1", "mine", NULL);
	t[1] = event_text(OTHER, 1, DD_GENESIS_PREV, "cq.yubei.ent-1", "incident.tier",
			  json_pack("{s:i, s:s, s:s, s:s, s:[]}", "v", 1, "action", "confirm", "tier", "III", "reason",
				    "scale", "hops"), NULL);
	int idx[] = { 0, 1 };
	char *body = body_of(t, idx, 2);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_ENTERPRISE, "cq.yubei.ent-1"), DD_EINVAL);
	assert_int_equal(batch_status(&b), 403);
	assert_int_equal(b.items[0].state, ITEM_NEW);
	assert_int_equal(b.items[1].state, ITEM_REJECTED);
	assert_non_null(strstr(b.items[1].reason, "confirm"));
	batch_free(&b);
	assert_int_equal(count_events(fx), 0);

	/* The same batch from the district is fine. */
	assert_int_equal(ingest(fx, body, &b, ROLE_DISTRICT, "cq.yubei"), 0);
	batch_free(&b);
	assert_int_equal(count_events(fx), 2);
	free(body);
	free(t[0]);
	free(t[1]);
}

static void test_read_scope_in_sql(void **state)
{
	struct fx *fx = *state;
	char *t[3];
	t[0] = log_text(ORIGIN, 1, DD_GENESIS_PREV, "cq.yubei", "a", NULL);
	t[1] = log_text(OTHER, 1, DD_GENESIS_PREV, "cq.yubei2", "b", NULL);
	char *third = log_text("01a2157c-344a-771c-b0fc-4732328e1351", 1, DD_GENESIS_PREV, "cq.yubei.ent_1", "c", NULL);
	t[2] = third;
	int idx[] = { 0, 1, 2 };
	char *body = body_of(t, idx, 3);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), 0);
	batch_free(&b);
	int64_t n;
	struct dd_error err;
	assert_int_equal(db_sqlite_ops.events_count_after(fx->s, 0, "cq.yubei", NULL, &n, &err), 0);
	assert_int_equal(n, 2);   /* cq.yubei and cq.yubei.ent_1, never cq.yubei2 */
	assert_int_equal(db_sqlite_ops.events_count_after(fx->s, 0, "cq.yubei.ent", NULL, &n, &err), 0);
	assert_int_equal(n, 0);   /* '_' is no wildcard */
	/* a pull leaves out the caller's own chain up to the seq it gives */
	struct db_skip skip = { .origin = ORIGIN, .through = 1 };
	assert_int_equal(db_sqlite_ops.events_count_after(fx->s, 0, "cq.yubei", &skip, &n, &err), 0);
	assert_int_equal(n, 1);
	skip.through = 0;
	assert_int_equal(db_sqlite_ops.events_count_after(fx->s, 0, "cq.yubei", &skip, &n, &err), 0);
	assert_int_equal(n, 2);
	free(body);
	for (int i = 0; i < 3; i++)
		free(t[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rejects_bad_bodies),
		cmocka_unit_test(test_invalid_event_is_rejected_with_its_reason),
		cmocka_unit_test_setup_teardown(test_new_then_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_out_of_order_is_stored_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_rejects_whole_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope_rejects_before_storing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_scope_in_sql, setup, teardown),
	};
	return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
