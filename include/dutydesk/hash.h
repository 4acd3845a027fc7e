/*
 * hash.h — SHA-256 in lowercase hex, for event hashes and digests.
 *
 * libcrypto's SHA-256 is called through its low-level interface, not EVP:
 * in OpenSSL 3.0 the first EVP digest of a process fetches a provider and
 * fills a name map of every algorithm (about 3.5 million instructions,
 * a millisecond), which is more than all the rest of `dutydesk log`.  The
 * code underneath is the same; tests/unit/test_hash.c checks both agree.
 */
#ifndef DUTYDESK_HASH_H
#define DUTYDESK_HASH_H

#include <openssl/sha.h>
#include <stddef.h>

#define DD_HASH_HEX 64

struct dd_sha256 {
	SHA256_CTX ctx;
};

void dd_sha256_init(struct dd_sha256 *h);
void dd_sha256_update(struct dd_sha256 *h, const void *data, size_t len);
void dd_sha256_final_hex(struct dd_sha256 *h, char out[DD_HASH_HEX + 1]);

/* One-shot: the hex SHA-256 of data. */
void dd_sha256_hex(const void *data, size_t len, char out[DD_HASH_HEX + 1]);

#endif
