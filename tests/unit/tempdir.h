/*
 * tempdir.h — the folders unit tests work in: each test makes its own
 * under tempdir_base() and removes it whole afterwards, so no test sees
 * another's files and nothing is left behind.
 */
#ifndef DUTYDESK_TEST_TEMPDIR_H
#define DUTYDESK_TEST_TEMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* $TMPDIR, else /dev/shm, else /tmp.  Every commit is fsynced
 * (synchronous=FULL) and some tests make thousands of them; on tmpfs
 * they cost nothing. */
static inline const char *tempdir_base(void)
{
	const char *tmp = getenv("TMPDIR");
	if (tmp && tmp[0] == '/')
		return tmp;
	struct stat sb;
	if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

static inline int tempdir_remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything below it; 0 or -1. */
static inline int tempdir_remove(const char *dir)
{
	return nftw(dir, tempdir_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
