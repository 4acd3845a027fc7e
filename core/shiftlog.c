/*
 * shiftlog.c — building log.entry events from what an officer typed.
 */
#include <stdlib.h>
#include <string.h>

#include "dutydesk/kinds.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"

bool shiftlog_kind_valid(const char *kind)
{
	for (const char *const *k = dd_log_kinds; *k; k++)
		if (strcmp(*k, kind) == 0)
			return true;
	return false;
}

const char *shiftlog_short_id(const char *id)
{
	size_t n = strlen(id);
	return n > 8 ? id + n - 8 : id;
}

int shiftlog_add(struct dd_store *st, const struct dd_config *cfg, const char *text, size_t len,
		 const char *kind, int64_t at_ms, const char *corrects, struct dd_event *out,
		 struct dd_error *err)
{
	if (!cfg->origin[0] || !cfg->officer[0] || !cfg->org[0])
		return dd_fail(err, DD_ECONFIG, "%s: origin, officer and org must be set; run `dutydesk init`",
			       cfg->path);
	if (!kind)
		kind = "note";
	if (!shiftlog_kind_valid(kind))
		return dd_fail(err, DD_EINVAL, "unknown entry kind \"%s\" (use note, call-in, call-out, action or handover)",
			       kind);
	size_t clean_len;
	char *clean = text_clean(text, len, &clean_len);
	if (!clean)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	if (clean_len == 0) {
		free(clean);
		return dd_fail(err, DD_EINVAL, "the entry text is empty");
	}
	if (clean_len > DD_LOG_TEXT_MAX) {
		free(clean);
		return dd_fail(err, DD_EINVAL, "the entry is %zu bytes; at most %d are allowed", clean_len,
			       DD_LOG_TEXT_MAX);
	}
	json_t *body = json_pack("{s:i, s:s, s:s%}", "v", 1, "kind", kind, "text", clean, clean_len);
	free(clean);
	if (body && corrects && corrects[0])
		json_object_set_new(body, "corrects", json_string(corrects));
	if (!body)
		return dd_fail(err, DD_ENOMEM, "out of memory");

	struct dd_new_event ne = {
		.origin = cfg->origin,
		.actor = cfg->officer,
		.org = cfg->org,
		.kind = "log.entry",
		.subject = "",
		.drill = 0,
		.body = body,
		.at_ms = at_ms,
		.tz = cfg->timezone,
	};
	int rc = store_append_local(st, &ne, out, err);
	json_decref(body);
	return rc;
}
