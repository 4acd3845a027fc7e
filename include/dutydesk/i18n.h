/*
 * i18n.h — locale and message catalogues for the console.
 *
 * UI strings are written in English and marked _("…") where they are used
 * or N_("…") in static tables (translated when drawn).  The catalogue is
 * po/<lang>.po, compiled by the Makefile into build/locale; an installed
 * dutydesk finds it under DD_LOCALEDIR.
 */
#ifndef DUTYDESK_I18N_H
#define DUTYDESK_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* setlocale(LC_ALL, ""), then C.UTF-8 for LC_CTYPE when the locale's
 * codeset is not UTF-8 (LANG=C), so wide characters still measure and
 * draw; then binds the "dutydesk" domain (see i18n.c for where). */
void i18n_init(void);

/* The folder holding the running executable (from /proc/self/exe), so a
 * build tree finds its themes and catalogues without installing.
 * 0, or -1 when it cannot be known. */
int i18n_exe_dir(char *buf, size_t n);

#endif
