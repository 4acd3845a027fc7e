/*
 * incident.h — incidents (工业信息安全事件): the rules for changing them
 * (core/incident.c) and the projections the screens read
 * (core/store_incident.c).
 *
 * An incident's id is a UUIDv7 chosen when it is opened; every event
 * about it carries that id as its subject.  Nothing is ever edited:
 * statuses, tiers and the duplicate link resolve last-writer-wins by
 * (hlc, origin, seq); a hop recorded twice keeps the first; notes and
 * reports only accumulate; a correction is a note that points at the
 * entry it corrects.  Deadlines come from the reporting chain recorded
 * in the tier event (as tiers.conf said then), so replaying the log gives
 * the same deadlines whatever tiers.conf says today.
 */
#ifndef DUTYDESK_INCIDENT_H
#define DUTYDESK_INCIDENT_H

#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/store.h"
#include "dutydesk/tiers.h"

enum dd_incident_status { DD_ST_REPORTED, DD_ST_ASSESSING, DD_ST_RESPONDING, DD_ST_RECOVERING, DD_ST_CLOSED,
		 DD_ST_REVIEWED, DD_STATUSES };

int incident_status_parse(const char *s);   /* -1 when unknown */
const char *incident_status_id(int status);
bool incident_status_open(int status);      /* before closed */

/* Whether status from may move to to: one step forward; from any open
 * status to closed (a false alarm is closed, not deleted); closed back to
 * responding (it flared up again). reviewed is final. */
bool incident_transition_valid(int from, int to);

struct dd_incident {
	char id[DD_UUID_LEN + 1];
	char title[301];
	char category[17];
	char description[8001];
	char reporting_org[129];
	char district[129];        /* cq.<district> of the reporting org, or "" */
	char objects[1001];
	char reporter[201];
	bool cii;
	int64_t occurred_ms;       /* 0 when unknown */
	int64_t detected_ms;
	int64_t opened_ms;
	char opened_by[129];
	int status;
	int proposed_tier;         /* -1 none */
	int confirmed_tier;        /* -1 none */
	int tier;                  /* confirmed, else proposed, else unassessed */
	char duplicate_of[DD_UUID_LEN + 1];
	int64_t handling_end_ms;   /* when closed, else 0 */
	int64_t summary_due_ms;    /* 0 until closed */
	bool has_summary;
	int64_t next_due_ms;       /* earliest open deadline, 0 none */
	char next_due_what[DD_HOP_ID_MAX + 1];   /* hop id, or "summary" */
	int n_reports;
	int drill;
};

struct dd_hop_state {
	char hop[DD_HOP_ID_MAX + 1];
	char to[201];
	int64_t due_ms;
	int64_t done_ms;           /* 0 while not made */
	char done_to[201];
	char via[17];
	char by[129];
};

/* ---- changing incidents (incident.c) ------------------------------ */

struct dd_incident_new {
	const char *title;
	const char *category;      /* one of dd_incident_categories */
	const char *description;   /* may be NULL */
	const char *reporting_org; /* NULL: the desk's own org */
	const char *objects;       /* may be NULL */
	const char *reporter;      /* may be NULL */
	bool cii;
	int64_t occurred_ms;       /* 0 unknown */
	int64_t detected_ms;       /* 0 now */
};

int incident_open(struct dd_store *st, const struct dd_config *cfg, const struct dd_tiers *tiers,
		  const struct dd_incident_new *in, char id[DD_UUID_LEN + 1], struct dd_error *err);
int incident_set_status(struct dd_store *st, const struct dd_config *cfg, const struct dd_tiers *tiers,
			const char *id, int to, const char *note, struct dd_error *err);
/* confirm needs the leader role (cfg->role). */
int incident_set_tier(struct dd_store *st, const struct dd_config *cfg, const struct dd_tiers *tiers,
		      const char *id, bool confirm, int tier, const char *reason, struct dd_error *err);
int incident_record_hop(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *hop,
			const char *to, const char *via, int64_t made_ms, const char *note, struct dd_error *err);
/* corrects: an event id of this incident, or NULL. */
int incident_note(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *text,
		  const char *corrects, struct dd_error *err);

struct dd_incident_report {
	const char *occurred, *scope, *harm, *measures, *recommendations, *support;
};
int incident_report(struct dd_store *st, const struct dd_config *cfg, const char *id,
		    const struct dd_incident_report *r, struct dd_error *err);
int incident_mark_duplicate(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *of,
			    struct dd_error *err);

struct dd_incident_summary {
	const char *cause, *response, *harm, *accountability, *rectification, *lessons;
};
int incident_summary(struct dd_store *st, const struct dd_config *cfg, const char *id,
		     const struct dd_incident_summary *s, struct dd_error *err);

/* ---- reading (store_incident.c) ----------------------------------- */

int store_incident_get(struct dd_store *st, const char *id, struct dd_incident *out, struct dd_error *err);
int store_incident_hops(struct dd_store *st, const char *id, struct dd_hop_state *hops, int *n,
			struct dd_error *err);

/* An incident named by full id, or a prefix or suffix of its hex digits,
 * or a prefix of its short id (the last 8 digits), at least 4 digits.  An
 * ambiguous reference is DD_EINVAL with the candidates listed in the
 * message. */
int store_incident_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1],
			   struct dd_error *err);

/* An entry of incident id's timeline named by its full id or its short
 * id (last 8 hex digits). */
int store_event_resolve(struct dd_store *st, const char *incident, const char *ref, char out[DD_UUID_LEN + 1],
			struct dd_error *err);

/* The queue: highest tier first, then the nearest deadline, then id. */
struct dd_incident_filter {
	int closed;                /* 0 open only, 1 closed only, -1 both */
	int tier;                  /* -1 any */
	int status;                /* -1 any */
	const char *district;      /* NULL any: an org id prefix such as cq.yubei */
	const char *text;          /* NULL any: in title, org, objects, reporter, id */
	int drill;                 /* -1 any, 0 real, 1 drill */
	bool duplicates;           /* include incidents marked duplicate */
};

struct dd_queue_key {
	int tier;
	int64_t due;               /* next_due_ms, INT64_MAX when none */
	char id[DD_UUID_LEN + 1];
};

void store_incident_filter_init(struct dd_incident_filter *f);
void incident_queue_key(const struct dd_incident *in, struct dd_queue_key *key);

typedef int (*dd_incident_cb)(const struct dd_incident *in, void *ctx);
int store_incident_scan(struct dd_store *st, const struct dd_incident_filter *f, const struct dd_queue_key *after,
			bool backward, int limit, dd_incident_cb cb, void *ctx, struct dd_error *err);
int store_incident_count(struct dd_store *st, const struct dd_incident_filter *f, int64_t *n,
			 struct dd_error *err);

/* Every event about the incident, in (hlc, origin, seq) order; the event
 * is valid only during the callback. */
typedef int (*dd_event_cb)(const struct dd_event *ev, void *ctx);
int store_incident_timeline(struct dd_store *st, const char *id, dd_event_cb cb, void *ctx,
			    struct dd_error *err);

/* Every open incident (duplicates and drills included) as its id, tier
 * and next deadline, in no particular order.  An index-only scan, so the
 * console can notice arrivals, raised tiers and near deadlines among
 * 100,000 incidents without reading whole rows. */
struct dd_incident_brief {
	char id[DD_UUID_LEN + 1];
	int tier;
	int64_t next_due_ms;       /* 0 none */
	bool drill;
};
typedef int (*dd_brief_cb)(const struct dd_incident_brief *b, void *ctx);
int store_incident_open_briefs(struct dd_store *st, dd_brief_cb cb, void *ctx, struct dd_error *err);

/* Open incidents per tier (real ones unless drill). */
int store_incident_tier_counts(struct dd_store *st, int drill, int64_t counts[DD_TIERS], struct dd_error *err);

#endif
