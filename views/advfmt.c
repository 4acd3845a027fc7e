/*
 * advfmt.c — names, colours, order and filter of the advisories screen
 * (see advfmt.h).  Pure functions of their arguments and the language.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dutydesk/advfmt.h"
#include "dutydesk/i18n.h"

enum advfmt_own advfmt_own_state(bool recipient, const struct dd_advisory_answer *a)
{
	if (!recipient)
		return ADVFMT_NOT_RECIPIENT;
	return !a->acked_ms ? ADVFMT_TO_ACK : !a->reported_ms ? ADVFMT_TO_REPORT : ADVFMT_DONE;
}

const char *advfmt_own_label(enum advfmt_own s)
{
	switch (s) {
	case ADVFMT_TO_ACK: return _("to acknowledge");
	case ADVFMT_TO_REPORT: return _("to report");
	case ADVFMT_DONE: return _("done");
	case ADVFMT_NOT_RECIPIENT: break;
	}
	return "";
}

enum theme_role advfmt_level_role(const char *level)
{
	static const enum theme_role roles[] = { ROLE_LEVEL_RED, ROLE_LEVEL_ORANGE, ROLE_LEVEL_YELLOW,
						 ROLE_LEVEL_BLUE };
	for (int i = 0; dd_advisory_levels[i] && i < (int)(sizeof roles / sizeof roles[0]); i++)
		if (strcmp(dd_advisory_levels[i], level) == 0)
			return roles[i];
	return ROLE_NORMAL;
}

void advfmt_progress(int64_t acked, int64_t reported, int64_t overdue, int64_t recipients, char *buf, size_t n)
{
	snprintf(buf, n, _("acked %lld / reported %lld / overdue %lld of %lld"), (long long)acked, (long long)reported,
		 (long long)overdue, (long long)recipients);
}

void advfmt_row_from(struct advfmt_row *r, const struct dd_advisory *a, const char *issuer_name,
		     enum advfmt_own own, int seq)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", a->id);
	snprintf(r->title, sizeof r->title, "%s", a->title);
	snprintf(r->level, sizeof r->level, "%s", a->level);
	snprintf(r->issuer, sizeof r->issuer, "%s", a->issuer);
	snprintf(r->issuer_name, sizeof r->issuer_name, "%s", issuer_name ? issuer_name : "");
	r->issued_ms = a->issued_ms;
	r->deadline_ms = a->deadline_ms;
	r->recipients = a->recipients;
	r->acked = a->acked;
	r->reported = a->reported;
	r->overdue = a->overdue;
	r->own = own;
	r->seq = seq;
}

/* Owing nothing sorts with not being a recipient: both are news only. */
static int urgency(enum advfmt_own s)
{
	return s == ADVFMT_TO_ACK ? 0 : s == ADVFMT_TO_REPORT ? 1 : 2;
}

int advfmt_row_cmp(const void *a, const void *b)
{
	const struct advfmt_row *x = a, *y = b;
	int ux = urgency(x->own), uy = urgency(y->own);
	if (ux != uy)
		return ux < uy ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

bool advfmt_row_overdue(const struct advfmt_row *r, int64_t now_ms)
{
	if (now_ms <= r->deadline_ms)
		return false;
	if (r->own == ADVFMT_NOT_RECIPIENT)
		return r->overdue > 0;
	return r->own != ADVFMT_DONE;
}

bool advfmt_matches(const struct dd_advisory *a, const char *issuer_name, const char *text)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", text);
	const char *fields[] = { a->title, a->level, advisory_level_label(a->level), a->issuer,
				 issuer_name ? issuer_name : "", a->products, a->action };
	char *save = NULL;
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		bool found = false;
		for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !found; i++)
			found = strcasestr(fields[i], w) != NULL;
		if (!found)
			return false;
	}
	return true;
}

int advfmt_answer_rank(int64_t acked_ms, int64_t reported_ms)
{
	return !acked_ms ? 0 : !reported_ms ? 1 : 2;
}

const char *advfmt_answer_label(int64_t acked_ms, int64_t reported_ms, int64_t deadline_ms, int64_t now_ms,
				enum theme_role *role)
{
	if (reported_ms) {
		*role = ROLE_INFO;
		return _("answered");
	}
	if (now_ms > deadline_ms) {
		*role = ROLE_OVERDUE;
		return _("overdue");
	}
	*role = acked_ms ? ROLE_NORMAL : ROLE_DUE_SOON;
	return acked_ms ? _("acknowledged") : _("not acknowledged");
}
