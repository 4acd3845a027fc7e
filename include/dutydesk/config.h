/*
 * config.h — the console's settings (libconfig).
 *
 * The file is $XDG_CONFIG_HOME/dutydesk/dutydesk.conf (~/.config/…) unless
 * --config names another; the database lives in $XDG_DATA_HOME/dutydesk/
 * (~/.local/share/…) unless the file or --db says otherwise.  A relative
 * path in the file is taken relative to the file's own folder, so a
 * configuration and its data can travel together (the demo does).
 *
 * Every error names file:line and the setting, and is DD_ECONFIG.
 */
#ifndef DUTYDESK_CONFIG_H
#define DUTYDESK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "dutydesk/error.h"
#include "dutydesk/ids.h"

#define DD_PATH_MAX 4096

struct dd_config {
	char path[DD_PATH_MAX];        /* the file read or to be written */
	char origin[DD_UUID_LEN + 1];  /* this installation's id */
	char officer[129];
	char org[129];
	char server_url[1024];         /* empty: no server configured */
	char token_file[DD_PATH_MAX];
	char ca_file[DD_PATH_MAX];     /* server.ca_file: CAs to trust for https; "" = the system's */
	char theme[64];
	char timezone[64];
	char database[DD_PATH_MAX];    /* absolute after loading */
	char shift_start[6];           /* "08:30": shifts run from here for 24 h */
	char role[16];                 /* "officer" (值班员) or "leader" (带班领导) */
	char tiers[DD_PATH_MAX];       /* tiers.conf; "" = the one installed */
	int handover_accept_min;       /* a submitted handover not accepted this long after the shift is overdue */
	int zero_remind_min;           /* alert this long before a zero-report deadline; 0 = never */
};

#define DD_ZERO_REMIND_DEFAULT 30      /* minutes */

/* The default file path ($XDG_CONFIG_HOME or ~/.config). */
int config_default_path(char *buf, size_t n, struct dd_error *err);
/* The default database path ($XDG_DATA_HOME or ~/.local/share). */
int config_default_database(char *buf, size_t n, struct dd_error *err);

/* Fills cfg with defaults (no origin, officer or org). */
void config_defaults(struct dd_config *cfg);

/* Reads and validates path into cfg (defaults first).  A missing file is
 * DD_ENOTFOUND, so callers can suggest `dutydesk init`. */
int config_load(const char *path, struct dd_config *cfg, struct dd_error *err);

/* Writes cfg to cfg->path (mode 0600, folder 0700), atomically. */
int config_save(const struct dd_config *cfg, struct dd_error *err);

/* Whether tz names a zone in the system's time-zone database. */
bool config_zone_valid(const char *tz);

/* Creates every missing folder of path's parent with mode 0700. */
int dd_mkdir_parents(const char *path, struct dd_error *err);

#endif
