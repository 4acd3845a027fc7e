#!/bin/sh
# tests/notify/run.sh — the console's alerts on a real D-Bus session bus:
# a private bus (dbus-run-session), a notification server the test starts
# (notifyd.c, which logs every Notify call with its urgency hint), and the
# real console in a private tmux server; then the same console with no
# bus, and with a bus but no notification server.
#
#   sh tests/notify/run.sh            (from the repo root; part of make check)
#
# Waiting is "poll until it shows, up to a deadline", never a fixed sleep.
# The last line printed is "N passed, N failed"; the exit status is 1
# when a case failed.

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}

# Everything below runs on its own session bus, which ends with it.
if [ -z "$DD_NOTIFY_SESSION" ]; then
	command -v dbus-run-session >/dev/null || {
		echo "dbus-run-session is not installed (make deps)"
		echo "0 passed, 1 failed"
		exit 1
	}
	DD_NOTIFY_SESSION=1 exec dbus-run-session -- sh "$0" "$@"
fi

PASSED=0
FAILED=0
SOCK=ddnotify$$
T=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-notify.XXXXXX") || {
	echo "cannot create a temporary folder"
	echo "0 passed, 1 failed"
	exit 1
}
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
SERVER=
cleanup() {
	tm kill-server 2>/dev/null
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

unset LC_ALL LC_CTYPE LC_MESSAGES LANGUAGE NO_COLOR DUTYDESK_TEST_SCREEN TMUX DISPLAY
export LANG=C.UTF-8 HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share"
mkdir -p "$HOME"

[ -x "$DD" ] || { echo "no $DD; run make first"; echo "0 passed, 1 failed"; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed"; echo "0 passed, 1 failed"; exit 1; }
${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror -D_GNU_SOURCE $(pkg-config --cflags gio-2.0 2>/dev/null) \
	-o "$T/notifyd" "$HERE/notifyd.c" $(pkg-config --libs gio-2.0 2>/dev/null) >"$T/cc.log" 2>&1 || {
	echo "cannot build the test notification server (libglib2.0-dev; make deps):"
	sed 's/^/    /' "$T/cc.log"
	echo "0 passed, 1 failed"
	exit 1
}

# ---- helpers ---------------------------------------------------------------

CASE=
fail() {
	echo "FAIL - $CASE: $*"
	echo "    screen:"
	screen | sed 's/^/    | /'
	echo "    notifications:"
	sed 's/^/    | /' "$LOG" 2>/dev/null
	FAILED=$((FAILED + 1))
}
pass() {
	echo "ok - $CASE"
	PASSED=$((PASSED + 1))
}

fresh() {
	CONF=$T/$1/dutydesk.conf
	mkdir -p "$T/$1"
	"$DD" --config "$CONF" --db "$T/$1/dutydesk.db" init --org cq.center --officer 张伟 >/dev/null
}
dutydesk() { "$DD" --config "$CONF" "$@"; }

# start [VAR=VALUE...]: the console in a new tmux session at 100x30.
start() {
	tm kill-session -t t 2>/dev/null
	tm new-session -d -s t -x 100 -y 30 "env $* \"$DD\" --config \"$CONF\"; echo \"[exited \$?]\"; sleep 600"
	tm set-option -t t status off >/dev/null
	wait_for 'Help' 5
}

screen() { tm capture-pane -p -t t 2>/dev/null; }
keys() { tm send-keys -t t "$@"; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# until_true SECONDS COMMAND...: polls COMMAND until it succeeds.
until_true() {
	end=$(($(now_ms) + $1 * 1000))
	shift
	while [ "$(now_ms)" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
shows() { screen | grep -qF -- "$1"; }
wait_for() { until_true "$2" shows "$1"; }
logged() { grep -qF -- "$1" "$LOG" 2>/dev/null; }

# The urgency of the first notification whose summary holds TEXT.
urgency_of() {
	grep -F -- "summary=" "$LOG" | grep -F -- "$1" | head -n 1 | sed -n 's/^urgency=\([0-9]*\).*/\1/p'
}

# ---- on a session bus with a notification server --------------------------

LOG=$T/notifications.log
: >"$LOG"
"$T/notifyd" "$LOG" >"$T/notifyd.out" 2>&1 &
SERVER=$!
until_true 5 grep -q ready "$T/notifyd.out" || {
	echo "the test notification server did not start:"
	sed 's/^/    /' "$T/notifyd.out"
	echo "0 passed, 1 failed"
	exit 1
}

CASE="an arriving incident is a desktop notification, urgency normal"
fresh bus
start
a=$(dutydesk incident new --title "critical at the plant" --category intrusion --org cq.yubei.ent-0042 | cut -d' ' -f1)
if ! until_true 3 logged "critical at the plant"; then fail "no Notify call for the new incident"
elif [ "$(urgency_of "critical at the plant")" != 1 ]; then fail "urgency $(urgency_of "critical at the plant"), not 1"
elif ! grep -F "critical at the plant" "$LOG" | grep -q "app=dutydesk"; then fail "not sent as dutydesk"
else pass; fi

CASE="raised to 特别重大: urgency critical (2), bell and top-bar flash"
dutydesk incident tier "$a" I --reason "两条产线停产" >/dev/null
if ! until_true 3 logged "特别重大: critical at the plant"; then fail "no Notify call for the raised tier"
elif [ "$(urgency_of "特别重大: critical at the plant")" != 2 ]; then
	fail "urgency $(urgency_of "特别重大: critical at the plant"), not 2"
elif ! screen | sed -n 1p | grep -q "⚠ .*特别重大"; then fail "the top bar does not flash the alert"
else pass; fi

CASE="raised to 一般: urgency normal (1)"
b=$(dutydesk incident new --title "a general one" --category other | cut -d' ' -f1)
dutydesk incident tier "$b" IV --reason "单台主机" >/dev/null
if ! until_true 3 logged "一般: a general one"; then fail "no Notify call for the raised tier"
elif [ "$(urgency_of "一般: a general one")" != 1 ]; then fail "urgency $(urgency_of "一般: a general one"), not 1"
else pass; fi

CASE="each incident and event notifies once"
dutydesk incident note "$a" "a note changes no tier" >/dev/null
dutydesk incident tier "$a" I --reason "proposed again" >/dev/null
dutydesk incident new --title "the last one" --category other >/dev/null
# The console handles changes in order: once the last one is notified,
# the note and the repeated tier have been seen too.
if ! until_true 3 logged "the last one"; then fail "no Notify call for the last incident"
elif [ "$(grep -c "特别重大: critical at the plant" "$LOG")" != 1 ]; then fail "the raise was notified again"
elif [ "$(grep -c "summary=.*critical at the plant" "$LOG")" != 2 ]; then fail "not one arrival and one raise"
elif ! shows "Log"; then fail "the console is gone"
else pass; fi

CASE="a change made in this console alerts nobody"
keys 2
wait_for "a general one" 2
keys j Enter
wait_for "Incident #" 2
keys p
wait_for "Propose tier" 2
keys C-u
tm send-keys -t t -l "II"
keys Enter
wait_for "Why" 2
tm send-keys -t t -l "扩大到三条产线"
keys Enter
if ! wait_for "Tier 重大 proposed." 3; then fail "the tier was not proposed from the console"
else
	dutydesk incident new --title "after the own change" --category other >/dev/null
	if ! until_true 3 logged "after the own change"; then fail "no Notify call after the own change"
	elif logged "重大: a general one"; then fail "the officer was alerted to their own change"
	else pass; fi
fi
tm kill-session -t t 2>/dev/null

CASE="a handover not accepted in time alerts once, urgency critical, and the top bar says so"
tm kill-session -t t 2>/dev/null
fresh handover
"$DD" --config "$T/handover/out.conf" --db "$T/handover/dutydesk.db" init --org cq.center --officer 值班员甲 >/dev/null
# Submitted two days ago: its shift ended yesterday, 30 minutes are long past.
TZ=Asia/Shanghai faketime -f "@$(TZ=Asia/Shanghai date -d '-2 day' '+%Y-%m-%d %H:%M:%S')" \
	"$DD" --config "$T/handover/out.conf" handover submit --notes "渝北区来电待回复" >/dev/null
start
if ! until_true 3 logged "Handover of 值班员甲 not accepted"; then fail "no Notify call for the overdue handover"
elif [ "$(urgency_of "Handover of 值班员甲")" != 2 ]; then fail "urgency $(urgency_of "Handover of 值班员甲"), not 2"
elif ! wait_for "Handover overdue: 值班员甲" 2; then fail "the top bar does not say the handover is overdue"
else
	dutydesk incident new --title "after the handover alert" --category other >/dev/null
	if ! until_true 3 logged "after the handover alert"; then fail "no Notify call for the incident after it"
	elif [ "$(grep -c "summary=Handover of 值班员甲" "$LOG")" != 1 ]; then fail "the overdue handover was notified again"
	else pass; fi
fi
tm kill-session -t t 2>/dev/null

CASE="a backlog of overdue drill incidents is one notification marked DRILL, a mixed one says how many are drill"
fresh burst
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
# A drill running (its test clock stopped at its start: only the first
# inject fired, an incident not yet due), and five drill incidents of it
# that are overdue.
env DUTYDESK_TEST_NOW="$(date -d "-3 hours" +%Y-%m-%dT%H:%M:%S%:z)" "$DD" --config "$CONF" \
	drill run --keep "$ROOT/data/drills/major-incident-eight-bodies.conf" >"$T/drill.out" 2>&1
for n in 1 2 3 4 5; do
	dutydesk --drill incident new --title "演练事件 $n" --category other --detected -2h >/dev/null
done
drills=$(dutydesk incident list --drill | grep DRILL | grep -c OVERDUE)
start
if ! until_true 3 logged "$drills drill incidents need attention"; then fail "no single drill notification for the backlog"
elif ! grep -F "summary=" "$LOG" | grep -F "$drills drill incidents" | grep -qF "[DRILL]"; then fail "the backlog is not marked DRILL"
elif grep -F "summary=" "$LOG" | grep -qF "演练事件"; then fail "drill incidents were notified one by one"
else
	tm kill-session -t t 2>/dev/null
	dutydesk incident new --title "real and overdue" --category other --detected -2h >/dev/null
	start
	if ! until_true 3 logged "$((drills + 1)) incidents need attention ([DRILL] $drills of them drill)"; then
		fail "the mixed backlog does not say how many are drill"
	else
		# Once the drill is over its incidents alert no more.
		tm kill-session -t t 2>/dev/null
		dutydesk drill stop >/dev/null
		: >"$LOG"
		dutydesk incident new --title "real after the drill" --category other --detected -2h >/dev/null
		start
		if ! until_true 3 logged "2 incidents need attention" && ! until_true 1 logged "real after the drill"; then
			fail "no alert for the real incidents after the drill"
		elif grep -F "summary=" "$LOG" | grep -qF "DRILL"; then fail "a drill incident alerted after the drill ended"
		else pass; fi
	fi
fi
tm kill-session -t t 2>/dev/null

CASE="a bus but no notification server: the console says so once and goes on"
kill "$SERVER"
wait "$SERVER" 2>/dev/null
SERVER=
fresh noserver
dutydesk incident new --title "overdue on arrival" --category other --detected -2h >/dev/null
start
if ! wait_for "Desktop notifications off" 8; then fail "no word that desktop notifications are off"
elif ! screen | sed -n 1p | grep -q "⚠"; then fail "no flash in the top bar"
else
	keys 2
	wait_for "overdue on arrival" 2
	dutydesk incident new --title "second alert" --category other >/dev/null
	if ! wait_for "second alert" 2; then fail "the queue did not update"
	elif ! until_true 2 sh -c "tmux -L $SOCK capture-pane -p -t t | sed -n 1p | grep -q 'second alert'"; then
		fail "no flash for the second alert"
	elif shows "Desktop notifications off"; then fail "the message came twice"
	else pass; fi
fi

CASE="no session bus at all: the console keeps working"
fresh nobus
dutydesk incident new --title "overdue with no bus" --category other --detected -2h >/dev/null
start DBUS_SESSION_BUS_ADDRESS=unix:path=$T/no-such-bus
if ! wait_for "Desktop notifications off" 8; then fail "no word that desktop notifications are off"
else
	keys 2
	if ! wait_for "overdue with no bus" 2; then fail "the queue does not open"
	elif shows "[exited"; then fail "the console died"
	else pass; fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
