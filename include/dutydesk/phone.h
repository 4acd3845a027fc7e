/*
 * phone.h — Chinese telephone numbers as liaisons write them.
 *
 * People type numbers every way a spreadsheet allows: "138 0000 0001",
 * "+86 138-0000-0001", "023-6300 1234", "（023）63001234 转 801", with
 * full-width digits.  Events store one canonical form, so a number that
 * did not change never looks changed, and the search index stores the
 * bare digits, so "6300 12" finds "023-63001234":
 *
 *   mobile     1[3-9] and 9 more digits      13800000001
 *   landline   area code, dash, 7–8 digits   023-63001234, 0851-8123456
 *              optional extension            023-63001234转801
 *   service    400 / 800 and 7 digits        400-123-4567
 *
 * A number without its area code is refused rather than guessed.
 */
#ifndef DUTYDESK_PHONE_H
#define DUTYDESK_PHONE_H

#include <stdbool.h>

#include "dutydesk/error.h"

#define DD_PHONE_MAX 40   /* bytes of a canonical number, NUL included */

/* Parses in (any of the forms above, spaces, dashes, dots, brackets,
 * full-width digits allowed) into canon and its digits (both
 * DD_PHONE_MAX bytes; digits may be NULL).  *mobile (may be NULL) says
 * whether it is a mobile number.  DD_EINVAL with the reason otherwise. */
int phone_normalize(const char *in, char canon[DD_PHONE_MAX], char digits[DD_PHONE_MAX], bool *mobile,
		    struct dd_error *err);

/* The digits of what someone typed into a filter when it is a phone
 * number fragment (digits with spaces, dashes, dots or a leading +86, at
 * least one digit): true and out filled; false for anything else. */
bool phone_query_digits(const char *in, char out[DD_PHONE_MAX]);

#endif
