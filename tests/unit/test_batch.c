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

/* A sealed event of origin at seq after prev, about subject, encoded;
 * its hash in hash. */
static char *event_about(const char *origin, int64_t seq, const char *prev, const char *org, const char *kind,
			 const char *subject, json_t *body, char hash[DD_HASH_HEX + 1])
{
	struct dd_event ev;
	event_init(&ev);
	snprintf(ev.subject, sizeof ev.subject, "%s", subject);
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

static char *event_text(const char *origin, int64_t seq, const char *prev, const char *org, const char *kind,
			json_t *body, char hash[DD_HASH_HEX + 1])
{
	return event_about(origin, seq, prev, org, kind, "", body, hash);
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

/* body_of with one event per line, as core/sync.c sends them. */
static char *framed_body_of(char **texts, int n)
{
	size_t len = 16;
	for (int i = 0; i < n; i++)
		len += strlen(texts[i]) + 2;
	char *b = malloc(len);
	strcpy(b, "{\"events\":[\n");
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(b, ",\n");
		strcat(b, texts[i]);
	}
	strcat(b, "\n]}");
	return b;
}

#define FRAMED_N 300   /* enough for the decoding to be shared among threads */

static void test_line_framing(void **state)
{
	struct fx *fx = *state;
	char **t = calloc(FRAMED_N, sizeof *t);
	chain(ORIGIN, FRAMED_N, t);
	char *body = framed_body_of(t, FRAMED_N);
	struct batch b;
	struct dd_error err;
	/* The same decoding as the whole-body parse: the chain in order. */
	assert_int_equal(batch_parse(body, strlen(body), &b, &err), 0);
	assert_int_equal(b.n, FRAMED_N);
	for (size_t i = 0; i < b.n; i++) {
		assert_true(b.items[i].decoded);
		assert_int_equal(b.items[i].index, i);
		assert_int_equal(b.items[i].ev.seq, (int64_t)i + 1);
		assert_string_equal(b.items[i].json, t[i]);
	}
	batch_free(&b);
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), 0);
	batch_free(&b);
	assert_int_equal(count_events(fx), FRAMED_N);

	/* A line that is not one JSON value: the whole body decides, and it
	 * is not JSON either. */
	char *cut = strdup(body);
	char *second = strstr(cut, ",\n") + 2;
	second[10] = '\n';
	assert_int_equal(batch_parse(cut, strlen(cut), &b, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "not valid JSON"));
	/* Two events on one line are still a valid batch. */
	strcpy(cut, body);
	second = strstr(cut, ",\n") + 1;
	*second = ' ';
	assert_int_equal(batch_parse(cut, strlen(cut), &b, &err), 0);
	assert_int_equal(b.n, FRAMED_N);
	batch_free(&b);
	/* An event that decodes but is invalid is named by its place. */
	strcpy(cut, body);
	char *text = strstr(strstr(cut, ",\n") + 2, "\"text\":\"") + 8;
	*text = 'E';
	assert_int_equal(batch_parse(cut, strlen(cut), &b, &err), 0);
	assert_int_equal(batch_rejected(&b), 1);
	assert_int_equal(b.items[1].state, ITEM_REJECTED);
	assert_non_null(strstr(b.items[1].reason, "hash"));
	batch_free(&b);
	free(cut);
	free(body);
	for (int i = 0; i < FRAMED_N; i++)
		free(t[i]);
	free(t);
}

static void test_id_of_another_event_is_rejected(void **state)
{
	struct fx *fx = *state;
	char *t[1];
	chain(ORIGIN, 1, t);
	int idx[] = { 0 };
	char *body = body_of(t, idx, 1);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), 0);
	batch_free(&b);
	/* OTHER's first event, re-sealed with the id ORIGIN's event has. */
	struct dd_error err;
	struct dd_event ev;
	char *other = log_text(OTHER, 1, DD_GENESIS_PREV, "cq.yubei", "another", NULL);
	assert_int_equal(event_decode(other, strlen(other), &ev, &err), 0);
	assert_int_equal(batch_parse(body, strlen(body), &b, &err), 0);
	memcpy(ev.id, b.items[0].ev.id, sizeof ev.id);
	batch_free(&b);
	assert_int_equal(event_seal(&ev, &err), 0);
	char *same_id;
	assert_int_equal(event_encode(&ev, &same_id, NULL, &err), 0);
	event_free(&ev);
	char *u[] = { same_id };
	char *body2 = body_of(u, idx, 1);
	assert_int_equal(ingest(fx, body2, &b, ROLE_CITY, "cq"), DD_EINVAL);
	assert_int_equal(batch_status(&b), 422);
	assert_non_null(strstr(b.items[0].reason, "already belongs to another event"));
	batch_free(&b);
	assert_int_equal(count_events(fx), 1);
	free(body);
	free(body2);
	free(same_id);
	free(other);
	free(t[0]);
}

/* batch_ingest as POST /v1/events runs it; its store outcome. */
static int ingest_framed(struct fx *fx, const char *body, struct batch *b, enum role r, const char *org)
{
	struct dd_error err;
	int stored = -1;
	assert_int_equal(batch_ingest(body, strlen(body), r, org, &db_sqlite_ops, fx->s, b, &stored, &err), 0);
	return stored;
}

static size_t in_state(const struct batch *b, enum item_state st)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += b->items[i].state == st;
	return n;
}

static void test_ingest_stores_while_decoding(void **state)
{
	struct fx *fx = *state;
	char **t = calloc(FRAMED_N, sizeof *t);
	chain(ORIGIN, FRAMED_N, t);
	char *body = framed_body_of(t, FRAMED_N);
	struct batch b;
	/* Out of scope: nothing stored, the reason given. */
	assert_int_equal(ingest_framed(fx, body, &b, ROLE_DISTRICT, "cq.fuling"), 0);
	assert_int_equal(batch_rejected(&b), FRAMED_N);
	assert_int_equal(batch_status(&b), 403);
	batch_free(&b);
	assert_int_equal(count_events(fx), 0);
	/* The plain case, then the same again: all duplicates. */
	assert_int_equal(ingest_framed(fx, body, &b, ROLE_DISTRICT, "cq.yubei"), 0);
	assert_int_equal(in_state(&b, ITEM_ACCEPTED), FRAMED_N);
	assert_int_equal(b.last_gseq, FRAMED_N);
	batch_free(&b);
	assert_int_equal(ingest_framed(fx, body, &b, ROLE_CITY, "cq"), 0);
	assert_int_equal(in_state(&b, ITEM_DUPLICATE), FRAMED_N);
	batch_free(&b);
	assert_int_equal(count_events(fx), FRAMED_N);
	free(body);

	/* OTHER's chain reversed: stored in order all the same. */
	char **u = calloc(FRAMED_N, sizeof *u), **rev = calloc(FRAMED_N, sizeof *rev);
	chain(OTHER, FRAMED_N, u);
	for (int i = 0; i < FRAMED_N; i++)
		rev[i] = u[FRAMED_N - 1 - i];
	body = framed_body_of(rev, FRAMED_N);
	assert_int_equal(ingest_framed(fx, body, &b, ROLE_CITY, "cq"), 0);
	assert_int_equal(in_state(&b, ITEM_ACCEPTED), FRAMED_N);
	batch_free(&b);
	assert_int_equal(count_events(fx), 2 * FRAMED_N);
	free(body);

	/* A fork in the middle of a long batch: 409's outcome, nothing of it stored. */
	char *fresh[FRAMED_N];
	chain("01a2157c-344a-771c-b0fc-4732328e1370", FRAMED_N, fresh);
	char h[DD_HASH_HEX + 1];
	bool found;
	char id[DD_UUID_LEN + 1];
	struct dd_error err;
	assert_int_equal(db_sqlite_ops.event_at(fx->s, ORIGIN, 199, &found, id, h, &err), 0);
	char *mixed[FRAMED_N];
	for (int i = 0; i < FRAMED_N; i++)
		mixed[i] = fresh[i];
	mixed[FRAMED_N - 1] = log_text(ORIGIN, 200, h, "cq.yubei", "rewritten", NULL);
	body = framed_body_of(mixed, FRAMED_N);
	assert_int_equal(ingest_framed(fx, body, &b, ROLE_CITY, "cq"), DD_ECHAIN);
	assert_non_null(strstr(b.fork, "forks at seq 200"));
	assert_int_equal(in_state(&b, ITEM_ACCEPTED), 0);
	batch_free(&b);
	assert_int_equal(count_events(fx), 2 * FRAMED_N);
	free(body);
	free(mixed[FRAMED_N - 1]);
	for (int i = 0; i < FRAMED_N; i++) {
		free(t[i]);
		free(u[i]);
		free(fresh[i]);
	}
	free(t);
	free(u);
	free(rev);
}

static int64_t readable(struct fx *fx, const char *scope)
{
	int64_t n;
	struct dd_error err;
	assert_int_equal(db_sqlite_ops.events_count_after(fx->s, 0, scope, NULL, &n, &err), 0);
	return n;
}

static void test_addressed_events_reach_their_readers(void **state)
{
	struct fx *fx = *state;
	const char *incident = "01a2157c-344a-771c-b0fc-4732328e1360";
	char prev[DD_HASH_HEX + 1], *t[3];
	/* The city: an advisory to cq.yubei, an incident of one of its
	 * enterprises; the centre: a note on that incident. */
	t[0] = event_text(ORIGIN, 1, DD_GENESIS_PREV, "cq", "advisory.issue",
			  json_pack("{s:i, s:s, s:s, s:s, s:s, s:[s]}", "v", 1, "title", "预警", "level", "orange",
				    "action", "自查", "deadline", "2099-01-01T12:00:00+08:00", "to", "cq.yubei"), prev);
	t[1] = event_about(ORIGIN, 2, prev, "cq", "incident.open", incident,
			   json_pack("{s:i, s:s, s:s, s:s, s:b, s:s, s:[]}", "v", 1, "title", "PLC", "category", "malware",
				     "reporting_org", "cq.yubei.ent-1", "cii", 0, "detected_at",
				     "2026-11-26T08:00:00+08:00", "hops"), NULL);
	t[2] = event_about(OTHER, 1, DD_GENESIS_PREV, "cq.center", "incident.note", incident,
			   json_pack("{s:i, s:s}", "v", 1, "text", "远程协助"), NULL);
	int idx[] = { 0, 1, 2 };
	char *body = body_of(t, idx, 3);
	struct batch b;
	assert_int_equal(ingest(fx, body, &b, ROLE_CITY, "cq"), 0);
	assert_int_equal(batch_rejected(&b), 0);
	batch_free(&b);
	assert_int_equal(readable(fx, "cq.yubei"), 3);
	assert_int_equal(readable(fx, "cq.yubei.ent-1"), 3);   /* the advisory reaches its subtree */
	assert_int_equal(readable(fx, "cq.yubei.ent-2"), 1);
	assert_int_equal(readable(fx, "cq.fuling"), 0);
	assert_int_equal(readable(fx, "cq.center"), 1);        /* its own note */
	assert_int_equal(readable(fx, NULL), 3);
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
		cmocka_unit_test_setup_teardown(test_line_framing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest_stores_while_decoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_of_another_event_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addressed_events_reach_their_readers, setup, teardown),
	};
	return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
