/*
 * batch.h — a POST /v1/events batch, from request body to stored events.
 *
 * A batch is all or nothing: every event is decoded and validated by the
 * core codec (event_from_json), checked against the token's write scope,
 * then, in one transaction, against what the server holds.  Each event
 * ends up accepted (new), a duplicate (the same event, already stored:
 * idempotent re-sends) or rejected with a reason; any rejection, or a
 * fork (an origin's seq already stored with another hash), stores nothing.
 */
#ifndef DUTYDESKD_BATCH_H
#define DUTYDESKD_BATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "dutydesk/error.h"
#include "dutydesk/event.h"
#include "scope.h"

#define BATCH_MAX_BYTES (1024 * 1024)
#define BATCH_MAX_EVENTS 10000

enum item_state { ITEM_NEW, ITEM_ACCEPTED, ITEM_DUPLICATE, ITEM_REJECTED };

struct batch_item {
	size_t index;            /* position in the request */
	bool decoded;            /* ev holds a valid event */
	struct dd_event ev;
	char *json;              /* the event's encoding, as stored and served */
	enum item_state state;
	int status;              /* rejected: 403 out of scope, 422 invalid */
	char reason[512];
};

struct batch {
	struct batch_item *items;
	size_t n;
	size_t *order;           /* items by (origin, seq, index): chain order */
	char fork[512];          /* set when storing found a fork */
	int64_t last_gseq;       /* highest global sequence stored, 0 if none */
};

/* Decodes body, {"events": [event, …]}.  A body that is not that (bad
 * JSON, invalid UTF-8, wrong shape, no events, too many) fails as a whole
 * with DD_EINVAL; a bad event only marks its item rejected. */
int batch_parse(const char *body, size_t len, struct batch *b, struct dd_error *err);

/* Rejects every event a token of role r at org may not write. */
void batch_authorize(struct batch *b, enum role r, const char *org);

size_t batch_rejected(const struct batch *b);

/* Stores the batch inside the caller's transaction (a db_tx_fn body, so
 * it may run again: it starts from the decoded state each time).  0 when
 * every event was stored or already there; DD_ECHAIN for a fork (b->fork
 * says where); DD_EINVAL when an event was rejected; the backend's error
 * otherwise.  Anything but 0 means the caller must roll back. */
int batch_store(const struct db_ops *ops, struct db_session *s, void *batch, struct dd_error *err);

/* batch_parse, batch_authorize and, when nothing was rejected, batch_store
 * in a write transaction of s (db_run_tx), as POST /v1/events needs them,
 * with the same outcome; but a line-framed batch (docs/PROTOCOL.md) is
 * stored while its later events are still being decoded.  Returns what
 * batch_parse would; then *stored is what db_run_tx(batch_store) gave (0
 * when it did not run: see batch_rejected). */
int batch_ingest(const char *body, size_t len, enum role r, const char *org, const struct db_ops *ops,
		 struct db_session *s, struct batch *b, int *stored, struct dd_error *err);

/* The HTTP status the outcome deserves: 200, 403 (some event outside the
 * token's scope) or 422 (some event invalid). */
int batch_status(const struct batch *b);

/* {"accepted": [ids], "duplicates": [ids], "rejected": [{index, id,
 * status, reason}], "last": gseq}. */
json_t *batch_answer(const struct batch *b);

void batch_free(struct batch *b);

#endif
