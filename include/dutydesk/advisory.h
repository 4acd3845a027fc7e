/*
 * advisory.h — advisories (预警通报, seed art. 19–21): the commission, the
 * centre or a district office warns enterprises of a major vulnerability
 * or threat; each recipient acknowledges, then reports its
 * self-inspection.  Rules in core/advisory.c, projection and queries in
 * core/store_advisory.c.
 *
 * advisory.issue (subject: the advisory's new UUID) carries the whole
 * advisory; advisory.ack and advisory.report (subject: the advisory) one
 * recipient's answer.  Recipients are the enterprises and district
 * offices, not retired, in the subtree of one of the recipient ids
 * (a single enterprise id is a list of one), never the issuer itself.
 * A district office issues only inside its own district.
 *
 * An org acknowledges once (the earliest acknowledgement counts); it
 * reports only after acknowledging, and a later report supersedes an
 * earlier one (last-writer-wins, the history stays in the log).  An
 * advisory is overdue for a recipient that has not reported by the
 * deadline.
 */
#ifndef DUTYDESK_ADVISORY_H
#define DUTYDESK_ADVISORY_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/kinds.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"

#define DD_ADVISORY_TO_MAX DD_SHIFT_OFFICERS_MAX
#define DD_ADVISORY_TEXT_MAX 8000

/* "红色" … for an id; an id from an id or "红"/"红色". NULL when neither. */
const char *advisory_level_label(const char *level);
const char *advisory_level_parse(const char *s);

/* Whether cfg's org may issue advisories: cq, cq.center or a district office. */
bool advisory_may_issue(struct dd_store *st, const struct dd_config *cfg);

struct dd_advisory_in {
	const char *title;
	const char *level;
	const char *products;   /* affected products, CVE ids; may be NULL */
	const char *action;     /* required action */
	int64_t deadline_ms;
	const char *const *to;
	int n_to;
};

int advisory_issue(struct dd_store *st, const struct dd_config *cfg, const struct dd_advisory_in *in,
		   char id[DD_UUID_LEN + 1], struct dd_error *err);

/* org NULL: cfg->org.  Refused for a non-recipient, and a second time. */
int advisory_ack(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *org,
		 struct dd_error *err);

int advisory_report(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *org,
		    bool affected, const char *measures, int64_t done_ms, struct dd_error *err);

/* ---- reading ---------------------------------------------------------- */

struct dd_advisory {
	char id[DD_UUID_LEN + 1];
	char title[301];
	char level[8];
	char products[DD_ADVISORY_TEXT_MAX + 1];
	char action[DD_ADVISORY_TEXT_MAX + 1];
	int64_t issued_ms, deadline_ms;
	char issuer[DD_ORG_ID_MAX + 1];
	char by[129];
	int n_to;
	char to[DD_ADVISORY_TO_MAX][DD_ORG_ID_MAX + 1];
	/* progress at the time asked */
	int64_t recipients, acked, reported, overdue;
};

int store_advisory_get(struct dd_store *st, const char *id, int64_t now_ms, struct dd_advisory *out,
		       struct dd_error *err);
int store_advisory_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err);
/* Advisories newest first: those viewer ("" all) issued or receives. */
typedef int (*dd_advisory_cb)(const struct dd_advisory *a, void *ctx);
int store_advisory_scan(struct dd_store *st, const char *viewer, int64_t now_ms, dd_advisory_cb cb, void *ctx,
			struct dd_error *err);

struct dd_advisory_answer {
	char org[DD_ORG_ID_MAX + 1];
	char org_name[DD_NAME_MAX + 1];
	int64_t acked_ms;        /* 0: not acknowledged */
	int64_t reported_ms;     /* 0: not reported */
	bool affected;
	char measures[DD_ADVISORY_TEXT_MAX + 1];
	int64_t done_ms;
};

/* Every recipient in tree order with its answer. */
typedef int (*dd_answer_cb)(const struct dd_advisory_answer *a, void *ctx);
int store_advisory_answers(struct dd_store *st, const char *id, dd_answer_cb cb, void *ctx, struct dd_error *err);

/* org's answer (zeros when none yet); org_name is left "". */
int store_advisory_answer(struct dd_store *st, const char *id, const char *org, struct dd_advisory_answer *out,
			  struct dd_error *err);

/* Whether org is a recipient of the advisory. */
int store_advisory_recipient(struct dd_store *st, const char *id, const char *org, bool *yes, struct dd_error *err);

#endif
