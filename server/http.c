/*
 * http.c — dutydeskd's HTTP layer: the route table, libmicrohttpd's
 * callbacks, authentication, request bodies, answers and the drain on
 * shutdown.
 *
 * MHD runs its own thread pool (epoll on Linux) and calls access() for a
 * request several times: once with the headers (route, token and
 * Content-Length are checked then, so an unauthenticated or oversized
 * upload is refused before its body is read), once per piece of body,
 * and once at the end, when the handler runs.  A suspended pull calls
 * its handler again when resumed.  completed() frees the request and
 * counts it out, which is what the drain on SIGTERM waits for.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "server.h"
#include "srvconfig.h"
#include "token.h"

static const struct route routes[] = {
	{ "/v1/events", MHD_HTTP_METHOD_POST, h_events_post, true },
	{ "/v1/events", MHD_HTTP_METHOD_GET, h_events_get, true },
	{ "/v1/health", MHD_HTTP_METHOD_GET, h_health, false },
	{ "/v1/whoami", MHD_HTTP_METHOD_GET, h_whoami, true },
};

#define N_ROUTES (sizeof routes / sizeof routes[0])

void srv_log(const char *fmt, ...)
{
	/* gmtime_r, not timefmt.h: that switches zones through TZ, which is
	 * not safe with MHD's threads logging at once. */
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	char when[48];
	size_t w = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + w, sizeof when - w, ".%03dZ", (int)(ts.tv_nsec / 1000000));
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* One write per line: lines from many threads never interleave. */
	fprintf(stderr, "%s dutydeskd: %s\n", when, line);
}

static void log_answer(struct request *rq, unsigned status, const char *note)
{
	char who[200] = "-";
	if (rq->token.id)
		snprintf(who, sizeof who, "token %lld (%s)", (long long)rq->token.id, rq->token.name);
	srv_log("%s %s %u %s %lld ms%s%s", rq->method, rq->path, status, who,
		(long long)(longpoll_clock_ms() - rq->started_ms), note && note[0] ? ": " : "", note ? note : "");
}

static enum MHD_Result queue(struct request *rq, unsigned status, struct MHD_Response *resp, const char *note)
{
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED) {
		char allow[64] = "";
		for (size_t i = 0; i < N_ROUTES; i++)
			if (strcmp(routes[i].url, rq->path) == 0)
				snprintf(allow + strlen(allow), sizeof allow - strlen(allow), "%s%s", allow[0] ? ", " : "",
					 routes[i].method);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	}
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"dutydesk\"");
	pthread_mutex_lock(&rq->srv->lock);
	bool draining = rq->srv->draining;
	pthread_mutex_unlock(&rq->srv->lock);
	if (draining)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result r = MHD_queue_response(rq->conn, status, resp);
	MHD_destroy_response(resp);
	rq->answered = true;
	log_answer(rq, status, note);
	return r;
}

enum MHD_Result http_reply_text(struct request *rq, unsigned status, char *json, size_t len, const char *note)
{
	return queue(rq, status, MHD_create_response_from_buffer(len, json, MHD_RESPMEM_MUST_FREE), note);
}

enum MHD_Result http_reply(struct request *rq, unsigned status, json_t *body, const char *note)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!text)
		return MHD_NO;
	return http_reply_text(rq, status, text, strlen(text), note);
}

enum MHD_Result http_error_with(struct request *rq, unsigned status, const char *code, json_t *extra,
				const char *msg)
{
	json_t *body = json_pack("{s:s, s:s}", "error", code, "message", msg);
	if (extra) {
		json_object_update_missing(body, extra);
		json_decref(extra);
	}
	return http_reply(rq, status, body, msg);
}

enum MHD_Result http_error(struct request *rq, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return http_error_with(rq, status, code, NULL, msg);
}

/* Looks the bearer token up; answers 401 (or 503) itself on failure. */
static bool authenticate(struct request *rq)
{
	const char *header = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	size_t len;
	const char *tok = token_from_header(header, &len);
	if (!tok) {
		http_error(rq, MHD_HTTP_UNAUTHORIZED, "unauthorized",
			   header ? "the Authorization header is not \"Bearer ddt_…\" with a well-formed token"
				  : "no Authorization header: send \"Authorization: Bearer TOKEN\"");
		return false;
	}
	char hash[DD_HASH_HEX + 1];
	token_hash(tok, len, hash);
	struct db_session *s;
	struct dd_error err;
	bool found = false;
	int rc = db_pool_get(&rq->srv->pool, &s, &err);
	if (rc == 0) {
		rc = rq->srv->pool.ops->token_by_hash(s, hash, &found, &rq->token, &err);
		db_pool_put(&rq->srv->pool, s);
	}
	if (rc) {
		http_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "cannot check the token: %s", err.msg);
		return false;
	}
	if (!found || rq->token.revoked_ms) {
		struct db_token revoked = rq->token;
		memset(&rq->token, 0, sizeof rq->token);
		if (found)
			http_error(rq, MHD_HTTP_UNAUTHORIZED, "unauthorized", "token %lld (%s) was revoked",
				   (long long)revoked.id, revoked.name);
		else
			http_error(rq, MHD_HTTP_UNAUTHORIZED, "unauthorized", "unknown token");
		return false;
	}
	if (role_parse(rq->token.role, &rq->role) != 0) {
		http_error(rq, MHD_HTTP_FORBIDDEN, "forbidden", "token %lld has an unknown role '%s'",
			   (long long)rq->token.id, rq->token.role);
		return false;
	}
	return true;
}

/* First call: route, token, declared size. */
static enum MHD_Result begin(struct request *rq, const char *url)
{
	bool path_known = false;
	for (size_t i = 0; i < N_ROUTES; i++) {
		if (strcmp(routes[i].url, url) != 0)
			continue;
		path_known = true;
		if (strcmp(routes[i].method, rq->method) == 0)
			rq->route = &routes[i];
	}
	if (!rq->route)
		return path_known ? http_error(rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
					       "%s does not take %s", rq->path, rq->method)
				  : http_error(rq, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint: %s", rq->path);
	if (rq->route->auth && !authenticate(rq))
		return MHD_YES;
	const char *cl = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > BATCH_MAX_BYTES)
		return http_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
				  "the body is %s bytes; a batch is at most %d bytes (1 MiB): send smaller batches", cl,
				  BATCH_MAX_BYTES);
	return MHD_YES;
}

static bool take_body(struct request *rq, const char *data, size_t n)
{
	if (rq->too_large || rq->len + n > BATCH_MAX_BYTES) {
		rq->too_large = true;   /* read on and drop: then answer 413 */
		return true;
	}
	if (rq->len + n + 1 > rq->cap) {
		size_t cap = rq->cap ? rq->cap : 16384;
		while (cap < rq->len + n + 1)
			cap *= 2;
		char *p = realloc(rq->body, cap);
		if (!p)
			return false;
		rq->body = p;
		rq->cap = cap;
	}
	memcpy(rq->body + rq->len, data, n);
	rq->len += n;
	rq->body[rq->len] = '\0';
	return true;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				 const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	(void)version;
	struct server *srv = cls;
	struct request *rq = *req_cls;
	if (!rq) {
		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		rq->srv = srv;
		rq->conn = conn;
		rq->method = method;
		rq->started_ms = longpoll_clock_ms();
		snprintf(rq->path, sizeof rq->path, "%s", url);
		*req_cls = rq;
		pthread_mutex_lock(&srv->lock);
		srv->in_flight++;
		pthread_mutex_unlock(&srv->lock);
		return begin(rq, url);
	}
	if (rq->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		bool ok = take_body(rq, upload_data, *upload_size);
		*upload_size = 0;
		return ok ? MHD_YES : MHD_NO;
	}
	if (rq->too_large)
		return http_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
				  "the body is over %d bytes (1 MiB): send smaller batches", BATCH_MAX_BYTES);
	return rq->route->handler(rq);
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode why)
{
	(void)conn;
	struct server *srv = cls;
	struct request *rq = *req_cls;
	if (!rq)
		return;
	if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK && !rq->answered)
		log_answer(rq, 0, "connection ended before an answer");
	free(rq->body);
	free(rq);
	*req_cls = NULL;
	pthread_mutex_lock(&srv->lock);
	if (--srv->in_flight == 0)
		pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	srv_log("libmicrohttpd: %s", msg);
}

static int read_file(const char *path, char **out, struct dd_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return dd_fail(err, DD_ECONFIG, "%s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return dd_fail(err, DD_ENOMEM, "out of memory");
			}
			buf = p;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		return dd_fail(err, DD_ECONFIG, "%s: empty", path);
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* TLS material must outlive the daemon. */
static char *tls_cert, *tls_key;

int http_start(struct server *srv, const struct srv_config *cfg, struct dd_error *err)
{
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *addr;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (inet_pton(AF_INET, cfg->listen, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)cfg->port);
		addr = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, cfg->listen, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)cfg->port);
		addr = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		return dd_fail(err, DD_ECONFIG, "listen: '%s' is not an IP address", cfg->listen);
	}
	bool tls = cfg->tls_cert[0] != '\0';
	if (tls) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return dd_fail(err, DD_ECONFIG, "tls: this libmicrohttpd was built without HTTPS support");
		int rc;
		if ((rc = read_file(cfg->tls_cert, &tls_cert, err)) || (rc = read_file(cfg->tls_key, &tls_key, err)))
			return rc;
		flags |= MHD_USE_TLS;
	}
	struct MHD_OptionItem opts[] = {
		/* First, so that MHD's own messages all come through it. */
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL },
		{ MHD_OPTION_SOCK_ADDR, 0, addr },
		{ MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL },
		/* An idle or slow client is cut after 30 s; a suspended pull is
		 * not idle (MHD stops its clock) and answers within 25 s. */
		{ MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, 1000, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed_cb, srv },
		{ tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, tls_cert },
		{ tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, tls_key },
		{ MHD_OPTION_END, 0, NULL },
	};
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, srv, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!srv->daemon)
		return dd_fail(err, DD_EIO, "cannot listen on %s port %d (in use, or not an address of this machine?)",
			       cfg->listen, cfg->port);
	return 0;
}

unsigned http_port(const struct server *srv)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	return info ? info->port : 0;
}

void http_stop(struct server *srv, int drain_s)
{
	pthread_mutex_lock(&srv->lock);
	srv->draining = true;
	int n = srv->in_flight;
	pthread_mutex_unlock(&srv->lock);
	srv_log("shutting down: no new connections; finishing %d request%s in flight", n, n == 1 ? "" : "s");
	MHD_socket listener = MHD_quiesce_daemon(srv->daemon);
	longpoll_shutdown();
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += drain_s;
	pthread_mutex_lock(&srv->lock);
	while (srv->in_flight > 0)
		if (pthread_cond_timedwait(&srv->idle, &srv->lock, &until) == ETIMEDOUT)
			break;
	n = srv->in_flight;
	pthread_mutex_unlock(&srv->lock);
	if (n > 0)
		srv_log("%d request%s still open after %d s; closing them", n, n == 1 ? "" : "s", drain_s);
	longpoll_stop();
	MHD_stop_daemon(srv->daemon);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	free(tls_cert);
	free(tls_key);
	tls_cert = tls_key = NULL;
}
