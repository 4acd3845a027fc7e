/*
 * timefmt.c — instants to text and back, in a named IANA zone.
 *
 * Invariants:
 *  - An instant is int64 ms since 1970-01-01T00:00:00Z.  Splitting one into
 *    seconds and milliseconds floor-divides, so -1 ms is
 *    1969-12-31T23:59:59.999Z and the millisecond part is always 0..999.
 *  - The process zone is whatever the last call asked for.  TZ is set and
 *    tzset() run only when the requested name differs from the cached one,
 *    and nothing is restored: the process owns TZ, and anything else that
 *    changes it must come through here or the cache lies.
 *  - What time_format_rfc3339 writes, time_parse_rfc3339 reads back as the
 *    same instant, even in zones whose offset is not whole minutes.
 *  - time_parse never guesses: a wall-clock time the zone skipped (clocks
 *    went forward) is refused; one it had twice (clocks went back) means the
 *    first, except bare HH:MM, which takes the latest not after now + 1 min.
 *  - On failure nothing is written through the output pointers.
 *  - Nothing prints; failures go to struct dd_error.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dutydesk/timefmt.h"

#define MS_PER_S 1000
#define S_PER_DAY 86400
#define RFC3339_LEN 29 /* 2026-11-26T09:30:00.123+08:00 */
#define GRACE_MS 60000 /* bare HH:MM may be up to a minute ahead */
#define QUOTE_MAX 80   /* enough to recognise the input, short enough to fit */
#define YEAR_MAX 9999  /* RFC 3339 years have four digits */

/* Examples rather than grammar: the reader is an officer, not a parser. */
static const char ACCEPTED[] =
	"accepted: now, -15m/+2h/-1d/-30s, 14:30[:05], today|yesterday|今天|昨天|前天 [14:30], "
	"2026-11-26[ 08:30[:15]], 2026-11-26T08:30:00[.123](Z|+08:00)";

/* ---- zone ---------------------------------------------------------------- */

static char zone_name[256];
static bool zone_known;

/* A blank zone setting means "not configured", not UTC (UTC is spelled
 * "UTC"), so it falls back to the default like NULL does. */
static const char *zone_or_default(const char *tz)
{
	return (tz && *tz) ? tz : DD_DEFAULT_TZ;
}

static int use_zone(const char *tz)
{
	tz = zone_or_default(tz);
	if (zone_known && strcmp(zone_name, tz) == 0)
		return 0;
	/* Forget first: if setenv fails the old name no longer describes TZ
	 * with certainty. */
	zone_known = false;
	if (setenv("TZ", tz, 1) != 0)
		return DD_ENOMEM;
	tzset();
	size_t len = strlen(tz);
	if (len < sizeof zone_name) {
		memcpy(zone_name, tz, len + 1);
		zone_known = true;
	}
	return 0;
}

/* ---- arithmetic ---------------------------------------------------------- */

/* b > 0.  C division truncates toward zero; calendars need floor. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if (a % b != 0 && a < 0)
		q--;
	return q;
}

/* Proleptic Gregorian, after H. Hinnant: pure arithmetic, so it works
 * outside time_t and needs no zone. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

/* time_t may be 32 bits on some Debian ports; refuse rather than wrap. */
static bool local_tm(int64_t secs, struct tm *tm)
{
	time_t t = (time_t)secs;
	if ((int64_t)t != secs)
		return false;
	return localtime_r(&t, tm) != NULL;
}

/* ---- wall clock to instants ---------------------------------------------- */

struct civil {
	int64_t y;
	int mo, d, h, mi, s;
};

/* Every instant (seconds) at which the current zone's wall clock reads v,
 * ascending: none in a spring-forward gap, two in a fall-back overlap.
 * mktime alone picks one silently, so each DST reading is tried and kept
 * only if localtime_r agrees.  *raw_min is the earliest mktime answer
 * whether it round-trips or not, which places a gap relative to now. */
static int local_instants(const struct civil *v, int64_t out[3], int64_t *raw_min)
{
	static const int isdst_try[3] = { -1, 0, 1 };
	int n = 0;
	bool have_raw = false;
	*raw_min = INT64_MAX;
	for (size_t i = 0; i < 3; i++) {
		struct tm tm = {
			.tm_year = (int)(v->y - 1900),
			.tm_mon = v->mo - 1,
			.tm_mday = v->d,
			.tm_hour = v->h,
			.tm_min = v->mi,
			.tm_sec = v->s,
			.tm_isdst = isdst_try[i],
		};
		time_t t = mktime(&tm);
		int64_t secs = (int64_t)t;
		if (!have_raw || secs < *raw_min)
			*raw_min = secs;
		have_raw = true;
		struct tm back;
		if (!localtime_r(&t, &back))
			continue;
		if (back.tm_year + 1900LL != v->y || back.tm_mon != v->mo - 1 ||
		    back.tm_mday != v->d || back.tm_hour != v->h ||
		    back.tm_min != v->mi || back.tm_sec != v->s)
			continue;
		int j = n;
		bool dup = false;
		for (int k = 0; k < n; k++)
			dup = dup || out[k] == secs;
		if (dup)
			continue;
		while (j > 0 && out[j - 1] > secs) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = secs;
		n++;
	}
	return n;
}

/* ---- parsing ------------------------------------------------------------- */

struct parse {
	const char *s;   /* trimmed input, for messages */
	size_t len;
	const char *end;
	const char *p;   /* cursor */
	struct dd_error *err;
	int64_t now_ms;
	const char *tz;  /* resolved zone name, for messages */
	bool typed;      /* what a person typed: "8:30" is as good as "08:30" */
};

__attribute__((format(printf, 2, 3)))
static int reject(const struct parse *ps, const char *fmt, ...)
{
	if (!ps->err)
		return DD_EINVAL;
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	int shown = ps->len > QUOTE_MAX ? QUOTE_MAX : (int)ps->len;
	return dd_fail(ps->err, DD_EINVAL, "time \"%.*s%s\": %s; %s", shown, ps->s,
		       ps->len > QUOTE_MAX ? "..." : "", why, ACCEPTED);
}

/* What is left, quoted in messages about trailing garbage. */
static int rest_len(const struct parse *ps)
{
	size_t n = (size_t)(ps->end - ps->p);
	return n > 20 ? 20 : (int)n;
}

static int reject_trailing(const struct parse *ps, const char *after)
{
	return reject(ps, "unexpected \"%.*s\" after the %s", rest_len(ps), ps->p, after);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool at_end(const struct parse *ps)
{
	return ps->p == ps->end;
}

static bool eat(struct parse *ps, char c)
{
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return true;
	}
	return false;
}

/* RFC 3339 5.6 allows lower-case 't' and 'z'. */
static bool eat_ci(struct parse *ps, char upper)
{
	return eat(ps, upper) || eat(ps, (char)(upper - 'A' + 'a'));
}

static size_t digits_ahead(const struct parse *ps)
{
	size_t n = 0;
	while (ps->p + n < ps->end && is_digit(ps->p[n]))
		n++;
	return n;
}

/* Exactly ndig digits, so "2026-1-5" and "8:30" are not half-accepted. */
static bool read_fixed(struct parse *ps, int ndig, int *v)
{
	if (digits_ahead(ps) != (size_t)ndig)
		return false;
	int x = 0;
	for (int i = 0; i < ndig; i++)
		x = x * 10 + (*ps->p++ - '0');
	*v = x;
	return true;
}

static int read_date(struct parse *ps, struct civil *v)
{
	int y, mo, d;
	if (!read_fixed(ps, 4, &y) || !eat(ps, '-') || !read_fixed(ps, 2, &mo) ||
	    !eat(ps, '-') || !read_fixed(ps, 2, &d))
		return reject(ps, "expected a date as YYYY-MM-DD");
	if (mo < 1 || mo > 12)
		return reject(ps, "month %02d is not 01-12", mo);
	if (d < 1 || d > days_in_month(y, mo))
		return reject(ps, "day %02d is not in %04d-%02d (1-%d)", d, y, mo,
			      days_in_month(y, mo));
	v->y = y;
	v->mo = mo;
	v->d = d;
	return 0;
}

static int read_clock(struct parse *ps, struct civil *v, bool *has_sec)
{
	int h, mi, s = 0;
	int hour_digits = ps->typed && digits_ahead(ps) == 1 ? 1 : 2;
	if (!read_fixed(ps, hour_digits, &h) || !eat(ps, ':') || !read_fixed(ps, 2, &mi))
		return reject(ps, "expected a time as HH:MM or HH:MM:SS");
	*has_sec = eat(ps, ':');
	if (*has_sec && !read_fixed(ps, 2, &s))
		return reject(ps, "expected two digits of seconds");
	if (h > 23)
		return reject(ps, "hour %02d is not 00-23", h);
	if (mi > 59)
		return reject(ps, "minute %02d is not 00-59", mi);
	/* Leap seconds are not kept anywhere downstream, so 60 is refused
	 * rather than folded into the next minute. */
	if (s > 59)
		return reject(ps, "second %02d is not 00-59", s);
	v->h = h;
	v->mi = mi;
	v->s = s;
	return 0;
}

/* Optional ".digits": any precision is accepted, milliseconds kept,
 * truncated so a fraction never rounds into the next second. */
static int read_fraction(struct parse *ps, int *ms, bool *present)
{
	*ms = 0;
	*present = eat(ps, '.');
	if (!*present)
		return 0;
	size_t n = digits_ahead(ps);
	if (n == 0)
		return reject(ps, "expected digits after the decimal point");
	for (size_t i = 0; i < n; i++) {
		if (i < 3)
			*ms = *ms * 10 + (ps->p[i] - '0');
	}
	for (size_t i = n; i < 3; i++)
		*ms *= 10;
	ps->p += n;
	return 0;
}

/* Optional "Z" or "±HH:MM". */
static int read_offset(struct parse *ps, int *off_min, bool *present)
{
	*off_min = 0;
	*present = true;
	if (eat_ci(ps, 'Z'))
		return 0;
	int sign = eat(ps, '+') ? 1 : eat(ps, '-') ? -1 : 0;
	if (sign == 0) {
		*present = false;
		return 0;
	}
	int h, m;
	if (!read_fixed(ps, 2, &h) || !eat(ps, ':') || !read_fixed(ps, 2, &m))
		return reject(ps, "expected the offset as +HH:MM or -HH:MM");
	if (h > 23 || m > 59)
		return reject(ps, "offset %c%02d:%02d is out of range",
			      sign > 0 ? '+' : '-', h, m);
	*off_min = sign * (h * 60 + m);
	return 0;
}

static int64_t absolute_ms(const struct civil *v, int frac_ms, int off_min)
{
	int64_t secs = days_from_civil(v->y, v->mo, v->d) * S_PER_DAY +
		       v->h * 3600 + v->mi * 60 + v->s - (int64_t)off_min * 60;
	return secs * MS_PER_S + frac_ms;
}

static int reject_gap(const struct parse *ps, const struct civil *v)
{
	return reject(ps, "%04lld-%02d-%02d %02d:%02d:%02d does not exist in %s "
		      "(the clocks skipped it)", (long long)v->y, v->mo, v->d,
		      v->h, v->mi, v->s, ps->tz);
}

/* A wall-clock time on a given date: the first occurrence when the clocks
 * went back, refused when they skipped it. */
static int resolve_wall(const struct parse *ps, const struct civil *v, int64_t *ms)
{
	int64_t cand[3], raw;
	if (local_instants(v, cand, &raw) == 0)
		return reject_gap(ps, v);
	*ms = cand[0] * MS_PER_S;
	return 0;
}

/* The first instant of a local day.  Midnight itself can be skipped
 * (America/Santiago springs from 24:00 to 01:00); the day then starts when
 * the clocks land, found to the minute, which is how transitions are laid. */
static int start_of_day(const struct parse *ps, struct civil v, int64_t *ms)
{
	int64_t cand[3], raw;
	for (int m = 0; m < 24 * 60; m++) {
		v.h = m / 60;
		v.mi = m % 60;
		v.s = 0;
		if (local_instants(&v, cand, &raw) > 0) {
			*ms = cand[0] * MS_PER_S;
			return 0;
		}
	}
	return reject(ps, "%04lld-%02d-%02d does not exist in %s", (long long)v.y,
		      v.mo, v.d, ps->tz);
}

/* The local date of now plus day_delta, with the zone switched. */
static int local_date(struct parse *ps, int day_delta, struct civil *v)
{
	int rc = use_zone(ps->tz);
	if (rc != 0)
		return dd_fail(ps->err, rc, "cannot switch to zone \"%s\"", ps->tz);
	struct tm tm;
	if (!local_tm(floor_div(ps->now_ms, MS_PER_S), &tm) ||
	    tm.tm_year + 1900LL < 1 || tm.tm_year + 1900LL > YEAR_MAX)
		return dd_fail(ps->err, DD_ERANGE,
			       "the current time %lld ms is outside years 0001-9999",
			       (long long)ps->now_ms);
	int64_t day = days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday) +
		      day_delta;
	civil_from_days(day, &v->y, &v->mo, &v->d);
	return 0;
}

/* Bare HH:MM[:SS]: the latest such wall-clock time not after now + 1 min,
 * so that at 07:00 "08:30" means yesterday's start of shift while a clock
 * running a little behind the officer's watch still gives today. */
static int resolve_clock(struct parse *ps, struct civil v, int64_t *ms)
{
	int64_t limit = ps->now_ms > INT64_MAX - GRACE_MS ? INT64_MAX
							  : ps->now_ms + GRACE_MS;
	for (int back = 0; back <= 1; back++) {
		int rc = local_date(ps, -back, &v);
		if (rc != 0)
			return rc;
		int64_t cand[3], raw;
		int n = local_instants(&v, cand, &raw);
		if (n == 0) {
			/* A gap still ahead today: yesterday's time is the
			 * latest real one.  A gap already passed means the
			 * officer named the skipped hour; refuse it. */
			if (back == 0 && raw > floor_div(limit, MS_PER_S))
				continue;
			return reject_gap(ps, &v);
		}
		for (int i = n - 1; i >= 0; i--) {
			if (cand[i] * MS_PER_S <= limit) {
				*ms = cand[i] * MS_PER_S;
				return 0;
			}
		}
	}
	return reject(ps, "no %02d:%02d:%02d at or before now", v.h, v.mi, v.s);
}

/* "-15m", "+2h": exact durations, so "-1d" across a DST change is 24 h,
 * not the same wall-clock time yesterday (that is "yesterday HH:MM"). */
static int parse_relative(struct parse *ps, int64_t *out)
{
	int sign = *ps->p++ == '-' ? -1 : 1;
	size_t n = digits_ahead(ps);
	if (n == 0)
		return reject(ps, "expected a number after '%c'", sign < 0 ? '-' : '+');
	/* Nine digits of days stays far inside int64 milliseconds. */
	if (n > 9)
		return reject(ps, "number too large");
	int64_t count = 0;
	for (size_t i = 0; i < n; i++)
		count = count * 10 + (*ps->p++ - '0');
	if (at_end(ps))
		return reject(ps, "missing unit after the number (s, m, h or d)");
	int64_t unit;
	switch (*ps->p) {
	case 's': unit = MS_PER_S; break;
	case 'm': unit = 60LL * MS_PER_S; break;
	case 'h': unit = 3600LL * MS_PER_S; break;
	case 'd': unit = (int64_t)S_PER_DAY * MS_PER_S; break;
	default:
		return reject(ps, "unit \"%.*s\" is not s, m, h or d", rest_len(ps), ps->p);
	}
	ps->p++;
	if (!at_end(ps))
		return reject_trailing(ps, "unit");
	int64_t delta = count * unit;
	if (sign > 0 ? ps->now_ms > INT64_MAX - delta : ps->now_ms < INT64_MIN + delta)
		return reject(ps, "result is out of range");
	*out = ps->now_ms + sign * delta;
	return 0;
}

static size_t word_len(const struct parse *ps)
{
	size_t n = 0;
	while (ps->p + n < ps->end &&
	       ((ps->p[n] >= 'a' && ps->p[n] <= 'z') || (ps->p[n] >= 'A' && ps->p[n] <= 'Z')))
		n++;
	return n;
}

/* ASCII only: the officer's locale must not change what "today" means. */
static bool word_is(const char *w, size_t n, const char *kw)
{
	if (strlen(kw) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != kw[i])
			return false;
	}
	return true;
}

static bool skip_blanks(struct parse *ps)
{
	const char *start = ps->p;
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
	return ps->p != start;
}

/* The words for a day, with how many days back (-1: now), in English and
 * as officers type them in Chinese. */
static const struct {
	const char *word;
	int back;
} day_words[] = {
	{ "now", -1 }, { "today", 0 }, { "yesterday", 1 },
	{ "现在", -1 }, { "今天", 0 }, { "昨天", 1 }, { "前天", 2 },
};

/* now · today [HH:MM[:SS]] · yesterday [HH:MM[:SS]], and 现在 · 今天 ·
 * 昨天 · 前天 [HH:MM[:SS]] */
static int parse_word(struct parse *ps, int64_t *out)
{
	const char *w = ps->p;
	size_t n = word_len(ps);
	int back = -2;
	for (size_t i = 0; i < sizeof day_words / sizeof day_words[0] && back == -2; i++) {
		const char *dw = day_words[i].word;
		size_t k = strlen(dw);
		bool ascii = (unsigned char)dw[0] < 0x80;
		if (ascii ? word_is(w, n, dw)
			  : (size_t)(ps->end - w) >= k && memcmp(w, dw, k) == 0 &&
				    (w + k == ps->end || w[k] == ' ' || w[k] == '\t' || (w[k] >= '0' && w[k] <= '9'))) {
			back = day_words[i].back;
			n = k;
		}
	}
	if (back == -2) {
		if (!n)   /* not ASCII: up to the next blank */
			while (w + n < ps->end && w[n] != ' ' && w[n] != '\t' && n < 24)
				n++;
		return reject(ps, "unknown word \"%.*s\"", (int)n, w);
	}
	ps->p += n;
	if (back == -1) {
		if (!at_end(ps))
			return reject_trailing(ps, "word \"now\"");
		*out = ps->now_ms;
		return 0;
	}

	struct civil v = { 0 };
	int rc = local_date(ps, -back, &v);
	if (rc != 0)
		return rc;
	if (at_end(ps))
		return start_of_day(ps, v, out);
	/* "昨天09:00" as well as "昨天 09:00" */
	if (!skip_blanks(ps) && (unsigned char)w[0] < 0x80)
		return reject_trailing(ps, "word");
	bool has_sec;
	rc = read_clock(ps, &v, &has_sec);
	if (rc != 0)
		return rc;
	if (!at_end(ps))
		return reject_trailing(ps, "time");
	return resolve_wall(ps, &v, out);
}

/* YYYY-MM-DD, then optionally " " or "T" and a clock, then (with seconds)
 * optionally a fraction and an offset; a fraction needs an offset, since
 * the header lists it only as part of RFC 3339. */
static int parse_dated(struct parse *ps, int64_t *out)
{
	struct civil v = { 0 };
	int rc = read_date(ps, &v);
	if (rc != 0)
		return rc;
	if (at_end(ps)) {
		if ((rc = use_zone(ps->tz)) != 0)
			return dd_fail(ps->err, rc, "cannot switch to zone \"%s\"", ps->tz);
		return start_of_day(ps, v, out);
	}
	if (!eat_ci(ps, 'T') && !skip_blanks(ps))
		return reject(ps, "expected ' ' or 'T' and a time after the date");
	bool has_sec;
	if ((rc = read_clock(ps, &v, &has_sec)) != 0)
		return rc;
	int frac_ms = 0, off_min = 0;
	bool has_frac = false, has_off = false;
	if (has_sec) {
		if ((rc = read_fraction(ps, &frac_ms, &has_frac)) != 0)
			return rc;
		if ((rc = read_offset(ps, &off_min, &has_off)) != 0)
			return rc;
	}
	if (!at_end(ps))
		return reject_trailing(ps, has_off ? "offset" : "time");
	if (has_frac && !has_off)
		return reject(ps, "fractional seconds need an offset (Z or +HH:MM)");
	if (has_off) {
		*out = absolute_ms(&v, frac_ms, off_min);
		return 0;
	}
	if ((rc = use_zone(ps->tz)) != 0)
		return dd_fail(ps->err, rc, "cannot switch to zone \"%s\"", ps->tz);
	return resolve_wall(ps, &v, out);
}

int time_parse(const char *s, int64_t now_ms, const char *tz, int64_t *out_ms,
	       struct dd_error *err)
{
	if (!s)
		return dd_fail(err, DD_EINVAL, "no time given; %s", ACCEPTED);
	const char *b = s, *e = s + strlen(s);
	while (b < e && is_space(*b))
		b++;
	while (e > b && is_space(e[-1]))
		e--;
	struct parse ps = {
		.s = b, .len = (size_t)(e - b), .end = e, .p = b, .err = err,
		.now_ms = now_ms, .tz = zone_or_default(tz), .typed = true,
	};
	if (ps.len == 0)
		return reject(&ps, "empty");
	if (!out_ms)
		return reject(&ps, "nowhere to store the result");

	int64_t v = 0;
	int rc;
	size_t lead = digits_ahead(&ps);
	if (*b == '+' || *b == '-')
		rc = parse_relative(&ps, &v);
	else if (word_len(&ps) > 0 || (unsigned char)*b >= 0x80)
		rc = parse_word(&ps, &v);
	else if (lead == 4)
		rc = parse_dated(&ps, &v);
	else if (lead == 1 || lead == 2) {
		struct civil c = { 0 };
		bool has_sec;
		rc = read_clock(&ps, &c, &has_sec);
		if (rc == 0 && !at_end(&ps))
			rc = reject_trailing(&ps, "time");
		if (rc == 0)
			rc = resolve_clock(&ps, c, &v);
	} else
		rc = reject(&ps, "not a recognised time");
	if (rc == 0)
		*out_ms = v;
	return rc;
}

int time_parse_rfc3339(const char *s, int64_t *out_ms, int *offset_min)
{
	if (!s)
		return DD_EINVAL;
	struct parse ps = { .s = s, .len = strlen(s), .p = s, .err = NULL };
	ps.end = s + ps.len;
	struct civil v = { 0 };
	bool has_sec = false, has_frac = false, has_off = false;
	int frac_ms = 0, off = 0;
	if (read_date(&ps, &v) != 0 || !eat_ci(&ps, 'T') ||
	    read_clock(&ps, &v, &has_sec) != 0 || !has_sec ||
	    read_fraction(&ps, &frac_ms, &has_frac) != 0 ||
	    read_offset(&ps, &off, &has_off) != 0 || !has_off || !at_end(&ps))
		return DD_EINVAL;
	if (out_ms)
		*out_ms = absolute_ms(&v, frac_ms, off);
	if (offset_min)
		*offset_min = off;
	return 0;
}

/* ---- formatting ---------------------------------------------------------- */

int64_t time_now_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (int64_t)time(NULL) * MS_PER_S;
	return (int64_t)ts.tv_sec * MS_PER_S + ts.tv_nsec / 1000000;
}

/* Whole minutes east, truncated toward zero: RFC 3339 offsets have no
 * seconds, and local mean time before ~1900 does (Shanghai +08:05:43). */
static bool offset_at(int64_t secs, int *off_min)
{
	struct tm tm;
	if (!local_tm(secs, &tm))
		return false;
	*off_min = (int)(tm.tm_gmtoff / 60);
	return true;
}

int time_format_rfc3339(int64_t ms, const char *tz, char *buf, size_t n)
{
	if (!buf || n < RFC3339_LEN + 1)
		return DD_ERANGE;
	int rc = use_zone(tz);
	if (rc != 0)
		return rc;
	int64_t secs = floor_div(ms, MS_PER_S);
	/* ms % 1000 rather than ms - secs * 1000: the product overflows at
	 * INT64_MIN. */
	int frac = (int)(ms % MS_PER_S);
	if (frac < 0)
		frac += MS_PER_S;
	int off;
	if (!offset_at(secs, &off))
		return DD_ERANGE;
	/* The wall clock comes from the printed offset, not from localtime,
	 * so that text and instant agree even when the true offset has
	 * seconds. */
	int64_t wall = secs + (int64_t)off * 60;
	int64_t days = floor_div(wall, S_PER_DAY);
	int64_t sod = wall - days * S_PER_DAY;
	int64_t y;
	int mo, d;
	civil_from_days(days, &y, &mo, &d);
	if (y < 0 || y > YEAR_MAX)
		return DD_ERANGE;
	int aoff = off < 0 ? -off : off;
	int w = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d",
			 (int)y, mo, d, (int)(sod / 3600), (int)(sod / 60 % 60),
			 (int)(sod % 60), frac, off < 0 ? '-' : '+', aoff / 60, aoff % 60);
	return w == RFC3339_LEN ? w : DD_ERANGE;
}

size_t time_format_local(int64_t ms, const char *tz, const char *fmt, char *buf, size_t n)
{
	if (!fmt || !buf || n == 0)
		return 0;
	buf[0] = '\0';
	struct tm tm;
	if (use_zone(tz) != 0 || !local_tm(floor_div(ms, MS_PER_S), &tm))
		return 0;
	size_t w = strftime(buf, n, fmt, &tm);
	/* strftime leaves buf unspecified when it does not fit. */
	if (w == 0)
		buf[0] = '\0';
	return w;
}

int64_t time_local_day(int64_t ms, const char *tz)
{
	int64_t secs = floor_div(ms, MS_PER_S);
	struct tm tm;
	/* The signature has no error path; the UTC day is the least wrong. */
	if (use_zone(tz) != 0 || !local_tm(secs, &tm))
		return floor_div(secs, S_PER_DAY);
	return days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday);
}

int time_offset_min(int64_t ms, const char *tz)
{
	int off;
	if (use_zone(tz) != 0 || !offset_at(floor_div(ms, MS_PER_S), &off))
		return 0;
	return off;
}

size_t time_format_span(int64_t ms, char *buf, size_t n)
{
	int64_t sec = (ms < 0 ? -ms : ms) / 1000;
	int64_t d = sec / 86400, h = sec % 86400 / 3600, m = sec % 3600 / 60;
	int w;
	if (d > 0)
		w = snprintf(buf, n, "%lldd%02lldh", (long long)d, (long long)h);
	else if (h > 0)
		w = snprintf(buf, n, "%lldh%02lldm", (long long)h, (long long)m);
	else if (m > 0)
		w = snprintf(buf, n, "%lldm", (long long)m);
	else
		w = snprintf(buf, n, "%llds", (long long)sec);
	return w < 0 || (size_t)w >= n ? 0 : (size_t)w;
}
