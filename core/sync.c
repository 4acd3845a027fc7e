/*
 * sync.c — the console's side of the sync protocol (sync.h,
 * docs/PROTOCOL.md): push, pull, the background threads and libcurl.
 *
 * The curl client lives in core/ (the layering allows the client side of
 * HTTP here; serving is dutydeskd's), so `dutydesk sync` and the console
 * run the same code.  libcurl is opened with dlopen() the first time a
 * sync starts; its symbols become function pointers through memcpy,
 * which ISO C allows where a cast would not.
 *
 * Threads: the push thread sleeps on an inotify watch of the database's
 * folder (any commit, by the console or by `dutydesk log` in another
 * process, wakes it) and the pull thread sits in a long-poll.  Each has
 * its own store connection and curl handle; they share only the status,
 * under a mutex.  They never draw: a byte on the wake pipe tells the
 * console's main loop to redraw the top bar.
 *
 * Invariants: the push cursor moves only after a 200, and the pull
 * cursor moves in the same transaction as the events it covers; so any
 * failure anywhere is repaired by doing the same thing again.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/event.h"
#include "dutydesk/ids.h"
#include "dutydesk/sync.h"
#include "dutydesk/timefmt.h"

/* A push batch stays under the server's 1 MiB limit (by 24 KiB, which
 * also covers the framing); the byte bound is the one that usually ends
 * it (about 1,800 events of 550 bytes), since each batch costs a round
 * trip and a commit with fsync on the server.  A pull asks for the
 * server's largest page, for the same reason. */
#define PUSH_MAX_EVENTS 4000
#define PUSH_MAX_BYTES (1000 * 1024)
#define PULL_LIMIT 1000
#define PULL_WAIT_S 25
#define REPLY_MAX (64 * 1024 * 1024)
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 8000
/* A refused push is tried again this often: the token or the server's
 * rules may have been fixed meanwhile. */
#define REFUSED_RETRY_MS 30000

/* ---- libcurl, loaded on demand -------------------------------------------- */

static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	const char *(*easy_strerror)(CURLcode);
} cu;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_error[200];

static void curl_load(void)
{
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(curl_error, sizeof curl_error, "cannot load libcurl.so.4 (install libcurl4): %s", dlerror());
		return;
	}
	static const char *const names[] = { "curl_global_init", "curl_easy_init", "curl_easy_setopt",
					     "curl_easy_perform", "curl_easy_getinfo", "curl_easy_cleanup",
					     "curl_slist_append", "curl_slist_free_all", "curl_easy_strerror" };
	void *sym[sizeof names / sizeof names[0]];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!(sym[i] = dlsym(lib, names[i]))) {
			snprintf(curl_error, sizeof curl_error, "libcurl.so.4 lacks %s", names[i]);
			dlclose(lib);
			return;
		}
	memcpy(&cu.global_init, &sym[0], sizeof sym[0]);
	memcpy(&cu.easy_init, &sym[1], sizeof sym[1]);
	memcpy(&cu.easy_setopt, &sym[2], sizeof sym[2]);
	memcpy(&cu.easy_perform, &sym[3], sizeof sym[3]);
	memcpy(&cu.easy_getinfo, &sym[4], sizeof sym[4]);
	memcpy(&cu.easy_cleanup, &sym[5], sizeof sym[5]);
	memcpy(&cu.slist_append, &sym[6], sizeof sym[6]);
	memcpy(&cu.slist_free_all, &sym[7], sizeof sym[7]);
	memcpy(&cu.easy_strerror, &sym[8], sizeof sym[8]);
	/* Not thread-safe in older libcurl: done once, before any thread uses it. */
	if (cu.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(curl_error, sizeof curl_error, "libcurl failed to initialise");
		cu.easy_init = NULL;
	}
}

static int curl_ready(struct dd_error *err)
{
	pthread_once(&curl_once, curl_load);
	return cu.easy_init ? 0 : dd_fail(err, DD_EIO, "%s", curl_error);
}

/* ---- the token file --------------------------------------------------------- */

int sync_read_token(const char *path, char *buf, size_t n, struct dd_error *err)
{
	if (!path[0])
		return dd_fail(err, DD_ECONFIG, "server.token_file is not set: put the token dutydeskd gave you in a"
						" file of mode 0600 and name it there");
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return dd_fail(err, DD_ECONFIG, "token file %s: %s", path, strerror(errno));
	struct stat sb;
	int rc = 0;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = dd_fail(err, DD_ECONFIG, "token file %s: not a regular file", path);
	else if (sb.st_mode & 077)
		rc = dd_fail(err, DD_ECONFIG, "token file %s has mode %03o: others may read the token; refusing it."
					      " Run: chmod 600 %s", path, (unsigned)(sb.st_mode & 0777), path);
	else if (sb.st_uid != geteuid())
		rc = dd_fail(err, DD_ECONFIG, "token file %s belongs to another user; refusing it", path);
	ssize_t len = rc ? 0 : read(fd, buf, n - 1);
	close(fd);
	if (rc)
		return rc;
	if (len < 0)
		return dd_fail(err, DD_ECONFIG, "token file %s: %s", path, strerror(errno));
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	if (len == 0 || (size_t)len >= n - 1)
		return dd_fail(err, DD_ECONFIG, "token file %s: expected one token (ddt_…) on one line", path);
	for (ssize_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] <= ' ' || buf[i] == 0x7f)
			return dd_fail(err, DD_ECONFIG, "token file %s: expected one token (ddt_…) on one line", path);
	return 0;
}

/* ---- one HTTP exchange -------------------------------------------------------- */

struct client {
	const struct dd_config *cfg;
	char token[256];
	CURL *h;
	atomic_bool *stop;          /* abandon a transfer when set (may be NULL) */
};

struct reply {
	long status;
	char *body;
	size_t len, cap;
	json_t *json;               /* the parsed body, when it is JSON */
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct reply *r = ctx;
	size_t n = size * nmemb;
	if (r->len + n + 1 > REPLY_MAX)
		return 0;
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 16384;
		while (cap < r->len + n + 1)
			cap *= 2;
		char *b = realloc(r->body, cap);
		if (!b)
			return 0;
		r->body = b;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

static int on_progress(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)a;
	(void)b;
	(void)c;
	(void)d;
	atomic_bool *stop = ctx;
	return stop && atomic_load(stop);
}

static void reply_free(struct reply *r)
{
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

/* The server's message in an error answer, or a description of it. */
static const char *reply_message(const struct reply *r)
{
	const char *m = json_string_value(json_object_get(r->json, "message"));
	return m ? m : "no explanation in the answer";
}

/* POSTs body, or GETs when body is NULL.  DD_EIO when the server could
 * not be reached (or the transfer failed); otherwise 0 with r->status,
 * whatever it is. */
static int call(struct client *c, const char *path, const char *body, size_t len, long timeout_s, struct reply *r,
		struct dd_error *err)
{
	memset(r, 0, sizeof *r);
	if (!c->h && !(c->h = cu.easy_init()))
		return dd_fail(err, DD_ENOMEM, "cannot create a libcurl handle");
	char url[1200], auth[300];
	size_t base = strlen(c->cfg->server_url);
	while (base > 0 && c->cfg->server_url[base - 1] == '/')
		base--;
	snprintf(url, sizeof url, "%.*s%s", (int)base, c->cfg->server_url, path);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
	struct curl_slist *headers = cu.slist_append(NULL, auth);
	headers = cu.slist_append(headers, "Accept: application/json");
	/* No "Expect: 100-continue" round trip before a batch. */
	headers = cu.slist_append(headers, "Expect:");
	if (body)
		headers = cu.slist_append(headers, "Content-Type: application/json");
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = c->h;
	cu.easy_setopt(h, CURLOPT_URL, url);
	cu.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	cu.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	cu.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	cu.easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
	cu.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	cu.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	cu.easy_setopt(h, CURLOPT_WRITEDATA, r);
	cu.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	cu.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	cu.easy_setopt(h, CURLOPT_XFERINFODATA, c->stop);
	/* Verification is on in libcurl by default; said again here so that
	 * no reuse of the handle can ever leave it off. */
	cu.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	cu.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->cfg->ca_file[0])
		cu.easy_setopt(h, CURLOPT_CAINFO, c->cfg->ca_file);
	if (body) {
		cu.easy_setopt(h, CURLOPT_POST, 1L);
		cu.easy_setopt(h, CURLOPT_POSTFIELDS, body);
		cu.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	} else {
		cu.easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	CURLcode cc = cu.easy_perform(h);
	cu.easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	cu.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	cu.slist_free_all(headers);
	if (cc != CURLE_OK) {
		int rc = dd_fail(err, DD_EIO, "%s: %s", c->cfg->server_url, errbuf[0] ? errbuf : cu.easy_strerror(cc));
		reply_free(r);
		return rc;
	}
	cu.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->body) {
		json_error_t jerr;
		r->json = json_loadb(r->body, r->len, 0, &jerr);
	}
	return 0;
}

/* ---- push --------------------------------------------------------------------- */

struct outbox {
	char *buf;
	size_t len, cap;
	int n;
	int64_t last_seq;
	bool oom;
};

static void out_put(struct outbox *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 65536;
		while (cap < o->len + n + 1)
			cap *= 2;
		char *b = realloc(o->buf, cap);
		if (!b) {
			o->oom = true;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static int add_to_batch(int64_t seq, const char *json, size_t len, void *ctx)
{
	struct outbox *o = ctx;
	/* The first event always goes, even a large one: it must get out. */
	if (o->n > 0 && o->len + len + 5 > PUSH_MAX_BYTES)
		return 1;
	/* One event per line: dutydeskd then parses the lines in parallel
	 * (docs/PROTOCOL.md, "line framing"). */
	out_put(o, o->n ? ",\n" : "{\"events\":[\n", o->n ? 2 : 12);
	out_put(o, json, len);
	o->n++;
	o->last_seq = seq;
	return o->oom;
}

enum outcome { OK, NETWORK, REFUSED, FAILED };

/* Sends one batch of this console's unacknowledged events.  *sent is the
 * number of events in it (0: nothing was unsent). */
static enum outcome push_batch(struct client *c, struct dd_store *st, int64_t *sent, int64_t *dups,
			       struct dd_error *err)
{
	*sent = 0;
	struct dd_sync_cursor cur;
	struct outbox o = { 0 };
	if (store_sync_cursor(st, c->cfg->server_url, &cur, err) ||
	    store_events_of(st, c->cfg->origin, cur.pushed, PUSH_MAX_EVENTS, add_to_batch, &o, err)) {
		free(o.buf);
		return FAILED;
	}
	if (o.n == 0)
		return OK;
	out_put(&o, "\n]}", 3);
	if (o.oom) {
		free(o.buf);
		dd_fail(err, DD_ENOMEM, "out of memory");
		return FAILED;
	}
	struct reply r;
	int rc = call(c, "/v1/events", o.buf, o.len, 60, &r, err);
	free(o.buf);
	if (rc)
		return NETWORK;
	enum outcome out = OK;
	if (r.status == 200) {
		*sent = o.n;
		*dups = (int64_t)json_array_size(json_object_get(r.json, "duplicates"));
		if (store_sync_set_pushed(st, c->cfg->server_url, o.last_seq, err))
			out = FAILED;
	} else if (r.status == 409) {
		dd_fail(err, DD_ECHAIN, "the server holds a different history for this console (fork): %s",
			reply_message(&r));
		out = REFUSED;
	} else if (r.status >= 500 || !r.json) {
		dd_fail(err, DD_EIO, "%s answered %ld: %s", c->cfg->server_url, r.status, reply_message(&r));
		out = NETWORK;
	} else {
		dd_fail(err, DD_EINVAL, "push refused (%ld): %s", r.status, reply_message(&r));
		out = REFUSED;
	}
	reply_free(&r);
	return out;
}

/* ---- pull ----------------------------------------------------------------------- */

struct pulled {
	int64_t events;       /* appended (not counting those already here) */
	int64_t remaining;    /* in scope on the server after this page */
};

static enum outcome pull_page(struct client *c, struct dd_store *st, int wait_s, struct pulled *p,
			      struct dd_error *err)
{
	memset(p, 0, sizeof *p);
	struct dd_sync_cursor cur;
	int64_t head;
	if (store_sync_cursor(st, c->cfg->server_url, &cur, err) || store_origin_head(st, c->cfg->origin, &head, err))
		return FAILED;
	/* This console's own chain up to its head is here already: the
	 * server leaves it out (a server that does not know skip_origin
	 * sends it, and the lookup below skips it). */
	char path[256];
	snprintf(path, sizeof path, "/v1/events?after=%lld&limit=%d&wait=%d&skip_origin=%s&skip_through=%lld",
		 (long long)cur.pulled, PULL_LIMIT, wait_s, c->cfg->origin, (long long)head);
	struct reply r;
	if (call(c, path, NULL, 0, wait_s + 30, &r, err))
		return NETWORK;
	enum outcome out = OK;
	json_t *events = json_object_get(r.json, "events");
	json_t *next = json_object_get(r.json, "next"), *last = json_object_get(r.json, "last");
	if (r.status != 200) {
		dd_fail(err, r.status >= 500 ? DD_EIO : DD_EINVAL, "pull refused (%ld): %s", r.status, reply_message(&r));
		out = r.status >= 500 ? NETWORK : REFUSED;
		goto done;
	}
	if (!json_is_array(events) || !json_is_integer(next) || !json_is_integer(last)) {
		dd_fail(err, DD_EIO, "%s: the answer to a pull is not what the protocol says", c->cfg->server_url);
		out = NETWORK;
		goto done;
	}
	if (json_integer_value(last) < cur.pulled) {
		/* The server holds fewer events than we pulled: it is another
		 * server or its database was restored.  Start again from 0
		 * and send everything again; both sides skip what they have. */
		if (store_batch_begin(st, err) == 0) {
			int rc = store_sync_set_pulled(st, c->cfg->server_url, 0, err);
			if (rc == 0)
				rc = store_sync_set_pushed(st, c->cfg->server_url, 0, err);
			if (store_batch_end(st, rc == 0, err) == 0 && rc == 0)
				p->remaining = 1;   /* pull again at once */
		}
		goto done;
	}
	if (store_batch_begin(st, err)) {
		out = FAILED;
		goto done;
	}
	/* Events stored here already (this console's own, above all, which
	 * come back after a push) are skipped before decoding: a cheap
	 * lookup of origin, seq and hash instead of a full validation that
	 * would only end in a duplicate. */
	size_t n = json_array_size(events);
	struct dd_event_key *keys = calloc(n ? n : 1, sizeof *keys);
	bool *known = calloc(n ? n : 1, sizeof *known);
	int rc = keys && known ? 0 : dd_fail(err, DD_ENOMEM, "out of memory");
	size_t i;
	json_t *obj;
	json_array_foreach(events, i, obj) {
		if (rc)
			break;
		keys[i].origin = json_string_value(json_object_get(obj, "origin"));
		keys[i].seq = json_integer_value(json_object_get(obj, "seq"));
		keys[i].hash = json_string_value(json_object_get(obj, "hash"));
	}
	if (rc == 0)
		rc = store_events_known(st, n, keys, known, err);
	/* A token with a read scope gets only the events of other desks'
	 * chains that concern it: gaps in those chains are expected. */
	bool partial = json_is_true(json_object_get(r.json, "partial"));
	json_array_foreach(events, i, obj) {
		if (rc)
			break;
		if (known[i])
			continue;
		struct dd_event ev;
		rc = event_from_json(obj, &ev, err);
		if (rc) {
			dd_wrap(err, "event %zu of a page from the server", i);
			break;
		}
		rc = partial ? store_append_partial(st, &ev, err) : store_append_remote(st, &ev, err);
		/* DD_EDUP also means that another event here has its id: only
		 * the very event already stored here (same origin, seq and
		 * hash) is a harmless repeat. */
		if (rc == DD_EDUP) {
			struct dd_event_key key = { ev.origin, ev.seq, ev.hash };
			bool here = false;
			struct dd_error known_err;
			if (store_events_known(st, 1, &key, &here, &known_err) == 0 && here)
				rc = 0;
			else
				dd_fail(err, DD_EDUP, "another event stored here has its id");
		} else if (rc == 0) {
			p->events++;
		}
		if (rc)
			dd_wrap(err, "event %s (origin %s, seq %lld) from the server cannot be taken", ev.id, ev.origin,
				(long long)ev.seq);
		event_free(&ev);
	}
	free(keys);
	free(known);
	if (rc == 0)
		rc = store_sync_set_pulled(st, c->cfg->server_url, json_integer_value(next), err);
	struct dd_error end_err;
	if (store_batch_end(st, rc == 0, &end_err) && rc == 0) {
		*err = end_err;
		rc = end_err.code;
	}
	if (rc) {
		/* An event this console cannot take (a newer kind, a gap in
		 * its origin's chain): stop here and say so, rather than skip
		 * it and diverge without a word. */
		out = rc == DD_EBUSY ? FAILED : REFUSED;
		p->events = 0;
		goto done;
	}
	p->remaining = json_integer_value(json_object_get(r.json, "remaining"));
done:
	reply_free(&r);
	return out;
}

/* ---- one round, for `dutydesk sync --once` ----------------------------------------- */

static int client_init(struct client *c, const struct dd_config *cfg, atomic_bool *stop, struct dd_error *err)
{
	memset(c, 0, sizeof *c);
	c->cfg = cfg;
	c->stop = stop;
	if (!cfg->server_url[0])
		return dd_fail(err, DD_ECONFIG, "%s: no server configured: add server = { url = \"https://…\";"
						" token_file = \"…\"; };", cfg->path);
	int rc = sync_read_token(cfg->token_file, c->token, sizeof c->token, err);
	return rc ? rc : curl_ready(err);
}

static void client_free(struct client *c)
{
	if (c->h)
		cu.easy_cleanup(c->h);
	c->h = NULL;
	explicit_bzero(c->token, sizeof c->token);
}

int sync_once(const struct dd_config *cfg, struct dd_store *st, struct dd_sync_report *out, struct dd_error *err)
{
	memset(out, 0, sizeof *out);
	struct client c;
	int rc = client_init(&c, cfg, NULL, err);
	if (rc)
		return rc;
	enum outcome o = OK;
	for (int64_t sent = 1; o == OK && sent > 0;) {
		int64_t dups = 0;
		o = push_batch(&c, st, &sent, &dups, err);
		out->pushed += sent - dups;
		out->duplicates += dups;
	}
	struct pulled p = { .remaining = 1 };
	while (o == OK && p.remaining > 0) {
		o = pull_page(&c, st, 0, &p, err);
		out->pulled += p.events;
	}
	out->behind = p.remaining;
	struct dd_sync_cursor cur;
	int64_t head = 0;
	if (store_sync_cursor(st, cfg->server_url, &cur, NULL) == 0 && store_origin_head(st, cfg->origin, &head, NULL) == 0)
		out->unsent = head > cur.pushed ? head - cur.pushed : 0;
	client_free(&c);
	return o == OK ? 0 : err->code ? err->code : DD_EIO;
}

int sync_whoami(const struct dd_config *cfg, char *buf, size_t n, struct dd_error *err)
{
	struct client c;
	int rc = client_init(&c, cfg, NULL, err);
	if (rc)
		return rc;
	struct reply r;
	rc = call(&c, "/v1/whoami", NULL, 0, 15, &r, err);
	client_free(&c);
	if (rc)
		return rc;
	if (r.status != 200)
		rc = dd_fail(err, DD_EINVAL, "the server refused the token (%ld): %s", r.status, reply_message(&r));
	else
		snprintf(buf, n, "token %lld \"%s\": org %s, role %s, reads %s",
			 (long long)json_integer_value(json_object_get(r.json, "token")),
			 json_string_value(json_object_get(r.json, "name")), json_string_value(json_object_get(r.json, "org")),
			 json_string_value(json_object_get(r.json, "role")),
			 json_string_value(json_object_get(r.json, "reads")));
	reply_free(&r);
	return rc;
}

/* ---- the background threads ----------------------------------------------------- */

struct dd_sync {
	struct dd_config cfg;
	atomic_bool stop;
	int wake[2];           /* to the console: the status changed */
	int quit[2];           /* to the threads: stop sleeping */
	pthread_t push_thread, pull_thread;
	bool push_started, pull_started;
	pthread_mutex_t lock;
	/* the status, under lock */
	bool contacted;        /* some request reached the server */
	bool reachable;        /* the last request reached it */
	int64_t offline_since;
	int64_t behind, unsent;
	char refused[512];     /* the last refusal, until a success clears it */
	bool refused_pull;     /* … and whether a pull (else a push) got it */
	char offline_why[512];
};

static void notify_ui(struct dd_sync *s)
{
	char b = 1;
	ssize_t ignored = write(s->wake[1], &b, 1);   /* a full pipe already says it */
	(void)ignored;
}

/* Records how a request went; wakes the console when the status moved. */
static void record(struct dd_sync *s, enum outcome o, const struct dd_error *err, bool is_pull)
{
	pthread_mutex_lock(&s->lock);
	bool was_reachable = s->reachable, had_refusal = s->refused[0] != '\0';
	if (o == NETWORK) {
		if (s->reachable || !s->contacted || !s->offline_since)
			s->offline_since = time_now_ms();
		s->reachable = false;
		s->contacted = true;
		snprintf(s->offline_why, sizeof s->offline_why, "%s", err->msg);
	} else if (o == REFUSED) {
		s->reachable = s->contacted = true;
		snprintf(s->refused, sizeof s->refused, "%s", err->msg);
		s->refused_pull = is_pull;
	} else if (o == OK) {
		s->reachable = s->contacted = true;
		s->offline_since = 0;
		/* A success clears a refusal met in the same direction only: a
		 * pull that works says nothing about a push the server refused. */
		if (is_pull == s->refused_pull)
			s->refused[0] = '\0';
	}
	bool changed = was_reachable != s->reachable || had_refusal != (s->refused[0] != '\0');
	pthread_mutex_unlock(&s->lock);
	if (changed || o == OK)
		notify_ui(s);
}

/* Sleeps ms, or less when told to stop; with inotify_fd also until the
 * database changes.  True when it is time to stop. */
static bool nap(struct dd_sync *s, int ms, int inotify_fd)
{
	struct pollfd fds[2] = { { .fd = s->quit[0], .events = POLLIN }, { .fd = inotify_fd, .events = POLLIN } };
	int n = poll(fds, inotify_fd >= 0 ? 2 : 1, ms);
	if (n > 0 && (fds[1].revents & POLLIN)) {
		char buf[4096];
		while (read(inotify_fd, buf, sizeof buf) > 0)
			;
	}
	return atomic_load(&s->stop);
}

/* The next wait after a failure: doubled up to the cap, ±25 % jitter so a
 * room of consoles does not reconnect in step after a server restart. */
static int backoff(int *ms)
{
	*ms = *ms ? (*ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : *ms * 2) : BACKOFF_FIRST_MS;
	unsigned r = 0;
	dd_random(&r, sizeof r);
	return *ms * 3 / 4 + (int)(r % (unsigned)(*ms / 2 + 1));
}

static int open_own(struct dd_sync *s, struct dd_store **st, struct client *c, struct dd_error *err)
{
	int rc = client_init(c, &s->cfg, &s->stop, err);
	if (rc == 0)
		rc = store_open(s->cfg.database, 0, st, err);
	return rc;
}

static void count_unsent(struct dd_sync *s, struct dd_store *st)
{
	struct dd_sync_cursor cur;
	int64_t head;
	if (store_sync_cursor(st, s->cfg.server_url, &cur, NULL) || store_origin_head(st, s->cfg.origin, &head, NULL))
		return;
	pthread_mutex_lock(&s->lock);
	int64_t before = s->unsent;
	s->unsent = head > cur.pushed ? head - cur.pushed : 0;
	bool changed = before != s->unsent;
	pthread_mutex_unlock(&s->lock);
	if (changed)
		notify_ui(s);
}

static void *push_main(void *arg)
{
	struct dd_sync *s = arg;
	struct dd_store *st = NULL;
	struct client c;
	struct dd_error err;
	if (open_own(s, &st, &c, &err)) {
		record(s, REFUSED, &err, false);
		client_free(&c);
		return NULL;
	}
	/* The database's folder, as the console's own watch (views/watch.c). */
	char dir[DD_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", s->cfg.database);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (in >= 0 && inotify_add_watch(in, slash ? dir : ".", IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO) < 0) {
		close(in);
		in = -1;
	}
	int delay = 0;
	while (!atomic_load(&s->stop)) {
		count_unsent(s, st);
		int64_t sent = 0, dups = 0;
		enum outcome o = push_batch(&c, st, &sent, &dups, &err);
		if (o != FAILED && (o != OK || sent > 0))
			record(s, o, &err, false);
		if (o == OK && sent > 0) {
			delay = 0;
			continue;
		}
		count_unsent(s, st);
		/* Nothing to send: wait for a commit (inotify), or poll every
		 * few seconds when inotify is unavailable. */
		int ms = o == OK ? (in >= 0 ? 60000 : 2000) : o == REFUSED ? REFUSED_RETRY_MS : backoff(&delay);
		if (o == OK)
			delay = 0;
		if (nap(s, ms, o == NETWORK ? -1 : in))
			break;
	}
	if (in >= 0)
		close(in);
	client_free(&c);
	store_close(st);
	return NULL;
}

static void *pull_main(void *arg)
{
	struct dd_sync *s = arg;
	struct dd_store *st = NULL;
	struct client c;
	struct dd_error err;
	if (open_own(s, &st, &c, &err)) {
		record(s, REFUSED, &err, true);
		client_free(&c);
		return NULL;
	}
	int delay = 0;
	bool caught_up = false;
	while (!atomic_load(&s->stop)) {
		struct pulled p;
		enum outcome o = pull_page(&c, st, caught_up ? PULL_WAIT_S : 0, &p, &err);
		if (atomic_load(&s->stop))
			break;
		if (o == OK) {
			pthread_mutex_lock(&s->lock);
			s->behind = p.remaining;
			pthread_mutex_unlock(&s->lock);
			caught_up = p.remaining == 0;
			delay = 0;
		}
		if (o != FAILED)
			record(s, o, &err, true);
		if (o != OK) {
			caught_up = false;
			if (nap(s, o == REFUSED ? REFUSED_RETRY_MS : backoff(&delay), -1))
				break;
		}
	}
	client_free(&c);
	store_close(st);
	return NULL;
}

int sync_start(const struct dd_config *cfg, struct dd_sync **out, struct dd_error *err)
{
	*out = NULL;
	char token[256];
	int rc;
	if (!cfg->server_url[0])
		return dd_fail(err, DD_ECONFIG, "%s: no server configured", cfg->path);
	/* Checked here, not only in the threads, so the console says at once
	 * why it will not sync. */
	if ((rc = sync_read_token(cfg->token_file, token, sizeof token, err)) || (rc = curl_ready(err)))
		return rc;
	explicit_bzero(token, sizeof token);
	struct dd_sync *s = calloc(1, sizeof *s);
	if (!s)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	s->cfg = *cfg;
	atomic_init(&s->stop, false);
	pthread_mutex_init(&s->lock, NULL);
	s->wake[0] = s->wake[1] = s->quit[0] = s->quit[1] = -1;
	if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0 || pipe2(s->quit, O_CLOEXEC | O_NONBLOCK) != 0) {
		sync_stop(s);
		return dd_fail(err, DD_EIO, "pipe: %s", strerror(errno));
	}
	s->push_started = pthread_create(&s->push_thread, NULL, push_main, s) == 0;
	s->pull_started = pthread_create(&s->pull_thread, NULL, pull_main, s) == 0;
	if (!s->push_started || !s->pull_started) {
		sync_stop(s);
		return dd_fail(err, DD_EIO, "cannot start the sync threads");
	}
	*out = s;
	return 0;
}

int sync_wake_fd(const struct dd_sync *s)
{
	return s ? s->wake[0] : -1;
}

void sync_drain(struct dd_sync *s)
{
	char buf[64];
	while (s && read(s->wake[0], buf, sizeof buf) > 0)
		;
}

void sync_status(struct dd_sync *s, struct dd_sync_status *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&s->lock);
	out->behind = s->behind;
	out->unsent = s->unsent;
	out->offline_since_ms = s->offline_since;
	if (s->refused[0]) {
		out->state = DD_SYNC_REFUSED;
		snprintf(out->error, sizeof out->error, "%s", s->refused);
	} else if (!s->contacted) {
		out->state = DD_SYNC_STARTING;
	} else if (!s->reachable) {
		out->state = DD_SYNC_OFFLINE;
		snprintf(out->error, sizeof out->error, "%s", s->offline_why);
	} else {
		out->state = s->behind > 0 ? DD_SYNC_BEHIND : DD_SYNC_LIVE;
	}
	pthread_mutex_unlock(&s->lock);
}

void sync_stop(struct dd_sync *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	if (s->quit[1] >= 0) {
		char b = 1;
		ssize_t ignored = write(s->quit[1], &b, 1);
		(void)ignored;
	}
	if (s->push_started)
		pthread_join(s->push_thread, NULL);
	if (s->pull_started)
		pthread_join(s->pull_thread, NULL);
	for (int i = 0; i < 2; i++) {
		if (s->wake[i] >= 0)
			close(s->wake[i]);
		if (s->quit[i] >= 0)
			close(s->quit[i]);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
}
