# tests/sync/lib.sh — what the sync suites (run.sh, zero.sh) share: a
# private home and environment in the suite's temporary folder $T, and
# the helpers that report checks.  Sourced after T is made.
#
# begin NAME … end reports one check; flunk WHY fails it (the first
# reason is kept); the suite prints "N passed, N failed" at the end.

export HOME="$T/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export LC_ALL=C.UTF-8 LANGUAGE=
unset DUTYDESK_TEST_SCREEN TZ http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
mkdir -p "$HOME"

begin() { NAME=$1; WHY=; }
flunk() { [ -z "$WHY" ] && WHY=$1; return 0; }
end() {
	if [ -z "$WHY" ]; then
		PASSED=$((PASSED + 1))
		echo "ok - $NAME"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL - $NAME: $WHY"
	fi
}
first() { head -n 1 "$1" 2>/dev/null | LC_ALL=C tr -d '\000-\037\177' | cut -c1-200; }
is_true() { why=$1; shift; "$@" || flunk "$why"; }

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
