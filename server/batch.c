/*
 * batch.c — decoding, authorising and storing a batch of events (see
 * batch.h for the all-or-nothing rule).
 *
 * Events are stored in (origin, seq) order whatever order they came in,
 * so a console may send its chain in any order; each is checked against
 * the server's own chain head after the ones before it were inserted in
 * the same transaction, so a batch that extends a chain by many events
 * needs no special case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

static void reject(struct batch_item *it, int status, const char *reason)
{
	it->state = ITEM_REJECTED;
	it->status = status;
	snprintf(it->reason, sizeof it->reason, "%s", reason);
}

static int by_chain(const void *a, const void *b, void *ctx)
{
	const struct batch *batch = ctx;
	const struct batch_item *x = &batch->items[*(const size_t *)a];
	const struct batch_item *y = &batch->items[*(const size_t *)b];
	if (x->decoded != y->decoded)
		return x->decoded ? -1 : 1;
	int c = x->decoded ? strcmp(x->ev.origin, y->ev.origin) : 0;
	if (c)
		return c;
	if (x->decoded && x->ev.seq != y->ev.seq)
		return x->ev.seq < y->ev.seq ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int batch_parse(const char *body, size_t len, struct batch *b, struct dd_error *err)
{
	memset(b, 0, sizeof *b);
	if (len > BATCH_MAX_BYTES)
		return dd_fail(err, DD_ERANGE, "batch of %zu bytes, at most %d allowed", len, BATCH_MAX_BYTES);
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return dd_fail(err, DD_EINVAL, "not valid JSON at byte %d: %s", jerr.position, jerr.text);
	json_t *events = json_object_get(root, "events");
	int rc = 0;
	if (!json_is_object(root) || json_object_size(root) != 1 || !json_is_array(events))
		rc = dd_fail(err, DD_EINVAL, "the body must be an object {\"events\": [ … ]} and nothing else");
	else if (json_array_size(events) == 0)
		rc = dd_fail(err, DD_EINVAL, "the batch holds no events");
	else if (json_array_size(events) > BATCH_MAX_EVENTS)
		rc = dd_fail(err, DD_ERANGE, "the batch holds %zu events, at most %d allowed", json_array_size(events),
			     BATCH_MAX_EVENTS);
	if (rc) {
		json_decref(root);
		return rc;
	}
	b->n = json_array_size(events);
	b->items = calloc(b->n, sizeof *b->items);
	b->order = calloc(b->n, sizeof *b->order);
	if (!b->items || !b->order) {
		json_decref(root);
		batch_free(b);
		return dd_fail(err, DD_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < b->n; i++) {
		struct batch_item *it = &b->items[i];
		struct dd_error e;
		it->index = i;
		b->order[i] = i;
		json_t *raw = json_array_get(events, i);
		if (event_from_json_encoded(raw, &it->ev, &it->json, &e) != 0) {
			/* Name the event if it has something like an id. */
			const char *id = json_string_value(json_object_get(raw, "id"));
			if (id && strlen(id) < sizeof it->ev.id)
				memcpy(it->ev.id, id, strlen(id) + 1);
			reject(it, 422, e.msg);
			continue;
		}
		it->decoded = true;
	}
	json_decref(root);
	qsort_r(b->order, b->n, sizeof *b->order, by_chain, b);
	return 0;
}

void batch_authorize(struct batch *b, enum role r, const char *org)
{
	for (size_t i = 0; i < b->n; i++) {
		struct batch_item *it = &b->items[i];
		struct dd_error e;
		if (it->state != ITEM_REJECTED && scope_check_write(r, org, &it->ev, &e) != 0)
			reject(it, 403, e.msg);
	}
}

size_t batch_rejected(const struct batch *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += b->items[i].state == ITEM_REJECTED;
	return n;
}

/* Stores one event, or says why not; a fork ends the batch. */
static int store_one(const struct db_ops *ops, struct db_session *s, struct batch *b, struct batch_item *it,
		     struct dd_error *err)
{
	const struct dd_event *ev = &it->ev;
	char origin[DD_UUID_LEN + 1], id[DD_UUID_LEN + 1], hash[DD_HASH_HEX + 1], why[400];
	int64_t seq;
	bool found;
	int rc = ops->event_by_id(s, ev->id, &found, origin, &seq, hash, err);
	if (rc)
		return rc;
	if (found) {
		if (strcmp(origin, ev->origin) == 0 && seq == ev->seq && strcmp(hash, ev->hash) == 0) {
			it->state = ITEM_DUPLICATE;
			return 0;
		}
		if (strcmp(origin, ev->origin) != 0 || seq != ev->seq) {
			snprintf(why, sizeof why, "id %s already belongs to another event (origin %s, seq %lld)",
				 ev->id, origin, (long long)seq);
			reject(it, 422, why);
			return 0;
		}
	}
	if ((rc = ops->event_at(s, ev->origin, ev->seq, &found, id, hash, err)))
		return rc;
	if (found) {
		/* The hash covers the id, so a stored event with this seq and
		 * another hash is another event: the origin's history forked. */
		snprintf(b->fork, sizeof b->fork,
			 "origin %s forks at seq %lld: the server holds event %s (hash %.12s…), the batch has %s"
			 " (hash %.12s…)", ev->origin, (long long)ev->seq, id, hash, ev->id, ev->hash);
		return dd_fail(err, DD_ECHAIN, "%s", b->fork);
	}
	int64_t head;
	if ((rc = ops->chain_head(s, ev->origin, &head, hash, err)))
		return rc;
	if (ev->seq != head + 1) {
		snprintf(why, sizeof why, "seq %lld does not follow the server's chain of origin %s, which ends at"
			 " seq %lld (send the missing events first)", (long long)ev->seq, ev->origin, (long long)head);
		reject(it, 422, why);
		return 0;
	}
	if (strcmp(ev->prev, hash) != 0) {
		snprintf(why, sizeof why, "prev does not match the hash of seq %lld of origin %s", (long long)head,
			 ev->origin);
		reject(it, 422, why);
		return 0;
	}
	int64_t gseq;
	if ((rc = ops->event_insert(s, ev, it->json, &gseq, err)))
		return rc;
	it->state = ITEM_ACCEPTED;
	if (gseq > b->last_gseq)
		b->last_gseq = gseq;
	return 0;
}

int batch_store(const struct db_ops *ops, struct db_session *s, void *batch, struct dd_error *err)
{
	struct batch *b = batch;
	if (batch_rejected(b) > 0)
		return dd_fail(err, DD_EINVAL, "%zu of %zu events rejected; nothing was stored", batch_rejected(b), b->n);
	b->fork[0] = '\0';
	b->last_gseq = 0;
	for (size_t i = 0; i < b->n; i++)
		b->items[i].state = ITEM_NEW;
	for (size_t i = 0; i < b->n; i++) {
		int rc = store_one(ops, s, b, &b->items[b->order[i]], err);
		if (rc)
			return rc;
	}
	size_t bad = batch_rejected(b);
	if (bad > 0) {
		/* A rolled-back transaction stored nothing: say so, item by item. */
		for (size_t i = 0; i < b->n; i++)
			if (b->items[i].state != ITEM_REJECTED)
				b->items[i].state = ITEM_NEW;
		b->last_gseq = 0;
		return dd_fail(err, DD_EINVAL, "%zu of %zu events rejected; nothing was stored", bad, b->n);
	}
	return 0;
}

int batch_status(const struct batch *b)
{
	int status = 200;
	for (size_t i = 0; i < b->n; i++)
		if (b->items[i].state == ITEM_REJECTED && (status == 200 || b->items[i].status == 403))
			status = b->items[i].status;
	return status;
}

json_t *batch_answer(const struct batch *b)
{
	json_t *accepted = json_array(), *dups = json_array(), *rejected = json_array();
	for (size_t i = 0; i < b->n; i++) {
		const struct batch_item *it = &b->items[i];
		switch (it->state) {
		case ITEM_ACCEPTED: json_array_append_new(accepted, json_string(it->ev.id)); break;
		case ITEM_DUPLICATE: json_array_append_new(dups, json_string(it->ev.id)); break;
		case ITEM_REJECTED:
			json_array_append_new(rejected, json_pack("{s:I, s:s, s:i, s:s}", "index", (json_int_t)it->index,
								  "id", it->ev.id,
								  "status", it->status, "reason", it->reason));
			break;
		case ITEM_NEW: break;
		}
	}
	return json_pack("{s:o, s:o, s:o, s:I}", "accepted", accepted, "duplicates", dups, "rejected", rejected,
			 "last", (json_int_t)b->last_gseq);
}

void batch_free(struct batch *b)
{
	for (size_t i = 0; b->items && i < b->n; i++) {
		event_free(&b->items[i].ev);
		free(b->items[i].json);
	}
	free(b->items);
	free(b->order);
	memset(b, 0, sizeof *b);
}
