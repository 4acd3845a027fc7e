# tests/sync/lib.sh — what the sync suites (run.sh, zero.sh) share: a
# private home and environment in the suite's temporary folder $T, the
# check helpers of tests/checks.sh, and wait_for.  Sourced after T is made.

export HOME="$T/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export LC_ALL=C.UTF-8 LANGUAGE=
unset DUTYDESK_TEST_SCREEN TZ http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
mkdir -p "$HOME"

. "$ROOT/tests/checks.sh"

# A tenth of a second at a time until CMD succeeds or SECONDS pass.
wait_for() {
	secs=$1
	shift
	i=0
	while [ "$i" -lt $((secs * 10)) ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
