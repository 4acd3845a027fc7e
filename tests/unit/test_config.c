/*
 * test_config.c — unit tests for core/config.c: every way a dutydesk.conf
 * is refused (each message must name file:line and the setting), defaults,
 * default paths from the XDG variables, relative paths, and config_save()
 * (mode 0600, folder 0700, a faithful round trip through config_load()).
 *
 * Each test writes its files in its own mkdtemp() folder and removes it;
 * tests that change HOME or XDG_* put them back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "tempdir.h"

#define ORIGIN "0194d6e0-0000-7000-8000-00000000c0de"

struct fx {
	char dir[256];
	char conf[512];
	struct dd_config cfg;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-config-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->conf, sizeof fx->conf, "%s/dutydesk.conf", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	int rc = tempdir_remove(fx->dir);
	free(fx);
	return rc;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void write_conf(struct fx *fx, const char *text)
{
	FILE *f = fopen(fx->conf, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* Loading text must fail DD_ECONFIG with "<file>:<line>: setting '<name>'"
 * (or, with name NULL, just "<file>:<line>:") and mention why. */
static void expect_bad(struct fx *fx, const char *text, int line, const char *name, const char *why)
{
	write_conf(fx, text);
	struct dd_error err = { 0, "" };
	int rc = config_load(fx->conf, &fx->cfg, &err);
	char want[1024];
	if (name)
		snprintf(want, sizeof want, "%s:%d: setting '%s'", fx->conf, line, name);
	else
		snprintf(want, sizeof want, "%s:%d: ", fx->conf, line);
	if (rc != DD_ECONFIG || strncmp(err.msg, want, strlen(want)) != 0 || (why && !strstr(err.msg, why)))
		fail_msg("config:\n%s\nrc %d, message \"%s\"\nwant \"%s…%s\"", text, rc, err.msg, want,
			 why ? why : "");
	assert_int_equal(err.code, DD_ECONFIG);
}

static void load_ok(struct fx *fx, const char *text)
{
	write_conf(fx, text);
	struct dd_error err = { 0, "" };
	int rc = config_load(fx->conf, &fx->cfg, &err);
	if (rc)
		fail_msg("config:\n%s\nrefused: %s", text, err.msg);
}

/* ---- environment -------------------------------------------------------- */

struct saved_env {
	char *home, *xdg_config, *xdg_data;
};

static char *dup_env(const char *name)
{
	const char *v = getenv(name);
	return v ? strdup(v) : NULL;
}

static void put_env(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static struct saved_env save_env(void)
{
	struct saved_env s = { dup_env("HOME"), dup_env("XDG_CONFIG_HOME"), dup_env("XDG_DATA_HOME") };
	return s;
}

static void restore_env(struct saved_env *s)
{
	put_env("HOME", s->home);
	put_env("XDG_CONFIG_HOME", s->xdg_config);
	put_env("XDG_DATA_HOME", s->xdg_data);
	free(s->home);
	free(s->xdg_config);
	free(s->xdg_data);
}

/* ---- errors ----------------------------------------------------------------- */

static void test_missing_file(void **state)
{
	struct fx *fx = *state;
	struct dd_error err;
	char path[600];
	snprintf(path, sizeof path, "%s/nope/dutydesk.conf", fx->dir);
	memset(&fx->cfg, 'x', sizeof fx->cfg);
	assert_int_equal(config_load(path, &fx->cfg, &err), DD_ENOTFOUND);
	assert_int_equal(err.code, DD_ENOTFOUND);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "dutydesk init"));
	/* the caller gets the defaults, not garbage, and the path to create */
	assert_string_equal(fx->cfg.path, path);
	assert_string_equal(fx->cfg.timezone, "Asia/Shanghai");
	assert_string_equal(fx->cfg.officer, "");
}

static void test_folder(void **state)
{
	struct fx *fx = *state;
	/* a folder must be refused by name, not crash the scanner */
	struct dd_error err;
	assert_int_equal(config_load(fx->dir, &fx->cfg, &err), DD_ECONFIG);
	assert_int_equal(err.code, DD_ECONFIG);
	assert_non_null(strstr(err.msg, fx->dir));
	assert_non_null(strstr(err.msg, "folder"));
}

static void test_syntax_errors(void **state)
{
	struct fx *fx = *state;
	expect_bad(fx, "officer = \"张伟\";\norg = \"cq.yubei\"\ntimezone = ;\n", 3, NULL, NULL);
	/* (not `officer "张伟";`: libconfig 1.5 leaks the string it scanned
	 * there, which would fail the ASan run for a library bug) */
	expect_bad(fx, "# comment\n\n\n\nofficer == \"张伟\";\n", 5, NULL, NULL);
	expect_bad(fx, "officer = \"张伟\";\norg = \"cq.yubei\";\nserver = {\n  url = \"http://x\";\n", 5, NULL, NULL);
	/* a string may span lines, so an unclosed one ends at the end of file */
	expect_bad(fx, "officer = \"unterminated;\n", 2, NULL, NULL);
	/* the same setting twice */
	expect_bad(fx, "officer = \"a\";\norg = \"cq\";\nofficer = \"b\";\n", 3, NULL, "duplicate");
}

static void test_unknown_setting(void **state)
{
	struct fx *fx = *state;
	expect_bad(fx, "officer = \"张伟\";\norg = \"cq.yubei\";\ntheme = \"default\";\ncolour = \"red\";\n", 4,
		   "colour", "unknown setting");
	expect_bad(fx, "Officer = \"张伟\";\n", 1, "Officer", "unknown setting");
	expect_bad(fx, "officer = \"张伟\";\nextra = { a = 1; };\n", 2, "extra", "unknown setting");
	/* inside the server group too: a typo must not pass silently */
	expect_bad(fx, "officer = \"张伟\";\nserver = {\n  url = \"http://x\";\n  urll = \"http://y\";\n};\n", 4,
		   "server.urll", "unknown setting");
}

static void test_wrong_types(void **state)
{
	struct fx *fx = *state;
	expect_bad(fx, "org = \"cq\";\nofficer = 42;\n", 2, "officer", "must be a string");
	expect_bad(fx, "org = 1.5;\n", 1, "org", "must be a string");
	expect_bad(fx, "\n\ntheme = true;\n", 3, "theme", "must be a string");
	expect_bad(fx, "timezone = [\"Asia/Shanghai\"];\n", 1, "timezone", "must be a string");
	expect_bad(fx, "origin = 7L;\n", 1, "origin", "must be a string");
	expect_bad(fx, "shift_start = 830;\n", 1, "shift_start", "must be a string");
	expect_bad(fx, "database = (\"a\", \"b\");\n", 1, "database", "must be a string");
	expect_bad(fx, "server = {\n  url = 8080;\n};\n", 2, "server.url", "must be a string");
	expect_bad(fx, "server = {\n\n  token_file = false;\n};\n", 3, "server.token_file", "must be a string");
	/* server is a group */
	expect_bad(fx, "officer = \"张伟\";\nserver = \"http://x\";\n", 2, "server", "group");
}

static void test_too_long(void **state)
{
	struct fx *fx = *state;
	char text[512];
	char name[200];
	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	snprintf(text, sizeof text, "org = \"cq\";\nofficer = \"%s\";\n", name);
	expect_bad(fx, text, 2, "officer", "too long");
	/* 128 bytes is the longest officer */
	name[128] = '\0';
	snprintf(text, sizeof text, "officer = \"%s\";\n", name);
	load_ok(fx, text);
	assert_string_equal(fx->cfg.officer, name);
}

static void test_bad_values(void **state)
{
	struct fx *fx = *state;
	/* origin */
	expect_bad(fx, "officer = \"张伟\";\norigin = \"not-a-uuid\";\n", 2, "origin", "not a UUID");
	expect_bad(fx, "origin = \"0194D6E0-0000-7000-8000-00000000C0DE\";\n", 1, "origin", "not a UUID");
	expect_bad(fx, "origin = \"0194d6e0-0000-7000-8000-00000000c0d\";\n", 1, "origin", NULL);
	/* org */
	expect_bad(fx, "officer = \"张伟\";\norg = \"CQ.Yubei\";\n", 2, "org", "not an org id");
	expect_bad(fx, "org = \"cq..yubei\";\n", 1, "org", NULL);
	expect_bad(fx, "org = \"重庆\";\n", 1, "org", NULL);
	/* timezone */
	expect_bad(fx, "\ntimezone = \"Mars/Olympus_Mons\";\n", 2, "timezone", "not a known time zone");
	expect_bad(fx, "timezone = \"../../../etc/passwd\";\n", 1, "timezone", NULL);
	expect_bad(fx, "timezone = \"/usr/share/zoneinfo/UTC\";\n", 1, "timezone", NULL);
	expect_bad(fx, "timezone = \"\";\n", 1, "timezone", NULL);
	/* a folder of zones and a file that is no zone are not zones */
	expect_bad(fx, "timezone = \"Asia\";\n", 1, "timezone", NULL);
	expect_bad(fx, "timezone = \"zone.tab\";\n", 1, "timezone", NULL);
	/* shift_start */
	static const char *const bad_hhmm[] = { "25:00", "24:00", "8:30", "08:60", "0830", "08:30:00", "", "ab:cd" };
	for (size_t i = 0; i < sizeof bad_hhmm / sizeof bad_hhmm[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "officer = \"x\";\n\nshift_start = \"%s\";\n", bad_hhmm[i]);
		/* "08:30:00" is refused as too long, the rest as not HH:MM */
		expect_bad(fx, text, 3, "shift_start", strlen(bad_hhmm[i]) > 5 ? "too long" : "HH:MM");
	}
	/* server.url */
	expect_bad(fx, "server = {\n  url = \"ftp://sync.example\";\n};\n", 2, "server.url", "http://");
	expect_bad(fx, "server = {\n  url = \"sync.example\";\n};\n", 2, "server.url", NULL);
	/* theme */
	expect_bad(fx, "theme = \"Dark Mode!\";\n", 1, "theme", "theme name");
	expect_bad(fx, "theme = \"../../etc/x\";\n", 1, "theme", NULL);
	expect_bad(fx, "theme = \"High\";\n", 1, "theme", NULL);
	/* text that is not UTF-8 */
	expect_bad(fx, "org = \"cq\";\nofficer = \"\xe5\xbc\xa0\xff\";\n", 2, "officer", "UTF-8");
}

static void test_zone_valid(void **state)
{
	(void)state;
	static const char *const good[] = { "UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!config_zone_valid(good[i]))
			fail_msg("\"%s\" should be a zone", good[i]);
	static const char *const bad[] = {
		"", "Asia", "zone.tab", "Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime",
		"Asia/../Asia/Shanghai", "asia/shanghai",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (config_zone_valid(bad[i]))
			fail_msg("\"%s\" should not be a zone", bad[i]);
}

static void test_good_values(void **state)
{
	struct fx *fx = *state;
	static const char *const zones[] = { "Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York" };
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "timezone = \"%s\";\n", zones[i]);
		load_ok(fx, text);
		assert_string_equal(fx->cfg.timezone, zones[i]);
	}
	static const char *const hhmm[] = { "00:00", "08:30", "23:59", "19:05" };
	for (size_t i = 0; i < sizeof hhmm / sizeof hhmm[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "shift_start = \"%s\";\n", hhmm[i]);
		load_ok(fx, text);
		assert_string_equal(fx->cfg.shift_start, hhmm[i]);
	}
	load_ok(fx, "server = {\n  url = \"https://sync.example:8443/dd\";\n};\ntheme = \"high-contrast\";\n");
	assert_string_equal(fx->cfg.server_url, "https://sync.example:8443/dd");
	assert_string_equal(fx->cfg.theme, "high-contrast");
	load_ok(fx, "theme = \"mono_2\";\norg = \"cq.yubei.ent-0042\";\n");
	assert_string_equal(fx->cfg.theme, "mono_2");
	assert_string_equal(fx->cfg.org, "cq.yubei.ent-0042");
}

/* ---- defaults and paths ----------------------------------------------------- */

static void test_defaults(void **state)
{
	struct fx *fx = *state;
	struct dd_config cfg;
	memset(&cfg, 'x', sizeof cfg);
	config_defaults(&cfg);
	assert_string_equal(cfg.path, "");
	assert_string_equal(cfg.origin, "");
	assert_string_equal(cfg.officer, "");
	assert_string_equal(cfg.org, "");
	assert_string_equal(cfg.server_url, "");
	assert_string_equal(cfg.token_file, "");
	assert_string_equal(cfg.theme, "default");
	assert_string_equal(cfg.timezone, "Asia/Shanghai");
	assert_string_equal(cfg.database, "");
	assert_string_equal(cfg.shift_start, "08:30");

	/* a file with only some settings keeps the defaults for the rest,
	 * and the database goes to $XDG_DATA_HOME */
	struct saved_env env = save_env();
	setenv("XDG_DATA_HOME", "/srv/duty data", 1);
	load_ok(fx, "# only who and where\nofficer = \"张伟\";\norg = \"cq.yubei\";\n");
	assert_string_equal(fx->cfg.path, fx->conf);
	assert_string_equal(fx->cfg.officer, "张伟");
	assert_string_equal(fx->cfg.org, "cq.yubei");
	assert_string_equal(fx->cfg.origin, "");
	assert_string_equal(fx->cfg.theme, "default");
	assert_string_equal(fx->cfg.timezone, "Asia/Shanghai");
	assert_string_equal(fx->cfg.shift_start, "08:30");
	assert_string_equal(fx->cfg.server_url, "");
	assert_string_equal(fx->cfg.token_file, "");
	assert_string_equal(fx->cfg.database, "/srv/duty data/dutydesk/dutydesk.db");
	/* an empty file is all defaults */
	load_ok(fx, "");
	assert_string_equal(fx->cfg.officer, "");
	assert_string_equal(fx->cfg.database, "/srv/duty data/dutydesk/dutydesk.db");
	restore_env(&env);
}

static void test_default_paths(void **state)
{
	(void)state;
	struct saved_env env = save_env();
	char buf[DD_PATH_MAX];
	struct dd_error err;

	setenv("HOME", "/home/duty", 1);
	setenv("XDG_CONFIG_HOME", "/etc/xdg-conf", 1);
	setenv("XDG_DATA_HOME", "/var/xdg-data", 1);
	assert_int_equal(config_default_path(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/etc/xdg-conf/dutydesk/dutydesk.conf");
	assert_int_equal(config_default_database(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/var/xdg-data/dutydesk/dutydesk.db");

	/* relative or empty XDG values are ignored, as the spec says */
	setenv("XDG_CONFIG_HOME", "relative/conf", 1);
	setenv("XDG_DATA_HOME", "", 1);
	assert_int_equal(config_default_path(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/home/duty/.config/dutydesk/dutydesk.conf");
	assert_int_equal(config_default_database(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/home/duty/.local/share/dutydesk/dutydesk.db");

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	assert_int_equal(config_default_path(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/home/duty/.config/dutydesk/dutydesk.conf");

	/* nowhere to go */
	unsetenv("HOME");
	assert_int_equal(config_default_path(buf, sizeof buf, &err), DD_ECONFIG);
	assert_non_null(strstr(err.msg, "XDG_CONFIG_HOME"));
	assert_int_equal(config_default_database(buf, sizeof buf, &err), DD_ECONFIG);
	assert_non_null(strstr(err.msg, "XDG_DATA_HOME"));
	setenv("HOME", "", 1);
	assert_int_equal(config_default_path(buf, sizeof buf, &err), DD_ECONFIG);

	/* a buffer too small is an error, not a cut path */
	setenv("HOME", "/home/duty", 1);
	char small[20];
	assert_int_equal(config_default_path(small, sizeof small, &err), DD_ECONFIG);
	restore_env(&env);
}

static void test_relative_paths(void **state)
{
	struct fx *fx = *state;
	load_ok(fx, "database = \"data/dutydesk.db\";\nserver = {\n  url = \"http://127.0.0.1:8080\";\n"
		    "  token_file = \"token\";\n};\n");
	char want[700];
	snprintf(want, sizeof want, "%s/data/dutydesk.db", fx->dir);
	assert_string_equal(fx->cfg.database, want);
	snprintf(want, sizeof want, "%s/token", fx->dir);
	assert_string_equal(fx->cfg.token_file, want);

	load_ok(fx, "database = \"../elsewhere.db\";\n");
	snprintf(want, sizeof want, "%s/../elsewhere.db", fx->dir);
	assert_string_equal(fx->cfg.database, want);

	/* absolute paths are kept as written */
	load_ok(fx, "database = \"/var/lib/dutydesk/dd.db\";\nserver = { token_file = \"/etc/dd/token\"; };\n");
	assert_string_equal(fx->cfg.database, "/var/lib/dutydesk/dd.db");
	assert_string_equal(fx->cfg.token_file, "/etc/dd/token");
}

/* ---- saving -------------------------------------------------------------- */

static void assert_same_config(const struct dd_config *a, const struct dd_config *b)
{
	assert_string_equal(a->path, b->path);
	assert_string_equal(a->origin, b->origin);
	assert_string_equal(a->officer, b->officer);
	assert_string_equal(a->org, b->org);
	assert_string_equal(a->server_url, b->server_url);
	assert_string_equal(a->token_file, b->token_file);
	assert_string_equal(a->theme, b->theme);
	assert_string_equal(a->timezone, b->timezone);
	assert_string_equal(a->database, b->database);
	assert_string_equal(a->shift_start, b->shift_start);
}

static void test_save_round_trip(void **state)
{
	struct fx *fx = *state;
	struct dd_config out;
	config_defaults(&out);
	snprintf(out.path, sizeof out.path, "%s/a/b/dutydesk.conf", fx->dir);
	snprintf(out.origin, sizeof out.origin, ORIGIN);
	snprintf(out.officer, sizeof out.officer, "张伟 \"老张\" \\ O'Neil");
	snprintf(out.org, sizeof out.org, "cq.yubei.ent-0042");
	snprintf(out.server_url, sizeof out.server_url, "https://sync.example/dd");
	snprintf(out.token_file, sizeof out.token_file, "%s/a/token", fx->dir);
	snprintf(out.theme, sizeof out.theme, "high-contrast");
	snprintf(out.timezone, sizeof out.timezone, "Europe/Berlin");
	snprintf(out.database, sizeof out.database, "%s/data/dutydesk.db", fx->dir);
	snprintf(out.shift_start, sizeof out.shift_start, "07:45");

	mode_t old = umask(022);
	struct dd_error err;
	int rc = config_save(&out, &err);
	umask(old);
	if (rc)
		fail_msg("config_save: %s", err.msg);
	struct stat sb;
	assert_int_equal(stat(out.path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	char p[600];
	snprintf(p, sizeof p, "%s/a/b", fx->dir);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	snprintf(p, sizeof p, "%s/a", fx->dir);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	/* no temporary file left behind */
	snprintf(p, sizeof p, "%s/a/b/dutydesk.conf.tmp", fx->dir);
	assert_int_not_equal(access(p, F_OK), 0);

	struct dd_config in;
	memset(&in, 'x', sizeof in);
	rc = config_load(out.path, &in, &err);
	if (rc)
		fail_msg("config_load of a saved file: %s", err.msg);
	assert_same_config(&in, &out);

	/* saving what was loaded gives the same file */
	FILE *f = fopen(out.path, "rb");
	char first[4096], second[4096];
	size_t n1 = fread(first, 1, sizeof first, f);
	fclose(f);
	assert_int_equal(config_save(&in, &err), 0);
	f = fopen(out.path, "rb");
	size_t n2 = fread(second, 1, sizeof second, f);
	fclose(f);
	assert_int_equal(n1, n2);
	assert_memory_equal(first, second, n1);
}

static void test_save_minimal(void **state)
{
	struct fx *fx = *state;
	/* what `dutydesk init` writes: no server, default database */
	struct dd_config out;
	config_defaults(&out);
	snprintf(out.path, sizeof out.path, "%s", fx->conf);
	snprintf(out.origin, sizeof out.origin, ORIGIN);
	snprintf(out.officer, sizeof out.officer, "李雷");
	snprintf(out.org, sizeof out.org, "cq");
	struct dd_error err;
	assert_int_equal(config_save(&out, &err), 0);
	struct saved_env env = save_env();
	setenv("XDG_DATA_HOME", "/data", 1);
	struct dd_config in;
	assert_int_equal(config_load(out.path, &in, &err), 0);
	restore_env(&env);
	assert_string_equal(in.officer, "李雷");
	assert_string_equal(in.server_url, "");
	assert_string_equal(in.token_file, "");
	assert_string_equal(in.database, "/data/dutydesk/dutydesk.db");
	FILE *f = fopen(out.path, "r");
	char text[4096];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	assert_null(strstr(text, "server"));
	assert_null(strstr(text, "database"));
}

static void test_save_private_over_stale_tmp(void **state)
{
	struct fx *fx = *state;
	/* a temporary file left world-readable by a crash must not make the
	 * new configuration world-readable */
	char tmp[600];
	snprintf(tmp, sizeof tmp, "%s.tmp", fx->conf);
	FILE *f = fopen(tmp, "w");
	fputs("stale", f);
	fclose(f);
	assert_int_equal(chmod(tmp, 0644), 0);
	struct dd_config out;
	config_defaults(&out);
	snprintf(out.path, sizeof out.path, "%s", fx->conf);
	snprintf(out.officer, sizeof out.officer, "张伟");
	struct dd_error err;
	assert_int_equal(config_save(&out, &err), 0);
	struct stat sb;
	assert_int_equal(stat(fx->conf, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_not_equal(access(tmp, F_OK), 0);
	/* an existing configuration is replaced, and stays private */
	assert_int_equal(chmod(fx->conf, 0644), 0);
	assert_int_equal(config_save(&out, &err), 0);
	assert_int_equal(stat(fx->conf, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

static void test_save_unwritable(void **state)
{
	struct fx *fx = *state;
	/* the folder is a file: nothing can be created under it */
	FILE *f = fopen(fx->conf, "w");
	fclose(f);
	struct dd_config out;
	config_defaults(&out);
	snprintf(out.path, sizeof out.path, "%s/sub/dutydesk.conf", fx->conf);
	struct dd_error err;
	int rc = config_save(&out, &err);
	assert_int_equal(rc, DD_EIO);
	assert_non_null(strstr(err.msg, fx->conf));
}

static void test_mkdir_parents(void **state)
{
	struct fx *fx = *state;
	char path[600], p[600];
	snprintf(path, sizeof path, "%s/x/y/z/file", fx->dir);
	mode_t old = umask(0);
	struct dd_error err;
	int rc = dd_mkdir_parents(path, &err);
	umask(old);
	assert_int_equal(rc, 0);
	static const char *const dirs[] = { "x", "x/y", "x/y/z" };
	for (int i = 0; i < 3; i++) {
		struct stat sb;
		snprintf(p, sizeof p, "%s/%s", fx->dir, dirs[i]);
		assert_int_equal(stat(p, &sb), 0);
		assert_true(S_ISDIR(sb.st_mode));
		assert_int_equal(sb.st_mode & 07777, 0700);
	}
	snprintf(p, sizeof p, "%s/x/y/z/file", fx->dir);
	assert_int_not_equal(access(p, F_OK), 0);
	/* existing folders are fine */
	assert_int_equal(dd_mkdir_parents(path, &err), 0);
}

/* zero_remind_min: minutes from 0 to 720, 30 when absent, written only
 * when not the default. */
static void test_zero_remind(void **state)
{
	struct fx *fx = *state;
	load_ok(fx, "officer = \"张伟\";\n");
	assert_int_equal(fx->cfg.zero_remind_min, DD_ZERO_REMIND_DEFAULT);
	load_ok(fx, "zero_remind_min = 0;\n");
	assert_int_equal(fx->cfg.zero_remind_min, 0);
	load_ok(fx, "zero_remind_min = 720;\n");
	assert_int_equal(fx->cfg.zero_remind_min, 720);
	expect_bad(fx, "officer = \"张伟\";\nzero_remind_min = 721;\n", 2, "zero_remind_min", "from 0");
	expect_bad(fx, "zero_remind_min = -5;\n", 1, "zero_remind_min", "from 0");
	expect_bad(fx, "zero_remind_min = \"30\";\n", 1, "zero_remind_min", "minutes");

	struct dd_config out, in;
	struct dd_error err;
	config_defaults(&out);
	snprintf(out.path, sizeof out.path, "%s/remind.conf", fx->dir);
	assert_int_equal(config_save(&out, &err), 0);
	char text[4096] = "";
	FILE *f = fopen(out.path, "rb");
	assert_non_null(f);
	text[fread(text, 1, sizeof text - 1, f)] = '\0';
	fclose(f);
	assert_null(strstr(text, "zero_remind_min"));
	out.zero_remind_min = 45;
	assert_int_equal(config_save(&out, &err), 0);
	assert_int_equal(config_load(out.path, &in, &err), 0);
	assert_int_equal(in.zero_remind_min, 45);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_missing_file),
		TEST(test_folder),
		TEST(test_syntax_errors),
		TEST(test_unknown_setting),
		TEST(test_wrong_types),
		TEST(test_too_long),
		TEST(test_bad_values),
		cmocka_unit_test(test_zone_valid),
		TEST(test_good_values),
		TEST(test_defaults),
		TEST(test_default_paths),
		TEST(test_relative_paths),
		TEST(test_save_round_trip),
		TEST(test_save_minimal),
		TEST(test_save_private_over_stale_tmp),
		TEST(test_save_unwritable),
		TEST(test_mkdir_parents),
		TEST(test_zero_remind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
