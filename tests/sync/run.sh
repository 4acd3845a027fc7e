#!/bin/sh
# tests/sync/run.sh — the sync suite: real dutydeskd servers on 127.0.0.1
# and real consoles (the dutydesk binary, each with its own configuration
# and database) pushing and pulling through them.
#
#   sh tests/sync/run.sh                      (from the repo root)
#
# Covers: consoles converging (same `log list --json`, same projection
# digest from `rebuild`), idempotent re-sends, a forked chain (409,
# nothing stored), 413, write scope (another org, an enterprise
# confirming a tier), read scope (a district does not see another's
# events, but does get what the city and the centre address to it),
# a console pushing only its own origin's events, a pulled event that
# cannot be taken stopping the pull there with its reason, long-poll answering soon after a new event, a console working
# offline and catching up after the server restarts, SIGTERM letting
# requests in flight finish, TLS with a self-signed certificate (and a
# console refusing a certificate it cannot verify), token files,
# malformed requests, an entry on console A reaching console B's screen
# within 1 s, dutydeskd killed with SIGKILL in the middle of eight
# consoles' pushes (restarted on the same database: nothing lost or
# doubled), and a console catching up on a day of entries (1,440) written
# while the server was down.
#
# Every server is started here, on 127.0.0.1 with a port the kernel picks
# (port = 0; the port is read from the server's log), and stopped by the
# EXIT trap; nothing reaches any other address.  Needs curl, openssl and
# sqlite3; the SIGKILL case also build/gen-demo (make all).  Timing is
# asserted only as deadlines ("within N s").
#
# Prints "ok - NAME" or "FAIL - NAME: WHY" per check and, last,
# "N passed, N failed"; exits 1 when any check failed.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}
DDD=${DUTYDESKD:-$ROOT/dutydeskd}

PASSED=0
FAILED=0
PIDS=

T=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-sync.XXXXXX") || {
	echo "cannot create a temporary folder"
	echo "0 passed, 1 failed"
	exit 1
}
cleanup() {
	tmux -L "ddsync$$" kill-server 2>/dev/null
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

. "$ROOT/tests/sync/lib.sh"
cd "$T" || exit 1

# ---- servers ----------------------------------------------------------------

# server_conf NAME [PORT] [TLS]: writes NAME/d.conf (database NAME/d.db).
server_conf() {
	mkdir -p "$T/$1"
	{
		echo "listen = \"127.0.0.1\";"
		echo "port = ${2:-0};"
		echo "database = \"d.db\";"
		echo "threads = 2;"
		[ -n "$3" ] && echo "tls = { cert = \"$T/tls/cert.pem\"; key = \"$T/tls/key.pem\"; };"
	} >"$T/$1/d.conf"
}

# start_server NAME: runs it in the background, waits for "listening",
# sets PORT and NAME_pid.
start_server() {
	: >"$T/$1/log"
	"$DDD" --config "$T/$1/d.conf" >>"$T/$1/log" 2>&1 &
	eval "${1}_pid=$!"
	PIDS="$PIDS $!"
	wait_for 10 grep -q "listening on" "$T/$1/log" || { echo "# $1 did not start: $(first "$T/$1/log")"; return 1; }
	PORT=$(sed -n 's/.*listening on https\{0,1\}:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/$1/log" | tail -n 1)
}

# stop_server NAME: SIGTERM and wait; sets SRV_RC to its exit status.
stop_server() {
	eval "p=\$${1}_pid"
	kill -TERM "$p" 2>/dev/null
	wait "$p"
	SRV_RC=$?
}

# token NAME ORG ROLE: a token for server NAME, in $T/tok/TOKNAME (0600).
token() {
	mkdir -p "$T/tok"
	(umask 077 && "$DDD" --config "$T/$1/d.conf" token add --org "$3" --role "$4" --name "$2" >"$T/tok/$2" 2>"$T/err")
}

# server_count NAME: how many events server NAME stores.
server_count() { sqlite3 "$T/$1/d.db" "SELECT count(*) FROM events"; }

# ---- consoles ---------------------------------------------------------------

# console NAME ORG URL TOKNAME: a console with its config c/NAME.conf.
console() {
	mkdir -p "$T/c"
	"$DD" --config "$T/c/$1.conf" --db "$T/c/$1.db" init --org "$2" --officer "officer $1" >/dev/null 2>"$T/err" || return 1
	printf 'server = { url = "%s"; token_file = "%s"; };\n' "$3" "$T/tok/$4" >>"$T/c/$1.conf"
}
dd() { c=$1; shift; "$DD" --config "$T/c/$c.conf" "$@"; }
run() { c=$1; shift; "$DD" --config "$T/c/$c.conf" "$@" >"$T/out" 2>"$T/err"; RC=$?; }
digest() { dd "$1" rebuild | sed -n 's/.*(sha256 \(.*\))/\1/p'; }

# GET/POST with curl as the server sees any client.
api() {
	tok=$1
	shift
	curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tok/$tok")" "$@" >"$T/code" 2>"$T/err"
	CODE=$(cat "$T/code")
}

URL=

# ---- the tests --------------------------------------------------------------

begin "dutydeskd starts on a free port and answers health"
server_conf s1
token s1 city cq city
token s1 center cq.center center
token s1 yubei cq.yubei district
token s1 fuling cq.fuling district
token s1 ent1 cq.yubei.ent-1 enterprise
start_server s1 || flunk "did not start"
URL="http://127.0.0.1:$PORT"
S1PORT=$PORT
curl -s "$URL/v1/health" >"$T/out"
out_has '"status":"ok"'
is_true "the database holds a token secret" test "$(grep -c "$(cat "$T/tok/city")" "$T/s1/d.db")" = 0
"$DDD" --config "$T/s1/d.conf" token list >"$T/out" 2>"$T/err"
out_has "yubei"
is_true "token list shows a secret" test "$(grep -c 'ddt_' "$T/out")" = 0
end

begin "two consoles that wrote offline converge"
console a cq.center "$URL" center
console b cq "$URL" city
dd a log "A: 接到渝北区经信委来电" >/dev/null
dd a log "A: second" --kind action >/dev/null
dd b log "B: 值班交接" --kind handover >/dev/null
dd b incident new --title "B: PLC 通信异常" --org cq.yubei >/dev/null 2>"$T/err" || flunk "incident new: $(first "$T/err")"
run a sync --once
rc_is 0
run b sync --once
rc_is 0
out_has "received 2"
run a sync --once
rc_is 0
dd a log list --all --json >"$T/a.json"
dd b log list --all --json >"$T/b.json"
is_true "log lists differ" cmp -s "$T/a.json" "$T/b.json"
is_true "A lacks B's entry" grep -q "值班交接" "$T/a.json"
da=$(digest a)
db=$(digest b)
is_true "projection digests differ: $da vs $db" test -n "$da" -a "$da" = "$db"
dd a incident list --all --json >"$T/a.inc"
dd b incident list --all --json >"$T/b.inc"
is_true "incident lists differ" cmp -s "$T/a.inc" "$T/b.inc"
is_true "server holds $(server_count s1) events, want 4" test "$(server_count s1)" = 4
run a sync --status
rc_is 0
out_has "(0 unsent)"
out_has "org cq.center, role center, reads *"
end

begin "re-sending is a no-op"
sqlite3 "$T/c/a.db" "UPDATE sync_cursor SET pushed = 0"
run a sync --once
rc_is 0
out_has "sent 0 new events (2 already there)"
is_true "server count changed" test "$(server_count s1)" = 4
api city -X POST --data-binary @/dev/null "$URL/v1/events"
is_true "an empty body gave $CODE, want 400" test "$CODE" = 400
sqlite3 "$T/s1/d.db" "SELECT json FROM events ORDER BY gseq" | { printf '{"events":['; paste -sd, -; printf ']}'; } >"$T/all.json"
api city -X POST --data-binary @"$T/all.json" "$URL/v1/events"
is_true "re-posting stored events gave $CODE" test "$CODE" = 200
is_true "re-post not all duplicates" grep -q '"accepted":\[\]' "$T/out"
is_true "server count changed" test "$(server_count s1)" = 4
end

begin "a forked chain is 409 and nothing of the batch is stored"
# The same origin as console a, another database: seq 1 again, different.
# init keeps an existing configuration's origin.
cp "$T/c/a.conf" "$T/c/f.conf"
"$DD" --config "$T/c/f.conf" --db "$T/c/f.db" init --org cq.center --officer "officer a" >/dev/null 2>"$T/err" ||
	flunk "init f: $(first "$T/err")"
is_true "f has another origin" test "$(grep origin "$T/c/f.conf")" = "$(grep origin "$T/c/a.conf")"
grep -q "f.db" "$T/c/f.conf" || flunk "f uses another database: $(grep database "$T/c/f.conf")"
dd f log "F: forged history" >/dev/null 2>"$T/err" || flunk "log on f: $(first "$T/err")"
run f sync --once
rc_is 1
err_has "fork"
is_true "server count changed" test "$(server_count s1)" = 4
grep -q "POST /v1/events 409" "$T/s1/log" || flunk "no 409 in the server log"
end

begin "a batch over 1 MiB is 413, declared or chunked"
head -c 1100000 /dev/zero | tr '\0' 'x' >"$T/big"
api city -X POST --data-binary @"$T/big" "$URL/v1/events"
is_true "declared: $CODE, want 413" test "$CODE" = 413
api city -X POST -H "Transfer-Encoding: chunked" --data-binary @"$T/big" "$URL/v1/events"
is_true "chunked: $CODE, want 413" test "$CODE" = 413
grep -q '"error":"too_large"' "$T/out" || flunk "no too_large error"
curl -s "$URL/v1/health" | grep -q ok || flunk "server stopped answering"
end

begin "malformed requests get a clear 4xx and the server keeps serving"
api city -X POST --data-binary '{"events": [' "$URL/v1/events"
is_true "bad JSON: $CODE" test "$CODE" = 400
printf '{"events":["\377"]}' >"$T/bad"
api city -X POST --data-binary @"$T/bad" "$URL/v1/events"
is_true "invalid UTF-8: $CODE" test "$CODE" = 400
api city -X POST --data-binary '{"events":[{"id":"x"}]}' "$URL/v1/events"
is_true "bad event: $CODE" test "$CODE" = 422
grep -q "field" "$T/out" || flunk "no field named in: $(first "$T/out")"
api city "$URL/v1/events?after=-1"
is_true "after=-1: $CODE" test "$CODE" = 400
curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer ddt_0000" "$URL/v1/whoami" >"$T/code"
is_true "bad token: $(cat "$T/code")" test "$(cat "$T/code")" = 401
api city "$URL/v1/nothing"
is_true "unknown path: $CODE" test "$CODE" = 404
for f in "$T"/tok/*; do grep -qF "$(cat "$f")" "$T/s1/log" && flunk "a token reached the log"; done
curl -s "$URL/v1/health" | grep -q ok || flunk "server stopped answering"
end

begin "write scope: an enterprise cannot write another org"
console e cq.fuling.ent-9 "$URL" ent1
dd e log "E: not my org" >/dev/null
run e sync --once
rc_is 1
err_has "outside this token's scope cq.yubei.ent-1"
is_true "server count changed" test "$(server_count s1)" = 4
grep -q "POST /v1/events 403" "$T/s1/log" || flunk "no 403 in the server log"
end

begin "write scope: an enterprise cannot confirm a tier"
console g cq.yubei.ent-1 "$URL" ent1
sed -i 's/role = "officer"/role = "leader"/' "$T/c/g.conf"
grep -q leader "$T/c/g.conf" || flunk "g is not a leader"
id=$(dd g incident new --title "G: 勒索软件" 2>"$T/err") || flunk "incident new: $(first "$T/err")"
id=${id%% *}
dd g incident tier "$id" III --reason "scale" --confirm >/dev/null 2>"$T/err" || flunk "tier: $(first "$T/err")"
run g sync --once
rc_is 1
err_has "may not write incident.tier"
is_true "server count changed" test "$(server_count s1)" = 4
end

begin "write scope: an enterprise writes its own org"
console h cq.yubei.ent-1 "$URL" ent1
dd h log "H: 自查整改完成" >/dev/null
run h sync --once
rc_is 0
is_true "server count $(server_count s1), want 5" test "$(server_count s1)" = 5
end

begin "read scope: a district does not see another district's events"
console y cq.yubei "$URL" yubei
console z cq.fuling "$URL" fuling
dd y log "Y: 渝北 only" >/dev/null
dd z log "Z: 涪陵 only" >/dev/null
run y sync --once
rc_is 0
run z sync --once
rc_is 0
run y sync --once
dd y log list --all >"$T/y.txt"
dd z log list --all >"$T/z.txt"
grep -q "涪陵 only" "$T/y.txt" && flunk "yubei sees fuling's entry"
grep -q "渝北 only" "$T/z.txt" && flunk "fuling sees yubei's entry"
grep -q "自查整改完成" "$T/y.txt" || flunk "yubei does not see its enterprise's entry"
grep -q "B: 值班交接" "$T/y.txt" && flunk "yubei sees the city's entry"
api fuling "$URL/v1/events?after=0"
grep -q "cq.yubei" "$T/out" && flunk "fuling's pull holds a cq.yubei event"
run b sync --once
dd b log list --all >"$T/b.txt"
grep -q "涪陵 only" "$T/b.txt" && grep -q "渝北 only" "$T/b.txt" || flunk "the city does not see both districts"
end

begin "read scope: a district reads what the city and the centre address to it"
# On a server of its own: c6 (the city) issues an advisory to cq.yubei
# and opens an incident for one of its enterprises; m6 (the centre)
# notes the incident.  None of these events is of yubei's subtree, all
# are addressed to it; y6 gets them as parts of c6's and m6's chains
# (the gaps recorded, so verify passes).
server_conf s6
token s6 city6 cq city
token s6 center6 cq.center center
token s6 yubei6 cq.yubei district
token s6 fuling6 cq.fuling district
start_server s6 || flunk "s6 did not start"
U6="http://127.0.0.1:$PORT"
console c6 cq "$U6" city6
console m6 cq.center "$U6" center6
console y6 cq.yubei "$U6" yubei6
dd c6 log "C6: 市经信委值班记录" >/dev/null
dd c6 org load "$ROOT/data/orgs/chongqing.conf" >/dev/null 2>"$T/err" || flunk "org load: $(first "$T/err")"
dd c6 advisory new "关于排查某型PLC漏洞的预警通报" --level orange --action "自查并报告" --deadline "2099-01-01 12:00" \
	--to cq.yubei >/dev/null 2>"$T/err" || flunk "advisory new: $(first "$T/err")"
inc=$(dd c6 incident new --title "渝北某企业 PLC 异常" --org cq.yubei.ent-0122 2>"$T/err") || flunk "incident new: $(first "$T/err")"
inc=${inc%% *}
run c6 sync --once
rc_is 0
run m6 sync --once
rc_is 0
dd m6 incident note "$inc" "市中心：已远程协助研判" >/dev/null 2>"$T/err" || flunk "note: $(first "$T/err")"
run m6 sync --once
rc_is 0
run y6 sync --once
rc_is 0
run y6 advisory list
out_has "关于排查某型PLC漏洞的预警通报"
run y6 incident show "$inc"
out_has "渝北某企业 PLC 异常"
out_has "已远程协助研判"
run y6 verify
rc_is 0
dd y6 log list --all >"$T/y.txt"
grep -q "C6: 市经信委值班记录" "$T/y.txt" && flunk "yubei sees the city's own log entry"
api fuling6 "$U6/v1/events?after=0&limit=1000"
grep -q "预警通报\|PLC 异常\|远程协助" "$T/out" && flunk "fuling's pull holds what was addressed to yubei"
grep -q '"partial":true' "$T/out" || flunk "a district's page is not marked partial"
end

begin "a console pushes only its own origin's events, not those it pulled"
# c6's database, pointed at a fresh server: it holds m6's events by now,
# and sends only its own chain.
run c6 sync --once
rc_is 0
server_conf s7
token s7 city7 cq city
start_server s7 || flunk "s7 did not start"
sed "s|url = \"[^\"]*\"|url = \"http://127.0.0.1:$PORT\"|; s|$T/tok/city6|$T/tok/city7|" "$T/c/c6.conf" >"$T/c/c7.conf"
CORIGIN=$(sed -n 's/^origin = "\(.*\)";/\1/p' "$T/c/c6.conf")
is_true "c6 holds no one else's events" test "$(sqlite3 "$T/c/c6.db" "SELECT count(*) FROM events WHERE origin <> '$CORIGIN'")" -gt 0
run c7 sync --once
rc_is 0
is_true "s7 holds another origin's events" test "$(sqlite3 "$T/s7/d.db" "SELECT count(*) FROM events WHERE origin <> '$CORIGIN'")" = 0
is_true "s7 lacks some of c6's events" \
	test "$(server_count s7)" = "$(sqlite3 "$T/c/c6.db" "SELECT count(*) FROM events WHERE origin = '$CORIGIN'")"
stop_server s7
end

begin "a pulled event the console cannot take stops the pull there, with the reason"
# x6 holds, under another origin, an event with the id of m6's note:
# taking the note would give one id to two events.  The pull stops with
# the reason, the cursor stays, and nothing of the page is taken.
console x6 cq "$U6" city6
MID=$(sqlite3 "$T/c/m6.db" "SELECT id FROM events WHERE kind = 'incident.note'")
sqlite3 "$T/c/m6.db" ".mode insert events" "SELECT id, '01a21600-0000-7000-8000-000000000000', 1, hlc, at, actor, org,
	kind, subject, drill, body, prev, hash FROM events WHERE id = '$MID'" | sqlite3 "$T/c/x6.db" 2>"$T/err" ||
	flunk "could not plant the event: $(first "$T/err")"
run x6 sync --once
rc_is 1
err_has "$MID"
err_has "another event stored here has its id"
# Earlier pages may have been taken; nothing from the note on.
NOTE_GSEQ=$(sqlite3 "$T/s6/d.db" "SELECT gseq FROM events WHERE id = '$MID'")
is_true "x6's pull cursor passed the note" \
	test "$(sqlite3 "$T/c/x6.db" "SELECT coalesce(max(pulled), 0) FROM sync_cursor")" -lt "$NOTE_GSEQ"
is_true "x6 took events from the note on" test "$(sqlite3 "$T/c/x6.db" "ATTACH '$T/s6/d.db' AS s;
	SELECT count(*) FROM events WHERE id IN (SELECT id FROM s.events WHERE gseq >= $NOTE_GSEQ)")" = 1
stop_server s6
end

begin "long-poll answers within a deadline of a new event"
api city "$URL/v1/events?after=0&limit=1000"
last=$(sed -n 's/.*"last":\([0-9]*\)}$/\1/p' "$T/out")
curl -s -o "$T/poll" -H "Authorization: Bearer $(cat "$T/tok/city")" "$URL/v1/events?after=$last&wait=20" &
poll=$!
sleep 0.5
kill -0 "$poll" 2>/dev/null || flunk "the long-poll answered before any event"
dd a log "A: wakes the poll" >/dev/null
dd a sync --once >/dev/null
wait_for 2 sh -c "! kill -0 $poll" || flunk "no answer within 2 s of the push"
wait "$poll"
grep -q "wakes the poll" "$T/poll" || flunk "the answer lacks the event: $(first "$T/poll")"
end

begin "a console's background sync shows another's entry within a deadline"
"$DD" --config "$T/c/b.conf" sync >"$T/bsync" 2>&1 &
bs=$!
PIDS="$PIDS $bs"
wait_for 5 grep -q "live" "$T/bsync" || flunk "b never live: $(first "$T/bsync")"
dd a log "A: seen by b's background sync" >/dev/null
dd a sync --once >/dev/null
wait_for 3 sh -c "'$DD' --config '$T/c/b.conf' log list --all | grep -q 'seen by b'" || flunk "not on b within 3 s"
kill -TERM "$bs"
wait "$bs"
bsrc=$?
is_true "b's sync exited $bsrc on SIGTERM" test "$bsrc" = 0
end

# The full-screen console of b, in a private tmux server.
SOCK=ddsync$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
screen_has() { tm capture-pane -p -t t 2>/dev/null | grep -qF -- "$1"; }
top_has() { tm capture-pane -p -t t 2>/dev/null | head -n 1 | grep -qF -- "$1"; }

begin "the console's top bar says live and its log shows another console's entry"
if command -v tmux >/dev/null; then
	tm new-session -d -s t -x 120 -y 30 "'$DD' --config '$T/c/b.conf'; sleep 600"
	PIDS="$PIDS $(tm display-message -p -t t '#{pane_pid}' 2>/dev/null)"
	wait_for 5 top_has "live" || flunk "top bar: $(tm capture-pane -p -t t | head -n 1)"
	dd a log "A: on b's screen" >/dev/null
	dd a sync --once >/dev/null
	wait_for 3 screen_has "on b's screen" || flunk "not on b's screen within 3 s"
	dd b log "B: unsent while b's console syncs" >/dev/null
	wait_for 3 sh -c "'$DD' --config '$T/c/a.conf' sync --once >/dev/null && '$DD' --config '$T/c/a.conf' log list --all | grep -q 'B: unsent'" ||
		flunk "b's console did not push an entry made by another process"
else
	flunk "tmux is not installed"
fi
end

begin "a console works offline and catches up after the server restarts"
stop_server s1
is_true "server exit $SRV_RC" test "$SRV_RC" = 0
if command -v tmux >/dev/null; then
	wait_for 5 top_has "offline since" || flunk "b's top bar: $(tm capture-pane -p -t t | head -n 1)"
fi
"$DD" --config "$T/c/a.conf" sync >"$T/async" 2>&1 &
as=$!
PIDS="$PIDS $as"
for i in 1 2 3 4 5; do dd a log "A: offline entry $i" >/dev/null || flunk "log $i failed offline"; done
run a sync --once
rc_is 1
wait_for 5 grep -q "offline" "$T/async" || flunk "a's background sync never said offline: $(first "$T/async")"
server_conf s1 "$S1PORT"
start_server s1 || flunk "did not restart"
wait_for 15 sh -c "grep -q 'live, 0 unsent' '$T/async' && test \$(sqlite3 '$T/s1/d.db' \"SELECT count(*) FROM events WHERE json LIKE '%offline entry%'\") = 5" ||
	flunk "a did not catch up within 15 s: $(tail -n 1 "$T/async")"
kill -TERM "$as"
wait "$as"
if command -v tmux >/dev/null; then
	wait_for 15 top_has "live" || flunk "b's top bar after the restart: $(tm capture-pane -p -t t | head -n 1)"
	tm send-keys -t t ':' 'q' Enter
	sleep 0.3
	tm kill-server 2>/dev/null
fi
run b sync --once
rc_is 0
dd b log list --all >"$T/b.txt"
is_true "b lacks a's offline entries" test "$(grep -c 'offline entry' "$T/b.txt")" = 5
dd a log list --all --json >"$T/a.json"
dd b log list --all --json >"$T/b.json"
cmp -s "$T/a.json" "$T/b.json" || { run a sync --once; dd a log list --all --json >"$T/a.json"; }
is_true "a and b differ" cmp -s "$T/a.json" "$T/b.json"
is_true "digests differ" test "$(digest a)" = "$(digest b)"
end

begin "SIGTERM lets a waiting pull and an upload in flight finish"
# A second server and a batch of about 200 KB sent at 50 KB/s.
server_conf s2
token s2 city2 cq city
start_server s2 || flunk "s2 did not start"
U2="http://127.0.0.1:$PORT"
big=$(printf '%5000s' | sed 's/ /长/g')
for i in 1 2 3 4 5 6 7 8; do dd a log "$big $i" >/dev/null; done
dd a sync --once >/dev/null
sqlite3 "$T/s1/d.db" "SELECT json FROM events ORDER BY gseq" | { printf '{"events":['; paste -sd, -; printf ']}'; } >"$T/all.json"
want=$(server_count s1)
curl -s -o "$T/up" -w '%{http_code}' --limit-rate 50K -H "Authorization: Bearer $(cat "$T/tok/city2")" \
	--data-binary @"$T/all.json" "$U2/v1/events" >"$T/upcode" &
up=$!
curl -s -o "$T/poll" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tok/city2")" \
	"$U2/v1/events?after=100000&wait=20" >"$T/pollcode" &
poll=$!
sleep 1
stop_server s2
wait "$up"
wait "$poll"
is_true "server exit $SRV_RC" test "$SRV_RC" = 0
is_true "upload answered $(cat "$T/upcode") ($(first "$T/up"))" test "$(cat "$T/upcode")" = 200
is_true "pull answered $(cat "$T/pollcode")" test "$(cat "$T/pollcode")" = 200
is_true "s2 stored $(server_count s2) of $want" test "$(server_count s2)" = "$want"
grep -q "finishing" "$T/s2/log" || flunk "the drain was not logged"
end

begin "a token file others can read is refused"
console m cq "$URL" city
cp "$T/tok/city" "$T/tok/open"
chmod 644 "$T/tok/open"
sed -i "s|$T/tok/city|$T/tok/open|" "$T/c/m.conf"
run m sync --once
rc_is 2
err_has "chmod 600"
end

begin "TLS: a console trusting the certificate syncs; others refuse it"
mkdir -p "$T/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$T/tls/key.pem" -out "$T/tls/cert.pem" >/dev/null 2>&1 ||
	flunk "openssl could not make a certificate"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$T/tls/other.key" -out "$T/tls/other.pem" >/dev/null 2>&1
server_conf s3 0 tls
token s3 tls cq city
start_server s3 || flunk "s3 did not start: $(first "$T/s3/log")"
U3="https://127.0.0.1:$PORT"
grep -q "listening on https://" "$T/s3/log" || flunk "not https"
console t cq "$U3" tls
sed -i "s|token_file = |ca_file = \"$T/tls/cert.pem\"; token_file = |" "$T/c/t.conf"
dd t log "T: over TLS" >/dev/null
run t sync --once
rc_is 0
is_true "s3 stored $(server_count s3)" test "$(server_count s3)" = 1
console u cq "$U3" tls
dd u log "U: unknown CA" >/dev/null
run u sync --once
rc_is 1
grep -qi "certificate" "$T/err" || flunk "no certificate error: $(first "$T/err")"
console v cq "$U3" tls
sed -i "s|token_file = |ca_file = \"$T/tls/other.pem\"; token_file = |" "$T/c/v.conf"
run v sync --once
rc_is 1
grep -qi "certificate" "$T/err" || flunk "wrong CA accepted: $(first "$T/err")"
is_true "s3 stored $(server_count s3)" test "$(server_count s3)" = 1
curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/health" && flunk "plain http answered on the TLS port"
stop_server s3
end

begin "revoked tokens are refused"
"$DDD" --config "$T/s1/d.conf" token revoke fuling >"$T/out" 2>"$T/err"
out_has "revoked 1 token"
api fuling "$URL/v1/whoami"
is_true "revoked token: $CODE ($(tail -n 3 "$T/s1/log" | tr '\n' ' '))" test "$CODE" = 401
grep -q "revoked" "$T/out" || flunk "no reason: $(first "$T/out")"
end

# A deadline in milliseconds, measured from START_NS (date +%s%N): runs
# CMD until it succeeds; sets ELAPSED_MS either way.
within_ms() {
	ms=$1
	shift
	while :; do
		if "$@" 2>/dev/null; then
			ELAPSED_MS=$((($(date +%s%N) - START_NS) / 1000000))
			[ "$ELAPSED_MS" -le "$ms" ]
			return
		fi
		ELAPSED_MS=$((($(date +%s%N) - START_NS) / 1000000))
		[ "$ELAPSED_MS" -gt "$ms" ] && return 1
		sleep 0.02
	done
}

begin "an entry logged on console A is on console B's screen within 1 s"
# A fresh server, A syncing in the background as a desk does, B's
# full-screen console in tmux; the clock runs from just before the
# `dutydesk log` on A to the entry being on B's screen.
server_conf s4
token s4 city4 cq city
token s4 center4 cq.center center
start_server s4 || flunk "s4 did not start"
U4="http://127.0.0.1:$PORT"
console pa cq.center "$U4" center4
console pb cq "$U4" city4
"$DD" --config "$T/c/pa.conf" sync >"$T/pasync" 2>&1 &
pas=$!
PIDS="$PIDS $pas"
wait_for 5 grep -q "live" "$T/pasync" || flunk "a never live: $(first "$T/pasync")"
if command -v tmux >/dev/null; then
	tm new-session -d -s t -x 120 -y 30 "'$DD' --config '$T/c/pb.conf'; sleep 600"
	PIDS="$PIDS $(tm display-message -p -t t '#{pane_pid}' 2>/dev/null)"
	wait_for 5 top_has "live" || flunk "b's top bar: $(tm capture-pane -p -t t | head -n 1)"
	worst=0
	for i in 1 2 3 4 5; do
		START_NS=$(date +%s%N)
		dd pa log "A to B, entry $i" >/dev/null
		within_ms 1000 screen_has "A to B, entry $i" || flunk "entry $i not on b's screen within 1 s ($ELAPSED_MS ms)"
		[ "$ELAPSED_MS" -gt "$worst" ] && worst=$ELAPSED_MS
	done
	echo "# A to B on screen: worst of 5 was $worst ms"
	tm kill-server 2>/dev/null
else
	flunk "tmux is not installed"
fi
kill -TERM "$pas"
wait "$pas"
stop_server s4
end

begin "dutydeskd killed with SIGKILL in the middle of a push: nothing lost or doubled"
# Eight consoles, one per desk of gen-demo's record (each console takes
# a desk's origin and imports that desk's chain as its own unsent
# entries), push about 2,000 events each at once; the server is killed
# as soon as the first ones are stored, then restarted on the same
# database and port.
server_conf s5
token s5 city5 cq city
start_server s5 || flunk "s5 did not start"
S5PORT=$PORT
U5="http://127.0.0.1:$PORT"
"$ROOT/build/gen-demo" --incidents 0 --count 16000 --days 2 >"$T/gen.jsonl" 2>"$T/err" || flunk "gen-demo: $(first "$T/err")"
DESKS=$(grep -o '"origin":"[^"]*"' "$T/gen.jsonl" | cut -d'"' -f4 | sort -u)
k=0
for o in $DESKS; do
	k=$((k + 1))
	console "k$k" cq "$U5" city5 || flunk "console k$k: $(first "$T/err")"
	sed -i "s/^origin = .*/origin = \"$o\";/" "$T/c/k$k.conf"
	grep "\"origin\":\"$o\"" "$T/gen.jsonl" | dd "k$k" import - >/dev/null 2>"$T/err" || flunk "import k$k: $(first "$T/err")"
done
is_true "gen-demo wrote $k desks, want 8" test "$k" = 8
PUSHERS=
for i in $(seq "$k"); do
	"$DD" --config "$T/c/k$i.conf" sync --once >/dev/null 2>&1 &
	PUSHERS="$PUSHERS $!"
done
# sqlite3 reads the WAL database while the server writes it.
wait_for 10 sh -c "test \$(sqlite3 '$T/s5/d.db' 'PRAGMA busy_timeout=1000; SELECT count(*) FROM events' | tail -n 1) -gt 0" ||
	flunk "nothing stored within 10 s"
kill -KILL "$s5_pid"
wait "$s5_pid" 2>/dev/null
at_kill=$(server_count s5)
for p in $PUSHERS; do wait "$p"; done
echo "# killed with $at_kill of 16000 events stored"
is_true "the kill came after the push ($at_kill stored)" test "$at_kill" -lt 16000
server_conf s5 "$S5PORT"
start_server s5 || flunk "s5 did not restart"
# Two rounds: every console pushes what the kill cut off, then pulls
# what the others pushed.
for round in 1 2; do
	for i in $(seq "$k"); do
		run "k$i" sync --once
		[ "$round" = 2 ] && rc_is 0
	done
done
is_true "server holds $(server_count s5) events, want 16000" test "$(server_count s5)" = 16000
is_true "server holds a doubled id" test "$(sqlite3 "$T/s5/d.db" 'SELECT count(DISTINCT id) FROM events')" = 16000
dd k1 log list --all --json >"$T/k1.json"
for i in $(seq "$k"); do
	run "k$i" verify
	rc_is 0
	out_has "ok: 16000 events"
	dd "k$i" log list --all --json >"$T/k.json"
	cmp -s "$T/k1.json" "$T/k.json" || flunk "k1 and k$i differ"
	run "k$i" sync --status
	out_has "(0 unsent)"
done
is_true "k1 lists $(grep -o '"id":' "$T/k1.json" | wc -l) entries" test "$(grep -o '"id":' "$T/k1.json" | wc -l)" -ge 16000
end

begin "a console offline for a day of entries catches up after the server returns"
# 1,440 entries, one a minute for a day, written with the server down
# while the console's background sync keeps retrying.
token s5 day cq.center center
console day cq.center "$U5" day
"$DD" --config "$T/c/day.conf" sync >"$T/daysync" 2>&1 &
ds=$!
PIDS="$PIDS $ds"
wait_for 5 grep -q "live" "$T/daysync" || flunk "never live: $(first "$T/daysync")"
stop_server s5
wait_for 10 grep -q "offline" "$T/daysync" || flunk "never said offline: $(tail -n 1 "$T/daysync")"
i=1
while [ "$i" -le 1440 ]; do
	dd day log "day entry $i" >/dev/null || { flunk "log $i failed offline"; break; }
	i=$((i + 1))
done
run day sync --status
out_has "(1440 unsent)"
server_conf s5 "$S5PORT"
start_server s5 || flunk "s5 did not restart"
wait_for 30 sh -c "grep -q 'live, 0 unsent' '$T/daysync' && test \$(sqlite3 '$T/s5/d.db' \"SELECT count(*) FROM events WHERE json LIKE '%day entry %'\") = 1440" ||
	flunk "did not catch up within 30 s: $(tail -n 1 "$T/daysync")"
kill -TERM "$ds"
wait "$ds"
run k1 sync --once
rc_is 0
dd k1 log list --all >"$T/k1.txt"
is_true "k1 has $(grep -c 'day entry' "$T/k1.txt") of the day's entries" test "$(grep -c 'day entry' "$T/k1.txt")" = 1440
run day verify
rc_is 0
is_true "server holds a doubled id" test "$(sqlite3 "$T/s5/d.db" 'SELECT count(DISTINCT id) FROM events')" = "$(server_count s5)"
stop_server s5
end

begin "a drill run from one console appears on another with the DRILL banner"
# dc, a city desk, coordinates with a scenario over orgs it keeps itself;
# a (the centre) only syncs.
token s1 city2 cq city
console dc cq "$URL" city2
for o in "cq --kind commission --name 市经济信息委" "cq.banan --kind district --name 巴南区 --parent cq"; do
	# shellcheck disable=SC2086
	dd dc org set $o >/dev/null 2>"$T/err" || flunk "org set: $(first "$T/err")"
done
dd dc org set cq.banan.ent-77 --kind ent-utility --name 某水厂（虚构） --parent cq.banan >/dev/null 2>"$T/err" ||
	flunk "org set: $(first "$T/err")"
cat >"$T/water.conf" <<'SCENARIO'
name = "巴南区某水厂PLC勒索演练";
description = "同步测试用的最小想定";
tier = "III";
orgs = [ "cq.banan", "cq.banan.ent-77" ];
injects = (
  { id = "call"; at = "T+00:00"; kind = "call"; org = "cq.banan.ent-77"; text = "水厂来电：工程师站出现勒索信息";
    expect = { action = "open"; within = "10:00"; }; },
  { id = "ransom"; at = "T+05:00"; kind = "incident"; org = "cq.banan.ent-77"; category = "malware";
    text = "某水厂PLC控制网络遭勒索病毒"; expect = { action = "tier"; within = "15:00"; }; }
);
SCENARIO
DUTYDESK_TEST_NOW=2099-01-01T00:00:00+08:00 "$DD" --config "$T/c/dc.conf" drill run "$T/water.conf" --speed 60 --keep \
	>"$T/out" 2>"$T/err"
RC=$?
rc_is 0
out_has "every inject fired"
run dc sync --once
rc_is 0
run a sync --once
rc_is 0
run a drill status
rc_is 0
out_has "巴南区某水厂PLC勒索演练"
is_true "a does not see 2 fired injects" test "$(grep -c ' fired ' "$T/out")" = 2
# A district taking part reads the run: it is addressed to its orgs.
token s1 banan cq.banan district
console bn cq.banan "$URL" banan
run bn sync --once
rc_is 0
run bn drill status
rc_is 0
out_has "巴南区某水厂PLC勒索演练"
run a incident list --drill
out_has "[DRILL] 某水厂PLC控制网络遭勒索病毒"
run a incident list
is_true "the drill incident is in a's real queue" test "$(grep -c '某水厂PLC' "$T/out")" = 0
printf ':save-display %s\n' "$T/drillscreen.txt" >"$T/drill.keys"
(cd "$T" && DUTYDESK_TEST_SCREEN=200x30 DUTYDESK_TEST_KEYS="$T/drill.keys" "$DD" --config "$T/c/a.conf") >"$T/out" 2>"$T/err" ||
	flunk "a's console: $(first "$T/err")"
is_true "a's top bar lacks the DRILL banner: $(head -n 1 "$T/drillscreen.txt")" \
	grep -q "DRILL: 巴南区某水厂PLC勒索演练" "$T/drillscreen.txt"
run dc drill stop
rc_is 0
run dc sync --once
run a sync --once
run a drill status
is_true "a still has the drill running after the stop" test "$RC" != 0
run bn sync --once
run bn drill status
is_true "the district still has the drill running after the stop" test "$RC" != 0
dd a drill report last --format json >"$T/a.rep" 2>&1
dd dc drill report last --format json >"$T/dc.rep" 2>&1
is_true "the two consoles' reports differ" cmp -s "$T/a.rep" "$T/dc.rep"
is_true "a's report lacks the drill" grep -q '"injects_total": 2' "$T/a.rep"
end

begin "a handover submitted on one console is accepted on another and both agree"
token s1 centre-h1 cq.center center
token s1 centre-h2 cq.center center
console h1 cq.center "$URL" centre-h1
console h2 cq.center "$URL" centre-h2
run h1 handover submit --notes "渝北区来电待回复"
rc_is 0
run h1 sync --once
rc_is 0
run h2 sync --once
rc_is 0
run h2 handover show
rc_is 0
out_has "State: submitted by officer h1"
out_has "渝北区来电待回复"
run h2 handover accept --objection 未附处置记录
rc_is 0
run h2 sync --once
rc_is 0
run h1 sync --once
rc_is 0
run h1 handover accept
rc_is 2
err_has "already accepted by officer h2"
run h1 handover show --json
out_has '"incoming": "officer h2"'
out_has '"objection": "未附处置记录"'
d1=$(digest h1)
d2=$(digest h2)
is_true "projection digests differ: $d1 vs $d2" test -n "$d1" -a "$d1" = "$d2"
end

stop_server s1

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
