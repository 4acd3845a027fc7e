#!/bin/sh
# bench/tui_start.sh — how fast the console paints, side by side with
# calcurse and a floor (not a test: it prints numbers and exits 0).
#
#   sh bench/tui_start.sh                 (from the repo root, after make)
#   RUNS=50 sh bench/tui_start.sh
#   BENCH_DIR=/var/tmp/ddbench sh bench/tui_start.sh   keep the 1M database elsewhere
#
# The dutydesk database holds 1,000,000 real log.entry events, generated
# by build/gen-demo and loaded with `dutydesk import` (about two minutes
# the first time; kept in $BENCH_DIR, default build/bench-1m, afterwards).
# bench/pty_paint.c starts each program on a fresh 80x24 pseudo-terminal
# and measures:
#   paint  launch to the last row of the first screen (the bottom bar);
#   key    a scrolling key to the last byte of the redraw (PgUp for
#          dutydesk, j for calcurse; the floor echoes the key with cat).
# Programs: dutydesk on the 1M log; calcurse 4.x on a small calendar of
# its own (its usual start-up work); floor: `cat` of a small file on a raw
# terminal — the least any program pays for a process and a pty.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DD=${DUTYDESK:-$ROOT/dutydesk}
RUNS=${RUNS:-20}
DIR=${BENCH_DIR:-$ROOT/build/bench-1m}
COUNT=${COUNT:-1000000}

for tool in cc calcurse; do
	command -v "$tool" >/dev/null || { echo "bench/tui_start.sh: needs $tool (make deps)"; exit 1; }
done
[ -x "$DD" ] && [ -x build/gen-demo ] || { echo "bench/tui_start.sh: run make first"; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-tuibench.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share" LANG=C.UTF-8
unset LC_ALL NO_COLOR
mkdir -p "$HOME"

cc -O2 -o "$T/pty_paint" bench/pty_paint.c -lutil

if [ ! -f "$DIR/done" ]; then
	echo "# building $COUNT events in $DIR (once)…"
	rm -rf "$DIR"
	mkdir -p "$DIR"
	"$DD" --config "$DIR/dutydesk.conf" --db "$DIR/dutydesk.db" init --org cq.center --officer 张伟 >/dev/null
	build/gen-demo --seed 7 --count "$COUNT" --incidents 0 | "$DD" --config "$DIR/dutydesk.conf" import - >/dev/null
	touch "$DIR/done"
fi

mkdir -p "$T/cal"
i=1
while [ $i -le 28 ]; do
	printf '11/%02d/2026 @ 09:00 -> 11/%02d/2026 @ 10:00 |Duty handover %d\n' $i $i $i
	printf '11/%02d/2026 @ 14:00 -> 11/%02d/2026 @ 15:00 |Zero-report check %d\n' $i $i $i
	i=$((i + 1))
done >"$T/cal/apts"
printf '[1] Call Yubei district\n[2] File the weekly summary\n' >"$T/cal/todo"
# A full 80x24 screen: 23 lines of 79 characters, then the marker line.
i=1
while [ $i -le 23 ]; do
	printf '\033[%d;1H%-79s' $i "floor line $i: ................................................................"
	i=$((i + 1))
done >"$T/floor.txt"
printf '\033[24;1Hfloor end' >>"$T/floor.txt"

run() { "$T/pty_paint" -n "$RUNS" -p 10 "$@"; }
dd=$(run -m " 1 Log " -k '\033[5~' -- "$DD" --config "$DIR/dutydesk.conf")
cal=$(run -m "OtherCmd" -k 'j' -- calcurse -D "$T/cal")
floor=$(run -m "floor end" -k 'k' -- "$T/pty_paint" --floor "$T/floor.txt")

events=$(sqlite3 "$DIR/dutydesk.db" "SELECT count(*) FROM events" 2>/dev/null || echo "$COUNT")
echo "TUI start-up and scrolling, 80x24, $RUNS runs each (median / min, ms); dutydesk has $events events"
printf '%-22s %18s %18s\n' "" "first paint" "key to redraw"
for row in "dutydesk (1M events):$dd" "calcurse:$cal" "floor (full redraw):$floor"; do
	name=${row%%:*}
	set -- ${row#*:}
	printf '%-22s %8s / %-7s %8s / %-7s\n' "$name" "$1" "$2" "$3" "$4"
done
set -- $dd
dp=$1 dk=$3
set -- $cal
cp=$1
set -- $floor
fp=$1 fk=$3
awk -v dp="$dp" -v dk="$dk" -v cp="$cp" -v fp="$fp" -v fk="$fk" 'BEGIN {
	printf "ratios: dutydesk/calcurse first paint %.2f; dutydesk/floor first paint %.2f; dutydesk/floor key %.2f\n",
		dp / cp, dp / fp, dk / fk
	printf "targets: first paint <= 30 ms (%s), not slower than calcurse (%s), key within 2x floor (%s)\n",
		dp <= 30 ? "met" : "missed", dp <= cp ? "met" : "missed", dk <= 2 * fk ? "met" : "missed"
}'
