#!/bin/sh
# bench/log_append.sh — what one `dutydesk log` costs, next to the
# alternatives and to the floor.  A benchmark, not a test: it prints
# numbers and exits 0 whatever they are (non-zero only when it cannot run).
#
#   sh bench/log_append.sh                 (from the repo root; `make bench`)
#   RUNS=200 sh bench/log_append.sh        (quicker, noisier)
#   DUTYDESK=/path/to/dutydesk BENCH_TMPDIR=/var/tmp sh bench/log_append.sh
#
# One process per append, RUNS appends each (default 1,000), side by side in
# one hyperfine run, each into its own database in one temporary folder:
#
#   C floor       bench/floor_insert.c: open, synchronous=FULL, one INSERT
#   sqlite3 CLI   sqlite3 DB "PRAGMA synchronous=FULL; …; INSERT …"
#   dutydesk log  dutydesk --config FILE log TEXT
#   task add      taskwarrior with its own TASKRC and TASKDATA
#
# The floor and CLI databases are in WAL mode (set once; it persists in the
# file, as in dutydesk's), and set synchronous=FULL and a busy timeout on
# every open, as dutydesk does.  The number that matters is dutydesk/floor
# (target ≤ 1.25).  See bench/README.md.

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}
case $DD in
/*) ;;
*) DD=$(pwd)/$DD ;;
esac
RUNS=${RUNS:-1000}
WARMUP=${WARMUP:-20}
TARGET=1.25
TEXT='bench: 来电 调度中心报告 SCADA 告警，已通知值班长'

die() {
	echo "log_append: $*" >&2
	exit 1
}
[ -x "$DD" ] || die "$DD is not an executable (run make, or set DUTYDESK)"
for tool in hyperfine sqlite3 cc pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (make deps installs it)"
done
HAVE_TASK=1
command -v task >/dev/null 2>&1 || HAVE_TASK=0

T=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/dutydesk-bench.XXXXXX") || die "cannot create a temporary folder"
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
case $T in *[[:space:]]*) die "the temporary folder '$T' has blanks; set BENCH_TMPDIR" ;; esac
case $DD in *[[:space:]]*) die "the dutydesk path '$DD' has blanks; set DUTYDESK" ;; esac

# Nobody's real home or configuration is read or written.
export HOME="$T/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export TASKRC="$T/task/taskrc" TASKDATA="$T/task/data"
mkdir -p "$HOME" "$T/task/data"

# ---- setup ----------------------------------------------------------------

SQLITE_FLAGS=$(pkg-config --cflags --libs sqlite3) || die "pkg-config does not know sqlite3"
# shellcheck disable=SC2086 # the flags are words
cc -O2 -std=c11 -o "$T/floor_insert" "$ROOT/bench/floor_insert.c" $SQLITE_FLAGS || die "cannot build the floor program"

SCHEMA="PRAGMA journal_mode=WAL;
CREATE TABLE log(id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, text TEXT NOT NULL);"
sqlite3 "$T/floor.db" "$SCHEMA" >/dev/null
sqlite3 "$T/cli.db" "$SCHEMA" >/dev/null
SQL="PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; INSERT INTO log(at_ms, text) VALUES(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), '$TEXT');"

CONF="$T/dd/dutydesk.conf"
"$DD" --config "$CONF" --db "$T/dd/dutydesk.db" init --org bench.desk --officer 值班员 >/dev/null ||
	die "dutydesk init failed"

printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\ncolor=off\n' "$TASKDATA" >"$TASKRC"

# Each must work once before hyperfine runs it a thousand times.
"$T/floor_insert" "$T/floor.db" "$TEXT" || die "floor_insert failed"
"$DD" --config "$T/same/dutydesk.conf" --db "$T/same/dutydesk.db" init --org bench.desk --officer 值班员 >/dev/null ||
	die "dutydesk init (same-rows floor) failed"
"$T/floor_insert" --same-rows "$T/same/dutydesk.db" "$TEXT" || die "floor_insert --same-rows failed"
sqlite3 "$T/cli.db" "$SQL" >/dev/null || die "the sqlite3 CLI insert failed"
"$DD" --config "$CONF" log "$TEXT" >/dev/null || die "dutydesk log failed"
if [ $HAVE_TASK = 1 ]; then
	task rc.confirmation=off rc.verbose=nothing add "$TEXT" >/dev/null 2>&1 || die "task add failed"
fi

# ---- machine --------------------------------------------------------------

fs=$(findmnt -n -o FSTYPE,SOURCE,OPTIONS -T "$T" 2>/dev/null || df -T "$T" | awk 'NR == 2 { print $2, $1 }')
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "# machine"
echo "nproc       $(nproc)"
echo "cpu         ${cpu:-unknown}"
echo "kernel      $(uname -sr)"
echo "temp dir    $T"
echo "filesystem  $fs"
echo "dutydesk    $("$DD" --version) ($DD)"
echo "sqlite3     $(sqlite3 --version | cut -d' ' -f1) (CLI), floor built against $(pkg-config --modversion sqlite3)"
if [ $HAVE_TASK = 1 ]; then echo "task        $(task --version)"; else echo "task        not installed: skipped"; fi
echo "hyperfine   $(hyperfine --version | cut -d' ' -f2), $RUNS runs + $WARMUP warm-up per command"
echo

# ---- run ------------------------------------------------------------------

set -- \
	-n "C floor" "$T/floor_insert $T/floor.db '$TEXT'" \
	-n "C floor same-rows" "$T/floor_insert --same-rows $T/same/dutydesk.db '$TEXT'" \
	-n "sqlite3 CLI" "sqlite3 $T/cli.db \"$SQL\"" \
	-n "dutydesk log" "$DD --config $CONF log '$TEXT'"
if [ $HAVE_TASK = 1 ]; then
	set -- "$@" -n "task add" "task rc.confirmation=off rc.verbose=nothing add '$TEXT'"
fi
hyperfine -N --style basic --time-unit millisecond --runs "$RUNS" --warmup "$WARMUP" \
	--export-json "$T/results.json" --export-csv "$T/results.csv" "$@" ||
	die "hyperfine failed"
[ -n "${BENCH_JSON:-}" ] && cp "$T/results.json" "$BENCH_JSON"

# Every process must really have appended its row.
want=$((RUNS + WARMUP + 1))
n_floor=$(sqlite3 "$T/floor.db" "SELECT count(*) FROM log")
n_cli=$(sqlite3 "$T/cli.db" "SELECT count(*) FROM log")
n_dd=$("$DD" --config "$CONF" log list --all --json | grep -c '^{')
n_task=-
[ $HAVE_TASK = 1 ] && n_task=$(task rc.verbose=nothing count 2>/dev/null)
echo
echo "# rows appended (want $want each): floor $n_floor, sqlite3 CLI $n_cli, dutydesk $n_dd, task $n_task"
if [ "$n_dd" != "$want" ] || [ "$n_floor" != "$want" ] || [ "$n_cli" != "$want" ]; then
	echo "WARNING: some appends were lost; the numbers below are suspect"
fi
if ! "$DD" --config "$CONF" verify >/dev/null 2>&1; then
	echo "WARNING: dutydesk verify failed on the benchmark database"
fi

# ---- table ----------------------------------------------------------------
# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).

echo
echo "# one append, one process (ms; ratio = mean / C floor mean, median / C floor median)"
awk -F, -v target="$TARGET" '
NR == 1 { next }
{
	name[NR] = $1; mean[NR] = $2 * 1000; sd[NR] = $3 * 1000; med[NR] = $4 * 1000
	usr[NR] = $5 * 1000; sys_[NR] = $6 * 1000; n = NR
	if ($1 == "C floor") { fmean = $2 * 1000; fmed = $4 * 1000 }
	if ($1 == "dutydesk log") { dmean = $2 * 1000; dmed = $4 * 1000 }
	if ($1 == "C floor same-rows") { smean = $2 * 1000; smed = $4 * 1000 }
}
END {
	printf "%-18s %9s %8s %9s %8s %8s %9s %9s\n", "command", "mean", "± sd", "median", "user", "sys", "x floor", "x (med)"
	for (i = 2; i <= n; i++)
		printf "%-18s %9.3f %8.3f %9.3f %8.3f %8.3f %9.2f %9.2f\n", name[i], mean[i], sd[i], med[i], usr[i], sys_[i],
			mean[i] / fmean, med[i] / fmed
	r = dmean / fmean
	printf "\ndutydesk log / C floor = %.2f (median %.2f); target <= %s: %s\n", r, dmed / fmed, target,
		r <= target ? "met" : "NOT met"
	printf "dutydesk log / C floor same-rows = %.2f (median %.2f): the program beyond storing the same rows\n",
		dmean / smean, dmed / smed
}' "$T/results.csv"
