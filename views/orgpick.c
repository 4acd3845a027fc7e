/*
 * orgpick.c — an org named the way an officer types it (orgpick.h).
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/i18n.h"
#include "dutydesk/orgpick.h"

#define SCAN_MAX 200   /* enough to say "many"; the count shown stops here */

struct pick {
	const char *text;
	bool districts_only;
	int exact;
	struct orgpick *out;
};

static int one_match(const struct dd_org *o, void *ctx)
{
	struct pick *k = ctx;
	if (k->districts_only && o->depth != 1)
		return 0;
	struct orgpick *out = k->out;
	bool keep = ++out->matches == 1;
	if (strcmp(o->name, k->text) == 0)
		keep = k->exact++ == 0;
	else if (k->exact)
		keep = false;
	if (keep)
		snprintf(out->id, sizeof out->id, "%s", o->id);
	char one[sizeof o->name + sizeof o->id + 8];
	size_t used = strlen(out->names);
	snprintf(one, sizeof one, "%s%s %s", used ? _(", ") : "", o->name, o->id);
	if (out->matches <= 3 && used + strlen(one) < sizeof out->names)
		memcpy(out->names + used, one, strlen(one) + 1);
	return 0;
}

int orgpick(struct dd_store *st, const char *text, bool districts_only, struct orgpick *out, struct dd_error *err)
{
	memset(out, 0, sizeof *out);
	struct dd_org o;
	if (store_org_get(st, text, &o, err) == 0 && (!districts_only || o.depth == 1)) {
		out->matches = 1;
		snprintf(out->id, sizeof out->id, "%s", o.id);
		return 0;
	}
	struct dd_org_filter f;
	roster_org_filter_init(&f);
	f.text = text;
	struct pick k = { text, districts_only, 0, out };
	int rc = store_org_scan(st, &f, NULL, false, SCAN_MAX, one_match, &k, err);
	if (rc == 0 && k.exact == 1)
		out->matches = 1;   /* the whole name, whatever else contains it */
	return rc;
}
