/*
 * logwin.c — a window of consecutive shift-log entries around a cursor,
 * loaded page by page with keyset pagination (see logwin.h for the
 * invariants).
 *
 * Every change of the rows goes through one of four steps — replace
 * (load), append a page, prepend a page, trim an end — and each either
 * completes or leaves the window untouched, so a failed query or a full
 * memory never breaks "consecutive".  Fetched pages are read one entry
 * beyond what is kept: that extra entry says whether the log goes on and,
 * before the first row, which day it was on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/logwin.h"
#include "dutydesk/timefmt.h"

void logwin_init(struct logwin *w, struct dd_store *st, const char *tz, int margin)
{
	memset(w, 0, sizeof *w);
	w->st = st;
	w->tz = tz;
	w->margin = margin;
	w->bof = w->eof = true;
	w->sel = -1;
}

static void free_rows(struct logwin_entry **rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i]);
}

void logwin_free(struct logwin *w)
{
	free_rows(w->rows, w->n);
	free(w->rows);
	w->rows = NULL;
	w->n = w->cap = 0;
	w->sel = -1;
}

int logwin_max(const struct logwin *w)
{
	return 2 * w->margin + 2 * LOGWIN_PAGE;
}

/* ---- fetching ------------------------------------------------------------ */

struct fetch {
	const char *tz;
	struct logwin_entry **rows;
	int n, cap;
	bool failed;       /* out of memory: the rows are not all there */
};

static struct logwin_entry *entry_new(const char *tz, const struct dd_log_row *r)
{
	size_t lo = strlen(r->officer) + 1, lg = strlen(r->org) + 1, lk = strlen(r->kind) + 1,
	       lt = strlen(r->text) + 1;
	struct logwin_entry *e = malloc(sizeof *e + lo + lg + lk + lt);
	if (!e)
		return NULL;
	e->key.at_ms = r->at_ms;
	snprintf(e->key.id, sizeof e->key.id, "%s", r->id);
	e->day = time_local_day(r->at_ms, tz);
	time_format_local(r->at_ms, tz, "%H:%M:%S", e->hms, sizeof e->hms);
	snprintf(e->at, sizeof e->at, "%s", r->at);
	snprintf(e->corrects, sizeof e->corrects, "%s", r->corrects ? r->corrects : "");
	e->drill = r->drill;
	char *p = e->strings;
	e->officer = memcpy(p, r->officer, lo);
	p += lo;
	e->org = memcpy(p, r->org, lg);
	p += lg;
	e->kind = memcpy(p, r->kind, lk);
	p += lk;
	e->text = memcpy(p, r->text, lt);
	return e;
}

static int collect(const struct dd_log_row *row, void *ctx)
{
	struct fetch *f = ctx;
	if (f->n == f->cap)
		return 1;
	struct logwin_entry *e = entry_new(f->tz, row);
	if (!e) {
		f->failed = true;
		return 1;
	}
	f->rows[f->n++] = e;
	return 0;
}

/* Up to limit entries after (backward: before) key, in scan order, into
 * a new array *out; *n receives how many. */
static int fetch(const struct logwin *w, const struct dd_log_key *key, bool backward, int limit,
		 struct logwin_entry ***out, int *n, struct dd_error *err)
{
	struct dd_log_filter filter;
	store_log_filter_init(&filter);
	filter.grep = w->grep[0] ? w->grep : NULL;
	struct fetch f = { w->tz, calloc((size_t)limit, sizeof(struct logwin_entry *)), 0, limit, false };
	*out = NULL;
	*n = 0;
	if (!f.rows)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc = store_log_scan(w->st, &filter, key, backward, limit, collect, &f, err);
	if (rc == 0 && f.failed)
		rc = dd_fail(err, DD_ENOMEM, "out of memory");
	if (rc != 0) {
		free_rows(f.rows, f.n);
		free(f.rows);
		return rc;
	}
	*out = f.rows;
	*n = f.n;
	return 0;
}

static int reserve(struct logwin *w, int need, struct dd_error *err)
{
	if (need <= w->cap)
		return 0;
	int cap = w->cap ? w->cap : 256;
	while (cap < need)
		cap *= 2;
	struct logwin_entry **rows = realloc(w->rows, (size_t)cap * sizeof *rows);
	if (!rows)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	w->rows = rows;
	w->cap = cap;
	return 0;
}

/* ---- the four steps -------------------------------------------------------- */

bool logwin_has_sep(const struct logwin *w, int i)
{
	if (i == 0)
		return w->bof || w->before_day != w->rows[0]->day;
	return w->rows[i]->day != w->rows[i - 1]->day;
}

static void trim_front(struct logwin *w, int k)
{
	if (k <= 0)
		return;
	w->before_day = w->rows[k - 1]->day;
	w->bof = false;
	free_rows(w->rows, k);
	memmove(w->rows, w->rows + k, (size_t)(w->n - k) * sizeof *w->rows);
	w->n -= k;
	w->sel = w->sel - k < 0 ? 0 : w->sel - k;
	if (w->top - k < 0) {
		w->top = 0;
		w->top_sep = false;
	} else {
		w->top -= k;
	}
}

static void trim_back(struct logwin *w, int k)
{
	if (k <= 0)
		return;
	free_rows(w->rows + w->n - k, k);
	w->n -= k;
	w->eof = false;
	if (w->sel > w->n - 1)
		w->sel = w->n - 1;
	if (w->top > w->n - 1)
		w->top = w->n - 1;
}

/* Appends a page after the last row; *got receives how many came. */
static int extend_down(struct logwin *w, int *got, struct dd_error *err)
{
	struct logwin_entry **more;
	int rc = fetch(w, &w->rows[w->n - 1]->key, false, LOGWIN_PAGE + 1, &more, got, err);
	if (rc != 0)
		return rc;
	bool eof = *got <= LOGWIN_PAGE;
	if (!eof)
		free(more[--*got]);
	rc = reserve(w, w->n + *got, err);
	if (rc != 0) {
		free_rows(more, *got);
		free(more);
		*got = 0;
		return rc;
	}
	memcpy(w->rows + w->n, more, (size_t)*got * sizeof *more);
	w->n += *got;
	w->eof = eof;
	free(more);
	if (w->n > logwin_max(w))
		trim_front(w, w->n - logwin_max(w));
	return 0;
}

/* Prepends a page before the first row; *got receives how many came. */
static int extend_up(struct logwin *w, int *got, struct dd_error *err)
{
	struct logwin_entry **more;
	int rc = fetch(w, &w->rows[0]->key, true, LOGWIN_PAGE + 1, &more, got, err);
	if (rc != 0)
		return rc;
	bool bof = *got <= LOGWIN_PAGE;
	int64_t before_day = bof ? 0 : more[LOGWIN_PAGE]->day;
	if (!bof)
		free(more[--*got]);
	rc = reserve(w, w->n + *got, err);
	if (rc != 0) {
		free_rows(more, *got);
		free(more);
		*got = 0;
		return rc;
	}
	memmove(w->rows + *got, w->rows, (size_t)w->n * sizeof *w->rows);
	for (int i = 0; i < *got; i++)
		w->rows[i] = more[*got - 1 - i];
	w->n += *got;
	w->sel += *got;
	w->top += *got;
	w->bof = bof;
	w->before_day = before_day;
	free(more);
	if (w->n > logwin_max(w))
		trim_back(w, w->n - logwin_max(w));
	return 0;
}

int logwin_fill(struct logwin *w, struct dd_error *err)
{
	int got = 1, rc = 0;
	while (rc == 0 && got > 0 && w->n > 0 && !w->eof && w->sel > w->n - 1 - w->margin)
		rc = extend_down(w, &got, err);
	got = 1;
	while (rc == 0 && got > 0 && w->n > 0 && !w->bof && w->sel < w->margin)
		rc = extend_up(w, &got, err);
	return rc;
}

/* Makes rows the window's contents: a whole replacement. */
static void replace(struct logwin *w, struct logwin_entry **rows, int n, bool bof, bool eof, int64_t before_day,
		    int sel)
{
	free_rows(w->rows, w->n);
	free(w->rows);
	w->rows = rows;
	w->n = w->cap = n;
	w->bof = bof;
	w->eof = eof;
	w->before_day = before_day;
	w->sel = n == 0 ? -1 : sel;
	w->top = n == 0 ? 0 : sel;
	w->top_sep = false;
}

int logwin_load(struct logwin *w, const struct dd_log_key *anchor, struct dd_error *err)
{
	int want = w->margin + LOGWIN_PAGE / 2;
	int nb, nf = 0;
	struct logwin_entry **back, **fwd = NULL;
	int rc = fetch(w, anchor, true, want + 1, &back, &nb, err);
	if (rc != 0)
		return rc;
	if (anchor) {
		/* Forward from the newest row before the anchor, so the two
		 * scans meet exactly whatever ids share the anchor's time. */
		rc = fetch(w, nb ? &back[0]->key : NULL, false, want + 1, &fwd, &nf, err);
		if (rc != 0) {
			free_rows(back, nb);
			free(back);
			return rc;
		}
	}
	bool bof = nb <= want;
	int64_t before_day = bof ? 0 : back[want]->day;
	if (!bof)
		free(back[--nb]);
	bool eof = !anchor || nf <= want;
	if (!eof)
		free(fwd[--nf]);
	struct logwin_entry **rows = malloc((size_t)(nb + nf > 0 ? nb + nf : 1) * sizeof *rows);
	if (!rows) {
		free_rows(back, nb);
		free_rows(fwd, nf);
		free(back);
		free(fwd);
		return dd_fail(err, DD_ENOMEM, "out of memory");
	}
	for (int i = 0; i < nb; i++)
		rows[i] = back[nb - 1 - i];
	for (int i = 0; i < nf; i++)
		rows[nb + i] = fwd[i];
	free(back);
	free(fwd);
	replace(w, rows, nb + nf, bof, eof, before_day, nf > 0 ? nb : nb + nf - 1);
	return logwin_fill(w, err);
}

int logwin_load_start(struct logwin *w, struct dd_error *err)
{
	int want = w->margin + LOGWIN_PAGE / 2, got;
	struct logwin_entry **rows;
	int rc = fetch(w, NULL, false, want + 1, &rows, &got, err);
	if (rc != 0)
		return rc;
	bool eof = got <= want;
	if (!eof)
		free(rows[--got]);
	replace(w, rows, got, true, eof, 0, 0);
	return logwin_fill(w, err);
}

int logwin_move(struct logwin *w, int delta, struct dd_error *err)
{
	if (w->sel < 0)
		return 0;
	int rc = 0, got = 1;
	/* Load before clamping, so a long move crosses page boundaries. */
	while (rc == 0 && got > 0 && w->sel + delta > w->n - 1 && !w->eof)
		rc = extend_down(w, &got, err);
	got = 1;
	while (rc == 0 && got > 0 && w->sel + delta < 0 && !w->bof)
		rc = extend_up(w, &got, err);
	int to = w->sel + delta;
	w->sel = to < 0 ? 0 : to > w->n - 1 ? w->n - 1 : to;
	return rc ? rc : logwin_fill(w, err);
}

bool logwin_at_end(const struct logwin *w)
{
	return w->n == 0 || (w->eof && w->sel == w->n - 1);
}
