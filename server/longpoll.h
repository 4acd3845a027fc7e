/*
 * longpoll.h — waking the pulls that wait for new events.
 *
 * A GET /v1/events with wait=S and nothing to return suspends its
 * connection (MHD_suspend_connection): no thread is held and nothing
 * polls.  Every commit that stored events bumps a generation counter and
 * signals one waker thread, which resumes every connection suspended
 * before that generation; it also resumes each one at its deadline.  A
 * resumed request queries again and answers, or suspends again when the
 * new events were outside its read scope.
 *
 * Lost wake-ups are impossible: a request reads the generation before it
 * queries, and longpoll_suspend() refuses (returns false) when the
 * generation moved since, so the request queries again instead.
 */
#ifndef DUTYDESKD_LONGPOLL_H
#define DUTYDESKD_LONGPOLL_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/error.h"

#define LONGPOLL_MAX_WAIT_S 25

struct lp_waiter {
	struct MHD_Connection *conn;
	uint64_t gen;              /* the generation the request last saw */
	int64_t deadline_ms;       /* longpoll_clock_ms() */
	struct lp_waiter *next;
};

int longpoll_start(struct dd_error *err);
/* A monotonic clock in ms, for deadlines. */
int64_t longpoll_clock_ms(void);
uint64_t longpoll_generation(void);
/* New events are committed and visible. */
void longpoll_notify(void);
/* Called from the access handler only (MHD's rule for suspending).
 * Suspends conn until a commit after gen, its deadline or shutdown;
 * false, without suspending, when one of those has already happened. */
bool longpoll_suspend(struct lp_waiter *w, struct MHD_Connection *conn, uint64_t gen, int64_t deadline_ms);
/* Resumes every waiter and refuses new ones: pulls answer at once. */
void longpoll_shutdown(void);
bool longpoll_stopping(void);
/* Ends the waker thread (after longpoll_shutdown). */
void longpoll_stop(void);

#endif
