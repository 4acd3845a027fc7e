/*
 * drill.h — tabletop drills (应急演练, seed art. 31): scenario files with
 * timed injects (core/drill.c), the events that run them and the
 * projection the screens read (core/store_drill.c).
 *
 * A scenario (data/drills/NAME.conf, libconfig) is checked whole before
 * anything runs: every error names file:line.  Starting a run writes the
 * whole checked scenario into the drill.start event, so every console
 * that syncs the run knows its injects and expected responses without the
 * file.  Inject times are scenario time relative to the start; --speed N
 * runs scenario time N times faster than the wall clock; a pause or a
 * shift moves every pending inject, never a fired one.
 *
 * Invariants kept by the store whatever a scenario or a remote event says
 * (store_drill_guard): every drill.* event carries drill = 1; an event
 * with drill = 1 never names a real (drill = 0) incident or log entry and
 * never changes the org tree, rosters, duty schedule, protection periods,
 * zero reports or advisories; a local event about a drill incident is
 * itself a drill event.
 */
#ifndef DUTYDESK_DRILL_H
#define DUTYDESK_DRILL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "dutydesk/config.h"
#include "dutydesk/error.h"
#include "dutydesk/ids.h"
#include "dutydesk/kinds.h"
#include "dutydesk/store.h"

struct dd_tiers;

#define DD_DRILL_INJECTS_MAX 64
#define DD_DRILL_ORGS_MAX DD_SHIFT_OFFICERS_MAX   /* as drill.start carries them */
#define DD_DRILL_ID_MAX 32
#define DD_DRILL_TEXT_MAX 2000
#define DD_DRILL_TITLE_MAX 120
#define DD_DRILL_SPEED_MAX 3600
/* Scenario time of the last inject: a day is longer than any tabletop. */
#define DD_DRILL_SPAN_MAX_MS (24LL * 3600 * 1000)
/* The actor of every event an inject writes, so a response is never
 * confused with the inject that asked for it; shown through
 * drill_actor_label. */
#define DD_DRILL_CONTROL "drill-control"

/* What an inject does: incident opens a drill incident; tier proposes a
 * tier for the incident of an earlier incident inject; call records a
 * call from an enterprise; zero-missing, outage and advisory put what
 * happened in the drill's shift log for the officers to act on. */
extern const char *const dd_inject_kinds[];
/* What response an inject expects: open (a drill incident is opened),
 * tier, hop, status, report, note (on the inject's incident, or any drill
 * incident when the inject has none), call (a call to the inject's org),
 * log (any drill shift-log entry). */
extern const char *const dd_drill_actions[];

/* What a person reads for an expected action, in English; pass it
 * through _() to show it. */
const char *drill_action_label(const char *action);
/* What a person reads for an inject kind, the same way. */
const char *drill_kind_label(const char *kind);
/* What a person reads for the kind of an event in a drill's timeline
 * ("drill.start", "log.entry"), the same way; an unknown kind as itself. */
const char *drill_event_label(const char *kind);
/* The name to show for an event's actor: drill control's id reads as
 * "Drill control" (演练导调), translated; anyone else as stored. */
const char *drill_actor_label(const char *actor);
/* A response window as a duration a person reads ("10 min", "1 h",
 * "1 h 30 min"), translated: never as a time of day. */
void drill_window_format(int64_t ms, char *buf, size_t n);

struct dd_inject {
	char id[DD_DRILL_ID_MAX + 1];
	char title[DD_DRILL_TITLE_MAX + 1];  /* what a person reads, optional */
	int64_t at_ms;                  /* scenario time after the start */
	char kind[16];
	char org[129];
	char text[DD_DRILL_TEXT_MAX + 1];
	char incident[DD_DRILL_ID_MAX + 1];  /* tier: the incident inject it raises */
	char category[17];              /* incident */
	char tier[16];                  /* tier */
	char expect[16];                /* one of dd_drill_actions */
	int64_t within_ms;              /* after the inject */
};

struct dd_scenario {
	char path[DD_PATH_MAX];
	char name[301];
	char description[DD_DRILL_TEXT_MAX + 1];
	char tier[16];
	int n_orgs;
	char orgs[DD_DRILL_ORGS_MAX][129];
	int n_injects;
	struct dd_inject injects[DD_DRILL_INJECTS_MAX];
};

/* "T+mm:ss", "T+hh:mm:ss", "mm:ss" or "hh:mm:ss" in ms; -1 when bad. */
int64_t drill_offset_parse(const char *s);
/* "T+mm:ss" (hours added when needed) into buf. */
void drill_offset_format(int64_t ms, char *buf, size_t n);

/* Reads and checks a scenario.  Orgs (participants and injects) must be
 * in st's org tree when st is not NULL.  Errors: DD_ECONFIG, "file:line: …". */
int drill_scenario_load(const char *path, struct dd_store *st, struct dd_scenario *sc, struct dd_error *err);

/* The scenario's injects as drill.start carries them, and back.  The
 * decoder checks everything again: the body came from elsewhere. */
json_t *drill_injects_to_json(const struct dd_scenario *sc);
int drill_injects_from_json(const json_t *arr, struct dd_inject *out, int *n, struct dd_error *err);

/* ---- the run (drill.c writes, store_drill.c reads) ----------------- */

struct dd_drill_run {
	char id[DD_UUID_LEN + 1];
	char name[301];
	char scenario[256];
	char tier[16];
	int speed;
	int64_t started_ms;
	int64_t held_ms;                /* wall time spent paused, before the current pause */
	int64_t paused_ms;              /* when the current pause began, 0 none */
	int64_t ended_ms;               /* 0 while it runs */
	char by[129];
	int n_injects;
	int n_fired;
	int n_orgs;                     /* the participating orgs */
	char orgs[DD_DRILL_ORGS_MAX][129];
};

struct dd_drill_inject {
	struct dd_inject in;
	int ord;
	int64_t due_ms;                 /* scenario time, shifts applied */
	int64_t fired_ms;               /* wall, 0 while pending */
	int64_t fired_clock_ms;         /* scenario time it fired at, 0 while pending */
	char item[DD_UUID_LEN + 1];     /* what the inject created, or "" */
	bool manual;                    /* fired with `drill fire` */
};

/* Scenario time of a run at wall time now (frozen while paused). */
int64_t drill_clock(const struct dd_drill_run *r, int64_t now_ms);
/* Wall time at which scenario time t falls, if the run goes on unpaused. */
int64_t drill_wall_at(const struct dd_drill_run *r, int64_t scenario_ms);

/* Scenario time of run r at a past or present wall instant: every pause
 * of the run (its drill.pause and drill.resume events) held before it
 * is taken off, not only the ones so far, so a response given before a
 * later pause is timed as it happened. */
int store_drill_clock_at(struct dd_store *st, const struct dd_drill_run *r, int64_t wall_ms, int64_t *clock_ms,
			 struct dd_error *err);
/* Scenario time at which the last response window of injects all (n of
 * them, every one fired) closes; -1 while one is pending. */
int64_t drill_windows_close(const struct dd_drill_inject *all, int n);

/* The running (not stopped) drill, DD_ENOTFOUND when none. */
int store_drill_current(struct dd_store *st, struct dd_drill_run *r, struct dd_error *err);
/* A run named by a full id or an unambiguous part of its hex digits. */
int store_drill_resolve(struct dd_store *st, const char *ref, char out[DD_UUID_LEN + 1], struct dd_error *err);
int store_drill_get(struct dd_store *st, const char *id, struct dd_drill_run *r, struct dd_error *err);
/* Every run, newest first. */
typedef int (*dd_drill_run_cb)(const struct dd_drill_run *r, void *ctx);
int store_drill_list(struct dd_store *st, dd_drill_run_cb cb, void *ctx, struct dd_error *err);
/* Injects of a run in scenario order into out (at most max), each fired
 * one with the scenario time it fired at. */
int store_drill_injects(struct dd_store *st, const char *run, struct dd_drill_inject *out, int max, int *n,
			struct dd_error *err);

/* The first response to an inject: a drill event, not written by drill
 * control, at or after the inject fired and, when until_ms is not 0, not
 * after until_ms (the run's end), of the kind the inject expects and
 * about its incident (see dd_drill_actions).  *at_ms (wall) 0 when none.
 * Time it with store_drill_clock_at: a response is judged in scenario
 * time, as its window is. */
int store_drill_response(struct dd_store *st, const struct dd_drill_inject *inj, int64_t until_ms, int64_t *at_ms,
			 char *actor, size_t actor_n, struct dd_error *err);

/* Every drill event of run r (between its start and its end) appended
 * to arr as {at, at_ms, actor, kind, subject, text}, in hlc order. */
int store_drill_timeline(struct dd_store *st, const struct dd_drill_run *r, json_t *arr, struct dd_error *err);

/* Refuses what a drill must never do (see the top of this file); the
 * store calls it for every event before storing it. */
int store_drill_guard(struct dd_store *st, const struct dd_event *ev, struct dd_error *err);
/* Makes a local event about a drill incident a drill event. */
int store_drill_inherit(struct dd_store *st, struct dd_event *ev, struct dd_error *err);

/* While on, every local event this store appends is a drill event (the
 * injects, and `dutydesk --drill …` responses).  Returns the setting
 * before, for the caller to restore. */
bool store_set_drill(struct dd_store *st, bool on);

/* ---- changing a run (drill.c) -------------------------------------- */

struct dd_drill_ctx {
	struct dd_store *st;
	const struct dd_config *cfg;
	const struct dd_tiers *tiers;
};

int drill_start(const struct dd_drill_ctx *c, const struct dd_scenario *sc, int speed, char id[DD_UUID_LEN + 1],
		struct dd_error *err);
/* Fires one pending inject of the running drill now; its effect and the
 * drill.inject event commit together. */
int drill_fire(const struct dd_drill_ctx *c, const char *inject, bool manual, struct dd_error *err);
/* Fires every pending inject due at wall time now; *fired counts them. */
int drill_fire_due(const struct dd_drill_ctx *c, int64_t now_ms, int *fired, struct dd_error *err);
int drill_pause(const struct dd_drill_ctx *c, struct dd_error *err);
int drill_resume(const struct dd_drill_ctx *c, struct dd_error *err);
int drill_shift(const struct dd_drill_ctx *c, int64_t by_ms, struct dd_error *err);
int drill_stop(const struct dd_drill_ctx *c, struct dd_error *err);

/* The after-action report at wall time now_ms: per inject the expected
 * response, the actual one and the time it took, missed steps, and the
 * timeline of every drill event of the run.  While the run goes on, an
 * inject not fired yet, or fired and unanswered with its window still
 * open, is pending, not missed; an inject never fired is never missed.
 * Each inject carries its org's name when the org is in the tree.  A
 * new reference. */
int drill_report(struct dd_store *st, const char *run, int64_t now_ms, json_t **out, struct dd_error *err);

#endif
