/*
 * csv.c — CSV files as spreadsheets write them (see csv.h).
 *
 * Invariants: c->buf is valid UTF-8 without NUL bytes once opened, so
 * every field handed out is valid text; c->line and c->col always
 * describe c->pos (columns count characters, not bytes), which is what
 * lets every message name the place a person would look at.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dutydesk/csv.h"
#include "dutydesk/text.h"

#define FILE_MAX (256L * 1024 * 1024)

/* Line and column of byte off in UTF-8 text. */
static void position(const char *s, size_t off, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* Offset of the first byte of s[0..len) that does not begin a valid
 * UTF-8 character (or is NUL), or len. */
static size_t first_invalid(const char *s, size_t len)
{
	if (text_is_valid_utf8(s, len))
		return len;
	size_t i = 0;
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || i + n > len || !text_is_valid_utf8(s + i, n))
			return i;
		i += n;
	}
	return len;
}

static int decode_error(struct dd_csv *c, const char *valid, size_t valid_len, const char *why, unsigned char byte,
			struct dd_error *err)
{
	long line, col;
	position(valid, valid_len, &line, &col);
	return dd_fail(err, DD_EINVAL, "%s:%ld:%ld: %s (byte 0x%02X); choose the encoding with --encoding utf-8|gbk|gb18030",
		       c->name, line, col, why, byte);
}

/* Converts GB18030 in[0..n) into c->buf; on a byte it cannot decode,
 * fails naming its position (counted in what was decoded before it). */
static int from_gb18030(struct dd_csv *c, const char *in, size_t n, struct dd_error *err)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return dd_fail(err, DD_EIO, "%s: this system cannot convert GB18030 (iconv: %s)", c->name, strerror(errno));
	size_t cap = n * 2 + 16;
	char *out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return dd_fail(err, DD_ENOMEM, "out of memory");
	}
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap - 1;
	int rc = 0;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		/* E2BIG cannot happen: GB18030 takes at least as many bytes as
		 * UTF-8 needs for each character but two-byte ones (1.5×). */
		rc = decode_error(c, out, (size_t)(op - out), errno == EINVAL ? "a character cut off at the end of the file"
									      : "not valid GB18030/GBK",
				  il ? (unsigned char)*ip : 0, err);
	}
	iconv_close(cd);
	if (rc) {
		free(out);
		return rc;
	}
	*op = '\0';
	c->buf = out;
	c->len = (size_t)(op - out);
	return 0;
}

int csv_open_mem(struct dd_csv *c, const char *name, const char *data, size_t len, const char *encoding,
		 struct dd_error *err)
{
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->line = c->col = 1;
	bool gb = false, utf8 = false;
	if (encoding && *encoding && strcasecmp(encoding, "auto") != 0) {
		if (strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0)
			utf8 = true;
		else if (strcasecmp(encoding, "gbk") == 0 || strcasecmp(encoding, "gb18030") == 0 ||
			 strcasecmp(encoding, "gb2312") == 0 || strcasecmp(encoding, "cp936") == 0)
			gb = true;
		else
			return dd_fail(err, DD_EINVAL, "encoding '%s': use utf-8, gbk or gb18030", encoding);
	}
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
			 ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
		return dd_fail(err, DD_EINVAL, "%s:1:1: the file is UTF-16 (\"Unicode text\"); save it as CSV UTF-8", c->name);
	bool bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	if (bom && !gb) {
		data += 3;
		len -= 3;
		utf8 = true;
	}
	size_t bad = gb ? 0 : first_invalid(data, len);
	if (!gb && bad == len) {
		if (!(c->buf = malloc(len + 1)))
			return dd_fail(err, DD_ENOMEM, "out of memory");
		memcpy(c->buf, data, len);
		c->buf[len] = '\0';
		c->len = len;
		snprintf(c->encoding, sizeof c->encoding, bom ? "UTF-8 with BOM" : "UTF-8");
		return 0;
	}
	if (utf8)
		return decode_error(c, data, bad, data[bad] ? "not valid UTF-8" : "a NUL byte", (unsigned char)data[bad], err);
	struct dd_error gb_err;
	int rc = from_gb18030(c, data, len, &gb_err);
	if (rc == 0 && memchr(c->buf, '\0', c->len)) {
		size_t at = (size_t)((char *)memchr(c->buf, '\0', c->len) - c->buf);
		rc = decode_error(c, c->buf, at, "a NUL byte", 0, &gb_err);
		free(c->buf);
		c->buf = NULL;
	}
	if (rc) {
		/* Neither: the UTF-8 position is the likelier typo unless GB was asked for. */
		if (gb)
			*err = gb_err;
		else
			decode_error(c, data, bad, "neither UTF-8 nor GB18030/GBK", (unsigned char)data[bad], err);
		return DD_EINVAL;
	}
	snprintf(c->encoding, sizeof c->encoding, "GB18030");
	return 0;
}

int csv_open_file(struct dd_csv *c, const char *path, const char *encoding, struct dd_error *err)
{
	bool std_in = strcmp(path, "-") == 0;
	FILE *f = std_in ? stdin : fopen(path, "rb");
	if (!f)
		return dd_fail(err, DD_EIO, "%s: %s", path, strerror(errno));
	size_t cap = 64 * 1024, n = 0;
	char *data = malloc(cap);
	int rc = 0;
	while (data) {
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			if (cap >= FILE_MAX) {
				rc = dd_fail(err, DD_ERANGE, "%s: larger than %ld MiB", path, FILE_MAX >> 20);
				break;
			}
			char *bigger = realloc(data, cap *= 2);
			if (!bigger)
				free(data);
			data = bigger;
		}
	}
	if (!data)
		rc = dd_fail(err, DD_ENOMEM, "out of memory");
	else if (!rc && ferror(f))
		rc = dd_fail(err, DD_EIO, "%s: read error: %s", path, strerror(errno));
	if (!std_in)
		fclose(f);
	if (rc == 0)
		rc = csv_open_mem(c, std_in ? "<stdin>" : path, data, n, encoding, err);
	free(data);
	return rc;
}

void csv_close(struct dd_csv *c)
{
	free(c->buf);
	free(c->fields);
	free(c->arena);
	memset(c, 0, sizeof *c);
}

/* ---- parsing ---------------------------------------------------------- */

static void advance(struct dd_csv *c)
{
	unsigned char b = (unsigned char)c->buf[c->pos++];
	if (b == '\n') {
		c->line++;
		c->col = 1;
	} else if ((b & 0xC0) != 0x80) {
		c->col++;
	}
}

static int arena_put(struct dd_csv *c, char ch, struct dd_error *err)
{
	if (c->arena_len + 1 >= c->arena_cap) {
		size_t cap = c->arena_cap ? c->arena_cap * 2 : 1024;
		char *bigger = realloc(c->arena, cap);
		if (!bigger)
			return dd_fail(err, DD_ENOMEM, "out of memory");
		c->arena = bigger;
		c->arena_cap = cap;
	}
	c->arena[c->arena_len++] = ch;
	return 0;
}

/* Fields keep arena offsets while the record grows (the arena may move),
 * and become pointers when it is complete. */
static int field_begin(struct dd_csv *c, struct dd_error *err)
{
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 16;
		struct dd_csv_field *bigger = realloc(c->fields, (size_t)cap * sizeof *bigger);
		if (!bigger)
			return dd_fail(err, DD_ENOMEM, "out of memory");
		c->fields = bigger;
		c->cap = cap;
	}
	struct dd_csv_field *f = &c->fields[c->n++];
	f->text = (const char *)(uintptr_t)c->arena_len;
	f->line = c->line;
	f->col = c->col;
	return 0;
}

static int field_end(struct dd_csv *c, struct dd_error *err)
{
	struct dd_csv_field *f = &c->fields[c->n - 1];
	f->len = c->arena_len - (size_t)(uintptr_t)f->text;
	return arena_put(c, '\0', err);
}

/* After malformed quoting: skip to the next line so the rest of the file
 * is still checked. */
static int malformed(struct dd_csv *c, long line, long col, const char *why, struct dd_error *err)
{
	while (c->pos < c->len && c->buf[c->pos] != '\n')
		advance(c);
	if (c->pos < c->len)
		advance(c);
	c->n = 0;
	return dd_fail(err, DD_EINVAL, "%s:%ld:%ld: %s", c->name, line, col, why);
}

int csv_next(struct dd_csv *c, struct dd_error *err)
{
	c->n = 0;
	c->arena_len = 0;
	/* Blank lines are no records. */
	while (c->pos < c->len && (c->buf[c->pos] == '\n' || (c->buf[c->pos] == '\r' && c->pos + 1 < c->len &&
									   c->buf[c->pos + 1] == '\n')))
		advance(c);
	if (c->pos >= c->len)
		return 0;
	c->record_line = c->line;
	int rc;
	for (;;) {
		if ((rc = field_begin(c, err)))
			return rc;
		if (c->pos < c->len && c->buf[c->pos] == '"') {
			long qline = c->line, qcol = c->col;
			advance(c);
			for (;;) {
				if (c->pos >= c->len)
					return malformed(c, qline, qcol, "this quoted field never ends (a closing \" is missing)",
							 err);
				if (c->buf[c->pos] == '"') {
					if (c->pos + 1 < c->len && c->buf[c->pos + 1] == '"') {
						advance(c);
						advance(c);
						if ((rc = arena_put(c, '"', err)))
							return rc;
						continue;
					}
					advance(c);
					break;
				}
				/* A CRLF inside quotes is a line break in the cell: keep LF. */
				if (c->buf[c->pos] == '\r' && c->pos + 1 < c->len && c->buf[c->pos + 1] == '\n') {
					advance(c);
					continue;
				}
				if ((rc = arena_put(c, c->buf[c->pos], err)))
					return rc;
				advance(c);
			}
			if (c->pos < c->len && c->buf[c->pos] != ',' && c->buf[c->pos] != '\n' &&
			    !(c->buf[c->pos] == '\r' && (c->pos + 1 == c->len || c->buf[c->pos + 1] == '\n')))
				return malformed(c, c->line, c->col, "text after a closing quote (expected , or the end of the line)",
						 err);
		} else {
			while (c->pos < c->len && c->buf[c->pos] != ',' && c->buf[c->pos] != '\n' &&
			       !(c->buf[c->pos] == '\r' && (c->pos + 1 == c->len || c->buf[c->pos + 1] == '\n'))) {
				if (c->buf[c->pos] == '"')
					return malformed(c, c->line, c->col,
							 "a quote inside an unquoted field (quote the whole field and double the quote: \"a\"\"b\")",
							 err);
				if ((rc = arena_put(c, c->buf[c->pos], err)))
					return rc;
				advance(c);
			}
		}
		if ((rc = field_end(c, err)))
			return rc;
		if (c->pos < c->len && c->buf[c->pos] == ',') {
			advance(c);
			continue;
		}
		if (c->pos < c->len && c->buf[c->pos] == '\r')
			advance(c);
		if (c->pos < c->len)
			advance(c);   /* the '\n' */
		break;
	}
	for (int i = 0; i < c->n; i++)
		c->fields[i].text = c->arena + (size_t)(uintptr_t)c->fields[i].text;
	return 1;
}
