#!/bin/sh
# tests/fuzz/run.sh — runs libFuzzer targets on their seed corpora.
#
#   sh tests/fuzz/run.sh LIMIT -- build/fuzz/fuzz_NAME ...
#
# LIMIT is libFuzzer's -runs=N (make check) or -max_total_time=S (make
# fuzz).  Target fuzz_NAME starts from tests/fuzz/corpus/NAME and keeps
# what it finds in build/fuzz/corpus/NAME.  A crash, leak or sanitizer
# report fails the target; its input is left in build/fuzz/ (crash-*)
# to replay with `build/fuzz/fuzz_NAME FILE`.  Prints "ok - NAME" or
# "FAIL - NAME" per target and, last, "N passed, N failed".
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIMIT=$1
shift
[ "$1" = "--" ] && shift

PASSED=0
FAILED=0
for bin in "$@"; do
	case $bin in /*) ;; *) bin="$ROOT/$bin" ;; esac
	name=${bin##*/fuzz_}
	out="$ROOT/build/fuzz/corpus/$name"
	mkdir -p "$out"
	log="$ROOT/build/fuzz/$name.log"
	if (cd "$ROOT/build/fuzz" && "$bin" "$LIMIT" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		"$out" "$ROOT/tests/fuzz/corpus/$name") >"$log" 2>&1; then
		PASSED=$((PASSED + 1))
		echo "ok - fuzz $name: $(grep -E '^(Done|#[0-9]+ +DONE)' "$log" | tail -n 1)"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL - fuzz $name: see $log"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 5
	fi
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
