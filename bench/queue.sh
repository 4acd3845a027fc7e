#!/bin/sh
# bench/queue.sh — how fast the incident queue opens, filters and pages
# with 100,000 incidents and about a million events, next to the raw
# SQLite floor in the same run.  A benchmark, not a test: it prints numbers
# and exits 0 whatever they are (non-zero only when it cannot run).
#
#   sh bench/queue.sh                          (from the repo root, after make)
#   RUNS=30 sh bench/queue.sh                  (quicker, noisier)
#   TEXT=勒索 sh bench/queue.sh                (another filter text)
#   BENCH_DIR=/var/tmp/ddq sh bench/queue.sh   (keep the database elsewhere)
#   INCIDENTS=10000 LOG_ENTRIES=2000 sh bench/queue.sh   (a smaller one)
#
# The first run builds the database once and keeps it (build/bench-queue-N):
# build/gen-demo simulates INCIDENTS incidents over a year (about ten events
# each: tiers, hops, statuses, notes, reports, summaries) among LOG_ENTRIES
# shift-log entries, and `dutydesk import` loads them in one transaction —
# a few minutes for 100,000.  Then bench/queue_probe.c, built here against
# core/, times each query of the queue through store_incident_scan and
# store_incident_count, and the same SQL straight through the sqlite3 C API
# (the floor), alternating, RUNS times each.  Targets (issue 4): within 2×
# of the floor, a filter under 50 ms.  See bench/README.md.

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DD=${DUTYDESK:-$ROOT/dutydesk}
RUNS=${RUNS:-100}
INCIDENTS=${INCIDENTS:-100000}
LOG_ENTRIES=${LOG_ENTRIES:-20000}
TEXT=${TEXT:-涪陵}
DIR=${BENCH_DIR:-build/bench-queue-$INCIDENTS}
PROBE=build/queue_probe

die() {
	echo "queue: $*" >&2
	exit 1
}
[ -x "$DD" ] && [ -x build/gen-demo ] && [ -f build/rel/core/store_incident.o ] ||
	die "run make first (needs dutydesk, build/gen-demo and build/rel/core/*.o)"
for tool in cc pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (make deps installs it)"
done

# The probe links the release build of core/, as dutydesk does.
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -Iinclude -D_GNU_SOURCE \
	$(pkg-config --cflags sqlite3 jansson libconfig) -o "$PROBE" bench/queue_probe.c build/rel/core/*.o \
	$(pkg-config --libs sqlite3 jansson libconfig) -Wl,-Bstatic $(pkg-config --libs-only-l libcrypto) \
	-Wl,-Bdynamic -lm || die "cannot build $PROBE"

# Built once; "complete" marks an import that finished (an interrupted one
# rolls back and leaves an empty database behind).
if [ ! -f "$DIR/complete" ]; then
	rm -rf "$DIR"
	mkdir -p "$DIR"
	echo "# building $DIR: $INCIDENTS incidents among $LOG_ENTRIES log entries (once; a few minutes)"
	"$DD" --config "$DIR/dutydesk.conf" --db "$DIR/dutydesk.db" init --org cq.center --officer 张伟 >/dev/null ||
		die "init failed"
	start=$(date +%s)
	# A fixed end time: the same bytes on every machine.
	build/gen-demo --seed 9 --days 365 --count "$LOG_ENTRIES" --incidents "$INCIDENTS" \
		--end "2026-11-26T08:00:00+08:00" --tiers data/tiers.conf |
		"$DD" --config "$DIR/dutydesk.conf" import - >"$DIR/import.txt" || die "generating or importing failed"
	echo "# $(cat "$DIR/import.txt") in $(($(date +%s) - start)) s"
	touch "$DIR/complete"
fi

echo "# machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "# kernel $(uname -r); database on $(findmnt -n -o FSTYPE,SOURCE -T "$DIR" 2>/dev/null || echo '?')"
echo "# $(du -h "$DIR/dutydesk.db" | cut -f1) database; $(cat "$DIR/import.txt")"
"$PROBE" "$DIR/dutydesk.db" "$RUNS" "$TEXT"
