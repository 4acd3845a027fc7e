/*
 * config.c — loading, validating and writing dutydesk.conf with libconfig.
 *
 * Invariant: config_load() either fills every field with a valid value or
 * fails naming file:line and the setting; it never leaves a half-read
 * configuration for the caller to trip over.
 */
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/text.h"

static int home_path(const char *xdg_var, const char *fallback, const char *leaf, char *buf,
		     size_t n, struct dd_error *err)
{
	const char *xdg = getenv(xdg_var);
	int w;
	if (xdg && xdg[0] == '/') {
		w = snprintf(buf, n, "%s/dutydesk/%s", xdg, leaf);
	} else {
		const char *home = getenv("HOME");
		if (!home || !home[0])
			return dd_fail(err, DD_ECONFIG, "neither $%s nor $HOME is set; use --config and --db",
				       xdg_var);
		w = snprintf(buf, n, "%s/%s/dutydesk/%s", home, fallback, leaf);
	}
	if (w < 0 || (size_t)w >= n)
		return dd_fail(err, DD_ECONFIG, "path under $%s is too long", xdg_var);
	return 0;
}

int config_default_path(char *buf, size_t n, struct dd_error *err)
{
	return home_path("XDG_CONFIG_HOME", ".config", "dutydesk.conf", buf, n, err);
}

int config_default_database(char *buf, size_t n, struct dd_error *err)
{
	return home_path("XDG_DATA_HOME", ".local/share", "dutydesk.db", buf, n, err);
}

void config_defaults(struct dd_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->theme, sizeof cfg->theme, "default");
	snprintf(cfg->timezone, sizeof cfg->timezone, "Asia/Shanghai");
	snprintf(cfg->shift_start, sizeof cfg->shift_start, "08:30");
	snprintf(cfg->role, sizeof cfg->role, "officer");
	cfg->zero_remind_min = DD_ZERO_REMIND_DEFAULT;
	cfg->handover_accept_min = 30;
}

static int bad(struct dd_error *err, const char *path, const config_setting_t *s, const char *name,
	       const char *why)
{
	int line = s ? (int)config_setting_source_line(s) : 0;
	return dd_fail(err, DD_ECONFIG, "%s:%d: setting '%s': %s", path, line, name, why);
}

/* Reads an optional string setting into dst, checking its length. */
static int get_string(config_t *cf, const char *path, const char *name, char *dst, size_t cap,
		      struct dd_error *err)
{
	config_setting_t *s = config_lookup(cf, name);
	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return bad(err, path, s, name, "must be a string in double quotes");
	const char *v = config_setting_get_string(s);
	if (strlen(v) >= cap)
		return bad(err, path, s, name, "is too long");
	if (!text_is_valid_utf8(v, strlen(v)))
		return bad(err, path, s, name, "is not valid UTF-8");
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

bool config_zone_valid(const char *tz)
{
	if (strstr(tz, "..") || tz[0] == '/' || !tz[0])
		return false;
	if (strcmp(tz, "UTC") == 0)
		return true;
	/* A zone is a TZif file: not a folder ("Asia") nor a table
	 * ("zone.tab"), which the C library would quietly take as UTC. */
	char p[256];
	snprintf(p, sizeof p, "/usr/share/zoneinfo/%s", tz);
	FILE *f = fopen(p, "rb");
	if (!f)
		return false;
	char magic[4];
	bool ok = fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

static bool hhmm_valid(const char *s)
{
	return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
	       s[1] <= '9' && (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[3] >= '0' && s[3] <= '5' &&
	       s[4] >= '0' && s[4] <= '9';
}

/* Makes p absolute: relative to the configuration file's folder, which is
 * itself taken from the working directory when the file was named
 * relatively, so the result does not change if the process later chdirs. */
static int resolve_relative(const char *config_path, char *p, size_t cap, struct dd_error *err)
{
	if (p[0] == '/' || !p[0])
		return 0;
	char cwd[DD_PATH_MAX] = "";
	if (config_path[0] != '/' && !getcwd(cwd, sizeof cwd))
		return dd_fail(err, DD_ECONFIG, "%s: cannot resolve '%s': %s", config_path, p, strerror(errno));
	const char *slash = strrchr(config_path, '/');
	int dirlen = slash ? (int)(slash - config_path) : 0;
	char joined[DD_PATH_MAX];
	int w = snprintf(joined, sizeof joined, "%s%s%.*s%s%s", cwd, cwd[0] ? "/" : "", dirlen, config_path,
			 dirlen ? "/" : "", p);
	if (w < 0 || (size_t)w >= cap || (size_t)w >= sizeof joined)
		return dd_fail(err, DD_ECONFIG, "%s: path '%s' is too long", config_path, p);
	memcpy(p, joined, (size_t)w + 1);
	return 0;
}

int config_load(const char *path, struct dd_config *cfg, struct dd_error *err)
{
	config_defaults(cfg);
	if (strlen(path) >= sizeof cfg->path)
		return dd_fail(err, DD_ECONFIG, "configuration path is too long");
	snprintf(cfg->path, sizeof cfg->path, "%s", path);

	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return dd_fail(err, DD_ENOTFOUND, "%s: no such file; run `dutydesk init --org ID --officer NAME`",
				       path);
		return dd_fail(err, DD_ECONFIG, "%s: %s", path, strerror(errno));
	}
	/* fopen() opens a folder, and libconfig's scanner then exits the
	 * process ("input in flex scanner failed") without naming it. */
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return dd_fail(err, DD_ECONFIG, "%s: is a folder, not a configuration file", path);
	}
	config_t cf;
	config_init(&cf);
	int rc = 0;
	if (config_read(&cf, f) != CONFIG_TRUE) {
		rc = dd_fail(err, DD_ECONFIG, "%s:%d: %s", path, config_error_line(&cf), config_error_text(&cf));
		goto out;
	}

	static const char *const known[] = { "origin", "officer", "org", "server", "theme",
					     "timezone", "database", "shift_start", "role", "tiers",
					     "zero_remind_min", "handover_accept_min", NULL };
	config_setting_t *root = config_root_setting(&cf);
	for (int i = 0; i < config_setting_length(root); i++) {
		config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);
		const char *const *k = known;
		while (*k && strcmp(*k, name) != 0)
			k++;
		if (!*k) {
			rc = bad(err, path, s, name, "unknown setting (known: origin, officer, org, server, "
				 "theme, timezone, database, shift_start, role, tiers, zero_remind_min, "
				 "handover_accept_min)");
			goto out;
		}
	}
	config_setting_t *server = config_lookup(&cf, "server");
	if (server && !config_setting_is_group(server)) {
		rc = bad(err, path, server, "server", "must be a group: server = { url = \"…\"; token_file = \"…\"; };");
		goto out;
	}
	for (int i = 0; server && i < config_setting_length(server); i++) {
		config_setting_t *s = config_setting_get_elem(server, (unsigned)i);
		const char *name = config_setting_name(s);
		if (strcmp(name, "url") != 0 && strcmp(name, "token_file") != 0 && strcmp(name, "ca_file") != 0) {
			char full[160];
			snprintf(full, sizeof full, "server.%s", name);
			rc = bad(err, path, s, full, "unknown setting (known: server.url, server.token_file, server.ca_file)");
			goto out;
		}
	}

	if ((rc = get_string(&cf, path, "origin", cfg->origin, sizeof cfg->origin, err)) ||
	    (rc = get_string(&cf, path, "officer", cfg->officer, sizeof cfg->officer, err)) ||
	    (rc = get_string(&cf, path, "org", cfg->org, sizeof cfg->org, err)) ||
	    (rc = get_string(&cf, path, "server.url", cfg->server_url, sizeof cfg->server_url, err)) ||
	    (rc = get_string(&cf, path, "server.token_file", cfg->token_file, sizeof cfg->token_file, err)) ||
	    (rc = get_string(&cf, path, "server.ca_file", cfg->ca_file, sizeof cfg->ca_file, err)) ||
	    (rc = get_string(&cf, path, "theme", cfg->theme, sizeof cfg->theme, err)) ||
	    (rc = get_string(&cf, path, "timezone", cfg->timezone, sizeof cfg->timezone, err)) ||
	    (rc = get_string(&cf, path, "database", cfg->database, sizeof cfg->database, err)) ||
	    (rc = get_string(&cf, path, "shift_start", cfg->shift_start, sizeof cfg->shift_start, err)) ||
	    (rc = get_string(&cf, path, "role", cfg->role, sizeof cfg->role, err)) ||
	    (rc = get_string(&cf, path, "tiers", cfg->tiers, sizeof cfg->tiers, err)))
		goto out;
	config_setting_t *remind = config_lookup(&cf, "zero_remind_min");
	if (remind && (config_setting_type(remind) != CONFIG_TYPE_INT || config_setting_get_int(remind) < 0 ||
		       config_setting_get_int(remind) > 720)) {
		rc = bad(err, path, remind, "zero_remind_min", "must be minutes from 0 (no reminder) to 720, e.g. 30");
		goto out;
	}
	if (remind)
		cfg->zero_remind_min = config_setting_get_int(remind);
	if (strcmp(cfg->role, "officer") != 0 && strcmp(cfg->role, "leader") != 0) {
		rc = bad(err, path, config_lookup(&cf, "role"), "role", "must be \"officer\" (值班员) or \"leader\" (带班领导)");
		goto out;
	}

	config_setting_t *accept = config_lookup(&cf, "handover_accept_min");
	if (accept) {
		if (config_setting_type(accept) != CONFIG_TYPE_INT || config_setting_get_int(accept) < 1 ||
		    config_setting_get_int(accept) > 1440) {
			rc = bad(err, path, accept, "handover_accept_min", "must be a number of minutes from 1 to 1440, e.g. 30");
			goto out;
		}
		cfg->handover_accept_min = config_setting_get_int(accept);
	}

	if (cfg->origin[0] && !uuid_valid(cfg->origin, false)) {
		rc = bad(err, path, config_lookup(&cf, "origin"), "origin", "is not a UUID (created by `dutydesk init`)");
		goto out;
	}
	if (cfg->org[0] && !org_id_valid(cfg->org)) {
		rc = bad(err, path, config_lookup(&cf, "org"), "org", "is not an org id such as cq.yubei");
		goto out;
	}
	if (!config_zone_valid(cfg->timezone)) {
		rc = bad(err, path, config_lookup(&cf, "timezone"), "timezone",
			 "is not a known time zone such as Asia/Shanghai");
		goto out;
	}
	if (!hhmm_valid(cfg->shift_start)) {
		rc = bad(err, path, config_lookup(&cf, "shift_start"), "shift_start", "must be HH:MM, e.g. \"08:30\"");
		goto out;
	}
	if (cfg->server_url[0] && strncmp(cfg->server_url, "http://", 7) != 0 &&
	    strncmp(cfg->server_url, "https://", 8) != 0) {
		rc = bad(err, path, config_lookup(&cf, "server.url"), "server.url", "must start with http:// or https://");
		goto out;
	}
	for (const char *p = cfg->theme; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
			rc = bad(err, path, config_lookup(&cf, "theme"), "theme",
				 "must be a theme name such as default, high-contrast or mono");
			goto out;
		}

	if ((rc = resolve_relative(path, cfg->database, sizeof cfg->database, err)) ||
	    (rc = resolve_relative(path, cfg->token_file, sizeof cfg->token_file, err)) ||
	    (rc = resolve_relative(path, cfg->ca_file, sizeof cfg->ca_file, err)) ||
	    (rc = resolve_relative(path, cfg->tiers, sizeof cfg->tiers, err)))
		goto out;
	if (!cfg->database[0])
		rc = config_default_database(cfg->database, sizeof cfg->database, err);
out:
	config_destroy(&cf);
	fclose(f);
	return rc;
}

int dd_mkdir_parents(const char *path, struct dd_error *err)
{
	char dir[DD_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return dd_fail(err, DD_EIO, "cannot create folder %s: %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return dd_fail(err, DD_EIO, "cannot create folder %s: %s", dir, strerror(errno));
	return 0;
}

static void put_string(config_setting_t *root, const char *name, const char *value)
{
	if (!value[0])
		return;
	config_setting_t *s = config_setting_add(root, name, CONFIG_TYPE_STRING);
	if (s)
		config_setting_set_string(s, value);
}

int config_save(const struct dd_config *cfg, struct dd_error *err)
{
	int rc = dd_mkdir_parents(cfg->path, err);
	if (rc)
		return rc;
	config_t cf;
	config_init(&cf);
	config_setting_t *root = config_root_setting(&cf);
	put_string(root, "origin", cfg->origin);
	put_string(root, "officer", cfg->officer);
	put_string(root, "org", cfg->org);
	put_string(root, "timezone", cfg->timezone);
	put_string(root, "theme", cfg->theme);
	put_string(root, "shift_start", cfg->shift_start);
	put_string(root, "role", cfg->role);
	put_string(root, "tiers", cfg->tiers);
	put_string(root, "database", cfg->database);
	if (cfg->handover_accept_min != 30) {
		config_setting_t *accept = config_setting_add(root, "handover_accept_min", CONFIG_TYPE_INT);
		if (accept)
			config_setting_set_int(accept, cfg->handover_accept_min);
	}
	config_setting_t *remind = cfg->zero_remind_min != DD_ZERO_REMIND_DEFAULT
					   ? config_setting_add(root, "zero_remind_min", CONFIG_TYPE_INT) : NULL;
	if (remind)
		config_setting_set_int(remind, cfg->zero_remind_min);
	if (cfg->server_url[0] || cfg->token_file[0] || cfg->ca_file[0]) {
		config_setting_t *server = config_setting_add(root, "server", CONFIG_TYPE_GROUP);
		put_string(server, "url", cfg->server_url);
		put_string(server, "token_file", cfg->token_file);
		put_string(server, "ca_file", cfg->ca_file);
	}

	char tmp[DD_PATH_MAX + 8];
	snprintf(tmp, sizeof tmp, "%s.tmp", cfg->path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	/* open() keeps the mode of a stale temporary file; this one is private. */
	if (fd >= 0 && fchmod(fd, 0600) != 0) {
		close(fd);
		fd = -1;
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		config_destroy(&cf);
		return dd_fail(err, DD_EIO, "cannot write %s: %s", tmp, strerror(errno));
	}
	fputs("# dutydesk console configuration — see `dutydesk config check`.\n", f);
	config_write(&cf, f);
	config_destroy(&cf);
	bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, cfg->path) != 0) {
		unlink(tmp);
		return dd_fail(err, DD_EIO, "cannot write %s: %s", cfg->path, strerror(errno));
	}
	return 0;
}
