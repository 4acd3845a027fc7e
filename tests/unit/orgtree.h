/*
 * orgtree.h — the fixture the protection-period and advisory tests share:
 * a temporary folder, a centre desk's configuration and a store holding a
 * small org tree (the commission, the centre, two districts with
 * enterprises), so scope rules have something to resolve.
 */
#ifndef DUTYDESK_TEST_ORGTREE_H
#define DUTYDESK_TEST_ORGTREE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "dutydesk/config.h"
#include "dutydesk/roster.h"
#include "dutydesk/store.h"
#include "dutydesk/timefmt.h"
#include "tempdir.h"

struct fx {
	char dir[256];
	char db[PATH_MAX];
	struct dd_store *st;
	struct dd_config cfg;
};

/* Makes the fixture in a folder named after name (dd-NAME-XXXXXX). */
static inline int orgtree_setup(void **state, const char *name)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/dd-%s-XXXXXX", tempdir_base(), name);
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->db, sizeof fx->db, "%s/dutydesk.db", fx->dir);
	config_defaults(&fx->cfg);
	snprintf(fx->cfg.path, sizeof fx->cfg.path, "%s/dutydesk.conf", fx->dir);
	uuid7_new(time_now_ms(), fx->cfg.origin);
	snprintf(fx->cfg.officer, sizeof fx->cfg.officer, "张伟");
	snprintf(fx->cfg.org, sizeof fx->cfg.org, "cq.center");
	struct dd_error err;
	if (store_open(fx->db, DD_STORE_CREATE, &fx->st, &err))
		return -1;
	static const char *const orgs[][3] = {
		{ "cq", "commission", "市经济信息委" },
		{ "cq.center", "centre", "市工信安全发展中心" },
		{ "cq.yubei", "district", "渝北区" },
		{ "cq.yubei.ent-1", "ent-industrial", "甲工厂" },
		{ "cq.yubei.ent-2", "ent-utility", "乙水厂" },
		{ "cq.jiangbei", "district", "江北区" },
		{ "cq.jiangbei.ent-1", "ent-industrial", "丙工厂" },
	};
	for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
		struct dd_org_in in = { .id = orgs[i][0], .kind = orgs[i][1], .name = orgs[i][2] };
		if (roster_org_set(fx->st, &fx->cfg, &in, NULL, &err))
			return -1;
	}
	*state = fx;
	return 0;
}

static inline int orgtree_teardown(void **state)
{
	struct fx *fx = *state;
	store_close(fx->st);
	int rc = tempdir_remove(fx->dir);
	free(fx);
	return rc;
}

#endif
