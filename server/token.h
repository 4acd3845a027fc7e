/*
 * token.h — bearer tokens: how a secret is made, recognised and hashed.
 *
 * A token is "ddt_" and 64 lowercase hex digits (32 random bytes from the
 * kernel).  The server stores only the SHA-256 of the whole string
 * (core/hash.h), so a copy of its database lets no one sync; the secret is
 * printed once, by `dutydeskd token add`.
 */
#ifndef DUTYDESKD_TOKEN_H
#define DUTYDESKD_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "dutydesk/error.h"
#include "dutydesk/hash.h"

#define TOKEN_PREFIX "ddt_"
#define TOKEN_LEN (4 + 64)

/* A new secret, NUL-terminated; 0 or DD_EIO. */
int token_generate(char out[TOKEN_LEN + 1], struct dd_error *err);

/* Whether s has the form of a token (so garbage never reaches the
 * database). */
bool token_well_formed(const char *s, size_t len);

void token_hash(const char *token, size_t len, char out[DD_HASH_HEX + 1]);

/* The token in an Authorization header value "Bearer ddt_…": a pointer
 * into value and its length, or NULL when the header is not that. */
const char *token_from_header(const char *value, size_t *len);

#endif
