/*
 * longpoll.c — the waiters of GET /v1/events and their one waker thread
 * (see longpoll.h).
 *
 * Invariant: a waiter is in the list exactly while its connection is
 * suspended.  Suspending happens under the lock, and the waker removes a
 * waiter under the same lock before resuming it, so a connection is never
 * resumed twice nor before it was suspended (both undefined in MHD).
 */
#include <pthread.h>
#include <time.h>

#include "longpoll.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static pthread_t thread;
static bool running, stopping;
static uint64_t generation;
static struct lp_waiter *waiters;

int64_t longpoll_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t longpoll_generation(void)
{
	pthread_mutex_lock(&lock);
	uint64_t g = generation;
	pthread_mutex_unlock(&lock);
	return g;
}

bool longpoll_stopping(void)
{
	pthread_mutex_lock(&lock);
	bool s = stopping;
	pthread_mutex_unlock(&lock);
	return s;
}

void longpoll_notify(void)
{
	pthread_mutex_lock(&lock);
	generation++;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

bool longpoll_suspend(struct lp_waiter *w, struct MHD_Connection *conn, uint64_t gen, int64_t deadline_ms)
{
	pthread_mutex_lock(&lock);
	bool ok = !stopping && gen == generation && longpoll_clock_ms() < deadline_ms;
	if (ok) {
		w->conn = conn;
		w->gen = gen;
		w->deadline_ms = deadline_ms;
		w->next = waiters;
		waiters = w;
		MHD_suspend_connection(conn);
		pthread_cond_signal(&wake);   /* its deadline may be the nearest */
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

/* Resumes and unlinks the waiters that are due; the nearest deadline of
 * those left, or INT64_MAX.  Called with the lock held. */
static int64_t resume_due(int64_t now)
{
	int64_t next = INT64_MAX;
	for (struct lp_waiter **p = &waiters; *p;) {
		struct lp_waiter *w = *p;
		if (stopping || w->gen != generation || now >= w->deadline_ms) {
			*p = w->next;
			MHD_resume_connection(w->conn);
			continue;
		}
		if (w->deadline_ms < next)
			next = w->deadline_ms;
		p = &w->next;
	}
	return next;
}

static void *waker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (running) {
		int64_t next = resume_due(longpoll_clock_ms());
		if (!running)
			break;
		if (next == INT64_MAX) {
			pthread_cond_wait(&wake, &lock);
		} else {
			struct timespec ts = { (time_t)(next / 1000), (long)(next % 1000) * 1000000L };
			pthread_cond_timedwait(&wake, &lock, &ts);
		}
	}
	resume_due(longpoll_clock_ms());
	pthread_mutex_unlock(&lock);
	return NULL;
}

int longpoll_start(struct dd_error *err)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wake, &attr);
	pthread_condattr_destroy(&attr);
	running = true;
	if (pthread_create(&thread, NULL, waker, NULL) != 0) {
		running = false;
		return dd_fail(err, DD_EIO, "cannot start the long-poll thread");
	}
	return 0;
}

void longpoll_shutdown(void)
{
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void longpoll_stop(void)
{
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		return;
	}
	running = false;
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
}
