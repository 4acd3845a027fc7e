/*
 * zeroclock.c — slot stepping, deadlines and countdowns of zero
 * reporting (zeroclock.h).
 *
 * Every walk goes through zero_slot_at() on a copy of the period with no
 * grace, which then answers "the first slot at or after t": the slot
 * rules (local wall-clock times, DST) live in zero.c alone.  Walking
 * backwards starts two days before and steps forward, which reaches the
 * previous slot whatever the report times, since every local day of a
 * period has all of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/timefmt.h"
#include "dutydesk/zeroclock.h"

#define MIN_MS INT64_C(60000)
#define DAY_MS (1440 * MIN_MS)

static struct dd_period no_grace(const struct dd_period *p)
{
	struct dd_period q = *p;
	q.grace_min = 0;
	return q;
}

/* The latest slot strictly before t. */
static int latest_before(const struct dd_period *p, int64_t t, int64_t *out)
{
	struct dd_period q = no_grace(p);
	int64_t from = t - 2 * DAY_MS, s, found = 0;
	bool any = false;
	if (from < q.start_ms)
		from = q.start_ms;
	while (zero_slot_at(&q, from, &s, NULL) == 0 && s < t) {
		found = s;
		any = true;
		from = s + 1;
	}
	if (!any)
		return DD_ENOTFOUND;
	*out = found;
	return 0;
}

int zero_slot_step(const struct dd_period *p, int64_t slot_ms, int dir, int64_t *out)
{
	if (dir < 0)
		return latest_before(p, slot_ms, out);
	struct dd_period q = no_grace(p);
	return zero_slot_at(&q, slot_ms + 1, out, NULL) == 0 ? 0 : DD_ENOTFOUND;
}

int zero_next_deadline(const struct dd_period *p, int64_t now_ms, int64_t *slot_ms)
{
	struct dd_period q = no_grace(p);
	return zero_slot_at(&q, now_ms, slot_ms, NULL) == 0 ? 0 : DD_ENOTFOUND;
}

int zero_last_passed(const struct dd_period *p, int64_t now_ms, int64_t *slot_ms)
{
	return latest_before(p, now_ms - p->grace_min * MIN_MS, slot_ms);
}

int zero_current_slot(const struct dd_period *p, int64_t now_ms, int64_t *slot_ms)
{
	const char *tz = p->tz[0] ? p->tz : DD_DEFAULT_TZ;
	int64_t s;
	if (latest_before(p, now_ms + 1, &s) == 0 && time_local_day(s, tz) == time_local_day(now_ms, tz)) {
		*slot_ms = s;
		return 0;
	}
	if (zero_slot_at(p, now_ms, slot_ms, NULL) == 0)
		return 0;
	return latest_before(p, p->end_ms + 1, slot_ms);
}

bool zero_period_running(const struct dd_period *p, int64_t now_ms)
{
	return p->zero && p->start_ms <= now_ms && now_ms <= p->end_ms + p->grace_min * MIN_MS;
}

bool zero_period_in_sight(const struct dd_period *p, const char *viewer)
{
	for (int i = 0; i < p->n_scope; i++)
		if (zero_in_subtree(p->scope[i], viewer) || zero_in_subtree(viewer, p->scope[i]))
			return true;
	return false;
}

int zero_period_soonest(const struct dd_period *ps, int n, int64_t now_ms)
{
	int best = -1;
	int64_t best_s = 0, s;
	for (int i = 0; i < n; i++)
		if (zero_next_deadline(&ps[i], now_ms, &s) == 0 && (best < 0 || s < best_s)) {
			best = i;
			best_s = s;
		}
	return best;
}

int zero_period_shown(const struct dd_period *ps, int n, int64_t now_ms)
{
	int i = zero_period_soonest(ps, n, now_ms);
	return i >= 0 ? i : n > 0 ? 0 : -1;
}

bool zero_alert_slot(const struct dd_period *p, int64_t now_ms, int lead_min, enum zero_alert kind, int64_t *slot_ms)
{
	if (kind == ZERO_ALERT_MISSING)
		return zero_last_passed(p, now_ms, slot_ms) == 0;
	int64_t s;
	if (lead_min <= 0 || zero_next_deadline(p, now_ms, &s) != 0 || now_ms < s - lead_min * MIN_MS)
		return false;
	*slot_ms = s;
	return true;
}

bool zero_alert_once(struct zero_alerted *a, const char *period, int64_t slot_ms, enum zero_alert kind)
{
	for (int i = 0; i < a->n; i++)
		if (a->sent[i].slot == slot_ms && a->sent[i].kind == kind && strcmp(a->sent[i].period, period) == 0)
			return false;
	snprintf(a->sent[a->next].period, sizeof a->sent[a->next].period, "%s", period);
	a->sent[a->next].slot = slot_ms;
	a->sent[a->next].kind = kind;
	a->next = (a->next + 1) % ZERO_ALERTED_MAX;
	if (a->n < ZERO_ALERTED_MAX)
		a->n++;
	return true;
}

void zero_countdown(int64_t ms, char *buf, size_t n)
{
	int64_t min = ms > 0 ? (ms + MIN_MS - 1) / MIN_MS : 0;
	snprintf(buf, n, "%lld:%02lld", (long long)(min / 60), (long long)(min % 60));
}

int zero_grid_days(int width, int label, int cell, int max)
{
	if (cell <= 0 || width <= label + 1)
		return 0;
	int days = (width - label - 1) / cell;
	return days > max ? max : days < 0 ? 0 : days;
}

struct ordering {
	const enum dd_zero_state *state;
	size_t *group;      /* row -> district, then -> its rank */
	size_t *missing;    /* district -> missing orgs */
};

static int by_missing(const void *a, const void *b, void *ctx)
{
	const struct ordering *o = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (o->missing[x] != o->missing[y])
		return o->missing[x] > o->missing[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int by_reading(const void *a, const void *b, void *ctx)
{
	const struct ordering *o = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (o->group[i] != o->group[j])
		return o->group[i] < o->group[j] ? -1 : 1;
	if (o->state[i] != o->state[j])
		return (int)o->state[i] - (int)o->state[j];
	return i < j ? -1 : i > j;
}

int zero_checklist_order(const char *const *district, const enum dd_zero_state *state, size_t n, size_t *order,
			 size_t *group)
{
	size_t cap = n ? n : 1;
	size_t *g = malloc(cap * sizeof *g), *missing = calloc(cap, sizeof *missing), *by = malloc(cap * sizeof *by),
	       *rank = malloc(cap * sizeof *rank);
	const char **first = malloc(cap * sizeof *first);
	int rc = g && missing && by && rank && first ? 0 : DD_ENOMEM;
	/* Districts numbered as they first come: a district's rows are
	 * together in tree order, so the last one is nearly always it. */
	size_t n_groups = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t k = n_groups;
		if (k && strcmp(first[k - 1], district[i]) == 0)
			k--;
		else
			for (k = 0; k < n_groups && strcmp(first[k], district[i]) != 0; k++)
				;
		if (k == n_groups)
			first[n_groups++] = district[i];
		g[i] = k;
		missing[k] += state[i] == DD_ZERO_MISSING;
	}
	if (rc == 0) {
		struct ordering o = { state, g, missing };
		for (size_t k = 0; k < n_groups; k++)
			by[k] = k;
		qsort_r(by, n_groups, sizeof *by, by_missing, &o);
		for (size_t k = 0; k < n_groups; k++)
			rank[by[k]] = k;
		for (size_t i = 0; i < n; i++) {
			g[i] = rank[g[i]];
			order[i] = i;
		}
		qsort_r(order, n, sizeof *order, by_reading, &o);
		if (group)
			memcpy(group, g, n * sizeof *g);
	}
	free(g);
	free(missing);
	free(by);
	free(rank);
	free(first);
	return rc;
}
