#!/bin/sh
# Runs cmocka test binaries one after another; every binary runs even when
# an earlier one fails, and the exit status says whether all passed.
status=0
for t in "$@"; do
	"$t" || { echo "FAILED: $t" >&2; status=1; }
done
exit $status
