/*
 * desktop.h — desktop notifications through libnotify, which is loaded
 * with dlopen() the first time one is sent: the commands never pay for
 * it, and a machine without it (or without a D-Bus session, or without a
 * notification server) only loses the desktop notifications.
 *
 * Sending never blocks the caller: notifications go to a queue that one
 * worker thread delivers (a D-Bus call may wait for seconds on a stuck
 * server).  The worker touches no curses and no store; the console asks
 * desktop_off() whether delivery failed.
 */
#ifndef DUTYDESK_DESKTOP_H
#define DUTYDESK_DESKTOP_H

#include <stdbool.h>
#include <stddef.h>

/* libnotify's urgency levels, with their values. */
enum desktop_urgency { DESKTOP_LOW = 0, DESKTOP_NORMAL = 1, DESKTOP_CRITICAL = 2 };

/* Queues a notification (the text is copied); drops it when the queue
 * is full. */
void desktop_notify(const char *summary, const char *body, enum desktop_urgency urgency);

/* True once a notification could not be delivered, with the reason in
 * why (English, from libnotify or the loader). */
bool desktop_off(char *why, size_t n);

/* Waits until everything queued has been tried, so a screen test sees
 * the outcome at a fixed point. */
void desktop_flush(void);

#endif
