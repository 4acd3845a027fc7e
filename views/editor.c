/*
 * editor.c — writing a long entry in the officer's $EDITOR.
 *
 * The text goes through a temporary file created 0600 by mkstemps() in
 * $TMPDIR (else /tmp), because shift-log text can name people and
 * enterprises; the file is removed whatever happens.  $EDITOR is run by
 * the shell so "emacs -nw" or "code --wait" work; while it runs the
 * console ignores SIGINT and SIGQUIT as system() does, so a Ctrl-C meant
 * for the editor does not end the console.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dutydesk/config.h"
#include "dutydesk/editor.h"
#include "dutydesk/i18n.h"

/* Larger than any entry (16000 bytes), so a long paste is kept whole and
 * refused by the store with a clear message rather than cut here. */
#define EDIT_MAX (64 * 1024)

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int run_editor(const char *path, int *status)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", "exec ${EDITOR:-vi} \"$1\"", "dutydesk-editor", path, (char *)NULL);
		_exit(127);
	}
	int rc = -1;
	if (pid > 0) {
		while ((rc = (int)waitpid(pid, status, 0)) < 0 && errno == EINTR)
			;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return rc < 0 ? -1 : 0;
}

static char *read_back(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = malloc(EDIT_MAX + 1);
	size_t n = buf ? fread(buf, 1, EDIT_MAX, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

int editor_edit(struct ui *ui, const char *initial, char **out, struct dd_error *err)
{
	*out = NULL;
	if (ui && ui->headless)
		return dd_fail(err, DD_EINVAL, "%s", _("There is no editor in a screen test."));
	const char *tmp = getenv("TMPDIR");
	char path[DD_PATH_MAX];
	snprintf(path, sizeof path, "%s/dutydesk-entry-XXXXXX.txt", tmp && tmp[0] == '/' ? tmp : "/tmp");
	int fd = mkstemps(path, 4);
	if (fd < 0)
		return dd_fail(err, DD_EIO, _("Cannot create a temporary file for the editor: %s"), strerror(errno));
	int rc = write_all(fd, initial, strlen(initial));
	close(fd);
	if (rc != 0) {
		unlink(path);
		return dd_fail(err, DD_EIO, _("Cannot write %s: %s"), path, strerror(errno));
	}

	int status = 0;
	if (ui)
		ui_suspend(ui);
	rc = run_editor(path, &status);
	if (ui)
		ui_resume(ui);

	if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(path);
		return dd_fail(err, DD_EIO, _("The editor failed (exit status %d); nothing saved."),
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	*out = read_back(path);
	unlink(path);
	if (!*out)
		return dd_fail(err, DD_EIO, _("Cannot read back %s."), path);
	return 0;
}
