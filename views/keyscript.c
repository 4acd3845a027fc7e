/*
 * keyscript.c — turning a line of a screen-test key script into inputs
 * (the format is in keyscript.h and tests/screen/README).
 *
 * Pure: no curses and no files, so the format is unit-tested.  A `<…>`
 * that names no key is an error rather than literal text, so a typo in a
 * test script fails loudly instead of typing "<Entr>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dutydesk/keyscript.h"

static int push(struct input *out, size_t max, size_t *n, int key, int x, int y, struct dd_error *err)
{
	if (*n >= max)
		return dd_fail(err, DD_ERANGE, "more than %zu keys on one line", max);
	out[*n].key = key;
	out[*n].x = x;
	out[*n].y = y;
	(*n)++;
	return 0;
}

/* A mouse event "Click 10 5", "WheelUp" or "WheelDown 3 4". */
static int parse_mouse(const char *name, int *key, int *x, int *y)
{
	char word[16];
	int cx = 0, cy = 0, used = 0;
	int fields = sscanf(name, "%15s %d %d%n", word, &cx, &cy, &used);
	if (fields < 1)
		return -1;
	*key = keys_parse_name(word);
	if (*key != KEY_CLICK && *key != KEY_WHEEL_UP && *key != KEY_WHEEL_DOWN)
		return -1;
	if (fields == 3 && name[used] == '\0' && cx >= 0 && cy >= 0) {
		*x = cx;
		*y = cy;
		return 0;
	}
	/* The wheel needs no position; a click does. */
	if (fields == 1 && *key != KEY_CLICK && strchr(name, ' ') == NULL) {
		*x = *y = 0;
		return 0;
	}
	return -1;
}

static int parse_name(const char *name, struct input *out, size_t max, size_t *n, struct dd_error *err)
{
	if (strcmp(name, "lt") == 0)
		return push(out, max, n, '<', 0, 0, err);
	int key = keys_parse_name(name);
	if (key && key != KEY_CLICK && key != KEY_WHEEL_UP && key != KEY_WHEEL_DOWN)
		return push(out, max, n, key, 0, 0, err);
	int x, y;
	if (parse_mouse(name, &key, &x, &y) == 0)
		return push(out, max, n, key, x, y, err);
	return dd_fail(err, DD_EINVAL, "unknown key <%s>", name);
}

static int type_text(const char *s, size_t len, struct input *out, size_t max, size_t *n,
		     struct dd_error *err)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	while (len > 0) {
		wchar_t wc;
		size_t used = mbrtowc(&wc, s, len, &ps);
		if (used == (size_t)-1 || used == (size_t)-2 || used == 0)
			return dd_fail(err, DD_EINVAL, "invalid UTF-8 in \"%s\"", s);
		int rc = push(out, max, n, (int)wc, 0, 0, err);
		if (rc)
			return rc;
		s += used;
		len -= used;
	}
	return 0;
}

int keyscript_parse_line(const char *line, struct input *out, size_t max, struct dd_error *err)
{
	size_t n = 0;
	int rc = 0;
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (line[0] == ':') {
		rc = type_text(line, strlen(line), out, max, &n, err);
		if (rc == 0)
			rc = push(out, max, &n, KEY_RETURN, 0, 0, err);
		return rc ? rc : (int)n;
	}
	const char *p = line;
	while (*p && rc == 0) {
		const char *lt = strchr(p, '<');
		const char *gt = lt ? strchr(lt, '>') : NULL;
		size_t plain = lt && gt ? (size_t)(lt - p) : strlen(p);
		rc = type_text(p, plain, out, max, &n, err);
		p += plain;
		if (rc == 0 && *p == '<') {
			char name[64];
			size_t len = (size_t)(gt - lt - 1);
			if (len >= sizeof name)
				return dd_fail(err, DD_EINVAL, "key name too long: %.20s…", lt);
			memcpy(name, lt + 1, len);
			name[len] = '\0';
			rc = parse_name(name, out, max, &n, err);
			p = gt + 1;
		}
	}
	return rc ? rc : (int)n;
}
