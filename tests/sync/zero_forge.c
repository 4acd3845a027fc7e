/*
 * zero_forge.c — stands in for many enterprise consoles at once: for
 * each org id read from standard input (one a line) it writes the one
 * event that console's `dutydesk zero submit --nil` would push, as a
 * ready POST /v1/events body in DIR/ORG.json.
 *
 *   zero_forge PERIOD SLOT AT DIR <orgs
 *
 * PERIOD is the period's id, SLOT the report time (RFC 3339, as the
 * period's zone writes it), AT when the report was made (RFC 3339).
 * Each org gets a fresh origin, so each file is seq 1 of its own chain,
 * sealed by core's codec exactly as a console seals it: the server and
 * the consoles that pull it validate it like any other.  Three hundred
 * (or ten thousand) real consoles would each need their own database,
 * configuration and process: this is the same events at a fraction of
 * the cost.
 *
 * Used by tests/sync/zero.sh and bench/zero.sh; exits 1 with a message
 * on the first problem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/event.h"
#include "dutydesk/ids.h"
#include "dutydesk/timefmt.h"

static int forge(const char *org, const char *period, const char *slot, const char *at, int64_t at_ms,
		 const char *dir)
{
	struct dd_event ev;
	event_init(&ev);
	uuid7_new(at_ms, ev.origin);
	uuid7_new(at_ms, ev.id);
	uuid7_new(at_ms, ev.subject);
	ev.seq = 1;
	ev.hlc = hlc_make(at_ms, 0);
	snprintf(ev.at, sizeof ev.at, "%s", at);
	snprintf(ev.actor, sizeof ev.actor, "值班员 %s", org);
	snprintf(ev.org, sizeof ev.org, "%s", org);
	snprintf(ev.kind, sizeof ev.kind, "zero.report");
	snprintf(ev.prev, sizeof ev.prev, "%s", DD_GENESIS_PREV);
	ev.body = json_pack("{s:i, s:s, s:s, s:s, s:b, s:s}", "v", 1, "period", period, "org", org, "slot", slot, "nil", 1,
			    "via", "console");
	struct dd_error err;
	char *json = NULL;
	size_t len;
	int rc = event_seal(&ev, &err) || event_validate(&ev, true, &err) || event_encode(&ev, &json, &len, &err);
	if (rc) {
		fprintf(stderr, "zero_forge: %s: %s\n", org, err.msg);
	} else {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.json", dir, org);
		FILE *f = fopen(path, "w");
		rc = !f || fprintf(f, "{\"events\":[%s]}\n", json) < 0;
		if (f && fclose(f))
			rc = 1;
		if (rc)
			fprintf(stderr, "zero_forge: cannot write %s\n", path);
	}
	free(json);
	event_free(&ev);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: zero_forge PERIOD SLOT AT DIR <orgs\n");
		return 2;
	}
	int64_t at_ms, slot_ms;
	if (time_parse_rfc3339(argv[2], &slot_ms, NULL) || time_parse_rfc3339(argv[3], &at_ms, NULL)) {
		fprintf(stderr, "zero_forge: SLOT and AT must be RFC 3339\n");
		return 2;
	}
	char line[256];
	int n = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		if (forge(line, argv[1], argv[2], argv[3], at_ms, argv[4]))
			return 1;
		n++;
	}
	printf("%d\n", n);
	return 0;
}
