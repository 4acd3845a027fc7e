/*
 * test_queuewin.c — unit tests for views/queuewin.c, the window of queue
 * rows behind the incident queue, and for reading the queue filter an
 * officer types after `f`.
 *
 * Some hundreds of incidents in every tier, with deadlines that often
 * coincide (so ids break ties), are walked up and down with steps of
 * every size, loaded around anchors and filtered; after every call the
 * window's invariants (queuewin.h) are checked against the whole queue
 * read in one scan: consecutive rows, the right cursor, correct ends,
 * margins and the size limit.
 *
 * The database lives in /dev/shm when there is one, since every append
 * is fsynced.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dutydesk/config.h"
#include "dutydesk/incident.h"
#include "dutydesk/queuewin.h"
#include "dutydesk/timefmt.h"

#define N_INCIDENTS 480
#define MARGIN 30

static char dir[256];
static struct dd_store *st;
static struct dd_config cfg;
static struct dd_tiers tiers;

struct all {
	struct dd_queue_key key[N_INCIDENTS];
	int n;
};
static struct all all, tier_ii;

static int collect(const struct dd_incident *in, void *ctx)
{
	struct all *a = ctx;
	incident_queue_key(in, &a->key[a->n++]);
	return 0;
}

static int read_all(struct all *a, int tier)
{
	struct dd_incident_filter f;
	struct dd_error err = { 0 };
	store_incident_filter_init(&f);
	f.tier = tier;
	a->n = 0;
	return store_incident_scan(st, &f, NULL, false, N_INCIDENTS, collect, a, &err);
}

static int setup(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C.UTF-8");
	snprintf(dir, sizeof dir, "%s/dd-queuewin-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	config_defaults(&cfg);
	int64_t now = time_now_ms();
	uuid7_new(now, cfg.origin);
	snprintf(cfg.officer, sizeof cfg.officer, "张伟");
	snprintf(cfg.org, sizeof cfg.org, "cq.center");
	snprintf(cfg.path, sizeof cfg.path, "%s/dutydesk.conf", dir);
	char path[300];
	struct dd_error err = { 0 };
	if (tiers_load("data/tiers.conf", &tiers, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	snprintf(path, sizeof path, "%s/dutydesk.db", dir);
	if (store_open(path, DD_STORE_CREATE, &st, &err) != 0 || store_batch_begin(st, &err) != 0)
		return -1;
	for (int i = 0; i < N_INCIDENTS; i++) {
		char title[64], id[DD_UUID_LEN + 1];
		snprintf(title, sizeof title, "%s %d", i % 9 == 4 ? "泵站 pump" : "PLC 告警", i);
		/* Detections a few minutes apart, every third on the same
		 * minute as the one before, so deadlines tie often. */
		struct dd_incident_new in = {
			.title = title, .category = "malware", .reporting_org = i % 2 ? "cq.yubei.ent-1" : "cq.jiangbei.ent-2",
			.detected_ms = now - 3600 * 1000LL * 20 + (int64_t)(i - i % 3) * 60000,
		};
		if (incident_open(st, &cfg, &tiers, &in, id, &err) != 0 ||
		    (i % 5 && incident_set_tier(st, &cfg, &tiers, id, false, i % 5, "test", &err) != 0)) {
			fprintf(stderr, "%s\n", err.msg);
			return -1;
		}
	}
	if (store_batch_end(st, true, &err) != 0)
		return -1;
	return read_all(&all, -1) || read_all(&tier_ii, DD_TIER_II);
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static bool same(const struct dd_queue_key *a, const struct dd_queue_key *b)
{
	return a->tier == b->tier && a->due == b->due && strcmp(a->id, b->id) == 0;
}

static int index_of(const struct all *a, const struct dd_queue_key *k)
{
	for (int i = 0; i < a->n; i++)
		if (same(&a->key[i], k))
			return i;
	return -1;
}

/* Checks every invariant of queuewin.h against a; returns the cursor's
 * index in a. */
static int check(const struct queuewin *w, const struct all *a)
{
	if (a->n == 0) {
		assert_int_equal(w->n, 0);
		assert_int_equal(w->sel, -1);
		return -1;
	}
	assert_true(w->n > 0 && w->n <= queuewin_max(w));
	assert_true(w->sel >= 0 && w->sel < w->n);
	assert_true(w->top >= 0 && w->top < w->n);
	int first = index_of(a, &w->rows[0].key);
	assert_true(first >= 0);
	for (int i = 0; i < w->n; i++) {
		assert_true(first + i < a->n);
		assert_true(same(&w->rows[i].key, &a->key[first + i]));
	}
	assert_int_equal(w->bof, first == 0);
	assert_int_equal(w->eof, first + w->n == a->n);
	if (!w->bof)
		assert_true(w->sel >= w->margin);
	if (!w->eof)
		assert_true(w->n - 1 - w->sel >= w->margin);
	return first + w->sel;
}

static void the_queue_is_ordered(void **state)
{
	(void)state;
	assert_int_equal(all.n, N_INCIDENTS);
	for (int i = 1; i < all.n; i++) {
		const struct dd_queue_key *p = &all.key[i - 1], *k = &all.key[i];
		assert_true(p->tier > k->tier || (p->tier == k->tier && (p->due < k->due ||
									 (p->due == k->due && strcmp(p->id, k->id) < 0))));
	}
	assert_int_equal(all.key[0].tier, DD_TIER_I);
	assert_int_equal(all.key[all.n - 1].tier, DD_TIER_UNASSESSED);
}

static void walks_keep_every_invariant(void **state)
{
	(void)state;
	struct queuewin w;
	struct dd_error err = { 0 };
	queuewin_init(&w, st, MARGIN);
	assert_int_equal(queuewin_load(&w, NULL, &err), 0);
	assert_int_equal(check(&w, &all), 0);
	for (int i = 1; i < all.n + 5; i++) {
		assert_int_equal(queuewin_move(&w, 1, &err), 0);
		assert_int_equal(check(&w, &all), i < all.n ? i : all.n - 1);
	}
	int steps[] = { -1, -7, -29, -30, 13, -101 };
	int at = all.n - 1;
	for (int k = 0; at > 0; k++) {
		int d = steps[k % 6];
		assert_int_equal(queuewin_move(&w, d, &err), 0);
		at = at + d < 0 ? 0 : at + d > all.n - 1 ? all.n - 1 : at + d;
		assert_int_equal(check(&w, &all), at);
	}
	queuewin_free(&w);
}

static void load_around_anchors(void **state)
{
	(void)state;
	struct queuewin w;
	struct dd_error err = { 0 };
	queuewin_init(&w, st, MARGIN);
	for (int i = 0; i < all.n; i += 37) {
		assert_int_equal(queuewin_load(&w, &all.key[i], &err), 0);
		assert_int_equal(check(&w, &all), i);
	}
	/* An anchor no longer in the queue: the next one after it. */
	struct dd_queue_key gone = all.key[100];
	gone.id[DD_UUID_LEN - 1] = gone.id[DD_UUID_LEN - 1] == '0' ? '/' : '0';
	assert_int_equal(queuewin_load(&w, &gone, &err), 0);
	int got = check(&w, &all);
	assert_true(got == 100 || got == 101);
	/* Past the end: the last incident. */
	struct dd_queue_key end = { .tier = -1, .due = INT64_MAX, .id = "~" };
	assert_int_equal(queuewin_load(&w, &end, &err), 0);
	assert_int_equal(check(&w, &all), all.n - 1);
	queuewin_free(&w);
}

static void a_filter_gives_a_window_of_matches(void **state)
{
	(void)state;
	struct queuewin w;
	struct dd_error err = { 0 };
	queuewin_init(&w, st, MARGIN);
	assert_int_equal(queuewin_parse_filter(&w.filter, "II", &err), 0);
	assert_int_equal(queuewin_load(&w, NULL, &err), 0);
	assert_true(tier_ii.n > 50);
	for (int i = 0; i < tier_ii.n; i++) {
		assert_int_equal(check(&w, &tier_ii), i);
		assert_int_equal(w.rows[w.sel].tier, DD_TIER_II);
		assert_int_equal(queuewin_move(&w, 1, &err), 0);
	}
	/* Text and district together: the pumps of Yubei. */
	assert_int_equal(queuewin_parse_filter(&w.filter, "all cq.yubei", &err), 0);
	snprintf(w.filter.text, sizeof w.filter.text, "PUMP");
	assert_int_equal(queuewin_load(&w, NULL, &err), 0);
	for (int i = 0; i < w.n; i++) {
		assert_non_null(strstr(w.rows[i].title, "pump"));
		assert_string_equal(w.rows[i].district, "cq.yubei");
	}
	assert_true(w.n > 10);
	queuewin_free(&w);
}

static void the_filter_as_typed(void **state)
{
	(void)state;
	struct queue_filter f = { .closed = 0, .tier = -1, .status = -1 };
	struct dd_error err = { 0 };
	char buf[256];
	assert_int_equal(queuewin_parse_filter(&f, "较大 responding cq.yubei", &err), 0);
	assert_int_equal(f.tier, DD_TIER_III);
	assert_int_equal(f.status, DD_ST_RESPONDING);
	assert_int_equal(f.closed, -1);
	assert_string_equal(f.district, "cq.yubei");
	queuewin_describe_filter(&f, buf, sizeof buf);
	assert_string_equal(buf, "III responding cq.yubei");
	/* Words change only what they name; a number is a status. */
	assert_int_equal(queuewin_parse_filter(&f, "I 5", &err), 0);
	assert_int_equal(f.tier, DD_TIER_I);
	assert_int_equal(f.status, DD_ST_CLOSED);
	assert_string_equal(f.district, "cq.yubei");
	/* An unknown word changes nothing and is named. */
	assert_int_equal(queuewin_parse_filter(&f, "II urgent", &err), DD_EINVAL);
	assert_string_equal(err.msg, "urgent");
	assert_int_equal(f.tier, DD_TIER_I);
	/* Empty clears the picks, not the text. */
	snprintf(f.text, sizeof f.text, "pump");
	assert_int_equal(queuewin_parse_filter(&f, "  ", &err), 0);
	assert_int_equal(f.tier, -1);
	assert_int_equal(f.status, -1);
	assert_string_equal(f.district, "");
	assert_string_equal(f.text, "pump");
	queuewin_describe_filter(&f, buf, sizeof buf);
	assert_string_equal(buf, "");	/* Drill items are shown marked unless one kind is asked for. */
	assert_int_equal(queuewin_parse_filter(&f, "演练 II", &err), 0);
	assert_int_equal(f.drill, QUEUE_DRILL_ONLY);
	queuewin_describe_filter(&f, buf, sizeof buf);
	assert_string_equal(buf, "II drill");
	assert_int_equal(queuewin_parse_filter(&f, "real", &err), 0);
	assert_int_equal(f.drill, QUEUE_REAL_ONLY);
	assert_int_equal(f.tier, DD_TIER_II);
	assert_int_equal(queuewin_parse_filter(&f, "all", &err), 0);
	assert_int_equal(f.drill, QUEUE_REAL_AND_DRILL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_queue_is_ordered),
		cmocka_unit_test(walks_keep_every_invariant),
		cmocka_unit_test(load_around_anchors),
		cmocka_unit_test(a_filter_gives_a_window_of_matches),
		cmocka_unit_test(the_filter_as_typed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
