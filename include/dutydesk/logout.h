/*
 * logout.h — the shift log as text for people and programs: the plain
 * listing of `log list`, JSON, CSV and Markdown, shared by `log list` and
 * `export`.  Every string from the store is escaped for its format; in
 * plain and Markdown output control characters become visible (text_fit),
 * so no stored text can act on the terminal that shows it.
 */
#ifndef DUTYDESK_LOGOUT_H
#define DUTYDESK_LOGOUT_H

#include <stdio.h>

#include "dutydesk/store.h"

enum logout_format { LOGOUT_PLAIN, LOGOUT_JSON, LOGOUT_CSV, LOGOUT_MD };

struct logout {
	FILE *out;
	enum logout_format format;
	const char *tz;
	const char *title_org;    /* for the Markdown heading */
	int64_t rows;
	int64_t day;              /* last local day printed (Markdown) */
	int failed;               /* a write failed: disk full, closed pipe */
};

/* Parses "md", "csv", "json"; -1 when unknown. */
int logout_parse_format(const char *name);

void logout_begin(struct logout *lo);
/* A dd_log_cb: prints one row. */
int logout_row(const struct dd_log_row *row, void *lo);
/* Closes the document; returns 0, or -1 when any write failed. */
int logout_end(struct logout *lo);

/* Writes s as the text of one Markdown table cell: control characters
 * made visible (text_escape), no line breaks, and | \ < > * _ ` escaped
 * so stored text cannot break the table or format itself.  The log's
 * and the zero reports' Markdown exports share it. */
void logout_md_cell(FILE *out, const char *s);

#endif
