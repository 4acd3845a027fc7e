/*
 * queuewin.c — a window of consecutive queue rows around a cursor, loaded
 * page by page with keyset pagination (see queuewin.h for the
 * invariants; the approach is logwin.c's).
 *
 * Every change of the rows goes through one of four steps — replace
 * (load), append a page, prepend a page, trim an end — and each either
 * completes or leaves the window untouched, so a failed query never
 * breaks "consecutive".  Pages are fetched one row beyond what is kept:
 * that extra row says whether the queue goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/incfmt.h"
#include "dutydesk/queuewin.h"

void queuewin_init(struct queuewin *w, struct dd_store *st, int margin)
{
	memset(w, 0, sizeof *w);
	w->st = st;
	w->margin = margin;
	w->filter.closed = 0;
	w->filter.tier = -1;
	w->filter.status = -1;
	w->bof = w->eof = true;
	w->sel = -1;
}

void queuewin_free(struct queuewin *w)
{
	free(w->rows);
	w->rows = NULL;
	w->n = w->cap = 0;
	w->sel = -1;
}

int queuewin_max(const struct queuewin *w)
{
	return 2 * w->margin + 2 * QUEUEWIN_PAGE;
}

/* ---- fetching ------------------------------------------------------------ */

struct fetch {
	struct queue_row *rows;
	int n, cap;
};

static int collect(const struct dd_incident *in, void *ctx)
{
	struct fetch *f = ctx;
	if (f->n == f->cap)
		return 1;
	struct queue_row *r = &f->rows[f->n++];
	memset(r, 0, sizeof *r);
	incident_queue_key(in, &r->key);
	r->tier = in->tier;
	r->status = in->status;
	r->drill = in->drill;
	r->unconfirmed = in->confirmed_tier < 0 && in->proposed_tier >= 0;
	r->cii = in->cii;
	r->duplicate = in->duplicate_of[0] != '\0';
	r->detected_ms = in->detected_ms;
	/* Once handling has ended, only the summary is still owed: hops
	 * left unmade on a closed incident (a false alarm) are not due. */
	if (incident_status_open(in->status)) {
		r->next_due_ms = in->next_due_ms;
		snprintf(r->next_due_what, sizeof r->next_due_what, "%s", in->next_due_what);
	} else if (!in->has_summary && in->summary_due_ms) {
		r->next_due_ms = in->summary_due_ms;
		snprintf(r->next_due_what, sizeof r->next_due_what, "%s", "summary");
	}
	snprintf(r->org, sizeof r->org, "%s", in->reporting_org);
	snprintf(r->district, sizeof r->district, "%s", in->district);
	snprintf(r->title, sizeof r->title, "%s", in->title);
	return 0;
}

/* Up to limit rows after (backward: before) key, in scan order, into a
 * new array *out; *n receives how many. */
static int fetch(const struct queuewin *w, const struct dd_queue_key *key, bool backward, int limit,
		 struct queue_row **out, int *n, struct dd_error *err)
{
	struct dd_incident_filter f;
	store_incident_filter_init(&f);
	f.closed = w->filter.closed;
	f.tier = w->filter.tier;
	f.status = w->filter.status;
	f.district = w->filter.district[0] ? w->filter.district : NULL;
	f.text = w->filter.text[0] ? w->filter.text : NULL;
	/* A drill's incidents stay open when it ends: they leave the queue
	 * with it, and "drill" in the filter still finds them. */
	f.drill = w->filter.drill == QUEUE_DRILL_ONLY	     ? 1
		  : w->filter.drill == QUEUE_REAL_ONLY || !w->filter.drill_running ? 0
									     : -1;
	struct fetch fe = { malloc((size_t)limit * sizeof(struct queue_row)), 0, limit };
	*out = NULL;
	*n = 0;
	if (!fe.rows)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	int rc = store_incident_scan(w->st, &f, key, backward, limit, collect, &fe, err);
	if (rc != 0) {
		free(fe.rows);
		return rc;
	}
	*out = fe.rows;
	*n = fe.n;
	return 0;
}

static int reserve(struct queuewin *w, int need, struct dd_error *err)
{
	if (need <= w->cap)
		return 0;
	int cap = w->cap ? w->cap : 128;
	while (cap < need)
		cap *= 2;
	struct queue_row *rows = realloc(w->rows, (size_t)cap * sizeof *rows);
	if (!rows)
		return dd_fail(err, DD_ENOMEM, "out of memory");
	w->rows = rows;
	w->cap = cap;
	return 0;
}

/* ---- the four steps -------------------------------------------------------- */

static void trim_front(struct queuewin *w, int k)
{
	if (k <= 0)
		return;
	memmove(w->rows, w->rows + k, (size_t)(w->n - k) * sizeof *w->rows);
	w->n -= k;
	w->bof = false;
	w->sel = w->sel - k < 0 ? 0 : w->sel - k;
	w->top = w->top - k < 0 ? 0 : w->top - k;
}

static void trim_back(struct queuewin *w, int k)
{
	if (k <= 0)
		return;
	w->n -= k;
	w->eof = false;
	if (w->sel > w->n - 1)
		w->sel = w->n - 1;
	if (w->top > w->n - 1)
		w->top = w->n - 1;
}

/* Appends a page after the last row; *got receives how many came. */
static int extend_down(struct queuewin *w, int *got, struct dd_error *err)
{
	struct queue_row *more;
	int rc = fetch(w, &w->rows[w->n - 1].key, false, QUEUEWIN_PAGE + 1, &more, got, err);
	if (rc != 0)
		return rc;
	bool eof = *got <= QUEUEWIN_PAGE;
	if (!eof)
		--*got;
	if ((rc = reserve(w, w->n + *got, err)) != 0) {
		free(more);
		*got = 0;
		return rc;
	}
	memcpy(w->rows + w->n, more, (size_t)*got * sizeof *more);
	w->n += *got;
	w->eof = eof;
	free(more);
	if (w->n > queuewin_max(w))
		trim_front(w, w->n - queuewin_max(w));
	return 0;
}

/* Prepends a page before the first row; *got receives how many came. */
static int extend_up(struct queuewin *w, int *got, struct dd_error *err)
{
	struct queue_row *more;
	int rc = fetch(w, &w->rows[0].key, true, QUEUEWIN_PAGE + 1, &more, got, err);
	if (rc != 0)
		return rc;
	bool bof = *got <= QUEUEWIN_PAGE;
	if (!bof)
		--*got;
	if ((rc = reserve(w, w->n + *got, err)) != 0) {
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
	free(more);
	if (w->n > queuewin_max(w))
		trim_back(w, w->n - queuewin_max(w));
	return 0;
}

int queuewin_fill(struct queuewin *w, struct dd_error *err)
{
	int got = 1, rc = 0;
	while (rc == 0 && got > 0 && w->n > 0 && !w->eof && w->sel > w->n - 1 - w->margin)
		rc = extend_down(w, &got, err);
	got = 1;
	while (rc == 0 && got > 0 && w->n > 0 && !w->bof && w->sel < w->margin)
		rc = extend_up(w, &got, err);
	return rc;
}

int queuewin_load(struct queuewin *w, const struct dd_queue_key *anchor, struct dd_error *err)
{
	int want = w->margin + QUEUEWIN_PAGE / 2;
	int nb = 0, nf = 0;
	struct queue_row *back = NULL, *fwd = NULL;
	int rc = 0;
	if (anchor)
		rc = fetch(w, anchor, true, want + 1, &back, &nb, err);
	if (rc != 0)
		return rc;
	/* Forward from the row just before the anchor, so the anchor itself
	 * (when it is still in the queue) is the first row forward. */
	rc = fetch(w, nb ? &back[0].key : NULL, false, want + 1, &fwd, &nf, err);
	if (rc != 0) {
		free(back);
		return rc;
	}
	bool bof = !anchor || nb <= want;
	if (nb > want)
		nb--;
	bool eof = nf <= want;
	if (!eof)
		nf--;
	struct queue_row *rows = malloc((size_t)(nb + nf > 0 ? nb + nf : 1) * sizeof *rows);
	if (!rows) {
		free(back);
		free(fwd);
		return dd_fail(err, DD_ENOMEM, "out of memory");
	}
	for (int i = 0; i < nb; i++)
		rows[i] = back[nb - 1 - i];
	if (nf)
		memcpy(rows + nb, fwd, (size_t)nf * sizeof *rows);
	free(back);
	free(fwd);
	free(w->rows);
	w->rows = rows;
	w->n = w->cap = nb + nf;
	w->bof = bof;
	w->eof = eof;
	w->sel = w->n == 0 ? -1 : nf > 0 ? nb : nb - 1;
	w->top = w->sel < 0 ? 0 : w->sel;
	return queuewin_fill(w, err);
}

int queuewin_move(struct queuewin *w, int delta, struct dd_error *err)
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
	return rc ? rc : queuewin_fill(w, err);
}

/* ---- the filter ------------------------------------------------------------ */

int queuewin_parse_filter(struct queue_filter *f, const char *text, struct dd_error *err)
{
	struct queue_filter out = *f;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", text);
	char *save = NULL;
	bool any = false;
	for (char *word = strtok_r(buf, " \t,", &save); word; word = strtok_r(NULL, " \t,", &save)) {
		int v;
		any = true;
		if (strcmp(word, "all") == 0 || strcmp(word, "*") == 0) {
			out.tier = out.status = -1;
			out.district[0] = '\0';
			out.drill = QUEUE_REAL_AND_DRILL;
		} else if (strcmp(word, "drill") == 0 || strcmp(word, "演练") == 0) {
			out.drill = QUEUE_DRILL_ONLY;
		} else if (strcmp(word, "real") == 0 || strcmp(word, "实战") == 0) {
			out.drill = QUEUE_REAL_ONLY;
		} else if ((v = tier_parse(word)) >= 0) {
			out.tier = v;
		} else if ((v = incfmt_status_parse(word)) >= 0) {
			out.status = v;
			/* A closed status is not in the open queue: look everywhere. */
			out.closed = -1;
		} else if (strncmp(word, "cq.", 3) == 0 && strlen(word) < sizeof out.district) {
			snprintf(out.district, sizeof out.district, "%s", word);
		} else {
			return dd_fail(err, DD_EINVAL, "%s", word);
		}
	}
	if (!any) {
		out.tier = out.status = -1;
		out.district[0] = '\0';
		out.drill = QUEUE_REAL_AND_DRILL;
	}
	*f = out;
	return 0;
}

void queuewin_describe_filter(const struct queue_filter *f, char *buf, size_t n)
{
	int len = snprintf(buf, n, "%s%s%s%s%s", f->tier >= 0 ? tier_id(f->tier) : "",
			   f->tier >= 0 && f->status >= 0 ? " " : "", f->status >= 0 ? incfmt_status(f->status) : "",
			   (f->tier >= 0 || f->status >= 0) && f->district[0] ? " " : "", f->district);
	if (f->drill != QUEUE_REAL_AND_DRILL && len >= 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, "%s%s", len ? " " : "", f->drill == QUEUE_DRILL_ONLY ? "drill" : "real");
}
