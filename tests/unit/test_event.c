/*
 * test_event.c — unit tests for core/event.c: the canonical encoding and
 * its hash (against golden vectors checked in under tests/unit/golden/),
 * round trips, every way event_decode(), event_from_json(),
 * event_validate() and event_check_chain() refuse an event, and org ids.
 *
 * The golden files were generated once from the code and checked by hand
 * and with sha256sum; this test only reads them.  event-N.json holds the
 * exact canonical bytes (no trailing newline) and event-N.sha256 the hash
 * in sha256sum's format, so `cd tests/unit/golden && sha256sum -c *.sha256`
 * checks them without dutydesk.  If a golden test fails, the encoding
 * changed: every stored hash chain would break, so fix the code, not the
 * files.
 *
 * Rejections assert the code and a substring naming the field, so a check
 * that moves, disappears or names the wrong field fails here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/event.h"
#include "dutydesk/ids.h"
#include "dutydesk/text.h"

#define ORIGIN_A "0194d6e0-0000-7000-8000-00000000c0de"
#define ORIGIN_B "0194d6e0-0000-7000-9000-0000000b0b0b"
#define ID_1 "01a21542-5b40-7a11-8c22-000000000001"
#define ID_2 "01a21542-611c-7b22-9d33-000000000002"
#define ID_3 "01a21542-6310-7c33-ae44-000000000003"
#define TEXT_1 "接警：渝北区龙溪街道一仓库起火，无人员被困。"
#define TEXT_2 "ESC \x1b[31mred\x1b[0m\ttab\nline\r\x7f\x01 back\\slash /slash \"q\""
#define TEXT_3 "\xF0\x9F\x9A\x92 出动2车10人 LS[\xE2\x80\xA8] RLO[\xE2\x80\xAE]"

/* ---- helpers -------------------------------------------------------- */

static void set(char *dst, size_t cap, const char *src)
{
	assert_true(strlen(src) < cap);
	memcpy(dst, src, strlen(src) + 1);
}
#define SET(field, value) set((field), sizeof(field), (value))

static json_t *log_body(const char *kind, const char *text, const char *corrects)
{
	json_t *b = json_pack("{s:i, s:s, s:s}", "v", 1, "kind", kind, "text", text);
	assert_non_null(b);
	if (corrects)
		assert_int_equal(json_object_set_new(b, "corrects", json_string(corrects)), 0);
	return b;
}

/* Chinese text, empty subject, drill 0, first of its origin. */
static void build_event_1(struct dd_event *ev)
{
	event_init(ev);
	SET(ev->id, ID_1);
	SET(ev->origin, ORIGIN_A);
	ev->seq = 1;
	ev->hlc = UINT64_C(117679915008000000); /* hlc_make(1795653000000, 0) */
	SET(ev->at, "2026-11-26T08:30:00.000+08:00");
	SET(ev->actor, "张伟");
	SET(ev->org, "cq.yubei");
	SET(ev->kind, "log.entry");
	SET(ev->subject, "");
	ev->drill = 0;
	ev->body = log_body("call-in", TEXT_1, NULL);
	SET(ev->prev, DD_GENESIS_PREV);
}

/* Control characters, quotes and backslashes, drill 1, chained to prev. */
static void build_event_2(struct dd_event *ev, const char *prev)
{
	event_init(ev);
	SET(ev->id, ID_2);
	SET(ev->origin, ORIGIN_A);
	ev->seq = 2;
	ev->hlc = UINT64_C(117679915106304003); /* hlc_make(1795653001500, 3) */
	SET(ev->at, "2026-11-26T08:30:01.500+08:00");
	SET(ev->actor, "Li \"Lei\" 李雷");
	SET(ev->org, "cq.yubei");
	SET(ev->kind, "log.entry");
	SET(ev->subject, ID_1);
	ev->drill = 1;
	ev->body = log_body("note", TEXT_2, ID_1);
	SET(ev->prev, prev);
}

/* Another origin, UTC time, astral and invisible characters, drill 1. */
static void build_event_3(struct dd_event *ev)
{
	event_init(ev);
	SET(ev->id, ID_3);
	SET(ev->origin, ORIGIN_B);
	ev->seq = 1;
	ev->hlc = hlc_make(INT64_C(1795653002000), HLC_LOGICAL_MAX);
	SET(ev->at, "2026-11-26T00:30:02Z");
	SET(ev->actor, "王芳");
	SET(ev->org, "cq.yubei.ent-0042");
	SET(ev->kind, "log.entry");
	SET(ev->subject, "");
	ev->drill = 1;
	ev->body = log_body("action", TEXT_3, NULL);
	SET(ev->prev, DD_GENESIS_PREV);
}

/* A sealed, valid event; its JSON object (with hash) is what the
 * rejection tests take apart. */
static void build_sealed_1(struct dd_event *ev)
{
	build_event_1(ev);
	assert_int_equal(event_seal(ev, NULL), 0);
}

static json_t *base_json(void)
{
	struct dd_event ev;
	build_sealed_1(&ev);
	json_t *o = event_to_json(&ev);
	assert_non_null(o);
	event_free(&ev);
	return o;
}

static char *golden_path(const char *name)
{
	/* __FILE__ is tests/unit/test_event.c as make compiles it; the
	 * tests run from the top of the tree. */
	const char *dir = getenv("DD_GOLDEN_DIR");
	char buf[1024];
	if (dir) {
		snprintf(buf, sizeof buf, "%s/%s", dir, name);
	} else {
		const char *slash = strrchr(__FILE__, '/');
		int n = slash ? (int)(slash - __FILE__) : 1;
		snprintf(buf, sizeof buf, "%.*s/golden/%s", n, slash ? __FILE__ : ".", name);
	}
	return strdup(buf);
}

static char *slurp(const char *name, size_t *len)
{
	char *path = golden_path(name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open golden file %s (run from the top of the tree)", path);
	free(path);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The decode must fail with code and a message holding want, and leave
 * the event empty. */
static void check_failed(int rc, const struct dd_event *ev, const struct dd_error *err, int code,
			 const char *want, const char *what)
{
	if (rc != code || !strstr(err->msg, want))
		fail_msg("%s: rc %d (want %d), message \"%s\" (want \"%s\")", what, rc, code, err->msg, want);
	assert_int_equal(err->code, code);
	assert_null(ev->body);
	assert_string_equal(ev->id, "");
	assert_int_equal(ev->seq, 0);
}

/* Rejected by event_from_json and, serialised, by event_decode. */
static void expect_reject_obj(json_t *obj, int code, const char *want)
{
	struct dd_event ev;
	struct dd_error err = { 0, "" };
	memset(&ev, 0x55, sizeof ev);
	ev.body = NULL;
	int rc = event_from_json(obj, &ev, &err);
	check_failed(rc, &ev, &err, code, want, "event_from_json");

	char *s = json_dumps(obj, JSON_COMPACT);
	assert_non_null(s);
	dd_error_clear(&err);
	rc = event_decode(s, strlen(s), &ev, &err);
	check_failed(rc, &ev, &err, code, want, s);
	free(s);
}

/* Base event with one field replaced (value reference is stolen). */
static void reject_with(const char *field, json_t *value, int code, const char *want)
{
	json_t *o = base_json();
	assert_int_equal(json_object_set_new(o, field, value), 0);
	expect_reject_obj(o, code, want);
	json_decref(o);
}

/* Base event with one body field replaced, or removed when value is NULL. */
static void reject_body_with(const char *field, json_t *value, int code, const char *want)
{
	json_t *o = base_json();
	json_t *body = json_object_get(o, "body");
	if (value)
		assert_int_equal(json_object_set_new(body, field, value), 0);
	else
		assert_int_equal(json_object_del(body, field), 0);
	expect_reject_obj(o, code, want);
	json_decref(o);
}

static void expect_reject_text(const char *json, size_t len, int code, const char *want)
{
	struct dd_event ev;
	struct dd_error err = { 0, "" };
	int rc = event_decode(json, len, &ev, &err);
	check_failed(rc, &ev, &err, code, want, "event_decode");
}

/* Encodes ev, decodes it, and checks every field survived. */
static void assert_round_trip(const struct dd_event *ev)
{
	char *a, *b;
	size_t alen, blen;
	struct dd_error err;
	assert_int_equal(event_encode(ev, &a, &alen, &err), 0);
	assert_int_equal(strlen(a), alen);
	struct dd_event back;
	int rc = event_decode(a, alen, &back, &err);
	if (rc)
		fail_msg("decode of own encoding failed: %s", err.msg);
	assert_string_equal(back.id, ev->id);
	assert_string_equal(back.origin, ev->origin);
	assert_int_equal(back.seq, ev->seq);
	assert_int_equal(back.hlc, ev->hlc);
	assert_string_equal(back.at, ev->at);
	assert_string_equal(back.actor, ev->actor);
	assert_string_equal(back.org, ev->org);
	assert_string_equal(back.kind, ev->kind);
	assert_string_equal(back.subject, ev->subject);
	assert_int_equal(back.drill, ev->drill);
	assert_true(json_equal(back.body, ev->body));
	assert_string_equal(back.prev, ev->prev);
	assert_string_equal(back.hash, ev->hash);
	assert_int_equal(event_encode(&back, &b, &blen, &err), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	event_free(&back);
}

/* ---- dd_sha256_hex -------------------------------------------------- */

static void test_sha256_known(void **state)
{
	(void)state;
	char h[DD_HASH_HEX + 1];
	dd_sha256_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	dd_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(strlen(DD_GENESIS_PREV), 64);
	assert_int_equal(strspn(DD_GENESIS_PREV, "0"), 64);
}

/* ---- golden vectors -------------------------------------------------- */

static void check_golden(struct dd_event *ev, int n)
{
	char name[64];
	size_t glen, hlen;
	snprintf(name, sizeof name, "event-%d.json", n);
	char *golden = slurp(name, &glen);
	snprintf(name, sizeof name, "event-%d.sha256", n);
	char *hashfile = slurp(name, &hlen);

	char *canon;
	size_t clen;
	struct dd_error err;
	assert_int_equal(event_canonical(ev, &canon, &clen, &err), 0);
	if (clen != glen || memcmp(canon, golden, glen) != 0)
		fail_msg("event %d: canonical bytes differ from golden\n got: %s\nwant: %s", n, canon, golden);

	/* "<64 hex>  event-N.json\n" */
	assert_true(hlen >= DD_HASH_HEX + 2);
	assert_memory_equal(hashfile + DD_HASH_HEX, "  ", 2);
	hashfile[DD_HASH_HEX] = '\0';
	assert_int_equal(event_seal(ev, &err), 0);
	assert_string_equal(ev->hash, hashfile);
	char again[DD_HASH_HEX + 1];
	dd_sha256_hex(golden, glen, again);
	assert_string_equal(again, hashfile);

	/* The full encoding is the canonical bytes with "hash" in its sorted
	 * place, between "drill" and "hlc". */
	char *enc;
	size_t elen;
	assert_int_equal(event_encode(ev, &enc, &elen, &err), 0);
	const char *hlc = strstr(canon, ",\"hlc\":");
	assert_non_null(hlc);
	char want[8192];
	snprintf(want, sizeof want, "%.*s,\"hash\":\"%s\"%s", (int)(hlc - canon), canon, ev->hash, hlc);
	assert_string_equal(enc, want);

	assert_int_equal(event_validate(ev, true, &err), 0);
	assert_round_trip(ev);
	free(enc);
	free(canon);
	free(golden);
	free(hashfile);
}

static void test_golden_event_1(void **state)
{
	(void)state;
	struct dd_event ev;
	build_event_1(&ev);
	check_golden(&ev, 1);
	/* spot checks that the file is what the header promises */
	char *canon;
	assert_int_equal(event_canonical(&ev, &canon, NULL, NULL), 0);
	assert_non_null(strstr(canon, "\"text\":\"" TEXT_1 "\"")); /* raw UTF-8 */
	assert_non_null(strstr(canon, "\"subject\":\"\""));
	assert_non_null(strstr(canon, "\"drill\":0"));
	assert_null(strstr(canon, "\"hash\""));
	assert_null(strchr(canon, ' '));
	assert_int_equal(canon[0], '{');
	assert_memory_equal(canon, "{\"actor\":", 9); /* sorted keys */
	free(canon);
	event_free(&ev);
}

static void test_golden_event_2(void **state)
{
	(void)state;
	struct dd_event e1, ev;
	build_sealed_1(&e1);
	build_event_2(&ev, e1.hash);
	check_golden(&ev, 2);
	char *canon;
	assert_int_equal(event_canonical(&ev, &canon, NULL, NULL), 0);
	/* control characters escaped as JSON escapes, never raw */
	assert_non_null(strstr(canon, "ESC \\u001B[31mred\\u001B[0m\\ttab\\nline\\r"));
	assert_null(strchr(canon, '\x1b'));
	assert_null(strchr(canon, '\n'));
	assert_non_null(strstr(canon, "\"drill\":1"));
	assert_non_null(strstr(canon, "\"corrects\":\"" ID_1 "\""));
	free(canon);
	assert_int_equal(event_check_chain(&e1, &ev, NULL), 0);
	event_free(&ev);
	event_free(&e1);
}

static void test_golden_event_3(void **state)
{
	(void)state;
	struct dd_event ev;
	build_event_3(&ev);
	check_golden(&ev, 3);
	event_free(&ev);
}

static void test_canonical_independent_of_input_form(void **state)
{
	(void)state;
	struct dd_event a, b;
	build_sealed_1(&a);
	/* body keys inserted in another order */
	build_event_1(&b);
	json_decref(b.body);
	b.body = json_pack("{s:s, s:s, s:i}", "text", TEXT_1, "kind", "call-in", "v", 1);
	assert_int_equal(event_seal(&b, NULL), 0);
	assert_string_equal(a.hash, b.hash);

	/* pretty-printed input with keys in insertion order decodes to the
	 * same event and re-encodes canonically */
	json_t *o = event_to_json(&a);
	char *pretty = json_dumps(o, JSON_INDENT(3) | JSON_PRESERVE_ORDER);
	char *canon_enc;
	assert_int_equal(event_encode(&a, &canon_enc, NULL, NULL), 0);
	assert_string_not_equal(pretty, canon_enc);
	struct dd_event c;
	struct dd_error err;
	assert_int_equal(event_decode(pretty, strlen(pretty), &c, &err), 0);
	char *again;
	assert_int_equal(event_encode(&c, &again, NULL, NULL), 0);
	assert_string_equal(again, canon_enc);
	assert_int_equal(json_object_size(o), 13);
	free(pretty);
	free(canon_enc);
	free(again);
	json_decref(o);
	event_free(&a);
	event_free(&b);
	event_free(&c);
}

static void test_hash_covers_every_field(void **state)
{
	(void)state;
	struct dd_event base;
	build_sealed_1(&base);
	for (int f = 0; f < 12; f++) {
		struct dd_event ev;
		build_event_1(&ev);
		switch (f) {
		case 0: ev.id[35] = '2'; break;
		case 1: ev.origin[35] = 'f'; break;
		case 2: ev.seq = 2; break;
		case 3: ev.hlc++; break;
		case 4: SET(ev.at, "2026-11-26T08:30:00.001+08:00"); break;
		case 5: SET(ev.actor, "张伟 "); break;
		case 6: SET(ev.org, "cq.yubeI"); break;
		case 7: SET(ev.kind, "log.entrY"); break;
		case 8: SET(ev.subject, "x"); break;
		case 9: ev.drill = 1; break;
		case 10: json_object_set_new(ev.body, "text", json_string(TEXT_1 " ")); break;
		case 11: ev.prev[63] = '1'; break;
		}
		assert_int_equal(event_seal(&ev, NULL), 0);
		if (strcmp(ev.hash, base.hash) == 0)
			fail_msg("changing field %d left the hash unchanged", f);
		event_free(&ev);
	}
	/* the hash field itself is not hashed */
	struct dd_event ev;
	build_event_1(&ev);
	SET(ev.hash, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
	assert_int_equal(event_seal(&ev, NULL), 0);
	assert_string_equal(ev.hash, base.hash);
	event_free(&ev);
	event_free(&base);
}

/* ---- round trips ------------------------------------------------------ */

static uint64_t rng_state = 0x2545f4914f6cdd1du;
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void random_text(char *buf, size_t cap)
{
	static const char *const pieces[] = {
		"火", "警", "值班", "a", "Z", " ", "\t", "\n", "\x1b[2J", "\x01", "\x7f", "\"", "\\",
		"/", "\xF0\x9F\x9A\x92", "\xE2\x80\xAE", "\xC2\x9B", "é", "0", "\xEF\xBF\xBD",
	};
	size_t len = 0;
	int n = 1 + (int)(rng() % 40);
	for (int i = 0; i < n; i++) {
		const char *p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
		if (len + strlen(p) + 1 > cap)
			break;
		memcpy(buf + len, p, strlen(p));
		len += strlen(p);
	}
	buf[len] = '\0';
	if (len == 0)
		memcpy(buf, "x", 2);
}

static void test_round_trip_golden(void **state)
{
	(void)state;
	struct dd_event e1, e2, e3;
	build_sealed_1(&e1);
	build_event_2(&e2, e1.hash);
	build_event_3(&e3);
	assert_int_equal(event_seal(&e2, NULL), 0);
	assert_int_equal(event_seal(&e3, NULL), 0);
	assert_round_trip(&e1);
	assert_round_trip(&e2);
	assert_round_trip(&e3);

	/* through the jansson object as well */
	json_t *o = event_to_json(&e2);
	struct dd_event back;
	assert_int_equal(event_from_json(o, &back, NULL), 0);
	assert_string_equal(back.hash, e2.hash);
	assert_true(json_equal(back.body, e2.body));
	json_decref(o);
	event_free(&back);
	event_free(&e1);
	event_free(&e2);
	event_free(&e3);
}

static void test_round_trip_random(void **state)
{
	(void)state;
	char prev[DD_HASH_HEX + 1];
	memcpy(prev, DD_GENESIS_PREV, sizeof prev);
	struct dd_event before;
	event_init(&before);
	for (int i = 1; i <= 500; i++) {
		struct dd_event ev;
		event_init(&ev);
		uuid7_new(INT64_C(1795653000000) + i, ev.id);
		SET(ev.origin, ORIGIN_A);
		ev.seq = i;
		ev.hlc = hlc_make(INT64_C(1795653000000) + i, (uint32_t)(rng() % 100));
		snprintf(ev.at, sizeof ev.at, "2026-11-%02dT%02d:%02d:%02d.%03d+08:00", 1 + (int)(rng() % 28),
			 (int)(rng() % 24), (int)(rng() % 60), (int)(rng() % 60), (int)(rng() % 1000));
		random_text(ev.actor, sizeof ev.actor);
		SET(ev.org, (rng() & 1) ? "cq" : "cq.yubei.ent-0042");
		SET(ev.kind, "log.entry");
		if (rng() & 1)
			SET(ev.subject, ID_1);
		ev.drill = (int)(rng() & 1);
		char text[2000];
		random_text(text, sizeof text);
		static const char *const kinds[] = { "note", "call-in", "call-out", "action", "handover" };
		ev.body = log_body(kinds[rng() % 5], text, (rng() & 1) ? ID_2 : NULL);
		SET(ev.prev, prev);
		assert_int_equal(event_seal(&ev, NULL), 0);
		/* the hash is the SHA-256 of the canonical bytes */
		char *canon;
		size_t clen;
		assert_int_equal(event_canonical(&ev, &canon, &clen, NULL), 0);
		assert_true(text_is_valid_utf8(canon, clen));
		char h[DD_HASH_HEX + 1];
		dd_sha256_hex(canon, clen, h);
		assert_string_equal(h, ev.hash);
		free(canon);
		assert_round_trip(&ev);
		/* the encoding spliced from the canonical bytes is event_encode's */
		char *enc, *spliced;
		assert_int_equal(event_encode(&ev, &enc, NULL, NULL), 0);
		json_t *o = event_to_json(&ev);
		struct dd_event back;
		assert_int_equal(event_from_json_encoded(o, &back, &spliced, NULL), 0);
		assert_string_equal(spliced, enc);
		json_decref(o);
		event_free(&back);
		free(spliced);
		free(enc);
		struct dd_error err;
		if (event_check_chain(i == 1 ? NULL : &before, &ev, &err))
			fail_msg("chain %d: %s", i, err.msg);
		memcpy(prev, ev.hash, sizeof prev);
		event_free(&before);
		before = ev;
	}
	event_free(&before);
}

static void test_boundaries_accepted(void **state)
{
	(void)state;
	struct dd_event ev;
	struct dd_error err;

	/* longest actor, subject and text; a v4 origin */
	build_event_1(&ev);
	memset(ev.actor, 'a', DD_ACTOR_MAX);
	ev.actor[DD_ACTOR_MAX] = '\0';
	memset(ev.subject, 's', DD_SUBJECT_MAX);
	ev.subject[DD_SUBJECT_MAX] = '\0';
	SET(ev.origin, "919108f7-52d1-4320-9bac-f847db4148a8");
	char text[16001];
	for (int i = 0; i < 5333; i++)
		memcpy(text + 3 * i, "火", 3);
	text[15999] = 'a';
	text[16000] = '\0';
	json_object_set_new(ev.body, "text", json_string(text));
	assert_int_equal(event_seal(&ev, &err), 0);
	assert_int_equal(event_validate(&ev, true, &err), 0);
	assert_round_trip(&ev);
	event_free(&ev);

	/* the longest org id: 128 bytes */
	build_event_1(&ev);
	char org[DD_ORG_MAX + 1];
	memset(org, 'q', DD_ORG_MAX);
	org[1] = '.';
	org[DD_ORG_MAX] = '\0';
	SET(ev.org, org);
	assert_int_equal(event_seal(&ev, &err), 0);
	assert_round_trip(&ev);
	event_free(&ev);

	/* hlc 0, seq far along, every log kind */
	static const char *const kinds[] = { "note", "call-in", "call-out", "action", "handover" };
	for (int k = 0; k < 5; k++) {
		build_event_1(&ev);
		ev.hlc = 0;
		ev.seq = INT64_C(9000000000000000000);
		SET(ev.prev, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
		json_object_set_new(ev.body, "kind", json_string(kinds[k]));
		assert_int_equal(event_seal(&ev, &err), 0);
		assert_round_trip(&ev);
		event_free(&ev);
	}
}

/* ---- rejections: the text ------------------------------------------- */

static void test_reject_not_json(void **state)
{
	(void)state;
	expect_reject_text("", 0, DD_EINVAL, "not valid JSON");
	expect_reject_text("{", 1, DD_EINVAL, "not valid JSON");
	expect_reject_text("hello", 5, DD_EINVAL, "not valid JSON");
	expect_reject_text("{\"id\":}", 7, DD_EINVAL, "not valid JSON");
	expect_reject_text("{'id':1}", 8, DD_EINVAL, "not valid JSON");
	/* scalars are not documents */
	expect_reject_text("42", 2, DD_EINVAL, "not valid JSON");
	expect_reject_text("\"x\"", 3, DD_EINVAL, "not valid JSON");
	/* an integer jansson cannot hold */
	json_t *o = base_json();
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	char *seq = strstr(s, "\"seq\":1");
	assert_non_null(seq);
	char buf[4096];
	snprintf(buf, sizeof buf, "%.*s\"seq\":99999999999999999999%s", (int)(seq - s), s, seq + 7);
	expect_reject_text(buf, strlen(buf), DD_EINVAL, "not valid JSON");
	/* trailing data after a valid event */
	snprintf(buf, sizeof buf, "%s x", s);
	expect_reject_text(buf, strlen(buf), DD_EINVAL, "not valid JSON");
	snprintf(buf, sizeof buf, "%s%s", s, s);
	expect_reject_text(buf, strlen(buf), DD_EINVAL, "not valid JSON");
	/* len is honoured: the event cut short is not JSON */
	expect_reject_text(s, strlen(s) - 1, DD_EINVAL, "not valid JSON");
	free(s);
	json_decref(o);
}

static void test_reject_not_object(void **state)
{
	(void)state;
	expect_reject_text("[]", 2, DD_EINVAL, "must be a JSON object");
	expect_reject_text("[{\"id\":1}]", 10, DD_EINVAL, "must be a JSON object");
	json_t *a = json_array();
	expect_reject_obj(a, DD_EINVAL, "must be a JSON object");
	json_decref(a);
	struct dd_event ev;
	struct dd_error err;
	check_failed(event_from_json(NULL, &ev, &err), &ev, &err, DD_EINVAL, "must be a JSON object",
		     "NULL");
	json_t *str = json_string("x");
	check_failed(event_from_json(str, &ev, &err), &ev, &err, DD_EINVAL, "must be a JSON object",
		     "string");
	json_decref(str);
}

/* Replaces the first occurrence of from in the base event's encoding. */
static void reject_edited_text(const char *from, const char *to, size_t tolen, int code,
			       const char *want)
{
	json_t *o = base_json();
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	char *at = strstr(s, from);
	if (!at)
		fail_msg("\"%s\" not in %s", from, s);
	size_t head = (size_t)(at - s), flen = strlen(from), tail = strlen(at + flen);
	char *buf = malloc(head + tolen + tail + 1);
	memcpy(buf, s, head);
	memcpy(buf + head, to, tolen);
	memcpy(buf + head + tolen, at + flen, tail + 1);
	expect_reject_text(buf, head + tolen + tail, code, want);
	free(buf);
	free(s);
}
#define REJECT_EDIT(from, to, code, want) reject_edited_text((from), (to), sizeof(to) - 1, (code), (want))

static void test_reject_invalid_utf8(void **state)
{
	(void)state;
	/* raw invalid bytes in a string: stray byte, overlong, surrogate,
	 * truncated sequence, above U+10FFFF */
	REJECT_EDIT("张伟", "张\xff", DD_EINVAL, "not valid JSON");
	REJECT_EDIT("张伟", "\xc0\xaf", DD_EINVAL, "not valid JSON");
	REJECT_EDIT("张伟", "\xed\xa0\x80", DD_EINVAL, "not valid JSON");
	REJECT_EDIT("张伟", "\xe4\xb8", DD_EINVAL, "not valid JSON");
	REJECT_EDIT("张伟", "\xf4\x90\x80\x80", DD_EINVAL, "not valid JSON");
	REJECT_EDIT("无人员被困", "\xfe\xfe", DD_EINVAL, "not valid JSON");
	/* a lone surrogate escape, and an escaped NUL */
	REJECT_EDIT("张伟", "\\ud800", DD_EINVAL, "not valid JSON");
	REJECT_EDIT("张伟", "a\\u0000b", DD_EINVAL, "not valid JSON");
	/* an unescaped control character inside a string */
	REJECT_EDIT("张伟", "a\nb", DD_EINVAL, "not valid JSON");
	/* a NUL byte anywhere in the text */
	REJECT_EDIT("张伟", "a\0b", DD_EINVAL, "not valid JSON");
}

static void test_reject_duplicate_keys(void **state)
{
	(void)state;
	REJECT_EDIT("\"seq\":1", "\"seq\":1,\"seq\":1", DD_EINVAL, "duplicate");
	REJECT_EDIT("\"seq\":1", "\"seq\":2,\"seq\":1", DD_EINVAL, "duplicate");
	REJECT_EDIT("\"v\":1", "\"v\":1,\"v\":1", DD_EINVAL, "duplicate");
	REJECT_EDIT("\"actor\":", "\"actor\":\"x\",\"actor\":", DD_EINVAL, "duplicate");
}

static void test_reject_oversize_event(void **state)
{
	(void)state;
	json_t *o = base_json();
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	size_t n = strlen(s);
	/* a valid event padded with white space to exactly the limit is fine */
	char *buf = malloc(DD_EVENT_MAX + 2);
	memcpy(buf, s, n);
	memset(buf + n, ' ', DD_EVENT_MAX + 1 - n);
	struct dd_event ev;
	struct dd_error err;
	assert_int_equal(event_decode(buf, DD_EVENT_MAX, &ev, &err), 0);
	event_free(&ev);
	/* one byte more is refused before parsing */
	expect_reject_text(buf, DD_EVENT_MAX + 1, DD_ERANGE, "event of 69633 bytes, at most 69632");
	free(buf);
	free(s);
}

/* ---- rejections: the fields ----------------------------------------- */

static const char *const all_fields[] = {
	"id", "origin", "seq", "hlc", "at", "actor", "org", "kind", "subject",
	"drill", "body", "prev", "hash",
};

static void test_reject_unknown_field(void **state)
{
	(void)state;
	reject_with("extra", json_string("x"), DD_EINVAL, "field 'extra': not an event field");
	reject_with("Seq", json_integer(1), DD_EINVAL, "field 'Seq': not an event field");
	reject_with("", json_integer(1), DD_EINVAL, "field '': not an event field");
}

static void test_reject_missing_fields(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof all_fields / sizeof all_fields[0]; i++) {
		json_t *o = base_json();
		assert_int_equal(json_object_del(o, all_fields[i]), 0);
		char want[64];
		snprintf(want, sizeof want, "field '%s': missing", all_fields[i]);
		expect_reject_obj(o, DD_EINVAL, want);
		json_decref(o);
	}
	json_t *empty = json_object();
	expect_reject_obj(empty, DD_EINVAL, "field 'id': missing");
	json_decref(empty);
}

static void test_reject_wrong_types(void **state)
{
	(void)state;
	static const char *const strings[] = { "id", "origin", "at", "actor", "org", "kind",
					       "subject", "prev", "hash" };
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		char want[64];
		snprintf(want, sizeof want, "field '%s': must be a string", strings[i]);
		reject_with(strings[i], json_integer(7), DD_EINVAL, want);
		reject_with(strings[i], json_null(), DD_EINVAL, want);
		reject_with(strings[i], json_true(), DD_EINVAL, want);
		reject_with(strings[i], json_pack("[s]", "x"), DD_EINVAL, want);
		reject_with(strings[i], json_object(), DD_EINVAL, want);
	}
	static const char *const ints[] = { "seq", "hlc", "drill" };
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		char want[64];
		snprintf(want, sizeof want, "field '%s': must be an integer", ints[i]);
		reject_with(ints[i], json_string("1"), DD_EINVAL, want);
		reject_with(ints[i], json_real(1.0), DD_EINVAL, want);
		reject_with(ints[i], json_true(), DD_EINVAL, want);
		reject_with(ints[i], json_null(), DD_EINVAL, want);
	}
	reject_with("body", json_string("{}"), DD_EINVAL, "field 'body': must be an object");
	reject_with("body", json_array(), DD_EINVAL, "field 'body': must be an object");
	reject_with("body", json_null(), DD_EINVAL, "field 'body': must be an object");
	reject_with("body", json_integer(1), DD_EINVAL, "field 'body': must be an object");
}

static void test_reject_too_long_strings(void **state)
{
	(void)state;
	char big[200];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	static const struct {
		const char *field;
		size_t len;
		const char *want;
	} cases[] = {
		{ "id", 37, "field 'id': 37 bytes, at most 36 allowed" },
		{ "origin", 37, "field 'origin': 37 bytes, at most 36 allowed" },
		{ "at", 40, "field 'at': 40 bytes, at most 39 allowed" },
		{ "actor", 129, "field 'actor': 129 bytes, at most 128 allowed" },
		{ "org", 129, "field 'org': 129 bytes, at most 128 allowed" },
		{ "kind", 41, "field 'kind': 41 bytes, at most 40 allowed" },
		{ "subject", 65, "field 'subject': 65 bytes, at most 64 allowed" },
		{ "prev", 65, "field 'prev': 65 bytes, at most 64 allowed" },
		{ "hash", 65, "field 'hash': 65 bytes, at most 64 allowed" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		reject_with(cases[i].field, json_stringn(big, cases[i].len), DD_ERANGE, cases[i].want);
}

static void test_reject_nul_in_string(void **state)
{
	(void)state;
	/* Only reachable through event_from_json: JSON text with \u0000 is
	 * refused by the parser (test_reject_invalid_utf8). */
	json_t *o = base_json();
	json_object_set_new(o, "actor", json_stringn("a\0b", 3));
	struct dd_event ev;
	struct dd_error err;
	check_failed(event_from_json(o, &ev, &err), &ev, &err, DD_EINVAL,
		     "field 'actor': contains a NUL character", "NUL");
	json_decref(o);
	o = base_json();
	json_object_set_new(json_object_get(o, "body"), "text", json_stringn("a\0b", 3));
	check_failed(event_from_json(o, &ev, &err), &ev, &err, DD_EINVAL, "body field 'text'", "NUL body");
	json_decref(o);
}

static void test_reject_bad_ids(void **state)
{
	(void)state;
	reject_with("id", json_string("not-a-uuid"), DD_EINVAL, "field 'id'");
	reject_with("id", json_string(""), DD_EINVAL, "field 'id'");
	/* a v4 UUID is not a v7 */
	reject_with("id", json_string("919108f7-52d1-4320-9bac-f847db4148a8"), DD_EINVAL,
		    "field 'id': \"919108f7-52d1-4320-9bac-f847db4148a8\" is not a lowercase UUIDv7");
	reject_with("id", json_string("01A21542-5B40-7A11-8C22-000000000001"), DD_EINVAL, "field 'id'");
	reject_with("id", json_string("01a21542-5b40-7a11-cc22-000000000001"), DD_EINVAL, "field 'id'");
	reject_with("id", json_string("01a215425b407a118c22000000000001"), DD_EINVAL, "field 'id'");
	reject_with("origin", json_string("0194D6E0-0000-7000-8000-00000000C0DE"), DD_EINVAL,
		    "field 'origin'");
	reject_with("origin", json_string("console-1"), DD_EINVAL, "field 'origin'");
	reject_with("origin", json_string(""), DD_EINVAL, "field 'origin'");
}

static void test_reject_bad_numbers(void **state)
{
	(void)state;
	reject_with("seq", json_integer(0), DD_EINVAL, "field 'seq': must be an integer ≥ 1");
	reject_with("seq", json_integer(-1), DD_EINVAL, "field 'seq'");
	reject_with("seq", json_integer(INT64_MIN), DD_EINVAL, "field 'seq'");
	reject_with("hlc", json_integer(-1), DD_EINVAL, "field 'hlc': must be an integer ≥ 0");
	reject_with("hlc", json_integer(INT64_MIN), DD_EINVAL, "field 'hlc'");
	reject_with("drill", json_integer(2), DD_EINVAL, "field 'drill': must be 0 or 1");
	reject_with("drill", json_integer(-1), DD_EINVAL, "field 'drill'");
	reject_with("drill", json_integer(4294967297LL), DD_EINVAL, "field 'drill'");
}

static void test_reject_bad_at(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "yesterday", "now", "14:30", "2026-11-26", "2026-11-26 08:30:00+08:00",
		"2026-11-26T08:30:00", "2026-11-26T08:30+08:00", "2026-13-26T08:30:00Z",
		"2026-11-26T24:30:00Z", " 2026-11-26T08:30:00Z", "2026-11-26T08:30:00Z ",
		"2026-11-26T08:30:00+8:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		reject_with("at", json_string(bad[i]), DD_EINVAL, "field 'at'");
}

static void test_reject_bad_actor_org(void **state)
{
	(void)state;
	reject_with("actor", json_string(""), DD_EINVAL, "field 'actor': must not be empty");
	static const char *const bad[] = {
		"", "CQ", "cq.Yubei", ".cq", "cq.", "cq..yubei", "-cq", "cq.-x", "cq yubei", "cq/yubei",
		"重庆", "cq.yubei\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		reject_with("org", json_string(bad[i]), DD_EINVAL, "field 'org'");
}

static void test_reject_bad_prev_hash(void **state)
{
	(void)state;
	reject_with("prev", json_string("abc"), DD_EINVAL, "field 'prev': must be 64 lowercase hex digits");
	reject_with("prev", json_string(""), DD_EINVAL, "field 'prev'");
	reject_with("prev", json_string("0000000000000000000000000000000000000000000000000000000000000000"
					"0"), DD_ERANGE, "field 'prev'");
	reject_with("prev", json_string("ABCDEF0000000000000000000000000000000000000000000000000000000000"),
		    DD_EINVAL, "field 'prev'");
	reject_with("prev", json_string("g000000000000000000000000000000000000000000000000000000000000000"),
		    DD_EINVAL, "field 'prev'");
	/* seq 1 must start the chain with 64 zeros */
	reject_with("prev", json_string("0000000000000000000000000000000000000000000000000000000000000001"),
		    DD_ECHAIN, "field 'prev': the first event of an origin has 64 zeros");

	reject_with("hash", json_string("xyz"), DD_EINVAL, "field 'hash': must be 64 lowercase hex digits");
	reject_with("hash", json_string(""), DD_EINVAL, "field 'hash'");
	struct dd_event ev;
	build_sealed_1(&ev);
	char upper[DD_HASH_HEX + 1];
	for (int i = 0; i <= DD_HASH_HEX; i++)
		upper[i] = (char)((ev.hash[i] >= 'a' && ev.hash[i] <= 'f') ? ev.hash[i] - 32 : ev.hash[i]);
	assert_string_not_equal(upper, ev.hash);
	reject_with("hash", json_string(upper), DD_EINVAL, "field 'hash': must be 64 lowercase hex digits");
	event_free(&ev);
}

static void test_reject_kind(void **state)
{
	(void)state;
	reject_with("kind", json_string("log.entries"), DD_EINVAL,
		    "field 'kind': unknown event kind \"log.entries\"");
	reject_with("kind", json_string(""), DD_EINVAL, "field 'kind'");
	reject_with("kind", json_string("LOG.ENTRY"), DD_EINVAL, "field 'kind'");
	reject_with("kind", json_string("incident.open"), DD_EINVAL, "field 'kind'");
}

static void test_reject_body(void **state)
{
	(void)state;
	reject_body_with("v", NULL, DD_EINVAL, "body field 'v'");
	reject_body_with("v", json_integer(2), DD_EINVAL, "body field 'v': log.entry is version 1");
	reject_body_with("v", json_integer(0), DD_EINVAL, "body field 'v'");
	reject_body_with("v", json_string("1"), DD_EINVAL, "body field 'v'");
	reject_body_with("v", json_real(1.0), DD_EINVAL, "body field 'v'");
	reject_body_with("extra", json_string("x"), DD_EINVAL, "body field 'extra': not part of log.entry v1");
	reject_body_with("Text", json_string("x"), DD_EINVAL, "body field 'Text'");
	reject_body_with("text", NULL, DD_EINVAL, "body field 'text': missing");
	reject_body_with("kind", NULL, DD_EINVAL, "body field 'kind': missing");
	reject_body_with("text", json_integer(5), DD_EINVAL, "body field 'text': must be a string");
	reject_body_with("text", json_pack("{s:s}", "a", "b"), DD_EINVAL, "body field 'text': must be a string");
	reject_body_with("text", json_string(""), DD_EINVAL, "body field 'text': must not be empty");
	reject_body_with("kind", json_string("fire"), DD_EINVAL, "body field 'kind': unknown value \"fire\"");
	reject_body_with("kind", json_string("Note"), DD_EINVAL, "body field 'kind'");
	reject_body_with("kind", json_true(), DD_EINVAL, "body field 'kind'");
	reject_body_with("corrects", json_string("nope"), DD_EINVAL, "body field 'corrects': must be a UUID");
	reject_body_with("corrects", json_string("01A21542-5B40-7A11-8C22-000000000001"), DD_EINVAL,
			 "body field 'corrects'");
	reject_body_with("corrects", json_integer(1), DD_EINVAL, "body field 'corrects'");
	reject_body_with("corrects", json_null(), DD_EINVAL, "body field 'corrects'");
}

static void test_reject_body_text_too_long(void **state)
{
	(void)state;
	char *text = malloc(16002);
	memset(text, 'a', 16001);
	text[16001] = '\0';
	reject_body_with("text", json_string(text), DD_ERANGE,
			 "body field 'text': 16001 bytes, at most 16000 allowed");
	/* a 70 KiB text: a body over 64 KiB, too */
	char *huge = malloc(70 * 1024 + 1);
	memset(huge, 'b', 70 * 1024);
	huge[70 * 1024] = '\0';
	json_t *o = base_json();
	json_object_set_new(json_object_get(o, "body"), "text", json_string(huge));
	struct dd_event ev;
	struct dd_error err;
	check_failed(event_from_json(o, &ev, &err), &ev, &err, DD_ERANGE, "body field 'text': 71680 bytes",
		     "70 KiB text");
	json_decref(o);
	free(huge);
	free(text);
}

static void test_reject_oversize_body(void **state)
{
	(void)state;
	/* 16,000 control characters pass the text limit (bytes) but each is
	 * six bytes once escaped: the canonical body is over 64 KiB. */
	char *text = malloc(16001);
	memset(text, '\x01', 16000);
	text[16000] = '\0';
	struct dd_event ev;
	struct dd_error err;
	build_event_1(&ev);
	json_object_set_new(ev.body, "text", json_string(text));
	assert_int_equal(event_seal(&ev, &err), 0);
	assert_int_equal(event_validate(&ev, false, &err), DD_ERANGE);
	assert_non_null(strstr(err.msg, "field 'body': 96034 bytes, at most 65536 allowed"));
	assert_int_equal(event_validate(&ev, true, &err), DD_ERANGE);
	assert_non_null(strstr(err.msg, "field 'body'"));

	json_t *o = event_to_json(&ev);
	struct dd_event back;
	check_failed(event_from_json(o, &back, &err), &back, &err, DD_ERANGE, "field 'body'", "from_json");
	/* as text it is also an oversize event */
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	expect_reject_text(s, strlen(s), DD_ERANGE, "at most 69632 allowed");
	free(s);
	json_decref(o);
	event_free(&ev);
	free(text);
}

static void test_reject_hash_mismatch(void **state)
{
	(void)state;
	/* tampered text, still well-formed */
	REJECT_EDIT("无人员被困", "有人员被困", DD_ECHAIN, "field 'hash': does not match the event's contents");
	/* tampered numbers that stay valid */
	REJECT_EDIT("\"drill\":0", "\"drill\":1", DD_ECHAIN, "field 'hash'");
	REJECT_EDIT("\"seq\":1", "\"seq\":2", DD_ECHAIN, "field 'hash'");
	REJECT_EDIT("\"kind\":\"call-in\"", "\"kind\":\"call-out\"", DD_ECHAIN, "field 'hash'");
	REJECT_EDIT("\"subject\":\"\"", "\"subject\":\"x\"", DD_ECHAIN, "field 'hash'");
	/* an added optional body field */
	REJECT_EDIT("\"v\":1", "\"v\":1,\"corrects\":\"" ID_2 "\"", DD_ECHAIN, "field 'hash'");
	/* a hash of the right form but another event's */
	struct dd_event e3;
	build_event_3(&e3);
	assert_int_equal(event_seal(&e3, NULL), 0);
	reject_with("hash", json_string(e3.hash), DD_ECHAIN, "field 'hash'");
	event_free(&e3);
}

static void test_validate_direct(void **state)
{
	(void)state;
	struct dd_event ev;
	struct dd_error err;
	/* an unsealed event passes without the hash check only */
	build_event_1(&ev);
	assert_int_equal(event_validate(&ev, false, &err), 0);
	assert_int_equal(event_validate(&ev, true, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'hash'"));
	event_free(&ev);

	/* a NULL body */
	build_sealed_1(&ev);
	json_decref(ev.body);
	ev.body = NULL;
	assert_int_equal(event_validate(&ev, false, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'body': must be an object"));

	/* invalid UTF-8 in the free-text envelope fields is named, whether
	 * or not the hash is checked (jansson could not encode it) */
	build_sealed_1(&ev);
	SET(ev.actor, "张\xff");
	assert_int_equal(event_validate(&ev, false, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'actor'"));
	assert_int_equal(event_validate(&ev, true, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'actor'"));
	event_free(&ev);
	build_sealed_1(&ev);
	SET(ev.subject, "\xc0\xaf");
	assert_int_equal(event_validate(&ev, false, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'subject'"));
	event_free(&ev);

	/* checks event_from_json makes first are made here too, for events
	 * built in memory: seq 0, drill 2, an unknown kind */
	build_sealed_1(&ev);
	ev.seq = 0;
	assert_int_equal(event_validate(&ev, false, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'seq'"));
	event_free(&ev);
	build_sealed_1(&ev);
	ev.drill = 2;
	assert_int_equal(event_validate(&ev, false, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'drill': must be 0 or 1"));
	event_free(&ev);
	build_sealed_1(&ev);
	SET(ev.kind, "incident.open");
	assert_int_equal(event_validate(&ev, false, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "field 'kind'"));
	event_free(&ev);

	/* validation does not change the event */
	struct dd_event a;
	build_sealed_1(&a);
	char before[DD_HASH_HEX + 1];
	memcpy(before, a.hash, sizeof before);
	assert_int_equal(event_validate(&a, true, &err), 0);
	assert_string_equal(a.hash, before);
	event_free(&a);
}

static void test_encode_refuses_invalid_utf8(void **state)
{
	(void)state;
	struct dd_event ev;
	struct dd_error err;
	build_event_1(&ev);
	SET(ev.actor, "\xff");
	char *out = (char *)&err; /* must not be touched on failure */
	assert_int_equal(event_canonical(&ev, &out, NULL, &err), DD_EINVAL);
	assert_ptr_equal(out, (char *)&err);
	assert_int_equal(event_seal(&ev, &err), DD_EINVAL);
	assert_null(event_to_json(&ev));
	event_free(&ev);
}

static void test_event_free_reusable(void **state)
{
	(void)state;
	struct dd_event ev;
	build_sealed_1(&ev);
	event_free(&ev);
	assert_null(ev.body);
	event_free(&ev); /* twice is harmless */
	event_init(&ev);
	assert_null(ev.body);
	assert_string_equal(ev.id, "");
	assert_int_equal(ev.seq, 0);
	/* a failed decode into a used event leaves it empty, not leaking */
	build_sealed_1(&ev);
	event_free(&ev);
	struct dd_error err;
	assert_int_equal(event_decode("[]", 2, &ev, &err), DD_EINVAL);
	assert_null(ev.body);
}

/* ---- chains ---------------------------------------------------------- */

static void test_chain(void **state)
{
	(void)state;
	struct dd_event e1, e2, e3;
	struct dd_error err;
	build_sealed_1(&e1);
	build_event_2(&e2, e1.hash);
	assert_int_equal(event_seal(&e2, NULL), 0);
	build_event_3(&e3);
	assert_int_equal(event_seal(&e3, NULL), 0);

	assert_int_equal(event_check_chain(NULL, &e1, &err), 0);
	assert_int_equal(event_check_chain(&e1, &e2, &err), 0);
	assert_int_equal(event_check_chain(NULL, &e3, &err), 0);

	/* nothing before an event with seq 2 */
	assert_int_equal(event_check_chain(NULL, &e2, &err), DD_ECHAIN);
	assert_int_equal(err.code, DD_ECHAIN);
	assert_non_null(strstr(err.msg, "event " ID_2 ": seq 2 but origin " ORIGIN_A " has no event before it"));

	/* a gap: seq 3 after 1, with the right prev */
	struct dd_event gap;
	build_event_2(&gap, e1.hash);
	gap.seq = 3;
	assert_int_equal(event_seal(&gap, NULL), 0);
	assert_int_equal(event_check_chain(&e1, &gap, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "event " ID_2 ": seq 3 follows 1 (gap or repeat)"));
	/* a repeat: seq 1 after 1 */
	struct dd_event again;
	build_sealed_1(&again);
	assert_int_equal(event_check_chain(&e1, &again, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "seq 1 follows 1"));
	/* backwards: 1 after 2 */
	assert_int_equal(event_check_chain(&e2, &e1, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "seq 1 follows 2"));

	/* the wrong prev: seq 2 chained to another hash */
	struct dd_event wrong;
	build_event_2(&wrong, e3.hash);
	assert_int_equal(event_seal(&wrong, NULL), 0);
	assert_int_equal(event_check_chain(&e1, &wrong, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "event " ID_2 ": prev does not match the hash of seq 1"));

	/* another origin's event as the one before */
	struct dd_event other;
	build_event_2(&other, e3.hash);
	SET(other.origin, ORIGIN_B);
	assert_int_equal(event_seal(&other, NULL), 0);
	assert_int_equal(event_check_chain(&e1, &other, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "event " ID_2 ": chained to another origin's event"));
	assert_int_equal(event_check_chain(&e3, &e2, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "another origin"));

	/* first of its origin but prev not zero (only reachable when the
	 * event skipped validation) */
	struct dd_event nz;
	build_event_1(&nz);
	SET(nz.prev, e3.hash);
	assert_int_equal(event_check_chain(NULL, &nz, &err), DD_ECHAIN);
	assert_non_null(strstr(err.msg, "event " ID_1 ": first of its origin but prev is not zero"));

	event_free(&e1);
	event_free(&e2);
	event_free(&e3);
	event_free(&gap);
	event_free(&again);
	event_free(&wrong);
	event_free(&other);
	event_free(&nz);
}

/* ---- org ids ------------------------------------------------------------ */

static void test_org_id_valid(void **state)
{
	(void)state;
	static const char *const good[] = {
		"cq", "cq.yubei", "cq.yubei.ent-0042", "a", "0", "a1.b2", "cq.ent_7", "x-y.z_w", "9.9.9",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!org_id_valid(good[i]))
			fail_msg("\"%s\" should be valid", good[i]);
	static const char *const bad[] = {
		"", ".", "CQ", "cQ", ".cq", "cq.", "cq..yubei", "-cq", "_cq", "cq.-x", "cq._x", "cq yubei",
		"cq/yubei", "cq:yubei", "重庆", "cq.yubei\n", "cq\t",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (org_id_valid(bad[i]))
			fail_msg("\"%s\" should be invalid", bad[i]);
	char s[DD_ORG_MAX + 2];
	memset(s, 'a', sizeof s);
	s[DD_ORG_MAX] = '\0';
	assert_true(org_id_valid(s));
	s[DD_ORG_MAX] = 'a';
	s[DD_ORG_MAX + 1] = '\0';
	assert_false(org_id_valid(s));
}

static void test_org_in_scope(void **state)
{
	(void)state;
	assert_true(org_in_scope("cq", "cq"));
	assert_true(org_in_scope("cq.yubei", "cq"));
	assert_true(org_in_scope("cq.yubei.ent-0042", "cq"));
	assert_true(org_in_scope("cq.yubei.ent-0042", "cq.yubei"));
	assert_true(org_in_scope("cq.yubei.ent-0042", "cq.yubei.ent-0042"));
	/* a prefix that is not a whole label is another org */
	assert_false(org_in_scope("cqx", "cq"));
	assert_false(org_in_scope("cq.yubeix", "cq.yubei"));
	assert_false(org_in_scope("cq.yubei.ent-00421", "cq.yubei.ent-0042"));
	/* a parent is not in its child's scope, nor a sibling */
	assert_false(org_in_scope("cq", "cq.yubei"));
	assert_false(org_in_scope("cq.jiangbei", "cq.yubei"));
	assert_false(org_in_scope("sh.yubei", "cq"));
	assert_false(org_in_scope("c", "cq"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_known),
		cmocka_unit_test(test_golden_event_1),
		cmocka_unit_test(test_golden_event_2),
		cmocka_unit_test(test_golden_event_3),
		cmocka_unit_test(test_canonical_independent_of_input_form),
		cmocka_unit_test(test_hash_covers_every_field),
		cmocka_unit_test(test_round_trip_golden),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_boundaries_accepted),
		cmocka_unit_test(test_reject_not_json),
		cmocka_unit_test(test_reject_not_object),
		cmocka_unit_test(test_reject_invalid_utf8),
		cmocka_unit_test(test_reject_duplicate_keys),
		cmocka_unit_test(test_reject_oversize_event),
		cmocka_unit_test(test_reject_unknown_field),
		cmocka_unit_test(test_reject_missing_fields),
		cmocka_unit_test(test_reject_wrong_types),
		cmocka_unit_test(test_reject_too_long_strings),
		cmocka_unit_test(test_reject_nul_in_string),
		cmocka_unit_test(test_reject_bad_ids),
		cmocka_unit_test(test_reject_bad_numbers),
		cmocka_unit_test(test_reject_bad_at),
		cmocka_unit_test(test_reject_bad_actor_org),
		cmocka_unit_test(test_reject_bad_prev_hash),
		cmocka_unit_test(test_reject_kind),
		cmocka_unit_test(test_reject_body),
		cmocka_unit_test(test_reject_body_text_too_long),
		cmocka_unit_test(test_reject_oversize_body),
		cmocka_unit_test(test_reject_hash_mismatch),
		cmocka_unit_test(test_validate_direct),
		cmocka_unit_test(test_encode_refuses_invalid_utf8),
		cmocka_unit_test(test_event_free_reusable),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_org_id_valid),
		cmocka_unit_test(test_org_in_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
