/*
 * timefmt.h — instants, zones and what an officer types.
 *
 * Every instant is int64 milliseconds since the Unix epoch, UTC.  Stored
 * text carries the offset of the zone it was written in (RFC 3339), and
 * screens show local time in the configured IANA zone (default
 * Asia/Shanghai).  Zone switching goes through TZ/tzset and is cached, so
 * these functions belong to one thread at a time (the one that formats).
 */
#ifndef DUTYDESK_TIMEFMT_H
#define DUTYDESK_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "dutydesk/error.h"

#define DD_DEFAULT_TZ "Asia/Shanghai"

int64_t time_now_ms(void);

/* Accepts, in zone tz, relative to now_ms:
 *   now · -15m · -2h · -1d · +30m (s, m, h, d units)
 *   14:30 · 8:30 · 14:30:05   the latest such local time not after now + 1 min
 *                      (so at 07:00, "08:30" is yesterday's start of shift)
 *   today 14:30 · yesterday 14:30 · today · yesterday (00:00)
 *   2026-11-26 · 2026-11-26 08:30 · 2026-11-26 08:30:15 · 2026-11-26T08:30
 *   full RFC 3339: 2026-11-26T08:30:00Z, …+08:00, with optional .fff
 * Leading and trailing whitespace is ignored; words are case-blind.
 * Units are exact durations ("-1d" is 24 h even across a DST change).  A
 * local time the zone skipped (clocks forward) is refused; one it had twice
 * (clocks back) is the first, except bare HH:MM, which takes the latest
 * not after now + 1 min.  A date alone is the first instant of that day.
 * tz NULL or "" means DD_DEFAULT_TZ (so in every function here).
 * Anything else is DD_EINVAL with a message quoting the input and listing
 * the accepted forms; *out_ms is written only on success. */
int time_parse(const char *s, int64_t now_ms, const char *tz, int64_t *out_ms,
	       struct dd_error *err);

/* Strict RFC 3339 (as events carry it): ms since epoch and the offset in
 * minutes east of UTC.  Returns 0 or DD_EINVAL.  'T' and seconds are
 * required, no surrounding whitespace; either output may be NULL and is
 * written only on success. */
int time_parse_rfc3339(const char *s, int64_t *out_ms, int *offset_min);

/* "2026-11-26T09:30:00.123+08:00" in zone tz; returns bytes written or a
 * negative DD_E* code.  buf needs 30 bytes (DD_ERANGE if smaller, or if
 * the local year is outside 0000-9999).  An offset with seconds (local
 * mean time before ~1900) is cut to whole minutes and the wall clock
 * printed to match, so the text always parses back to ms. */
int time_format_rfc3339(int64_t ms, const char *tz, char *buf, size_t n);

/* strftime(fmt) of the instant in zone tz; returns bytes written (0 when
 * buf is too small). */
size_t time_format_local(int64_t ms, const char *tz, const char *fmt, char *buf, size_t n);

/* A duration for a countdown, sign dropped: "45s", "12m", "3h05m",
 * "2d04h".  Returns bytes written (0 when buf is too small). */
size_t time_format_span(int64_t ms, char *buf, size_t n);

/* Local calendar day number (days since 1970-01-01 in zone tz), for day
 * separators and "today". */
int64_t time_local_day(int64_t ms, const char *tz);

/* Offset of zone tz from UTC at instant ms, in minutes east. */
int time_offset_min(int64_t ms, const char *tz);

#endif
