/*
 * srvconfig.h — dutydeskd.conf (libconfig): where to listen, the
 * database, TLS.  /etc/dutydesk/dutydeskd.conf unless --config says
 * otherwise; relative paths are taken from the file's folder.  Every
 * error names file:line and the setting.
 */
#ifndef DUTYDESKD_SRVCONFIG_H
#define DUTYDESKD_SRVCONFIG_H

#include "dutydesk/config.h"
#include "dutydesk/error.h"

#define SRV_DEFAULT_CONFIG "/etc/dutydesk/dutydeskd.conf"
#define SRV_DEFAULT_PORT 8470

struct srv_config {
	char path[DD_PATH_MAX];
	char listen[64];           /* an IPv4 or IPv6 address; 127.0.0.1 by default */
	int port;                  /* 0: any free port (tests) */
	char database[DD_PATH_MAX];
	int threads;               /* MHD's thread pool */
	char tls_cert[DD_PATH_MAX];   /* both or neither */
	char tls_key[DD_PATH_MAX];
};

int srvconfig_load(const char *path, struct srv_config *cfg, struct dd_error *err);

#endif
