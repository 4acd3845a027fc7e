/*
 * advisory.c — the rules of advisories (advisory.h): who may issue, to
 * whom, and the order of a recipient's answers (acknowledge, then
 * report).  Everything is checked before the event is written.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/advisory.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"

static const char *const level_labels[] = { "红色", "橙色", "黄色", "蓝色", NULL };
static const char *const level_short[] = { "红", "橙", "黄", "蓝", NULL };

const char *advisory_level_label(const char *level)
{
	for (int i = 0; dd_advisory_levels[i]; i++)
		if (strcmp(dd_advisory_levels[i], level) == 0)
			return level_labels[i];
	return level;
}

const char *advisory_level_parse(const char *s)
{
	for (int i = 0; dd_advisory_levels[i]; i++)
		if (strcmp(dd_advisory_levels[i], s) == 0 || strcmp(level_labels[i], s) == 0 ||
		    strcmp(level_short[i], s) == 0)
			return dd_advisory_levels[i];
	return NULL;
}

/* The subtree cfg may issue to: everything for the commission and the
 * centre, its district for a district office, NULL for anyone else. */
static const char *issuer_scope(struct dd_store *st, const struct dd_config *cfg)
{
	if (zero_may_set_period(cfg))
		return "";
	struct dd_org o;
	struct dd_error e;
	if (store_org_get(st, cfg->org, &o, &e) == 0 && roster_org_kind_district(o.kind))
		return cfg->org;
	return NULL;
}

bool advisory_may_issue(struct dd_store *st, const struct dd_config *cfg)
{
	return issuer_scope(st, cfg) != NULL;
}

static int append(struct dd_store *st, const struct dd_config *cfg, const char *kind, const char *subject,
		  json_t *body, struct dd_error *err)
{
	if (!cfg->origin[0] || !cfg->officer[0]) {
		json_decref(body);
		return dd_fail(err, DD_ECONFIG, "%s: origin and officer must be set; run `dutydesk init`", cfg->path);
	}
	struct dd_new_event ne = {
		.origin = cfg->origin, .actor = cfg->officer, .org = cfg->org, .kind = kind, .subject = subject,
		.drill = 0, .body = body, .at_ms = 0, .tz = cfg->timezone,
	};
	int rc = store_append_local(st, &ne, NULL, err);
	json_decref(body);
	return rc;
}

static int put_time(json_t *body, const char *name, int64_t ms, const char *tz, struct dd_error *err)
{
	char at[DD_AT_MAX];
	if (time_format_rfc3339(ms, tz && *tz ? tz : DD_DEFAULT_TZ, at, sizeof at) < 0)
		return dd_fail(err, DD_ERANGE, "%s: the time is out of range", name);
	json_object_set_new(body, name, json_string(at));
	return 0;
}

int advisory_issue(struct dd_store *st, const struct dd_config *cfg, const struct dd_advisory_in *in,
		   char id[DD_UUID_LEN + 1], struct dd_error *err)
{
	const char *scope = issuer_scope(st, cfg);
	if (!scope)
		return dd_fail(err, DD_EINVAL, "only the commission, the centre or a district office issues "
			       "advisories; this console is %s", cfg->org);
	char title[301], products[DD_ADVISORY_TEXT_MAX + 1], action[DD_ADVISORY_TEXT_MAX + 1];
	int rc;
	if ((rc = text_clean_into("title", in->title, title, sizeof title, true, err)) ||
	    (rc = text_clean_into("products", in->products, products, sizeof products, false, err)) ||
	    (rc = text_clean_into("action", in->action, action, sizeof action, true, err)))
		return rc;
	const char *level = in->level ? advisory_level_parse(in->level) : NULL;
	if (!level)
		return dd_fail(err, DD_EINVAL, "level '%s': use red, orange, yellow or blue (红/橙/黄/蓝)",
			       in->level ? in->level : "");
	int64_t now = time_now_ms();
	if (in->deadline_ms <= now)
		return dd_fail(err, DD_EINVAL, "deadline: must be in the future");
	if (in->n_to < 1 || in->n_to > DD_ADVISORY_TO_MAX)
		return dd_fail(err, DD_EINVAL, "recipients: give 1 to %d org ids", DD_ADVISORY_TO_MAX);
	json_t *to = json_array();
	for (int i = 0; i < in->n_to; i++) {
		struct dd_org o;
		if (store_org_get(st, in->to[i], &o, err)) {
			json_decref(to);
			return dd_fail(err, DD_EINVAL, "recipients: no org %s", in->to[i]);
		}
		if (!zero_in_subtree(o.id, scope)) {
			json_decref(to);
			return dd_fail(err, DD_EINVAL, "recipients: %s is outside %s", o.id, scope);
		}
		for (size_t j = 0; j < json_array_size(to); j++)
			if (strcmp(json_string_value(json_array_get(to, j)), o.id) == 0) {
				json_decref(to);
				return dd_fail(err, DD_EINVAL, "recipients: %s twice", o.id);
			}
		json_array_append_new(to, json_string(o.id));
	}
	json_t *body = json_pack("{s:i, s:s, s:s, s:s, s:o}", "v", 1, "title", title, "level", level, "action", action,
				 "to", to);
	if (products[0])
		json_object_set_new(body, "products", json_string(products));
	if ((rc = put_time(body, "deadline", in->deadline_ms, cfg->timezone, err))) {
		json_decref(body);
		return rc;
	}
	char aid[DD_UUID_LEN + 1];
	uuid7_new(now, aid);
	if ((rc = append(st, cfg, "advisory.issue", aid, body, err)))
		return rc;
	snprintf(id, DD_UUID_LEN + 1, "%s", aid);
	return 0;
}

/* The answer of org so far, after checking this console may answer for
 * org and that org is a recipient. */
static int answer_of(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *org,
		     struct dd_advisory_answer *out, struct dd_error *err)
{
	if (!zero_in_subtree(org, zero_viewer_scope(cfg)))
		return dd_fail(err, DD_EINVAL, "%s is outside this console's scope (%s)", org, cfg->org);
	bool yes;
	int rc = store_advisory_recipient(st, id, org, &yes, err);
	if (rc)
		return rc;
	if (!yes)
		return dd_fail(err, DD_EINVAL, "%s is not a recipient of advisory %s", org, id + 28);
	return store_advisory_answer(st, id, org, out, err);
}

int advisory_ack(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *org,
		 struct dd_error *err)
{
	const char *who = org && *org ? org : cfg->org;
	struct dd_advisory_answer a;
	int rc = answer_of(st, cfg, id, who, &a, err);
	if (rc)
		return rc;
	if (a.acked_ms)
		return dd_fail(err, DD_EINVAL, "%s has already acknowledged advisory %s", who, id + 28);
	return append(st, cfg, "advisory.ack", id, json_pack("{s:i, s:s}", "v", 1, "org", who), err);
}

int advisory_report(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *org,
		    bool affected, const char *measures, int64_t done_ms, struct dd_error *err)
{
	const char *who = org && *org ? org : cfg->org;
	struct dd_advisory_answer a;
	int rc = answer_of(st, cfg, id, who, &a, err);
	if (rc)
		return rc;
	if (!a.acked_ms)
		return dd_fail(err, DD_EINVAL, "%s must acknowledge advisory %s before reporting", who, id + 28);
	char clean[DD_ADVISORY_TEXT_MAX + 1];
	if ((rc = text_clean_into("measures", measures, clean, sizeof clean, true, err)))
		return rc;
	int64_t done = done_ms ? done_ms : time_now_ms();
	if (done > time_now_ms() + 60000)
		return dd_fail(err, DD_EINVAL, "done-at: must not be in the future");
	json_t *body = json_pack("{s:i, s:s, s:b, s:s}", "v", 1, "org", who, "affected", affected, "measures", clean);
	if ((rc = put_time(body, "done_at", done, cfg->timezone, err))) {
		json_decref(body);
		return rc;
	}
	return append(st, cfg, "advisory.report", id, body, err);
}
