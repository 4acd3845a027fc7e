/*
 * fuzz_event.c — libFuzzer target for the event codec (core/event.c),
 * which the console (import, pull) and the server (every batch) trust to
 * turn untrusted bytes into a validated event.  Beyond not crashing, an
 * event that decodes must encode back to bytes that decode to the same
 * event: the encoding is what the hash chain is computed over, so a
 * round trip that changed it would fork a chain on its own.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_event ev, again;
	struct dd_error err;
	if (event_decode((const char *)data, size, &ev, &err) != 0)
		return 0;
	char *one = NULL, *two = NULL;
	size_t n1 = 0, n2 = 0;
	if (event_encode(&ev, &one, &n1, &err) != 0) {
		fprintf(stderr, "a decoded event does not encode: %s\n", err.msg);
		abort();
	}
	if (event_decode(one, n1, &again, &err) != 0) {
		fprintf(stderr, "an encoded event does not decode: %s\n%s\n", err.msg, one);
		abort();
	}
	if (event_encode(&again, &two, &n2, &err) != 0 || n1 != n2 || memcmp(one, two, n1) != 0) {
		fprintf(stderr, "the round trip changed the encoding:\n%s\n%s\n", one, two ? two : "(none)");
		abort();
	}
	free(one);
	free(two);
	event_free(&again);
	event_free(&ev);
	return 0;
}
