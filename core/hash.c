/*
 * hash.c — SHA-256 through libcrypto's low-level interface (see hash.h
 * for why not EVP).
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "dutydesk/hash.h"

void dd_sha256_init(struct dd_sha256 *h)
{
	SHA256_Init(&h->ctx);
}

void dd_sha256_update(struct dd_sha256 *h, const void *data, size_t len)
{
	SHA256_Update(&h->ctx, data, len);
}

void dd_sha256_final_hex(struct dd_sha256 *h, char out[DD_HASH_HEX + 1])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256_Final(md, &h->ctx);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[DD_HASH_HEX] = '\0';
}

void dd_sha256_hex(const void *data, size_t len, char out[DD_HASH_HEX + 1])
{
	struct dd_sha256 h;
	dd_sha256_init(&h);
	dd_sha256_update(&h, data, len);
	dd_sha256_final_hex(&h, out);
}
