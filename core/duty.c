/*
 * duty.c — the rules of the duty schedule (值班表, art. 16): standard
 * shifts from shift_start, no two shifts of one post overlapping, who
 * may swap or reassign a shift; each change written as a duty.shift
 * event with the shift's whole new state and the reason (see roster.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/roster.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"

#define DAY_MS 86400000LL

int duty_shift_bounds(const char *shift_start, const char *tz, int64_t at_ms, int64_t *start_ms, int64_t *end_ms,
		      struct dd_error *err)
{
	char date[16], text[40];
	int64_t start = 0, end = 0;
	/* The start on at's local date, else on the day before; the end on
	 * the next local date, so a shift is a calendar day even across a
	 * change of offset. */
	for (int back = 0; back < 2; back++) {
		time_format_local(at_ms - back * DAY_MS, tz, "%Y-%m-%d", date, sizeof date);
		snprintf(text, sizeof text, "%s %s", date, shift_start);
		if (time_parse(text, at_ms, tz, &start, err))
			return dd_wrap(err, "shift_start");
		if (start <= at_ms)
			break;
	}
	time_format_local(start + DAY_MS, tz, "%Y-%m-%d", date, sizeof date);
	snprintf(text, sizeof text, "%s %s", date, shift_start);
	if (time_parse(text, at_ms, tz, &end, err))
		return dd_wrap(err, "shift_start");
	*start_ms = start;
	*end_ms = end;
	return 0;
}

int duty_shift_on(const char *date, const char *start_hm, const char *end_hm, const char *tz, int64_t *start_ms,
		  int64_t *end_ms, struct dd_error *err)
{
	char day[16], text[96];
	int64_t ms, start, end;
	struct dd_error e;
	int64_t now = time_now_ms();
	/* Schedules are made ahead: "tomorrow" as well as what time_parse knows. */
	if (strcmp(date, "tomorrow") == 0)
		date = "+1d";
	if (time_parse(date, now, tz, &ms, &e))
		return dd_fail(err, DD_EINVAL, "date '%s' is not a date (2026-11-26, today, tomorrow, +2d)", date);
	time_format_local(ms, tz, "%Y-%m-%d", day, sizeof day);
	snprintf(text, sizeof text, "%s %s", day, start_hm);
	if (time_parse(text, now, tz, &start, &e))
		return dd_fail(err, DD_EINVAL, "start '%s' is not a time of day (08:30)", start_hm);
	snprintf(text, sizeof text, "%s %s", day, end_hm ? end_hm : start_hm);
	if (time_parse(text, now, tz, &end, &e))
		return dd_fail(err, DD_EINVAL, "end '%s' is not a time of day (08:30)", end_hm);
	if (end <= start) {
		/* An end at or before the start is the next day's: 08:30 → 08:30. */
		time_format_local(start + DAY_MS, tz, "%Y-%m-%d", day, sizeof day);
		snprintf(text, sizeof text, "%s %s", day, end_hm ? end_hm : start_hm);
		if (time_parse(text, now, tz, &end, &e))
			return dd_fail(err, DD_EINVAL, "end '%s' is not a time of day (08:30)", end_hm);
	}
	*start_ms = start;
	*end_ms = end;
	return 0;
}

/* A shift as it will be written: the cleaned input, or a stored shift
 * about to change. */
struct shift_state {
	char org[DD_ORG_ID_MAX + 1];
	char post[65];
	int64_t start_ms, end_ms;
	int n_officers;
	char officers[DD_SHIFT_OFFICERS_MAX][DD_PERSON_MAX + 1];
	char leader[DD_PERSON_MAX + 1];
	char phone[DD_PHONE_MAX];
	bool h24;
	char reason[1001];
};

static int shift_clean(struct dd_store *st, const struct dd_shift_in *in, struct shift_state *c, struct dd_error *err)
{
	memset(c, 0, sizeof *c);
	struct dd_org org;
	struct dd_error e;
	const char *id = in->org ? in->org : "";
	int rc = store_org_get(st, id, &org, &e);
	if (rc)
		return rc == DD_ENOTFOUND ? dd_fail(err, DD_EINVAL, "org '%s' is not a known org", id) : (*err = e, rc);
	if (org.retired)
		return dd_fail(err, DD_EINVAL, "org '%s' is retired", id);
	snprintf(c->org, sizeof c->org, "%s", id);
	if ((rc = text_clean_into("post", in->post, c->post, sizeof c->post, false, err)))
		return rc;
	if (in->end_ms <= in->start_ms)
		return dd_fail(err, DD_EINVAL, "the shift ends before it starts");
	if (in->end_ms - in->start_ms > DD_SHIFT_MAX_MS)
		return dd_fail(err, DD_EINVAL, "a shift lasts at most 7 days");
	c->start_ms = in->start_ms;
	c->end_ms = in->end_ms;
	if (in->n_officers > DD_SHIFT_OFFICERS_MAX)
		return dd_fail(err, DD_EINVAL, "at most %d officers per shift", DD_SHIFT_OFFICERS_MAX);
	for (int i = 0; i < in->n_officers; i++) {
		char *dst = c->officers[c->n_officers];
		if ((rc = text_clean_into("officer", in->officers[i], dst, sizeof c->officers[0], false, err)))
			return rc;
		if (!*dst)
			continue;
		for (int j = 0; j < c->n_officers; j++)
			if (strcmp(c->officers[j], dst) == 0)
				return dd_fail(err, DD_EINVAL, "officer %s is named twice", dst);
		c->n_officers++;
	}
	if ((rc = text_clean_into("leader", in->leader, c->leader, sizeof c->leader, false, err)) ||
	    (rc = text_clean_into("reason", in->reason, c->reason, sizeof c->reason, false, err)))
		return rc;
	c->h24 = in->h24;
	if (in->phone && *in->phone && phone_normalize(in->phone, c->phone, NULL, NULL, &e))
		return dd_fail(err, DD_EINVAL, "phone %s", e.msg);
	return 0;
}

static void state_of(const struct dd_shift *sh, struct shift_state *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->org, sizeof c->org, "%s", sh->org);
	snprintf(c->post, sizeof c->post, "%s", sh->post);
	c->start_ms = sh->start_ms;
	c->end_ms = sh->end_ms;
	c->n_officers = sh->n_officers;
	memcpy(c->officers, sh->officers, sizeof c->officers);
	snprintf(c->leader, sizeof c->leader, "%s", sh->leader);
	snprintf(c->phone, sizeof c->phone, "%s", sh->phone);
	c->h24 = sh->h24;
}

static int refuse_overlap(struct dd_store *st, const struct shift_state *c, const char *except, const char *tz,
			  struct dd_error *err)
{
	struct dd_shift other;
	struct dd_error e;
	int rc = store_duty_overlap(st, c->org, c->post, c->start_ms, c->end_ms, except, &other, &e);
	if (rc == DD_ENOTFOUND)
		return 0;
	if (rc)
		return *err = e, rc;
	char a[32], b[32];
	time_format_local(other.start_ms, tz, "%Y-%m-%d %H:%M", a, sizeof a);
	time_format_local(other.end_ms, tz, "%Y-%m-%d %H:%M", b, sizeof b);
	return dd_fail(err, DD_EINVAL, "overlaps the shift %s → %s of %s%s%s (%s)", a, b, c->org, c->post[0] ? " " : "",
		       c->post, other.n_officers ? other.officers[0] : "no officer");
}

/* The existing shift of (org, post) starting then, if any. */
static int existing(struct dd_store *st, const struct shift_state *c, struct dd_shift *old, bool *found,
		    struct dd_error *err)
{
	struct dd_error e;
	int rc = store_duty_find(st, c->org, c->post, c->start_ms, old, &e);
	*found = rc == 0;
	if (rc == DD_ENOTFOUND)
		return 0;
	return rc ? (*err = e, rc) : 0;
}

static int write_shift(struct dd_store *st, const struct dd_config *cfg, const char *id, const struct shift_state *c,
		       const char *change, struct dd_error *err)
{
	char start[DD_AT_MAX], end[DD_AT_MAX];
	if (time_format_rfc3339(c->start_ms, cfg->timezone, start, sizeof start) < 0 ||
	    time_format_rfc3339(c->end_ms, cfg->timezone, end, sizeof end) < 0)
		return dd_fail(err, DD_ERANGE, "the shift's times are out of range");
	json_t *officers = json_array();
	for (int i = 0; i < c->n_officers; i++)
		json_array_append_new(officers, json_string(c->officers[i]));
	json_t *body = json_pack("{s:i, s:s, s:s, s:s, s:o, s:s}", "v", 1, "org", c->org, "start", start, "end", end,
				 "officers", officers, "change", change);
	if (c->post[0])
		json_object_set_new(body, "post", json_string(c->post));
	if (c->leader[0])
		json_object_set_new(body, "leader", json_string(c->leader));
	if (c->phone[0])
		json_object_set_new(body, "phone", json_string(c->phone));
	if (c->h24)
		json_object_set_new(body, "h24", json_true());
	if (c->reason[0])
		json_object_set_new(body, "reason", json_string(c->reason));
	if (!cfg->origin[0] || !cfg->officer[0]) {
		json_decref(body);
		return dd_fail(err, DD_ECONFIG, "%s: origin and officer must be set; run `dutydesk init`", cfg->path);
	}
	struct dd_new_event ne = {
		.origin = cfg->origin, .actor = cfg->officer, .org = c->org, .kind = "duty.shift", .subject = id,
		.drill = 0, .body = body, .at_ms = 0, .tz = cfg->timezone,
	};
	int rc = store_append_local(st, &ne, NULL, err);
	json_decref(body);
	return rc;
}

static bool same_people(const struct shift_state *c, const struct dd_shift *old)
{
	if (c->n_officers != old->n_officers || strcmp(c->leader, old->leader) != 0)
		return false;
	for (int i = 0; i < c->n_officers; i++)
		if (strcmp(c->officers[i], old->officers[i]) != 0)
			return false;
	return true;
}

int duty_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_shift_in *in,
	     char id[DD_UUID_LEN + 1], bool *changed, struct dd_error *err)
{
	struct shift_state c;
	struct dd_shift old;
	bool found;
	if (changed)
		*changed = false;
	int rc = shift_clean(st, in, &c, err);
	if (rc || (rc = existing(st, &c, &old, &found, err)) ||
	    (rc = refuse_overlap(st, &c, found ? old.id : NULL, cfg->timezone, err)))
		return rc;
	char sid[DD_UUID_LEN + 1];
	if (found) {
		snprintf(sid, sizeof sid, "%s", old.id);
		if (id)
			snprintf(id, DD_UUID_LEN + 1, "%s", sid);
		if (!old.cancelled && old.end_ms == c.end_ms && same_people(&c, &old) && strcmp(old.phone, c.phone) == 0 &&
		    old.h24 == c.h24)
			return 0;
		/* Changing who is on a shift someone else set is a leader's call. */
		if (!same_people(&c, &old) && strcmp(cfg->role, "leader") != 0 && !old.cancelled)
			return dd_fail(err, DD_EINVAL, "only a leader (role = \"leader\") changes who is on an existing shift; "
				       "use duty swap for a swap or take-over");
	} else {
		uuid7_new(time_now_ms(), sid);
	}
	if ((rc = write_shift(st, cfg, sid, &c, "set", err)))
		return rc;
	if (id)
		snprintf(id, DD_UUID_LEN + 1, "%s", sid);
	if (changed)
		*changed = true;
	return 0;
}

/* Replaces name from with to among the officers or as leader; false when
 * from is not on the shift. */
static bool replace_person(struct shift_state *c, const char *from, const char *to)
{
	bool done = false;
	for (int i = 0; i < c->n_officers; i++)
		if (strcmp(c->officers[i], from) == 0) {
			snprintf(c->officers[i], sizeof c->officers[i], "%s", to);
			done = true;
		}
	if (strcmp(c->leader, from) == 0) {
		snprintf(c->leader, sizeof c->leader, "%s", to);
		done = true;
	}
	return done;
}

static bool on_shift(const struct dd_shift *sh, const char *name)
{
	for (int i = 0; i < sh->n_officers; i++)
		if (strcmp(sh->officers[i], name) == 0)
			return true;
	return strcmp(sh->leader, name) == 0;
}

static int load_live(struct dd_store *st, const char *id, struct dd_shift *sh, struct dd_error *err)
{
	int rc = store_duty_get(st, id, sh, err);
	if (rc == 0 && sh->cancelled)
		return dd_fail(err, DD_EINVAL, "shift %s is cancelled", id);
	return rc;
}

int duty_take_over(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *from,
		   const char *to, const char *other_id, const char *reason, struct dd_error *err)
{
	struct dd_shift a, b;
	struct shift_state ca, cb;
	char who_from[DD_PERSON_MAX + 1], who_to[DD_PERSON_MAX + 1];
	int rc;
	if ((rc = text_clean_into("the officer handing over", from, who_from, sizeof who_from, true, err)) ||
	    (rc = text_clean_into("the officer taking over", to, who_to, sizeof who_to, true, err)) ||
	    (rc = load_live(st, id, &a, err)))
		return rc;
	state_of(&a, &ca);
	if ((rc = text_clean_into("reason", reason, ca.reason, sizeof ca.reason, true, err)))
		return rc;
	if (strcmp(who_from, who_to) == 0)
		return dd_fail(err, DD_EINVAL, "%s cannot take over from themselves", who_from);
	if (on_shift(&a, who_to))
		return dd_fail(err, DD_EINVAL, "%s is already on that shift", who_to);
	if (!replace_person(&ca, who_from, who_to))
		return dd_fail(err, DD_EINVAL, "%s is not on that shift", who_from);
	if (strcmp(cfg->role, "leader") != 0 && strcmp(cfg->officer, who_from) != 0 && strcmp(cfg->officer, who_to) != 0)
		return dd_fail(err, DD_EINVAL, "an officer swaps only their own shifts; a leader (role = \"leader\") "
			       "may reassign any");
	if (!other_id)
		return write_shift(st, cfg, a.id, &ca, "take-over", err);

	if ((rc = load_live(st, other_id, &b, err)))
		return rc;
	if (strcmp(a.id, b.id) == 0)
		return dd_fail(err, DD_EINVAL, "a swap needs two different shifts");
	state_of(&b, &cb);
	snprintf(cb.reason, sizeof cb.reason, "%s", ca.reason);
	if (on_shift(&b, who_from))
		return dd_fail(err, DD_EINVAL, "%s is already on the other shift", who_from);
	if (!replace_person(&cb, who_to, who_from))
		return dd_fail(err, DD_EINVAL, "%s is not on the other shift", who_to);
	/* Both halves of a swap or neither. */
	if ((rc = store_batch_begin(st, err)))
		return rc;
	rc = write_shift(st, cfg, a.id, &ca, "swap", err);
	if (rc == 0)
		rc = write_shift(st, cfg, b.id, &cb, "swap", err);
	struct dd_error e;
	int end = store_batch_end(st, rc == 0, &e);
	return rc ? rc : end ? (*err = e, end) : 0;
}

int duty_reassign(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *const *officers,
		  int n_officers, const char *leader, const char *reason, struct dd_error *err)
{
	if (strcmp(cfg->role, "leader") != 0)
		return dd_fail(err, DD_EINVAL, "only a leader (role = \"leader\") reassigns a shift");
	struct dd_shift sh;
	int rc = load_live(st, id, &sh, err);
	if (rc)
		return rc;
	struct dd_shift_in in = {
		.org = sh.org, .post = sh.post, .start_ms = sh.start_ms, .end_ms = sh.end_ms, .phone = sh.phone,
		.h24 = sh.h24, .reason = reason, .leader = leader ? leader : sh.leader,
	};
	const char *keep[DD_SHIFT_OFFICERS_MAX];
	if (officers) {
		in.officers = officers;
		in.n_officers = n_officers;
	} else {
		for (int i = 0; i < sh.n_officers; i++)
			keep[i] = sh.officers[i];
		in.officers = keep;
		in.n_officers = sh.n_officers;
	}
	struct shift_state c;
	if ((rc = shift_clean(st, &in, &c, err)))
		return rc;
	if (!c.reason[0])
		return dd_fail(err, DD_EINVAL, "a reassignment needs a reason");
	if (same_people(&c, &sh))
		return dd_fail(err, DD_EINVAL, "that is who is on the shift already");
	return write_shift(st, cfg, sh.id, &c, "reassign", err);
}

int duty_cancel(struct dd_store *st, const struct dd_config *cfg, const char *id, const char *reason,
		struct dd_error *err)
{
	if (strcmp(cfg->role, "leader") != 0)
		return dd_fail(err, DD_EINVAL, "only a leader (role = \"leader\") cancels a shift");
	struct dd_shift sh;
	int rc = load_live(st, id, &sh, err);
	if (rc)
		return rc;
	struct shift_state c;
	state_of(&sh, &c);
	if ((rc = text_clean_into("reason", reason, c.reason, sizeof c.reason, true, err)))
		return rc;
	return write_shift(st, cfg, sh.id, &c, "cancel", err);
}
