/*
 * watch.h — waking the console when another process writes the database.
 *
 * An inotify watch on the database's folder reports writes to the
 * database and its -wal file; the main loop polls the descriptor and
 * then asks the store (store_data_version) whether anything committed,
 * so a burst of writes costs one check and no timer runs for it.
 */
#ifndef DUTYDESK_WATCH_H
#define DUTYDESK_WATCH_H

#include <stdbool.h>

/* A descriptor to poll for POLLIN, or -1 when inotify is unavailable (the
 * caller then checks on its one-second tick instead). */
int watch_open(const char *db_path);

/* Reads every pending event; true when one concerned the database. */
bool watch_drain(int fd, const char *db_path);

void watch_close(int fd);

#endif
