/*
 * incfmt.c — the words and colours of incidents on screen (see incfmt.h).
 *
 * The stored vocabularies (statuses, categories, channels) are English
 * ids from core/kinds.c; the labels here are their translations, kept in
 * the same order so an index of one is an index of the other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/roster.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

/* In the order of enum dd_incident_status. */
static const char *const status_labels[DD_STATUSES] = {
	N_("reported"), N_("assessing"), N_("responding"), N_("recovering"), N_("closed"), N_("reviewed"),
};

const char *incfmt_status(int status)
{
	return status >= 0 && status < DD_STATUSES ? _(status_labels[status]) : "?";
}

int incfmt_status_parse(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end != s && !*end)
		return n >= 1 && n <= DD_STATUSES ? (int)n - 1 : -1;
	for (int i = 0; i < DD_STATUSES; i++)
		if (strcmp(s, incident_status_id(i)) == 0 || strcmp(s, _(status_labels[i])) == 0)
			return i;
	return -1;
}

int incfmt_status_cols(void)
{
	int w = 0;
	for (int i = 0; i < DD_STATUSES; i++)
		if (text_width(incfmt_status(i)) > w)
			w = text_width(incfmt_status(i));
	return w;
}

const char *incfmt_category(const char *category)
{
	static const struct {
		const char *id, *label;
	} labels[] = {
		{ "vulnerability", N_("vulnerability") }, { "intrusion", N_("intrusion") },
		{ "malware", N_("malware") },             { "outage", N_("outage") },
		{ "data-leak", N_("data leak") },         { "other", N_("other") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(category, labels[i].id) == 0)
			return _(labels[i].label);
	return category;
}

const char *incfmt_via(const char *via)
{
	if (strcmp(via, "phone") == 0)
		return _("phone");
	if (strcmp(via, "platform") == 0)
		return _("platform");
	if (strcmp(via, "document") == 0)
		return _("document");
	return via;
}

enum theme_role incfmt_tier_role(const struct dd_tiers *t, int tier)
{
	static const enum theme_role builtin[DD_TIERS] = {
		ROLE_TIER_UNASSESSED, ROLE_TIER_GENERAL, ROLE_TIER_LARGER, ROLE_TIER_MAJOR, ROLE_TIER_CRITICAL,
	};
	if (tier < 0 || tier >= DD_TIERS)
		return ROLE_NORMAL;
	enum theme_role r = theme_role_by_name(t->tier[tier].colour);
	return r == ROLE_COUNT ? builtin[tier] : r;
}

void incfmt_badge(const struct dd_tiers *t, int tier, bool unconfirmed, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", tier >= 0 && tier < DD_TIERS ? t->tier[tier].name_zh : "?", unconfirmed ? "?" : "");
}

void incfmt_tier_name(const struct dd_tiers *t, int tier, char *buf, size_t n)
{
	if (tier < 0 || tier >= DD_TIERS) {
		snprintf(buf, n, "%s", "?");
		return;
	}
	const struct dd_tier_rule *r = &t->tier[tier];
	/* TRANSLATORS: never shown.  "tier-names:zh" names tiers by their
	 * Chinese name and grade (特别重大（I级）); "tier-names:en" by the
	 * Chinese name and the English one tiers.conf gives them. */
	bool zh = strcmp(_("tier-names:en"), "tier-names:zh") == 0;
	if (!zh && r->name_en[0])
		snprintf(buf, n, "%s %s", r->name_zh, r->name_en);
	else if (tier == DD_TIER_UNASSESSED)
		snprintf(buf, n, "%s", r->name_zh);
	else
		snprintf(buf, n, _("%s (grade %s)"), r->name_zh, tier_id(tier));
}

static const char *hop_in(const struct dd_tier_rule *r, const char *id)
{
	for (int i = 0; i < r->n_hops; i++)
		if (strcmp(r->hops[i].id, id) == 0)
			return r->hops[i].to;
	return NULL;
}

const char *incfmt_hop(const struct dd_tiers *t, int tier, const char *id)
{
	const char *to = tier >= 0 && tier < DD_TIERS ? hop_in(&t->tier[tier], id) : NULL;
	/* From the highest tier down: a hop id means the same receiver in
	 * every chain of data/tiers.conf, and the higher chains are longer. */
	for (int i = DD_TIERS - 1; i >= 0 && !to; i--)
		to = hop_in(&t->tier[i], id);
	if (to)
		return to;
	return strcmp(id, "summary") == 0 ? _("summary report") : id;
}

const char *incfmt_org(struct dd_store *st, const char *id, char *buf, size_t n)
{
	struct dd_org org;
	struct dd_error err;
	char up[DD_ORG_MAX + 1];
	snprintf(up, sizeof up, "%s", id);
	/* An org the tree lacks is named by its nearest ancestor there and
	 * the rest of its id: "涪陵区 chem-03" says more than the id.  Not
	 * by a root (cq, the commission): the org is not the commission's. */
	for (char *dot;; *dot = '\0') {
		bool own = strcmp(up, id) == 0;
		if (up[0] && (own || strchr(up, '.')) && store_org_get(st, up, &org, &err) == 0 && org.name[0]) {
			if (own)
				snprintf(buf, n, "%s", org.name);
			else
				snprintf(buf, n, "%s %s", org.name, id + strlen(up) + 1);
			return buf;
		}
		if (!(dot = strrchr(up, '.')))
			break;
	}
	snprintf(buf, n, "%s", id);
	return buf;
}

enum theme_role incfmt_countdown(int64_t due, int64_t now, char *buf, size_t n)
{
	char span[32];
	if (!due) {
		if (n)
			buf[0] = '\0';
		return ROLE_NORMAL;
	}
	time_format_span(due - now, span, sizeof span);
	if (due <= now) {
		snprintf(buf, n, _("OVERDUE %s"), span);
		return ROLE_OVERDUE;
	}
	snprintf(buf, n, _("in %s"), span);
	return due - now <= INCFMT_SOON_MS ? ROLE_DUE_SOON : ROLE_NORMAL;
}
