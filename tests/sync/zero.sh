#!/bin/sh
# tests/sync/zero.sh — zero reporting (零报告) through a real dutydeskd:
# 300 enterprises of one district submit, a district console and the
# city console pull and show the same checklist, and the one enterprise
# that did not report shows as missing once the deadline has passed.
#
#   sh tests/sync/zero.sh                     (from the repo root, after make)
#
# The city console imports an org tree of two districts, 300 enterprises
# of cq.yubei and a few of cq.jiangbei (outside the period), sets a period
# over cq.yubei that began three days ago with a 16:00 report time and
# syncs.  The report time checked is 16:00 two days ago, so its deadline
# has passed on the real clock and nothing waits for it.  The enterprise
# consoles are stood in for by zero_forge.c (built here against core/):
# one sealed zero.report per enterprise, each on its own origin, made at
# 15:00 that day, POSTed by curl with that enterprise's own token, all
# at once.  The district office reports through its console, late.
#
# The district console starts empty: the period and its part of the org
# tree reach it through the server, addressed to cq.yubei.
#
# Needs cc, pkg-config, curl and sqlite3, and build/rel/core/*.o
# (make all).  Every server runs on 127.0.0.1 on a
# port the kernel picks and is stopped by the EXIT trap.
#
# Prints "ok - NAME" or "FAIL - NAME: WHY" per check and, last,
# "N passed, N failed"; exits 1 when any check failed.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}
DDD=${DUTYDESKD:-$ROOT/dutydeskd}
ENTERPRISES=300

PASSED=0
FAILED=0
PIDS=

T=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-zero.XXXXXX") || {
	echo "cannot create a temporary folder"
	echo "0 passed, 1 failed"
	exit 1
}
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

. "$ROOT/tests/sync/lib.sh"

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit
}

# token NAME ORG ROLE: a token in $T/tok/NAME (0600).
token() {
	(umask 077 && "$DDD" --config "$T/s/d.conf" token add --org "$2" --role "$3" --name "$1" >"$T/tok/$1" 2>"$T/err")
}
dd() { c=$1; shift; "$DD" --config "$T/c/$c.conf" "$@"; }
# console NAME ORG TOKEN
console() {
	"$DD" --config "$T/c/$1.conf" --db "$T/c/$1.db" init --org "$2" --officer "值班员 $1" >/dev/null 2>"$T/err" || return 1
	printf 'server = { url = "%s"; token_file = "%s"; };\n' "$URL" "$T/tok/$3" >>"$T/c/$1.conf"
}
# json FILE PATH: one value of a JSON file, through sqlite3's JSON functions.
json() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '$2')"; }
# states FILE: "org=state" of every row of a `zero status --json`, sorted.
states() {
	sqlite3 :memory: "SELECT json_extract(value, '\$.org') || '=' || json_extract(value, '\$.state')
		FROM json_each(readfile('$1'), '\$.orgs') ORDER BY 1"
}
ent() { printf 'cq.yubei.e%03d' "$1"; }

begin "set-up: dutydeskd, tokens, the city's tree and period"
mkdir -p "$T/s" "$T/tok" "$T/c" "$T/batches"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -I"$ROOT/include" -D_GNU_SOURCE \
	$(pkg-config --cflags sqlite3 jansson libconfig) -o "$T/zero_forge" "$ROOT/tests/sync/zero_forge.c" \
	"$ROOT"/build/rel/core/*.o $(pkg-config --libs sqlite3 jansson libconfig) \
	-Wl,-Bstatic $(pkg-config --libs-only-l libcrypto) -Wl,-Bdynamic -lm 2>"$T/err" ||
	flunk "cannot build zero_forge: $(first "$T/err")"
printf 'listen = "127.0.0.1";\nport = 0;\ndatabase = "d.db";\nthreads = 2;\n' >"$T/s/d.conf"
token city cq city || flunk "token: $(first "$T/err")"
token yubei cq.yubei district
i=1
while [ "$i" -le "$ENTERPRISES" ]; do
	token "$(ent "$i")" "$(ent "$i")" enterprise || { flunk "token $i: $(first "$T/err")"; break; }
	printf 'Authorization: Bearer %s\n' "$(cat "$T/tok/$(ent "$i")")" >"$T/tok/$(ent "$i").h"
	i=$((i + 1))
done
"$DDD" --config "$T/s/d.conf" >"$T/s/log" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 grep -q "listening on" "$T/s/log" || flunk "dutydeskd did not start: $(first "$T/s/log")"
URL="http://127.0.0.1:$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/s/log" | tail -n 1)"
console city cq city || flunk "init city: $(first "$T/err")"
{
	echo "id,kind,name"
	echo "cq,commission,市经济信息委"
	echo "cq.center,centre,市工信安全发展中心"
	echo "cq.yubei,district,渝北区"
	echo "cq.jiangbei,district,江北区"
	i=1
	while [ "$i" -le "$ENTERPRISES" ]; do
		echo "$(ent "$i"),ent-industrial,渝北测试企业$i（虚构）"
		i=$((i + 1))
	done
	for i in 1 2 3; do echo "cq.jiangbei.e00$i,ent-utility,江北测试企业$i（虚构）"; done
} >"$T/orgs.csv"
dd city import orgs "$T/orgs.csv" >/dev/null 2>"$T/err" || flunk "import orgs: $(first "$T/err")"
DAY=$(TZ=Asia/Shanghai date -d '2 days ago' +%F)
SLOT="${DAY}T16:00:00+08:00"
dd city period new "测试峰会" --start "$(date -u -d '3 days ago' +%FT%TZ)" --end "$(date -u -d '1 day' +%FT%TZ)" \
	--scope cq.yubei --times 16:00 --grace 30 >"$T/out" 2>"$T/err" || flunk "period new: $(first "$T/err")"
dd city sync --once >"$T/out" 2>"$T/err" || flunk "city sync: $(first "$T/err")"
PERIOD=$(sqlite3 "$T/c/city.db" "SELECT id FROM protection_periods")
is_true "no period in the city's store" test -n "$PERIOD"
end
[ -z "$WHY" ] || finish

begin "$((ENTERPRISES - 1)) enterprises submit at once, each with its own token"
i=1
while [ "$i" -lt "$ENTERPRISES" ]; do
	ent "$i"
	echo
	i=$((i + 1))
done >"$T/reporting"
N=$("$T/zero_forge" "$PERIOD" "$SLOT" "${DAY}T15:00:00+08:00" "$T/batches" <"$T/reporting" 2>"$T/err")
is_true "zero_forge made $N reports: $(first "$T/err")" test "$N" = $((ENTERPRISES - 1))
# One transfer per enterprise; "next" separates them (one after the
# last would be a transfer with no URL, which aborts the others).
sep=
while read -r org; do
	printf '%surl = "%s/v1/events"\nheader = "@%s"\nheader = "Content-Type: application/json"\n' \
		"$sep" "$URL" "$T/tok/$org.h"
	printf 'data-binary = "@%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' "$T/batches/$org.json"
	sep="next
"
done <"$T/reporting" >"$T/curl.conf"
curl -s -Z --parallel-max 50 -K "$T/curl.conf" >"$T/codes" 2>"$T/err"
is_true "$(grep -c '^200$' "$T/codes") of $N answered 200 ($(sort "$T/codes" | uniq -c | tr '\n' ' '))" \
	test "$(grep -c '^200$' "$T/codes")" = "$N"
is_true "the server holds $(sqlite3 "$T/s/d.db" "SELECT count(*) FROM events WHERE kind = 'zero.report'") reports" \
	test "$(sqlite3 "$T/s/d.db" "SELECT count(*) FROM events WHERE kind = 'zero.report'")" = "$N"
end

begin "an enterprise cannot report for another, nor set a period"
printf 'cq.yubei.e%03d\n' "$ENTERPRISES" | "$T/zero_forge" "$PERIOD" "$SLOT" "${DAY}T15:00:00+08:00" "$T" >/dev/null
code=$(curl -s -o "$T/out" -w '%{http_code}' -H "@$T/tok/$(ent 1).h" -H "Content-Type: application/json" \
	--data-binary @"$T/$(ent "$ENTERPRISES").json" "$URL/v1/events")
is_true "another enterprise's report: $code, want 403" test "$code" = 403
grep -q "outside this token's scope" "$T/out" || flunk "no scope reason: $(first "$T/out")"
sqlite3 "$T/s/d.db" "SELECT json FROM events WHERE kind = 'period.set'" |
	sed 's/^/{"events":[/; s/$/]}/' >"$T/period.json"
code=$(curl -s -o "$T/out" -w '%{http_code}' -H "@$T/tok/$(ent 1).h" -H "Content-Type: application/json" \
	--data-binary @"$T/period.json" "$URL/v1/events")
is_true "an enterprise re-sending the period: $code, want 403" test "$code" = 403
is_true "the server stored a report for $(ent "$ENTERPRISES")" \
	test "$(sqlite3 "$T/s/d.db" "SELECT count(*) FROM events WHERE kind = 'zero.report' AND org = '$(ent "$ENTERPRISES")'")" = 0
end

begin "the district office reports late through its console"
console yubei cq.yubei yubei || flunk "init yubei: $(first "$T/err")"
# The period and the district's part of the org tree reach it through
# the server: both are addressed to cq.yubei.
dd yubei sync --once >"$T/out" 2>"$T/err" || flunk "district first sync: $(first "$T/err")"
got=$(sed -n 's/.*received \([0-9]*\).*/\1/p' "$T/out")
is_true "the district received ${got:-nothing}, want the tree, the period and $((ENTERPRISES - 1)) reports" \
	test "${got:-0}" -gt "$((ENTERPRISES - 1))"
dd yubei zero submit --nil --slot "$SLOT" >"$T/out" 2>"$T/err" || flunk "zero submit: $(first "$T/err")"
dd yubei sync --once >"$T/out" 2>"$T/err" || flunk "district sync: $(first "$T/err")"
grep -q "sent 1 new" "$T/out" || flunk "district sent: $(first "$T/out")"
dd city sync --once >"$T/out" 2>"$T/err" || flunk "city sync: $(first "$T/err")"
end

begin "district and city show the same checklist; the silent one is missing"
dd city zero status --json --slot "$SLOT" >"$T/city.json" 2>"$T/err" || flunk "city status: $(first "$T/err")"
dd yubei zero status --json --slot "$SLOT" >"$T/yubei.json" 2>"$T/err" || flunk "district status: $(first "$T/err")"
c=$(json "$T/city.json" '$.counts')
y=$(json "$T/yubei.json" '$.counts')
is_true "counts differ: city $c, district $y" test -n "$c" -a "$c" = "$y"
# The district office and its enterprises; cq.jiangbei's are outside.
want="{\"orgs\":$((ENTERPRISES + 1)),\"reported\":$ENTERPRISES,\"late\":1,\"missing\":1,\"pending\":0}"
is_true "counts $c, want $want" test "$c" = "$want"
states "$T/city.json" >"$T/city.states"
states "$T/yubei.json" >"$T/yubei.states"
is_true "the rows' states differ" cmp -s "$T/city.states" "$T/yubei.states"
is_true "$(ent "$ENTERPRISES") is not missing" grep -qx "$(ent "$ENTERPRISES")=missing" "$T/yubei.states"
is_true "the district office is not late" grep -qx "cq.yubei=late" "$T/yubei.states"
is_true "$(grep -c '=reported$' "$T/city.states") reported on time" \
	test "$(grep -c '=reported$' "$T/city.states")" = $((ENTERPRISES - 1))
dd yubei zero status --slot "$SLOT" >"$T/out" 2>"$T/err" || flunk "text status: $(first "$T/err")"
grep -q "$ENTERPRISES / $((ENTERPRISES + 1)) reported" "$T/out" || flunk "text status: $(first "$T/out")"
end

finish
