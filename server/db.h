/*
 * db.h — dutydeskd's storage: one table of function pointers per backend
 * (as the GNU Taler exchange does with its database plugin), so the
 * embedded SQLite (db_sqlite.c) and a later PostgreSQL backend (db_pg.c)
 * are interchangeable and nothing above this file writes SQL.
 *
 * Invariants every backend keeps:
 *  - events are insert-only; (origin, seq) and id are each unique;
 *  - gseq, the server's global order, is assigned at insert and becomes
 *    visible in increasing order: no reader may ever see gseq N+1
 *    committed while N is still to come, or a long-poll cursor would skip
 *    N.  SQLite gives this for free (one writer at a time); a PostgreSQL
 *    backend must serialise ingest (an advisory lock per transaction)
 *    because its sequences commit out of order;
 *  - a session is one connection, used by one thread at a time (the pool
 *    in db.c hands them out); every function returns 0 or a DD_E* code
 *    with err filled, DD_EBUSY when the transaction should be retried.
 */
#ifndef DUTYDESKD_DB_H
#define DUTYDESKD_DB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/error.h"
#include "dutydesk/event.h"

#define DB_TOKEN_NAME_MAX 128

struct db_token {
	int64_t id;
	char name[DB_TOKEN_NAME_MAX + 1];
	char org[DD_ORG_MAX + 1];
	char role[16];
	char hash[DD_HASH_HEX + 1];   /* SHA-256 of the secret; the secret is never stored */
	int64_t created_ms;
	int64_t revoked_ms;           /* 0 while the token is valid */
};

/* An event as the server stored it: its place in the global order and
 * its full encoding (event_encode), served verbatim. */
typedef int (*db_event_cb)(int64_t gseq, const char *json, void *ctx);

/* Events a pull leaves out: those of origin with seq ≤ through, which
 * the caller holds already (its own chain, which it pushed).  origin ""
 * leaves out nothing. */
struct db_skip {
	char origin[DD_UUID_LEN + 1];
	int64_t through;
};
typedef int (*db_token_cb)(const struct db_token *t, void *ctx);

struct db_session;

struct db_ops {
	const char *name;
	/* Opens (creating and migrating when needed) the database at spec. */
	int (*open)(const char *spec, struct db_session **out, struct dd_error *err);
	void (*close)(struct db_session *s);

	int (*begin)(struct db_session *s, bool write, struct dd_error *err);
	int (*commit)(struct db_session *s, struct dd_error *err);
	void (*rollback)(struct db_session *s);

	/* The stored event of origin at seq: *found, and its id and hash. */
	int (*event_at)(struct db_session *s, const char *origin, int64_t seq, bool *found,
			char id[DD_UUID_LEN + 1], char hash[DD_HASH_HEX + 1], struct dd_error *err);
	/* The stored event with this id: *found, its origin, seq and hash. */
	int (*event_by_id)(struct db_session *s, const char *id, bool *found, char origin[DD_UUID_LEN + 1],
			   int64_t *seq, char hash[DD_HASH_HEX + 1], struct dd_error *err);
	/* The last event of origin: seq 0 and the genesis hash when none. */
	int (*chain_head)(struct db_session *s, const char *origin, int64_t *seq, char hash[DD_HASH_HEX + 1],
			  struct dd_error *err);
	int (*event_insert)(struct db_session *s, const struct dd_event *ev, const char *json, int64_t *gseq,
			    struct dd_error *err);
	/* Records that the event at gseq is addressed to org (with subtree,
	 * to everything under it too): events_after serves it there. */
	int (*event_address)(struct db_session *s, int64_t gseq, const char *org, bool subtree, struct dd_error *err);
	/* The reporting org of an incident, remembered from its incident.open
	 * so the incident's later events reach that org's readers. */
	int (*incident_org_put)(struct db_session *s, const char *incident, const char *org, struct dd_error *err);
	int (*incident_org_get)(struct db_session *s, const char *incident, bool *found, char org[DD_ORG_MAX + 1],
				struct dd_error *err);
	/* Up to limit events with gseq > after whose org lies in scope (NULL:
	 * every org), or that are addressed to an org in scope or to a
	 * subtree holding scope, and that skip does not leave out, in gseq
	 * order; cb returning non-zero stops the scan. */
	int (*events_after)(struct db_session *s, int64_t after, int limit, const char *scope,
			    const struct db_skip *skip, db_event_cb cb, void *ctx, struct dd_error *err);
	int (*events_count_after)(struct db_session *s, int64_t after, const char *scope, const struct db_skip *skip,
				  int64_t *n, struct dd_error *err);
	/* The highest gseq stored, 0 when none. */
	int (*last_gseq)(struct db_session *s, int64_t *gseq, struct dd_error *err);

	/* Fills t->id. */
	int (*token_add)(struct db_session *s, struct db_token *t, struct dd_error *err);
	int (*token_by_hash)(struct db_session *s, const char *hash, bool *found, struct db_token *t,
			     struct dd_error *err);
	int (*token_list)(struct db_session *s, db_token_cb cb, void *ctx, struct dd_error *err);
	/* Revokes the valid tokens whose id or name is ref; *n says how many. */
	int (*token_revoke)(struct db_session *s, const char *ref, int64_t now_ms, int *n, struct dd_error *err);
};

extern const struct db_ops db_sqlite_ops;

/* Chooses the backend for the `database` setting: a path (or
 * "sqlite:PATH") is SQLite; "postgres://…" names the backend still to
 * come and is refused with a message saying so.  *arg is what to pass
 * to ops->open. */
int db_choose(const char *spec, const struct db_ops **ops, const char **arg, struct dd_error *err);

/* The body of a transaction: returns 0 to commit, or an error to roll
 * back (DD_EBUSY asks db_run_tx to run it again). */
typedef int (*db_tx_fn)(const struct db_ops *ops, struct db_session *s, void *ctx, struct dd_error *err);

/* Runs fn in a transaction, retrying it when the backend reports a busy
 * or serialisation failure; fn must therefore have no effect outside the
 * database until the transaction commits. */
int db_run_tx(const struct db_ops *ops, struct db_session *s, bool write, db_tx_fn fn, void *ctx,
	      struct dd_error *err);

/* Sessions for the server's threads: taken for one request, given back
 * after, opened on demand and kept for reuse. */
struct db_pool {
	const struct db_ops *ops;
	const char *spec;
	pthread_mutex_t lock;
	struct db_session *idle[64];
	int n_idle;
};

int db_pool_init(struct db_pool *p, const struct db_ops *ops, const char *spec, struct dd_error *err);
int db_pool_get(struct db_pool *p, struct db_session **s, struct dd_error *err);
void db_pool_put(struct db_pool *p, struct db_session *s);
void db_pool_destroy(struct db_pool *p);

#endif
