/*
 * handover.h — the shift handover (交接班, seed art. 16): the outgoing
 * officer submits a generated summary of the shift with their notes, the
 * incoming officer accepts it, and from then on the incoming officer is
 * the one on duty.  Rules in core/handover.c, projection and queries in
 * core/store_handover.c.
 *
 * Events.  handover.submit (subject: the handover's UUID; its org is the
 * desk's) carries the shift handed over (its schedule id when the duty
 * schedule has one, and its time span), the outgoing officer, the notes
 * and the summary as it was when submitted (a snapshot: what the
 * outgoing officer signed off, whatever happens later).
 * handover.accept (subject: the handover; counted only from the same
 * org) carries the incoming officer and, optionally, their objections.
 *
 * Which shift.  The shift holding an instant is the desk org's shift in
 * the duty schedule (store_duty_at), else the standard one from
 * shift_start (duty_shift_bounds).  A draft is for the shift holding now,
 * or for the next one when the shift holding now was already handed over
 * and accepted (a handover accepted before the shift ended).
 *
 * Rules.
 *  - Notes are required: a handover without a word from the outgoing
 *    officer is refused (empty or white space only).
 *  - While a handover of the org awaits acceptance no other may be
 *    submitted; its own outgoing officer may submit again (new notes, a
 *    fresh summary), which supersedes it: the latest submission counts
 *    and every one stays in the log.
 *  - The incoming officer cannot be the outgoing one.
 *  - A handover is accepted once: a second acceptance is refused (and,
 *    arriving from another console, the earliest acceptance counts).
 *  - Objections do not stop the acceptance: the incoming officer takes
 *    the duty and their objections are on record with the acceptance —
 *    the handover is "accepted with objections".  The duty cannot be left
 *    without an officer while a disagreement is settled.
 *  - A submitted handover is overdue when it is not accepted by
 *    max(submitted, end of its shift) + handover_accept_min (config,
 *    default 30 minutes): the console of the org warns both officers, in
 *    the top bar and once with a desktop alert.
 *  - After acceptance the incoming officer is on duty from the moment of
 *    acceptance until the end of the shift after the one handed over;
 *    the top bar shows them instead of the schedule's officers.
 *
 * Summary.  Open incidents (not drills, not duplicates) with tier, status
 * and next deadline; reporting-chain hops not made that are overdue or
 * due before the end of the next shift; the orgs missing their zero
 * report for the last report time of each active protection period that
 * has passed its grace; advisories in the desk's sight whose recipients
 * have not all reported their self-inspection; and calls not reached: a
 * call out (`dutydesk call`, the roster's `c`) during the shift whose
 * result was no-answer, busy or wrong-number, unless a later call to the
 * same org in the shift reached someone.  A free-text shift-log entry of
 * kind call-out records no result, so it is never counted as not
 * reached.  Each list holds at most DD_HANDOVER_LIST_MAX items, most
 * urgent first; its total is counted whole.
 */
#ifndef DUTYDESK_HANDOVER_H
#define DUTYDESK_HANDOVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"
#include "dutydesk/tiers.h"

#define DD_HANDOVER_NOTES_MAX 8000
#define DD_HANDOVER_LIST_MAX 40

struct dd_ho_incident {
	char id[DD_UUID_LEN + 1];
	char title[301];
	int tier;
	bool unconfirmed;                    /* the tier is proposed, not confirmed */
	int status;
	int64_t next_due_ms;                 /* 0 none */
	char next_due_what[DD_HOP_ID_MAX + 1];
};

struct dd_ho_hop {
	char incident[DD_UUID_LEN + 1];
	char title[301];
	char hop[DD_HOP_ID_MAX + 1];
	char to[201];
	int64_t due_ms;
};

struct dd_ho_org {
	char org[DD_ORG_ID_MAX + 1];
	char name[DD_NAME_MAX + 1];
};

struct dd_ho_advisory {
	char id[DD_UUID_LEN + 1];
	char title[301];
	char level[8];
	int64_t deadline_ms;
	int64_t recipients, reported;
};

struct dd_ho_call {
	char id[DD_UUID_LEN + 1];
	int64_t at_ms;
	char callee[DD_ORG_ID_MAX + 1];
	char callee_name[DD_NAME_MAX + 1];
	char liaison[DD_PERSON_MAX + 1];     /* "" when the call named nobody */
	char result[16];
	char officer[DD_PERSON_MAX + 1];
};

struct dd_handover_summary {
	int64_t at_ms;                       /* when it was generated */
	int64_t shift_start_ms, shift_end_ms, next_end_ms;
	int n_incidents;
	int64_t incidents_total;
	struct dd_ho_incident incidents[DD_HANDOVER_LIST_MAX];
	int n_hops;
	int64_t hops_total;
	struct dd_ho_hop hops[DD_HANDOVER_LIST_MAX];
	/* zero reports: the period and report time looked at ("" none) */
	char period[DD_UUID_LEN + 1];
	char period_name[DD_NAME_MAX + 1];
	int64_t slot_ms;
	int n_missing;
	int64_t missing_total;
	struct dd_ho_org missing[DD_HANDOVER_LIST_MAX];
	int n_advisories;
	int64_t advisories_total;
	struct dd_ho_advisory advisories[DD_HANDOVER_LIST_MAX];
	int n_calls;
	int64_t calls_total;
	struct dd_ho_call calls[DD_HANDOVER_LIST_MAX];
};

struct dd_handover {
	char id[DD_UUID_LEN + 1];
	char org[DD_ORG_ID_MAX + 1];
	char shift[DD_UUID_LEN + 1];         /* the schedule's shift id, or "" */
	int64_t shift_start_ms, shift_end_ms;
	char outgoing[DD_PERSON_MAX + 1];
	char notes[DD_HANDOVER_NOTES_MAX + 1];
	int64_t submitted_ms;
	int n_submits;                       /* > 1: submitted again */
	char incoming[DD_PERSON_MAX + 1];    /* "" until accepted */
	int64_t accepted_ms;                 /* 0 until accepted */
	char objection[DD_HANDOVER_NOTES_MAX + 1];
	struct dd_handover_summary summary;  /* the snapshot */
};

enum dd_handover_state {
	DD_HO_DRAFT,          /* nothing submitted for the shift yet */
	DD_HO_SUBMITTED,      /* awaiting acceptance, in time */
	DD_HO_OVERDUE,        /* awaiting acceptance, late */
	DD_HO_ACCEPTED,
	DD_HO_OBJECTED,       /* accepted with objections */
};

/* When h must be accepted by; whether it is overdue at now. */
int64_t handover_due_ms(const struct dd_config *cfg, const struct dd_handover *h);
enum dd_handover_state handover_state(const struct dd_config *cfg, const struct dd_handover *h, int64_t now_ms);
const char *handover_state_name(enum dd_handover_state s);   /* "draft", "submitted", … */

/* The shift of cfg's org holding at_ms (see above); shift_id "" when it
 * is the standard shift, not one of the schedule. */
int handover_shift_at(struct dd_store *st, const struct dd_config *cfg, int64_t at_ms, int64_t *start_ms,
		      int64_t *end_ms, char shift_id[DD_UUID_LEN + 1], struct dd_error *err);

/* Generates the summary of the shift [start_ms, end_ms) as seen at
 * now_ms from cfg's desk. */
int handover_summary_build(struct dd_store *st, const struct dd_config *cfg, int64_t now_ms, int64_t start_ms,
			   int64_t end_ms, struct dd_handover_summary *out, struct dd_error *err);

/* The snapshot as stored in handover.submit, and back.  Reading is
 * lenient: a field it does not find is left zero. */
json_t *handover_summary_to_json(const struct dd_handover_summary *s, const char *tz);
void handover_summary_from_json(const json_t *j, struct dd_handover_summary *out);

/* What the handover screen and `handover show` present: the handover
 * awaiting acceptance, if any (pending); else the draft for the shift
 * to hand over next, with the last accepted handover for reference. */
struct dd_handover_view {
	bool has_pending;
	struct dd_handover pending;
	bool has_last;                       /* the latest accepted handover */
	struct dd_handover last;
	/* the draft's shift, when there is nothing pending */
	char shift[DD_UUID_LEN + 1];
	int64_t shift_start_ms, shift_end_ms;
	enum dd_handover_state state;        /* of pending, or DD_HO_DRAFT */
};

/* Fills *out (large: allocate it) at now_ms. */
int handover_view_at(struct dd_store *st, const struct dd_config *cfg, int64_t now_ms, struct dd_handover_view *out,
		     struct dd_error *err);

/* The outgoing officer's notes while not yet submitted: a file beside the
 * database (DATABASE.handover-draft, mode 0600, replaced atomically), so
 * a console that quits or crashes mid-shift loses nothing.  It is local
 * to the desk, never an event: only the submitted notes are on record. */
int handover_draft_save(const struct dd_config *cfg, const char *text, struct dd_error *err);
/* The draft (free it), or NULL when there is none. */
char *handover_draft_load(const struct dd_config *cfg);
void handover_draft_clear(const struct dd_config *cfg);

/* Submits notes for the shift to hand over with a fresh summary; id
 * receives the handover's id.  DD_EINVAL for a refusal. */
int handover_submit(struct dd_store *st, const struct dd_config *cfg, const char *notes, int64_t now_ms,
		    char id[DD_UUID_LEN + 1], struct dd_error *err);

/* Accepts the handover awaiting acceptance as incoming (NULL: cfg's
 * officer), with objection (NULL or "" for none).  DD_EINVAL for a
 * refusal: nothing pending, accepted already, one's own handover. */
int handover_accept(struct dd_store *st, const struct dd_config *cfg, const char *incoming, const char *objection,
		    int64_t now_ms, char id[DD_UUID_LEN + 1], struct dd_error *err);

/* Who took the duty by an accepted handover and holds it at now_ms;
 * officer "" when no accepted handover decides it (the schedule does). */
int handover_on_duty(struct dd_store *st, const struct dd_config *cfg, int64_t now_ms,
		     char officer[DD_PERSON_MAX + 1], struct dd_error *err);

/* ---- reading (core/store_handover.c) ---------------------------------- */

/* *out is large: allocate it.  DD_ENOTFOUND when there is none. */
int store_handover_get(struct dd_store *st, const char *id, struct dd_handover *out, struct dd_error *err);
/* The org's newest handover awaiting acceptance (pending) or accepted. */
int store_handover_latest(struct dd_store *st, const char *org, bool accepted, struct dd_handover *out,
			  struct dd_error *err);

/* Calls out of desk (an org id) not reached in [since_ms, until_ms) (see
 * above), oldest first; *total counts them all, up to max into out. */
int store_handover_missed_calls(struct dd_store *st, const char *desk, int64_t since_ms, int64_t until_ms,
				struct dd_ho_call *out, int max, int *n, int64_t *total, struct dd_error *err);

/* Hops not made of open real incidents due before before_ms, the
 * earliest first; *total counts them all, up to max into out. */
int store_handover_hops_due(struct dd_store *st, int64_t before_ms, struct dd_ho_hop *out, int max, int *n,
			    int64_t *total, struct dd_error *err);

#endif
