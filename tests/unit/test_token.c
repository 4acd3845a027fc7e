/*
 * test_token.c — unit tests for server/token.c: the form of a bearer
 * token, its hash (the only thing the server stores) and reading it from
 * an Authorization header, including the malformed headers a client or
 * an attacker may send.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../server/token.h"

static void test_generate(void **state)
{
	(void)state;
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	struct dd_error err;
	assert_int_equal(token_generate(a, &err), 0);
	assert_int_equal(token_generate(b, &err), 0);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_memory_equal(a, "ddt_", 4);
	assert_true(token_well_formed(a, strlen(a)));
	assert_string_not_equal(a, b);
}

static void test_well_formed(void **state)
{
	(void)state;
	char t[TOKEN_LEN + 1] = "ddt_";
	memset(t + 4, 'a', 64);
	t[TOKEN_LEN] = '\0';
	assert_true(token_well_formed(t, TOKEN_LEN));
	assert_false(token_well_formed(t, TOKEN_LEN - 1));   /* short */
	t[10] = 'A';                                         /* upper case */
	assert_false(token_well_formed(t, TOKEN_LEN));
	t[10] = 'g';                                         /* not hex */
	assert_false(token_well_formed(t, TOKEN_LEN));
	t[10] = 'a';
	t[0] = 'x';                                          /* prefix */
	assert_false(token_well_formed(t, TOKEN_LEN));
	assert_false(token_well_formed("", 0));
}

static void test_hash(void **state)
{
	(void)state;
	char t[TOKEN_LEN + 1] = "ddt_";
	memset(t + 4, '0', 64);
	t[TOKEN_LEN] = '\0';
	char h[DD_HASH_HEX + 1], direct[DD_HASH_HEX + 1];
	token_hash(t, TOKEN_LEN, h);
	dd_sha256_hex(t, TOKEN_LEN, direct);
	assert_string_equal(h, direct);
	/* Pinned: a change of hashing would lock every console out. */
	assert_string_equal(h, "745e6485f4db3cf0717ca26a5ab20c9f6153e224759bac20dc18c7686fbb274f");
}

static void test_from_header(void **state)
{
	(void)state;
	char t[TOKEN_LEN + 1];
	struct dd_error err;
	assert_int_equal(token_generate(t, &err), 0);
	char h[200];
	size_t len = 0;
	snprintf(h, sizeof h, "Bearer %s", t);
	const char *got = token_from_header(h, &len);
	assert_non_null(got);
	assert_int_equal(len, TOKEN_LEN);
	assert_memory_equal(got, t, TOKEN_LEN);
	snprintf(h, sizeof h, "bearer   %s \t", t);
	assert_non_null(token_from_header(h, &len));
	assert_int_equal(len, TOKEN_LEN);
	snprintf(h, sizeof h, "Basic %s", t);
	assert_null(token_from_header(h, &len));
	snprintf(h, sizeof h, "Bearer %sX", t);
	assert_null(token_from_header(h, &len));
	assert_null(token_from_header("Bearer", &len));
	assert_null(token_from_header("", &len));
	assert_null(token_from_header(NULL, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_from_header),
	};
	return cmocka_run_group_tests_name("token", tests, NULL, NULL);
}
