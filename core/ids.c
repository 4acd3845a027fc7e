/*
 * ids.c — UUIDv7 generation and the hybrid logical clock (see ids.h).
 *
 * Invariant: within one process, successive uuid7_new() results compare
 * strictly greater as strings.  When the 12-bit counter would overflow
 * inside one millisecond, the embedded time borrows the next millisecond
 * rather than repeating an id.
 */
#include <string.h>
#include <sys/random.h>

#include "dutydesk/error.h"
#include "dutydesk/ids.h"

int dd_random(void *buf, unsigned n)
{
	unsigned char *p = buf;
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0)
			return DD_EIO;
		p += got;
		n -= (unsigned)got;
	}
	return 0;
}

static int64_t uuid_last_ms = -1;
static uint16_t uuid_counter;

void uuid7_new(int64_t now_ms, char out[DD_UUID_LEN + 1])
{
	unsigned char rnd[10];
	if (dd_random(rnd, sizeof rnd) != 0)
		memset(rnd, 0, sizeof rnd); /* still unique: the counter and time carry it */

	int64_t ms = now_ms;
	if (ms <= uuid_last_ms) {
		ms = uuid_last_ms;
		if (++uuid_counter > 0x0fff) {
			ms++;
			uuid_counter = 0;
		}
	} else {
		/* Start the counter in its lower half so a burst still has room. */
		uuid_counter = (uint16_t)(((rnd[8] << 8) | rnd[9]) & 0x07ff);
	}
	uuid_last_ms = ms;

	unsigned char b[16];
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | ((uuid_counter >> 8) & 0x0f));
	b[7] = (unsigned char)(uuid_counter & 0xff);
	b[8] = (unsigned char)(0x80 | (rnd[0] & 0x3f));
	memcpy(b + 9, rnd + 1, 7);

	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 15];
	}
	*o = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool uuid_valid(const char *s, bool require_v7)
{
	if (!s || strlen(s) != DD_UUID_LEN)
		return false;
	for (int i = 0; i < DD_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : hexval(s[i]) < 0)
			return false;
	}
	if (require_v7 && s[14] != '7')
		return false;
	int variant = hexval(s[19]);
	return variant >= 8 && variant <= 11;
}

int64_t uuid7_ms(const char *s)
{
	int64_t ms = 0;
	for (int i = 0; i < 13; i++) {
		if (i == 8)
			continue;
		ms = (ms << 4) | hexval(s[i]);
	}
	return ms;
}

uint64_t hlc_tick(uint64_t last, int64_t now_ms)
{
	if (now_ms > hlc_physical(last))
		return hlc_make(now_ms, 0);
	if (hlc_logical(last) < HLC_LOGICAL_MAX)
		return last + 1;
	/* Logical overflow: move physical time forward rather than wrap. */
	return hlc_make(hlc_physical(last) + 1, 0);
}

uint64_t hlc_observe(uint64_t last, uint64_t remote, int64_t now_ms)
{
	uint64_t high = last > remote ? last : remote;
	return hlc_tick(high, now_ms);
}
