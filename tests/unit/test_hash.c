/*
 * test_hash.c — unit tests for core/hash.c: SHA-256 in lowercase hex.
 *
 * hash.c calls libcrypto's low-level SHA-256 rather than EVP (see hash.h);
 * these tests pin it to the FIPS 180-2 vectors and check that it agrees
 * with EVP byte for byte, one-shot and fed in pieces, since every event
 * hash and store digest rests on it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/hash.h"

static void evp_hex(const void *data, size_t len, char out[DD_HASH_HEX + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	assert_int_equal(EVP_Digest(data, len, md, &n, EVP_sha256(), NULL), 1);
	assert_int_equal(n, 32);
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[DD_HASH_HEX] = '\0';
}

static void test_known_vectors(void **state)
{
	(void)state;
	char h[DD_HASH_HEX + 1];
	memset(h, 'x', sizeof h);
	dd_sha256_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	dd_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	dd_sha256_hex(two_blocks, strlen(two_blocks), h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a', fed 1000 at a time */
	char a[1000];
	memset(a, 'a', sizeof a);
	struct dd_sha256 ctx;
	dd_sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		dd_sha256_update(&ctx, a, sizeof a);
	dd_sha256_final_hex(&ctx, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* UTF-8 text is hashed as its bytes */
	dd_sha256_hex("值班", 6, h);
	char want[DD_HASH_HEX + 1];
	evp_hex("\xe5\x80\xbc\xe7\x8f\xad", 6, want);
	assert_string_equal(h, want);
}

static uint64_t rng_state = 42;
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void test_agrees_with_evp(void **state)
{
	(void)state;
	unsigned char buf[4096];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)rng();
	/* every length around the 64-byte block and padding boundaries, then
	 * random ones; one-shot and in random pieces */
	for (size_t len = 0; len <= 300 + 2000; len += len < 300 ? 1 : 1 + rng() % 97) {
		char want[DD_HASH_HEX + 1], one[DD_HASH_HEX + 1], pieces[DD_HASH_HEX + 1];
		evp_hex(buf, len, want);
		dd_sha256_hex(buf, len, one);
		assert_string_equal(one, want);
		struct dd_sha256 ctx;
		dd_sha256_init(&ctx);
		size_t done = 0;
		while (done < len) {
			size_t n = 1 + rng() % 130;
			if (n > len - done)
				n = len - done;
			dd_sha256_update(&ctx, buf + done, n);
			done += n;
		}
		dd_sha256_update(&ctx, buf, 0);
		dd_sha256_final_hex(&ctx, pieces);
		assert_string_equal(pieces, want);
	}
}

static void test_output_form(void **state)
{
	(void)state;
	char h[DD_HASH_HEX + 2];
	memset(h, 'Z', sizeof h);
	dd_sha256_hex("dutydesk", 8, h);
	assert_int_equal(h[DD_HASH_HEX], '\0');
	assert_int_equal(h[DD_HASH_HEX + 1], 'Z'); /* nothing written past the NUL */
	assert_int_equal(strspn(h, "0123456789abcdef"), DD_HASH_HEX);
	/* a context is reusable after init */
	struct dd_sha256 ctx;
	char again[DD_HASH_HEX + 1];
	dd_sha256_init(&ctx);
	dd_sha256_update(&ctx, "other", 5);
	dd_sha256_final_hex(&ctx, again);
	dd_sha256_init(&ctx);
	dd_sha256_update(&ctx, "duty", 4);
	dd_sha256_update(&ctx, "desk", 4);
	dd_sha256_final_hex(&ctx, again);
	h[DD_HASH_HEX] = '\0';
	assert_string_equal(again, h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_agrees_with_evp),
		cmocka_unit_test(test_output_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
