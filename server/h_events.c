/*
 * h_events.c — POST /v1/events (push a batch) and GET /v1/events (pull
 * in the server's global order, with long-poll).
 *
 * A pull answers from one read transaction, so "next" is exact: when the
 * page is not full, every event in the caller's scope up to the newest
 * one stored was returned, and the cursor jumps there — a district's
 * pulls do not rescan the city's events each time.  Events are served as
 * the server stored them (the encoding of core's codec), never re-encoded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "dutydesk/ids.h"
#include "server.h"

#define PULL_DEFAULT_LIMIT 500
#define PULL_MAX_LIMIT 1000

/* ---- push --------------------------------------------------------------- */

enum MHD_Result h_events_post(struct request *rq)
{
	struct batch b;
	struct dd_error err;
	struct db_session *s;
	int rc = db_pool_get(&rq->srv->pool, &s, &err);
	if (rc)
		return http_error(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "storing the batch failed: %s", err.msg);
	int parsed = batch_ingest(rq->body ? rq->body : "", rq->len, rq->role, rq->token.org, rq->srv->pool.ops, s, &b,
				  &rc, &err);
	db_pool_put(&rq->srv->pool, s);
	if (parsed != 0)
		return err.code == DD_ERANGE && rq->len > BATCH_MAX_BYTES
			       ? http_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", "%s", err.msg)
			       : http_error(rq, MHD_HTTP_BAD_REQUEST, "bad_request", "%s", err.msg);
	enum MHD_Result r;
	char msg[700];
	if (rc == DD_ECHAIN && b.fork[0]) {
		snprintf(msg, sizeof msg, "%s; nothing of the batch was stored", b.fork);
		r = http_error_with(rq, MHD_HTTP_CONFLICT, "fork", batch_answer(&b), msg);
	} else if (batch_rejected(&b) > 0) {
		size_t bad = batch_rejected(&b);
		const struct batch_item *first = NULL;
		for (size_t i = 0; i < b.n && !first; i++)
			if (b.items[i].state == ITEM_REJECTED)
				first = &b.items[i];
		snprintf(msg, sizeof msg, "%zu of %zu events rejected, nothing was stored; event %zu: %s", bad, b.n,
			 first->index, first->reason);
		int status = batch_status(&b);
		r = http_error_with(rq, (unsigned)status, status == 403 ? "forbidden" : "invalid", batch_answer(&b), msg);
	} else if (rc == DD_EBUSY) {
		r = http_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "the database stayed busy: %s; send again",
			       err.msg);
	} else if (rc) {
		r = http_error(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "storing the batch failed: %s", err.msg);
	} else {
		size_t accepted = 0;
		for (size_t i = 0; i < b.n; i++)
			accepted += b.items[i].state == ITEM_ACCEPTED;
		if (accepted)
			longpoll_notify();
		snprintf(msg, sizeof msg, "%zu accepted, %zu duplicates", accepted, b.n - accepted);
		r = http_reply(rq, MHD_HTTP_OK, batch_answer(&b), msg);
	}
	batch_free(&b);
	return r;
}

/* ---- pull --------------------------------------------------------------- */

struct page {
	int64_t after;
	int limit;
	const char *scope;
	const struct db_skip *skip;
	char *buf;
	size_t len, cap;
	int n;
	int64_t last;        /* gseq of the last event in the page */
	int64_t newest;      /* the highest gseq stored */
	int64_t remaining;   /* in scope after the page, when it is full */
	bool oom;
};

static void put(struct page *p, const char *s, size_t n)
{
	if (p->oom)
		return;
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap : 65536;
		while (cap < p->len + n + 1)
			cap *= 2;
		char *b = realloc(p->buf, cap);
		if (!b) {
			p->oom = true;
			return;
		}
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

static int add_event(int64_t gseq, const char *json, void *ctx)
{
	struct page *p = ctx;
	if (p->n++ > 0)
		put(p, ",", 1);
	put(p, json, strlen(json));
	p->last = gseq;
	return p->oom;
}

static int read_page(const struct db_ops *ops, struct db_session *s, void *ctx, struct dd_error *err)
{
	struct page *p = ctx;
	p->len = 0;
	p->n = 0;
	p->last = p->remaining = 0;
	put(p, "{\"events\":[", 11);
	int rc = ops->last_gseq(s, &p->newest, err);
	if (rc == 0)
		rc = ops->events_after(s, p->after, p->limit, p->scope, p->skip, add_event, p, err);
	if (rc == 0 && p->n == p->limit)
		rc = ops->events_count_after(s, p->last, p->scope, p->skip, &p->remaining, err);
	if (rc == 0 && p->oom)
		rc = dd_fail(err, DD_ENOMEM, "out of memory");
	return rc;
}

/* A query parameter as a whole number in [lo, hi]; absent gives dflt. */
static int param(struct request *rq, const char *name, long long lo, long long hi, long long dflt, long long *out)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
	if (!v) {
		*out = dflt;
		return 0;
	}
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || errno || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

enum MHD_Result h_events_get(struct request *rq)
{
	if (!rq->pull_started) {
		long long after, limit, wait;
		if (param(rq, "after", 0, INT64_MAX, 0, &after) != 0)
			return http_error(rq, MHD_HTTP_BAD_REQUEST, "bad_request", "after must be a whole number ≥ 0");
		if (param(rq, "limit", 1, PULL_MAX_LIMIT, PULL_DEFAULT_LIMIT, &limit) != 0)
			return http_error(rq, MHD_HTTP_BAD_REQUEST, "bad_request", "limit must be from 1 to %d",
					  PULL_MAX_LIMIT);
		if (param(rq, "wait", 0, 3600, 0, &wait) != 0)
			return http_error(rq, MHD_HTTP_BAD_REQUEST, "bad_request", "wait must be a number of seconds ≥ 0");
		/* A console leaves out its own chain up to its head: it pushed
		 * those events itself, and sending them back costs more than
		 * the rest of a first sync. */
		const char *skip = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "skip_origin");
		long long through;
		if (skip && !uuid_valid(skip, false))
			return http_error(rq, MHD_HTTP_BAD_REQUEST, "bad_request", "skip_origin must be a lowercase UUID");
		if (param(rq, "skip_through", 0, INT64_MAX, 0, &through) != 0)
			return http_error(rq, MHD_HTTP_BAD_REQUEST, "bad_request", "skip_through must be a whole number ≥ 0");
		snprintf(rq->skip.origin, sizeof rq->skip.origin, "%s", skip ? skip : "");
		rq->skip.through = through;
		rq->pull_started = true;
		rq->after = after;
		rq->limit = (int)limit;
		/* A longer wait is cut to the maximum, not refused: the client
		 * simply asks again. */
		rq->deadline_ms = longpoll_clock_ms() + (wait < LONGPOLL_MAX_WAIT_S ? wait : LONGPOLL_MAX_WAIT_S) * 1000;
	}
	struct page p = { .after = rq->after, .limit = rq->limit,
			  .scope = scope_read_prefix(rq->role, rq->token.org), .skip = &rq->skip };
	for (;;) {
		uint64_t gen = longpoll_generation();
		struct dd_error err;
		struct db_session *s;
		int rc = db_pool_get(&rq->srv->pool, &s, &err);
		if (rc == 0) {
			rc = db_run_tx(rq->srv->pool.ops, s, false, read_page, &p, &err);
			db_pool_put(&rq->srv->pool, s);
		}
		if (rc) {
			free(p.buf);
			return http_error(rq, rc == DD_EBUSY ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_INTERNAL_SERVER_ERROR,
					  rc == DD_EBUSY ? "busy" : "internal", "reading events failed: %s", err.msg);
		}
		if (p.n > 0 || !longpoll_suspend(&rq->waiter, rq->conn, gen, rq->deadline_ms)) {
			if (p.n == 0 && longpoll_generation() != gen && !longpoll_stopping() &&
			    longpoll_clock_ms() < rq->deadline_ms)
				continue;   /* a commit raced the query: look again */
			break;
		}
		free(p.buf);
		return MHD_YES;   /* suspended: called again when resumed */
	}
	bool full = p.n == p.limit;
	int64_t next = full ? p.last : (p.newest > rq->after ? p.newest : rq->after);
	char tail[200];
	/* partial: with a read scope the page holds only the events of other
	 * desks' chains that concern the caller, so their chains have gaps. */
	int w = snprintf(tail, sizeof tail,
			 "],\"next\":%lld,\"more\":%s,\"partial\":%s,\"remaining\":%lld,\"last\":%lld}",
			 (long long)next, p.remaining > 0 ? "true" : "false", p.scope ? "true" : "false",
			 (long long)p.remaining, (long long)p.newest);
	put(&p, tail, (size_t)w);
	if (p.oom) {
		free(p.buf);
		return http_error(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
	}
	char note[64];
	snprintf(note, sizeof note, "%d events after %lld", p.n, (long long)rq->after);
	return http_reply_text(rq, MHD_HTTP_OK, p.buf, p.len, note);
}
