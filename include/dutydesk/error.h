/*
 * error.h — how every layer reports failure.
 *
 * Functions return 0 on success or a negative DD_E* code, and fill a
 * struct dd_error with a message a person can act on (it names the file,
 * line, field or setting at fault).  Nothing below console/ prints: the
 * caller decides whether the message goes to stderr, the status line or a
 * JSON answer.
 */
#ifndef DUTYDESK_ERROR_H
#define DUTYDESK_ERROR_H

enum dd_status {
	DD_OK = 0,
	DD_EINVAL = -1,    /* malformed input: usage, field, value */
	DD_EIO = -2,       /* the operating system said no */
	DD_ENOMEM = -3,
	DD_EBUSY = -4,     /* database locked past the busy timeout */
	DD_ECORRUPT = -5,  /* a file is not what it claims to be */
	DD_ECHAIN = -6,    /* hash chain or sequence broken */
	DD_ECONFIG = -7,   /* configuration file or setting wrong */
	DD_ENOTFOUND = -8,
	DD_EREADONLY = -9,
	DD_ENOSPC = -10,   /* disk full */
	DD_ERANGE = -11,   /* a value outside what is allowed (size, time) */
	DD_EDUP = -12,     /* already present */
};

struct dd_error {
	int code;
	char msg[512];
};

/* Records code and a printf-style message in err (which may be NULL) and
 * returns code, so a failure path reads `return dd_fail(err, DD_EINVAL, …)`. */
int dd_fail(struct dd_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes an existing message, e.g. with the file name, keeping the code. */
int dd_wrap(struct dd_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void dd_error_clear(struct dd_error *err);

#endif
