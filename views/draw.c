/*
 * draw.c — the only way text reaches the screen.
 *
 * Every string goes through text_fit()/text_pad() first, so control and
 * escape characters become visible escapes (^[, <9b>, ↵) and widths are
 * display columns: nothing drawn can move the cursor, retitle the
 * terminal or spill out of its field, whatever the store holds.
 */
#include <curses.h>
#include <stdlib.h>
#include <wchar.h>

#include "dutydesk/text.h"
#include "dutydesk/ui.h"

/* A field is at most a screen line; 4 bytes per column covers any UTF-8
 * character and the escapes, which are narrower per byte. */
#define FIELD_BYTES 4096

/* Hands curses wide characters: waddstr() of UTF-8 decodes byte by byte
 * through mbrtowc and was three quarters of a redraw. */
static void put(int y, int x, const char *safe, enum theme_role role)
{
	wchar_t wide[FIELD_BYTES];
	size_t n = mbstowcs(wide, safe, FIELD_BYTES - 1);
	attr_t a = theme_attr(role);
	attron(a);
	if (n == (size_t)-1)
		mvaddstr(y, x, safe);
	else
		mvaddnwstr(y, x, wide, (int)n);
	attroff(a);
}

int draw_text(int y, int x, const char *s, int cols, enum theme_role role)
{
	char buf[FIELD_BYTES];
	if (cols <= 0)
		return 0;
	int used = text_fit(buf, sizeof buf, s ? s : "", cols);
	put(y, x, buf, role);
	return used;
}

int draw_pad(int y, int x, const char *s, int cols, enum theme_role role)
{
	char buf[FIELD_BYTES];
	if (cols <= 0)
		return 0;
	int used = text_pad(buf, sizeof buf, s ? s : "", cols);
	put(y, x, buf, role);
	return used;
}

int draw_right(int y, int x_end, const char *s, int cols, enum theme_role role)
{
	char buf[FIELD_BYTES];
	if (cols <= 0)
		return x_end;
	int used = text_fit(buf, sizeof buf, s ? s : "", cols);
	put(y, x_end - used, buf, role);
	return x_end - used;
}

void draw_fill(int y, int x, int cols, enum theme_role role)
{
	if (cols > 0)
		mvhline(y, x, ' ' | theme_attr(role), cols);
}

void draw_rule(int y, int cols, const char *title)
{
	char buf[512];
	snprintf(buf, sizeof buf, "── %s ", title);
	int used = draw_text(y, 0, buf, cols, ROLE_DAY_SEPARATOR);
	attr_t a = theme_attr(ROLE_DAY_SEPARATOR);
	attron(a);
	for (int x = used; x < cols; x++)
		mvaddstr(y, x, "─");
	attroff(a);
}
