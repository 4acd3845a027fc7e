/*
 * db.c — what every backend shares: choosing one from the `database`
 * setting, the run-transaction helper and the session pool (see db.h).
 *
 * Retrying is safe only because a transaction body touches nothing but
 * the database before its commit; the caller keeps its answer in memory
 * and resets it at the start of each attempt.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

#define TX_ATTEMPTS 5

int db_choose(const char *spec, const struct db_ops **ops, const char **arg, struct dd_error *err)
{
	if (strncmp(spec, "postgres://", 11) == 0 || strncmp(spec, "postgresql://", 13) == 0)
		return dd_fail(err, DD_ECONFIG,
			       "database '%s': the PostgreSQL backend is not built yet; use a file path (SQLite)", spec);
	if (strncmp(spec, "sqlite:", 7) == 0)
		spec += 7;
	if (!spec[0])
		return dd_fail(err, DD_ECONFIG, "database: no path given");
	*ops = &db_sqlite_ops;
	*arg = spec;
	return 0;
}

int db_run_tx(const struct db_ops *ops, struct db_session *s, bool write, db_tx_fn fn, void *ctx,
	      struct dd_error *err)
{
	int rc = DD_EBUSY;
	for (int attempt = 0; attempt < TX_ATTEMPTS && rc == DD_EBUSY; attempt++) {
		if (attempt > 0) {
			/* 10, 20, 40 … ms: writers queue up rather than collide again. */
			struct timespec ts = { 0, (long)(10000000L << (attempt - 1)) };
			nanosleep(&ts, NULL);
		}
		if ((rc = ops->begin(s, write, err)))
			continue;
		rc = fn(ops, s, ctx, err);
		if (rc == 0)
			rc = ops->commit(s, err);
		if (rc)
			ops->rollback(s);
	}
	return rc;
}

int db_pool_init(struct db_pool *p, const struct db_ops *ops, const char *spec, struct dd_error *err)
{
	memset(p, 0, sizeof *p);
	p->ops = ops;
	p->spec = spec;
	pthread_mutex_init(&p->lock, NULL);
	/* Open one now: a bad path or a foreign file fails at start-up, not
	 * at the first request. */
	struct db_session *s;
	int rc = db_pool_get(p, &s, err);
	if (rc == 0)
		db_pool_put(p, s);
	return rc;
}

int db_pool_get(struct db_pool *p, struct db_session **s, struct dd_error *err)
{
	pthread_mutex_lock(&p->lock);
	if (p->n_idle > 0) {
		*s = p->idle[--p->n_idle];
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	pthread_mutex_unlock(&p->lock);
	return p->ops->open(p->spec, s, err);
}

void db_pool_put(struct db_pool *p, struct db_session *s)
{
	pthread_mutex_lock(&p->lock);
	if (p->n_idle < (int)(sizeof p->idle / sizeof p->idle[0])) {
		p->idle[p->n_idle++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	if (s)
		p->ops->close(s);
}

void db_pool_destroy(struct db_pool *p)
{
	while (p->n_idle > 0)
		p->ops->close(p->idle[--p->n_idle]);
	pthread_mutex_destroy(&p->lock);
}
