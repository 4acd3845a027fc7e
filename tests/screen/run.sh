#!/bin/sh
# tests/screen/run.sh — headless screen tests of the console, in the style
# of tig's test suite.
#
#   sh tests/screen/run.sh [CASE...]       (from the repo root; default: all)
#   UPDATE=1 sh tests/screen/run.sh CASE   rewrite CASE.expected from the run
#
# For each tests/screen/CASE.keys: a fresh configuration and database in a
# temporary folder, made by the real CLI (`dutydesk init`, and the case's
# `# setup:` lines, usually `dutydesk log … --at …`); then the console runs
# with DUTYDESK_TEST_SCREEN (no terminal, fixed size), DUTYDESK_TEST_KEYS
# (the case file itself) and DUTYDESK_TEST_NOW (a fixed clock), and the
# screen it saved as screen.txt is compared with CASE.expected.  See
# tests/screen/README for the format.
#
# Ids are random, so "#1a2b3c4d" and full UUIDs are masked before the
# comparison.  The last line printed is "N passed, N failed".

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}
NOW_DEFAULT=2026-11-26T10:00:00+08:00

PASSED=0
FAILED=0
T=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-screen.XXXXXX") || {
	echo "cannot create a temporary folder"
	echo "0 passed, 1 failed"
	exit 1
}
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

# Nothing of the caller's environment may change a screen.
unset LC_ALL LC_CTYPE LC_MESSAGES LC_TIME LANGUAGE TZ NO_COLOR EDITOR DUTYDESK_TEST_SCREEN
export LANG=C.UTF-8 HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share"
mkdir -p "$HOME"

mask() {
	sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g; s/#[0-9a-f]{8}/#<id>/g' "$1"
}

# Prints the value of "# NAME: value" lines of a case, one per line.
directive() {
	sed -n "s/^# $1: //p" "$2"
}

run_case() {
	name=$1 keys=$HERE/$1.keys
	dir=$T/$name
	mkdir -p "$dir"
	CONF=$dir/dutydesk.conf
	dutydesk() { "$DD" --config "$CONF" "$@"; }
	init=$(directive init "$keys")
	# shellcheck disable=SC2086
	eval "dutydesk --db \"\$dir/dutydesk.db\" init ${init:---org cq.center --officer 张伟}" >"$dir/setup.log" 2>&1 ||
		{ echo "FAIL - $name: dutydesk init failed:"; sed 's/^/    /' "$dir/setup.log"; return 1; }
	directive setup "$keys" >"$dir/setup.sh"
	(cd "$dir" && . ./setup.sh) >>"$dir/setup.log" 2>&1 ||
		{ echo "FAIL - $name: setup failed:"; sed 's/^/    /' "$dir/setup.log"; return 1; }
	size=$(directive screen "$keys")
	now=$(directive now "$keys")
	envs=$(directive env "$keys")
	(cd "$dir" && eval "env DUTYDESK_TEST_SCREEN=${size:-80x24} DUTYDESK_TEST_KEYS=\"\$keys\" \
		DUTYDESK_TEST_NOW=${now:-$NOW_DEFAULT} $envs \"\$DD\" --config \"\$CONF\"") >"$dir/run.log" 2>&1 ||
		{ echo "FAIL - $name: the console failed:"; sed 's/^/    /' "$dir/run.log"; return 1; }
	[ -f "$dir/screen.txt" ] || { echo "FAIL - $name: no screen.txt saved"; return 1; }
	mask "$dir/screen.txt" >"$dir/actual"
	if [ -n "$UPDATE" ]; then
		cp "$dir/actual" "$HERE/$name.expected"
		echo "updated - $name"
		return 0
	fi
	if diff -u "$HERE/$name.expected" "$dir/actual" >"$dir/diff" 2>&1; then
		echo "ok - $name"
		return 0
	fi
	echo "FAIL - $name: the screen differs (- expected, + actual):"
	sed 's/^/    /' "$dir/diff"
	return 1
}

[ -x "$DD" ] || { echo "no $DD; run make first"; echo "0 passed, 1 failed"; exit 1; }

if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(cd "$HERE" && ls *.keys | sed 's/\.keys$//')
fi
for c in $cases; do
	if run_case "$c"; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
	fi
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
