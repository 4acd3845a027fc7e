/*
 * test_ids.c — unit tests for core/ids.c: UUIDv7 format and monotonicity,
 * uuid_valid(), uuid7_ms(), and the hybrid logical clock.
 *
 * uuid7_new() keeps its last millisecond and counter in the process, so
 * every test that needs a "fresh" millisecond takes one from fresh_ms(),
 * which only ever moves forward; the tests stay correct in any order.
 * The HLC tests feed explicit wall-clock values, never the real clock, so
 * nothing depends on timing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/ids.h"

/* 2026-11-26T00:00:00Z, well past anything the code could have issued. */
#define BASE_MS INT64_C(1795651200000)

static int64_t fresh_ms(void)
{
	static int64_t next = BASE_MS;
	next += 1000000; /* far beyond any counter borrowing in between */
	return next;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The 12-bit rand_a field (the per-millisecond counter). */
static unsigned counter_of(const char *id)
{
	return (unsigned)(hexval(id[15]) << 8 | hexval(id[16]) << 4 | hexval(id[17]));
}

static void assert_uuid7_form(const char *id)
{
	assert_int_equal(strlen(id), 36);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(id[i], '-');
		else
			assert_true(hexval(id[i]) >= 0); /* lowercase hex only */
	}
	assert_int_equal(id[14], '7');                 /* version */
	assert_non_null(strchr("89ab", id[19]));       /* RFC variant 10xx */
	assert_true(uuid_valid(id, true));
	assert_true(uuid_valid(id, false));
}

/* ---- UUIDv7 ------------------------------------------------------- */

static void test_uuid7_format(void **state)
{
	(void)state;
	for (int i = 0; i < 1000; i++) {
		char id[DD_UUID_LEN + 1];
		memset(id, 'x', sizeof id);
		int64_t ms = fresh_ms();
		uuid7_new(ms, id);
		assert_int_equal(id[36], '\0');
		assert_uuid7_form(id);
		assert_int_equal(uuid7_ms(id), ms);
		/* A fresh millisecond starts its counter in the lower half. */
		assert_true(counter_of(id) <= 0x7ff);
	}
}

static void test_uuid7_time_prefix(void **state)
{
	(void)state;
	/* The first 12 hex digits are the time in ms, big-endian. */
	int64_t ms = fresh_ms();
	char id[DD_UUID_LEN + 1];
	uuid7_new(ms, id);
	char want[16];
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 12; i++)
		want[i] = hex[(ms >> (44 - 4 * i)) & 15];
	assert_memory_equal(id, want, 8);
	assert_memory_equal(id + 9, want + 8, 4);
	assert_int_equal(uuid7_ms(id), ms);
}

static void test_uuid7_ms_known(void **state)
{
	(void)state;
	/* RFC 9562 appendix A.6 example: 0x017F22E279B0 ms. */
	assert_int_equal(uuid7_ms("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"), INT64_C(1645557742000));
	assert_int_equal(uuid7_ms("00000000-0000-7000-8000-000000000000"), 0);
	assert_int_equal(uuid7_ms("ffffffff-ffff-7fff-bfff-ffffffffffff"), INT64_C(0xffffffffffff));
	assert_int_equal(uuid7_ms("0194d6e1-a2b3-7000-8000-000000000001"), INT64_C(0x0194d6e1a2b3));
}

static void test_uuid7_same_ms_monotonic(void **state)
{
	(void)state;
	enum { N = 100000 };
	int64_t ms = fresh_ms();
	char prev[DD_UUID_LEN + 1], id[DD_UUID_LEN + 1];
	uuid7_new(ms, prev);
	assert_int_equal(uuid7_ms(prev), ms);
	for (int i = 1; i < N; i++) {
		uuid7_new(ms, id);
		assert_true(strcmp(prev, id) < 0);
		assert_uuid7_form(id);
		memcpy(prev, id, sizeof id);
	}
	/* The first ms holds 4096 - c ids for a starting counter c <= 0x7ff,
	 * each later one 4096: whatever c was, the last of 100,000 ids has
	 * borrowed exactly 24 ms. */
	assert_int_equal(uuid7_ms(prev) - ms, 24);
}

static void test_uuid7_clock_backwards(void **state)
{
	(void)state;
	enum { N = 100000 };
	int64_t ms = fresh_ms();
	char prev[DD_UUID_LEN + 1], id[DD_UUID_LEN + 1];
	uuid7_new(ms, prev);
	for (int i = 1; i < N; i++) {
		/* The wall clock steps back one ms every call, and jumps back
		 * ten minutes every thousand calls. */
		int64_t now = ms - i - (i / 1000) * 600000;
		uuid7_new(now, id);
		assert_true(strcmp(prev, id) < 0);
		assert_true(uuid7_ms(id) >= ms);
		memcpy(prev, id, sizeof id);
	}
	/* Once the wall clock passes the borrowed time, it is used again. */
	int64_t later = uuid7_ms(prev) + 5;
	uuid7_new(later, id);
	assert_int_equal(uuid7_ms(id), later);
	assert_true(strcmp(prev, id) < 0);
}

static void test_uuid7_counter_overflow(void **state)
{
	(void)state;
	int64_t ms = fresh_ms();
	char prev[DD_UUID_LEN + 1], id[DD_UUID_LEN + 1];
	uuid7_new(ms, prev);
	assert_int_equal(uuid7_ms(prev), ms);
	unsigned c = counter_of(prev);
	/* Every further id in the same ms counts up by exactly one... */
	for (unsigned want = c + 1; want <= 0xfff; want++) {
		uuid7_new(ms, id);
		assert_int_equal(uuid7_ms(id), ms);
		assert_int_equal(counter_of(id), want);
		memcpy(prev, id, sizeof id);
	}
	assert_int_equal(counter_of(prev), 0xfff);
	assert_memory_equal(prev + 14, "7fff", 4);
	/* ...and past 0xfff the id borrows the next millisecond, counter 0. */
	uuid7_new(ms, id);
	assert_int_equal(uuid7_ms(id), ms + 1);
	assert_int_equal(counter_of(id), 0);
	assert_memory_equal(id + 14, "7000", 4);
	assert_true(strcmp(prev, id) < 0);
	memcpy(prev, id, sizeof id);
	/* The wall clock reaching the borrowed ms continues that counter. */
	uuid7_new(ms + 1, id);
	assert_int_equal(uuid7_ms(id), ms + 1);
	assert_int_equal(counter_of(id), 1);
	assert_true(strcmp(prev, id) < 0);
	memcpy(prev, id, sizeof id);
	/* A new millisecond starts afresh. */
	uuid7_new(ms + 2, id);
	assert_int_equal(uuid7_ms(id), ms + 2);
	assert_true(counter_of(id) <= 0x7ff);
	assert_true(strcmp(prev, id) < 0);
}

static void test_uuid7_random_part_differs(void **state)
{
	(void)state;
	/* Two consoles making an id in the same ms must not collide: the
	 * 62 random bits differ between calls (2^-62 chance of a false
	 * failure). */
	char a[DD_UUID_LEN + 1], b[DD_UUID_LEN + 1];
	uuid7_new(fresh_ms(), a);
	uuid7_new(fresh_ms(), b);
	assert_memory_not_equal(a + 19, b + 19, 17);
}

/* ---- uuid_valid --------------------------------------------------- */

static void test_uuid_valid(void **state)
{
	(void)state;
	const char *v7 = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
	const char *v4 = "919108f7-52d1-4320-9bac-f847db4148a8";
	assert_true(uuid_valid(v7, true));
	assert_true(uuid_valid(v7, false));
	assert_false(uuid_valid(v4, true));
	assert_true(uuid_valid(v4, false));
	/* every RFC variant nibble 8, 9, a, b; none other */
	assert_true(uuid_valid("017f22e2-79b0-7cc3-88c4-dc0c0c07398f", true));
	assert_true(uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f", true));
	assert_true(uuid_valid("017f22e2-79b0-7cc3-a8c4-dc0c0c07398f", true));
	assert_true(uuid_valid("017f22e2-79b0-7cc3-b8c4-dc0c0c07398f", true));
	assert_false(uuid_valid("017f22e2-79b0-7cc3-78c4-dc0c0c07398f", false));
	assert_false(uuid_valid("017f22e2-79b0-7cc3-c8c4-dc0c0c07398f", false));
	assert_false(uuid_valid("017f22e2-79b0-7cc3-08c4-dc0c0c07398f", false));
	/* uppercase anywhere */
	assert_false(uuid_valid("017F22E2-79B0-7CC3-98C4-DC0C0C07398F", false));
	assert_false(uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398F", false));
	assert_false(uuid_valid("017f22e2-79b0-7cc3-B8c4-dc0c0c07398f", false));
	/* length and dashes */
	assert_false(uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398", false));
	assert_false(uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f0", false));
	assert_false(uuid_valid("017f22e279b07cc398c4dc0c0c07398f", false));
	assert_false(uuid_valid("017f22e2-79b07-cc3-98c4-dc0c0c07398f", false));
	assert_false(uuid_valid("017f22e2_79b0_7cc3_98c4_dc0c0c07398f", false));
	assert_false(uuid_valid("{017f22e2-79b0-7cc3-98c4-dc0c0c0739}", false));
	/* non-hex */
	assert_false(uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398g", false));
	assert_false(uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398 ", false));
	assert_false(uuid_valid(" 17f22e2-79b0-7cc3-98c4-dc0c0c07398f", false));
	assert_false(uuid_valid("", false));
	assert_false(uuid_valid(NULL, false));
	/* the nil UUID has variant 0 */
	assert_false(uuid_valid("00000000-0000-0000-0000-000000000000", false));
	/* version 7 checked only when asked, and only at its place */
	assert_false(uuid_valid("017f22e2-79b0-6cc3-98c4-dc0c0c07398f", true));
	assert_true(uuid_valid("017f22e2-79b0-6cc3-98c4-dc0c0c07398f", false));
	assert_false(uuid_valid("017f22e2-79b0-8cc3-98c4-dc0c0c07398f", true));
}

/* ---- dd_random ---------------------------------------------------- */

static void test_random(void **state)
{
	(void)state;
	unsigned char a[32], b[32], zero[32] = { 0 };
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	assert_int_equal(dd_random(a, sizeof a), 0);
	assert_int_equal(dd_random(b, sizeof b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_int_equal(dd_random(a, 0), 0);
}

/* ---- HLC ---------------------------------------------------------- */

#define T INT64_C(1795651200000)

static void test_hlc_make_split(void **state)
{
	(void)state;
	uint64_t h = hlc_make(T, 42);
	assert_int_equal(h, ((uint64_t)T << 16) | 42);
	assert_int_equal(hlc_physical(h), T);
	assert_int_equal(hlc_logical(h), 42);
	assert_int_equal(hlc_logical(hlc_make(T, HLC_LOGICAL_MAX)), 0xffff);
	assert_int_equal(HLC_LOGICAL_MAX, 0xffff);
}

static void test_hlc_tick_cases(void **state)
{
	(void)state;
	/* wall clock ahead: physical time, logical 0 */
	assert_int_equal(hlc_tick(0, T), hlc_make(T, 0));
	assert_int_equal(hlc_tick(hlc_make(T, 9), T + 1), hlc_make(T + 1, 0));
	/* wall clock stalled: logical + 1 */
	assert_int_equal(hlc_tick(hlc_make(T, 0), T), hlc_make(T, 1));
	assert_int_equal(hlc_tick(hlc_make(T, 9), T), hlc_make(T, 10));
	/* wall clock backwards: still logical + 1, physical kept */
	assert_int_equal(hlc_tick(hlc_make(T, 9), T - 3600000), hlc_make(T, 10));
	assert_int_equal(hlc_tick(hlc_make(T, 0), 0), hlc_make(T, 1));
}

static void test_hlc_logical_overflow(void **state)
{
	(void)state;
	uint64_t last = hlc_make(T, HLC_LOGICAL_MAX);
	uint64_t h = hlc_tick(last, T);
	assert_int_equal(h, hlc_make(T + 1, 0));
	assert_true(h > last);
	/* also with the wall clock behind */
	h = hlc_tick(last, T - 1000);
	assert_int_equal(h, hlc_make(T + 1, 0));
	/* 70,000 events in one stalled ms: strictly increasing, physical
	 * moves forward exactly once per 65,536 */
	uint64_t prev = hlc_make(T, 0);
	for (int i = 1; i <= 70000; i++) {
		uint64_t next = hlc_tick(prev, T);
		assert_true(next > prev);
		prev = next;
	}
	assert_int_equal(prev, hlc_make(T + 1, 70000 - 65536));
}

/* A tiny deterministic generator, so a failure can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void test_hlc_tick_monotonic_erratic_clock(void **state)
{
	(void)state;
	uint64_t h = 0;
	int64_t wall = T;
	for (int i = 0; i < 100000; i++) {
		switch (rng() % 4) {
		case 0: break;                                  /* stall */
		case 1: wall += (int64_t)(rng() % 5); break;    /* normal */
		case 2: wall -= (int64_t)(rng() % 2000); break; /* NTP step back */
		case 3: wall -= 3600000; break;                 /* an hour back */
		}
		uint64_t next = hlc_tick(h, wall);
		assert_true(next > h);
		/* never behind the wall clock it was given */
		assert_true(hlc_physical(next) >= wall);
		h = next;
	}
}

static void test_hlc_observe_remote_ahead(void **state)
{
	(void)state;
	/* The other console's clock is 10 minutes fast. */
	uint64_t last = hlc_make(T - 5, 3);
	uint64_t remote = hlc_make(T + 600000, 7);
	uint64_t h = hlc_observe(last, remote, T);
	assert_int_equal(h, hlc_make(T + 600000, 8));
	assert_true(h > remote);
	assert_true(h > last);
	/* Local events after that stay ahead of the remote one, counting
	 * logically until the wall clock catches up. */
	uint64_t h2 = hlc_tick(h, T + 1000);
	assert_int_equal(h2, hlc_make(T + 600000, 9));
	uint64_t h3 = hlc_tick(h2, T + 600001);
	assert_int_equal(h3, hlc_make(T + 600001, 0));
}

static void test_hlc_observe_remote_behind(void **state)
{
	(void)state;
	/* The other console's clock is 10 minutes slow. */
	uint64_t last = hlc_make(T - 10, 2);
	uint64_t remote = hlc_make(T - 600000, 100);
	uint64_t h = hlc_observe(last, remote, T);
	assert_int_equal(h, hlc_make(T, 0));
	assert_true(h > remote);
	assert_true(h > last);
	/* local clock stalled at the same ms as last */
	h = hlc_observe(hlc_make(T, 5), remote, T);
	assert_int_equal(h, hlc_make(T, 6));
}

static void test_hlc_observe_edges(void **state)
{
	(void)state;
	/* remote at the current ms with a logical part */
	assert_int_equal(hlc_observe(hlc_make(T - 1, 0), hlc_make(T, 5), T), hlc_make(T, 6));
	/* remote equal to last */
	assert_int_equal(hlc_observe(hlc_make(T, 5), hlc_make(T, 5), T - 100), hlc_make(T, 6));
	/* remote logical at its maximum */
	assert_int_equal(hlc_observe(0, hlc_make(T + 50, HLC_LOGICAL_MAX), T), hlc_make(T + 51, 0));
	/* the wall clock ahead of both */
	assert_int_equal(hlc_observe(hlc_make(T, 3), hlc_make(T + 1, 9), T + 2), hlc_make(T + 2, 0));
}

/*
 * Three consoles with skewed clocks (+10 min, exact, -10 min) exchange
 * events at random.  Causality is tracked exactly with vector clocks;
 * every pair e -> f (e happened before f) must have hlc(e) < hlc(f), so
 * sorting by (hlc, origin, seq) never shows an effect before its cause.
 */
enum { NODES = 3, EVENTS = 3000 };

struct sim_event {
	uint64_t hlc;
	int node;
	int seq;
	int vc[NODES];
};

static struct sim_event sim[EVENTS];

static int happened_before(const struct sim_event *a, const struct sim_event *b)
{
	int le = 1, lt = 0;
	for (int i = 0; i < NODES; i++) {
		if (a->vc[i] > b->vc[i])
			le = 0;
		if (a->vc[i] < b->vc[i])
			lt = 1;
	}
	return le && lt;
}

static int sim_cmp(const void *pa, const void *pb)
{
	const struct sim_event *a = pa, *b = pb;
	if (a->hlc != b->hlc)
		return a->hlc < b->hlc ? -1 : 1;
	if (a->node != b->node)
		return a->node - b->node;
	return a->seq - b->seq;
}

static void test_hlc_causality_skewed_consoles(void **state)
{
	(void)state;
	static const int64_t skew[NODES] = { 600000, 0, -600000 };
	uint64_t clock[NODES] = { 0 };
	int vc[NODES][NODES] = { { 0 } };
	int seq[NODES] = { 0 };
	int64_t real = T;
	int n = 0;
	rng_state = 12345;
	while (n < EVENTS) {
		real += (int64_t)(rng() % 3); /* often the same ms */
		int node = (int)(rng() % NODES);
		int64_t wall = real + skew[node];
		if (n > 0 && rng() % 3 == 0) {
			/* receive one earlier event from another console */
			const struct sim_event *m = &sim[rng() % (uint64_t)n];
			if (m->node != node) {
				clock[node] = hlc_observe(clock[node], m->hlc, wall);
				for (int i = 0; i < NODES; i++)
					if (m->vc[i] > vc[node][i])
						vc[node][i] = m->vc[i];
			}
		}
		clock[node] = hlc_tick(clock[node], wall);
		vc[node][node]++;
		struct sim_event *e = &sim[n++];
		e->hlc = clock[node];
		e->node = node;
		e->seq = ++seq[node];
		memcpy(e->vc, vc[node], sizeof e->vc);
	}
	int pairs = 0;
	for (int i = 0; i < EVENTS; i++)
		for (int j = 0; j < EVENTS; j++)
			if (happened_before(&sim[i], &sim[j])) {
				assert_true(sim[i].hlc < sim[j].hlc);
				pairs++;
			}
	/* the simulation did make cross-console causal links */
	assert_true(pairs > EVENTS * 10);

	/* Sorted by (hlc, origin, seq), each console's own events keep
	 * their order and no effect precedes its cause. */
	qsort(sim, EVENTS, sizeof sim[0], sim_cmp);
	int last_seq[NODES] = { 0 };
	for (int i = 0; i < EVENTS; i++) {
		assert_int_equal(sim[i].seq, last_seq[sim[i].node] + 1);
		last_seq[sim[i].node] = sim[i].seq;
		for (int j = i + 1; j < EVENTS; j++)
			assert_false(happened_before(&sim[j], &sim[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid7_format),
		cmocka_unit_test(test_uuid7_time_prefix),
		cmocka_unit_test(test_uuid7_ms_known),
		cmocka_unit_test(test_uuid7_same_ms_monotonic),
		cmocka_unit_test(test_uuid7_clock_backwards),
		cmocka_unit_test(test_uuid7_counter_overflow),
		cmocka_unit_test(test_uuid7_random_part_differs),
		cmocka_unit_test(test_uuid_valid),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_hlc_make_split),
		cmocka_unit_test(test_hlc_tick_cases),
		cmocka_unit_test(test_hlc_logical_overflow),
		cmocka_unit_test(test_hlc_tick_monotonic_erratic_clock),
		cmocka_unit_test(test_hlc_observe_remote_ahead),
		cmocka_unit_test(test_hlc_observe_remote_behind),
		cmocka_unit_test(test_hlc_observe_edges),
		cmocka_unit_test(test_hlc_causality_skewed_consoles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
