/*
 * logout.c — printing shift-log rows as plain text, JSON, CSV or Markdown
 * (see logout.h).  Output is streamed row by row, so exporting a million
 * entries needs no more memory than one.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/drill.h"
#include "dutydesk/i18n.h"
#include "dutydesk/kinds.h"
#include "dutydesk/logout.h"
#include "dutydesk/shiftlog.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"


int logout_parse_format(const char *name)
{
	if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
		return LOGOUT_MD;
	if (strcmp(name, "csv") == 0)
		return LOGOUT_CSV;
	if (strcmp(name, "json") == 0)
		return LOGOUT_JSON;
	return -1;
}

/* Translated label of a log kind, for people (plain and Markdown). */
static const char *kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ "note", N_("note") },         { "call-in", N_("call in") },
		{ "call-out", N_("call out") }, { "action", N_("action") },
		{ "handover", N_("handover") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return _(labels[i].label);
	return kind;
}

static void put_padded(FILE *out, const char *s, int cols)
{
	char buf[512];
	text_pad(buf, sizeof buf, s, cols);
	fputs(buf, out);
}

/* A quoted CSV cell.  Control characters are shown as visible escapes
 * (the JSON export is the lossless one), and a cell a spreadsheet would
 * run as a formula (= + - @) is prefixed with ' as OWASP recommends. */
static void csv_field(FILE *out, const char *raw)
{
	char *clean = text_escape(raw);
	const char *s = clean ? clean : "";
	fputc('"', out);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
	free(clean);
}

void logout_md_cell(FILE *out, const char *s)
{
	char *clean = text_escape(s);
	for (const char *p = clean ? clean : ""; *p; p++) {
		if (*p == '|' || *p == '\\' || *p == '<' || *p == '>' || *p == '*' || *p == '_' || *p == '`')
			fputc('\\', out);
		fputc(*p, out);
	}
	free(clean);
}

void logout_begin(struct logout *lo)
{
	lo->rows = 0;
	lo->day = INT64_MIN;
	switch (lo->format) {
	case LOGOUT_JSON:
		fputs("[", lo->out);
		break;
	case LOGOUT_CSV:
		fputs("time,officer,org,kind,text,id,corrects,drill\r\n", lo->out);
		break;
	case LOGOUT_MD: {
		char now[64];
		time_format_local(time_now_ms(), lo->tz, "%Y-%m-%d %H:%M", now, sizeof now);
		fprintf(lo->out, "# %s — %s\n\n%s %s (%s)\n", _("Shift log"), lo->title_org ? lo->title_org : "",
			_("Exported"), now, lo->tz);
		break;
	}
	case LOGOUT_PLAIN:
		break;
	}
}

int logout_row(const struct dd_log_row *row, void *ctx)
{
	struct logout *lo = ctx;
	FILE *out = lo->out;
	char local[64];
	switch (lo->format) {
	case LOGOUT_PLAIN: {
		time_format_local(row->at_ms, lo->tz, "%Y-%m-%d %H:%M:%S", local, sizeof local);
		fprintf(out, "%s  %s  ", local, shiftlog_short_id(row->id));
		put_padded(out, drill_actor_label(row->officer), 10);
		fputs("  ", out);
		put_padded(out, kind_label(row->kind), 8);
		fputs("  ", out);
		if (row->drill)
			fprintf(out, "[%s] ", _("DRILL"));
		char *text = text_escape(row->text);
		fputs(text ? text : "", out);
		free(text);
		if (row->corrects[0])
			fprintf(out, "  (%s #%s)", _("corrects"), shiftlog_short_id(row->corrects));
		fputc('\n', out);
		break;
	}
	case LOGOUT_JSON: {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", row->id, "at", row->at,
				      "officer", row->officer, "org", row->org, "kind", row->kind, "text", row->text,
				      "drill", row->drill);
		if (o && row->corrects[0])
			json_object_set_new(o, "corrects", json_string(row->corrects));
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		fprintf(out, "%s\n%s", lo->rows ? "," : "", s ? s : "null");
		free(s);
		json_decref(o);
		break;
	}
	case LOGOUT_CSV:
		time_format_rfc3339(row->at_ms, lo->tz, local, sizeof local);
		csv_field(out, local);
		fputc(',', out);
		csv_field(out, row->officer);
		fputc(',', out);
		csv_field(out, row->org);
		fputc(',', out);
		csv_field(out, row->kind);
		fputc(',', out);
		csv_field(out, row->text);
		fprintf(out, ",%s,%s,%d\r\n", row->id, row->corrects, row->drill);
		break;
	case LOGOUT_MD: {
		int64_t day = time_local_day(row->at_ms, lo->tz);
		if (day != lo->day) {
			lo->day = day;
			time_format_local(row->at_ms, lo->tz, "%Y-%m-%d %A", local, sizeof local);
			fprintf(out, "\n## %s\n\n| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", local, _("Time"),
				_("Officer"), _("Kind"), _("Entry"), _("ID"));
		}
		time_format_local(row->at_ms, lo->tz, "%H:%M:%S", local, sizeof local);
		fprintf(out, "| %s | ", local);
		logout_md_cell(out, drill_actor_label(row->officer));
		fprintf(out, " | %s | ", kind_label(row->kind));
		if (row->drill)
			fprintf(out, "**%s** ", _("DRILL"));
		logout_md_cell(out, row->text);
		if (row->corrects[0])
			fprintf(out, " (%s #%s)", _("corrects"), shiftlog_short_id(row->corrects));
		fprintf(out, " | %s |\n", shiftlog_short_id(row->id));
		break;
	}
	}
	lo->rows++;
	if (ferror(out)) {
		lo->failed = 1;
		return 1;
	}
	return 0;
}

int logout_end(struct logout *lo)
{
	if (lo->format == LOGOUT_JSON)
		fputs(lo->rows ? "\n]\n" : "]\n", lo->out);
	else if (lo->format == LOGOUT_MD)
		fprintf(lo->out, "\n%s: %lld\n", _("Entries"), (long long)lo->rows);
	if (fflush(lo->out) != 0 || ferror(lo->out))
		lo->failed = 1;
	return lo->failed ? -1 : 0;
}
