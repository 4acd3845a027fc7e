/*
 * template.c — headed sections in a plain-text document, written for
 * $EDITOR and parsed back (see template.h).
 *
 * Parsing never loses an officer's words silently: text before the first
 * heading is refused along with unknown headings, rather than dropped,
 * because the caller keeps the document as a draft whenever parsing or
 * saving fails.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dutydesk/template.h"

struct buf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

char *template_build(const char *intro, const struct template_section *secs, int n, char *const *initial)
{
	struct buf b = { 0 };
	for (const char *line = intro; *line;) {
		size_t len = strcspn(line, "\n");
		puts_(&b, "# ");
		put(&b, line, len);
		puts_(&b, "\n");
		line += len;
		if (*line)
			line++;
	}
	for (int i = 0; i < n; i++) {
		puts_(&b, "\n## ");
		puts_(&b, secs[i].zh);
		puts_(&b, " ");
		puts_(&b, secs[i].en);
		puts_(&b, "\n\n");
		if (initial && initial[i] && initial[i][0]) {
			puts_(&b, initial[i]);
			puts_(&b, "\n");
		}
	}
	if (b.failed || !b.s) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* The section a heading names: its text after "## " holds the Chinese
 * heading or is the English one (any case). */
static int section_of(const char *h, size_t len, const struct template_section *secs, int n)
{
	char head[256];
	snprintf(head, sizeof head, "%.*s", (int)len, h);
	while (len > 0 && (head[len - 1] == ' ' || head[len - 1] == '\t' || head[len - 1] == '\r'))
		head[--len] = '\0';
	const char *p = head;
	while (*p == ' ' || *p == '\t')
		p++;
	for (int i = 0; i < n; i++)
		if (strstr(p, secs[i].zh) || strcasecmp(p, secs[i].en) == 0)
			return i;
	return -1;
}

static char *trimmed(const char *s, size_t len)
{
	while (len > 0 && strchr(" \t\r\n", *s)) {
		s++;
		len--;
	}
	while (len > 0 && strchr(" \t\r\n", s[len - 1]))
		len--;
	char *out = malloc(len + 1);
	if (out) {
		memcpy(out, s, len);
		out[len] = '\0';
	}
	return out;
}

void template_free(char **out, int n)
{
	for (int i = 0; i < n; i++) {
		free(out[i]);
		out[i] = NULL;
	}
}

int template_parse(const char *text, const struct template_section *secs, int n, char **out, struct dd_error *err)
{
	struct buf body[TEMPLATE_MAX] = { { 0 } };
	bool seen[TEMPLATE_MAX] = { false };
	int cur = -1, rc = 0;
	if (n > TEMPLATE_MAX)
		n = TEMPLATE_MAX;
	for (int i = 0; i < n; i++)
		out[i] = NULL;
	for (const char *line = text; *line && rc == 0;) {
		size_t len = strcspn(line, "\n");
		if (strncmp(line, "## ", 3) == 0) {
			cur = section_of(line + 3, len - 3, secs, n);
			if (cur < 0)
				rc = dd_fail(err, DD_EINVAL, "unknown heading \"%.*s\"", (int)(len > 80 ? 80 : len), line);
			else if (seen[cur])
				rc = dd_fail(err, DD_EINVAL, "the heading \"%s %s\" appears twice", secs[cur].zh, secs[cur].en);
			else
				seen[cur] = true;
		} else if (line[0] != '#') {
			bool blank = strspn(line, " \t\r") == len;
			if (cur >= 0) {
				put(&body[cur], line, len);
				put(&body[cur], "\n", 1);
			} else if (!blank) {
				rc = dd_fail(err, DD_EINVAL, "text before the first heading: \"%.*s\"", (int)(len > 40 ? 40 : len),
					     line);
			}
		}
		line += len;
		if (*line)
			line++;
	}
	for (int i = 0; i < n; i++) {
		if (rc == 0 && body[i].failed)
			rc = dd_fail(err, DD_ENOMEM, "out of memory");
		if (rc == 0 && !(out[i] = trimmed(body[i].s ? body[i].s : "", body[i].len)))
			rc = dd_fail(err, DD_ENOMEM, "out of memory");
		free(body[i].s);
	}
	if (rc != 0)
		template_free(out, n);
	return rc;
}
