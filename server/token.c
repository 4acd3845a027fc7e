/*
 * token.c — bearer token secrets (see token.h).
 */
#include <string.h>
#include <strings.h>

#include "dutydesk/ids.h"
#include "token.h"

int token_generate(char out[TOKEN_LEN + 1], struct dd_error *err)
{
	unsigned char raw[32];
	if (dd_random(raw, sizeof raw) != 0)
		return dd_fail(err, DD_EIO, "cannot read random bytes from the kernel");
	static const char hex[] = "0123456789abcdef";
	memcpy(out, TOKEN_PREFIX, 4);
	for (size_t i = 0; i < sizeof raw; i++) {
		out[4 + 2 * i] = hex[raw[i] >> 4];
		out[5 + 2 * i] = hex[raw[i] & 15];
	}
	out[TOKEN_LEN] = '\0';
	return 0;
}

bool token_well_formed(const char *s, size_t len)
{
	if (len != TOKEN_LEN || memcmp(s, TOKEN_PREFIX, 4) != 0)
		return false;
	for (size_t i = 4; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

void token_hash(const char *token, size_t len, char out[DD_HASH_HEX + 1])
{
	dd_sha256_hex(token, len, out);
}

const char *token_from_header(const char *value, size_t *len)
{
	if (!value || strncasecmp(value, "Bearer ", 7) != 0)
		return NULL;
	value += 7;
	while (*value == ' ')
		value++;
	size_t n = strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (!token_well_formed(value, n))
		return NULL;
	*len = n;
	return value;
}
