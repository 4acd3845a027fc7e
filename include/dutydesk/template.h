/*
 * template.h — a document of headed sections written in $EDITOR and read
 * back: the post-incident summary (事件分析总结) and follow-up reports
 * (补报).
 *
 * The text is plain: lines starting with "## " are headings (a section
 * is recognised by its Chinese or its English heading, so an officer may
 * delete either half), other lines starting with "#" are comments, and
 * everything else belongs to the section above it.  No curses: tested
 * alone.
 */
#ifndef DUTYDESK_TEMPLATE_H
#define DUTYDESK_TEMPLATE_H

#include "dutydesk/error.h"

/* The most sections a document has. */
#define TEMPLATE_MAX 8

struct template_section {
	const char *key;          /* the event body's field */
	const char *zh, *en;      /* the heading in both languages */
};

/* A malloc'd document: the comment lines of intro (each line prefixed
 * "# "), then each section's heading "## zh en" and its text from
 * initial[i] (initial may be NULL, or hold NULLs).  NULL when out of
 * memory. */
char *template_build(const char *intro, const struct template_section *secs, int n, char *const *initial);

/* Reads text back into out[0..n) (n at most TEMPLATE_MAX): each section's text without the blank
 * lines and spaces around it, malloc'd ("" when left empty).  A heading
 * that names no section, or names one twice, is DD_EINVAL with err
 * quoting it, and out is left all NULL. */
int template_parse(const char *text, const struct template_section *secs, int n, char **out, struct dd_error *err);

/* Frees out[0..n) and sets them NULL. */
void template_free(char **out, int n);

#endif
