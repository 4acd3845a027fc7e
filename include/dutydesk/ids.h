/*
 * ids.h — UUIDv7 identifiers and the hybrid logical clock.
 *
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter
 * in rand_a that keeps ids made in the same millisecond by this process
 * strictly increasing (method 1 of the RFC), then 62 random bits; so ids
 * sort by creation time, and ids from different consoles never collide.
 *
 * HLC: a 64-bit value, physical milliseconds << 16 | logical counter.  It
 * never goes backwards on one console even when the wall clock does, and
 * after observing a remote value it is greater than that value, so
 * (hlc, origin, seq) orders every event across consoles consistently with
 * causality.  Comparing two HLCs is comparing two integers.
 */
#ifndef DUTYDESK_IDS_H
#define DUTYDESK_IDS_H

#include <stdbool.h>
#include <stdint.h>

#define DD_UUID_LEN 36

/* Writes a new lowercase canonical UUIDv7 (36 chars + NUL) for now_ms. */
void uuid7_new(int64_t now_ms, char out[DD_UUID_LEN + 1]);

/* Canonical lowercase 8-4-4-4-12 form with the RFC variant; version 7
 * when require_v7. */
bool uuid_valid(const char *s, bool require_v7);

/* The Unix milliseconds embedded in a UUIDv7. */
int64_t uuid7_ms(const char *s);

#define HLC_LOGICAL_BITS 16
#define HLC_LOGICAL_MAX ((1u << HLC_LOGICAL_BITS) - 1)

static inline int64_t hlc_physical(uint64_t h) { return (int64_t)(h >> HLC_LOGICAL_BITS); }
static inline uint32_t hlc_logical(uint64_t h) { return (uint32_t)(h & HLC_LOGICAL_MAX); }
static inline uint64_t hlc_make(int64_t ms, uint32_t logical)
{
	return ((uint64_t)ms << HLC_LOGICAL_BITS) | (logical & HLC_LOGICAL_MAX);
}

/* The clock value for a local event, given the last value this console
 * issued or saw and the wall clock. */
uint64_t hlc_tick(uint64_t last, int64_t now_ms);

/* The clock after receiving remote: greater than both last and remote. */
uint64_t hlc_observe(uint64_t last, uint64_t remote, int64_t now_ms);

/* Fills buf with n random bytes from the kernel; 0 or DD_EIO. */
int dd_random(void *buf, unsigned n);

#endif
