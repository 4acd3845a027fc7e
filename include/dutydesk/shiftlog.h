/*
 * shiftlog.h — adding to the shift log (值班日志), shared by the CLI and
 * the console's quick entry so both check text the same way.
 */
#ifndef DUTYDESK_SHIFTLOG_H
#define DUTYDESK_SHIFTLOG_H

#include "dutydesk/config.h"
#include "dutydesk/event.h"
#include "dutydesk/store.h"

/* Appends a log.entry by the configured officer.  text is any bytes:
 * invalid UTF-8 becomes U+FFFD, surrounding white space is trimmed, and
 * empty text is DD_EINVAL.  kind NULL means "note"; at_ms 0 means now;
 * corrects NULL or "" when the entry amends nothing. */
int shiftlog_add(struct dd_store *st, const struct dd_config *cfg, const char *text, size_t len,
		 const char *kind, int64_t at_ms, const char *corrects, struct dd_event *out,
		 struct dd_error *err);

/* Whether kind is one of dd_log_kinds. */
bool shiftlog_kind_valid(const char *kind);

/* The short id shown to people: the last 8 hex digits of the UUID (its
 * first digits are the time, so they repeat across nearby entries). */
const char *shiftlog_short_id(const char *id);

#endif
