/*
 * tiers.c — loading data/tiers.conf (see tiers.h).
 *
 * Invariant: a loaded struct dd_tiers has all five tiers, each hop with a
 * positive deadline, hop ids unique within a tier, and every `after`
 * naming an earlier hop of the same tier — so deadline arithmetic never
 * meets a cycle or a dangling reference.
 */
#include <libconfig.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dutydesk/text.h"
#include "dutydesk/tiers.h"

static const struct {
	const char *id, *roman, *zh;
} names[DD_TIERS] = {
	{ "unassessed", "", "未定级" }, { "IV", "4", "一般" },     { "III", "3", "较大" },
	{ "II", "2", "重大" },          { "I", "1", "特别重大" },
};

const char *tier_id(enum dd_tier t)
{
	return (unsigned)t < DD_TIERS ? names[t].id : "?";
}

int tier_parse(const char *s)
{
	for (int t = 0; t < DD_TIERS; t++)
		if (strcasecmp(s, names[t].id) == 0 || strcmp(s, names[t].zh) == 0 ||
		    (names[t].roman[0] && strcmp(s, names[t].roman) == 0))
			return t;
	return -1;
}

int duration_parse_min(const char *s)
{
	long total = 0;
	const char *p = s;
	if (!*p)
		return -1;
	while (*p) {
		if (*p < '0' || *p > '9')
			return -1;
		long n = 0;
		while (*p >= '0' && *p <= '9') {
			n = n * 10 + (*p++ - '0');
			if (n > 1000000)
				return -1;
		}
		switch (*p++) {
		case 'm': total += n; break;
		case 'h': total += n * 60; break;
		case 'd': total += n * 1440; break;
		default: return -1;
		}
		if (total > 525600 * 2)
			return -1;
	}
	return total > 0 ? (int)total : -1;
}

struct loader {
	const char *path;
	struct dd_error *err;
};

static int bad(struct loader *l, const config_setting_t *s, const char *what, const char *why)
{
	/* The root setting has no line (libconfig says 0): name the file only. */
	int line = s ? (int)config_setting_source_line(s) : 0;
	if (!line)
		return dd_fail(l->err, DD_ECONFIG, "%s: %s: %s", l->path, what, why);
	return dd_fail(l->err, DD_ECONFIG, "%s:%d: %s: %s", l->path, line, what, why);
}

static int get_text(struct loader *l, const config_setting_t *group, const char *name, char *dst,
		    size_t cap, bool required, const char *where)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	char what[96];
	snprintf(what, sizeof what, "%s.%s", where, name);
	if (!s) {
		if (required)
			return bad(l, group, what, "missing");
		dst[0] = '\0';
		return 0;
	}
	const char *v = config_setting_get_string(s);
	if (!v)
		return bad(l, s, what, "must be a string in double quotes");
	if (strlen(v) >= cap || !text_is_valid_utf8(v, strlen(v)))
		return bad(l, s, what, "too long or not valid UTF-8");
	/* An empty name or recipient would only fail later, in every event
	 * that carries it. */
	if (required && !*v)
		return bad(l, s, what, "must not be empty");
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* A misspelt setting (cii_witin) would silently drop a rule, so every
 * member of group must be one of known. */
static int check_names(struct loader *l, const config_setting_t *group, const char *const *known, const char *where)
{
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		bool found = false;
		for (int k = 0; known[k] && !found; k++)
			found = strcmp(known[k], name) == 0;
		if (!found) {
			char what[160];
			snprintf(what, sizeof what, "%s%s%s", where ? where : "", where ? "." : "", name);
			return bad(l, s, what, "unknown setting");
		}
	}
	return 0;
}

static int get_duration(struct loader *l, const config_setting_t *group, const char *name, int *out,
			const char *where)
{
	char text[32], what[96];
	snprintf(what, sizeof what, "%s.%s", where, name);
	if (!config_setting_get_member(group, name))
		return 0;
	/* Present but empty is an error, not the default. */
	int rc = get_text(l, group, name, text, sizeof text, true, where);
	if (rc)
		return rc;
	int min = duration_parse_min(text);
	if (min <= 0)
		return bad(l, config_setting_get_member(group, name), what,
			   "must be a positive duration such as 30m, 4h or 1d");
	*out = min;
	return 0;
}

static bool hop_id_valid(const char *id)
{
	if (!*id)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

static int load_hops(struct loader *l, const config_setting_t *tier, struct dd_tier_rule *r, const char *where)
{
	const config_setting_t *hops = config_setting_get_member(tier, "hops");
	char what[96];
	snprintf(what, sizeof what, "%s.hops", where);
	if (!hops)
		return 0;
	if (!config_setting_is_list(hops) && !config_setting_is_array(hops))
		return bad(l, hops, what, "must be a list ( { … }, … )");
	if (config_setting_length(hops) > DD_HOPS_MAX)
		return bad(l, hops, what, "too many hops (at most 8)");
	for (int i = 0; i < config_setting_length(hops); i++) {
		const config_setting_t *h = config_setting_get_elem(hops, (unsigned)i);
		struct dd_hop_rule *hr = &r->hops[i];
		char hw[96];
		snprintf(hw, sizeof hw, "%s.hops[%d]", where, i);
		if (!config_setting_is_group(h))
			return bad(l, h, hw, "must be a group { id = …; to = …; within = …; }");
		static const char *const known[] = { "id", "to", "within", "cii_within", "after", NULL };
		int rc;
		if ((rc = check_names(l, h, known, hw)) || (rc = get_text(l, h, "id", hr->id, sizeof hr->id, true, hw)) ||
		    (rc = get_text(l, h, "to", hr->to, sizeof hr->to, true, hw)) ||
		    (rc = get_text(l, h, "after", hr->after, sizeof hr->after, false, hw)))
			return rc;
		if (!hop_id_valid(hr->id))
			return bad(l, config_setting_get_member(h, "id"), hw, "id must be lowercase letters, digits or -");
		hr->within_min = 0;
		if ((rc = get_duration(l, h, "within", &hr->within_min, hw)))
			return rc;
		if (!hr->within_min)
			return bad(l, h, hw, "within is missing");
		hr->cii_within_min = hr->within_min;
		if ((rc = get_duration(l, h, "cii_within", &hr->cii_within_min, hw)))
			return rc;
		bool after_found = !hr->after[0];
		for (int j = 0; j < i; j++) {
			if (strcmp(r->hops[j].id, hr->id) == 0)
				return bad(l, h, hw, "hop id used twice in this tier");
			if (strcmp(r->hops[j].id, hr->after) == 0)
				after_found = true;
		}
		if (!after_found)
			return bad(l, config_setting_get_member(h, "after"), hw, "after must name an earlier hop of this tier");
		r->n_hops = i + 1;
	}
	return 0;
}

static int load_tier(struct loader *l, const config_setting_t *g, struct dd_tiers *t, bool seen[DD_TIERS])
{
	char id[16];
	int rc = get_text(l, g, "id", id, sizeof id, true, "tier");
	if (rc)
		return rc;
	int tier = -1;
	for (int i = 0; i < DD_TIERS; i++)
		if (strcmp(id, names[i].id) == 0)
			tier = i;
	if (tier < 0)
		return bad(l, config_setting_get_member(g, "id"), "tier.id",
			   "unknown tier (the tiers are unassessed, IV, III, II, I)");
	if (seen[tier])
		return bad(l, g, id, "tier defined twice");
	seen[tier] = true;
	struct dd_tier_rule *r = &t->tier[tier];
	char where[32];
	snprintf(where, sizeof where, "tier %s", id);
	static const char *const known[] = { "id", "name_zh", "name_en", "colour", "lead", "notify", "hops", NULL };
	if ((rc = check_names(l, g, known, where)) ||
	    (rc = get_text(l, g, "name_zh", r->name_zh, sizeof r->name_zh, true, where)) ||
	    (rc = get_text(l, g, "name_en", r->name_en, sizeof r->name_en, true, where)) ||
	    (rc = get_text(l, g, "colour", r->colour, sizeof r->colour, true, where)) ||
	    (rc = get_text(l, g, "lead", r->lead, sizeof r->lead, true, where)))
		return rc;
	const config_setting_t *notify = config_setting_get_member(g, "notify");
	if (notify) {
		if (!config_setting_is_array(notify) && !config_setting_is_list(notify))
			return bad(l, notify, "notify", "must be a list of names [ \"…\", … ]");
		if (config_setting_length(notify) > DD_NOTIFY_MAX)
			return bad(l, notify, "notify", "at most 16 names");
		for (int i = 0; i < config_setting_length(notify); i++) {
			const char *v = config_setting_get_string_elem(notify, i);
			if (!v || strlen(v) >= sizeof r->notify[0] || !text_is_valid_utf8(v, strlen(v)))
				return bad(l, notify, "notify", "each name must be a string of at most 127 bytes");
			snprintf(r->notify[i], sizeof r->notify[i], "%s", v);
			r->n_notify = i + 1;
		}
	}
	return load_hops(l, g, r, where);
}

int tiers_load(const char *path, struct dd_tiers *t, struct dd_error *err)
{
	memset(t, 0, sizeof *t);
	struct loader l = { .path = path, .err = err };
	config_t cf;
	config_init(&cf);
	int rc = 0;
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		rc = config_error_type(&cf) == CONFIG_ERR_FILE_IO
			     ? dd_fail(err, DD_ECONFIG, "%s: cannot read the tier rules", path)
			     : dd_fail(err, DD_ECONFIG, "%s:%d: %s", path, config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	config_setting_t *root = config_root_setting(&cf);
	t->summary_within_min = 30 * 1440;
	static const char *const known[] = { "summary_within", "tiers", NULL };
	if ((rc = check_names(&l, root, known, NULL)) ||
	    (rc = get_duration(&l, root, "summary_within", &t->summary_within_min, "file")))
		goto out;
	config_setting_t *tiers = config_lookup(&cf, "tiers");
	if (!tiers || !config_setting_is_list(tiers)) {
		rc = bad(&l, tiers ? tiers : root, "tiers", "must be a list ( { id = …; … }, … )");
		goto out;
	}
	bool seen[DD_TIERS] = { false };
	for (int i = 0; i < config_setting_length(tiers) && rc == 0; i++) {
		config_setting_t *g = config_setting_get_elem(tiers, (unsigned)i);
		rc = config_setting_is_group(g) ? load_tier(&l, g, t, seen) : bad(&l, g, "tiers", "each tier is a group { … }");
	}
	for (int i = 0; i < DD_TIERS && rc == 0; i++) {
		char why[96];
		snprintf(why, sizeof why, "tier %s is missing (need unassessed, IV, III, II, I)", names[i].id);
		if (!seen[i])
			rc = bad(&l, tiers, "tiers", why);
	}
out:
	config_destroy(&cf);
	return rc;
}
