#!/bin/sh
# bench/sync.sh — dutydeskd and the console's sync on loopback, side by
# side with taskwarrior's `task sync` to taskd and with the raw SQLite
# insert floor.  A benchmark, not a test: it prints numbers and exits 0
# whatever they are; non-zero only when it cannot run.
#
#   sh bench/sync.sh                 (from the repo root, after make)
#   N=20000 LAT_N=200 sh bench/sync.sh     quicker
#
# What it measures, each on a fresh server:
#   push    one console pushes N (100,000) events of its own chain:
#           `dutydesk sync --once`, wall time (sent, validated for hash
#           chain and scope, stored with synchronous=FULL);
#   latency LAT_N (1,000) entries logged on console A, each waited for
#           in console B's database (both run `dutydesk sync` in the
#           background): p50 and p95 from before `dutydesk log` on A to
#           the event in B's database;
#   ingest  CLIENTS (50) clients at once, each POSTing its own chain in
#           batches of BATCH (10) events: events stored per second;
#   taskd   the same N records as tasks: `task import` (not timed), then
#           `task sync` to a taskd on 127.0.0.1 with its own CA, wall time;
#   floor   N event rows into an SQLite table with a unique id index in
#           one transaction (sqlite3 CLI, synchronous=FULL, WAL), from a
#           staging table loaded beforehand: the least any store can do.
#
# The events come from build/gen-demo, so they are real, sealed and
# chained (gen-demo writes eight desks; each console takes one desk's
# origin and imports that desk's chain as its own unsent entries).
# Everything runs in a mktemp folder, on 127.0.0.1 only; the servers are
# stopped on exit.  Needs sqlite3, curl, and for the taskd part taskd and
# taskwarrior (`make deps`).

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}
DDD=${DUTYDESKD:-$ROOT/dutydeskd}
GEN=$ROOT/build/gen-demo
N=${N:-100000}
LAT_N=${LAT_N:-1000}
CLIENTS=${CLIENTS:-50}
PER_CLIENT=${PER_CLIENT:-400}
BATCH=${BATCH:-10}

for tool in sqlite3 curl; do
	command -v "$tool" >/dev/null || { echo "bench/sync.sh: needs $tool (make deps)" >&2; exit 1; }
done
[ -x "$DD" ] && [ -x "$DDD" ] && [ -x "$GEN" ] || { echo "bench/sync.sh: run make first" >&2; exit 1; }

T=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/dutydesk-bench-sync.XXXXXX") || exit 1
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
mkdir -p "$HOME"
cd "$T" || exit 1

die() { echo "bench/sync.sh: $*" >&2; exit 1; }
now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

# server NAME: a fresh dutydeskd on 127.0.0.1, port chosen by the kernel;
# sets PORT, URL and NAME_pid, and a city token in tok/NAME.
server() {
	mkdir -p "$T/$1" "$T/tok"
	printf 'listen = "127.0.0.1";\nport = 0;\ndatabase = "d.db";\nthreads = %s;\n' "$(nproc)" >"$T/$1/d.conf"
	(umask 077 && "$DDD" --config "$T/$1/d.conf" token add --org cq --role city --name bench >"$T/tok/$1" 2>/dev/null) ||
		die "token add failed"
	"$DDD" --config "$T/$1/d.conf" >"$T/$1/log" 2>&1 &
	eval "${1}_pid=$!"
	PIDS="$PIDS $!"
	i=0
	until grep -q "listening on" "$T/$1/log"; do
		i=$((i + 1))
		[ "$i" -gt 100 ] && die "dutydeskd did not start: $(head -n 1 "$T/$1/log")"
		sleep 0.05
	done
	PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/$1/log" | head -n 1)
	URL="http://127.0.0.1:$PORT"
}
stop() { eval "kill -TERM \$${1}_pid; wait \$${1}_pid"; }

# console NAME SERVER [ORIGIN]: a console of org cq syncing with SERVER.
console() {
	"$DD" --config "$T/$1.conf" --db "$T/$1.db" init --org cq --officer "bench $1" >/dev/null || die "init $1 failed"
	[ -n "$3" ] && sed -i "s/^origin = .*/origin = \"$3\";/" "$T/$1.conf"
	printf 'server = { url = "%s"; token_file = "%s"; };\n' "$URL" "$T/tok/$2" >>"$T/$1.conf"
}

# desk_origin FILE NTH: the origin of the NTH desk in FILE (JSON lines).
desk_origin() { grep -o '"origin":"[^"]*"' "$1" | cut -d'"' -f4 | sort -u | sed -n "${2}p"; }

echo "# bench/sync.sh: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)"
echo "# N=$N LAT_N=$LAT_N CLIENTS=$CLIENTS×$PER_CLIENT events in batches of $BATCH"

# ---- data -------------------------------------------------------------------
# gen-demo spreads --count over eight desks: ask for enough that one desk
# has N, and keep the first N of that desk's chain (a prefix of a chain
# is a valid chain).
echo "# generating events with gen-demo"
"$GEN" --incidents 0 --count $((N * 8 + N / 4)) --days 60 >"$T/gen.jsonl" || die "gen-demo failed"
O1=$(desk_origin "$T/gen.jsonl" 1)
grep "\"origin\":\"$O1\"" "$T/gen.jsonl" | head -n "$N" >"$T/push.jsonl"
rm -f "$T/gen.jsonl"
[ "$(wc -l <"$T/push.jsonl")" = "$N" ] || die "gen-demo gave $(wc -l <"$T/push.jsonl") events of one desk, want $N"

# ---- push N events from one console ------------------------------------------
server sp
console push sp "$O1"
"$DD" --config "$T/push.conf" import "$T/push.jsonl" >/dev/null || die "import failed"
t0=$(now_ns)
"$DD" --config "$T/push.conf" sync --once >"$T/push.out" 2>&1 || die "push failed: $(cat "$T/push.out")"
PUSH_MS=$(ms_since "$t0")
stored=$(sqlite3 "$T/sp/d.db" "SELECT count(*) FROM events")
[ "$stored" = "$N" ] || die "the server stored $stored of $N events"
echo "push:    $N events from one console in $PUSH_MS ms ($(awk -v n="$N" -v ms="$PUSH_MS" 'BEGIN { printf "%.0f", n * 1000 / ms }') events/s)"
stop sp

# ---- propagation A -> B -----------------------------------------------------
server sl
console la sl
console lb sl
OA=$(sed -n 's/^origin = "\(.*\)";/\1/p' "$T/la.conf")
"$DD" --config "$T/la.conf" sync >"$T/la.out" 2>&1 &
PIDS="$PIDS $!"
"$DD" --config "$T/lb.conf" sync >"$T/lb.out" 2>&1 &
PIDS="$PIDS $!"
i=0
until grep -q live "$T/la.out" && grep -q live "$T/lb.out"; do
	i=$((i + 1))
	[ "$i" -gt 100 ] && die "the consoles did not go live"
	sleep 0.05
done
: >"$T/lat"
i=1
while [ "$i" -le "$LAT_N" ]; do
	t0=$(now_ns)
	"$DD" --config "$T/la.conf" log "propagation probe $i" >/dev/null || die "log failed"
	# B's database, read as sqlite3 reads any WAL database: the event is
	# there once B's sync applied it.
	until [ "$(sqlite3 "$T/lb.db" "PRAGMA busy_timeout=1000; SELECT coalesce(max(seq), 0) FROM events WHERE origin = '$OA'" | tail -n 1)" -ge "$i" ]; do
		[ "$(ms_since "$t0")" -gt 10000 ] && die "entry $i not on B within 10 s"
	done
	ms_since "$t0" >>"$T/lat"
	i=$((i + 1))
done
sort -n "$T/lat" >"$T/lat.sorted"
pct() { sed -n "$(((LAT_N * $1 + 99) / 100))p" "$T/lat.sorted"; }
P50=$(pct 50)
P95=$(pct 95)
echo "latency: A to B over $LAT_N entries: p50 $P50 ms, p95 $P95 ms, max $(tail -n 1 "$T/lat.sorted") ms" \
	"(includes ≈ $(head -n 1 "$T/lat.sorted") ms floor of one dutydesk log plus one sqlite3 poll)"
stop sl

# ---- ingest: CLIENTS clients posting small batches at once ---------------------
# Each client is one desk's chain: gen-demo seeds 1, 2, … give eight new
# desks each.  Batches are written beforehand; each client is one curl
# process sending its batches in order over one connection (--next).
server si
seeds=$(((CLIENTS + 7) / 8))
s=1
: >"$T/ingest.jsonl"
while [ "$s" -le "$seeds" ]; do
	"$GEN" --seed "$s" --incidents 0 --count $((PER_CLIENT * 10)) --days 7 >>"$T/ingest.jsonl" || die "gen-demo failed"
	s=$((s + 1))
done
grep -o '"origin":"[^"]*"' "$T/ingest.jsonl" | cut -d'"' -f4 | sort -u | head -n "$CLIENTS" >"$T/origins"
[ "$(wc -l <"$T/origins")" = "$CLIENTS" ] || die "gen-demo gave $(wc -l <"$T/origins") desks, want $CLIENTS"
TOKEN=$(cat "$T/tok/si")
c=0
while read -r o; do
	c=$((c + 1))
	mkdir -p "$T/in/$c"
	grep "\"origin\":\"$o\"" "$T/ingest.jsonl" | head -n "$PER_CLIENT" >"$T/in/$c/chain"
	[ "$(wc -l <"$T/in/$c/chain")" = "$PER_CLIENT" ] || die "desk $o has fewer than $PER_CLIENT events"
	split -l "$BATCH" -d -a 4 "$T/in/$c/chain" "$T/in/$c/b."
	args=
	for f in "$T/in/$c"/b.*; do
		{ printf '{"events":['; paste -sd, "$f"; printf ']}'; } >"$f.json"
		args="$args -s -o /dev/null -w %{http_code}, -H @$T/in/auth --data-binary @$f.json $URL/v1/events --next"
	done
	echo "${args% --next}" >"$T/in/$c/args"
done <"$T/origins"
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$T/in/auth"
t0=$(now_ns)
CURLS=
c=1
while [ "$c" -le "$CLIENTS" ]; do
	# shellcheck disable=SC2046 # the arguments are split on purpose
	curl $(cat "$T/in/$c/args") >"$T/in/$c/codes" 2>&1 &
	CURLS="$CURLS $!"
	c=$((c + 1))
done
for p in $CURLS; do wait "$p"; done
INGEST_MS=$(ms_since "$t0")
# A batch that is not answered 200 (or not at all) counts as failed.
ok=$(cat "$T"/in/*/codes | tr , '\n' | grep -c '^200$')
stored=$(sqlite3 "$T/si/d.db" "SELECT count(*) FROM events")
INGEST_N=$((CLIENTS * PER_CLIENT))
bad=$((INGEST_N / BATCH - ok))
[ "$bad" = 0 ] && [ "$stored" = "$INGEST_N" ] ||
	die "ingest: $bad batches failed, $stored of $INGEST_N stored"
INGEST_RATE=$(awk -v n="$INGEST_N" -v ms="$INGEST_MS" 'BEGIN { printf "%.0f", n * 1000 / ms }')
echo "ingest:  $CLIENTS clients × $PER_CLIENT events in batches of $BATCH ($((INGEST_N / BATCH)) POSTs):" \
	"$INGEST_MS ms, $INGEST_RATE events/s"
stop si

# ---- raw SQLite floor -------------------------------------------------------
# Staging (not timed): the same N events as lines; tabs never occur in
# JSON text, so each line is one field.
sqlite3 "$T/floor.db" "PRAGMA journal_mode=WAL; CREATE TABLE staging(line TEXT);
	CREATE TABLE events(gseq INTEGER PRIMARY KEY, id TEXT NOT NULL, origin TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);
	CREATE UNIQUE INDEX events_id ON events(id);" >/dev/null
sqlite3 -cmd ".mode tabs" "$T/floor.db" ".import $T/push.jsonl staging"
t0=$(now_ns)
sqlite3 "$T/floor.db" "PRAGMA synchronous=FULL; BEGIN;
	INSERT INTO events(id, origin, seq, json)
		SELECT json_extract(line, '\$.id'), json_extract(line, '\$.origin'), json_extract(line, '\$.seq'), line FROM staging;
	COMMIT;" || die "the SQLite floor failed"
FLOOR_MS=$(ms_since "$t0")
[ "$(sqlite3 "$T/floor.db" "SELECT count(*) FROM events")" = "$N" ] || die "the SQLite floor stored too few rows"
echo "floor:   $N rows with a unique id index in one transaction: $FLOOR_MS ms"

# ---- taskd ------------------------------------------------------------------
TASKD_MS=
taskd_bench() {
	command -v taskd >/dev/null || { TASKD_WHY="taskd is not installed (make deps)"; return 1; }
	command -v task >/dev/null || { TASKD_WHY="taskwarrior is not installed (make deps)"; return 1; }
	[ -d /usr/share/taskd/pki ] || { TASKD_WHY="/usr/share/taskd/pki is missing"; return 1; }
	export TASKDDATA="$T/taskd"
	mkdir -p "$TASKDDATA"
	taskd init >/dev/null 2>"$T/taskd.err" || { TASKD_WHY="taskd init: $(head -n 1 "$T/taskd.err")"; return 1; }
	# Its own CA and certificates, made by taskd's pki scripts, for
	# 127.0.0.1; 2048-bit keys keep the set-up short (not timed).
	cp -r /usr/share/taskd/pki "$T/pki"
	sed -i 's/^CN=.*/CN=127.0.0.1/; s/^BITS=.*/BITS=2048/; s/^EXPIRATION_DAYS=.*/EXPIRATION_DAYS=2/' "$T/pki/vars"
	(cd "$T/pki" && ./generate) >"$T/pki.log" 2>&1 || { TASKD_WHY="pki/generate: $(tail -n 1 "$T/pki.log")"; return 1; }
	for f in client.cert client.key server.cert server.key server.crl ca.cert; do
		cp "$T/pki/$f.pem" "$TASKDDATA/" && taskd config --force "$f" "$TASKDDATA/$f.pem" >/dev/null
	done
	# A port the kernel hands out as free, taken from a throw-away listener
	# of dutydeskd (neither tool can tell the other about port 0).
	server sx
	TPORT=$PORT
	stop sx
	taskd config --force server "127.0.0.1:$TPORT" >/dev/null
	taskd config --force log "$T/taskd.log" >/dev/null
	taskd config --force pid.file "$T/taskd.pid" >/dev/null
	# Its default limit is 1 MB a request, and the first sync sends all.
	taskd config --force request.limit 1073741824 >/dev/null
	taskd add org Bench >/dev/null 2>&1
	key=$(taskd add user Bench bench 2>&1 | sed -n 's/^New user key: //p')
	[ -n "$key" ] || { TASKD_WHY="taskd add user gave no key"; return 1; }
	taskd server --data "$TASKDDATA" >"$T/taskd.out" 2>&1 &
	TASKD_PID=$!
	PIDS="$PIDS $TASKD_PID"
	i=0
	until grep -q "Server starting" "$T/taskd.log" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt 100 ] && { TASKD_WHY="taskd did not start: $(tail -n 1 "$T/taskd.log" 2>/dev/null)"; return 1; }
		sleep 0.05
	done
	export TASKRC="$T/taskrc"
	{
		echo "data.location=$T/task"
		echo "confirmation=off"
		echo "verbose=nothing"
		echo "taskd.server=127.0.0.1:$TPORT"
		echo "taskd.credentials=Bench/bench/$key"
		echo "taskd.certificate=$T/pki/client.cert.pem"
		echo "taskd.key=$T/pki/client.key.pem"
		echo "taskd.ca=$T/pki/ca.cert.pem"
		# The CA is checked; the name is not, because taskwarrior 2.6
		# matches only a DNS name, and localhost may resolve to ::1,
		# where this taskd does not listen.
		echo "taskd.trust=ignore hostname"
	} >"$TASKRC"
	mkdir -p "$T/task"
	# The same records: each event's text as a task.
	sed -n 's/.*"text":"\([^"]*\)".*"id":"\([^"]*\)".*/{"description":"\1","status":"pending","entry":"20261124T000000Z","uuid":"\2"}/p' \
		"$T/push.jsonl" >"$T/tasks.json"
	[ "$(wc -l <"$T/tasks.json")" = "$N" ] || { TASKD_WHY="could not turn the events into $N tasks"; return 1; }
	task import "$T/tasks.json" >/dev/null 2>"$T/task.err" || { TASKD_WHY="task import: $(head -n 1 "$T/task.err")"; return 1; }
	t0=$(now_ns)
	task sync >"$T/sync.out" 2>&1 || { TASKD_WHY="task sync: $(tail -n 2 "$T/sync.out" | tr '\n' ' ')"; return 1; }
	TASKD_MS=$(ms_since "$t0")
	TASKD_STORED=$(find "$TASKDDATA/orgs" -name tx.data -exec cat {} + 2>/dev/null | grep -c '^{')
	echo "taskd:   task sync of $N tasks to taskd on 127.0.0.1 (TLS): $TASKD_MS ms; taskd holds $TASKD_STORED task records"
	kill -TERM "$TASKD_PID"
	wait "$TASKD_PID" 2>/dev/null
	return 0
}
taskd_bench || echo "taskd:   not measured: $TASKD_WHY"

# ---- closing note -----------------------------------------------------------
echo
echo "closing note (targets from issue 6):"
echo "  push $N events: $PUSH_MS ms (target ≤ 1000 ms); $(ratio "$PUSH_MS" "$FLOOR_MS")× the raw SQLite floor of $FLOOR_MS ms (target ≤ 3×)"
if [ -n "$TASKD_MS" ]; then
	echo "  task sync / dutydesk push: $(ratio "$TASKD_MS" "$PUSH_MS")× (target ≥ 2×; taskd stores tasks, checks no chain and no scope)"
else
	echo "  task sync: not measured ($TASKD_WHY)"
fi
echo "  propagation A to B: p50 $P50 ms, p95 $P95 ms (target p95 ≤ 200 ms; taskd has no push: a task reaches another client at its next manual sync)"
echo "  ingest: $INGEST_RATE events/s from $CLIENTS clients on $(nproc) CPUs (target ≥ 10,000)"
