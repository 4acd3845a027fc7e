/*
 * pty_paint.c — how fast a full-screen program paints, seen from its
 * terminal (bench/tui_start.sh builds and runs it).
 *
 *   pty_paint [-s COLSxROWS] [-n RUNS] [-k KEY] [-p PRESSES] -m MARKER -- COMMAND [ARGS…]
 *
 * Each run starts COMMAND on a fresh pseudo-terminal of the given size
 * (TERM=xterm-256color) and measures, from the moment before exec:
 *   paint  until MARKER (a byte string of the last thing the program
 *          draws, e.g. its bottom bar) has appeared in its output;
 * then, when -k is given, presses KEY (C escapes allowed: "\033[5~" is
 * PgUp) PRESSES times and measures for each
 *   key    from writing the key to the last byte of the redraw, the
 *          redraw being over when the program stays silent for 30 ms
 *          (that quiet period is not counted).
 * Prints the median and the minimum of each over all runs, in ms, as
 * "paint_median paint_min key_median key_min" on one line.
 *
 * The pty is read as fast as the program writes, so the numbers include
 * the program's own output cost but no terminal emulator's.
 *
 *   pty_paint --floor FILE
 * is the floor program: on a raw terminal it writes FILE, then writes it
 * again for every byte it reads — a full redraw with no work behind it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 30
#define MAX_SAMPLES 4096

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Decodes C escapes (\033, \n, \\) in place. */
static size_t unescape(char *s)
{
	char *out = s;
	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1] >= '0' && p[1] <= '7') {
			int v = 0, k = 0;
			while (k < 3 && p[1] >= '0' && p[1] <= '7')
				v = v * 8 + (*++p - '0'), k++;
			*out++ = (char)v;
		} else if (*p == '\\' && p[1] == 'n') {
			*out++ = '\n';
			p++;
		} else if (*p == '\\' && p[1] == '\\') {
			*out++ = '\\';
			p++;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}

/* Reads until marker has been seen (keeping a tail for markers split
 * across reads); the time it took, or -1 after 10 s. */
static double wait_marker(int fd, const char *marker, double t0)
{
	static char buf[1 << 16];
	size_t mlen = strlen(marker), have = 0;
	while (now_ms() - t0 < 10000) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t n = read(fd, buf + have, sizeof buf - have - 1);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if (memmem(buf, have, marker, mlen))
			return now_ms() - t0;
		if (have > mlen) {
			memmove(buf, buf + have - mlen, mlen);
			have = mlen;
		}
	}
	return -1;
}

/* Reads until the program is quiet; the time of its last byte. */
static double wait_quiet(int fd, double t0)
{
	char buf[1 << 14];
	double last = -1;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, QUIET_MS) <= 0)
			return last;
		if (read(fd, buf, sizeof buf) <= 0)
			return last;
		last = now_ms() - t0;
	}
}

static int floor_program(const char *path)
{
	static char screen[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(screen, 1, sizeof screen, f) : 0;
	if (f)
		fclose(f);
	struct termios t;
	tcgetattr(0, &t);
	cfmakeraw(&t);
	tcsetattr(0, TCSANOW, &t);
	char c;
	do {
		if (write(1, screen, n) != (ssize_t)n)
			return 1;
	} while (read(0, &c, 1) == 1);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--floor") == 0)
		return floor_program(argv[2]);
	int cols = 80, rows = 24, runs = 20, presses = 10, opt;
	char *marker = NULL, *key = NULL;
	while ((opt = getopt(argc, argv, "s:n:m:k:p:")) != -1) {
		switch (opt) {
		case 's': sscanf(optarg, "%dx%d", &cols, &rows); break;
		case 'n': runs = atoi(optarg); break;
		case 'm': marker = optarg; break;
		case 'k': key = optarg; break;
		case 'p': presses = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!marker || optind >= argc || runs < 1 || runs * presses > MAX_SAMPLES) {
		fprintf(stderr, "usage: pty_paint [-s COLSxROWS] [-n RUNS] [-k KEY] [-p PRESSES] -m MARKER -- COMMAND…\n");
		return 2;
	}
	unescape(marker);
	size_t key_len = key ? unescape(key) : 0;
	setenv("TERM", "xterm-256color", 1);

	static double paint[MAX_SAMPLES], keys[MAX_SAMPLES];
	int n_keys = 0;
	for (int r = 0; r < runs; r++) {
		struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
		int fd;
		double t0 = now_ms();
		pid_t pid = forkpty(&fd, NULL, NULL, &ws);
		if (pid < 0) {
			perror("forkpty");
			return 1;
		}
		if (pid == 0) {
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		paint[r] = wait_marker(fd, marker, t0);
		if (paint[r] < 0) {
			fprintf(stderr, "pty_paint: \"%s\" never showed\n", argv[optind]);
			kill(pid, SIGKILL);
			return 1;
		}
		wait_quiet(fd, t0);
		for (int k = 0; key && k < presses; k++) {
			double tk = now_ms();
			if (write(fd, key, key_len) != (ssize_t)key_len)
				break;
			double t = wait_quiet(fd, tk);
			if (t >= 0)
				keys[n_keys++] = t;
		}
		kill(pid, SIGTERM);
		close(fd);
		waitpid(pid, NULL, 0);
	}
	double pmin = paint[0], kmin = n_keys ? keys[0] : 0;
	for (int i = 0; i < runs; i++)
		pmin = paint[i] < pmin ? paint[i] : pmin;
	for (int i = 0; i < n_keys; i++)
		kmin = keys[i] < kmin ? keys[i] : kmin;
	printf("%.2f %.2f %.2f %.2f\n", median(paint, runs), pmin, median(keys, n_keys), kmin);
	return 0;
}
