/*
 * draw.c — the only way text reaches the screen.
 *
 * Every string goes through text_fit()/text_pad() first, so control and
 * escape characters become visible escapes (^[, <9b>, ↵) and widths are
 * display columns: nothing drawn can move the cursor, retitle the
 * terminal or spill out of its field, whatever the store holds.
 */
#include <curses.h>

#include "dutydesk/text.h"
#include "dutydesk/ui.h"

/* A field is at most a screen line; 4 bytes per column covers any UTF-8
 * character and the escapes, which are narrower per byte. */
#define FIELD_BYTES 4096

static void put(int y, int x, const char *safe, enum theme_role role)
{
	attr_t a = theme_attr(role);
	attron(a);
	mvaddstr(y, x, safe);
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
	draw_pad(y, x, "", cols, role);
}
