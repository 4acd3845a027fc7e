/*
 * cmd_rosterio.c — `dutydesk import orgs|roster|duty|objects FILE.csv`
 * and `dutydesk export roster|duty|objects --format csv|json`.
 *
 * The CSV export writes the columns the import reads (plus org_name,
 * which the import ignores), so a roster exported, edited in a
 * spreadsheet and imported again changes only what was edited.  It
 * starts with a UTF-8 byte-order mark, which is how Excel on a Chinese
 * Windows knows the file is not GBK.  A cell that a spreadsheet would
 * run as a formula (= + - @) gets a leading ', which the import drops.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/roster.h"
#include "dutydesk/rosterio.h"
#include "dutydesk/timefmt.h"

#define DAY_MS 86400000LL

static void print_problem(const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

int cmd_import_table(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "encoding", required_argument, NULL, 'e' }, { NULL, 0, NULL, 0 } };
	const char *encoding = NULL;
	int table = rosterio_table_parse(argv[1]);
	int c;
	optind = 2;
	while ((c = cli_getopt(cli, "import", argc, argv, opts)) != -1) {
		if (c != 'e')
			return EXIT_USAGE;
		encoding = optarg;
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "import", "give one CSV file after %s", argv[1]);
	const char *path = argv[optind];
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct dd_import_report rep;
	rc = rosterio_import_csv(cli->store, &cli->cfg, (enum dd_table)table, path, encoding, print_problem, NULL, &rep,
				 &cli->err);
	if (rc) {
		fprintf(stderr, "dutydesk import: %s\n", cli->err.msg);
		return rc == DD_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	printf("%s (%s): %ld rows, %ld events written, %ld unchanged\n", path, rep.encoding, rep.rows, rep.written,
	       rep.unchanged);
	return EXIT_OK;
}

/* ---- export ----------------------------------------------------------- */

struct out {
	FILE *f;
	bool json, first;
	const char *tz;
	int64_t rows;
};

static void csv_cell(FILE *f, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL || *s == ' ' || (*s && s[strlen(s) - 1] == ' ');
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	if (quote)
		fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
	fputs(last ? "\r\n" : ",", f);
}

static void csv_row(FILE *f, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++)
		csv_cell(f, cells[i] ? cells[i] : "", i == n - 1);
}

static void json_row(struct out *o, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	fprintf(o->f, "%s\n%s", o->first ? "" : ",", s ? s : "null");
	o->first = false;
	free(s);
	json_decref(j);
}

static void day_of(int64_t ms, const char *tz, const char *fmt, char *buf, size_t n)
{
	buf[0] = '\0';
	if (ms)
		time_format_local(ms, tz, fmt, buf, n);
}

static int roster_out(const struct dd_liaison *l, void *p)
{
	struct out *o = p;
	char from[32];
	day_of(l->valid_from_ms, o->tz, "%Y-%m-%d %H:%M", from, sizeof from);
	o->rows++;
	if (o->json) {
		json_row(o, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "org", l->org, "org_name", l->org_name,
				      "role", l->role, "name", l->name, "title", l->title, "office", l->office, "mobile",
				      l->mobile, "email", l->email, "valid_from", from));
		return 0;
	}
	const char *cells[] = { l->org, l->org_name, l->role, l->name, l->title, l->office, l->mobile, l->email, from };
	csv_row(o->f, cells, 9);
	return 0;
}

static int duty_out(const struct dd_shift *sh, void *p)
{
	struct out *o = p;
	char date[16], start[8], end[8], officers[1200] = "";
	day_of(sh->start_ms, o->tz, "%Y-%m-%d", date, sizeof date);
	day_of(sh->start_ms, o->tz, "%H:%M", start, sizeof start);
	day_of(sh->end_ms, o->tz, "%H:%M", end, sizeof end);
	for (int k = 0; k < sh->n_officers; k++)
		snprintf(officers + strlen(officers), sizeof officers - strlen(officers), "%s%s", k ? "、" : "", sh->officers[k]);
	o->rows++;
	if (o->json) {
		json_t *names = json_array();
		for (int k = 0; k < sh->n_officers; k++)
			json_array_append_new(names, json_string(sh->officers[k]));
		json_row(o, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:s}", "org", sh->org, "org_name",
				      sh->org_name, "post", sh->post, "date", date, "start", start, "end", end, "officers",
				      names, "leader", sh->leader, "phone", sh->phone, "h24", sh->h24, "reason", sh->reason));
		return 0;
	}
	const char *cells[] = { sh->org, sh->org_name, sh->post, date, start, end, officers, sh->leader, sh->phone,
				sh->h24 ? "yes" : "no", sh->reason };
	csv_row(o->f, cells, 11);
	return 0;
}

static int objects_out(const struct dd_object *b, void *p)
{
	struct out *o = p;
	char assessed[16];
	day_of(b->assessed_ms, o->tz, "%Y-%m-%d", assessed, sizeof assessed);
	o->rows++;
	if (o->json) {
		json_row(o, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "org", b->org, "org_name", b->org_name,
				      "district", b->district, "kind", b->kind, "name", b->name, "exposed", b->exposed,
				      "important", b->important, "assessed", assessed, "note", b->note));
		return 0;
	}
	const char *cells[] = { b->org, b->org_name, b->kind, b->name, b->exposed ? "yes" : "no",
				b->important ? "yes" : "no", assessed, b->note };
	csv_row(o->f, cells, 8);
	return 0;
}

int cmd_export_table(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "scope", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' }, { "from", required_argument, NULL, 'F' },
		{ "days", required_argument, NULL, 'd' },   { NULL, 0, NULL, 0 },
	};
	const char *what = argv[1], *scope = NULL, *output = NULL, *from = NULL;
	int format = -1, days = 7;
	int c;
	optind = 2;
	while ((c = cli_getopt(cli, "export", argc, argv, opts)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "json") != 0)
				return cli_usage_error(cli, "export", "--format %s: use csv or json for %s", optarg, what);
			format = strcmp(optarg, "json") == 0;
			break;
		case 's': scope = optarg; break;
		case 'o': output = optarg; break;
		case 'F': from = optarg; break;
		case 'd':
			days = atoi(optarg);
			if (days < 1 || days > 366)
				return cli_usage_error(cli, "export", "--days %s: give 1 to 366", optarg);
			break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "export", "unexpected argument '%s'", argv[optind]);
	if (format < 0)
		return cli_usage_error(cli, "export", "--format csv|json is required");
	i18n_init();
	int64_t at = time_now_ms(), start, end;
	int rc = cli_open(cli, DD_STORE_READONLY);
	if (rc || (from && (rc = cli_parse_time(cli, "export", "--from", from, &at))))
		return rc;
	char tmp[DD_PATH_MAX + 16];
	struct out o = { .f = stdout, .json = format == 1, .first = true, .tz = cli->cfg.timezone };
	if (output) {
		snprintf(tmp, sizeof tmp, "%s.part", output);
		if (!(o.f = fopen(tmp, "w"))) {
			fprintf(stderr, "dutydesk export: cannot write %s: %s\n", tmp, strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (o.json)
		fputs("[", o.f);
	else
		fputs("\xEF\xBB\xBF", o.f);
	if (strcmp(what, "roster") == 0) {
		static const char *const head[] = { "org", "org_name", "role", "name", "title", "office", "mobile", "email",
						    "valid_from" };
		if (!o.json)
			csv_row(o.f, head, 9);
		struct dd_contact_filter f;
		roster_contact_filter_init(&f);
		f.scope = scope;
		rc = store_contact_scan(cli->store, &f, NULL, false, INT32_MAX, roster_out, &o, &cli->err);
	} else if (strcmp(what, "duty") == 0) {
		static const char *const head[] = { "org", "org_name", "post", "date", "start", "end", "officers", "leader",
						    "phone", "h24", "reason" };
		if (!o.json)
			csv_row(o.f, head, 11);
		rc = duty_shift_bounds(cli->cfg.shift_start, cli->cfg.timezone, at, &start, &end, &cli->err);
		if (rc == 0)
			rc = store_duty_scan(cli->store, scope, start, start + days * DAY_MS, false, duty_out, &o, &cli->err);
	} else {
		static const char *const head[] = { "org", "org_name", "kind", "name", "exposed", "important", "assessed",
						    "note" };
		if (!o.json)
			csv_row(o.f, head, 8);
		struct dd_object_filter f;
		roster_object_filter_init(&f);
		f.scope = scope;
		rc = store_object_scan(cli->store, &f, NULL, INT32_MAX, objects_out, &o, &cli->err);
	}
	if (o.json)
		fputs("\n]\n", o.f);
	bool write_failed = fflush(o.f) != 0 || ferror(o.f);
	if (output) {
		write_failed |= fsync(fileno(o.f)) != 0;
		write_failed |= fclose(o.f) != 0;
		if (rc || write_failed || rename(tmp, output) != 0) {
			unlink(tmp);
			if (!rc)
				fprintf(stderr, "dutydesk export: cannot write %s: %s\n", output, strerror(errno));
			write_failed = true;
		}
	}
	if (rc)
		return cli_report(cli, &cli->err);
	if (write_failed) {
		if (!output)
			fprintf(stderr, "dutydesk export: writing the output failed\n");
		return EXIT_FAIL;
	}
	if (output)
		fprintf(stderr, "%lld rows written to %s\n", (long long)o.rows, output);
	return EXIT_OK;
}
