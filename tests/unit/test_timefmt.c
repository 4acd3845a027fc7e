/*
 * test_timefmt.c — unit tests for core/timefmt.c.
 *
 * Every expected instant is a literal computed outside this code (Python
 * zoneinfo, tzdata 2025b) so a wrong calendar cannot agree with itself.
 * The fixed "now" is 2026-11-26T10:00:00+08:00 = 1795658400000 ms.
 * Tests name their zone on every call; the zone cache is shared process
 * state, and each test leaves TZ and the cache agreeing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dutydesk/timefmt.h"

#define SH "Asia/Shanghai"
#define BER "Europe/Berlin"
#define NY "America/New_York"

/* 2026-11-26T10:00:00+08:00 */
static const int64_t NOW = 1795658400000LL;

static int64_t parse_ok(const char *s, int64_t now, const char *tz)
{
	struct dd_error err = { 0 };
	int64_t out = -42;
	int rc = time_parse(s, now, tz, &out, &err);
	if (rc != 0)
		fail_msg("time_parse(\"%s\", %s) = %d: %s", s, tz, rc, err.msg);
	return out;
}

#define assert_parse(s, now, tz, want) \
	assert_int_equal(parse_ok((s), (now), (tz)), (int64_t)(want))

/* Refused with DD_EINVAL, output untouched, and a message that quotes the
 * input and lists the accepted forms. */
static void assert_bad_tz(const char *s, int64_t now, const char *tz, const char *why)
{
	struct dd_error err = { 0 };
	int64_t out = 12345;
	int rc = time_parse(s, now, tz, &out, &err);
	if (rc != DD_EINVAL)
		fail_msg("time_parse(\"%s\") = %d (out %lld), want DD_EINVAL", s ? s : "(null)",
			 rc, (long long)out);
	assert_int_equal(err.code, DD_EINVAL);
	assert_int_equal(out, 12345);
	if (!strstr(err.msg, "accepted: now"))
		fail_msg("message for \"%s\" lacks the accepted forms: %s", s ? s : "(null)", err.msg);
	if (s) {
		char quoted[128];
		const char *b = s;
		while (*b == ' ' || *b == '\t')
			b++;
		size_t n = strlen(b);
		while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t'))
			n--;
		snprintf(quoted, sizeof quoted, "\"%.*s\"", (int)n, b);
		if (!strstr(err.msg, quoted))
			fail_msg("message for \"%s\" does not quote it: %s", s, err.msg);
	}
	if (why && !strstr(err.msg, why))
		fail_msg("message for \"%s\" lacks \"%s\": %s", s, why, err.msg);
}

static void assert_bad(const char *s, const char *why)
{
	assert_bad_tz(s, NOW, SH, why);
}

static void assert_fmt(int64_t ms, const char *tz, const char *want)
{
	char buf[64];
	memset(buf, 'x', sizeof buf);
	int n = time_format_rfc3339(ms, tz, buf, sizeof buf);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

static void assert_rfc(const char *s, int64_t want_ms, int want_off)
{
	int64_t ms = -42;
	int off = -42;
	if (time_parse_rfc3339(s, &ms, &off) != 0)
		fail_msg("time_parse_rfc3339(\"%s\") refused", s);
	assert_int_equal(ms, want_ms);
	assert_int_equal(off, want_off);
}

static void assert_rfc_bad(const char *s)
{
	int64_t ms = 777;
	int off = 777;
	int rc = time_parse_rfc3339(s, &ms, &off);
	if (rc != DD_EINVAL)
		fail_msg("time_parse_rfc3339(\"%s\") = %d, want DD_EINVAL", s ? s : "(null)", rc);
	assert_int_equal(ms, 777);
	assert_int_equal(off, 777);
}

/* ---- the fixed now itself ------------------------------------------------ */

static void test_now_constant(void **state)
{
	(void)state;
	assert_rfc("2026-11-26T10:00:00+08:00", NOW, 480);
	assert_rfc("2026-11-26T02:00:00Z", NOW, 0);
	assert_fmt(NOW, SH, "2026-11-26T10:00:00.000+08:00");
	assert_fmt(NOW, "UTC", "2026-11-26T02:00:00.000+00:00");
}

/* ---- time_parse: accepted forms, Asia/Shanghai ---------------------------- */

static void test_parse_now(void **state)
{
	(void)state;
	assert_parse("now", NOW, SH, NOW);
	assert_parse("  now\t", NOW, SH, NOW);
	assert_parse("NOW", NOW, SH, NOW);
	assert_parse("now", -5, SH, -5);
}

static void test_parse_relative(void **state)
{
	(void)state;
	assert_parse("-15m", NOW, SH, NOW - 15 * 60000LL);
	assert_parse("+2h", NOW, SH, NOW + 2 * 3600000LL);
	assert_parse("-1d", NOW, SH, NOW - 86400000LL);
	assert_parse("-30s", NOW, SH, NOW - 30000LL);
	assert_parse("+30m", NOW, SH, NOW + 30 * 60000LL);
	assert_parse("-0m", NOW, SH, NOW);
	assert_parse(" -90m ", NOW, SH, NOW - 90 * 60000LL);
	assert_parse("-999999999d", NOW, SH, NOW - 999999999LL * 86400000LL);
	/* Before 1970 is just a negative instant. */
	assert_parse("-1s", 500, SH, -500);
}

static void test_parse_clock_today(void **state)
{
	(void)state;
	/* Earlier today. */
	assert_parse("08:30", NOW, SH, 1795653000000LL);       /* 2026-11-26 08:30 */
	assert_parse("08:30:15", NOW, SH, 1795653015000LL);
	/* People type the hour with one digit. */
	assert_parse("8:30", NOW, SH, 1795653000000LL);
	assert_parse("today 8:30", NOW, SH, 1795653000000LL);
	assert_parse("2026-11-26 8:30", NOW, SH, 1795653000000LL);
	assert_parse("00:00", NOW, SH, 1795622400000LL);
	assert_parse("10:00", NOW, SH, NOW);
	/* Up to a minute ahead still counts as today... */
	assert_parse("10:00:30", NOW, SH, NOW + 30000);
	assert_parse("10:01", NOW, SH, NOW + 60000);
	/* ...one second more is yesterday. */
	assert_parse("10:01:01", NOW, SH, NOW + 61000 - 86400000LL);
	assert_parse(" 14:30:05 ", NOW, SH, 1795588205000LL);  /* 2026-11-25 14:30:05 */
	assert_parse("23:59:59", NOW, SH, 1795622399000LL);    /* 2026-11-25 23:59:59 */
}

static void test_parse_clock_yesterday_rule(void **state)
{
	(void)state;
	const int64_t seven = 1795647600000LL; /* 2026-11-26 07:00 +08:00 */
	assert_parse("08:30", seven, SH, 1795566600000LL);    /* 2026-11-25 08:30 */
	assert_parse("06:59", seven, SH, seven - 60000);
	assert_parse("07:01", seven, SH, seven + 60000);
	assert_parse("07:02", seven, SH, seven + 120000 - 86400000LL);
	/* Across a month and a year boundary: now 2027-01-01 00:10 +08:00. */
	const int64_t newyear = 1798733400000LL;
	assert_parse("23:50", newyear, SH, newyear - 20 * 60000LL);
}

static void test_parse_today_yesterday(void **state)
{
	(void)state;
	assert_parse("today", NOW, SH, 1795622400000LL);        /* 2026-11-26 00:00 */
	assert_parse("yesterday", NOW, SH, 1795536000000LL);    /* 2026-11-25 00:00 */
	assert_parse("today 14:30", NOW, SH, 1795674600000LL);  /* future is fine here */
	assert_parse("today 08:30:15", NOW, SH, 1795653015000LL);
	assert_parse("yesterday 14:30:05", NOW, SH, 1795588205000LL);
	assert_parse("Today \t 08:30", NOW, SH, 1795653000000LL);
	assert_parse("YESTERDAY", NOW, SH, 1795536000000LL);
	/* As officers type them in Chinese, with or without a blank. */
	assert_parse("今天", NOW, SH, 1795622400000LL);
	assert_parse("昨天 14:30:05", NOW, SH, 1795588205000LL);
	assert_parse("昨天14:30:05", NOW, SH, 1795588205000LL);
	assert_parse("前天", NOW, SH, 1795536000000LL - 86400000LL);
	assert_parse("现在", NOW, SH, NOW);
	assert_bad("明天 09:00", "明天");
	assert_bad("现在 09:00", "现在");
}

static void test_parse_dates(void **state)
{
	(void)state;
	assert_parse("2026-11-26", NOW, SH, 1795622400000LL);
	assert_parse("2026-11-26 08:30", NOW, SH, 1795653000000LL);
	assert_parse("2026-11-26 08:30:15", NOW, SH, 1795653015000LL);
	assert_parse("2026-11-26T08:30", NOW, SH, 1795653000000LL);
	assert_parse("2026-11-26T08:30:15", NOW, SH, 1795653015000LL);
	assert_parse("2026-11-26t08:30", NOW, SH, 1795653000000LL);
	assert_parse("  2026-11-26   08:30  ", NOW, SH, 1795653000000LL);
	/* Dates do not depend on now. */
	assert_parse("2026-11-26 08:30", 0, SH, 1795653000000LL);
	assert_parse("2028-02-29", NOW, SH, 1835366400000LL);
	assert_parse("2000-02-29", NOW, "UTC", 951782400000LL);
	assert_parse("1969-12-31 23:59:59", NOW, "UTC", -1000);
}

static void test_parse_rfc3339_forms(void **state)
{
	(void)state;
	assert_parse("2026-11-26T08:30:00Z", NOW, SH, 1795653000000LL + 8 * 3600000LL);
	assert_parse("2026-11-26T08:30:00+08:00", NOW, SH, 1795653000000LL);
	assert_parse("2026-11-26T08:30:00-05:30", NOW, SH, 1795701600000LL);
	assert_parse("2026-11-26T08:30:00.123+08:00", NOW, SH, 1795653000123LL);
	assert_parse("2026-11-26T08:30:00.1+08:00", NOW, SH, 1795653000100LL);
	assert_parse("2026-11-26T08:30:00.12+08:00", NOW, SH, 1795653000120LL);
	/* Extra digits are truncated, never rounded into the next second. */
	assert_parse("2026-11-26T08:30:00.999999999+08:00", NOW, SH, 1795653000999LL);
	assert_parse("2026-11-26T08:30:00.000000001Z", NOW, SH, 1795681800000LL);
	assert_parse("2026-11-26t08:30:00z", NOW, SH, 1795681800000LL);
	assert_parse("2026-11-26 08:30:00+08:00", NOW, SH, 1795653000000LL);
	assert_parse("  2026-11-26T08:30:00Z  ", NOW, SH, 1795681800000LL);
	/* An explicit offset wins over the zone argument. */
	assert_parse("2026-11-26T08:30:00+08:00", NOW, NY, 1795653000000LL);
	assert_parse("1969-12-31T23:59:59.999Z", NOW, SH, -1);
}

/* ---- time_parse: rejections ---------------------------------------------- */

static void test_parse_rejects_dates(void **state)
{
	(void)state;
	assert_bad("2026-13-01", "month 13");
	assert_bad("2026-00-10", "month 00");
	assert_bad("2026-02-30", "day 30");
	assert_bad("2026-02-29", "day 29 is not in 2026-02");
	assert_bad("1900-02-29", "day 29");
	assert_bad("2026-04-31", "day 31");
	assert_bad("2026-11-00", "day 00");
	assert_bad("2026-1-5", "YYYY-MM-DD");
	assert_bad("26-11-26", NULL);
	assert_bad("2026/11/26", "YYYY-MM-DD");
	assert_bad("2026-11-26x", "' ' or 'T'");
	assert_bad("2026-11-26T", "HH:MM");
	assert_bad("2026-11-26 08:30 extra", "unexpected \" extra\"");
	assert_bad("2026-11-26T24:00", "hour 24");
	assert_bad("2026-11-26T08:30:00.5", "fractional seconds need an offset");
	assert_bad("2026-11-26T08:30Z", "unexpected \"Z\"");
	assert_bad("2026-11-26T08:30:00.Z", "digits after the decimal point");
	assert_bad("2026-11-26T08:30:00+24:00", "offset +24:00");
	assert_bad("2026-11-26T08:30:00+08:60", "offset +08:60");
	assert_bad("2026-11-26T08:30:00+0800", "+HH:MM");
	assert_bad("2026-11-26T08:30:00+08", "+HH:MM");
	assert_bad("2026-11-26T08:30:00Zjunk", "unexpected \"junk\" after the offset");
	assert_bad("2026-11-26 T08:30", "HH:MM");
}

static void test_parse_rejects_clocks(void **state)
{
	(void)state;
	assert_bad("24:00", "hour 24");
	assert_bad("12:60", "minute 60");
	assert_bad("12:00:60", "second 60");
	assert_bad("14:30x", "unexpected \"x\" after the time");
	assert_bad("14:30:", "seconds");
	assert_bad("14:3", "HH:MM");
	assert_bad("8:3", "expected a time");
	assert_bad("123:30", "not a recognised time");
	assert_bad("1430", "YYYY-MM-DD");
	assert_bad("14-30", "HH:MM");
	assert_bad("today 25:00", "hour 25");
	assert_bad("today14:30", "unexpected \"14:30\"");
	assert_bad("yesterday 14:30x", "unexpected \"x\"");
	assert_bad("today 14:30:00Z", "unexpected \"Z\"");
}

static void test_parse_rejects_relative_and_words(void **state)
{
	(void)state;
	assert_bad("-15x", "unit \"x\"");
	assert_bad("-15", "missing unit");
	assert_bad("+", "number after '+'");
	assert_bad("-m", "number after '-'");
	assert_bad("-15mm", "unexpected \"m\" after the unit");
	assert_bad("-15M", "unit \"M\"");
	assert_bad("- 15m", "number after '-'");
	assert_bad("-1234567890d", "too large");
	assert_bad("15m", NULL);
	assert_bad("garbage", "unknown word \"garbage\"");
	assert_bad("todayx", "unknown word \"todayx\"");
	assert_bad("now now", "after the word \"now\"");
	assert_bad("nowx", "unknown word");
	assert_bad("?", "not a recognised time");
	/* Overflow near the ends of int64. */
	assert_bad_tz("+999999999d", INT64_MAX - 1000, SH, "out of range");
	assert_bad_tz("-999999999d", INT64_MIN + 1000, SH, "out of range");
}

static void test_parse_rejects_empty(void **state)
{
	(void)state;
	assert_bad("", "empty");
	assert_bad("   ", "empty");
	assert_bad(" \t ", "empty");

	struct dd_error err = { 0 };
	int64_t out = 5;
	assert_int_equal(time_parse(NULL, NOW, SH, &out, &err), DD_EINVAL);
	assert_int_equal(err.code, DD_EINVAL);
	assert_non_null(strstr(err.msg, "accepted: now"));
	assert_int_equal(out, 5);
	/* A NULL err is allowed; the code still comes back. */
	assert_int_equal(time_parse("bogus", NOW, SH, &out, NULL), DD_EINVAL);
	assert_int_equal(time_parse("now", NOW, SH, NULL, &err), DD_EINVAL);
}

static void test_parse_long_input_quoted_truncated(void **state)
{
	(void)state;
	char big[300];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct dd_error err = { 0 };
	int64_t out = 0;
	assert_int_equal(time_parse(big, NOW, SH, &out, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "qqqq...\""));
	assert_non_null(strstr(err.msg, "accepted: now"));
}

/* ---- strict RFC 3339 ----------------------------------------------------- */

static void test_rfc3339_strict_accepts(void **state)
{
	(void)state;
	assert_rfc("2026-11-26T08:30:00Z", 1795681800000LL, 0);
	assert_rfc("2026-11-26T08:30:00+08:00", 1795653000000LL, 480);
	assert_rfc("2026-11-26T08:30:00-05:30", 1795701600000LL, -330);
	assert_rfc("2026-11-26T08:30:00.123+08:00", 1795653000123LL, 480);
	assert_rfc("2026-11-26T08:30:00.5-05:30", 1795701600500LL, -330);
	assert_rfc("2026-11-26T08:30:00.123456Z", 1795681800123LL, 0);
	assert_rfc("2026-11-26T08:30:00-00:00", 1795681800000LL, 0);
	assert_rfc("2026-11-26t08:30:00z", 1795681800000LL, 0);
	assert_rfc("1969-12-31T23:59:59.999Z", -1, 0);
	assert_rfc("1970-01-01T07:59:59.999+08:00", -1, 480);
	assert_rfc("0000-01-01T00:00:00Z", -62167219200000LL, 0);
	assert_rfc("9999-12-31T23:59:59.999Z", 253402300799999LL, 0);
	assert_rfc("2028-02-29T12:00:00+08:00", 1835366400000LL + 12 * 3600000LL, 480);
	/* Outputs are optional. */
	assert_int_equal(time_parse_rfc3339("2026-11-26T08:30:00Z", NULL, NULL), 0);
}

static void test_rfc3339_strict_rejects(void **state)
{
	(void)state;
	assert_rfc_bad(NULL);
	assert_rfc_bad("");
	assert_rfc_bad("now");
	assert_rfc_bad("2026-11-26");
	assert_rfc_bad("2026-11-26T08:30:00");
	assert_rfc_bad("2026-11-26T08:30Z");
	assert_rfc_bad("2026-11-26 08:30:00Z");
	assert_rfc_bad(" 2026-11-26T08:30:00Z");
	assert_rfc_bad("2026-11-26T08:30:00Z ");
	assert_rfc_bad("2026-11-26T08:30:00.Z");
	assert_rfc_bad("2026-11-26T08:30:00+0800");
	assert_rfc_bad("2026-11-26T08:30:00+08");
	assert_rfc_bad("2026-11-26T08:30:00+24:00");
	assert_rfc_bad("2026-11-26T08:30:00+08:60");
	assert_rfc_bad("2026-11-26T24:00:00Z");
	assert_rfc_bad("2026-11-26T08:60:00Z");
	assert_rfc_bad("2026-11-26T08:30:60Z");
	assert_rfc_bad("2026-02-29T00:00:00Z");
	assert_rfc_bad("2026-13-01T00:00:00Z");
	assert_rfc_bad("2026-11-26T08:30:00ZZ");
	assert_rfc_bad("2026-11-26T8:30:00Z");
}

/* ---- formatting and round trips ------------------------------------------ */

static void test_format_rfc3339_exact(void **state)
{
	(void)state;
	assert_fmt(1795658400123LL, SH, "2026-11-26T10:00:00.123+08:00");
	assert_fmt(0, "UTC", "1970-01-01T00:00:00.000+00:00");
	assert_fmt(-1, "UTC", "1969-12-31T23:59:59.999+00:00");
	assert_fmt(-1, SH, "1970-01-01T07:59:59.999+08:00");
	assert_fmt(-999, "UTC", "1969-12-31T23:59:59.001+00:00");
	assert_fmt(-1000, "UTC", "1969-12-31T23:59:59.000+00:00");
	assert_fmt(-1001, "UTC", "1969-12-31T23:59:58.999+00:00");
	assert_fmt(NOW, "Asia/Kolkata", "2026-11-26T07:30:00.000+05:30");
	assert_fmt(NOW, "America/St_Johns", "2026-11-25T22:30:00.000-03:30");
	assert_fmt(NOW, NY, "2026-11-25T21:00:00.000-05:00");
	assert_fmt(1783180800000LL, NY, "2026-07-04T12:00:00.000-04:00");
	assert_fmt(-62167219200000LL, "UTC", "0000-01-01T00:00:00.000+00:00");
	assert_fmt(253402300799999LL, "UTC", "9999-12-31T23:59:59.999+00:00");
	/* Local mean time +08:05:43: the offset is cut to minutes and the wall
	 * clock follows it, so the text still names the right instant. */
	assert_fmt(-2195899200000LL, SH, "1900-06-01T20:05:00.000+08:05");
	/* NULL and "" mean the default zone. */
	assert_fmt(NOW, NULL, "2026-11-26T10:00:00.000+08:00");
	assert_fmt(NOW, "", "2026-11-26T10:00:00.000+08:00");
}

static void test_format_rfc3339_limits(void **state)
{
	(void)state;
	char buf[30];
	assert_int_equal(time_format_rfc3339(NOW, SH, buf, 30), 29);
	assert_string_equal(buf, "2026-11-26T10:00:00.000+08:00");
	assert_int_equal(time_format_rfc3339(NOW, SH, buf, 29), DD_ERANGE);
	assert_int_equal(time_format_rfc3339(NOW, SH, NULL, 30), DD_ERANGE);
	assert_int_equal(time_format_rfc3339(253402300800000LL, "UTC", buf, 30), DD_ERANGE);
	assert_int_equal(time_format_rfc3339(253402300799999LL, SH, buf, 30), DD_ERANGE);
	assert_int_equal(time_format_rfc3339(-62167219200001LL, "UTC", buf, 30), DD_ERANGE);
	assert_int_equal(time_format_rfc3339(INT64_MIN, "UTC", buf, 30), DD_ERANGE);
	assert_int_equal(time_format_rfc3339(INT64_MAX, "UTC", buf, 30), DD_ERANGE);
}

static void test_rfc3339_round_trip(void **state)
{
	(void)state;
	static const int64_t instants[] = {
		0, 1, -1, 999, -999, 1000, -1000, -1001, 86399999, -86400001,
		NOW, NOW + 123, 1795653000999LL, 951782400000LL, 1835366400000LL,
		-2195899200000LL,   /* 1900, local mean time in Shanghai */
		-2208988800001LL,   /* 1899-12-31T23:59:59.999Z */
		-62167219200000LL + 86400000LL * 2, /* year 0, plus slack for offsets */
		253402300799999LL - 86400000LL,
		1774738799999LL, 1774738800000LL, 1774746000000LL, 1792888200000LL,
		1792890000000LL, 1792891800000LL, 1793511000000LL, 1793514600000LL,
		-86400000LL * 365 * 30 + 777,
	};
	static const char *const zones[] = {
		SH, "UTC", BER, NY, "Asia/Kolkata", "America/St_Johns",
		"Pacific/Chatham", "America/Santiago", "Australia/Lord_Howe",
	};
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++) {
			char buf[30];
			int n = time_format_rfc3339(instants[i], zones[z], buf, sizeof buf);
			if (n != 29)
				fail_msg("format %lld in %s = %d", (long long)instants[i], zones[z], n);
			int64_t back = 0;
			int off = 0;
			if (time_parse_rfc3339(buf, &back, &off) != 0)
				fail_msg("\"%s\" does not parse back", buf);
			if (back != instants[i])
				fail_msg("%lld in %s -> \"%s\" -> %lld", (long long)instants[i],
					 zones[z], buf, (long long)back);
			assert_int_equal(off, time_offset_min(instants[i], zones[z]));
			/* time_parse reads the same text the same way. */
			assert_int_equal(parse_ok(buf, NOW, zones[z]), instants[i]);
		}
	}
}

static void test_format_local(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(time_format_local(NOW, SH, "%Y-%m-%d %H:%M:%S %z", buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-11-26 10:00:00 +0800");
	assert_int_equal(time_format_local(NOW, NY, "%Y-%m-%d %H:%M %Z", buf, sizeof buf), 20);
	assert_string_equal(buf, "2026-11-25 21:00 EST");
	assert_int_equal(time_format_local(1774746000000LL, BER, "%H:%M %Z", buf, sizeof buf), 10);
	assert_string_equal(buf, "03:00 CEST");
	assert_int_equal(time_format_local(1774745999999LL, BER, "%H:%M:%S %Z", buf, sizeof buf), 12);
	assert_string_equal(buf, "01:59:59 CET");
	/* Floor division: -1 ms is still the last second of 1969. */
	assert_int_equal(time_format_local(-1, "UTC", "%Y-%m-%d %H:%M:%S", buf, sizeof buf), 19);
	assert_string_equal(buf, "1969-12-31 23:59:59");
	/* Too small: 0 and an empty string, not a torn one. */
	assert_int_equal(time_format_local(NOW, SH, "%Y-%m-%d", buf, 5), 0);
	assert_string_equal(buf, "");
	assert_int_equal(time_format_local(NOW, SH, "%Y", buf, 0), 0);
	assert_int_equal(time_format_local(NOW, SH, NULL, buf, sizeof buf), 0);
}

/* ---- zones with DST ------------------------------------------------------ */

static void test_berlin_dst(void **state)
{
	(void)state;
	/* Spring forward 2026-03-29 01:00Z: 02:00 CET becomes 03:00 CEST. */
	assert_int_equal(time_offset_min(1774745999999LL, BER), 60);
	assert_int_equal(time_offset_min(1774746000000LL, BER), 120);
	assert_fmt(1774745999999LL, BER, "2026-03-29T01:59:59.999+01:00");
	assert_fmt(1774746000000LL, BER, "2026-03-29T03:00:00.000+02:00");
	assert_parse("2026-03-29", NOW, BER, 1774738800000LL);
	assert_parse("2026-03-29 01:59", NOW, BER, 1774745940000LL);
	assert_parse("2026-03-29 03:00", NOW, BER, 1774746000000LL);
	assert_bad_tz("2026-03-29 02:30", NOW, BER, "does not exist in Europe/Berlin");
	/* At 07:00 CEST the skipped 02:30 was today: refused, not moved. */
	assert_bad_tz("02:30", 1774760400000LL, BER, "does not exist");
	/* At 00:30 CET the gap is still ahead: yesterday's 02:30 is meant. */
	assert_parse("02:30", 1774740600000LL, BER, 1774661400000LL);

	/* Fall back 2026-10-25 01:00Z: 03:00 CEST becomes 02:00 CET, so 02:30
	 * happens at 00:30Z and again at 01:30Z. */
	assert_int_equal(time_offset_min(1792889999999LL, BER), 120);
	assert_int_equal(time_offset_min(1792890000000LL, BER), 60);
	assert_fmt(1792888200000LL, BER, "2026-10-25T02:30:00.000+02:00");
	assert_fmt(1792891800000LL, BER, "2026-10-25T02:30:00.000+01:00");
	assert_parse("2026-10-25 02:30", NOW, BER, 1792888200000LL);
	/* Bare time takes the latest occurrence not after now + 1 min. */
	assert_parse("02:30", 1792893600000LL, BER, 1792891800000LL);
	assert_parse("02:30", 1792889100000LL, BER, 1792888200000LL);

	/* "yesterday" is the calendar day, 23 h long here; "-1d" is 24 h. */
	const int64_t noon_after = 1774864800000LL; /* 2026-03-30 12:00 CEST */
	assert_parse("today", noon_after, BER, 1774821600000LL);
	assert_parse("yesterday", noon_after, BER, 1774738800000LL);
	assert_parse("yesterday 12:00", noon_after, BER, noon_after - 86400000LL);
	assert_parse("-1d", noon_after, BER, noon_after - 86400000LL);
	assert_parse("12:00", 1774738800000LL + 13 * 3600000LL, BER, 1774778400000LL);
}

static void test_new_york_dst(void **state)
{
	(void)state;
	assert_int_equal(time_offset_min(NOW, NY), -300);
	assert_int_equal(time_offset_min(1783180800000LL, NY), -240);
	assert_parse("2026-11-26 08:30", NOW, NY, 1795699800000LL);
	assert_parse("2026-07-04T12:00", NOW, NY, 1783180800000LL);
	/* NOW is still 2026-11-25 in New York. */
	assert_parse("today", NOW, NY, 1795582800000LL);
	assert_parse("yesterday", NOW, NY, 1795582800000LL - 86400000LL);
	assert_parse("21:00", NOW, NY, NOW);
	assert_parse("22:00", NOW, NY, NOW + 3600000LL - 86400000LL);
	/* 01:30 happens twice on 2026-11-01: the first (EDT) is meant. */
	assert_parse("2026-11-01 01:30", NOW, NY, 1793511000000LL);
	assert_fmt(1793511000000LL, NY, "2026-11-01T01:30:00.000-04:00");
	assert_fmt(1793514600000LL, NY, "2026-11-01T01:30:00.000-05:00");
	assert_bad_tz("2026-03-08 02:30", NOW, NY, "does not exist in America/New_York");
	assert_parse("2026-03-08 03:00", NOW, NY, 1772953200000LL);
}

static void test_midnight_skipped(void **state)
{
	(void)state;
	/* Santiago springs from Saturday 24:00 to Sunday 01:00 -03. */
	assert_parse("2026-09-06", NOW, "America/Santiago", 1788667200000LL);
	assert_bad_tz("2026-09-06 00:30", NOW, "America/Santiago", "does not exist");
	assert_parse("2026-09-06 01:00", NOW, "America/Santiago", 1788667200000LL);
}

/* ---- day numbers and offsets --------------------------------------------- */

static void test_local_day(void **state)
{
	(void)state;
	assert_int_equal(time_local_day(NOW, SH), 20783);         /* 2026-11-26 */
	assert_int_equal(time_local_day(NOW, NY), 20782);         /* 2026-11-25 */
	assert_int_equal(time_local_day(NOW, "UTC"), 20783);
	assert_int_equal(time_local_day(1795622400000LL, SH), 20783);  /* 00:00 */
	assert_int_equal(time_local_day(1795622399999LL, SH), 20782);  /* 23:59:59.999 */
	assert_int_equal(time_local_day(0, "UTC"), 0);
	assert_int_equal(time_local_day(-1, "UTC"), -1);
	assert_int_equal(time_local_day(-1, SH), 0);
	assert_int_equal(time_local_day(-86400000LL, "UTC"), -1);
	assert_int_equal(time_local_day(-86400001LL, "UTC"), -2);
	assert_int_equal(time_local_day(-8 * 3600000LL - 1, SH), -1);
	/* Berlin's 23-hour day still starts at local midnight. */
	assert_int_equal(time_local_day(1774738799999LL, BER), 20540);
	assert_int_equal(time_local_day(1774738800000LL, BER), 20541);
	assert_int_equal(time_local_day(1774821599999LL, BER), 20541);
	assert_int_equal(time_local_day(1774821600000LL, BER), 20542);
	assert_int_equal(time_local_day(NOW, NULL), 20783);
}

static void test_offset_min(void **state)
{
	(void)state;
	assert_int_equal(time_offset_min(NOW, SH), 480);
	assert_int_equal(time_offset_min(NOW, NULL), 480);
	assert_int_equal(time_offset_min(NOW, "UTC"), 0);
	assert_int_equal(time_offset_min(NOW, "Asia/Kolkata"), 330);
	assert_int_equal(time_offset_min(NOW, "America/St_Johns"), -210);
	assert_int_equal(time_offset_min(NOW, "Pacific/Chatham"), 825);  /* +13:45 DST */
	assert_int_equal(time_offset_min(NOW, BER), 60);
	assert_int_equal(time_offset_min(1783180800000LL, BER), 120);
	assert_int_equal(time_offset_min(-1, SH), 480);
	/* +08:05:43 local mean time, truncated to whole minutes. */
	assert_int_equal(time_offset_min(-2195899200000LL, SH), 485);
}

/* ---- the zone cache ------------------------------------------------------ */

static void test_zone_cache(void **state)
{
	(void)state;
	assert_int_equal(time_offset_min(NOW, SH), 480);
	assert_string_equal(getenv("TZ"), SH);
	/* Change TZ behind the module's back: a repeat call for the same zone
	 * must not set it again (and so does not run tzset). */
	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	(void)time_offset_min(NOW, SH);
	assert_string_equal(getenv("TZ"), "UTC");
	/* A different zone does switch, which also puts TZ and cache back in
	 * agreement for the tests that follow. */
	assert_int_equal(time_offset_min(NOW, NY), -300);
	assert_string_equal(getenv("TZ"), NY);
	assert_int_equal(time_offset_min(NOW, NULL), 480);
	assert_string_equal(getenv("TZ"), DD_DEFAULT_TZ);
}

static void test_now_ms(void **state)
{
	(void)state;
	int64_t a = time_now_ms();
	int64_t b = time_now_ms();
	/* After this file was written, and not running backwards by much. */
	assert_true(a > 1764000000000LL);
	assert_true(b >= a - 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_now_constant),
		cmocka_unit_test(test_parse_now),
		cmocka_unit_test(test_parse_relative),
		cmocka_unit_test(test_parse_clock_today),
		cmocka_unit_test(test_parse_clock_yesterday_rule),
		cmocka_unit_test(test_parse_today_yesterday),
		cmocka_unit_test(test_parse_dates),
		cmocka_unit_test(test_parse_rfc3339_forms),
		cmocka_unit_test(test_parse_rejects_dates),
		cmocka_unit_test(test_parse_rejects_clocks),
		cmocka_unit_test(test_parse_rejects_relative_and_words),
		cmocka_unit_test(test_parse_rejects_empty),
		cmocka_unit_test(test_parse_long_input_quoted_truncated),
		cmocka_unit_test(test_rfc3339_strict_accepts),
		cmocka_unit_test(test_rfc3339_strict_rejects),
		cmocka_unit_test(test_format_rfc3339_exact),
		cmocka_unit_test(test_format_rfc3339_limits),
		cmocka_unit_test(test_rfc3339_round_trip),
		cmocka_unit_test(test_format_local),
		cmocka_unit_test(test_berlin_dst),
		cmocka_unit_test(test_new_york_dst),
		cmocka_unit_test(test_midnight_skipped),
		cmocka_unit_test(test_local_day),
		cmocka_unit_test(test_offset_min),
		cmocka_unit_test(test_zone_cache),
		cmocka_unit_test(test_now_ms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
