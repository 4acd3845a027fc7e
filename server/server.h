/*
 * server.h — what dutydeskd's HTTP layer and its handlers share: the
 * server, one request's state, and the ways to answer.
 *
 * Every answer is JSON.  An error is {"error": CODE, "message": TEXT}
 * plus details, and every answer is logged as one line (method, path,
 * status, the token's id and name, the time taken and the reason) that
 * never holds the token's secret.
 */
#ifndef DUTYDESKD_SERVER_H
#define DUTYDESKD_SERVER_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "longpoll.h"
#include "scope.h"

struct server {
	struct db_pool pool;
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;
	pthread_cond_t idle;      /* signalled when in_flight drops to 0 */
	int in_flight;            /* requests begun and not yet completed */
	bool draining;            /* SIGTERM: answers say Connection: close */
};

struct request;
typedef enum MHD_Result (*http_handler)(struct request *rq);

struct route {
	const char *url;
	const char *method;
	http_handler handler;
	bool auth;                /* needs a valid bearer token */
};

struct request {
	struct server *srv;
	struct MHD_Connection *conn;
	const struct route *route;
	const char *method;
	char path[128];
	int64_t started_ms;
	bool answered;
	/* the body, for POST */
	char *body;
	size_t len, cap;
	bool too_large;
	/* the caller, once authenticated */
	struct db_token token;
	enum role role;
	/* a pull's state across suspensions */
	bool pull_started;
	int64_t after;
	int limit;
	struct db_skip skip;
	int64_t deadline_ms;
	struct lp_waiter waiter;
};

/* Queues body (stolen) as the answer, and logs it with note. */
enum MHD_Result http_reply(struct request *rq, unsigned status, json_t *body, const char *note);
/* Queues text, already JSON, as the answer. */
enum MHD_Result http_reply_text(struct request *rq, unsigned status, char *json, size_t len, const char *note);
/* {"error": code, "message": printf(fmt, …)}, logged with the message. */
enum MHD_Result http_error(struct request *rq, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same with extra fields merged in (stolen). */
enum MHD_Result http_error_with(struct request *rq, unsigned status, const char *code, json_t *extra,
				const char *msg);

/* Starts MHD on the configured address; see srvconfig.h. */
struct srv_config;
int http_start(struct server *srv, const struct srv_config *cfg, struct dd_error *err);
/* The port bound (useful when the configuration said 0). */
unsigned http_port(const struct server *srv);
/* Stops accepting, lets every request in flight finish (long-polls
 * answer at once), then stops MHD.  Waits at most drain_s seconds. */
void http_stop(struct server *srv, int drain_s);

/* One log line on stderr (the journal under systemd), with the time. */
void srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum MHD_Result h_events_post(struct request *rq);
enum MHD_Result h_events_get(struct request *rq);
enum MHD_Result h_health(struct request *rq);
enum MHD_Result h_whoami(struct request *rq);

#endif
