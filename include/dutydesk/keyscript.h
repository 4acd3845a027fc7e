/*
 * keyscript.h — the key scripts of the headless screen tests.
 *
 * One line is one step (tests/screen/README has the full format):
 *   # comment, or an empty line        nothing
 *   :save-display out.txt              typed after ':' then Enter
 *   !save-display out.txt              not keys: the test runner dumps the
 *                                      screen as it is (a prompt may be open)
 *   <Enter>  <C-u>  <PgDn>  <F1>       one named key (keys_parse_name)
 *   <Click 10 5>  <WheelUp>            mouse events (column, row)
 *   接到电话 <Enter>                   text typed as characters; names in
 *                                      <…> may be mixed in; <lt> is '<'
 * Text is UTF-8 and decoded with the C library, so the caller needs a
 * UTF-8 LC_CTYPE (i18n_init sees to it).
 */
#ifndef DUTYDESK_KEYSCRIPT_H
#define DUTYDESK_KEYSCRIPT_H

#include <stddef.h>

#include "dutydesk/error.h"
#include "dutydesk/keys.h"

/* Parses one line (without its newline) into at most max inputs; returns
 * how many, or DD_EINVAL naming the bad part, or DD_ERANGE past max. */
int keyscript_parse_line(const char *line, struct input *out, size_t max, struct dd_error *err);

#endif
