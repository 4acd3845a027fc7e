/*
 * batch.c — decoding, authorising and storing a batch of events (see
 * batch.h for the all-or-nothing rule).
 *
 * Events are stored in (origin, seq) order whatever order they came in,
 * so a console may send its chain in any order; each is checked against
 * the origin's chain head after the ones before it were inserted in the
 * same transaction, so a batch that extends a chain by many events needs
 * no special case.  The head is read once per origin and then followed
 * in memory, so a new event costs one INSERT; the unique id index
 * catches an id that is another event's, and only then is it looked up.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Decoding an event (parsing it, then re-encoding it canonically to
 * check its hash) is most of a batch's cost, so on a large batch it is
 * shared by up to DECODE_THREADS threads, which take DECODE_CHUNK items
 * at a time in order and say when each chunk is done; batch_ingest
 * stores the chunks done while the later ones are still being decoded.
 * The threads only read the shared JSON tree (jansson's reference counts
 * are atomic) and write their own items.
 *
 * Line framing: a body of the shape {"events":[⏎ e1,⏎ e2,⏎ … en⏎]}
 * (what core/sync.c sends) is cut at its newlines and each event is
 * parsed on its own, by the thread that decodes it.  That is exact: a
 * newline byte can only be whitespace between tokens in JSON (inside a
 * string it must be escaped), so when every line parses as one value,
 * the whole body is the object holding exactly that array.  Any other
 * body, and any line that does not parse, goes the ordinary way: one
 * parse of the whole body, which also makes the error message. */
#define DECODE_THREADS 4
#define DECODE_CHUNK 64
#define DECODE_MIN_SHARE 128   /* events: below this a thread costs more than it saves */

static const char frame_head[] = "{\"events\":[\n";
static const char frame_tail[] = "\n]}";

struct decoding {
	struct batch *b;
	json_t *events;          /* the parsed array; NULL: parse each line */
	const char **line;       /* line framing: where each event starts … */
	size_t *line_len;        /* … and its length */
	const char *org;         /* authorise each event for role at org (NULL: not here) */
	enum role role;
	size_t n_chunks;
	atomic_size_t next;      /* the next chunk to take */
	atomic_bool unframed;    /* a line did not parse: use the whole body */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned char *done;     /* per chunk, under lock */
	pthread_t tid[DECODE_THREADS];
	size_t started;
};

static void decode_item(struct decoding *d, size_t i)
{
	struct batch_item *it = &d->b->items[i];
	struct dd_error e;
	json_t *raw = json_array_get(d->events, i);
	if (!d->events) {
		json_error_t jerr;
		if (!(raw = json_loadb(d->line[i], d->line_len[i], JSON_REJECT_DUPLICATES, &jerr))) {
			atomic_store(&d->unframed, true);
			return;
		}
	}
	if (event_from_json_encoded(raw, &it->ev, &it->json, &e) != 0) {
		/* Name the event if it has something like an id. */
		const char *id = json_string_value(json_object_get(raw, "id"));
		if (id && strlen(id) < sizeof it->ev.id)
			memcpy(it->ev.id, id, strlen(id) + 1);
		reject(it, 422, e.msg);
	} else {
		it->decoded = true;
		if (d->org && scope_check_write(d->role, d->org, &it->ev, &e) != 0)
			reject(it, 403, e.msg);
	}
	if (!d->events)
		json_decref(raw);   /* ev.body keeps its own reference */
}

/* Takes chunks until none is left. */
static void *decoder(void *arg)
{
	struct decoding *d = arg;
	size_t c;
	while ((c = atomic_fetch_add(&d->next, 1)) < d->n_chunks) {
		size_t hi = (c + 1) * DECODE_CHUNK < d->b->n ? (c + 1) * DECODE_CHUNK : d->b->n;
		for (size_t i = c * DECODE_CHUNK; i < hi && !atomic_load(&d->unframed); i++)
			decode_item(d, i);
		pthread_mutex_lock(&d->lock);
		d->done[c] = 1;
		pthread_cond_broadcast(&d->cond);
		pthread_mutex_unlock(&d->lock);
	}
	return NULL;
}

/* Starts decoding b->n items from events, or with events NULL from the
 * lines.  With follow a store follows the decoders (store_following),
 * so every decoder is a thread of its own; else the caller is one of
 * them (decode_finish).  A small batch gets no thread.  0 or DD_ENOMEM. */
static int decode_start(struct decoding *d, bool follow)
{
	struct batch *b = d->b;
	for (size_t i = 0; i < b->n; i++) {
		b->items[i].index = i;
		b->order[i] = i;
	}
	d->n_chunks = (b->n + DECODE_CHUNK - 1) / DECODE_CHUNK;
	atomic_init(&d->next, 0);
	atomic_init(&d->unframed, false);
	d->started = 0;
	if (!(d->done = calloc(d->n_chunks ? d->n_chunks : 1, 1)))
		return DD_ENOMEM;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cpus > 1 ? (size_t)cpus : 1;
	if (k > DECODE_THREADS)
		k = DECODE_THREADS;
	if (k > b->n / DECODE_MIN_SHARE)
		k = b->n / DECODE_MIN_SHARE;
	for (size_t t = follow ? 0 : 1; t < k; t++)
		if (pthread_create(&d->tid[d->started], NULL, decoder, d) == 0)
			d->started++;
	return 0;
}

/* Waits until chunk c is decoded. */
static void decode_wait(struct decoding *d, size_t c)
{
	pthread_mutex_lock(&d->lock);
	while (!d->done[c])
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
}

/* Decodes what is left here, waits for the threads; false when a line
 * did not parse (the items are then emptied). */
static bool decode_finish(struct decoding *d)
{
	decoder(d);
	for (size_t t = 0; t < d->started; t++)
		pthread_join(d->tid[t], NULL);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d->done);
	d->done = NULL;
	bool framed = !atomic_load(&d->unframed);
	if (!framed)
		for (size_t i = 0; i < d->b->n; i++) {
			event_free(&d->b->items[i].ev);
			free(d->b->items[i].json);
			memset(&d->b->items[i], 0, sizeof d->b->items[i]);
		}
	return framed;
}

static int alloc_items(struct batch *b, size_t n, struct dd_error *err)
{
	b->n = n;
	b->items = calloc(n, sizeof *b->items);
	b->order = calloc(n, sizeof *b->order);
	if (!b->items || !b->order) {
		batch_free(b);
		return dd_fail(err, DD_ENOMEM, "out of memory");
	}
	return 0;
}

/* The lines of a line-framed body (see above): 0, DD_EINVAL when body is
 * not framed so, DD_ENOMEM.  d->line and d->line_len are malloc'd. */
static int frame_lines(const char *body, size_t len, struct decoding *d, size_t *n_out)
{
	size_t hl = sizeof frame_head - 1, tl = sizeof frame_tail - 1;
	if (len < hl + tl || memcmp(body, frame_head, hl) != 0 || memcmp(body + len - tl, frame_tail, tl) != 0)
		return DD_EINVAL;
	const char *p = body + hl, *end = body + len - tl;
	size_t n = 1;
	for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++)
		n++;
	if (n > BATCH_MAX_EVENTS)
		return DD_EINVAL;
	d->line = malloc(n * sizeof *d->line);
	d->line_len = malloc(n * sizeof *d->line_len);
	if (!d->line || !d->line_len)
		return DD_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *nl = i + 1 < n ? memchr(p, '\n', (size_t)(end - p)) : end;
		/* Every line but the last ends with the comma between events. */
		size_t l = (size_t)(nl - p);
		if (i + 1 < n && (l == 0 || p[l - 1] != ','))
			return DD_EINVAL;
		d->line[i] = p;
		d->line_len[i] = i + 1 < n ? l - 1 : l;
		p = nl + 1;
	}
	*n_out = n;
	return 0;
}

/* The ordinary way: one parse of the whole body, then the decoding. */
static int parse_whole(const char *body, size_t len, struct batch *b, struct dd_error *err)
{
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
	if (rc == 0 && (rc = alloc_items(b, json_array_size(events), err)) == 0) {
		struct decoding d = { .b = b, .events = events };
		if (decode_start(&d, false) != 0)
			rc = dd_fail(err, DD_ENOMEM, "out of memory");
		else
			decode_finish(&d);
	}
	json_decref(root);
	return rc;
}

/* Starts decoding a line-framed body into b (threads running, see
 * decode_start); DD_EINVAL when it is not framed, DD_ENOMEM. */
static int start_framed(const char *body, size_t len, struct batch *b, struct decoding *d, bool follow)
{
	size_t n;
	int rc = frame_lines(body, len, d, &n);
	if (rc)
		return rc;
	if (alloc_items(b, n, NULL) != 0)
		return DD_ENOMEM;
	if ((rc = decode_start(d, follow)))
		batch_free(b);
	return rc;
}

static int enomem(struct dd_error *err)
{
	return dd_fail(err, DD_ENOMEM, "out of memory");
}

int batch_parse(const char *body, size_t len, struct batch *b, struct dd_error *err)
{
	memset(b, 0, sizeof *b);
	if (len > BATCH_MAX_BYTES)
		return dd_fail(err, DD_ERANGE, "batch of %zu bytes, at most %d allowed", len, BATCH_MAX_BYTES);
	struct decoding d = { .b = b };
	int rc = start_framed(body, len, b, &d, false);
	bool framed = rc == 0 && decode_finish(&d);
	free(d.line);
	free(d.line_len);
	if (rc == DD_ENOMEM)
		return enomem(err);
	if (!framed) {
		batch_free(b);
		if ((rc = parse_whole(body, len, b, err)))
			return rc;
	}
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

/* The chain head of the origin being stored: read from the database
 * once per origin and batch (events come in chain order), then moved
 * along in memory as the origin's events are inserted. */
struct head {
	const char *origin;      /* NULL: none read yet */
	int64_t seq;
	char hash[DD_HASH_HEX + 1];
};

/* An event whose (origin, seq) the server holds already: the same event
 * (a re-send) is a duplicate; another one is a fork, unless its id is
 * another stored event's, which makes it merely invalid. */
static int store_known(const struct db_ops *ops, struct db_session *s, struct batch *b, struct batch_item *it,
		       struct dd_error *err)
{
	const struct dd_event *ev = &it->ev;
	char id[DD_UUID_LEN + 1] = "", hash[DD_HASH_HEX + 1] = "";
	char other_origin[DD_UUID_LEN + 1], other_hash[DD_HASH_HEX + 1], why[400];
	int64_t other_seq;
	bool found, taken;
	int rc = ops->event_at(s, ev->origin, ev->seq, &found, id, hash, err);
	if (rc)
		return rc;
	if (found && strcmp(hash, ev->hash) == 0) {
		/* The hash covers the id: this is the very event stored. */
		it->state = ITEM_DUPLICATE;
		return 0;
	}
	if ((rc = ops->event_by_id(s, ev->id, &taken, other_origin, &other_seq, other_hash, err)))
		return rc;
	if (taken) {
		snprintf(why, sizeof why, "id %s already belongs to another event (origin %s, seq %lld)", ev->id,
			 other_origin, (long long)other_seq);
		reject(it, 422, why);
		return 0;
	}
	snprintf(b->fork, sizeof b->fork,
		 "origin %s forks at seq %lld: the server holds event %s (hash %.12s…), the batch has %s"
		 " (hash %.12s…)", ev->origin, (long long)ev->seq, id, hash, ev->id, ev->hash);
	return dd_fail(err, DD_ECHAIN, "%s", b->fork);
}

struct addressing {
	const struct db_ops *ops;
	struct db_session *s;
	const struct dd_event *ev;
	int64_t gseq;
	struct dd_error *err;
};

static int put_address(const char *org, bool subtree, void *ctx)
{
	struct addressing *a = ctx;
	/* The envelope org reads it anyway. */
	if (!subtree && strcmp(org, a->ev->org) == 0)
		return 0;
	return a->ops->event_address(a->s, a->gseq, org, subtree, a->err);
}

/* Records who besides its own org reads the event just stored at gseq
 * (scope_addressees), and the org of an incident it opens. */
static int address(const struct db_ops *ops, struct db_session *s, const struct dd_event *ev, int64_t gseq,
		   struct dd_error *err)
{
	char incident_org[DD_ORG_MAX + 1];
	bool found = false;
	const char *opened = scope_incident_opened(ev);
	int rc = 0;
	if (opened)
		rc = ops->incident_org_put(s, ev->subject, opened, err);
	else if (scope_about_incident(ev))
		rc = ops->incident_org_get(s, ev->subject, &found, incident_org, err);
	struct addressing a = { ops, s, ev, gseq, err };
	return rc ? rc : scope_addressees(ev, found ? incident_org : NULL, put_address, &a);
}

/* Stores one event, or says why not; a fork ends the batch. */
static int store_one(const struct db_ops *ops, struct db_session *s, struct batch *b, struct batch_item *it,
		     struct head *h, struct dd_error *err)
{
	const struct dd_event *ev = &it->ev;
	char why[400];
	int rc;
	if (!h->origin || strcmp(h->origin, ev->origin) != 0) {
		if ((rc = ops->chain_head(s, ev->origin, &h->seq, h->hash, err)))
			return rc;
		h->origin = ev->origin;
	}
	if (ev->seq <= h->seq)
		return store_known(ops, s, b, it, err);
	if (ev->seq != h->seq + 1) {
		snprintf(why, sizeof why, "seq %lld does not follow the server's chain of origin %s, which ends at"
			 " seq %lld (send the missing events first)", (long long)ev->seq, ev->origin, (long long)h->seq);
		reject(it, 422, why);
		return 0;
	}
	if (strcmp(ev->prev, h->hash) != 0) {
		snprintf(why, sizeof why, "prev does not match the hash of seq %lld of origin %s", (long long)h->seq,
			 ev->origin);
		reject(it, 422, why);
		return 0;
	}
	int64_t gseq;
	rc = ops->event_insert(s, ev, it->json, &gseq, err);
	if (rc == DD_EDUP) {
		/* Its seq is new, so its id is another event's: ask whose. */
		char origin[DD_UUID_LEN + 1], hash[DD_HASH_HEX + 1];
		int64_t seq = 0;
		bool found = false;
		if ((rc = ops->event_by_id(s, ev->id, &found, origin, &seq, hash, err)))
			return rc;
		snprintf(why, sizeof why, "id %s already belongs to another event (origin %s, seq %lld)", ev->id,
			 found ? origin : "?", (long long)seq);
		reject(it, 422, why);
		return 0;
	}
	if (rc || (rc = address(ops, s, ev, gseq, err)))
		return rc;
	it->state = ITEM_ACCEPTED;
	h->seq = ev->seq;
	memcpy(h->hash, ev->hash, sizeof h->hash);
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
	struct head h = { 0 };
	for (size_t i = 0; i < b->n; i++) {
		int rc = store_one(ops, s, b, &b->items[b->order[i]], &h, err);
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

/* Stores the items of a line-framed batch chunk by chunk as d decodes
 * them, in one transaction.  Only the plain case is taken this way: every
 * event valid, in scope, in chain order and stored or already there.
 * Anything else (a rejection, a fork, events out of order, a line that
 * is not JSON, a busy database) rolls back and returns false, and the
 * batch is then stored the ordinary way, which gives the answer. */
static bool store_following(const struct db_ops *ops, struct db_session *s, struct decoding *d)
{
	struct batch *b = d->b;
	struct dd_error err;
	if (ops->begin(s, true, &err) != 0)
		return false;
	struct head h = { 0 };
	const struct batch_item *before = NULL;
	b->fork[0] = '\0';
	b->last_gseq = 0;
	bool ok = true;
	for (size_t c = 0; c < d->n_chunks && ok; c++) {
		decode_wait(d, c);
		size_t hi = (c + 1) * DECODE_CHUNK < b->n ? (c + 1) * DECODE_CHUNK : b->n;
		for (size_t i = c * DECODE_CHUNK; i < hi && ok; i++) {
			struct batch_item *it = &b->items[i];
			ok = !atomic_load(&d->unframed) && it->decoded && it->state == ITEM_NEW &&
			     (!before || strcmp(before->ev.origin, it->ev.origin) < 0 ||
			      (strcmp(before->ev.origin, it->ev.origin) == 0 && before->ev.seq < it->ev.seq));
			if (ok && (store_one(ops, s, b, it, &h, &err) != 0 || it->state == ITEM_REJECTED)) {
				/* The ordinary way finds this again and says it. */
				it->state = ITEM_NEW;
				ok = false;
			}
			before = it;
		}
	}
	if (ok && ops->commit(s, &err) == 0)
		return true;
	ops->rollback(s);
	for (size_t i = 0; i < b->n; i++)
		if (b->items[i].state != ITEM_REJECTED)
			b->items[i].state = ITEM_NEW;
	return false;
}

int batch_ingest(const char *body, size_t len, enum role r, const char *org, const struct db_ops *ops,
		 struct db_session *s, struct batch *b, int *stored, struct dd_error *err)
{
	memset(b, 0, sizeof *b);
	*stored = 0;
	if (len > BATCH_MAX_BYTES)
		return dd_fail(err, DD_ERANGE, "batch of %zu bytes, at most %d allowed", len, BATCH_MAX_BYTES);
	struct decoding d = { .b = b, .role = r, .org = org };
	int rc = start_framed(body, len, b, &d, true);
	bool done = rc == 0 && d.started > 0 && store_following(ops, s, &d);
	bool framed = rc == 0 && decode_finish(&d);
	free(d.line);
	free(d.line_len);
	if (rc == DD_ENOMEM)
		return enomem(err);
	if (done && framed)
		return 0;
	if (!framed) {
		batch_free(b);
		if ((rc = parse_whole(body, len, b, err)))
			return rc;
	}
	qsort_r(b->order, b->n, sizeof *b->order, by_chain, b);
	batch_authorize(b, r, org);
	if (batch_rejected(b) == 0)
		*stored = db_run_tx(ops, s, true, batch_store, b, err);
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
