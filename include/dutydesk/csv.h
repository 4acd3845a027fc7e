/*
 * csv.h — reading spreadsheet CSV files (RFC 4180 as Excel and WPS write
 * them) in the encodings Chinese offices use.
 *
 * The whole file is read and converted to UTF-8 first: UTF-8 with or
 * without a byte-order mark, or GB18030 (which includes GBK and GB2312),
 * chosen by the caller or detected (text that is not valid UTF-8 is
 * tried as GB18030).  Records are then parsed with quotes, doubled
 * quotes, CRLF or LF line ends and newlines inside quoted fields.
 *
 * Every position is the file's line and column (characters, from 1)
 * where the thing begins, so a message reads "roster.csv:7:23: …" and
 * an editor jumps there.  Nothing is printed; errors come back in
 * struct dd_error as "FILE:LINE:COL: reason".
 */
#ifndef DUTYDESK_CSV_H
#define DUTYDESK_CSV_H

#include <stddef.h>

#include "dutydesk/error.h"

struct dd_csv_field {
	const char *text;      /* NUL-terminated, quotes removed; valid until the next record */
	size_t len;
	long line, col;        /* where the field begins */
};

struct dd_csv {
	char name[256];        /* the file, as messages name it */
	char encoding[24];     /* what was read: "UTF-8", "UTF-8 with BOM", "GB18030" */
	char *buf;             /* the whole text in UTF-8 */
	size_t len, pos;
	long line, col;        /* of buf[pos] */
	long record_line;      /* where the current record begins */
	int n;                 /* fields of the current record */
	struct dd_csv_field *fields;
	int cap;
	char *arena;           /* the current record's unquoted text */
	size_t arena_len, arena_cap;
};

/* Reads path (or standard input for "-") whole and converts it.
 * encoding NULL or "auto" detects; "utf-8", "gbk", "gb18030" and
 * "gb2312" insist.  DD_EINVAL names FILE:LINE:COL of the first byte
 * that does not decode; DD_EIO when the file cannot be read. */
int csv_open_file(struct dd_csv *c, const char *path, const char *encoding, struct dd_error *err);
/* The same over bytes in memory; name is used in messages. */
int csv_open_mem(struct dd_csv *c, const char *name, const char *data, size_t len, const char *encoding,
		 struct dd_error *err);

/* Parses the next record into c->fields[0 .. c->n).  Returns 1 for a
 * record, 0 at the end, or DD_EINVAL for malformed quoting.  Blank lines
 * are skipped. */
int csv_next(struct dd_csv *c, struct dd_error *err);

void csv_close(struct dd_csv *c);

#endif
