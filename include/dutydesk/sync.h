/*
 * sync.h — keeping this console in step with dutydeskd (docs/PROTOCOL.md).
 *
 * Push: this console's own events (its origin) that the server has not
 * acknowledged go up in batches, in seq order; the acknowledged seq is a
 * cursor in the database, moved only after the server answered 200, so
 * a lost answer means a re-send, which the server counts as duplicates.
 * Pull: events come down in the server's global order with long-poll and
 * are appended with store_append_remote (idempotent; store_append_partial
 * when the token's read scope gives only parts of other desks' chains)
 * in one transaction per page, together with the pull cursor, so a crash
 * loses or doubles nothing.  An event that cannot be taken stops the pull
 * there (the page is not kept, the cursor stays) with the reason as the
 * sync error.  Nothing here touches the screen: the console reads
 * sync_status() and is woken through sync_wake_fd().
 *
 * libcurl is loaded with dlopen() by the first sync, never linked:
 * `dutydesk log` and the other commands do not pay for it.  With https
 * the server's certificate is always verified (server.ca_file, else the
 * system's CAs); nothing turns verification off.
 */
#ifndef DUTYDESK_SYNC_H
#define DUTYDESK_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/error.h"
#include "dutydesk/store.h"

enum dd_sync_state {
	DD_SYNC_STARTING,   /* no answer from the server yet */
	DD_SYNC_LIVE,       /* caught up with the server */
	DD_SYNC_BEHIND,     /* the server has events not pulled yet */
	DD_SYNC_OFFLINE,    /* the server cannot be reached: retrying */
	DD_SYNC_REFUSED,    /* the server said no (token, scope, fork): see error */
};

struct dd_sync_status {
	enum dd_sync_state state;
	int64_t behind;            /* events on the server not pulled yet */
	int64_t unsent;            /* this console's events the server lacks */
	int64_t offline_since_ms;  /* when the server stopped answering */
	char error[512];           /* why offline or refused, for the status line */
};

struct dd_sync;

/* Reads the token file: it must be a regular file of this user with mode
 * 0600 (no access for group or others), or it is refused with a message
 * saying so and how to fix it. */
int sync_read_token(const char *path, char *buf, size_t n, struct dd_error *err);

/* Starts syncing in the background: two threads (push and pull), each
 * with its own connection to cfg->database.  Fails (DD_ECONFIG) when no
 * server is configured or the token file is refused, DD_EIO when libcurl
 * cannot be loaded. */
int sync_start(const struct dd_config *cfg, struct dd_sync **out, struct dd_error *err);

/* A descriptor that becomes readable whenever the status changed; read
 * it empty with sync_drain(). */
int sync_wake_fd(const struct dd_sync *s);
void sync_drain(struct dd_sync *s);

void sync_status(struct dd_sync *s, struct dd_sync_status *out);

/* Stops the threads (an ongoing long-poll is abandoned within a second)
 * and frees s.  NULL is allowed. */
void sync_stop(struct dd_sync *s);

/* One round in the calling thread, for `dutydesk sync --once`: push
 * everything unsent, then pull until caught up.  Counts go to out. */
struct dd_sync_report {
	int64_t pushed, duplicates, pulled, unsent, behind;
};
int sync_once(const struct dd_config *cfg, struct dd_store *st, struct dd_sync_report *out, struct dd_error *err);

/* What the server makes of this console's token (GET /v1/whoami): org,
 * role and read scope, as text for `dutydesk sync --status`. */
int sync_whoami(const struct dd_config *cfg, char *buf, size_t n, struct dd_error *err);

#endif
