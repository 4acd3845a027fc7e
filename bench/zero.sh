#!/bin/sh
# bench/zero.sh — zero reporting (零报告) at the size of the city: a
# protection period over 10,000 enterprises, every one reporting to
# dutydeskd at once, and the city console's checklist.  A benchmark, not
# a test: it prints numbers and exits 0 whatever they are; non-zero only
# when it cannot run.
#
#   sh bench/zero.sh                        (from the repo root, after make)
#   ENTERPRISES=2000 sh bench/zero.sh       (quicker)
#   RUNS=50 PARALLEL=20 sh bench/zero.sh
#
# Set-up, not timed: a fresh dutydeskd (127.0.0.1, port 0, one thread per
# CPU); one enterprise token per enterprise (`dutydeskd token add`, about
# 6 ms each); the city console (org cq) with the real districts and
# ENTERPRISES fictional enterprises of build/gen-orgs, a period over the
# whole city with a 16:00 report time that began three days ago, pushed;
# tests/sync/zero_forge.c writes each enterprise's zero report (its own
# origin, sealed by core/) for 16:00 two days ago, made at 15:00.
#
# What it measures, in one run:
#   delivery  the city console runs `dutydesk sync` (long-poll) while curl
#             POSTs the ENTERPRISES reports, PARALLEL (50) at a time, each
#             with its enterprise's token; bench/zero_probe.c (`wait`)
#             re-reads the city's checklist (store_zero_checklist) until
#             every enterprise shows its report.  Printed: how long the
#             submissions took, and from the last answer to the complete
#             checklist (target: within 5 s);
#   refresh   bench/zero_probe.c (`time`): store_zero_checklist with every
#             row's state counted, as the screen and `zero status` do,
#             for the city and for one district, RUNS (100) times each,
#             next to the floor: the same counts from one SQL query over
#             a minimal one-row-per-org table (target: under 50 ms).
#
# Needs cc, pkg-config, curl and sqlite3 (`make deps`) and a finished make
# (build/gen-orgs, build/rel/core/*.o).  See bench/README.md.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}
DDD=${DUTYDESKD:-$ROOT/dutydeskd}
ENTERPRISES=${ENTERPRISES:-10000}
PARALLEL=${PARALLEL:-50}
RUNS=${RUNS:-100}

die() { echo "bench/zero.sh: $*" >&2; exit 1; }
for tool in cc pkg-config curl sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || die "needs $tool (make deps)"
done
[ -x "$DD" ] && [ -x "$DDD" ] && [ -x "$ROOT/build/gen-orgs" ] && [ -f "$ROOT/build/rel/core/store_zero.o" ] ||
	die "run make first"

T=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/dutydesk-bench-zero.XXXXXX") || exit 1
PIDS=
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share"
export LC_ALL=C.UTF-8 NO_PROXY='*' no_proxy='*'
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy TZ
mkdir -p "$HOME" "$T/s" "$T/tok" "$T/batches"
# Copies: a make elsewhere may relink the binaries during the long set-up.
cp "$DD" "$T/dutydesk" && cp "$DDD" "$T/dutydeskd" || die "cannot copy the binaries"
DD=$T/dutydesk
DDD=$T/dutydeskd

now_ms() { echo $(($(date +%s%N) / 1000000)); }
CORE_FLAGS="-std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -I$ROOT/include -D_GNU_SOURCE"
for prog in bench/zero_probe tests/sync/zero_forge; do
	# shellcheck disable=SC2046,SC2086
	cc $CORE_FLAGS $(pkg-config --cflags sqlite3 jansson libconfig) -o "$T/$(basename "$prog")" "$ROOT/$prog.c" \
		"$ROOT"/build/rel/core/*.o $(pkg-config --libs sqlite3 jansson libconfig) \
		-Wl,-Bstatic $(pkg-config --libs-only-l libcrypto) -Wl,-Bdynamic -lm || die "cannot build $prog"
done

echo "# bench/zero.sh: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)"
echo "# sqlite $(sqlite3 --version | cut -d' ' -f1); $T on $(findmnt -n -o FSTYPE,SOURCE -T "$T" 2>/dev/null || echo '?')"
echo "# ENTERPRISES=$ENTERPRISES PARALLEL=$PARALLEL RUNS=$RUNS"

# ---- set-up -------------------------------------------------------------------
# The commission, the centre and the real districts (the reporting
# tree; the other bodies do not report) and the fictional enterprises.
"$ROOT/build/gen-orgs" --enterprises 0 | grep -E '^[[:space:]]*\{ id = ' |
	sed -E 's/^[[:space:]]*\{ id = "([^"]*)"; kind = "([^"]*)"; name = "([^"]*)".*/\1,\2,\3/' |
	grep -E '^cq[^,]*,(commission|centre|district|county|autonomous-county|zone),' >"$T/tree.csv"
{
	echo "id,kind,name"
	cat "$T/tree.csv"
	"$ROOT/build/gen-orgs" --enterprises "$ENTERPRISES" --csv orgs | tail -n +2
} >"$T/orgs.csv"
tail -n +2 "$T/orgs.csv" | cut -d, -f1 | grep '\.ent-' >"$T/enterprises"
[ "$(wc -l <"$T/enterprises")" = "$ENTERPRISES" ] || die "gen-orgs gave $(wc -l <"$T/enterprises") enterprises"

printf 'listen = "127.0.0.1";\nport = 0;\ndatabase = "d.db";\nthreads = %s;\n' "$(nproc)" >"$T/s/d.conf"
(umask 077 && "$DDD" --config "$T/s/d.conf" token add --org cq --role city --name city >"$T/tok/city" 2>/dev/null) ||
	die "token add failed"
echo "# $ENTERPRISES enterprise tokens (dutydeskd token add, one process each)"
t0=$(now_ms)
while read -r org; do
	tok=$("$DDD" --config "$T/s/d.conf" token add --org "$org" --role enterprise --name "$org" 2>"$T/err") ||
		die "token add $org failed: $(cat "$T/err")"
	printf 'Authorization: Bearer %s\n' "$tok" >"$T/tok/$org.h"
done <"$T/enterprises"
echo "#   $(($(now_ms) - t0)) ms"

"$DDD" --config "$T/s/d.conf" >"$T/s/log" 2>&1 &
PIDS="$PIDS $!"
i=0
until grep -q "listening on" "$T/s/log"; do
	i=$((i + 1))
	[ "$i" -gt 100 ] && die "dutydeskd did not start: $(head -n 1 "$T/s/log")"
	sleep 0.05
done
URL="http://127.0.0.1:$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/s/log" | head -n 1)"

CITY="$DD --config $T/city.conf"
$CITY --db "$T/city.db" init --org cq --officer 张伟 >/dev/null || die "init failed"
printf 'server = { url = "%s"; token_file = "%s"; };\n' "$URL" "$T/tok/city" >>"$T/city.conf"
$CITY import orgs "$T/orgs.csv" >/dev/null || die "import orgs failed"
DAY=$(TZ=Asia/Shanghai date -d '2 days ago' +%F)
SLOT="${DAY}T16:00:00+08:00"
$CITY period new "规模测试重保" --start "$(date -u -d '3 days ago' +%FT%TZ)" --end "$(date -u -d '1 day' +%FT%TZ)" \
	--scope cq --times 16:00 --grace 30 >/dev/null || die "period new failed"
PERIOD=$(sqlite3 "$T/city.db" "SELECT id FROM protection_periods")
$CITY sync --once >/dev/null || die "the city's first sync failed"
N=$("$T/zero_forge" "$PERIOD" "$SLOT" "${DAY}T15:00:00+08:00" "$T/batches" <"$T/enterprises") || die "zero_forge failed"
sep=
while read -r org; do
	printf '%surl = "%s/v1/events"\nheader = "@%s"\nheader = "Content-Type: application/json"\n' \
		"$sep" "$URL" "$T/tok/$org.h"
	printf 'data-binary = "@%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' "$T/batches/$org.json"
	sep="next
"
done <"$T/enterprises" >"$T/curl.conf"
DISTRICT=$(cut -d. -f1-2 "$T/enterprises" | sort | uniq -c | sort -rn | head -n 1 | awk '{ print $2 }')

# ---- delivery ---------------------------------------------------------------------
$CITY sync >"$T/city.sync" 2>&1 &
PIDS="$PIDS $!"
i=0
until grep -q "live" "$T/city.sync"; do
	i=$((i + 1))
	[ "$i" -gt 200 ] && die "the city console's sync did not go live: $(tail -n 1 "$T/city.sync")"
	sleep 0.05
done
"$T/zero_probe" wait "$T/city.db" "$PERIOD" "$SLOT" "$N" >"$T/wait.out" &
WAIT=$!
t0=$(now_ms)
curl -s -Z --parallel-max "$PARALLEL" -K "$T/curl.conf" >"$T/codes" 2>"$T/curl.err"
t1=$(now_ms)
ok=$(grep -c '^200$' "$T/codes")
[ "$ok" = "$N" ] || { kill "$WAIT"; die "$ok of $N submissions answered 200: $(sort "$T/codes" | uniq -c | tr '\n' ' ')"; }
wait "$WAIT" || die "zero_probe wait failed"
read -r done_ms checks <"$T/wait.out"
echo
echo "## delivery: $N zero reports, $PARALLEL at a time, to the city's checklist"
printf '%-44s %8d ms  (%.0f reports/s)\n' "all submissions answered 200" $((t1 - t0)) \
	"$(awk -v n="$N" -v ms=$((t1 - t0)) 'BEGIN { print n * 1000 / ms }')"
printf '%-44s %8d ms  (%s checklist reads)\n' "first submission to complete city checklist" $((done_ms - t0)) "$checks"
lag=$((done_ms - t1))
[ "$lag" -lt 0 ] && lag=0
printf '%-44s %8d ms  target <= 5000 ms: %s\n' "last answer to complete city checklist" "$lag" \
	"$([ "$lag" -le 5000 ] && echo met || echo 'NOT met')"

# ---- refresh ------------------------------------------------------------------------
echo
echo "## refresh: the checklist of $SLOT, $RUNS runs each, next to the SQLite floor"
"$T/zero_probe" time "$T/city.db" "$PERIOD" "$SLOT" "" "$RUNS" "$T/floor.db" || die "zero_probe time failed"
"$T/zero_probe" time "$T/city.db" "$PERIOD" "$SLOT" "$DISTRICT" "$RUNS" "$T/floor.db" || die "zero_probe time failed"
exit 0
