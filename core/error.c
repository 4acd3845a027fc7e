/*
 * error.c — filling struct dd_error.  Messages are truncated, never
 * overflowed: a too-long message is still better than none.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dutydesk/error.h"

int dd_fail(struct dd_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->code = code;
	return code;
}

int dd_wrap(struct dd_error *err, const char *fmt, ...)
{
	if (!err)
		return DD_EINVAL;
	char prefix[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	size_t plen = strlen(prefix);
	if (plen + 2 >= sizeof err->msg)
		plen = sizeof err->msg - 3;
	size_t olen = strnlen(err->msg, sizeof err->msg - 1);
	if (plen + 2 + olen >= sizeof err->msg)
		olen = sizeof err->msg - 1 - plen - 2;
	memmove(err->msg + plen + 2, err->msg, olen);
	memcpy(err->msg, prefix, plen);
	memcpy(err->msg + plen, ": ", 2);
	err->msg[plen + 2 + olen] = '\0';
	return err->code;
}

void dd_error_clear(struct dd_error *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
