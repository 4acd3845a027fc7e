/*
 * screendump.c — `:save-display FILE`: what stdscr holds, as text.
 *
 * Read back cell by cell with mvin_wch(), so the dump is exactly what
 * curses would put on a terminal: a wide character occupies two cells
 * and is written once (its second cell is skipped), combining marks stay
 * with their base, attributes and colours are dropped, and trailing
 * spaces are trimmed so expected screens are plain to read and diff.
 */
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "dutydesk/i18n.h"
#include "dutydesk/screendump.h"

static size_t put_wc(char *line, size_t len, size_t cap, wchar_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t n = wcrtomb(mb, wc, &ps);
	if (n == (size_t)-1 || len + n >= cap)
		return len;
	memcpy(line + len, mb, n);
	return len + n;
}

int screen_save(const char *path, struct dd_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return dd_fail(err, DD_EIO, _("Cannot write %s: %s"), path, strerror(errno));
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	char line[8 * 1024];
	for (int y = 0; y < rows; y++) {
		size_t len = 0;
		for (int x = 0; x < cols; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wch, &attrs, &pair, NULL) == ERR) {
				len = put_wc(line, len, sizeof line, L' ');
				continue;
			}
			for (size_t i = 0; i < CCHARW_MAX && wch[i]; i++)
				len = put_wc(line, len, sizeof line, wch[i]);
			if (!wch[0])
				len = put_wc(line, len, sizeof line, L' ');
			if (wch[0] && wcwidth(wch[0]) == 2)
				x++;
		}
		while (len > 0 && line[len - 1] == ' ')
			len--;
		line[len] = '\0';
		fprintf(f, "%s\n", line);
	}
	if (fclose(f) != 0)
		return dd_fail(err, DD_EIO, _("Cannot write %s: %s"), path, strerror(errno));
	return 0;
}
