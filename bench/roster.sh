#!/bin/sh
# bench/roster.sh — the Roster screen's filter-as-you-type, keystroke by
# keystroke, with 10,000 enterprises and 30,000 contacts, and the time to
# import a 30,000-row roster CSV; each next to the raw SQLite floor in the
# same run.  A benchmark, not a test: it prints numbers and exits 0
# whatever they are (non-zero only when it cannot run).
#
#   sh bench/roster.sh                          (from the repo root, after make)
#   RUNS=20 sh bench/roster.sh                  (quicker, noisier)
#   ENTERPRISES=2000 sh bench/roster.sh         (a smaller roster)
#   BENCH_DIR=/var/tmp/ddr sh bench/roster.sh   (keep the databases elsewhere)
#
# build/gen-orgs writes the CSV files (fictional, deterministic): ENTERPRISES
# enterprises and three contacts each.  dutydesk loads the real tree (the
# file gen-orgs writes with no enterprises), then `import orgs` and, timed,
# `import roster` of the 30,000 rows — one all-or-nothing transaction that
# checks every row, writes an event per contact and updates the
# projections.  The import floor (bench/roster_probe.c import-floor) parses
# the same CSV with the same reader and inserts the rows into one plain
# table in one transaction.  Then the probe times every prefix of a few
# Chinese names and of phone digits, through store_contact_filter (a
# window of 50 rows and the count capped at 1,000, over the in-memory
# filter index the Roster screen keeps), and the same search, window and
# count with instr() on a plain copy of the table.  Target (issue 5):
# every keystroke under 10 ms.  See bench/README.md.

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DD=${DUTYDESK:-$ROOT/dutydesk}
RUNS=${RUNS:-50}
ENTERPRISES=${ENTERPRISES:-10000}
DIR=${BENCH_DIR:-build/bench-roster-$ENTERPRISES}
PROBE=build/roster_probe

die() {
	echo "roster: $*" >&2
	exit 1
}
[ -x "$DD" ] && [ -x build/gen-orgs ] && [ -f build/rel/core/store_roster.o ] ||
	die "run make first (needs dutydesk, build/gen-orgs and build/rel/core/*.o)"
for tool in cc pkg-config sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (make deps installs it)"
done

# The probe links the release build of core/, as dutydesk does.
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -Iinclude -D_GNU_SOURCE \
	$(pkg-config --cflags sqlite3 jansson libconfig) -o "$PROBE" bench/roster_probe.c build/rel/core/*.o \
	$(pkg-config --libs sqlite3 jansson libconfig) -Wl,-Bstatic $(pkg-config --libs-only-l libcrypto) \
	-Wl,-Bdynamic -lm || die "cannot build $PROBE"

echo "# machine: $(nproc) CPU, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)"
echo "# sqlite $(sqlite3 --version | cut -d' ' -f1); folder $DIR on $(findmnt -n -o FSTYPE,SOURCE -T "$(dirname "$DIR")" 2>/dev/null || echo '?')"

rm -rf "$DIR"
mkdir -p "$DIR"
CONF="$DIR/dutydesk.conf"
DB="$DIR/dutydesk.db"
build/gen-orgs --enterprises 0 >"$DIR/tree.conf"
build/gen-orgs --enterprises "$ENTERPRISES" --csv orgs >"$DIR/orgs.csv"
build/gen-orgs --enterprises "$ENTERPRISES" --csv roster --contacts 3 >"$DIR/roster.csv"
ROWS=$(($(wc -l <"$DIR/roster.csv") - 1))
"$DD" --config "$CONF" --db "$DB" init --org cq.center --officer 张伟 >/dev/null || die "init failed"
"$DD" --config "$CONF" org load "$DIR/tree.conf" >/dev/null || die "org load failed"
"$DD" --config "$CONF" import orgs "$DIR/orgs.csv" >/dev/null || die "import orgs failed"

secs() { # COMMAND... : wall seconds, 3 decimals
	t0=$(date +%s.%N)
	"$@" >/dev/null || die "$* failed"
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }'
}
echo
echo "## import of a $ROWS-row roster CSV (one transaction, fsynced)"
DDS=$(secs "$DD" --config "$CONF" import roster "$DIR/roster.csv")
FLOOR=$("$PROBE" import-floor "$DIR/floor-import.db" "$DIR/roster.csv" | cut -d' ' -f1)
printf '%-44s %8s s  %9.0f rows/s\n' "dutydesk import roster (checks, events, projections)" "$DDS" \
	"$(echo "$ROWS $DDS" | awk '{ print $1 / $2 }')"
printf '%-44s %8s s  %9.0f rows/s\n' "floor: same CSV reader, INSERT into one table" "$FLOOR" \
	"$(echo "$ROWS $FLOOR" | awk '{ print $1 / $2 }')"
echo "dutydesk / floor = $(echo "$DDS $FLOOR" | awk '{ printf "%.1f", $1 / $2 }')"
AGAIN=$(secs "$DD" --config "$CONF" import roster "$DIR/roster.csv")
echo "the same file again (every row checked, nothing written): $AGAIN s"

# The floor's table: the same rows and search text in the same order,
# without dutydesk's columns, indexes and function.
sqlite3 "$DB" "CREATE TABLE floor(org_key, rank, name, id, org, mobile, hay, digits,
	PRIMARY KEY(org_key, rank, name, id)) WITHOUT ROWID;
	INSERT INTO floor SELECT org_key, rank, name, id, org, mobile, hay, digits FROM liaisons WHERE removed = 0;" ||
	die "cannot build the floor table"
echo "# $(sqlite3 "$DB" "SELECT count(*) FROM orgs") orgs, $(sqlite3 "$DB" "SELECT count(*) FROM liaisons") contacts, $(sqlite3 "$DB" "SELECT count(*) FROM events") events"

# What an officer types: a name seen in the roster (its org comes last in
# tree order, the worst place for a window), an org name, a district,
# phone digits with separators, and text that matches nothing (a full scan).
NAME=$(sqlite3 "$DB" "SELECT name FROM liaisons ORDER BY org_key DESC LIMIT 1" | sed 's/（虚构）//')
ORG=$(sqlite3 "$DB" "SELECT substr(name, 1, 6) FROM orgs WHERE kind LIKE 'ent-%' ORDER BY key DESC LIMIT 1")
MOBILE=$(sqlite3 "$DB" "SELECT substr(mobile, 1, 3) || ' ' || substr(mobile, 4, 4) || '-' || substr(mobile, 8) FROM liaisons ORDER BY org_key DESC LIMIT 1")
echo
echo "## filter-as-you-type, $RUNS runs per keystroke (window of 50 + count capped at 1000), ms"
"$PROBE" keys "$DB" "$RUNS" "$NAME" "$ORG" "万州区" "$MOBILE" "王不存在" || die "probe failed"
