/*
 * i18n.c — locale set-up and the message catalogue.
 *
 * Commands that print nothing translated (log, import, verify) do not
 * call i18n_init(): loading a locale reads a dozen files.
 *
 * The console measures text with wcwidth(), which only knows CJK widths
 * under a UTF-8 LC_CTYPE; an officer's terminal started with LANG=C still
 * shows Chinese names, so LC_CTYPE falls back to C.UTF-8 while messages
 * stay in the language the officer asked for.
 *
 * The catalogue is looked for beside the executable first (build/locale in
 * a source tree, so `make run` is translated without installing), then in
 * DD_LOCALEDIR where `make install` puts it.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/i18n.h"

int i18n_exe_dir(char *buf, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", buf, n - 1);
	if (len <= 0 || (size_t)len >= n - 1)
		return -1;
	buf[len] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if (buf[0] == '\0')
		snprintf(buf, n, "/");
	return 0;
}

static bool codeset_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0;
}

void i18n_init(void)
{
	setlocale(LC_ALL, "");
	if (!codeset_is_utf8())
		setlocale(LC_CTYPE, "C.UTF-8");

	char dir[DD_PATH_MAX];
	char locale_dir[DD_PATH_MAX + 16];
	struct stat sb;
	if (i18n_exe_dir(dir, sizeof dir) == 0 &&
	    snprintf(locale_dir, sizeof locale_dir, "%s/build/locale", dir) < (int)sizeof locale_dir &&
	    stat(locale_dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		bindtextdomain("dutydesk", locale_dir);
	else
		bindtextdomain("dutydesk", DD_LOCALEDIR);
	bind_textdomain_codeset("dutydesk", "UTF-8");
	textdomain("dutydesk");
}
