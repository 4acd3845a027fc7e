/*
 * advfmt.h — how the advisories screen (预警通报) names, colours, orders
 * and filters advisories and their answers.
 *
 * No curses calls: a role is only an enum value here, so the rules of
 * the screen (what a recipient must answer first, which answers are
 * missing, what a filter admits) are unit-tested without a terminal.
 */
#ifndef DUTYDESK_ADVFMT_H
#define DUTYDESK_ADVFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dutydesk/advisory.h"
#include "dutydesk/theme.h"

/* What the console's own org still owes on an advisory, most urgent
 * first: the order a recipient's list is sorted in. */
enum advfmt_own {
	ADVFMT_TO_ACK,          /* a recipient that has not acknowledged */
	ADVFMT_TO_REPORT,       /* acknowledged, self-inspection not reported */
	ADVFMT_DONE,            /* reported */
	ADVFMT_NOT_RECIPIENT,   /* the desk only issued or watches it */
};

enum advfmt_own advfmt_own_state(bool recipient, const struct dd_advisory_answer *a);
/* "to acknowledge" (待签收), "to report" (待反馈), "done" (已反馈),
 * translated; "" for a non-recipient. */
const char *advfmt_own_label(enum advfmt_own s);

/* The role of a level (red…blue); ROLE_NORMAL for an unknown one. */
enum theme_role advfmt_level_role(const char *level);

/* "acked 3 / reported 1 / overdue 2 of 5", translated. */
void advfmt_progress(int64_t acked, int64_t reported, int64_t overdue, int64_t recipients, char *buf, size_t n);

/* What a list line shows of an advisory: a few hundred bytes, not the
 * 16 KB of a struct dd_advisory. */
struct advfmt_row {
	char id[DD_UUID_LEN + 1];
	char title[301];
	char level[8];
	char issuer[DD_ORG_ID_MAX + 1];
	char issuer_name[DD_NAME_MAX + 1];   /* "" when the org tree lacks it */
	int64_t issued_ms, deadline_ms;
	int64_t recipients, acked, reported, overdue;
	enum advfmt_own own;
	int seq;                             /* place in the scan: newest first */
};

void advfmt_row_from(struct advfmt_row *r, const struct dd_advisory *a, const char *issuer_name,
		     enum advfmt_own own, int seq);

/* List order: what the desk must still answer first (to acknowledge,
 * then to report), then everything else; newest first within each. */
int advfmt_row_cmp(const void *a, const void *b);

/* Whether the deadline is to be marked overdue at now: passed while the
 * desk's own report is missing, or (for an issuer) while any is. */
bool advfmt_row_overdue(const struct advfmt_row *r, int64_t now_ms);

/* Whether every word of text (split at spaces) occurs, ASCII letters
 * case-blind, in the title, level (id or 红/红色), issuer id or name,
 * products (CVE ids) or action.  "" admits everything. */
bool advfmt_matches(const struct dd_advisory *a, const char *issuer_name, const char *text);

/* An answer's place among the answers, from its acknowledgement and
 * report times (0: none): not acknowledged (0), not reported (1),
 * reported (2) — the missing ones first. */
int advfmt_answer_rank(int64_t acked_ms, int64_t reported_ms);

/* An answer's state, translated: reported, overdue (deadline passed
 * without a report), acknowledged, not acknowledged; and its role. */
const char *advfmt_answer_label(int64_t acked_ms, int64_t reported_ms, int64_t deadline_ms, int64_t now_ms,
				enum theme_role *role);

#endif
