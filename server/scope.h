/*
 * scope.h — who may write and read what: a token's role and org decide
 * its write scope (org subtree and, per role, which kinds of event) and
 * its read scope (which events a pull returns).
 *
 * The role→kind rules are one table in scope.c, documented in
 * docs/PROTOCOL.md; a kind with no rule there is refused to everyone, so
 * a new kind is writable only once someone has decided who may write it.
 */
#ifndef DUTYDESKD_SCOPE_H
#define DUTYDESKD_SCOPE_H

#include <stdbool.h>

#include "dutydesk/error.h"
#include "dutydesk/event.h"

enum role { ROLE_CITY, ROLE_CENTER, ROLE_DISTRICT, ROLE_ENTERPRISE, ROLE_SUPPORT, ROLE_COUNT };

/* "city", "center", "district", "enterprise", "support"; 0 or DD_EINVAL. */
int role_parse(const char *name, enum role *out);
const char *role_name(enum role r);

/* The org subtree a role at org reads, or NULL for every event (city and
 * centre: they collect reports from all units). */
const char *scope_read_prefix(enum role r, const char *org);

/* Whether a token of role r at org may write ev: its org must lie in
 * org's subtree and a rule must give r its kind (and action).  0, or
 * DD_EINVAL with the reason in err. */
int scope_check_write(enum role r, const char *org, const struct dd_event *ev, struct dd_error *err);

#endif
