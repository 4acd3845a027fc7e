/*
 * test_csv.c — unit tests for core/csv.c (the CSV reader: quoting,
 * doubled quotes, CRLF, newlines inside fields, positions in messages,
 * UTF-8 with and without BOM, GBK/GB18030 detected or chosen, UTF-16 and
 * undecodable bytes refused) and core/phone.c (normalising numbers).
 *
 * GBK bytes are written out literally (checked against iconv), so the
 * tests do not depend on the encoding of this file beyond UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "dutydesk/csv.h"
#include "dutydesk/phone.h"

static void open_ok(struct dd_csv *c, const char *data, size_t len, const char *enc)
{
	struct dd_error err = { 0, "" };
	int rc = csv_open_mem(c, "t.csv", data, len, enc, &err);
	if (rc)
		fail_msg("csv_open_mem: %d %s", rc, err.msg);
}

static void next_ok(struct dd_csv *c, int fields)
{
	struct dd_error err = { 0, "" };
	int rc = csv_next(c, &err);
	if (rc != 1)
		fail_msg("csv_next: %d %s", rc, err.msg);
	assert_int_equal(c->n, fields);
}

static void test_plain_and_quoted(void **state)
{
	(void)state;
	struct dd_csv c;
	const char text[] = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n\"two\nlines\",王,\"\"\n";
	open_ok(&c, text, sizeof text - 1, NULL);
	assert_string_equal(c.encoding, "UTF-8");
	next_ok(&c, 3);
	assert_string_equal(c.fields[0].text, "a");
	assert_string_equal(c.fields[2].text, "c");
	next_ok(&c, 3);
	assert_string_equal(c.fields[0].text, "x, y");
	assert_string_equal(c.fields[1].text, "say \"hi\"");
	assert_string_equal(c.fields[2].text, "");
	assert_int_equal(c.fields[1].line, 2);
	assert_int_equal(c.fields[1].col, 8);
	next_ok(&c, 3);
	assert_string_equal(c.fields[0].text, "two\nlines");
	assert_int_equal(c.record_line, 3);
	/* The field after the embedded newline is on line 4, column 8. */
	assert_string_equal(c.fields[1].text, "王");
	assert_int_equal(c.fields[1].line, 4);
	assert_int_equal(c.fields[1].col, 8);
	assert_int_equal(c.fields[2].col, 10);
	struct dd_error err;
	assert_int_equal(csv_next(&c, &err), 0);
	csv_close(&c);
}

static void test_crlf_in_quotes_and_blank_lines(void **state)
{
	(void)state;
	struct dd_csv c;
	const char text[] = "\r\n\"a\r\nb\",c\r\n\r\n\r\nd,e";
	open_ok(&c, text, sizeof text - 1, NULL);
	next_ok(&c, 2);
	assert_string_equal(c.fields[0].text, "a\nb");
	assert_int_equal(c.record_line, 2);
	next_ok(&c, 2);
	assert_string_equal(c.fields[1].text, "e");
	assert_int_equal(c.record_line, 6);
	struct dd_error err;
	assert_int_equal(csv_next(&c, &err), 0);
	csv_close(&c);
}

static void test_bom(void **state)
{
	(void)state;
	struct dd_csv c;
	const char text[] = "\xEF\xBB\xBFname,手机\n张三,13800000001\n";
	open_ok(&c, text, sizeof text - 1, NULL);
	assert_string_equal(c.encoding, "UTF-8 with BOM");
	next_ok(&c, 2);
	assert_string_equal(c.fields[0].text, "name");
	assert_int_equal(c.fields[0].col, 1);
	next_ok(&c, 2);
	assert_string_equal(c.fields[0].text, "张三");
	csv_close(&c);
}

/* "单位,姓名\r\n渝北区,张三\r\n" in GBK (iconv -t gbk). */
static const char gbk[] = "\xb5\xa5\xce\xbb,\xd0\xd5\xc3\xfb\r\n\xd3\xe5\xb1\xb1\xc7\xf8,\xd5\xc5\xc8\xfd\r\n";

static void test_gbk_detected_and_chosen(void **state)
{
	(void)state;
	struct dd_csv c;
	open_ok(&c, gbk, sizeof gbk - 1, NULL);
	assert_string_equal(c.encoding, "GB18030");
	next_ok(&c, 2);
	assert_string_equal(c.fields[0].text, "单位");
	assert_string_equal(c.fields[1].text, "姓名");
	next_ok(&c, 2);
	assert_string_equal(c.fields[0].text, "渝北区");
	assert_string_equal(c.fields[1].text, "张三");
	assert_int_equal(c.fields[1].col, 5);
	csv_close(&c);
	open_ok(&c, gbk, sizeof gbk - 1, "gbk");
	assert_string_equal(c.encoding, "GB18030");
	csv_close(&c);
}

static void test_encoding_errors(void **state)
{
	(void)state;
	struct dd_csv c;
	struct dd_error err;
	/* GBK read as UTF-8 on request: named at its first byte. */
	assert_int_equal(csv_open_mem(&c, "t.csv", gbk, sizeof gbk - 1, "utf-8", &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "t.csv:1:1: not valid UTF-8"));
	/* Bytes neither UTF-8 nor GB18030: line 2, column 3. */
	const char bad[] = "ok\nab\xff\xff\n";
	assert_int_equal(csv_open_mem(&c, "t.csv", bad, sizeof bad - 1, NULL, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "t.csv:2:3:"));
	const char utf16[] = "\xff\xfe" "a\0,\0";
	assert_int_equal(csv_open_mem(&c, "t.csv", utf16, sizeof utf16 - 1, NULL, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "UTF-16"));
	assert_int_equal(csv_open_mem(&c, "t.csv", "a", 1, "latin1", &err), DD_EINVAL);
}

static void test_quote_errors_resume(void **state)
{
	(void)state;
	struct dd_csv c;
	struct dd_error err;
	const char text[] = "a,\"b\"x,c\nd,e\"f\ng,h\n\"never";
	open_ok(&c, text, sizeof text - 1, NULL);
	assert_int_equal(csv_next(&c, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "t.csv:1:6: text after a closing quote"));
	assert_int_equal(csv_next(&c, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "t.csv:2:4: a quote inside an unquoted field"));
	next_ok(&c, 2);
	assert_string_equal(c.fields[0].text, "g");
	assert_int_equal(csv_next(&c, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "t.csv:4:1: this quoted field never ends"));
	assert_int_equal(csv_next(&c, &err), 0);
	csv_close(&c);
}

static void phone_is(const char *in, const char *canon, const char *digits, bool mobile)
{
	char c[DD_PHONE_MAX], d[DD_PHONE_MAX];
	bool m;
	struct dd_error err = { 0, "" };
	if (phone_normalize(in, c, d, &m, &err))
		fail_msg("phone_normalize(%s): %s", in, err.msg);
	assert_string_equal(c, canon);
	assert_string_equal(d, digits);
	assert_int_equal(m, mobile);
	/* Canonical in, the same out. */
	assert_int_equal(phone_normalize(c, c, d, &m, &err), 0);
	assert_string_equal(c, canon);
}

static void test_phones(void **state)
{
	(void)state;
	phone_is("138 0000 0001", "13800000001", "13800000001", true);
	phone_is("+86 139-0000-0002", "13900000002", "13900000002", true);
	phone_is("１３８００００１２３４", "13800001234", "13800001234", true);
	phone_is("023-6300 1234", "023-63001234", "02363001234", false);
	phone_is("（023）63001234 转 801", "023-63001234转801", "02363001234801", false);
	phone_is("010 8765 4321", "010-87654321", "01087654321", false);
	phone_is("0851-8123456", "0851-8123456", "08518123456", false);
	phone_is("400 123 4567", "400-123-4567", "4001234567", false);
	const char *bad[] = { "123", "1200000000", "12800000000", "63001234", "023-0300123", "023-6300", "abc",
			      "+1 555 0100", "138000000011", "023-63001234转", "", NULL };
	for (int i = 0; bad[i]; i++) {
		char c[DD_PHONE_MAX];
		struct dd_error err = { 0, "" };
		if (phone_normalize(bad[i], c, NULL, NULL, &err) != DD_EINVAL)
			fail_msg("'%s' was accepted as %s", bad[i], c);
		assert_true(err.msg[0] != '\0');
	}
	char d[DD_PHONE_MAX];
	assert_true(phone_query_digits("6300 12", d));
	assert_string_equal(d, "630012");
	assert_true(phone_query_digits("+86 138-", d));
	assert_string_equal(d, "138");
	assert_false(phone_query_digits("渝北 12", d));
	assert_false(phone_query_digits("  ", d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted),
		cmocka_unit_test(test_crlf_in_quotes_and_blank_lines),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_gbk_detected_and_chosen),
		cmocka_unit_test(test_encoding_errors),
		cmocka_unit_test(test_quote_errors_resume),
		cmocka_unit_test(test_phones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
