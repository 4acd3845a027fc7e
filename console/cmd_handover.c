/*
 * cmd_handover.c — `dutydesk handover …`: show the handover of the shift
 * (the one awaiting acceptance, else the draft with a fresh summary),
 * submit it with notes, accept it (with objections), and export a
 * printable handover sheet (交接班记录) in Chinese as Markdown.  Rules in
 * core/handover.c; refusals exit 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/advisory.h"
#include "dutydesk/cli.h"
#include "dutydesk/editor.h"
#include "dutydesk/handover.h"
#include "dutydesk/i18n.h"
#include "dutydesk/incfmt.h"
#include "dutydesk/incident.h"
#include "dutydesk/logout.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/tiers.h"
#include "dutydesk/timefmt.h"

/* Larger than the notes may be, so a long file is refused by the rules
 * with a clear message rather than cut here. */
#define NOTES_FILE_MAX (64 * 1024)

static int refused(struct cli *cli, const char *command)
{
	if (cli->err.code == DD_EINVAL || cli->err.code == DD_ENOTFOUND)
		return cli_usage_error(cli, command, "%s", cli->err.msg);
	return cli_report(cli, &cli->err);
}

/* A stored string made safe for the terminal (text_fit escapes control
 * characters); a few rotating buffers so one printf can take several. */
static const char *esc(const char *text)
{
	static char bufs[8][1024];
	static int next;
	char *b = bufs[next++ % 8];
	text_fit(b, sizeof bufs[0], text, 300);
	return b;
}

static void when(const struct cli *cli, int64_t ms, const char *fmt, char *buf, size_t n)
{
	if (ms)
		time_format_local(ms, cli->cfg.timezone, fmt, buf, n);
	else
		snprintf(buf, n, "—");
}

/* The handover a command is about: pending, else the last accepted one
 * (export prints the handover that happened), else the draft. */
struct subject {
	struct dd_handover_view v;
	const struct dd_handover *h;          /* NULL: the draft */
	struct dd_handover_summary live;      /* the draft's summary */
	const struct dd_handover_summary *sum;
	enum dd_handover_state state;
};

static int load(struct cli *cli, int64_t now, bool last_too, struct subject *s)
{
	if (handover_view_at(cli->store, &cli->cfg, now, &s->v, &cli->err))
		return cli_report(cli, &cli->err);
	s->h = s->v.has_pending ? &s->v.pending : last_too && s->v.has_last ? &s->v.last : NULL;
	if (s->h) {
		s->sum = &s->h->summary;
		s->state = handover_state(&cli->cfg, s->h, now);
		return EXIT_OK;
	}
	s->state = DD_HO_DRAFT;
	s->sum = &s->live;
	if (handover_summary_build(cli->store, &cli->cfg, now, s->v.shift_start_ms, s->v.shift_end_ms, &s->live,
				   &cli->err))
		return cli_report(cli, &cli->err);
	return EXIT_OK;
}

/* ---- show ------------------------------------------------------------ */

static void print_state(struct cli *cli, const struct subject *s)
{
	char a[32], b[32];
	const struct dd_handover *h = s->h;
	switch (s->state) {
	case DD_HO_DRAFT: printf("%s\n", _("State: draft (not submitted)")); break;
	case DD_HO_SUBMITTED:
	case DD_HO_OVERDUE:
		when(cli, h->submitted_ms, "%m-%d %H:%M", a, sizeof a);
		when(cli, handover_due_ms(&cli->cfg, h), "%m-%d %H:%M", b, sizeof b);
		printf(s->state == DD_HO_OVERDUE ? _("State: submitted by %s at %s, NOT ACCEPTED (due %s)")
						 : _("State: submitted by %s at %s, to be accepted by %s"),
		       esc(h->outgoing), a, b);
		putchar('\n');
		break;
	case DD_HO_ACCEPTED:
	case DD_HO_OBJECTED:
		when(cli, h->accepted_ms, "%m-%d %H:%M", a, sizeof a);
		printf(_("State: %s handed over to %s, accepted at %s"), esc(h->outgoing), esc(h->incoming), a);
		putchar('\n');
		if (h->objection[0])
			printf("%s %s\n", _("Objections:"), esc(h->objection));
		break;
	}
}

static void print_summary(struct cli *cli, const struct dd_tiers *tiers, const struct dd_handover_summary *s,
			  int64_t now)
{
	char a[32], b[64], title[400];
	putchar('\n');
	printf(_("Open incidents (%lld)"), (long long)s->incidents_total);
	putchar('\n');
	int badge_cols = 0;
	for (int t = 0; t < DD_TIERS; t++) {
		incfmt_badge(tiers, t, true, a, sizeof a);
		if (text_width(a) > badge_cols)
			badge_cols = text_width(a);
	}
	for (int i = 0; i < s->n_incidents; i++) {
		const struct dd_ho_incident *o = &s->incidents[i];
		char badge[96], status[96], due[320];
		incfmt_badge(tiers, o->tier, o->unconfirmed, a, sizeof a);
		text_pad(badge, sizeof badge, a, badge_cols);
		text_pad(status, sizeof status, incfmt_status(o->status), incfmt_status_cols());
		incfmt_countdown(o->next_due_ms, now, b, sizeof b);
		snprintf(title, sizeof title, "%s → %s", b, incfmt_hop(tiers, o->tier, o->next_due_what));
		text_pad(due, sizeof due, o->next_due_ms ? title : "—", 32);
		text_fit(title, sizeof title, o->title, 40);
		printf("  %s  %s  %s  %s  %s\n", shiftlog_short_id(o->id), badge, status, due, title);
	}
	when(cli, s->next_end_ms, "%m-%d %H:%M", a, sizeof a);
	putchar('\n');
	printf(_("Reports overdue or due before the next shift ends (%s) (%lld)"), a, (long long)s->hops_total);
	putchar('\n');
	for (int i = 0; i < s->n_hops; i++) {
		const struct dd_ho_hop *o = &s->hops[i];
		char due[96];
		incfmt_countdown(o->due_ms, now, b, sizeof b);
		text_pad(due, sizeof due, b, 14);
		text_fit(title, sizeof title, o->title, 40);
		printf("  %s  %s  → %s · %s\n", shiftlog_short_id(o->incident), due, esc(o->to), title);
	}
	putchar('\n');
	if (s->period[0]) {
		when(cli, s->slot_ms, "%m-%d %H:%M", a, sizeof a);
		printf(_("Missing zero reports · %s %s (%lld)"), esc(s->period_name), a, (long long)s->missing_total);
		putchar('\n');
		for (int i = 0; i < s->n_missing; i++)
			printf("  %s\n", esc(s->missing[i].name[0] ? s->missing[i].name : s->missing[i].org));
	} else {
		printf("%s\n", _("Missing zero reports: no protection period with zero reporting"));
	}
	putchar('\n');
	printf(_("Advisories awaiting answers (%lld)"), (long long)s->advisories_total);
	putchar('\n');
	for (int i = 0; i < s->n_advisories; i++) {
		const struct dd_ho_advisory *o = &s->advisories[i];
		when(cli, o->deadline_ms, "%m-%d %H:%M", a, sizeof a);
		text_fit(title, sizeof title, o->title, 40);
		printf("  %s  ", shiftlog_short_id(o->id));
		printf(_("%s %lld/%lld answered · deadline %s · %s"), advisory_level_label(o->level),
		       (long long)o->reported, (long long)o->recipients, a, title);
		putchar('\n');
	}
	putchar('\n');
	printf(_("Calls not reached (%lld)"), (long long)s->calls_total);
	putchar('\n');
	for (int i = 0; i < s->n_calls; i++) {
		const struct dd_ho_call *o = &s->calls[i];
		when(cli, o->at_ms, "%m-%d %H:%M", a, sizeof a);
		printf("  %s  %s %s  %s  %s  %s\n", a, esc(o->callee), esc(o->callee_name),
		       o->liaison[0] ? esc(o->liaison) : "—", roster_call_result_label(o->result), esc(o->officer));
	}
}

static json_t *handover_json(struct cli *cli, const struct dd_handover *h, int64_t now)
{
	char sub[DD_AT_MAX] = "", acc[DD_AT_MAX] = "", due[DD_AT_MAX] = "";
	time_format_rfc3339(h->submitted_ms, cli->cfg.timezone, sub, sizeof sub);
	time_format_rfc3339(handover_due_ms(&cli->cfg, h), cli->cfg.timezone, due, sizeof due);
	if (h->accepted_ms)
		time_format_rfc3339(h->accepted_ms, cli->cfg.timezone, acc, sizeof acc);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "id", h->id, "state",
			 handover_state_name(handover_state(&cli->cfg, h, now)), "org", h->org, "shift", h->shift,
			 "outgoing", h->outgoing, "submitted_at", sub, "accept_by", due, "incoming", h->incoming,
			 "accepted_at", acc, "notes", h->notes, "submissions", h->n_submits, "objection",
			 h->objection[0] ? json_string(h->objection) : json_null());
}

static int handover_show(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 } };
	const char *cmd = "handover show";
	bool json = false;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		if (c != 'j')
			return EXIT_USAGE;
		json = true;
	}
	if (optind < argc)
		return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[optind]);
	i18n_init();
	struct dd_tiers tiers;
	if ((rc = cli_open(cli, DD_STORE_READONLY)) || (rc = cli_load_tiers(cli, &tiers)))
		return rc;
	struct subject *s = malloc(sizeof *s);
	if (!s)
		return cli_report(cli, &(struct dd_error){ DD_ENOMEM, "out of memory" });
	int64_t now = time_now_ms();
	if ((rc = load(cli, now, false, s))) {
		free(s);
		return rc;
	}
	char a[32], b[32];
	if (json) {
		char start[DD_AT_MAX], end[DD_AT_MAX];
		time_format_rfc3339(s->v.shift_start_ms, cli->cfg.timezone, start, sizeof start);
		time_format_rfc3339(s->v.shift_end_ms, cli->cfg.timezone, end, sizeof end);
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "state", handover_state_name(s->state), "org",
				      cli->cfg.org, "shift_start", start, "shift_end", end, "handover",
				      s->h ? handover_json(cli, s->h, now) : json_null(), "last",
				      s->v.has_last ? handover_json(cli, &s->v.last, now) : json_null(), "summary",
				      handover_summary_to_json(s->sum, cli->cfg.timezone));
		char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
		json_decref(j);
		if (text)
			puts(text);
		free(text);
		free(s);
		return text ? EXIT_OK : EXIT_FAIL;
	}
	when(cli, s->v.shift_start_ms, "%m-%d %H:%M", a, sizeof a);
	when(cli, s->v.shift_end_ms, "%m-%d %H:%M", b, sizeof b);
	char org[INCFMT_ORG_LEN];
	printf(_("Handover · %s · shift %s–%s"), incfmt_org(cli->store, cli->cfg.org, org, sizeof org), a, b);
	putchar('\n');
	print_state(cli, s);
	if (!s->h && s->v.has_last) {
		when(cli, s->v.last.accepted_ms, "%m-%d %H:%M", a, sizeof a);
		printf(_("Last handover: %s to %s, accepted at %s"), esc(s->v.last.outgoing), esc(s->v.last.incoming), a);
		putchar('\n');
	}
	print_summary(cli, &tiers, s->sum, now);
	/* Notes written in the console and not yet submitted are the desk's
	 * draft: shown as such, where the submitted ones would be. */
	char *draft = s->h ? NULL : handover_draft_load(&cli->cfg);
	printf("\n%s\n", draft ? _("Notes (draft, not submitted)") : _("Notes"));
	if (s->h || draft) {
		/* Line by line, each escaped: a stored control character is
		 * shown, never sent to the terminal. */
		char line[DD_HANDOVER_NOTES_MAX + 1];
		for (const char *p = draft ? draft : s->h->notes; *p;) {
			size_t n = strcspn(p, "\n");
			snprintf(line, sizeof line, "%.*s", (int)n, p);
			char *clean = text_escape(line);
			printf("  %s\n", clean ? clean : "");
			free(clean);
			p += n + (p[n] == '\n');
		}
	} else {
		printf("%s\n", _("  (none yet: `dutydesk handover submit` writes them)"));
	}
	free(draft);
	free(s);
	return EXIT_OK;
}

/* ---- submit and accept ------------------------------------------------- */

static int read_notes_file(struct cli *cli, const char *cmd, const char *path, char **out)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f)
		return cli_usage_error(cli, cmd, "--notes-file %s: %s", path, strerror(errno));
	char *buf = malloc(NOTES_FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, NOTES_FILE_MAX, f) : 0;
	bool failed = !buf || ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed) {
		free(buf);
		return cli_usage_error(cli, cmd, "--notes-file %s: cannot read it", path);
	}
	buf[n] = '\0';
	*out = buf;
	return EXIT_OK;
}

static int handover_submit_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "notes", required_argument, NULL, 'n' },
		{ "notes-file", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "handover submit", *notes = NULL, *file = NULL;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'n': notes = optarg; break;
		case 'f': file = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (notes && file)
		return cli_usage_error(cli, cmd, "give --notes or --notes-file, not both");
	i18n_init();
	if ((rc = cli_open(cli, 0)))
		return rc;
	char *text = NULL;
	if (file && (rc = read_notes_file(cli, cmd, file, &text)))
		return rc;
	if (!notes && !file) {
		/* The notes start from the draft written in the console, else,
		 * for a handover submitted again, from the last ones. */
		struct dd_handover *h = malloc(sizeof *h);
		bool again = h && store_handover_latest(cli->store, cli->cfg.org, false, h, &cli->err) == 0 &&
			     strcmp(h->outgoing, cli->cfg.officer) == 0;
		char *draft = handover_draft_load(&cli->cfg);
		rc = editor_edit(NULL, draft ? draft : again ? h->notes : "", &text, &cli->err);
		free(draft);
		free(h);
		if (rc)
			return cli_report(cli, &cli->err);
	}
	char id[DD_UUID_LEN + 1];
	rc = handover_submit(cli->store, &cli->cfg, text ? text : notes, time_now_ms(), id, &cli->err);
	free(text);
	if (rc) {
		if (file && cli->err.code == DD_EINVAL)
			return cli_usage_error(cli, cmd, "%s: %s", file, cli->err.msg);
		return refused(cli, cmd);
	}
	handover_draft_clear(&cli->cfg);
	printf("%s handover submitted by %s\n", shiftlog_short_id(id), cli->cfg.officer);
	return EXIT_OK;
}

static int handover_accept_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "objection", required_argument, NULL, 'o' },
		{ "officer", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "handover accept", *objection = NULL, *officer = NULL;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'o': objection = optarg; break;
		case 'p': officer = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[optind]);
	i18n_init();
	if ((rc = cli_open(cli, 0)))
		return rc;
	char id[DD_UUID_LEN + 1];
	if (handover_accept(cli->store, &cli->cfg, officer, objection, time_now_ms(), id, &cli->err))
		return refused(cli, cmd);
	printf("%s handover accepted by %s%s\n", shiftlog_short_id(id), officer ? officer : cli->cfg.officer,
	       objection ? ", with objections" : "");
	return EXIT_OK;
}

/* ---- the sheet ----------------------------------------------------------- */

static const char *status_zh(int status)
{
	static const char *const labels[DD_STATUSES] = { "已报告", "研判中", "处置中", "恢复中", "已关闭", "已复盘" };
	return status >= 0 && status < DD_STATUSES ? labels[status] : "?";
}

static const char *state_zh(enum dd_handover_state s)
{
	static const char *const labels[] = { "草稿（未提交）", "待接班", "逾期未接班", "已接班", "已接班（有异议）" };
	return labels[s];
}

static void md_row(FILE *out, int n, const char *const *cells)
{
	fputs("|", out);
	for (int i = 0; i < n; i++) {
		fputs(" ", out);
		logout_md_cell(out, cells[i]);
		fputs(" |", out);
	}
	fputs("\n", out);
}

/* Notes as paragraphs: each line escaped as a table cell is, so nothing
 * typed can become a heading, a list or a link. */
static void md_text(FILE *out, const char *text)
{
	char line[DD_HANDOVER_NOTES_MAX + 1];
	while (*text) {
		size_t n = strcspn(text, "\n");
		snprintf(line, sizeof line, "%.*s", (int)n, text);
		if (line[0]) {
			logout_md_cell(out, line);
			fputs("  \n", out);
		} else {
			fputs("\n", out);
		}
		text += n;
		if (*text == '\n')
			text++;
	}
	fputs("\n", out);
}

static void write_sheet(struct cli *cli, const struct dd_tiers *tiers, const struct subject *s, int64_t now,
			FILE *out)
{
	const struct dd_handover *h = s->h;
	const struct dd_handover_summary *sum = s->sum;
	char a[64], b[128], c[64], d[64], shift[300], org[INCFMT_ORG_LEN], tier[96], due[400];
	when(cli, s->v.shift_start_ms, "%Y-%m-%d %H:%M", a, sizeof a);
	when(cli, s->v.shift_end_ms, "%Y-%m-%d %H:%M", b, sizeof b);
	if (h) {
		when(cli, h->shift_start_ms, "%Y-%m-%d %H:%M", a, sizeof a);
		when(cli, h->shift_end_ms, "%Y-%m-%d %H:%M", b, sizeof b);
	}
	snprintf(shift, sizeof shift, "%s 至 %s", a, b);
	fprintf(out, "# 值班交接班记录\n\n| 项目 | 内容 |\n|---|---|\n");
	when(cli, h ? h->submitted_ms : 0, "%Y-%m-%d %H:%M", a, sizeof a);
	when(cli, h ? h->accepted_ms : 0, "%Y-%m-%d %H:%M", b, sizeof b);
	when(cli, sum->at_ms, "%Y-%m-%d %H:%M", c, sizeof c);
	const char *rows[][2] = {
		{ "单位", incfmt_org(cli->store, cli->cfg.org, org, sizeof org) },
		{ "班次", shift },
		{ "交班人", h ? h->outgoing : cli->cfg.officer },
		{ "交班时间", a },
		{ "接班人", h && h->incoming[0] ? h->incoming : "—" },
		{ "接班时间", b },
		{ "状态", state_zh(s->state) },
		{ "摘要生成时间", c },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		md_row(out, 2, rows[i]);

	fprintf(out, "\n## 一、未结事件（%lld）\n\n", (long long)sum->incidents_total);
	if (sum->n_incidents) {
		fprintf(out, "| 编号 | 事件 | 级别 | 状态 | 下一时限 |\n|---|---|---|---|---|\n");
		for (int i = 0; i < sum->n_incidents; i++) {
			const struct dd_ho_incident *o = &sum->incidents[i];
			when(cli, o->next_due_ms, "%m-%d %H:%M", a, sizeof a);
			snprintf(due, sizeof due, "%s %s%s", incfmt_hop(tiers, o->tier, o->next_due_what), a,
				 o->next_due_ms && o->next_due_ms <= now ? "（已逾期）" : "");
			snprintf(tier, sizeof tier, "%s%s", tiers->tier[o->tier].name_zh, o->unconfirmed ? "（待确认）" : "");
			const char *cells[] = { shiftlog_short_id(o->id), o->title, tier, status_zh(o->status),
						o->next_due_ms ? due : "—" };
			md_row(out, 5, cells);
		}
	} else {
		fputs("无。\n", out);
	}
	when(cli, sum->next_end_ms, "%m-%d %H:%M", d, sizeof d);
	fprintf(out, "\n## 二、已逾期或下一班次内到期的上报环节（至 %s，%lld）\n\n", d, (long long)sum->hops_total);
	if (sum->n_hops) {
		fprintf(out, "| 编号 | 事件 | 报送对象 | 时限 |\n|---|---|---|---|\n");
		for (int i = 0; i < sum->n_hops; i++) {
			const struct dd_ho_hop *o = &sum->hops[i];
			when(cli, o->due_ms, "%m-%d %H:%M", a, sizeof a);
			snprintf(b, sizeof b, "%s%s", a, o->due_ms <= now ? "（已逾期）" : "");
			const char *cells[] = { shiftlog_short_id(o->incident), o->title, o->to, b };
			md_row(out, 4, cells);
		}
	} else {
		fputs("无。\n", out);
	}
	if (sum->period[0]) {
		when(cli, sum->slot_ms, "%m-%d %H:%M", a, sizeof a);
		fprintf(out, "\n## 三、零报告未报（");
		logout_md_cell(out, sum->period_name);
		fprintf(out, "，报告时间 %s，%lld）\n\n", a, (long long)sum->missing_total);
	} else {
		fprintf(out, "\n## 三、零报告未报（0）\n\n");
	}
	if (sum->n_missing) {
		fprintf(out, "| 单位编号 | 单位名称 |\n|---|---|\n");
		for (int i = 0; i < sum->n_missing; i++) {
			const char *cells[] = { sum->missing[i].org, sum->missing[i].name };
			md_row(out, 2, cells);
		}
	} else {
		fputs(sum->period[0] ? "无。\n" : "当前无开展零报告的重保时期。\n", out);
	}
	fprintf(out, "\n## 四、待反馈的预警通报（%lld）\n\n", (long long)sum->advisories_total);
	if (sum->n_advisories) {
		fprintf(out, "| 编号 | 标题 | 等级 | 截止时间 | 已反馈 |\n|---|---|---|---|---|\n");
		for (int i = 0; i < sum->n_advisories; i++) {
			const struct dd_ho_advisory *o = &sum->advisories[i];
			when(cli, o->deadline_ms, "%m-%d %H:%M", a, sizeof a);
			snprintf(b, sizeof b, "%lld/%lld", (long long)o->reported, (long long)o->recipients);
			const char *cells[] = { shiftlog_short_id(o->id), o->title, advisory_level_label(o->level), a, b };
			md_row(out, 5, cells);
		}
	} else {
		fputs("无。\n", out);
	}
	fprintf(out, "\n## 五、未接通的电话（%lld）\n\n", (long long)sum->calls_total);
	if (sum->n_calls) {
		fprintf(out, "| 时间 | 单位 | 联络员 | 结果 | 值班员 |\n|---|---|---|---|---|\n");
		for (int i = 0; i < sum->n_calls; i++) {
			const struct dd_ho_call *o = &sum->calls[i];
			when(cli, o->at_ms, "%m-%d %H:%M", a, sizeof a);
			const char *cells[] = { a, o->callee_name[0] ? o->callee_name : o->callee,
						o->liaison[0] ? o->liaison : "—", roster_call_result_label(o->result),
						o->officer };
			md_row(out, 5, cells);
		}
	} else {
		fputs("无。\n", out);
	}
	fputs("\n## 六、交班说明\n\n", out);
	if (h)
		md_text(out, h->notes);
	else
		fputs("（尚未提交）\n\n", out);
	fputs("## 七、接班意见\n\n", out);
	if (h && h->objection[0])
		md_text(out, h->objection);
	else
		fputs(h && h->accepted_ms ? "无异议。\n\n" : "（尚未接班）\n\n", out);
	fputs("交班人（签字）：__________　　接班人（签字）：__________\n", out);
}

static int handover_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "handover export", *format = NULL, *output = NULL;
	int c, rc;
	optind = 1;
	while ((c = cli_getopt(cli, cmd, argc, argv, opts)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (!format)
		return cli_usage_error(cli, cmd, "--format md is required");
	if (strcmp(format, "md") != 0 && strcmp(format, "markdown") != 0)
		return cli_usage_error(cli, cmd, "--format %s: the sheet is Markdown (md)", format);
	i18n_init();
	struct dd_tiers tiers;
	if ((rc = cli_open(cli, DD_STORE_READONLY)) || (rc = cli_load_tiers(cli, &tiers)))
		return rc;
	struct subject *s = malloc(sizeof *s);
	if (!s)
		return cli_report(cli, &(struct dd_error){ DD_ENOMEM, "out of memory" });
	int64_t now = time_now_ms();
	if ((rc = load(cli, now, true, s))) {
		free(s);
		return rc;
	}
	/* Written beside its final name and renamed when complete, as
	 * `export` does: a full disk never leaves half a sheet. */
	char tmp[DD_PATH_MAX + 16];
	FILE *out = stdout;
	if (output) {
		snprintf(tmp, sizeof tmp, "%s.part", output);
		if (!(out = fopen(tmp, "w"))) {
			free(s);
			fprintf(stderr, "dutydesk %s: cannot write %s: %s\n", cmd, tmp, strerror(errno));
			return EXIT_FAIL;
		}
	}
	write_sheet(cli, &tiers, s, now, out);
	free(s);
	bool failed = fflush(out) != 0 || ferror(out);
	if (output) {
		failed |= fsync(fileno(out)) != 0;
		failed |= fclose(out) != 0;
		if (failed || rename(tmp, output) != 0) {
			unlink(tmp);
			fprintf(stderr, "dutydesk %s: cannot write %s: %s\n", cmd, output, strerror(errno));
			return EXIT_FAIL;
		}
		fprintf(stderr, "handover sheet written to %s\n", output);
	} else if (failed) {
		fprintf(stderr, "dutydesk %s: writing the output failed\n", cmd);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_handover(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(cli, "handover", "give show, submit, accept or export");
	if (strcmp(argv[1], "show") == 0)
		return handover_show(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "submit") == 0)
		return handover_submit_cmd(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "accept") == 0)
		return handover_accept_cmd(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return handover_export(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, "handover", "unknown subcommand '%s' (show, submit, accept, export)", argv[1]);
}
