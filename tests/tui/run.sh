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
elif ! screen | sed -n 24p | grep -q "日志"; then fail "the bottom bar is not in Chinese"
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

# ---- incidents ----------------------------------------------------------------

# sgr_before TEXT [LINE]: the SGR sequences in force where TEXT starts
# on the first line holding LINE (default TEXT), from capture-pane -e,
# e.g. "[1m[31m".
sgr_before() {
	tm capture-pane -p -e -t t | grep -F -- "${2:-$1}" | grep -F -- "$1" | head -n 1 |
		sed "s/$1.*//" | grep -o "$ESC\[[0-9;]*m" | tail -n 3 | tr -d "$ESC" | tr -d '\n'
}

CASE="an incident opened with the CLI shows in the open queue within 1 s"
fresh queue
start 100x30
keys 2
if ! wait_for "Incident queue" 2; then fail "2 did not open the queue"
else
	dutydesk incident new --title "CLI 新开事件 ransomware" --category malware --org cq.yubei.ent-0042 >/dev/null
	if ! wait_for "CLI 新开事件 ransomware" 1; then fail "not shown within 1 s"
	elif ! screen | grep "CLI 新开事件" | grep -q "未定级"; then fail "no 未定级 badge on the new incident"
	else pass; fi
fi

CASE="tier badges have their colours: 特别重大 red, 一般 blue"
fresh tiers
a=$(dutydesk incident new --title "critical one" --category intrusion | cut -d' ' -f1)
dutydesk incident tier "$a" I --reason "test" >/dev/null
b=$(dutydesk incident new --title "general one" --category other | cut -d' ' -f1)
dutydesk incident tier "$b" IV --reason "test" >/dev/null
start 100x30
keys 2
wait_for "general one" 2
crit=$(sgr_before "特别重大")
gen=$(sgr_before "一般")
if [ -z "$crit" ] || [ -z "$gen" ]; then fail "no colour on the badges ('$crit', '$gen')"
elif [ "$crit" = "$gen" ]; then fail "特别重大 and 一般 look the same ($crit)"
elif ! echo "$crit" | grep -qE '[[;]31[;m]'; then fail "特别重大 is not red ($crit)"
elif ! echo "$gen" | grep -qE '[[;]34[;m]'; then fail "一般 is not blue ($gen)"
else pass; fi

CASE="advisory levels have their colours: 红色 red, 蓝色 blue"
fresh advisories
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
dutydesk advisory new "red one" --level red --action check --deadline +1d --to cq.yubei >/dev/null
dutydesk advisory new "blue one" --level blue --action check --deadline +1d --to cq.wulong >/dev/null
start 100x30
keys 8
wait_for "blue one" 2
red=$(sgr_before "红色")
blue=$(sgr_before "蓝色")
if [ -z "$red" ] || [ -z "$blue" ]; then fail "no colour on the levels ('$red', '$blue')"
elif ! echo "$red" | grep -qE '[[;]31[;m]'; then fail "红色 is not red ($red)"
elif ! echo "$blue" | grep -qE '[[;]34[;m]'; then fail "蓝色 is not blue ($blue)"
else pass; fi

CASE="a deadline passing turns the countdown red (a test clock, not an hour's wait)"
fresh overdue
dutydesk incident new --title "deadline at nine" --category other --detected 2026-11-20T08:00:00+08:00 >/dev/null
# The assessment is due at 09:00; the console's clock starts two seconds
# before and runs.
start 100x30 DUTYDESK_TEST_NOW=2026-11-20T08:59:58+08:00
keys 2
if ! wait_for "deadline at nine" 2; then fail "the incident is not in the queue"
elif screen | grep "deadline at nine" | grep -q OVERDUE; then fail "overdue before its time"
elif ! wait_for "OVERDUE" 4; then fail "the countdown did not pass the deadline"
elif ! sgr_before OVERDUE 未定级 | grep -qE '[[;]31[;m]'; then
	fail "OVERDUE is not red ($(sgr_before OVERDUE 未定级))"
elif ! sgr_before OVERDUE 未定级 | grep -qE '[[;]1[;m]'; then
	fail "OVERDUE is not bold ($(sgr_before OVERDUE 未定级))"
else pass; fi

CASE="the incident view shows a correction under the entry it corrects"
fresh correction
a=$(dutydesk incident new --title "PLC alarm" --category intrusion | cut -d' ' -f1)
dutydesk incident note "$a" "asked the plant to cut the network" >/dev/null
n=$(dutydesk incident show "$a" | sed -n 's/.*#\([0-9a-f]\{8\}\).*cut the network.*/\1/p')
dutydesk incident note "$a" "a later note" >/dev/null
dutydesk incident correct "$a" "$n" "only the engineering workstation was cut off" >/dev/null
start 120x30
keys 2
wait_for "PLC alarm" 2
keys Enter
if ! wait_for "Correction: only the engineering workstation" 2; then fail "no correction in the timeline"
elif ! screen | grep -A1 "cut the network" | tail -n 1 | grep -q "↳.*Correction: only the engineering"; then
	fail "the correction is not right under the original"
elif ! screen | grep "cut the network" | grep -q "corrected below"; then fail "the original is not marked corrected"
else pass; fi

CASE="S writes the summary in \$EDITOR: empty sections refused, the draft kept"
fresh summary
a=$(dutydesk incident new --title "false alarm at the plant" --category other | cut -d' ' -f1)
dutydesk incident status "$a" closed --note "false alarm" >/dev/null
# The editor fills the first empty section it finds; run twice it still
# leaves some empty, so the draft must come back with the first filled.
cat >"$T/editor.sh" <<'EOF'
#!/bin/sh
awk 'done == 0 && prev ~ /^## / && $0 == "" { print "已填写 " NR; done = 1 } { print; prev = $0 }' "$1" >"$1.new" &&
	mv "$1.new" "$1"
EOF
cat >"$T/fill.sh" <<'EOF'
#!/bin/sh
awk 'prev ~ /^## / && $0 == "" { print "已填写" } { print; prev = $0 }' "$1" >"$1.new" && mv "$1.new" "$1"
EOF
chmod +x "$T/editor.sh" "$T/fill.sh"
start 120x30 EDITOR="$T/editor.sh"
keys 2 o
wait_for "false alarm at the plant" 2
keys Enter
wait_for "Incident #" 2
keys S
if ! wait_for "needs every section" 3; then fail "an incomplete summary was not refused"
elif dutydesk incident show "$a" | grep -q "summary written"; then fail "an incomplete summary was stored"
else
	keys S
	wait_for "needs every section" 3
	start 120x30 EDITOR="$T/fill.sh"
	keys 2 o
	wait_for "false alarm at the plant" 2
	keys Enter
	wait_for "Incident #" 2
	keys S
	if ! wait_for "Post-incident summary saved" 3; then fail "a full summary was not saved"
	elif ! wait_for "事件原因: 已填写" 2; then fail "the summary is not in the timeline"
	else pass; fi
fi

CASE="the roster filter narrows the list as you type, in Chinese and by phone digits"
fresh roster
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
start 100x30
keys 4
if ! wait_for "邓立新" 3; then fail "the roster does not open on the first org's liaisons"
else
	keys /
	type_text "谢"
	if ! wait_for "谢明辉" 2; then fail "typing 谢 does not show 谢明辉"
	elif ! wait_gone "13800000000" 2; then fail "typing 谢 does not narrow the list"
	else
		type_text "明辉"
		if ! wait_for '1 liaisons · filter: "谢明辉"' 2; then fail "typing 谢明辉 does not narrow to one"
		else
			keys Escape
			wait_for "邓立新" 2
			keys /
			type_text "023-6000 051"
			if ! wait_for "13800000510" 2; then fail "phone digits with a dash and a space find nothing"
			elif ! wait_gone "13800000000" 2; then fail "phone digits do not narrow the list"
			else
				type_text "6"
				if ! wait_for '1 liaisons · filter: "023-6000 0516"' 2; then fail "the last digit does not narrow to one"
				elif ! screen | grep -q "王子涵"; then fail "023-6000 0516 is not 王子涵's office number"
				else pass; fi
			fi
		fi
	fi
fi

CASE="c on the contact card logs a call that shows in the shift log"
fresh call
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
start 160x30
keys 4 /
type_text "王子涵"
keys Enter Enter
if ! wait_for "Contact card" 3; then fail "Enter does not open the contact card"
else
	keys c
	wait_for "Call with" 2
	keys Enter
	wait_for "3 busy" 2
	keys 3
	wait_for "note" 2
	type_text "稍后回拨"
	keys Enter
	wait_for "Incident id" 2
	keys Enter
	if ! wait_for "Call saved to the shift log" 3; then fail "the call was not saved"
	elif ! wait_for "占线" 2; then fail "the call is not among the card's recent calls"
	else
		keys 1
		if ! wait_for "稍后回拨" 3; then fail "the call is not in the shift log"
		elif ! screen | grep "稍后回拨" | grep -q "王子涵"; then fail "the log entry does not name whom was called"
		else pass; fi
	fi
fi

CASE="a protection period started by the CLI shows its banner and countdown at once"
fresh period
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
start 140x30
if screen | sed -n 1p | grep -q "Protection period"; then fail "a banner before any period"
else
	# From another process, as the centre's other desk would: report at
	# the next whole hour but one, so the countdown is over an hour.
	due=$(TZ=Asia/Shanghai date -d '+2 hour' +%H:00)
	dutydesk period new 峰会重保 --start now --end +2d --scope cq.yubei --times "$due" --grace 30 >/dev/null
	if ! wait_for "Protection period: 峰会重保 · $due report in " 3; then fail "no banner with the report time"
	elif ! screen | sed -n 1p | grep -qE "$due report in [12]:[0-9]{2} "; then fail "no countdown to $due"
	else
		keys 7
		if ! wait_for "峰会重保 · slot" 2; then fail "the Zero screen does not show the period"
		else pass; fi
	fi
fi

CASE="zero_remind_min before a report time the officer is alerted that reports are due"
fresh remind
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
dutydesk period new 峰会重保 --start 2026-11-25T00:00:00+08:00 --end 2026-11-28T00:00:00+08:00 --scope cq.yubei \
	--times 16:00 --grace 30 >/dev/null
# A running test clock five seconds before 15:30, the default 30 minutes.
start 140x30 DUTYDESK_TEST_NOW=2026-11-26T15:29:55+08:00
if screen | sed -n 1p | grep -q "Zero report due"; then fail "alerted before the reminder time"
elif ! wait_for "Zero report due at 16:00 (in 0:30): 峰会重保" 10; then fail "no reminder at 15:30"
else pass; fi

CASE="the top bar names the officer on duty and the leader"
fresh onduty
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
# Yesterday's and today's shifts, so one holds now whatever the hour.
for day in yesterday today; do
	dutydesk duty set cq.center --date $day --officer 值班员甲 --leader 领导乙 >/dev/null
done
start 80x24
if ! screen | sed -n 1p | grep -q "On duty 值班员甲"; then fail "the top bar does not name the officer on duty"
elif ! screen | sed -n 1p | grep -q "Leader 领导乙"; then fail "the top bar does not name the leader"
elif screen | sed -n 1p | grep -q "张伟"; then fail "the configured officer shows although a shift holds now"
else pass; fi

CASE="accepting a handover puts the incoming officer in the top bar"
fresh handover
dutydesk org load "$ROOT/data/orgs/chongqing.conf" >/dev/null
for day in yesterday today; do
	dutydesk duty set cq.center --date $day --officer 值班员甲 --leader 领导乙 >/dev/null
done
# The outgoing officer submits from their own console on the same database.
"$DD" --config "$T/handover/out.conf" --db "$T/handover/dutydesk.db" init --org cq.center --officer 值班员甲 >/dev/null
"$DD" --config "$T/handover/out.conf" handover submit --notes "渝北区来电待回复" >/dev/null
start 100x30
if ! screen | sed -n 1p | grep -q "On duty 值班员甲"; then fail "before: the top bar does not name the scheduled officer"
else
	keys H
	if ! wait_for "Submitted by 值班员甲" 3; then fail "H does not show the submitted handover"
	elif ! wait_for "渝北区来电待回复" 1; then fail "the notes are not shown"
	else
		keys A
		wait_for "Incoming officer" 2
		keys Enter
		if ! wait_for "Handover accepted by 张伟" 3; then fail "the handover was not accepted"
		elif ! screen | sed -n 1p | grep -q "On duty 张伟"; then fail "after: the top bar does not name the incoming officer"
		elif ! screen | sed -n 1p | grep -q "Leader 领导乙"; then fail "after: the leader is gone from the top bar"
		elif screen | sed -n 1p | grep -q "值班员甲"; then fail "after: the outgoing officer is still in the top bar"
		else pass; fi
	fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
