/*
 * rosterio.c — importing the roster from CSV files and loading the org
 * tree from a libconfig file (see rosterio.h).
 *
 * Invariants: nothing is stored unless every row is good — rows are
 * applied inside one batch and the batch is rolled back at the first
 * sign of a bad one, but checking goes on so that every bad row is
 * reported; each problem carries the line and column it is about, and
 * problems are handed out sorted by position, whatever order the rows
 * were applied in (orgs go parents first).
 */
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dutydesk/csv.h"
#include "dutydesk/roster.h"
#include "dutydesk/rosterio.h"
#include "dutydesk/timefmt.h"

int rosterio_table_parse(const char *s)
{
	static const char *const names[] = { "orgs", "roster", "duty", "objects", NULL };
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* ---- problems, sorted before they are handed out -------------------- */

struct problem {
	long line, col;
	long seq;      /* keeps equal positions in the order found */
	char *msg;
};

struct problems {
	struct problem *v;
	size_t n, cap;
	const char *file;
};

static void problem_add(struct problems *p, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem_add(struct problems *p, long line, long col, const char *fmt, ...)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct problem *bigger = realloc(p->v, cap * sizeof *bigger);
		if (!bigger)
			return;
		p->v = bigger;
		p->cap = cap;
	}
	char what[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	char *msg = malloc(strlen(p->file) + strlen(what) + 48);
	if (!msg)
		return;
	if (col > 0)
		sprintf(msg, "%s:%ld:%ld: %s", p->file, line, col, what);
	else
		sprintf(msg, "%s:%ld: %s", p->file, line, what);
	p->v[p->n] = (struct problem){ line, col, (long)p->n, msg };
	p->n++;
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void problems_flush(struct problems *p, dd_problem_cb cb, void *ctx)
{
	if (p->n)
		qsort(p->v, p->n, sizeof *p->v, problem_cmp);
	for (size_t i = 0; i < p->n; i++) {
		if (cb)
			cb(p->v[i].msg, ctx);
		free(p->v[i].msg);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

/* ---- keys seen, for duplicates -------------------------------------- */

struct seen {
	char **keys;
	long *lines;
	size_t cap, n;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Records key at line; returns the line it was first seen on, or 0. */
static long seen_put(struct seen *s, const char *key, long line)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		char **keys = calloc(cap, sizeof *keys);
		long *lines = calloc(cap, sizeof *lines);
		if (!keys || !lines) {
			free(keys);
			free(lines);
			return 0;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->keys[i])
				continue;
			size_t j = fnv1a(s->keys[i]) & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = s->keys[i];
			lines[j] = s->lines[i];
		}
		free(s->keys);
		free(s->lines);
		s->keys = keys;
		s->lines = lines;
		s->cap = cap;
	}
	size_t j = fnv1a(key) & (s->cap - 1);
	while (s->keys[j]) {
		if (strcmp(s->keys[j], key) == 0)
			return s->lines[j];
		j = (j + 1) & (s->cap - 1);
	}
	s->keys[j] = strdup(key);
	s->lines[j] = line;
	s->n++;
	return 0;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->lines);
	memset(s, 0, sizeof *s);
}

/* ---- values ---------------------------------------------------------- */

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "是", "有", "√", NULL };
	static const char *const no[] = { "no", "n", "false", "0", "否", "无", "", NULL };
	for (int i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *out = true, 0;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *out = false, 0;
	return -1;
}

/* A copy of s without surrounding white space (ASCII and U+3000). */
static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t' || strncmp(s, "\u3000", 3) == 0)
		s += *s == ' ' || *s == '\t' ? 1 : 3;
	size_t n = strlen(s);
	for (;;) {
		if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (n >= 3 && strncmp(s + n - 3, "\u3000", 3) == 0)
			n -= 3;
		else
			break;
	}
	char *t = malloc(n + 1);
	if (t) {
		memcpy(t, s, n);
		t[n] = '\0';
	}
	return t;
}

/* The first word of a message, for finding the column it is about. */
static void first_word(const char *msg, char *out, size_t n)
{
	size_t i = 0;
	while (msg[i] && msg[i] != ' ' && msg[i] != '\'' && msg[i] != ':' && i + 1 < n) {
		out[i] = msg[i];
		i++;
	}
	out[i] = '\0';
}

static bool row_problem(int rc)
{
	return rc == DD_EINVAL || rc == DD_ENOTFOUND || rc == DD_ERANGE;
}

/* ---- CSV tables ------------------------------------------------------ */

struct column {
	const char *name;
	const char *alias[4];
	bool required;
};

static const struct column org_cols[] = {
	{ "id", { "编号", "代码", "单位编号", NULL }, true },
	{ "parent", { "上级", "上级单位", NULL }, false },
	{ "kind", { "类型", "单位类型", NULL }, true },
	{ "name", { "名称", "单位名称", NULL }, true },
	{ "name_en", { "英文名称", NULL }, false },
	{ "pinyin", { "拼音", NULL }, false },
	{ "retired", { "已撤销", NULL }, false },
	{ NULL, { NULL }, false },
};

static const struct column roster_cols[] = {
	{ "org", { "单位", "单位编号", NULL }, true },
	{ "org_name", { "单位名称", NULL }, false },   /* written by export, not read */
	{ "role", { "角色", "职责", NULL }, true },
	{ "name", { "姓名", NULL }, true },
	{ "title", { "职务", NULL }, false },
	{ "office", { "办公电话", "座机", NULL }, false },
	{ "mobile", { "手机", "手机号", "手机号码", NULL }, false },
	{ "email", { "邮箱", "电子邮箱", NULL }, false },
	{ "valid_from", { "生效时间", "生效日期", NULL }, false },
	{ NULL, { NULL }, false },
};

static const struct column duty_cols[] = {
	{ "org", { "单位", "单位编号", NULL }, true },
	{ "org_name", { "单位名称", NULL }, false },   /* written by export, not read */
	{ "post", { "岗位", NULL }, false },
	{ "date", { "日期", NULL }, true },
	{ "start", { "开始", "开始时间", NULL }, false },
	{ "end", { "结束", "结束时间", NULL }, false },
	{ "officers", { "值班员", "值班人员", NULL }, true },
	{ "leader", { "带班领导", NULL }, false },
	{ "phone", { "值班电话", NULL }, false },
	{ "h24", { "7x24", "7×24", NULL }, false },
	{ "reason", { "原因", "备注", NULL }, false },
	{ NULL, { NULL }, false },
};

static const struct column object_cols[] = {
	{ "org", { "单位", "单位编号", NULL }, true },
	{ "org_name", { "单位名称", NULL }, false },   /* written by export, not read */
	{ "kind", { "类型", NULL }, true },
	{ "name", { "名称", NULL }, true },
	{ "exposed", { "联网", "互联网暴露", NULL }, false },
	{ "important", { "重要", NULL }, false },
	{ "assessed", { "评估日期", NULL }, false },
	{ "note", { "备注", NULL }, false },
	{ NULL, { NULL }, false },
};

static const struct column *const table_cols[] = { org_cols, roster_cols, duty_cols, object_cols };
/* The column a refusal that names none is shown at. */
static const char *const default_col[] = { "parent", "org", "date", "org" };

#define COLS_MAX 16

struct cell {
	char *text;            /* trimmed */
	long line, col;
};

struct row {
	long line;
	int depth;             /* orgs: dots in the id, to apply parents first */
	struct cell cells[COLS_MAX];   /* by column of the table; text NULL when absent */
};

struct import {
	struct dd_store *st;
	const struct dd_config *cfg;
	enum dd_table table;
	const struct column *cols;
	int ncols;
	struct problems probs;
	struct seen seen;
	struct dd_import_report *rep;
};

static int col_index(const struct import *im, const char *name)
{
	for (int i = 0; i < im->ncols; i++)
		if (strcmp(im->cols[i].name, name) == 0)
			return i;
	return -1;
}

static const char *val(const struct row *r, const struct import *im, const char *name)
{
	int i = col_index(im, name);
	return i >= 0 && r->cells[i].text ? r->cells[i].text : "";
}

static bool has(const struct row *r, const struct import *im, const char *name)
{
	int i = col_index(im, name);
	return i >= 0 && r->cells[i].text && *r->cells[i].text;
}

/* Reports msg at the cell of the column it names (its first word), else
 * at the table's default column. */
static void row_refused(struct import *im, const struct row *r, const char *about, const char *msg)
{
	char word[32];
	first_word(msg, word, sizeof word);
	int i = col_index(im, about ? about : word);
	if (i < 0 || !r->cells[i].text)
		i = col_index(im, default_col[im->table]);
	if (i < 0 || !r->cells[i].text) {
		problem_add(&im->probs, r->line, 1, "%s", msg);
		return;
	}
	problem_add(&im->probs, r->cells[i].line, r->cells[i].col, "%s", msg);
}

static void count(struct import *im, bool changed)
{
	if (changed)
		im->rep->written++;
	else
		im->rep->unchanged++;
}

static void duplicate(struct import *im, const struct row *r, const char *about, const char *key, long first)
{
	char msg[400];
	snprintf(msg, sizeof msg, "%s: duplicate %s (first on line %ld)", about, key, first);
	row_refused(im, r, about, msg);
}

/* Applies one row; a refusal becomes a problem, anything else stops. */
static int apply_org_row(struct import *im, const struct row *r, struct dd_error *err)
{
	long first = seen_put(&im->seen, val(r, im, "id"), r->line);
	if (first)
		return duplicate(im, r, "id", val(r, im, "id"), first), 0;
	bool retired = false;
	if (has(r, im, "retired") && parse_bool(val(r, im, "retired"), &retired))
		return row_refused(im, r, "retired", "retired: use yes or no (是/否)"), 0;
	struct dd_org_in in = {
		.id = val(r, im, "id"), .parent = val(r, im, "parent"), .kind = val(r, im, "kind"),
		.name = val(r, im, "name"), .name_en = val(r, im, "name_en"), .pinyin = val(r, im, "pinyin"),
		.retired = retired,
	};
	bool changed;
	int rc = roster_org_set(im->st, im->cfg, &in, &changed, err);
	if (rc == 0)
		count(im, changed);
	else if (row_problem(rc))
		row_refused(im, r, NULL, err->msg), rc = 0;
	return rc;
}

static int parse_time_cell(struct import *im, const struct row *r, const char *column, const char *text, int64_t *ms)
{
	struct dd_error e;
	if (time_parse(text, time_now_ms(), im->cfg->timezone, ms, &e) == 0)
		return 0;
	char msg[600];
	snprintf(msg, sizeof msg, "%s: '%s' is not a date or time (2026-11-26, 2026-11-26 08:30)", column, text);
	row_refused(im, r, column, msg);
	return -1;
}

static int apply_roster_row(struct import *im, const struct row *r, struct dd_error *err)
{
	const char *role = roster_role_parse(val(r, im, "role"));
	if (!role) {
		char msg[300];
		snprintf(msg, sizeof msg, "role '%s' is neither lead (工作负责人) nor contact (应急联络员)", val(r, im, "role"));
		return row_refused(im, r, "role", msg), 0;
	}
	char key[600];
	snprintf(key, sizeof key, "%s\x1f%s\x1f%s", val(r, im, "org"), role,
		 strcmp(role, "lead") == 0 ? "" : val(r, im, "name"));
	long first = seen_put(&im->seen, key, r->line);
	if (first) {
		char what[300];
		snprintf(what, sizeof what, strcmp(role, "lead") == 0 ? "工作负责人 of %s" : "contact %s", strcmp(role, "lead") == 0
			 ? val(r, im, "org") : val(r, im, "name"));
		return duplicate(im, r, strcmp(role, "lead") == 0 ? "role" : "name", what, first), 0;
	}
	int64_t from = 0;
	if (has(r, im, "valid_from") && parse_time_cell(im, r, "valid_from", val(r, im, "valid_from"), &from))
		return 0;
	struct dd_liaison_in in = {
		.org = val(r, im, "org"), .role = role, .name = val(r, im, "name"), .title = val(r, im, "title"),
		.office = val(r, im, "office"), .mobile = val(r, im, "mobile"), .email = val(r, im, "email"),
		.valid_from_ms = from,
	};
	bool changed;
	int rc = roster_liaison_set(im->st, im->cfg, &in, NULL, &changed, err);
	if (rc == 0)
		count(im, changed);
	else if (row_problem(rc))
		row_refused(im, r, NULL, err->msg), rc = 0;
	return rc;
}

/* Officers as written in one cell: 张三、李四 or 张三,李四 or 张三/李四. */
static int split_names(char *s, char *names[DD_SHIFT_OFFICERS_MAX + 1])
{
	static const char *const seps[] = { "、", "，", "；", ",", ";", "/", NULL };
	int n = 0;
	char *p = s;
	char *start = p;
	while (*p) {
		size_t len = 0;
		for (int i = 0; seps[i] && !len; i++)
			if (strncmp(p, seps[i], strlen(seps[i])) == 0)
				len = strlen(seps[i]);
		if (!len) {
			p++;
			continue;
		}
		*p = '\0';
		if (n <= DD_SHIFT_OFFICERS_MAX)
			names[n++] = start;
		p += len;
		start = p;
	}
	if (n <= DD_SHIFT_OFFICERS_MAX)
		names[n++] = start;
	return n;
}

static int apply_duty_row(struct import *im, const struct row *r, struct dd_error *err)
{
	int64_t start, end;
	int rc = duty_shift_on(val(r, im, "date"), has(r, im, "start") ? val(r, im, "start") : im->cfg->shift_start,
			       has(r, im, "end") ? val(r, im, "end") : NULL, im->cfg->timezone, &start, &end, err);
	if (rc)
		return row_refused(im, r, NULL, err->msg), 0;
	char key[400];
	snprintf(key, sizeof key, "%s\x1f%s\x1f%lld", val(r, im, "org"), val(r, im, "post"), (long long)start);
	long first = seen_put(&im->seen, key, r->line);
	if (first) {
		char what[300];
		snprintf(what, sizeof what, "shift of %s on %s", val(r, im, "org"), val(r, im, "date"));
		return duplicate(im, r, "date", what, first), 0;
	}
	bool h24 = false;
	if (has(r, im, "h24") && parse_bool(val(r, im, "h24"), &h24))
		return row_refused(im, r, "h24", "h24: use yes or no (是/否)"), 0;
	char *names_buf = strdup(val(r, im, "officers"));
	if (!names_buf)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	char *names[DD_SHIFT_OFFICERS_MAX + 1];
	int n = *names_buf ? split_names(names_buf, names) : 0;
	if (n > DD_SHIFT_OFFICERS_MAX) {
		row_refused(im, r, "officers", "officers: at most 8 per shift");
	} else {
		struct dd_shift_in in = {
			.org = val(r, im, "org"), .post = val(r, im, "post"), .start_ms = start, .end_ms = end,
			.officers = (const char *const *)names, .n_officers = n, .leader = val(r, im, "leader"),
			.phone = val(r, im, "phone"), .h24 = h24, .reason = val(r, im, "reason"),
		};
		bool changed;
		rc = duty_set(im->st, im->cfg, &in, NULL, &changed, err);
		if (rc == 0)
			count(im, changed);
		else if (row_problem(rc))
			row_refused(im, r, strncmp(err->msg, "overlaps", 8) == 0 ? "date" : NULL, err->msg), rc = 0;
	}
	free(names_buf);
	return rc;
}

static int apply_object_row(struct import *im, const struct row *r, struct dd_error *err)
{
	char key[600];
	snprintf(key, sizeof key, "%s\x1f%s", val(r, im, "org"), val(r, im, "name"));
	long first = seen_put(&im->seen, key, r->line);
	if (first)
		return duplicate(im, r, "name", val(r, im, "name"), first), 0;
	bool exposed = false, important = false;
	if (has(r, im, "exposed") && parse_bool(val(r, im, "exposed"), &exposed))
		return row_refused(im, r, "exposed", "exposed: use yes or no (是/否)"), 0;
	if (has(r, im, "important") && parse_bool(val(r, im, "important"), &important))
		return row_refused(im, r, "important", "important: use yes or no (是/否)"), 0;
	int64_t assessed = 0;
	if (has(r, im, "assessed") && parse_time_cell(im, r, "assessed", val(r, im, "assessed"), &assessed))
		return 0;
	if (important && !assessed)
		return row_refused(im, r, "important", "important: an object is important after an assessment; give its date "
			    "under assessed"), 0;
	struct dd_object_in in = {
		.org = val(r, im, "org"), .kind = val(r, im, "kind"), .name = val(r, im, "name"), .exposed = exposed,
		.note = val(r, im, "note"),
	};
	bool changed, assess_changed = false;
	char id[DD_UUID_LEN + 1];
	int rc = roster_object_set(im->st, im->cfg, &in, id, &changed, err);
	if (rc == 0 && assessed)
		rc = roster_object_assess(im->st, im->cfg, id, important, assessed, NULL, &assess_changed, err);
	if (rc == 0) {
		count(im, changed || assess_changed);
		im->rep->written += changed && assess_changed;
	} else if (row_problem(rc)) {
		row_refused(im, r, NULL, err->msg);
		rc = 0;
	}
	return rc;
}

static int (*const row_appliers[])(struct import *, const struct row *, struct dd_error *) = {
	apply_org_row, apply_roster_row, apply_duty_row, apply_object_row,
};

/* Maps header cells to the table's columns; map[i] is the column of
 * field i. */
static void read_header(struct import *im, const struct dd_csv *c, int map[COLS_MAX * 2])
{
	bool present[COLS_MAX] = { false };
	for (int i = 0; i < c->n; i++) {
		map[i] = -1;
		if (i >= COLS_MAX * 2) {
			problem_add(&im->probs, c->fields[i].line, c->fields[i].col, "too many columns");
			return;
		}
		char *h = trimmed(c->fields[i].text);
		if (!h)
			return;
		for (int k = 0; k < im->ncols && map[i] < 0; k++) {
			bool match = strcasecmp(h, im->cols[k].name) == 0;
			for (int a = 0; !match && im->cols[k].alias[a]; a++)
				match = strcmp(h, im->cols[k].alias[a]) == 0;
			if (match)
				map[i] = k;
		}
		if (map[i] < 0) {
			char known[400] = "";
			for (int k = 0; k < im->ncols; k++)
				snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", k ? ", " : "",
					 im->cols[k].name);
			problem_add(&im->probs, c->fields[i].line, c->fields[i].col, "unknown column '%s' (known: %s)", h, known);
		} else if (present[map[i]]) {
			problem_add(&im->probs, c->fields[i].line, c->fields[i].col, "column '%s' twice", h);
			map[i] = -1;
		} else {
			present[map[i]] = true;
		}
		free(h);
	}
	for (int k = 0; k < im->ncols; k++)
		if (im->cols[k].required && !present[k])
			problem_add(&im->probs, c->record_line, 1, "the header lacks the column '%s'", im->cols[k].name);
}

static void row_free(struct row *r)
{
	for (int k = 0; k < COLS_MAX; k++)
		free(r->cells[k].text);
}

static int depth_cmp(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int rosterio_import_csv(struct dd_store *st, const struct dd_config *cfg, enum dd_table table, const char *path,
			const char *encoding, dd_problem_cb problem, void *ctx, struct dd_import_report *rep,
			struct dd_error *err)
{
	memset(rep, 0, sizeof *rep);
	struct dd_csv c;
	struct dd_error e;
	int rc = csv_open_file(&c, path, encoding, &e);
	if (rc) {
		if (rc != DD_EINVAL)
			return *err = e, rc;
		if (problem)
			problem(e.msg, ctx);
		rep->bad = 1;
		return dd_fail(err, DD_EINVAL, "%s: nothing was imported", path);
	}
	snprintf(rep->encoding, sizeof rep->encoding, "%s", c.encoding);
	struct import im = { .st = st, .cfg = cfg, .table = table, .cols = table_cols[table], .rep = rep };
	im.probs.file = c.name;
	while (im.cols[im.ncols].name)
		im.ncols++;

	/* Every record first: orgs are applied parents first, and a quoting
	 * error must not hide the rows after it. */
	struct row *rows = NULL;
	size_t nrows = 0, cap = 0;
	int map[COLS_MAX * 2];
	int header_n = -1;
	for (;;) {
		int r = csv_next(&c, &e);
		if (r == 0)
			break;
		if (r < 0) {
			if (r != DD_EINVAL) {
				*err = e;
				rc = r;
				goto out;
			}
			/* The message is already FILE:LINE:COL: …; keep its position for sorting. */
			long line = 0, col = 0;
			const char *why = strchr(e.msg + strlen(c.name) + 1, ' ');
			sscanf(e.msg + strlen(c.name), ":%ld:%ld", &line, &col);
			problem_add(&im.probs, line, col, "%s", why ? why + 1 : e.msg);
			rep->bad++;
			continue;
		}
		if (header_n < 0) {
			header_n = c.n;
			read_header(&im, &c, map);
			continue;
		}
		rep->rows++;
		if (c.n != header_n) {
			const struct dd_csv_field *f = &c.fields[c.n < header_n ? c.n - 1 : header_n];
			problem_add(&im.probs, f->line, f->col, "%d fields where the header has %d%s", c.n, header_n,
				    c.n > header_n ? " (an unquoted comma?)" : "");
			rep->bad++;
			continue;
		}
		if (nrows == cap) {
			cap = cap ? cap * 2 : 256;
			struct row *bigger = realloc(rows, cap * sizeof *rows);
			if (!bigger) {
				rc = dd_fail(err, DD_ENOMEM, "out of memory");
				goto out;
			}
			rows = bigger;
		}
		struct row *row = &rows[nrows++];
		memset(row, 0, sizeof *row);
		row->line = c.record_line;
		for (int i = 0; i < c.n && i < COLS_MAX * 2; i++) {
			if (map[i] < 0)
				continue;
			char *t = trimmed(c.fields[i].text);
			/* The ' export puts before a cell a spreadsheet would run as a formula. */
			if (t && t[0] == '\'' && strchr("=+-@", t[1]) && t[1])
				memmove(t, t + 1, strlen(t));
			row->cells[map[i]] = (struct cell){ t, c.fields[i].line, c.fields[i].col };
		}
		const char *id = row->cells[0].text ? row->cells[0].text : "";
		for (; *id; id++)
			row->depth += *id == '.';
	}
	if (header_n < 0)
		problem_add(&im.probs, 1, 1, "the file is empty (a header row is needed)");

	struct row **order = malloc((nrows ? nrows : 1) * sizeof *order);
	if (!order) {
		rc = dd_fail(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nrows; i++)
		order[i] = &rows[i];
	if (table == DD_TABLE_ORGS)
		qsort(order, nrows, sizeof *order, depth_cmp);

	if ((rc = store_batch_begin(st, err))) {
		free(order);
		goto out;
	}
	size_t before = 0;
	for (size_t i = 0; i < nrows && rc == 0; i++) {
		before = im.probs.n;
		rc = row_appliers[table](&im, order[i], err);
		rep->bad += im.probs.n > before;
	}
	free(order);
	bool ok = rc == 0 && im.probs.n == 0;
	int end = store_batch_end(st, ok, &e);
	if (rc == 0 && ok && end) {
		*err = e;
		rc = end;
	}
out:
	if (rc == 0 && im.probs.n) {
		problems_flush(&im.probs, problem, ctx);
		rep->written = 0;
		rc = dd_fail(err, DD_EINVAL, "%s: %ld bad row%s; nothing was imported", path, rep->bad, rep->bad == 1 ? "" : "s");
	} else {
		problems_flush(&im.probs, rc ? NULL : problem, ctx);
	}
	for (size_t i = 0; i < nrows; i++)
		row_free(&rows[i]);
	free(rows);
	seen_free(&im.seen);
	csv_close(&c);
	return rc;
}

/* ---- the org file (libconfig) ------------------------------------------ */

struct loader {
	struct import im;
};

static long line_of(const config_setting_t *s)
{
	return s ? (long)config_setting_source_line(s) : 0;
}

/* A string member, "" when absent; false (and a problem) when of the wrong type. */
static bool member_text(struct loader *l, const config_setting_t *g, const char *name, const char **out)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	*out = "";
	if (!s)
		return true;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		problem_add(&l->im.probs, line_of(s), 0, "%s: must be a string in double quotes", name);
		return false;
	}
	*out = config_setting_get_string(s);
	return true;
}

static bool member_bool(struct loader *l, const config_setting_t *g, const char *name, bool *out)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	*out = false;
	if (!s)
		return true;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		problem_add(&l->im.probs, line_of(s), 0, "%s: must be true or false", name);
		return false;
	}
	*out = config_setting_get_bool(s);
	return true;
}

static bool only_members(struct loader *l, const config_setting_t *g, const char *const *known, const char *where)
{
	bool ok = true;
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		bool found = false;
		for (int k = 0; known[k] && !found; k++)
			found = name && strcmp(known[k], name) == 0;
		if (!found) {
			problem_add(&l->im.probs, line_of(s), 0, "%s: unknown setting '%s'", where, name ? name : "?");
			ok = false;
		}
	}
	return ok;
}

/* A list (or array) of groups named name in g; NULL when absent. */
static const config_setting_t *group_list(struct loader *l, const config_setting_t *g, const char *name)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	if (s && !config_setting_is_list(s)) {
		problem_add(&l->im.probs, line_of(s), 0, "%s: must be a list: %s = ( { … }, { … } );", name, name);
		return NULL;
	}
	for (int i = 0; s && i < config_setting_length(s); i++)
		if (!config_setting_is_group(config_setting_get_elem(s, (unsigned)i))) {
			problem_add(&l->im.probs, line_of(config_setting_get_elem(s, (unsigned)i)), 0,
				    "%s: every element is a group in braces { … }", name);
			return NULL;
		}
	return s;
}

static int conf_refused(struct loader *l, const config_setting_t *g, int rc, const struct dd_error *e)
{
	if (!row_problem(rc))
		return rc;
	/* Point at the setting the message names, when there is one. */
	char word[32];
	first_word(e->msg, word, sizeof word);
	const config_setting_t *s = config_setting_get_member(g, word);
	problem_add(&l->im.probs, line_of(s ? s : g), 0, "%s", e->msg);
	return 0;
}

static int load_org(struct loader *l, const config_setting_t *g, bool *ok, struct dd_error *err)
{
	static const char *const known[] = { "id", "parent", "kind", "name", "name_en", "pinyin", "retired",
					     "liaisons", "objects", NULL };
	struct dd_org_in in;
	memset(&in, 0, sizeof in);
	*ok = only_members(l, g, known, "org") & member_text(l, g, "id", &in.id) &
	      member_text(l, g, "parent", &in.parent) & member_text(l, g, "kind", &in.kind) &
	      member_text(l, g, "name", &in.name) & member_text(l, g, "name_en", &in.name_en) &
	      member_text(l, g, "pinyin", &in.pinyin) & member_bool(l, g, "retired", &in.retired);
	if (!*ok)
		return 0;
	long first = seen_put(&l->im.seen, in.id, line_of(g));
	if (first) {
		problem_add(&l->im.probs, line_of(config_setting_get_member(g, "id")), 0, "id: duplicate %s (first on line %ld)",
			    in.id, first);
		return *ok = false, 0;
	}
	bool changed;
	int rc = roster_org_set(l->im.st, l->im.cfg, &in, &changed, err);
	if (rc == 0) {
		count(&l->im, changed);
		return 0;
	}
	*ok = false;
	return conf_refused(l, g, rc, err);
}

static int load_liaison(struct loader *l, const char *org, const config_setting_t *g, struct dd_error *err)
{
	static const char *const known[] = { "role", "name", "title", "office", "mobile", "email", "valid_from", NULL };
	struct dd_liaison_in in = { .org = org };
	const char *from = "";
	if (!(only_members(l, g, known, "liaison") & member_text(l, g, "role", &in.role) &
	      member_text(l, g, "name", &in.name) & member_text(l, g, "title", &in.title) &
	      member_text(l, g, "office", &in.office) & member_text(l, g, "mobile", &in.mobile) &
	      member_text(l, g, "email", &in.email) & member_text(l, g, "valid_from", &from)))
		return 0;
	l->im.rep->rows++;
	const char *role = roster_role_parse(in.role);
	char key[600];
	snprintf(key, sizeof key, "%s\x1f%s\x1f%s", org, role ? role : in.role, role && strcmp(role, "lead") == 0 ? "" : in.name);
	long first = seen_put(&l->im.seen, key, line_of(g));
	if (first) {
		problem_add(&l->im.probs, line_of(g), 0, "liaison: %s of %s twice (first on line %ld)",
			    role && strcmp(role, "lead") == 0 ? "the 工作负责人" : in.name, org, first);
		return 0;
	}
	struct dd_error e;
	if (*from && time_parse(from, time_now_ms(), l->im.cfg->timezone, &in.valid_from_ms, &e)) {
		problem_add(&l->im.probs, line_of(config_setting_get_member(g, "valid_from")), 0, "valid_from: %s", e.msg);
		return 0;
	}
	bool changed;
	int rc = roster_liaison_set(l->im.st, l->im.cfg, &in, NULL, &changed, err);
	if (rc == 0)
		count(&l->im, changed);
	return rc ? conf_refused(l, g, rc, err) : 0;
}

static int load_object(struct loader *l, const char *org, const config_setting_t *g, struct dd_error *err)
{
	static const char *const known[] = { "kind", "name", "exposed", "important", "assessed", "note", NULL };
	struct dd_object_in in = { .org = org };
	const char *assessed = "";
	bool important;
	if (!(only_members(l, g, known, "object") & member_text(l, g, "kind", &in.kind) &
	      member_text(l, g, "name", &in.name) & member_bool(l, g, "exposed", &in.exposed) &
	      member_bool(l, g, "important", &important) & member_text(l, g, "assessed", &assessed) &
	      member_text(l, g, "note", &in.note)))
		return 0;
	l->im.rep->rows++;
	char key[600];
	snprintf(key, sizeof key, "%s\x1f%s", org, in.name);
	long first = seen_put(&l->im.seen, key, line_of(g));
	if (first) {
		problem_add(&l->im.probs, line_of(g), 0, "object: %s of %s twice (first on line %ld)", in.name, org, first);
		return 0;
	}
	int64_t at = 0;
	struct dd_error e;
	if (*assessed && time_parse(assessed, time_now_ms(), l->im.cfg->timezone, &at, &e)) {
		problem_add(&l->im.probs, line_of(config_setting_get_member(g, "assessed")), 0, "assessed: %s", e.msg);
		return 0;
	}
	if (important && !at) {
		problem_add(&l->im.probs, line_of(g), 0, "important: give the date of the assessment (assessed = \"2025-06-30\")");
		return 0;
	}
	bool changed, assess_changed = false;
	char id[DD_UUID_LEN + 1];
	int rc = roster_object_set(l->im.st, l->im.cfg, &in, id, &changed, err);
	if (rc == 0 && at)
		rc = roster_object_assess(l->im.st, l->im.cfg, id, important, at, NULL, &assess_changed, err);
	if (rc == 0) {
		count(&l->im, changed || assess_changed);
		l->im.rep->written += changed && assess_changed;
	}
	return rc ? conf_refused(l, g, rc, err) : 0;
}

struct conf_org {
	const config_setting_t *g;
	int depth;
	int index;
	bool ok;
};

static int conf_org_cmp(const void *a, const void *b)
{
	const struct conf_org *x = a, *y = b;
	return x->depth != y->depth ? (x->depth < y->depth ? -1 : 1) : (x->index > y->index) - (x->index < y->index);
}

int rosterio_load_conf(struct dd_store *st, const struct dd_config *cfg, const char *path, dd_problem_cb problem,
		       void *ctx, struct dd_import_report *rep, struct dd_error *err)
{
	memset(rep, 0, sizeof *rep);
	FILE *f = fopen(path, "r");
	if (!f)
		return dd_fail(err, DD_EIO, "%s: %s", path, strerror(errno));
	config_t cf;
	config_init(&cf);
	if (config_read(&cf, f) != CONFIG_TRUE) {
		int rc = dd_fail(err, DD_EINVAL, "%s:%d: %s", path, config_error_line(&cf), config_error_text(&cf));
		fclose(f);
		config_destroy(&cf);
		return rc;
	}
	fclose(f);
	struct loader l = { .im = { .st = st, .cfg = cfg, .rep = rep } };
	l.im.probs.file = path;
	static const char *const known[] = { "orgs", NULL };
	const config_setting_t *root = config_root_setting(&cf);
	only_members(&l, root, known, "file");
	const config_setting_t *list = group_list(&l, root, "orgs");
	int n = list ? config_setting_length(list) : 0;
	if (!config_setting_get_member(root, "orgs"))
		problem_add(&l.im.probs, 1, 0, "no orgs = ( … ); list");
	struct conf_org *orgs = calloc((size_t)(n ? n : 1), sizeof *orgs);
	if (!orgs) {
		config_destroy(&cf);
		return dd_fail(err, DD_ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		orgs[i].g = config_setting_get_elem(list, (unsigned)i);
		orgs[i].index = i;
		const char *id = "";
		config_setting_lookup_string(orgs[i].g, "id", &id);
		for (; *id; id++)
			orgs[i].depth += *id == '.';
	}
	qsort(orgs, (size_t)n, sizeof *orgs, conf_org_cmp);
	int rc = store_batch_begin(st, err);
	for (int i = 0; i < n && rc == 0; i++) {
		rep->rows++;
		rc = load_org(&l, orgs[i].g, &orgs[i].ok, err);
	}
	/* Then each org's people and objects, once every org exists. */
	for (int i = 0; i < n && rc == 0; i++) {
		if (!orgs[i].ok)
			continue;
		const char *id = "";
		config_setting_lookup_string(orgs[i].g, "id", &id);
		const config_setting_t *ls = group_list(&l, orgs[i].g, "liaisons");
		for (int k = 0; ls && k < config_setting_length(ls) && rc == 0; k++)
			rc = load_liaison(&l, id, config_setting_get_elem(ls, (unsigned)k), err);
		const config_setting_t *os = group_list(&l, orgs[i].g, "objects");
		for (int k = 0; os && k < config_setting_length(os) && rc == 0; k++)
			rc = load_object(&l, id, config_setting_get_elem(os, (unsigned)k), err);
	}
	free(orgs);
	if (l.im.probs.n == 0 && rc == 0) {
		struct dd_error e;
		if ((rc = store_batch_end(st, true, &e)))
			*err = e;
	} else {
		struct dd_error e;
		store_batch_end(st, false, &e);
	}
	rep->bad = (long)l.im.probs.n;
	if (rc == 0 && l.im.probs.n) {
		problems_flush(&l.im.probs, problem, ctx);
		rep->written = 0;
		rc = dd_fail(err, DD_EINVAL, "%s: %ld problem%s; nothing was loaded", path, rep->bad, rep->bad == 1 ? "" : "s");
	} else {
		problems_flush(&l.im.probs, rc ? NULL : problem, ctx);
	}
	seen_free(&l.im.seen);
	config_destroy(&cf);
	return rc;
}
