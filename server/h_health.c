/*
 * h_health.c — GET /v1/health: whether the service answers and can read
 * its database.  No token needed, and nothing about the events told: it
 * is what a load balancer or systemd watchdog probes.
 */
#include "server.h"

/* One indexed read: the database opens, is ours and answers. */
static int probe(const struct db_ops *ops, struct db_session *s, void *ctx, struct dd_error *err)
{
	int64_t last;
	(void)ctx;
	return ops->last_gseq(s, &last, err);
}

enum MHD_Result h_health(struct request *rq)
{
	struct db_session *s;
	struct dd_error err;
	int rc = db_pool_get(&rq->srv->pool, &s, &err);
	if (rc == 0) {
		rc = db_run_tx(rq->srv->pool.ops, s, false, probe, NULL, &err);
		db_pool_put(&rq->srv->pool, s);
	}
	if (rc)
		return http_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "database: %s", err.msg);
	return http_reply(rq, MHD_HTTP_OK,
			  json_pack("{s:s, s:s, s:s}", "status", "ok", "version", DD_VERSION, "database",
				    rq->srv->pool.ops->name), NULL);
}
