/*
 * srvconfig.c — reading dutydeskd.conf (see srvconfig.h).
 *
 * Invariant: srvconfig_load() fills every field with a checked value or
 * fails naming file:line and the setting; unknown settings are refused,
 * so a misspelt "tls" never means "no TLS" without a word.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srvconfig.h"

static int bad(struct dd_error *err, const char *path, const config_setting_t *s, const char *name,
	       const char *why)
{
	return dd_fail(err, DD_ECONFIG, "%s:%d: setting '%s': %s", path, s ? (int)config_setting_source_line(s) : 0,
		       name, why);
}

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
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int get_int(config_t *cf, const char *path, const char *name, int lo, int hi, int *dst,
		   struct dd_error *err)
{
	config_setting_t *s = config_lookup(cf, name);
	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_INT)
		return bad(err, path, s, name, "must be a whole number");
	int v = config_setting_get_int(s);
	if (v < lo || v > hi) {
		char why[80];
		snprintf(why, sizeof why, "must be from %d to %d", lo, hi);
		return bad(err, path, s, name, why);
	}
	*dst = v;
	return 0;
}

static int check_names(config_setting_t *group, const char *prefix, const char *const *known, const char *path,
		       struct dd_error *err)
{
	for (int i = 0; i < config_setting_length(group); i++) {
		config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *const *k = known;
		while (*k && strcmp(*k, config_setting_name(s)) != 0)
			k++;
		if (!*k) {
			char full[160], why[200] = "unknown setting (known:";
			snprintf(full, sizeof full, "%s%s", prefix, config_setting_name(s));
			for (k = known; *k; k++)
				snprintf(why + strlen(why), sizeof why - strlen(why), " %s%s", prefix, *k);
			snprintf(why + strlen(why), sizeof why - strlen(why), ")");
			return bad(err, path, s, full, why);
		}
	}
	return 0;
}

/* Relative to the configuration file's folder, as the console does. */
static int absolute(const char *config_path, char *p, size_t cap, struct dd_error *err)
{
	if (!p[0] || p[0] == '/')
		return 0;
	char dir[DD_PATH_MAX] = "";
	const char *slash = strrchr(config_path, '/');
	if (config_path[0] != '/' && !getcwd(dir, sizeof dir))
		return dd_fail(err, DD_ECONFIG, "%s: cannot resolve '%s': %s", config_path, p, strerror(errno));
	char joined[2 * DD_PATH_MAX + 2];
	snprintf(joined, sizeof joined, "%s%s%.*s%s%s", dir, dir[0] ? "/" : "",
		 slash ? (int)(slash - config_path) : 0, config_path, slash ? "/" : "", p);
	if (strlen(joined) >= cap)
		return dd_fail(err, DD_ECONFIG, "%s: path '%s' is too long", config_path, p);
	memcpy(p, joined, strlen(joined) + 1);
	return 0;
}

int srvconfig_load(const char *path, struct srv_config *cfg, struct dd_error *err)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->path, sizeof cfg->path, "%s", path);
	snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1");
	snprintf(cfg->database, sizeof cfg->database, "/var/lib/dutydesk/dutydeskd.db");
	cfg->port = SRV_DEFAULT_PORT;
	cfg->threads = 4;

	FILE *f = fopen(path, "r");
	if (!f)
		return dd_fail(err, errno == ENOENT ? DD_ENOTFOUND : DD_ECONFIG, "%s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return dd_fail(err, DD_ECONFIG, "%s: is a folder, not a configuration file", path);
	}
	config_t cf;
	config_init(&cf);
	int rc = 0;
	static const char *const known[] = { "listen", "port", "database", "threads", "tls", NULL };
	static const char *const tls_known[] = { "cert", "key", NULL };
	config_setting_t *tls;
	if (config_read(&cf, f) != CONFIG_TRUE) {
		rc = dd_fail(err, DD_ECONFIG, "%s:%d: %s", path, config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	if ((rc = check_names(config_root_setting(&cf), "", known, path, err)))
		goto out;
	tls = config_lookup(&cf, "tls");
	if (tls && !config_setting_is_group(tls)) {
		rc = bad(err, path, tls, "tls", "must be a group: tls = { cert = \"…\"; key = \"…\"; };");
		goto out;
	}
	if ((tls && (rc = check_names(tls, "tls.", tls_known, path, err))) ||
	    (rc = get_string(&cf, path, "listen", cfg->listen, sizeof cfg->listen, err)) ||
	    (rc = get_int(&cf, path, "port", 0, 65535, &cfg->port, err)) ||
	    (rc = get_string(&cf, path, "database", cfg->database, sizeof cfg->database, err)) ||
	    (rc = get_int(&cf, path, "threads", 1, 64, &cfg->threads, err)) ||
	    (rc = get_string(&cf, path, "tls.cert", cfg->tls_cert, sizeof cfg->tls_cert, err)) ||
	    (rc = get_string(&cf, path, "tls.key", cfg->tls_key, sizeof cfg->tls_key, err)))
		goto out;
	unsigned char addr[16];
	if (inet_pton(AF_INET, cfg->listen, addr) != 1 && inet_pton(AF_INET6, cfg->listen, addr) != 1) {
		rc = bad(err, path, config_lookup(&cf, "listen"), "listen", "must be an IP address such as 127.0.0.1 or ::1");
		goto out;
	}
	if (!cfg->tls_cert[0] != !cfg->tls_key[0]) {
		rc = bad(err, path, tls, "tls", "needs both cert and key");
		goto out;
	}
	if (strncmp(cfg->database, "postgres", 8) != 0 &&
	    (rc = absolute(path, cfg->database, sizeof cfg->database, err)))
		goto out;
	if ((rc = absolute(path, cfg->tls_cert, sizeof cfg->tls_cert, err)) ||
	    (rc = absolute(path, cfg->tls_key, sizeof cfg->tls_key, err)))
		goto out;
out:
	config_destroy(&cf);
	fclose(f);
	return rc;
}
