/*
 * phone.c — normalising Chinese telephone numbers (see phone.h).
 *
 * Invariant: phone_normalize(canon) == canon for every canon it returns,
 * which is what lets the event codec insist on the canonical form.
 */
#include <stdio.h>
#include <string.h>

#include "dutydesk/phone.h"

/* Reads one character of in: an ASCII or full-width (U+FF10..FF19) digit
 * gives 0..9; a separator gives -2; anything else -1.  *len receives its
 * byte length. */
static int classify(const unsigned char *p, int *len)
{
	*len = 1;
	if (*p >= '0' && *p <= '9')
		return *p - '0';
	if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')' || *p == '\t')
		return -2;
	/* U+FF10..U+FF19 full-width digits: EF BC 90..99. */
	if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
		*len = 3;
		return p[2] - 0x90;
	}
	/* U+FF08 （, U+FF09 ）, U+FF0D －: EF BC 88/89/8D; U+3000 ideographic space: E3 80 80. */
	if (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x88 || p[2] == 0x89 || p[2] == 0x8D)) {
		*len = 3;
		return -2;
	}
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
		*len = 3;
		return -2;
	}
	/* U+00A0 no-break space: C2 A0. */
	if (p[0] == 0xC2 && p[1] == 0xA0) {
		*len = 2;
		return -2;
	}
	return -1;
}

/* The extension markers people write between a number and its extension. */
static size_t ext_marker(const char *p)
{
	static const char *const markers[] = { "转", "分机", "ext.", "ext", "EXT", "Ext", "x", "X", "#", NULL };
	for (int i = 0; markers[i]; i++) {
		size_t n = strlen(markers[i]);
		if (strncmp(p, markers[i], n) == 0)
			return n;
	}
	return 0;
}

int phone_normalize(const char *in, char canon[DD_PHONE_MAX], char digits[DD_PHONE_MAX], bool *mobile,
		    struct dd_error *err)
{
	char main_d[32], ext_d[16];
	size_t nm = 0, ne = 0;
	bool in_ext = false;
	const char *p = in;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '+') {
		if (strncmp(p, "+86", 3) != 0)
			return dd_fail(err, DD_EINVAL, "'%s': only Chinese numbers (+86) are accepted", in);
		p += 3;
	} else if (strncmp(p, "0086", 4) == 0) {
		p += 4;
	}
	while (*p) {
		int len;
		int c = classify((const unsigned char *)p, &len);
		if (c >= 0) {
			if (in_ext ? ne + 1 >= sizeof ext_d : nm + 1 >= sizeof main_d)
				return dd_fail(err, DD_EINVAL, "'%s': too many digits for a phone number", in);
			if (in_ext)
				ext_d[ne++] = (char)('0' + c);
			else
				main_d[nm++] = (char)('0' + c);
			p += len;
		} else if (c == -2) {
			p += len;
		} else {
			size_t m = in_ext || nm == 0 ? 0 : ext_marker(p);
			if (!m)
				return dd_fail(err, DD_EINVAL, "'%s': not a phone number (only digits, spaces and dashes, "
					       "and 转 before an extension)", in);
			in_ext = true;
			p += m;
		}
	}
	main_d[nm] = ext_d[ne] = '\0';
	if (in_ext && (ne == 0 || ne > 6))
		return dd_fail(err, DD_EINVAL, "'%s': an extension has 1 to 6 digits", in);
	bool is_mobile = false;
	if (nm == 0)
		return dd_fail(err, DD_EINVAL, "'%s': no digits", in);
	if (main_d[0] == '1') {
		if (nm != 11 || main_d[1] < '3' || in_ext)
			return dd_fail(err, DD_EINVAL, "'%s': a mobile number is 11 digits starting 13–19, e.g. 138 0000 0001",
				       in);
		snprintf(canon, DD_PHONE_MAX, "%.11s", main_d);
		is_mobile = true;
	} else if ((strncmp(main_d, "400", 3) == 0 || strncmp(main_d, "800", 3) == 0) && nm == 10 && !in_ext) {
		snprintf(canon, DD_PHONE_MAX, "%.3s-%.3s-%.4s", main_d, main_d + 3, main_d + 6);
	} else if (main_d[0] == '0') {
		/* 010 and 020–029 have three digits, every other area code four. */
		size_t area = main_d[1] == '1' || main_d[1] == '2' ? 3 : 4;
		size_t local = nm - area;
		if (nm <= area || local < 7 || local > 8 || main_d[area] == '0' || main_d[area] == '1')
			return dd_fail(err, DD_EINVAL, "'%s': a landline is an area code and 7 or 8 digits, e.g. 023-63001234",
				       in);
		snprintf(canon, DD_PHONE_MAX, "%.*s-%.8s%s%.6s", (int)area, main_d, main_d + area, in_ext ? "转" : "", ext_d);
	} else {
		return dd_fail(err, DD_EINVAL, "'%s': give the area code of a landline (023-…) or 11 digits of a mobile",
			       in);
	}
	if (digits)
		snprintf(digits, DD_PHONE_MAX, "%.12s%.6s", main_d, ext_d);
	if (mobile)
		*mobile = is_mobile;
	return 0;
}

bool phone_query_digits(const char *in, char out[DD_PHONE_MAX])
{
	size_t n = 0;
	const char *p = in;
	if (strncmp(p, "+86", 3) == 0)
		p += 3;
	while (*p) {
		int len;
		int c = classify((const unsigned char *)p, &len);
		if (c == -1)
			return false;
		if (c >= 0) {
			if (n + 1 >= DD_PHONE_MAX)
				return false;
			out[n++] = (char)('0' + c);
		}
		p += len;
	}
	out[n] = '\0';
	return n >= 1;
}
