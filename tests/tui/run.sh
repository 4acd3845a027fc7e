#!/bin/sh
# tests/tui/run.sh — the console driven as an officer drives it: the real
# binary in a real (tmux) terminal, keys sent with send-keys, the screen
# read with capture-pane.
#
#   sh tests/tui/run.sh            (from the repo root; make tui-test)
#   DUTYDESK=/path/to/dutydesk sh tests/tui/run.sh
#
# Every case runs in a private tmux server (tmux -L ddtest<pid>, no user
# configuration) at a fixed size, on a fresh database in a temporary
# folder.  Waiting is always "poll until it shows, up to a deadline",
# never a fixed sleep; the only timing asserted is that an entry written
# by another process shows within 1 s.  The server is killed at exit.
# The last line printed is "N passed, N failed"; the exit status is 1
# when a case failed.

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}

PASSED=0
FAILED=0
SOCK=ddtest$$
T=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-tui.XXXXXX") || {
	echo "cannot create a temporary folder"
	echo "0 passed, 1 failed"
	exit 1
}
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

unset LC_ALL LC_CTYPE LC_MESSAGES LANGUAGE NO_COLOR DUTYDESK_TEST_SCREEN TMUX
export LANG=C.UTF-8 HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share"
mkdir -p "$HOME"

command -v tmux >/dev/null || { echo "tmux is not installed"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$DD" ] || { echo "no $DD; run make first"; echo "0 passed, 1 failed"; exit 1; }

# ---- helpers ---------------------------------------------------------------

CASE=
fail() {
	echo "FAIL - $CASE: $*"
	echo "    screen:"
	screen | sed 's/^/    | /'
	FAILED=$((FAILED + 1))
	CASE=
}
pass() {
	echo "ok - $CASE"
	PASSED=$((PASSED + 1))
	CASE=
}

# A fresh configuration and database for a case.
fresh() {
	CONF=$T/$1/dutydesk.conf
	mkdir -p "$T/$1"
	"$DD" --config "$CONF" --db "$T/$1/dutydesk.db" init --org cq.center --officer 张伟 >/dev/null
}
dutydesk() { "$DD" --config "$CONF" "$@"; }

# start COLSxROWS [VAR=VALUE...]: the console in a new session "t"; when it
# exits, the pane shows "[exited N]" and stays for inspection.
start() {
	size=$1
	shift
	tm kill-session -t t 2>/dev/null
	rm -f "$T/pid"
	# The inner shell writes its pid and becomes the console (exec), so
	# $T/pid is the console's pid for the signal cases (no core file
	# is left behind by the crash case).
	tm new-session -d -s t -x "${size%x*}" -y "${size#*x}" \
		"sh -c 'ulimit -c 0; echo \$\$ >\"$T/pid\"; exec env $* \"$DD\" --config \"$CONF\"'; echo \"[exited \$?]\"; sleep 600"
	tm set-option -t t status off >/dev/null
	wait_for 'Help' 5 || wait_for 'terminal too small' 1
}

screen() { tm capture-pane -p -t t 2>/dev/null; }

# wait_for TEXT SECONDS: polls the screen until it shows TEXT (fixed
# string); 1 when the deadline passes first.
wait_for() {
	end=$(($(date +%s%N) / 1000000 + $2 * 1000))
	while [ "$(($(date +%s%N) / 1000000))" -lt "$end" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# wait_gone TEXT SECONDS: the opposite.
wait_gone() {
	end=$(($(date +%s%N) / 1000000 + $2 * 1000))
	while [ "$(($(date +%s%N) / 1000000))" -lt "$end" ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}

keys() { tm send-keys -t t "$@"; }
ESC=$(printf '\033')
type_text() { tm send-keys -t t -l -- "$1"; }

# ---- cases -----------------------------------------------------------------

CASE="opens with the top bar and the log"
fresh open
dutydesk log --at 2026-11-26T09:00:00+08:00 --kind call-in "first entry of the day" >/dev/null
start 80x24
if ! wait_for "first entry of the day" 3; then fail "the entry is not shown"
elif ! screen | sed -n 1p | grep -q "张伟"; then fail "no officer in the top bar"
elif ! screen | sed -n 1p | grep -q "no server"; then fail "no honest sync state in the top bar"
elif ! screen | sed -n 1p | grep -qE "[0-9]{2}:[0-9]{2}:[0-9]{2}"; then fail "no clock in the top bar"
elif ! screen | sed -n 2p | grep -q "Shift log"; then fail "no view title"
elif ! screen | sed -n 24p | grep -q "1 Log"; then fail "no view switcher in the bottom bar"
else pass; fi

CASE="the clock ticks every second"
first=$(screen | sed -n 1p)
if ! wait_gone "$first" 3; then fail "the top bar did not change in 3 s"; else pass; fi

CASE="quick entry adds a Chinese entry with the right time"
before=$(TZ=Asia/Shanghai date +%H:%M)
keys a
wait_for "[Note] >" 2
type_text "接到渝北区电话，报告异常"
keys Enter
after=$(TZ=Asia/Shanghai date +%H:%M)
if ! wait_for "接到渝北区电话，报告异常" 2; then fail "the entry did not appear"
elif ! screen | grep "接到渝北区电话" | grep -qE "^($before|$after):[0-9]{2}  张伟 +Note +接到"; then
	fail "the entry's row is not 'HH:MM:SS  张伟  Note  text' at $before/$after"
elif ! screen | grep -q "Saved #[0-9a-f]\{8\}"; then fail "no 'Saved #id' in the status line"
else pass; fi

CASE="quick entry edits wide characters by character"
keys a
type_text "值班日志ab"
keys BSpace Left Left BSpace
type_text "X"
keys Enter
# 值班日志a, cursor back over a and 志, BS takes 日 whole, X goes before 志.
if wait_for "值班X志a" 2; then pass; else fail "editing did not give 值班X志a"; fi

CASE="an escape sequence in an entry is shown escaped, the screen intact"
fresh escape
dutydesk log --at 2026-11-26T09:00:00+08:00 "$(printf 'before \033]0;x\007\033[2J after')" >/dev/null
start 80x24
title=$(tm display-message -p -t t '#{pane_title}')
if ! wait_for 'before ^[]0;x^G^[[2J after' 3; then fail "the escapes are not shown as ^[ … ^G"
elif ! screen | sed -n 1p | grep -q "no server"; then fail "the top bar was wiped"
elif [ "$title" = x ]; then fail "the entry retitled the terminal"
else pass; fi

CASE="resize 80x24 → 60x20 → 120x40 → 80x24"
tm resize-window -t t -x 60 -y 20
if ! wait_for "terminal too small (need 80×24)" 3; then fail "no 'too small' message at 60x20"
else
	tm resize-window -t t -x 120 -y 40
	if ! wait_for "before ^[]0;x^G" 3; then fail "the log did not come back at 120x40"
	elif ! screen | sed -n 40p | grep -q "1 Log"; then fail "the bottom bar is not on row 40"
	else
		tm resize-window -t t -x 80 -y 24
		if ! wait_for "1 Log" 3 || ! screen | sed -n 24p | grep -q "1 Log"; then fail "not redrawn at 80x24"
		elif screen | grep -q "terminal too small"; then fail "the 'too small' message stayed"
		else pass; fi
	fi
fi

CASE="? lists the bindings"
keys '?'
if ! wait_for "Move the cursor one line up" 2; then fail "no binding help"
elif ! screen | grep -q "k, Up"; then fail "the keys of a binding are not listed"
else
	keys q
	if ! wait_for "Shift log" 2; then fail "q did not go back to the log"; else pass; fi
fi

CASE="q on the last view asks, n stays, y quits and restores the terminal"
keys q
if ! wait_for "Quit dutydesk? (y/n)" 2; then fail "no confirmation"
else
	keys n
	if ! wait_gone "Quit dutydesk?" 2; then fail "n did not cancel"
	else
		keys q
		wait_for "Quit dutydesk?" 2
		keys y
		if ! wait_for "[exited 0]" 3; then fail "y did not quit with status 0"
		elif screen | grep -q "Shift log"; then fail "the console's screen was left behind"
		else pass; fi
	fi
fi

CASE="SIGTERM restores the terminal and exits cleanly"
start 80x24
pid=$(cat "$T/pid" 2>/dev/null)
if [ -z "$pid" ]; then fail "cannot find the console's pid"
else
	kill -TERM "$pid"
	if ! wait_for "[exited 0]" 3; then fail "no clean exit after SIGTERM"
	elif screen | grep -q "Shift log"; then fail "the console's screen was left behind"
	else pass; fi
fi

CASE="a crash restores the terminal too"
start 80x24
pid=$(cat "$T/pid" 2>/dev/null)
if [ -z "$pid" ]; then fail "cannot find the console's pid"
else
	kill -SEGV "$pid"
	if ! wait_for "[exited 139]" 3; then fail "the crash was not reported as SIGSEGV"
	elif screen | grep -q "Shift log"; then fail "the console's screen was left behind"
	elif [ "$(tm display-message -p -t t '#{alternate_on}')" != 0 ]; then fail "still on the alternate screen"
	else pass; fi
fi

CASE="NO_COLOR gives a monochrome screen with attributes"
start 80x24 NO_COLOR=1
# capture-pane -e shows SGR sequences: colours are 3x/4x/9x/10x or 38;/48;.
if tm capture-pane -p -e -t t | grep -qE "$ESC\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)[;m]"; then
	fail "colour sequences on screen under NO_COLOR"
elif ! tm capture-pane -p -e -t t | grep -qE "$ESC\[([0-9;]*;)?7[;m]"; then
	fail "no reverse video for the bars under NO_COLOR"
else pass; fi

CASE="colour is used without NO_COLOR"
start 80x24
if tm capture-pane -p -e -t t | grep -qE "$ESC\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48)[;m]"; then pass
else fail "no colour sequences"; fi

CASE="LANG=zh_CN.UTF-8 shows Chinese labels"
fresh zh
dutydesk log --at 2026-11-26T09:00:00+08:00 --kind call-in "渝北区来电" >/dev/null
start 80x24 LANG=zh_CN.UTF-8
if ! wait_for "值班日志" 3; then fail "no 值班日志 title"
elif ! screen | grep "渝北区来电" | grep -q "来电"; then fail "the kind is not 来电"
elif ! screen | sed -n 1p | grep -q "未连接服务器"; then fail "the sync state is not in Chinese"
elif ! screen | sed -n 24p | grep -q "帮助"; then fail "the bottom bar is not in Chinese"
else pass; fi

CASE="LANG=C still draws CJK"
start 80x24 LANG=C LC_ALL=C
if ! wait_for "渝北区来电" 3; then fail "CJK text missing under LANG=C"
elif ! screen | grep -q "Shift log"; then fail "not English under LANG=C"
else pass; fi

CASE="an entry from another process shows within 1 s, without a key"
start 80x24
wait_for "渝北区来电" 3
dutydesk log "另一个进程写入的记录" >/dev/null
if wait_for "另一个进程写入的记录" 1; then pass; else fail "not shown within 1 s"; fi

CASE="E writes an entry in \$EDITOR and the screen comes back"
cat >"$T/editor.sh" <<'EOF'
#!/bin/sh
printf '第一行\n第二行 from the editor\n' >"$1"
EOF
chmod +x "$T/editor.sh"
start 80x24 EDITOR="$T/editor.sh"
keys E
if ! wait_for "第一行↵第二行 from the editor" 3; then fail "the editor's text was not saved"
elif ! screen | sed -n 1p | grep -q "no server"; then fail "the screen was not restored"
else pass; fi

CASE="/ filters the log and Esc clears it"
keys /
type_text "另一个"
keys Enter
if ! wait_for 'filter: "另一个"' 2; then fail "no filter in the title"
elif screen | grep -q "渝北区来电"; then fail "a non-matching entry is still shown"
else
	keys Escape
	if wait_for "渝北区来电" 2 && ! screen | grep -q 'filter:'; then pass; else fail "Esc did not clear the filter"; fi
fi

CASE="a paste is text for quick entry, never keys"
keys Escape
tm set-buffer "$(printf '粘贴的第一行\nq\ny')"
tm paste-buffer -p -t t
if ! wait_for "[Note] > 粘贴的第一行 q y" 2; then fail "the paste did not open quick entry with its text"
else
	keys Enter
	if ! wait_for "Note      粘贴的第一行 q y" 2; then fail "the pasted entry was not saved"
	elif screen | grep -qF "[exited"; then fail "the pasted q y quit the console"
	else pass; fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
