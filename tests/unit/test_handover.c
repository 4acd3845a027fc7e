/*
 * test_handover.c — unit tests for the shift handover (交接班): the
 * generated summary (open incidents, reports due, missing zero reports,
 * advisories awaiting answers, calls not reached), the rules (notes
 * required, one pending handover, resubmission by its own outgoing
 * officer, no accepting one's own, accepted once, objections on record),
 * the overdue rule with its setting, who is on duty after acceptance, an
 * acceptance from another org that changes nothing, the
 * snapshot's JSON both ways, and rebuild equals incremental.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/advisory.h"
#include "dutydesk/handover.h"
#include "dutydesk/incident.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"
#include "dutydesk/text.h"
#include "dutydesk/tiers.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"
#include "orgtree.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

static const char tiers_conf[] =
	"summary_within = \"30d\";\n"
	"tiers = (\n"
	"  { id = \"unassessed\"; name_zh = \"未定级\"; name_en = \"unassessed\"; colour = \"tier-unassessed\";\n"
	"    lead = \"带班领导\"; hops = ( { id = \"assess\"; to = \"带班领导\"; within = \"1h\"; } ); },\n"
	"  { id = \"IV\"; name_zh = \"一般\"; name_en = \"IV\"; colour = \"tier-iv\"; lead = \"区县\"; hops = (); },\n"
	"  { id = \"III\"; name_zh = \"较大\"; name_en = \"III\"; colour = \"tier-iii\"; lead = \"区县\"; hops = (); },\n"
	"  { id = \"II\"; name_zh = \"重大\"; name_en = \"II\"; colour = \"tier-ii\"; lead = \"八部门\"; hops = (); },\n"
	"  { id = \"I\"; name_zh = \"特别重大\"; name_en = \"I\"; colour = \"tier-i\"; lead = \"国家\"; hops = (); }\n"
	");\n";

static int setup(void **state)
{
	return orgtree_setup(state, "handover");
}

#define teardown orgtree_teardown

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void load_tiers(struct fx *fx, struct dd_tiers *t)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/tiers.conf", fx->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(tiers_conf, f) >= 0);
	assert_int_equal(fclose(f), 0);
	struct dd_error err;
	if (tiers_load(path, t, &err))
		fail_msg("tiers_load: %s", err.msg);
}

static void call(struct fx *fx, const char *org, const char *result, int64_t at)
{
	struct dd_call_in in = { .org = org, .result = result, .at_ms = at };
	struct dd_error err;
	if (roster_call(fx->st, &fx->cfg, &in, NULL, &err))
		fail_msg("roster_call: %s", err.msg);
}

static void must(int rc, const struct dd_error *err)
{
	if (rc)
		fail_msg("%s", err->msg);
}

/* ---- the summary ------------------------------------------------------- */

static void summary_lists_what_is_open(void **state)
{
	struct fx *fx = *state;
	struct dd_tiers tiers;
	load_tiers(fx, &tiers);
	struct dd_error err;
	int64_t now = time_now_ms();

	char open_id[DD_UUID_LEN + 1], closed_id[DD_UUID_LEN + 1];
	struct dd_incident_new in = { .title = "PLC 通信异常", .category = "intrusion", .reporting_org = "cq.yubei.ent-1" };
	must(incident_open(fx->st, &fx->cfg, &tiers, &in, open_id, &err), &err);
	in.title = "误报";
	must(incident_open(fx->st, &fx->cfg, &tiers, &in, closed_id, &err), &err);
	must(incident_set_status(fx->st, &fx->cfg, &tiers, closed_id, DD_ST_CLOSED, "误报", &err), &err);

	/* Calls: one not reached; one not reached then reached; one not
	 * reached before the shift began. */
	call(fx, "cq.yubei", "no-answer", now - 30 * MIN_MS);
	call(fx, "cq.jiangbei", "busy", now - 20 * MIN_MS);
	call(fx, "cq.jiangbei", "reached", now - 10 * MIN_MS);
	call(fx, "cq.yubei.ent-2", "wrong-number", now - 70 * MIN_MS);

	/* An advisory half answered, and one answered whole. */
	char half[DD_UUID_LEN + 1], whole[DD_UUID_LEN + 1];
	const char *yubei[] = { "cq.yubei" }, *ent[] = { "cq.jiangbei.ent-1" };
	struct dd_advisory_in adv = { .title = "某PLC高危漏洞", .level = "red", .action = "自查",
				      .deadline_ms = now + DAY_MS, .to = yubei, .n_to = 1 };
	must(advisory_issue(fx->st, &fx->cfg, &adv, half, &err), &err);
	adv.to = ent;
	must(advisory_issue(fx->st, &fx->cfg, &adv, whole, &err), &err);
	must(advisory_ack(fx->st, &fx->cfg, half, "cq.yubei.ent-1", &err), &err);
	must(advisory_report(fx->st, &fx->cfg, half, "cq.yubei.ent-1", false, "无影响", now, &err), &err);
	must(advisory_ack(fx->st, &fx->cfg, whole, "cq.jiangbei.ent-1", &err), &err);
	must(advisory_report(fx->st, &fx->cfg, whole, "cq.jiangbei.ent-1", false, "无影响", now, &err), &err);

	/* A protection period over 渝北 whose report time two hours ago has
	 * passed its grace: one of its three orgs reported. */
	char hm[8], period[DD_UUID_LEN + 1], zid[DD_UUID_LEN + 1];
	time_format_local(now - 2 * HOUR_MS, fx->cfg.timezone, "%H:%M", hm, sizeof hm);
	const char *times[] = { hm };
	struct dd_period_in p = { .name = "测试重保", .start_ms = now - 3 * HOUR_MS, .end_ms = now + DAY_MS,
				  .scope = yubei, .n_scope = 1, .times = times, .n_times = 1, .grace_min = 30,
				  .zero = true };
	must(zero_period_new(fx->st, &fx->cfg, &p, period, &err), &err);
	struct dd_period pp;
	must(store_period_get(fx->st, period, &pp, &err), &err);
	int64_t slot;
	must(zero_slot_at(&pp, now - 2 * HOUR_MS - MIN_MS, &slot, &err), &err);
	struct dd_zero_in z = { .org = "cq.yubei.ent-1", .slot_ms = slot, .nil = true, .via = "phone" };
	int64_t got;
	must(zero_submit(fx->st, &fx->cfg, &z, zid, &got, &err), &err);

	struct dd_handover_summary *s = malloc(sizeof *s);
	assert_non_null(s);
	must(handover_summary_build(fx->st, &fx->cfg, now, now - HOUR_MS, now + 23 * HOUR_MS, s, &err), &err);
	assert_int_equal(s->incidents_total, 1);
	assert_string_equal(s->incidents[0].id, open_id);
	assert_string_equal(s->incidents[0].next_due_what, "assess");
	assert_int_equal(s->hops_total, 1);
	assert_string_equal(s->hops[0].incident, open_id);
	assert_string_equal(s->hops[0].hop, "assess");
	assert_string_equal(s->period, period);
	assert_int_equal(s->slot_ms, slot);
	assert_int_equal(s->missing_total, 2);
	assert_string_equal(s->missing[0].org, "cq.yubei");
	assert_string_equal(s->missing[1].org, "cq.yubei.ent-2");
	assert_int_equal(s->advisories_total, 1);
	assert_string_equal(s->advisories[0].id, half);
	assert_int_equal(s->advisories[0].reported, 1);
	assert_int_equal(s->advisories[0].recipients, 3);   /* 渝北区 and its two enterprises */
	assert_int_equal(s->calls_total, 1);
	assert_string_equal(s->calls[0].callee, "cq.yubei");
	assert_string_equal(s->calls[0].callee_name, "渝北区");
	assert_string_equal(s->calls[0].result, "no-answer");

	/* The snapshot survives JSON both ways. */
	json_t *j = handover_summary_to_json(s, fx->cfg.timezone);
	assert_non_null(j);
	struct dd_handover_summary *back = malloc(sizeof *back);
	assert_non_null(back);
	handover_summary_from_json(j, back);
	json_decref(j);
	assert_int_equal(back->incidents_total, 1);
	assert_string_equal(back->incidents[0].title, "PLC 通信异常");
	assert_int_equal(back->incidents[0].tier, s->incidents[0].tier);
	assert_int_equal(back->incidents[0].next_due_ms / 1000, s->incidents[0].next_due_ms / 1000);
	assert_int_equal(back->hops[0].due_ms / 1000, s->hops[0].due_ms / 1000);
	assert_string_equal(back->period_name, "测试重保");
	assert_int_equal(back->missing_total, 2);
	assert_string_equal(back->missing[1].name, "乙水厂");
	assert_int_equal(back->advisories[0].recipients, 3);
	assert_int_equal(back->calls[0].at_ms / 1000, s->calls[0].at_ms / 1000);
	assert_string_equal(back->calls[0].officer, "张伟");
	free(back);
	free(s);
}

/* A proposed tier is marked as such in the summary and its snapshot, so
 * a handover never reads a proposal as a leader's decision; snapshots
 * written before the mark was kept read as confirmed. */
static void proposed_tier_marked(void **state)
{
	struct fx *fx = *state;
	struct dd_tiers tiers;
	load_tiers(fx, &tiers);
	struct dd_error err;
	int64_t now = time_now_ms();
	char id[DD_UUID_LEN + 1];
	struct dd_incident_new in = { .title = "PLC 通信异常", .category = "intrusion", .reporting_org = "cq.yubei.ent-1" };
	must(incident_open(fx->st, &fx->cfg, &tiers, &in, id, &err), &err);
	must(incident_set_tier(fx->st, &fx->cfg, &tiers, id, false, DD_TIER_III, "影响生产", &err), &err);

	struct dd_handover_summary *s = malloc(sizeof *s), *back = malloc(sizeof *back);
	assert_non_null(s);
	assert_non_null(back);
	must(handover_summary_build(fx->st, &fx->cfg, now, now - HOUR_MS, now + 23 * HOUR_MS, s, &err), &err);
	assert_int_equal(s->incidents[0].tier, DD_TIER_III);
	assert_true(s->incidents[0].unconfirmed);
	json_t *j = handover_summary_to_json(s, fx->cfg.timezone);
	assert_non_null(j);
	handover_summary_from_json(j, back);
	assert_true(back->incidents[0].unconfirmed);
	json_object_del(json_array_get(json_object_get(j, "incidents"), 0), "tier_unconfirmed");
	handover_summary_from_json(j, back);
	assert_int_equal(back->incidents[0].tier, DD_TIER_III);
	assert_false(back->incidents[0].unconfirmed);
	json_decref(j);

	snprintf(fx->cfg.role, sizeof fx->cfg.role, "leader");
	must(incident_set_tier(fx->st, &fx->cfg, &tiers, id, true, DD_TIER_III, "确认", &err), &err);
	must(handover_summary_build(fx->st, &fx->cfg, now, now - HOUR_MS, now + 23 * HOUR_MS, s, &err), &err);
	assert_false(s->incidents[0].unconfirmed);
	free(back);
	free(s);
}

static void empty_desk_summary(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	int64_t now = time_now_ms();
	struct dd_handover_summary *s = malloc(sizeof *s);
	assert_non_null(s);
	must(handover_summary_build(fx->st, &fx->cfg, now, now - HOUR_MS, now + HOUR_MS, s, &err), &err);
	assert_int_equal(s->incidents_total + s->hops_total + s->missing_total + s->advisories_total + s->calls_total, 0);
	assert_string_equal(s->period, "");
	assert_true(s->next_end_ms > now + HOUR_MS);
	free(s);
}

/* ---- the rules ---------------------------------------------------------- */

static void as(struct fx *fx, const char *officer)
{
	snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "%s", officer);
}

static void submit_and_accept_rules(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char id[DD_UUID_LEN + 1], again[DD_UUID_LEN + 1], other[DD_UUID_LEN + 1];
	int64_t now = time_now_ms();
	int64_t before = store_event_count(fx->st);

	assert_int_equal(handover_accept(fx->st, &fx->cfg, "李娜", NULL, now, id, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "no handover awaits"));
	assert_int_equal(handover_submit(fx->st, &fx->cfg, " \n\t ", now, id, &err), DD_EINVAL);
	assert_int_equal(handover_submit(fx->st, &fx->cfg, "", now, id, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), before);

	must(handover_submit(fx->st, &fx->cfg, "  渝北区来电待回复  ", now, id, &err), &err);
	struct dd_handover *h = malloc(sizeof *h);
	assert_non_null(h);
	must(store_handover_get(fx->st, id, h, &err), &err);
	assert_string_equal(h->notes, "渝北区来电待回复");
	assert_string_equal(h->outgoing, "张伟");
	assert_string_equal(h->org, "cq.center");
	assert_int_equal(handover_state(&fx->cfg, h, now), DD_HO_SUBMITTED);

	/* Another officer cannot submit while it awaits acceptance. */
	as(fx, "王强");
	assert_int_equal(handover_submit(fx->st, &fx->cfg, "另一份", now, other, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "awaits acceptance"));
	/* Its own outgoing officer submits again: the same handover. */
	as(fx, "张伟");
	must(handover_submit(fx->st, &fx->cfg, "补充：江北区已回电", now + MIN_MS, again, &err), &err);
	assert_string_equal(again, id);
	must(store_handover_get(fx->st, id, h, &err), &err);
	assert_int_equal(h->n_submits, 2);
	assert_string_equal(h->notes, "补充：江北区已回电");

	/* Not one's own; then accepted once. */
	int64_t count = store_event_count(fx->st);
	assert_int_equal(handover_accept(fx->st, &fx->cfg, NULL, NULL, now + 2 * MIN_MS, id, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "cannot accept"));
	assert_int_equal(handover_accept(fx->st, &fx->cfg, "李娜", "   ", now + 2 * MIN_MS, id, &err), DD_EINVAL);
	assert_int_equal(store_event_count(fx->st), count);
	as(fx, "李娜");
	must(handover_accept(fx->st, &fx->cfg, NULL, NULL, now + 2 * MIN_MS, other, &err), &err);
	assert_string_equal(other, id);
	must(store_handover_get(fx->st, id, h, &err), &err);
	assert_string_equal(h->incoming, "李娜");
	assert_int_equal(h->accepted_ms / 1000, (now + 2 * MIN_MS) / 1000);
	assert_int_equal(handover_state(&fx->cfg, h, now + DAY_MS), DD_HO_ACCEPTED);
	assert_int_equal(handover_accept(fx->st, &fx->cfg, "王强", NULL, now + 3 * MIN_MS, other, &err), DD_EINVAL);
	assert_non_null(strstr(err.msg, "already accepted by 李娜"));
	assert_int_equal(store_event_count(fx->st), count + 2);   /* the acceptance and its log line */
	free(h);
}

struct handover_lines {
	int n;
	char text[2][512];
};

static int handover_line(const struct dd_log_row *row, void *ctx)
{
	struct handover_lines *seen = ctx;
	if (strcmp(row->kind, "handover") == 0 && seen->n < 2)
		snprintf(seen->text[seen->n++], sizeof seen->text[0], "%s", row->text);
	return 0;
}

static void draft_survives_until_submitted(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	snprintf(fx->cfg.database, sizeof fx->cfg.database, "%s", fx->db);
	assert_null(handover_draft_load(&fx->cfg));
	/* A draft is a file anyone with the account may have edited: read
	 * back as valid UTF-8 whatever its bytes. */
	must(handover_draft_save(&fx->cfg, "渝北区来电待回复\n江北区\xff已回电", &err), &err);
	char *draft = handover_draft_load(&fx->cfg);
	assert_non_null(draft);
	assert_true(text_is_valid_utf8(draft, strlen(draft)));
	assert_non_null(strstr(draft, "渝北区来电待回复\n江北区"));
	free(draft);
	must(handover_draft_save(&fx->cfg, "改写后的说明", &err), &err);
	draft = handover_draft_load(&fx->cfg);
	assert_string_equal(draft, "改写后的说明");
	free(draft);
	handover_draft_clear(&fx->cfg);
	assert_null(handover_draft_load(&fx->cfg));
}

static void objections_are_on_record(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char id[DD_UUID_LEN + 1];
	int64_t now = time_now_ms();
	must(handover_submit(fx->st, &fx->cfg, "一切正常", now, id, &err), &err);
	must(handover_accept(fx->st, &fx->cfg, "李娜", "未附涪陵事件处置记录", now + MIN_MS, id, &err), &err);
	struct dd_handover *h = malloc(sizeof *h);
	assert_non_null(h);
	must(store_handover_get(fx->st, id, h, &err), &err);
	assert_int_equal(handover_state(&fx->cfg, h, now + MIN_MS), DD_HO_OBJECTED);
	assert_string_equal(h->objection, "未附涪陵事件处置记录");
	assert_string_equal(handover_state_name(DD_HO_OBJECTED), "accepted-with-objections");
	/* Accepted with objections is accepted: the next handover is of the
	 * shift after, and the incoming officer holds the duty. */
	struct dd_handover_view *v = malloc(sizeof *v);
	assert_non_null(v);
	must(handover_view_at(fx->st, &fx->cfg, now + 2 * MIN_MS, v, &err), &err);
	assert_false(v->has_pending);
	assert_true(v->has_last);
	assert_int_equal(v->shift_start_ms, h->shift_end_ms);
	char officer[DD_PERSON_MAX + 1];
	must(handover_on_duty(fx->st, &fx->cfg, now + 2 * MIN_MS, officer, &err), &err);
	assert_string_equal(officer, "李娜");
	free(v);
	free(h);
	/* Both steps are lines of the shift log too, kind handover. */
	struct handover_lines seen = { 0 };
	struct dd_log_filter f;
	store_log_filter_init(&f);
	must(store_log_scan(fx->st, &f, NULL, false, 10, handover_line, &seen, &err), &err);
	assert_int_equal(seen.n, 2);
	if (!strstr(seen.text[0], "一切正常"))
		fail_msg("the submission's log line: %s", seen.text[0]);
	assert_non_null(strstr(seen.text[1], "李娜"));
	assert_non_null(strstr(seen.text[1], "未附涪陵事件处置记录"));
}

static void overdue_after_the_setting(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char id[DD_UUID_LEN + 1];
	int64_t now = time_now_ms();
	must(handover_submit(fx->st, &fx->cfg, "交班", now, id, &err), &err);
	struct dd_handover *h = malloc(sizeof *h);
	assert_non_null(h);
	must(store_handover_get(fx->st, id, h, &err), &err);
	int64_t end = h->shift_end_ms;
	assert_true(end > now);
	/* Submitted early: the time runs from the end of the shift. */
	assert_int_equal(handover_due_ms(&fx->cfg, h), end + 30 * MIN_MS);
	assert_int_equal(handover_state(&fx->cfg, h, end + 29 * MIN_MS), DD_HO_SUBMITTED);
	assert_int_equal(handover_state(&fx->cfg, h, end + 31 * MIN_MS), DD_HO_OVERDUE);
	fx->cfg.handover_accept_min = 60;
	assert_int_equal(handover_state(&fx->cfg, h, end + 31 * MIN_MS), DD_HO_SUBMITTED);
	assert_int_equal(handover_state(&fx->cfg, h, end + 61 * MIN_MS), DD_HO_OVERDUE);
	/* Submitted late: the time runs from the submission. */
	h->submitted_ms = end + 2 * HOUR_MS;
	assert_int_equal(handover_state(&fx->cfg, h, end + 2 * HOUR_MS + 59 * MIN_MS), DD_HO_SUBMITTED);
	assert_int_equal(handover_state(&fx->cfg, h, end + 3 * HOUR_MS + MIN_MS), DD_HO_OVERDUE);
	free(h);
}

static void on_duty_until_the_next_shift_ends(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char id[DD_UUID_LEN + 1], officer[DD_PERSON_MAX + 1];
	int64_t now = time_now_ms();
	must(handover_on_duty(fx->st, &fx->cfg, now, officer, &err), &err);
	assert_string_equal(officer, "");
	must(handover_submit(fx->st, &fx->cfg, "交班", now, id, &err), &err);
	must(handover_on_duty(fx->st, &fx->cfg, now, officer, &err), &err);
	assert_string_equal(officer, "");   /* submitted is not accepted */
	must(handover_accept(fx->st, &fx->cfg, "李娜", NULL, now + MIN_MS, id, &err), &err);
	struct dd_handover *h = malloc(sizeof *h);
	assert_non_null(h);
	must(store_handover_get(fx->st, id, h, &err), &err);
	int64_t next_start, next_end;
	char shift[DD_UUID_LEN + 1];
	must(handover_shift_at(fx->st, &fx->cfg, h->shift_end_ms, &next_start, &next_end, shift, &err), &err);
	assert_int_equal(next_start, h->shift_end_ms);
	must(handover_on_duty(fx->st, &fx->cfg, now, officer, &err), &err);
	assert_string_equal(officer, "");   /* before the acceptance */
	must(handover_on_duty(fx->st, &fx->cfg, now + MIN_MS, officer, &err), &err);
	assert_string_equal(officer, "李娜");
	must(handover_on_duty(fx->st, &fx->cfg, next_end - 1, officer, &err), &err);
	assert_string_equal(officer, "李娜");
	must(handover_on_duty(fx->st, &fx->cfg, next_end, officer, &err), &err);
	assert_string_equal(officer, "");
	free(h);
}

static void shift_from_the_schedule(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	int64_t now = time_now_ms(), start, end;
	char shift[DD_UUID_LEN + 1], id[DD_UUID_LEN + 1];
	const char *officers[] = { "张伟" };
	struct dd_shift_in in = { .org = "cq.center", .start_ms = now - 2 * HOUR_MS, .end_ms = now + 10 * HOUR_MS,
				  .officers = officers, .n_officers = 1 };
	must(duty_set(fx->st, &fx->cfg, &in, id, NULL, &err), &err);
	must(handover_shift_at(fx->st, &fx->cfg, now, &start, &end, shift, &err), &err);
	assert_string_equal(shift, id);
	assert_int_equal(start, now - 2 * HOUR_MS);
	assert_int_equal(end, now + 10 * HOUR_MS);
	char ho[DD_UUID_LEN + 1];
	must(handover_submit(fx->st, &fx->cfg, "交班", now, ho, &err), &err);
	struct dd_handover *h = malloc(sizeof *h);
	assert_non_null(h);
	must(store_handover_get(fx->st, ho, h, &err), &err);
	assert_string_equal(h->shift, id);
	assert_int_equal(h->shift_end_ms, now + 10 * HOUR_MS);
	free(h);
}

static void another_org_cannot_accept(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char id[DD_UUID_LEN + 1], other[DD_UUID_LEN + 1];
	int64_t now = time_now_ms();
	must(handover_submit(fx->st, &fx->cfg, "交班", now, id, &err), &err);
	/* Another desk's console sees no handover of its own to accept... */
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.yubei");
	as(fx, "李娜");
	assert_int_equal(handover_accept(fx->st, &fx->cfg, NULL, NULL, now + MIN_MS, other, &err), DD_EINVAL);
	/* ...and an acceptance it writes anyway leaves the desk's handover pending. */
	json_t *body = json_pack("{s:i, s:s}", "v", 1, "incoming", "李娜");
	struct dd_new_event ne = { .origin = fx->cfg.origin, .actor = "李娜", .org = "cq.yubei", .kind = "handover.accept",
				   .subject = id, .body = body, .at_ms = now + MIN_MS, .tz = fx->cfg.timezone };
	must(store_append_local(fx->st, &ne, NULL, &err), &err);
	json_decref(body);
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.center");
	struct dd_handover *h = malloc(sizeof *h);
	assert_non_null(h);
	must(store_handover_latest(fx->st, "cq.center", false, h, &err), &err);
	assert_string_equal(h->id, id);
	assert_int_equal(h->accepted_ms, 0);
	char officer[DD_PERSON_MAX + 1];
	must(handover_on_duty(fx->st, &fx->cfg, now + 2 * MIN_MS, officer, &err), &err);
	assert_string_equal(officer, "");
	free(h);
}

static void rebuild_equals_incremental(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char id[DD_UUID_LEN + 1];
	int64_t now = time_now_ms();
	must(handover_submit(fx->st, &fx->cfg, "第一版", now, id, &err), &err);
	must(handover_submit(fx->st, &fx->cfg, "第二版", now + MIN_MS, id, &err), &err);
	must(handover_accept(fx->st, &fx->cfg, "李娜", "有异议", now + 2 * MIN_MS, id, &err), &err);
	char before[DD_HASH_HEX + 1], after[DD_HASH_HEX + 1];
	must(store_digest(fx->st, before, &err), &err);
	must(store_rebuild(fx->st, &err), &err);
	must(store_digest(fx->st, after, &err), &err);
	assert_string_equal(before, after);
	struct dd_handover *h = malloc(sizeof *h);
	assert_non_null(h);
	must(store_handover_get(fx->st, id, h, &err), &err);
	assert_string_equal(h->notes, "第二版");
	assert_int_equal(h->n_submits, 2);
	assert_string_equal(h->objection, "有异议");
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(summary_lists_what_is_open),
		TEST(proposed_tier_marked),
		TEST(empty_desk_summary),
		TEST(submit_and_accept_rules),
		TEST(draft_survives_until_submitted),
		TEST(objections_are_on_record),
		TEST(overdue_after_the_setting),
		TEST(on_duty_until_the_next_shift_ends),
		TEST(shift_from_the_schedule),
		TEST(another_org_cannot_accept),
		TEST(rebuild_equals_incremental),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
