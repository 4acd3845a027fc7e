/*
 * watch.c — inotify on the database's folder (see watch.h).
 *
 * The folder rather than the files: SQLite creates and deletes the -wal
 * file as connections come and go, and a watch on a deleted file stops
 * reporting.  Events for other files in the folder are read and ignored.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/watch.h"

static void split(const char *path, char *dir, size_t n, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, n, ".");
		*base = path;
	} else if (slash == path) {
		snprintf(dir, n, "/");
		*base = slash + 1;
	} else {
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
		*base = slash + 1;
	}
}

int watch_open(const char *db_path)
{
	char dir[DD_PATH_MAX];
	const char *base;
	split(db_path, dir, sizeof dir, &base);
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -1;
	if (inotify_add_watch(fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The database itself, or SQLite's -wal and -journal beside it. */
static bool concerns(const char *name, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0)
		return false;
	return name[n] == '\0' || strcmp(name + n, "-wal") == 0 || strcmp(name + n, "-journal") == 0;
}

bool watch_drain(int fd, const char *db_path)
{
	char dir[DD_PATH_MAX];
	const char *base;
	split(db_path, dir, sizeof dir, &base);
	bool hit = false;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t len = read(fd, buf, sizeof buf);
		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			break;
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			if (ev->len > 0 && concerns(ev->name, base))
				hit = true;
			if (ev->mask & IN_Q_OVERFLOW)
				hit = true;
			p += sizeof *ev + ev->len;
		}
	}
	return hit;
}

void watch_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
