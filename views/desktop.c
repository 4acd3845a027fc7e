/*
 * desktop.c — libnotify, loaded at first need and driven from one worker
 * thread (see desktop.h).
 *
 * The few libnotify and GLib functions used are looked up with dlsym()
 * and declared here by their C signatures (gboolean is int, a GError
 * starts with its domain, code and message), so dutydesk neither links
 * libnotify nor needs its headers.
 *
 * Invariants: the queue and the status fields are only touched under
 * `lock`; the worker is the only thread that calls into libnotify; once
 * a delivery fails, `off` stays true with the first reason (the console
 * says so once), while later notifications are still tried, so a
 * notification server started mid-shift is used.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dutydesk/desktop.h"

#define QUEUE_MAX 16

struct note {
	char summary[256];
	char body[768];
	enum desktop_urgency urgency;
};

struct gerror {
	uint32_t domain;
	int code;
	char *message;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake, idle;
	bool started, busy;
	struct note queue[QUEUE_MAX];
	int head, count;
	bool off;
	char why[256];
	/* the worker's alone */
	void *lib;
	int (*init)(const char *app);
	void *(*create)(const char *summary, const char *body, const char *icon);
	void (*set_urgency)(void *n, int urgency);
	int (*show)(void *n, struct gerror **error);
	void (*unref)(void *object);
	void (*error_free)(struct gerror *error);
} d = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER };

static void fail(const char *why)
{
	pthread_mutex_lock(&d.lock);
	if (!d.off) {
		d.off = true;
		snprintf(d.why, sizeof d.why, "%s", why);
	}
	pthread_mutex_unlock(&d.lock);
}

/* Loads libnotify and initialises it; false (with the reason recorded)
 * when it cannot be had. */
static bool load(void)
{
	if (d.lib)
		return true;
	void *lib = dlopen("libnotify.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fail("libnotify.so.4 is not installed");
		return false;
	}
	/* Object pointers from dlsym become function pointers through memcpy,
	 * which ISO C allows where a cast would not be. */
	void *sym[6];
	static const char *const names[6] = {
		"notify_init", "notify_notification_new", "notify_notification_set_urgency",
		"notify_notification_show", "g_object_unref", "g_error_free",
	};
	for (int i = 0; i < 6; i++) {
		if (!(sym[i] = dlsym(lib, names[i]))) {
			dlclose(lib);
			fail("libnotify.so.4 lacks a function dutydesk uses");
			return false;
		}
	}
	memcpy(&d.init, &sym[0], sizeof sym[0]);
	memcpy(&d.create, &sym[1], sizeof sym[1]);
	memcpy(&d.set_urgency, &sym[2], sizeof sym[2]);
	memcpy(&d.show, &sym[3], sizeof sym[3]);
	memcpy(&d.unref, &sym[4], sizeof sym[4]);
	memcpy(&d.error_free, &sym[5], sizeof sym[5]);
	if (!d.init("dutydesk")) {
		dlclose(lib);
		fail("libnotify could not start");
		return false;
	}
	d.lib = lib;
	return true;
}

static void deliver(const struct note *n)
{
	if (!load())
		return;
	void *obj = d.create(n->summary, n->body, n->urgency == DESKTOP_CRITICAL ? "dialog-warning" : "dialog-information");
	if (!obj) {
		fail("libnotify could not make a notification");
		return;
	}
	d.set_urgency(obj, (int)n->urgency);
	struct gerror *error = NULL;
	if (!d.show(obj, &error)) {
		/* No session bus, or no notification server on it. */
		fail(error && error->message ? error->message : "the notification was not shown");
		if (error)
			d.error_free(error);
	}
	d.unref(obj);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&d.lock);
	for (;;) {
		while (d.count == 0)
			pthread_cond_wait(&d.wake, &d.lock);
		struct note n = d.queue[d.head];
		d.head = (d.head + 1) % QUEUE_MAX;
		d.count--;
		d.busy = true;
		pthread_mutex_unlock(&d.lock);
		deliver(&n);
		pthread_mutex_lock(&d.lock);
		d.busy = false;
		if (d.count == 0)
			pthread_cond_broadcast(&d.idle);
	}
	return NULL;
}

void desktop_notify(const char *summary, const char *body, enum desktop_urgency urgency)
{
	pthread_mutex_lock(&d.lock);
	if (!d.started) {
		pthread_t t;
		/* Detached: at exit the console does not wait for a D-Bus call. */
		if (pthread_create(&t, NULL, worker, NULL) != 0) {
			d.off = true;
			snprintf(d.why, sizeof d.why, "%s", "no thread for notifications");
			pthread_mutex_unlock(&d.lock);
			return;
		}
		pthread_detach(t);
		d.started = true;
	}
	if (d.count < QUEUE_MAX) {
		struct note *n = &d.queue[(d.head + d.count) % QUEUE_MAX];
		snprintf(n->summary, sizeof n->summary, "%s", summary);
		snprintf(n->body, sizeof n->body, "%s", body);
		n->urgency = urgency;
		d.count++;
		pthread_cond_signal(&d.wake);
	}
	pthread_mutex_unlock(&d.lock);
}

bool desktop_off(char *why, size_t n)
{
	pthread_mutex_lock(&d.lock);
	bool off = d.off;
	if (off && n)
		snprintf(why, n, "%s", d.why);
	pthread_mutex_unlock(&d.lock);
	return off;
}

void desktop_flush(void)
{
	pthread_mutex_lock(&d.lock);
	while (d.started && (d.count > 0 || d.busy))
		pthread_cond_wait(&d.idle, &d.lock);
	pthread_mutex_unlock(&d.lock);
}
