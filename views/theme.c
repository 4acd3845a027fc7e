/*
 * theme.c — colour themes: the built-in default, parsing themes/<name>.theme
 * (libconfig), and turning a theme into curses attributes.
 *
 * A theme file has one group, `roles`, holding a group per role:
 *
 *     roles = {
 *       top-bar    = { fg = "white"; bg = "blue"; attrs = "bold"; mono = "reverse"; };
 *       tier-major = { fg = 208; fallback-fg = "yellow"; fallback-attrs = "bold"; };
 *     };
 *
 * Colours are names (black red green yellow blue magenta cyan white,
 * bright-… for 8–15, default) or numbers 0–255; the fallback is used when
 * the terminal has fewer colours than the number asks for (orange 208 on
 * a 256-colour terminal, bold yellow on an 8-colour one).  `mono` is what
 * the role looks like without colour.
 *
 * Invariants: theme_parse() either fills the whole theme or changes
 * nothing the caller sees (it parses into a copy); the applied theme is
 * always complete, because every parse starts from the built-in one.
 */
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/i18n.h"
#include "dutydesk/theme.h"

static const char *const role_names[ROLE_COUNT] = {
#define ROLE_NAME(id, name) [ROLE_##id] = name,
	THEME_ROLE_INFO(ROLE_NAME)
#undef ROLE_NAME
};

const char *theme_role_name(enum theme_role r)
{
	return r < ROLE_COUNT ? role_names[r] : "?";
}

enum theme_role theme_role_by_name(const char *name)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (strcmp(role_names[r], name) == 0)
			return (enum theme_role)r;
	return ROLE_COUNT;
}

#define D THEME_DEFAULT_COLOUR
#define U THEME_UNSET
#define B THEME_BOLD
#define R THEME_REVERSE
#define UL THEME_UNDERLINE

/* Keep in step with themes/default.theme; test_theme checks they agree. */
static const struct theme_style builtin[ROLE_COUNT] = {
	[ROLE_NORMAL] = { D, D, U, U, 0, 0, 0, false },
	[ROLE_TOP_BAR] = { COLOR_WHITE, COLOR_BLUE, U, U, B, 0, R, false },
	[ROLE_CLOCK] = { COLOR_YELLOW, COLOR_BLUE, U, U, B, 0, R | B, false },
	[ROLE_VIEW_TITLE] = { COLOR_CYAN, D, U, U, B, 0, B | UL, false },
	[ROLE_STATUS] = { D, D, U, U, 0, 0, 0, false },
	[ROLE_BOTTOM_BAR] = { COLOR_BLACK, COLOR_WHITE, U, U, 0, 0, R, false },
	[ROLE_TAB] = { COLOR_BLACK, COLOR_WHITE, U, U, 0, 0, R, false },
	[ROLE_TAB_CURRENT] = { COLOR_WHITE, COLOR_BLUE, U, U, B, 0, B | UL, false },
	[ROLE_HINT_KEY] = { COLOR_BLUE, COLOR_WHITE, U, U, B, 0, R | B, false },
	[ROLE_SELECTION] = { COLOR_BLACK, COLOR_CYAN, U, U, 0, 0, R | B, false },
	[ROLE_DAY_SEPARATOR] = { COLOR_YELLOW, D, U, U, B, 0, B | UL, false },
	[ROLE_TIME] = { COLOR_CYAN, D, U, U, 0, 0, 0, false },
	[ROLE_OFFICER] = { COLOR_GREEN, D, U, U, 0, 0, 0, false },
	[ROLE_KIND_NOTE] = { D, D, U, U, 0, 0, 0, false },
	[ROLE_KIND_CALL_IN] = { COLOR_MAGENTA, D, U, U, B, 0, B, false },
	[ROLE_KIND_CALL_OUT] = { COLOR_BLUE, D, U, U, B, 0, B, false },
	[ROLE_KIND_ACTION] = { COLOR_YELLOW, D, U, U, B, 0, B, false },
	[ROLE_KIND_HANDOVER] = { COLOR_GREEN, D, U, U, B, 0, B | UL, false },
	[ROLE_CORRECTION] = { COLOR_MAGENTA, D, U, U, 0, 0, UL, false },
	[ROLE_DRILL] = { COLOR_BLACK, COLOR_YELLOW, U, U, B, 0, R, false },
	[ROLE_TIER_UNASSESSED] = { D, D, U, U, B, 0, 0, false },
	[ROLE_TIER_GENERAL] = { COLOR_BLUE, D, U, U, B, 0, 0, false },
	[ROLE_TIER_LARGER] = { COLOR_YELLOW, D, U, U, 0, 0, B, false },
	[ROLE_TIER_MAJOR] = { 208, D, COLOR_YELLOW, U, B, B, B | UL, true },
	[ROLE_TIER_CRITICAL] = { COLOR_RED, D, U, U, B, 0, R | B, false },
	[ROLE_LEVEL_RED] = { COLOR_RED, D, U, U, B, 0, R | B, false },
	[ROLE_LEVEL_ORANGE] = { 208, D, COLOR_YELLOW, U, B, B, B | UL, true },
	[ROLE_LEVEL_YELLOW] = { COLOR_YELLOW, D, U, U, B, 0, B, false },
	[ROLE_LEVEL_BLUE] = { COLOR_BLUE, D, U, U, B, 0, 0, false },
	[ROLE_DUE_SOON] = { COLOR_YELLOW, D, U, U, B, 0, B, false },
	[ROLE_OVERDUE] = { COLOR_RED, D, U, U, B, 0, R | B, false },
	[ROLE_ALERT] = { COLOR_WHITE, COLOR_RED, U, U, B, 0, R | B, false },
	[ROLE_BANNER_PERIOD] = { COLOR_WHITE, COLOR_RED, U, U, B, 0, R | B, false },
	[ROLE_BANNER_DRILL] = { COLOR_BLACK, COLOR_YELLOW, U, U, B, 0, R | B, false },
	[ROLE_SYNC] = { COLOR_YELLOW, COLOR_BLUE, U, U, 0, 0, R, false },
	[ROLE_ERROR] = { COLOR_RED, D, U, U, B, 0, B, false },
	[ROLE_INFO] = { COLOR_GREEN, D, U, U, 0, 0, 0, false },
	[ROLE_PROMPT] = { D, D, U, U, B, 0, B, false },
	[ROLE_LABEL] = { D, D, U, U, B, 0, B, false },
	[ROLE_DIM] = { 8, D, D, U, 0, THEME_DIM, THEME_DIM, true },
	[ROLE_HELP_GROUP] = { COLOR_YELLOW, D, U, U, B, 0, B | UL, false },
	[ROLE_HELP_KEY] = { COLOR_GREEN, D, U, U, B, 0, B, false },
};

#undef D
#undef U
#undef B
#undef R
#undef UL

void theme_builtin(struct theme *t)
{
	memcpy(t->style, builtin, sizeof builtin);
}

/* ---- parsing --------------------------------------------------------- */

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white",
};

static int fail_at(struct dd_error *err, const char *path, const config_setting_t *s, const char *fmt,
		   const char *what)
{
	char msg[256];
	snprintf(msg, sizeof msg, fmt, what);
	return dd_fail(err, DD_ECONFIG, "%s:%d: %s", path, s ? (int)config_setting_source_line(s) : 0, msg);
}

static int parse_colour(const char *path, const config_setting_t *s, short *out, struct dd_error *err)
{
	if (config_setting_type(s) == CONFIG_TYPE_INT) {
		int v = config_setting_get_int(s);
		if (v < 0 || v > 255)
			return fail_at(err, path, s, "colour '%s' must be 0 to 255", config_setting_name(s));
		*out = (short)v;
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail_at(err, path, s, "colour '%s' must be a name or a number", config_setting_name(s));
	const char *v = config_setting_get_string(s);
	if (strcmp(v, "default") == 0) {
		*out = THEME_DEFAULT_COLOUR;
		return 0;
	}
	for (size_t i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++) {
		if (strcmp(colour_names[i], v) == 0) {
			*out = (short)i;
			return 0;
		}
	}
	return fail_at(err, path, s, "unknown colour \"%s\" (black, red, green, yellow, blue, magenta, "
				     "cyan, white, bright-…, default or 0–255)", v);
}

static int parse_attrs(const char *path, const config_setting_t *s, unsigned *out, struct dd_error *err)
{
	static const struct {
		const char *name;
		unsigned bit;
	} words[] = {
		{ "bold", THEME_BOLD }, { "reverse", THEME_REVERSE }, { "underline", THEME_UNDERLINE },
		{ "dim", THEME_DIM }, { "italic", THEME_ITALIC }, { "none", 0 },
	};
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail_at(err, path, s, "'%s' must be a string such as \"bold underline\"",
			       config_setting_name(s));
	char buf[128];
	snprintf(buf, sizeof buf, "%s", config_setting_get_string(s));
	unsigned bits = 0;
	char *save = NULL;
	for (char *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
		size_t i = 0;
		while (i < sizeof words / sizeof words[0] && strcmp(words[i].name, w) != 0)
			i++;
		if (i == sizeof words / sizeof words[0])
			return fail_at(err, path, s, "unknown attribute \"%s\" (bold, reverse, underline, dim, "
					     "italic, none)", w);
		bits |= words[i].bit;
	}
	*out = bits;
	return 0;
}

static int parse_role(const char *path, const config_setting_t *g, struct theme_style *st, struct dd_error *err)
{
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail_at(err, path, g, "role '%s' must be a group { fg = …; bg = …; }", config_setting_name(g));
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *key = config_setting_name(s);
		int rc;
		if (strcmp(key, "fg") == 0)
			rc = parse_colour(path, s, &st->fg, err);
		else if (strcmp(key, "bg") == 0)
			rc = parse_colour(path, s, &st->bg, err);
		else if (strcmp(key, "fallback-fg") == 0)
			rc = parse_colour(path, s, &st->fg8, err);
		else if (strcmp(key, "fallback-bg") == 0)
			rc = parse_colour(path, s, &st->bg8, err);
		else if (strcmp(key, "attrs") == 0)
			rc = parse_attrs(path, s, &st->attrs, err);
		else if (strcmp(key, "mono") == 0)
			rc = parse_attrs(path, s, &st->mono, err);
		else if (strcmp(key, "fallback-attrs") == 0) {
			rc = parse_attrs(path, s, &st->attrs8, err);
			st->has_attrs8 = true;
		} else
			rc = fail_at(err, path, s, "unknown setting '%s' (fg, bg, attrs, mono, fallback-fg, "
					     "fallback-bg, fallback-attrs)", key);
		if (rc)
			return rc;
	}
	return 0;
}

int theme_parse(const char *path, struct theme *t, struct dd_error *err)
{
	config_t cf;
	config_init(&cf);
	if (!config_read_file(&cf, path)) {
		int rc;
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			rc = dd_fail(err, DD_ENOTFOUND, "%s: cannot read the theme", path);
		else
			rc = dd_fail(err, DD_ECONFIG, "%s:%d: %s", path, config_error_line(&cf),
				     config_error_text(&cf));
		config_destroy(&cf);
		return rc;
	}
	struct theme parsed;
	theme_builtin(&parsed);
	int rc = 0;
	const config_setting_t *root = config_root_setting(&cf);
	for (int i = 0; i < config_setting_length(root) && rc == 0; i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);
		if (strcmp(name, "roles") != 0 && strcmp(name, "description") != 0)
			rc = fail_at(err, path, s, "unknown setting '%s' (description, roles)", name);
	}
	const config_setting_t *roles = config_lookup(&cf, "roles");
	if (rc == 0 && (!roles || config_setting_type(roles) != CONFIG_TYPE_GROUP))
		rc = fail_at(err, path, roles, "%s", "the theme needs a group 'roles = { … };'");
	for (int i = 0; rc == 0 && i < config_setting_length(roles); i++) {
		const config_setting_t *g = config_setting_get_elem(roles, (unsigned)i);
		enum theme_role r = theme_role_by_name(config_setting_name(g));
		if (r == ROLE_COUNT)
			rc = fail_at(err, path, g, "unknown role '%s' (see themes/default.theme for the list)",
				     config_setting_name(g));
		else
			rc = parse_role(path, g, &parsed.style[r], err);
	}
	config_destroy(&cf);
	if (rc == 0)
		*t = parsed;
	return rc;
}

int theme_find(const char *name, char *path, size_t n, struct dd_error *err)
{
	if (!name[0] || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
				strlen(name))
		return dd_fail(err, DD_EINVAL, _("theme name \"%s\": use letters, digits, - and _"), name);
	char dir[DD_PATH_MAX];
	if (i18n_exe_dir(dir, sizeof dir) == 0) {
		snprintf(path, n, "%s/themes/%s.theme", dir, name);
		if (access(path, R_OK) == 0)
			return 0;
	}
	snprintf(path, n, "%s/themes/%s.theme", DD_DATADIR, name);
	if (access(path, R_OK) == 0)
		return 0;
	return dd_fail(err, DD_ENOTFOUND, _("no theme \"%s\" (looked beside dutydesk and in %s/themes)"), name,
		       DD_DATADIR);
}

/* ---- curses ------------------------------------------------------------ */

static bool colour_on;
static bool default_colours;   /* use_default_colors() worked: -1 is allowed */
static attr_t attrs[ROLE_COUNT];

static attr_t curses_bits(unsigned bits)
{
	attr_t a = A_NORMAL;
	if (bits & THEME_BOLD)
		a |= A_BOLD;
	if (bits & THEME_REVERSE)
		a |= A_REVERSE;
	if (bits & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & THEME_DIM)
		a |= A_DIM;
#ifdef A_ITALIC
	if (bits & THEME_ITALIC)
		a |= A_ITALIC;
#endif
	return a;
}

/* A colour the terminal can show: the fallback past COLORS, and the
 * terminal's default as white/black when it cannot do "default". */
static short usable(short c, short fallback, bool *fell_back, bool is_fg)
{
	if (c >= COLORS) {
		*fell_back = true;
		c = fallback >= 0 && fallback < COLORS ? fallback : THEME_DEFAULT_COLOUR;
	}
	if (c < 0 && !default_colours)
		c = is_fg ? COLOR_WHITE : COLOR_BLACK;
	return c;
}

static void apply(const struct theme *t)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *s = &t->style[r];
		if (!colour_on) {
			attrs[r] = curses_bits(s->mono);
			continue;
		}
		bool fell_back = false;
		short fg = usable(s->fg, s->fg8, &fell_back, true);
		short bg = usable(s->bg, s->bg8, &fell_back, false);
		unsigned bits = fell_back && s->has_attrs8 ? s->attrs8 : s->attrs;
		if (r + 1 < COLOR_PAIRS && init_pair((short)(r + 1), fg, bg) == OK)
			attrs[r] = curses_bits(bits) | COLOR_PAIR(r + 1);
		else
			attrs[r] = curses_bits(s->mono);
	}
}

void theme_start(void)
{
	const char *no_colour = getenv("NO_COLOR");
	colour_on = !(no_colour && no_colour[0]) && has_colors();
	if (colour_on) {
		start_color();
		default_colours = use_default_colors() == OK;
	}
	struct theme t;
	theme_builtin(&t);
	apply(&t);
}

int theme_use(const char *name, struct dd_error *err)
{
	char path[DD_PATH_MAX];
	struct theme t;
	int rc = theme_find(name, path, sizeof path, err);
	if (rc == 0)
		rc = theme_parse(path, &t, err);
	if (rc == 0)
		apply(&t);
	return rc;
}

attr_t theme_attr(enum theme_role r)
{
	return r < ROLE_COUNT ? attrs[r] : A_NORMAL;
}
