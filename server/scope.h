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
 * centre: they collect reports from all units).  Besides the events of
 * that subtree, a reader gets those addressed (scope_addressees) to an
 * org inside it, or to a subtree it lies in. */
const char *scope_read_prefix(enum role r, const char *org);

/* Whether a token of role r at org may write ev: its org, and every org
 * its body names (see scope_addressees), must lie in org's subtree, and
 * a rule must give r its kind (and action).  0, or
 * DD_EINVAL with the reason in err. */
int scope_check_write(enum role r, const char *org, const struct dd_event *ev, struct dd_error *err);

/* Calls cb with each org ev is addressed to besides its envelope org
 * (scope.c lists the body fields that name them); subtree: the org and
 * everything under it.  incident_org is the reporting org of the
 * incident an incident.* event is about (NULL when unknown): its chain
 * concerns that org, whoever writes it.  Non-zero from cb stops and is
 * returned. */
typedef int (*scope_addressee_cb)(const char *org, bool subtree, void *ctx);
int scope_addressees(const struct dd_event *ev, const char *incident_org, scope_addressee_cb cb, void *ctx);

/* Whether ev is about an incident opened by an earlier incident.open. */
bool scope_about_incident(const struct dd_event *ev);
/* For an incident.open, the org the incident concerns (its reporting org
 * when that is an org id, else the writer's); NULL for other kinds. */
const char *scope_incident_opened(const struct dd_event *ev);

#endif
