#!/bin/sh
# tests/cli/run.sh — the CLI suite: drives the real dutydesk binary the way
# an officer and a script would (init, log, list, export, verify, rebuild,
# incidents, tiers, roster, duty, objects, config) and feeds it bad input,
# locked, damaged and foreign databases.
#
#   sh tests/cli/run.sh                      (from the repo root)
#   DUTYDESK=/path/to/dutydesk sh tests/cli/run.sh
#
# Everything happens in a fresh mktemp folder: HOME and every XDG_* point
# inside it, and every command gets an explicit --config, so the real home
# is never read or written.  Needs sqlite3 (the CLI) for the tamper, trigger
# and lock cases, and prlimit (util-linux) for the full-disk case.
#
# Prints "ok - NAME" or "FAIL - NAME: WHY" per check, "# ..." notes, and as
# the last line "N passed, N failed"; exits 1 when any check failed.  Takes
# a few seconds plus the 5 s busy timeout of the locked-database case.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DD=${DUTYDESK:-$ROOT/dutydesk}
case $DD in
/*) ;;
*) DD=$(pwd)/$DD ;;
esac

PASSED=0
FAILED=0
LOCKPID=

T=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-cli.XXXXXX") || {
	echo "cannot create a temporary folder"
	echo "0 passed, 1 failed"
	exit 1
}
cleanup() {
	[ -n "$LOCKPID" ] && kill "$LOCKPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

export HOME="$T/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export XDG_STATE_HOME="$HOME/.local/state" XDG_CACHE_HOME="$HOME/.cache" XDG_RUNTIME_DIR="$T/run"
export LC_ALL=C.UTF-8 LANGUAGE=
unset DUTYDESK_TEST_SCREEN TZ
mkdir -p "$HOME" "$T/work"
mkdir -m 700 "$T/run"

CONF="$XDG_CONFIG_HOME/dutydesk/dutydesk.conf"
DB="$XDG_DATA_HOME/dutydesk/dutydesk.db"
FFFD=$(printf '\357\277\275')

# ---- checks ---------------------------------------------------------------

. "$ROOT/tests/checks.sh"
rc_not0() { [ "$RC" != 0 ] || flunk "exit 0, want a failure"; }
out_lacks() { ! grep -qF -- "$1" "$T/out" || flunk "stdout has '$1'"; }
err_said() { [ -s "$T/err" ] || flunk "no message on stderr"; }
out_empty() { [ ! -s "$T/out" ] || flunk "stdout not empty: $(first "$T/out")"; }
# Byte-level: no_byte '\OCT' FILE is true when FILE lacks that byte.
no_byte() { [ "$(LC_ALL=C tr -dc "$1" <"$2" | wc -c)" -eq 0 ]; }
out_no_esc() { no_byte '\033' "$T/out" || flunk "stdout has raw ESC (0x1b) bytes"; }
mode_is() {
	m=$(stat -c %a "$1" 2>/dev/null)
	[ "$m" = "$2" ] || flunk "$1 has mode ${m:-missing}, want $2"
}

# ---- running dutydesk -----------------------------------------------------

# ddk ARGS: dutydesk with the test configuration; stdin from /dev/null.
ddk() {
	"$DD" --config "$CONF" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
# ddk_in FILE ARGS: the same with stdin from FILE.
ddk_in() {
	f=$1
	shift
	"$DD" --config "$CONF" "$@" <"$f" >"$T/out" 2>"$T/err"
	RC=$?
}
# raw ARGS: dutydesk with no implied --config (the caller gives one).
raw() {
	"$DD" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}

# The whole stored log, for "nothing was lost or added" checks.
dump_log() { "$DD" --config "$CONF" log list --all --json </dev/null 2>&1; }
snap() { dump_log >"$T/snap"; }
log_unchanged() {
	dump_log >"$T/snap.now"
	cmp -s "$T/snap" "$T/snap.now" ||
		flunk "stored entries changed ($(grep -c '^{' "$T/snap") before, $(grep -c '^{' "$T/snap.now") after)"
}
# The JSON row of the entry whose text is exactly $1 (from --all --json).
row_of() { dump_log | grep -F "\"text\":\"$1\"" | head -n 1; }
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
count_rows() { grep -c '^{' "$1"; }

if [ ! -x "$DD" ]; then
	echo "FAIL - binary: $DD is not an executable (build it, or set DUTYDESK)"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "# dutydesk: $DD"
echo "# temp: $T"

# ---- global options -------------------------------------------------------

begin "--version"
raw --version
rc_is 0
is_true "stdout '$(first "$T/out")' is not 'dutydesk X.Y.Z'" grep -Eqx 'dutydesk [0-9]+\.[0-9]+\.[0-9]+.*' "$T/out"
end

begin "--help lists the commands"
raw --help
rc_is 0
for c in init log export import verify rebuild config; do out_has "  $c "; done
out_has "Exit status"
end

for c in init log export import verify rebuild config; do
	begin "$c --help"
	ddk "$c" --help
	rc_is 0
	out_has "usage: dutydesk"
	out_has " $c "
	end
done

begin "unknown command exits 2"
ddk frobnicate
rc_is 2
err_has "frobnicate"
end

begin "unknown global option exits 2"
raw --frobnicate
rc_is 2
err_has "--frobnicate"
end

begin "unknown command option exits 2"
ddk log --frobnicate "text"
rc_is 2
end

begin "no command without a terminal exits 2"
ddk
rc_is 2
err_has "terminal"
end

# ---- init -----------------------------------------------------------------

begin "init creates config 0600 and database 0600 in 0700 folders"
ddk init --org cq.yubei --officer 张三
rc_is 0
is_true "no config at $CONF" test -f "$CONF"
is_true "no database at $DB (the XDG default)" test -f "$DB"
mode_is "$CONF" 600
mode_is "$(dirname "$CONF")" 700
mode_is "$DB" 600
mode_is "$(dirname "$DB")" 700
out_has "origin"
end
ORIGIN=$(sed -n 's/^origin *= *"\(.*\)";/\1/p' "$CONF")

begin "init config names origin, officer and org"
is_true "no origin UUID in the config" test -n "$ORIGIN"
is_true "officer missing from config" grep -qF '张三' "$CONF"
is_true "org missing from config" grep -qF 'cq.yubei' "$CONF"
end

begin "init twice with the same arguments keeps the origin"
ddk init --org cq.yubei --officer 张三
rc_is 0
now=$(sed -n 's/^origin *= *"\(.*\)";/\1/p' "$CONF")
[ "$now" = "$ORIGIN" ] || flunk "origin changed from $ORIGIN to $now"
mode_is "$CONF" 600
end

begin "init with another officer without --force exits 2"
cp "$CONF" "$T/conf.before"
ddk init --org cq.yubei --officer 李四
rc_is 2
err_has "--force"
is_true "config was changed" cmp -s "$CONF" "$T/conf.before"
end

begin "init without --org exits 2"
ddk init --officer 张三
rc_is 2
end

begin "init with a malformed org exits 2"
ddk init --org "not an org!" --officer 张三
rc_is 2
end

begin "init with relative --config and --db: later commands find that database"
(
	cd "$T/work" &&
		"$DD" --config rel/dutydesk.conf --db rel/desk.db init --org cq.yubei --officer 张三 &&
		"$DD" --config rel/dutydesk.conf log "relative paths"
) </dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
is_true "no database at rel/desk.db" test -f "$T/work/rel/desk.db"
is_true "a second database appeared at rel/rel/desk.db" test ! -e "$T/work/rel/rel/desk.db"
end

# ---- log: adding ----------------------------------------------------------

begin "log TEXT prints an 8-hex short id"
ddk log "第一条：值班开始，系统正常"
rc_is 0
is_true "stdout '$(first "$T/out")' is not 8 hex digits" grep -Eqx '[0-9a-f]{8}' "$T/out"
is_true "more than one line of output" test "$(wc -l <"$T/out")" -eq 1
end
FIRST_SHORT=$(cat "$T/out")

begin "log --kind call-in"
ddk log --kind call-in "来电：调度中心报告 SCADA 告警 a,b"
rc_is 0
CALLIN_SHORT=$(cat "$T/out")
ddk log list
out_has "$CALLIN_SHORT"
out_has "call in"
row=$(row_of "来电：调度中心报告 SCADA 告警 a,b")
case $row in *'"kind":"call-in"'*) ;; *) flunk "JSON kind is not call-in: $row" ;; esac
end

begin "Chinese text round trip in log list"
ddk log list
rc_is 0
out_has "第一条：值班开始，系统正常"
out_has "$FIRST_SHORT"
out_has "张三"
ddk log list --json
out_has '"text":"第一条：值班开始，系统正常"'
out_has '"officer":"张三"'
end

begin "short id is the tail of the full id"
id=$(row_of "第一条：值班开始，系统正常" | field id)
case $id in *"$FIRST_SHORT") ;; *) flunk "full id '$id' does not end in $FIRST_SHORT" ;; esac
end

begin "init --force changes the officer and keeps the origin"
ddk init --org cq.yubei --officer 李四 --force
rc_is 0
now=$(sed -n 's/^origin *= *"\(.*\)";/\1/p' "$CONF")
[ "$now" = "$ORIGIN" ] || flunk "origin changed from $ORIGIN to $now"
is_true "officer not changed in the config" grep -qF '李四' "$CONF"
ddk log list --all
out_has "第一条：值班开始，系统正常"
end

begin "log after --force is by the new officer"
ddk log "接班：李四"
rc_is 0
row=$(row_of "接班：李四")
case $row in *'"officer":"李四"'*) ;; *) flunk "officer not 李四: $row" ;; esac
end

# --at: the configured zone is Asia/Shanghai (+08:00, no DST).
begin "log --at -15m"
t0=$(date +%s)
ddk log --at "-15m" "at-minus-15m"
rc_is 0
at=$(row_of "at-minus-15m" | field at)
case $at in *+08:00) ;; *) flunk "at '$at' is not in +08:00" ;; esac
e=$(date -d "$at" +%s 2>/dev/null || echo 0)
d=$((t0 - 900 - e))
{ [ "$d" -ge -3 ] && [ "$d" -le 3 ]; } || flunk "at '$at' is $d s away from now-15m"
end

begin "log --at 'yesterday 14:30'"
want="$(TZ=Asia/Shanghai date -d yesterday +%F)T14:30:00.000+08:00"
ddk log --at "yesterday 14:30" "at-yesterday"
rc_is 0
at=$(row_of "at-yesterday" | field at)
[ "$at" = "$want" ] || flunk "at '$at', want '$want'"
end

begin "log --at '2026-11-26 08:30'"
ddk log --at "2026-11-26 08:30" "at-absolute"
rc_is 0
at=$(row_of "at-absolute" | field at)
[ "$at" = "2026-11-26T08:30:00.000+08:00" ] || flunk "at '$at'"
end

begin "log --at RFC 3339 (Z and offset) shown in +08:00"
ddk log --at "2026-11-20T10:00:00Z" "at-rfc-z"
rc_is 0
ddk log --at "2026-11-20T10:00:00.250-05:00" "at-rfc-offset"
rc_is 0
at=$(row_of "at-rfc-z" | field at)
[ "$at" = "2026-11-20T18:00:00.000+08:00" ] || flunk "Z: at '$at'"
at=$(row_of "at-rfc-offset" | field at)
[ "$at" = "2026-11-20T23:00:00.250+08:00" ] || flunk "-05:00: at '$at'"
end

snap
begin "log --at with a bad time exits 2 quoting the input"
ddk log --at "next tuesday-ish" "bad-at"
rc_is 2
err_has '"next tuesday-ish"'
err_has "--at"
log_unchanged
end

begin "log --at 25:00 exits 2"
ddk log --at "25:00" "bad-hour"
rc_is 2
err_has "25:00"
log_unchanged
end

begin "log - reads stdin (multi-line)"
printf '第一行：现场确认\n第二行：已隔离\n' >"$T/in"
ddk_in "$T/in" log -
rc_is 0
is_true "stdout is not a short id" grep -Eqx '[0-9a-f]{8}' "$T/out"
row=$(row_of '第一行：现场确认\n第二行：已隔离')
[ -n "$row" ] || flunk "no JSON text '第一行：现场确认\\n第二行：已隔离' (trailing newline trimmed)"
ddk log list
out_has "第一行：现场确认↵第二行：已隔离"
end

begin "log -- TEXT starting with a dash"
ddk log -- "-5 °C at substation 3"
rc_is 0
[ -n "$(row_of "-5 °C at substation 3")" ] || flunk "entry not stored"
end

snap
begin "empty text exits 2"
ddk log ""
rc_is 2
err_has "empty"
log_unchanged
end

begin "whitespace-only text exits 2"
ddk log "  	  "
rc_is 2
printf '  \n\t\n' >"$T/in"
ddk_in "$T/in" log -
rc_is 2
ddk_in /dev/null log -
rc_is 2
log_unchanged
end

begin "missing text exits 2"
ddk log
rc_is 2
ddk log one two
rc_is 2
log_unchanged
end

begin "unknown --kind exits 2"
ddk log --kind gossip "x"
rc_is 2
err_has "gossip"
log_unchanged
end

begin "invalid UTF-8 becomes U+FFFD"
ddk log "$(printf 'bad\377\376ok')"
rc_is 0
ddk log list --all --json
is_true "JSON lacks 'bad' U+FFFD U+FFFD 'ok'" env LC_ALL=C grep -qF "\"text\":\"bad${FFFD}${FFFD}ok\"" "$T/out"
is_true "raw 0xFF byte in the output" no_byte '\377' "$T/out"
ddk log list --all
is_true "list lacks U+FFFD" env LC_ALL=C grep -qF "bad${FFFD}${FFFD}ok" "$T/out"
end

begin "NUL byte from stdin becomes U+FFFD"
printf 'nul\000byte' >"$T/in"
ddk_in "$T/in" log -
rc_is 0
ddk log list --all --json
is_true "JSON lacks 'nul' U+FFFD 'byte'" env LC_ALL=C grep -qF "\"text\":\"nul${FFFD}byte\"" "$T/out"
end

begin "control sequences escaped in log list, kept in --json"
ddk log "$(printf 'x\033]0;t\007\033[2J')"
rc_is 0
ESC_SHORT=$(cat "$T/out")
ddk log list --all
out_no_esc
is_true "raw BEL byte in the list" no_byte '\007' "$T/out"
out_has 'x^[]0;t^G^[[2J'
ddk log list --all --json
is_true "JSON lacks \\u001b]0;t\\u0007\\u001b[2J" grep -qiF '"text":"x\u001b]0;t\u0007\u001b[2J"' "$T/out"
out_no_esc
end

begin "log --corrects SHORTID"
ddk log --corrects "$ESC_SHORT" "更正：上一条是误操作"
rc_is 0
ddk log list --all
out_has "更正：上一条是误操作  (corrects #$ESC_SHORT)"
full=$(dump_log | grep -F ']0;t' | grep -vF '"corrects"' | head -n 1 | field id)
row=$(row_of "更正：上一条是误操作")
case $row in *"\"corrects\":\"$full\""*) ;; *) flunk "JSON corrects is not the full id $full: $row" ;; esac
end

snap
begin "log --corrects an unknown or malformed id exits 2"
ddk log --corrects deadbeef "x"
rc_is 2
err_has "deadbeef"
ddk log --corrects "NOT-AN-ID" "x"
rc_is 2
log_unchanged
end

begin "text with quotes, commas and a pipe"
ddk log '他说 "停机", 然后 a,b |pipe| end'
rc_is 0
end

# ---- log list -------------------------------------------------------------

ddk log --at "2025-03-01 09:00" "since-A" && ddk log --at "2025-03-02 09:00" "since-B" &&
	ddk log --at "2025-03-03 09:00" "since-C" && ddk log --at "-25h" "before-this-shift"

begin "log list (default) shows the current shift only"
ddk log list
rc_is 0
out_has "第一条：值班开始，系统正常"
out_lacks "before-this-shift"
out_lacks "since-B"
end

begin "log list --all shows everything"
ddk log list --all
rc_is 0
out_has "before-this-shift"
out_has "since-A"
out_has "since-C"
end

begin "log list --since/--until"
ddk log list --since "2025-03-02" --until "2025-03-02 23:59"
rc_is 0
out_has "since-B"
out_lacks "since-A"
out_lacks "since-C"
[ "$(wc -l <"$T/out")" -eq 1 ] || flunk "$(wc -l <"$T/out") lines, want 1"
end

begin "log list --since/--until in RFC 3339"
ddk log list --since "2025-03-01T09:00:00+08:00" --until "2025-03-02T09:00:00+08:00"
rc_is 0
out_has "since-A"
out_has "since-B"
out_lacks "since-C"
end

begin "log list --officer"
ddk log list --all --officer 张三 --json
rc_is 0
out_has "第一条：值班开始，系统正常"
out_lacks '"officer":"李四"'
n=$(count_rows "$T/out")
[ "$n" -eq 2 ] || flunk "$n rows by 张三, want 2"
ddk log list --all --officer 无名氏
rc_is 0
out_empty
end

begin "log list --grep (case-insensitive ASCII, Chinese)"
ddk log list --all --grep scada
rc_is 0
out_has "SCADA"
[ "$(wc -l <"$T/out")" -eq 1 ] || flunk "$(wc -l <"$T/out") lines for scada, want 1"
ddk log list --all --grep 隔离
out_has "已隔离"
ddk log list --all --grep "no-such-thing-anywhere"
out_empty
end

begin "log list --json is one row per line in brackets"
ddk log list --all --json
rc_is 0
is_true "first line is not [" test "$(head -n 1 "$T/out")" = "["
is_true "last line is not ]" test "$(tail -n 1 "$T/out")" = "]"
n=$(count_rows "$T/out")
m=$(sqlite3 "$DB" "SELECT count(*) FROM shift_log" 2>/dev/null)
[ "$n" = "$m" ] || flunk "$n JSON rows, $m in the database"
end

begin "log list --all --since exits 2"
ddk log list --all --since -1h
rc_is 2
end

begin "log list with a bad --since exits 2"
ddk log list --since "tomorrow-ish"
rc_is 2
err_has "tomorrow-ish"
end

# ---- export ---------------------------------------------------------------

begin "export --format md"
ddk export --format md
rc_is 0
out_has "# Shift log"
out_has "| Time | Officer | Kind | Entry | ID |"
out_has "第一条：值班开始，系统正常"
out_has '\|pipe\|'
out_lacks ' |pipe| '
out_no_esc
n=$(sqlite3 "$DB" "SELECT count(*) FROM shift_log" 2>/dev/null)
out_has "Entries: $n"
end

begin "export --format csv quotes text with \" and ,"
ddk export --format csv
rc_is 0
is_true "no CSV header" grep -q '^time,officer,org,kind,text,id,corrects,drill' "$T/out"
out_has '"他说 ""停机"", 然后 a,b |pipe| end"'
out_has '"来电：调度中心报告 SCADA 告警 a,b"'
out_has '"2025-03-02T09:00:00.000+08:00","李四","cq.yubei","note","since-B"'
end

begin "export --format json"
ddk export --format json
rc_is 0
is_true "first line is not [" test "$(head -n 1 "$T/out")" = "["
is_true "last line is not ]" test "$(tail -n 1 "$T/out")" = "]"
out_has '"text":"他说 \"停机\", 然后 a,b |pipe| end"'
n=$(count_rows "$T/out")
m=$(sqlite3 "$DB" "SELECT count(*) FROM shift_log" 2>/dev/null)
[ "$n" = "$m" ] || flunk "$n JSON rows, $m in the database"
end

begin "export --since/--until"
ddk export --format csv --since "2025-03-02" --until "2025-03-02 23:59"
rc_is 0
out_has "since-B"
out_lacks "since-A"
out_lacks "since-C"
end

begin "export --output FILE writes it, no .part left"
mkdir -p "$T/exp"
ddk export --format csv
cp "$T/out" "$T/exp.stdout"
ddk export --format csv --output "$T/exp/shift.csv"
rc_is 0
is_true "no $T/exp/shift.csv" test -f "$T/exp/shift.csv"
is_true "file differs from the stdout export" cmp -s "$T/exp/shift.csv" "$T/exp.stdout"
is_true ".part left behind" test ! -e "$T/exp/shift.csv.part"
out_empty
err_has "written to"
end

begin "export --output into a missing folder exits 1, nothing left"
ddk export --format md --output "$T/no/such/dir/shift.md"
rc_is 1
err_said
is_true "file or .part created" test ! -e "$T/no/such/dir/shift.md" -a ! -e "$T/no/such/dir/shift.md.part"
end

begin "export with a bad --format exits 2"
ddk export --format xml
rc_is 2
err_has "xml"
ddk export
rc_is 2
end

# ---- verify, rebuild, triggers ------------------------------------------------

begin "verify ok"
ddk verify
rc_is 0
n=$(sqlite3 "$DB" "SELECT count(*) FROM events" 2>/dev/null)
out_has "ok: $n events"
end

snap
begin "rebuild prints identical and changes nothing"
ddk rebuild
rc_is 0
out_has "identical"
log_unchanged
ddk verify
rc_is 0
end

begin "UPDATE on events fails while the trigger exists"
n=$(sqlite3 "$DB" "SELECT count(*) FROM events")
sqlite3 "$DB" "UPDATE events SET body='{}' WHERE seq=1;" >"$T/out" 2>"$T/err"
RC=$?
rc_not0
err_has "append-only"
log_unchanged
end

begin "DELETE on events fails while the trigger exists"
sqlite3 "$DB" "DELETE FROM events WHERE seq=1;" >"$T/out" 2>"$T/err"
RC=$?
rc_not0
err_has "append-only"
m=$(sqlite3 "$DB" "SELECT count(*) FROM events")
[ "$n" = "$m" ] || flunk "$n events before, $m after"
end

begin "tamper (trigger dropped, body changed) makes verify exit 1 naming the event"
sqlite3 "$DB" ".backup '$T/tamper.db'" 2>"$T/err" || flunk "cannot copy the database: $(first "$T/err")"
id2=$(sqlite3 "$T/tamper.db" "SELECT id FROM events WHERE seq=2")
raw --config "$CONF" --db "$T/tamper.db" verify
rc_is 0
changed=$(sqlite3 "$T/tamper.db" "DROP TRIGGER events_no_update; UPDATE events SET body=replace(body,'a','b') WHERE seq=2; SELECT changes();" 2>&1)
[ "$changed" = 1 ] || flunk "tampering did not change one row: $changed"
raw --config "$CONF" --db "$T/tamper.db" verify
rc_is 1
err_has "$id2"
end

begin "tamper of the text only breaks the hash chain"
sqlite3 "$DB" ".backup '$T/tamper2.db'" 2>/dev/null
id1=$(sqlite3 "$T/tamper2.db" "SELECT id FROM events WHERE seq=1")
sqlite3 "$T/tamper2.db" "DROP TRIGGER events_no_update; UPDATE events SET body=replace(body,'值班开始','值班结束') WHERE seq=1;" 2>/dev/null
raw --config "$CONF" --db "$T/tamper2.db" verify
rc_is 1
err_has "$id1"
err_has "hash"
end

# ---- incidents ------------------------------------------------------------
# A desk of its own: officer 张三 (role officer) and, on the same database,
# the shift leader's console (role = "leader"), which alone may confirm a
# tier.  Times are fixed instants in the past, so deadlines are exact.

IDIR="$T/inc"
ICONF="$IDIR/officer.conf"
LCONF="$IDIR/leader.conf"
IDB="$IDIR/desk.db"
ddi() {
	"$DD" --config "$ICONF" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
ddl() {
	"$DD" --config "$LCONF" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
events() { sqlite3 "$IDB" "SELECT count(*) FROM events"; }
events_are() { [ "$(events)" = "$1" ] || flunk "$1 events before, $(events) after: something was stored"; }
full_id() { sqlite3 "$IDB" "SELECT id FROM incidents WHERE substr(id, -8) = '$1'"; }
json_ok() {
	[ "$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('$T/out') AS TEXT))" 2>/dev/null)" = 1 ] ||
		flunk "stdout is not valid JSON: $(first "$T/out")"
}
"$DD" --config "$ICONF" --db "$IDB" init --org cq.center --officer 张三 </dev/null >/dev/null 2>&1
"$DD" --config "$LCONF" --db "$IDB" init --org cq.center --officer 王主任 </dev/null >/dev/null 2>&1
sed -i 's/^role = .*/role = "leader";/' "$LCONF"

begin "incident new prints an 8-hex short id"
ddi incident new --title "某水务公司SCADA异常登录" --category intrusion --org cq.yubei.water-01 \
	--objects "SCADA服务器" --reporter "王工" --detected "2026-03-10 23:30"
rc_is 0
is_true "stdout '$(first "$T/out")' is not 'XXXXXXXX opened'" grep -Eqx '[0-9a-f]{8} opened' "$T/out"
end
I1=$(cut -c1-8 "$T/out")
I1FULL=$(full_id "$I1")

begin "incident list shows it in the queue, overdue"
ddi incident list
rc_is 0
out_has "$I1  未定级"
out_has "reported"
out_has "cq.yubei.water-01"
out_has "OVERDUE"
out_has "某水务公司SCADA异常登录"
end

begin "incident list --json"
ddi incident list --json
rc_is 0
json_ok
out_has "\"id\":\"$I1FULL\""
out_has '"tier":"unassessed"'
out_has '"district":"cq.yubei"'
out_has '"detected_at":"2026-03-10T23:30:00.000+08:00"'
out_has '"next_due":{"what":"assess","at":"2026-03-11T00:30:00.000+08:00"}'
end

begin "incident show: header, chain with its deadline, timeline"
ddi incident show "$I1"
rc_is 0
out_has "$I1  某水务公司SCADA异常登录"
out_has "未定级 unassessed · reported · intrusion · cq.yubei.water-01"
out_has "detected 2026-03-10 23:30"
out_has "objects: SCADA服务器"
out_has "assess     → 带班领导（研判定级）  due 03-11 00:30  OVERDUE"
out_has "opened: 某水务公司SCADA异常登录"
end

begin "incident show --json"
ddi incident show "$I1" --json
rc_is 0
json_ok
out_has '"chain": ['
out_has '"timeline": ['
out_has '"kind": "incident.open"'
end

begin "incident tier: the officer proposes (the id as the queue shows it, or its start)"
ddi incident tier "$(echo "$I1" | cut -c1-5)" III --reason "影响生产"
rc_is 0
out_has "$I1 tier proposed"
ddi incident list
out_has "$I1  较大?     reported"
end

begin "incident tier --confirm by an officer exits 2, nothing stored"
n=$(events)
ddi incident tier "$I1" III --reason "确认" --confirm
rc_is 2
err_has 'only a shift leader (role = "leader") may confirm'
events_are "$n"
end

begin "incident tier --confirm by the leader"
ddl incident tier "$I1" 较大 --reason "确认较大" --confirm
rc_is 0
out_has "$I1 tier confirmed"
# Confirmed, the "?" goes and the status stays in its column.
ddi incident list
out_has "$I1  较大      reported"
ddi incident show "$I1"
out_has "较大 major (III) · reported"
out_lacks "(proposed)"
out_has "district   → 区县经信主管部门  due 03-11 03:30"
out_has "commission → 市经济信息委  due 03-11 03:30"
out_has "tier confirmed III: 确认较大"
end

begin "incident hop records the hop"
ddi incident hop "$I1" district --via phone --at "2026-03-11 01:10"
rc_is 0
out_has "$I1 hop recorded"
ddi incident show "$I1"
out_has "due 03-11 03:30  made 03-11 01:10 by 张三 (phone)"
end

begin "incident hop twice exits 2, nothing stored"
n=$(events)
ddi incident hop "$I1" district --via platform
rc_is 2
err_has "hop 'district' was already recorded at 2026-03-11 01:10 by 张三"
events_are "$n"
end

begin "incident hop not in the chain exits 2 listing the chain"
n=$(events)
ddi incident hop "$I1" cac --via phone
rc_is 2
err_has "no hop 'cac' (it has: district, commission)"
ddi incident hop "$I1" commission --via fax
rc_is 2
err_has "phone, platform or document"
events_are "$n"
end

begin "incident status: an invalid transition exits 2, nothing stored"
n=$(events)
ddi incident status "$I1" recovering --note "跳过研判"
rc_is 2
err_has "an incident that is reported cannot become recovering"
ddi incident status "$I1" assessing
rc_is 2
ddi incident status "$I1" escalated --note x
rc_is 2
err_has "statuses are reported, assessing"
events_are "$n"
ddi incident status "$I1" assessing --note "研判中"
rc_is 0
out_has "$I1 assessing"
end

begin "incident new with a bad category exits 2 naming the categories"
n=$(events)
ddi incident new --title "x" --category fire
rc_is 2
err_has "category must be one of vulnerability, intrusion, malware, outage, data-leak, other"
ddi incident new --category other
rc_is 2
err_has "--title is required"
ddi incident new --title "x" --org "Not An Org"
rc_is 2
events_are "$n"
end

ddi incident new --title "水厂PLC参数异常（渝北区经信委报）" --category intrusion --org cq.yubei.water-01 --detected "2026-03-10 23:40"
I2=$(cut -c1-8 "$T/out")
I2FULL=$(full_id "$I2")
# The digits the two ids share: the time they were made.
common=$(awk -v a="$I1FULL" -v b="$I2FULL" 'BEGIN { n = 0; while (n < length(a) && substr(a, n + 1, 1) == substr(b, n + 1, 1)) n++; print substr(a, 1, n) }')

begin "an ambiguous id prefix exits 2 listing the candidates"
is_true "the ids share only '$common'" test ${#common} -ge 4
ddi incident show "$common"
rc_is 2
err_has "'$common' matches several incidents"
err_has "$I1FULL  某水务公司SCADA异常登录"
err_has "$I2FULL  水厂PLC参数异常"
ddi incident show ffffffff
rc_is 2
err_has "no incident ffffffff"
ddi incident show ab
rc_is 2
err_has "at least 4"
end

begin "incident note and correct: both entries kept and shown"
ddi incident note "$I1" "受影响主机12台"
rc_is 0
out_has "$I1 note added"
NOTE=$(sqlite3 "$IDB" "SELECT substr(id, -8) FROM events WHERE kind = 'incident.note'")
ddi incident correct "$I1" "$NOTE" "更正：受影响主机21台"
rc_is 0
out_has "$I1 correction added"
ddi incident show "$I1"
is_true "the note is not shown as its own entry" grep -q "#$NOTE .*张三 .*受影响主机12台\$" "$T/out"
out_has "CORRECTS #$NOTE更正：受影响主机21台"
end

begin "incident correct of another incident's entry exits 2, nothing stored"
n=$(events)
ddi incident correct "$I2" "$NOTE" "更正"
rc_is 2
err_has "no such entry in this incident"
events_are "$n"
end

begin "incident followup: numbered first and follow-up reports (补报)"
ddi incident followup "$I1" --occurred "03-10 23:10 异常登录" --scope "1座水厂"
rc_is 0
out_has "$I1 report added"
ddi incident followup "$I1" --harm "无供水中断" --measures "隔离主机" --support "请求溯源支持"
rc_is 0
ddi incident followup "$I1"
rc_is 2
err_has "a report needs at least one of"
ddi incident show "$I1"
out_has "first report #1: 03-10 23:10 异常登录 1座水厂"
out_has "follow-up report (补报) #2:"
out_has "无供水中断"
end

begin "incident duplicate: both kept, linked, counted once"
ddi incident duplicate "$I2" --of "$I1"
rc_is 0
out_has "$I2 marked duplicate"
ddi incident list
out_has "$I1"
out_lacks "$I2"
ddi incident show "$I2"
out_has "DUPLICATE of $I1FULL"
ddi incident duplicate "$I1" --of "$I2"
rc_is 2
err_has "its own duplicate"
end

begin "incident summary before the close exits 2; reviewed needs the summary"
n=$(events)
ddi incident summary "$I1" --cause 弱口令 --response 隔离 --harm 无 --accountability 运维 --rectification 改密 --lessons 审计
rc_is 2
err_has "close the incident first"
ddi incident status "$I1" closed --note "处置完毕"
rc_is 0
ddi incident status "$I1" reviewed --note "复盘"
rc_is 2
err_has "reviewed needs the post-incident summary first"
ddi incident summary "$I1" --cause 弱口令 --response 隔离
rc_is 2
err_has "harm is empty"
events_are "$((n + 1))"
ddi incident summary "$I1" --cause "VPN弱口令被利用" --response "隔离主机、重置口令" --harm "无生产影响" \
	--accountability "运维外包方" --rectification "启用双因素认证" --lessons "定期口令审计"
rc_is 0
out_has "$I1 summary written"
ddi incident list --closed
out_has "$I1"
out_has "closed"
ddi incident list
out_lacks "$I1"
end

begin "incident report --format md: chain against deadlines, tier history, timeline"
ddi incident report "$I1" --format md
rc_is 0
out_has "# $I1  某水务公司SCADA异常登录"
out_has "## reporting chain"
out_has "district   → 区县经信主管部门  due 03-11 03:30  made 03-11 01:10 by 张三 (phone)"
out_has "commission → 市经济信息委  due 03-11 03:30  OVERDUE"
out_has "summary    due"
out_has "written"
out_has "## timeline"
out_has "tier proposed III: 影响生产"
out_has "tier confirmed III: 确认较大"
out_has "status → closed: 处置完毕"
out_has "summary written"
end

begin "incident report --format json"
ddi incident report "$I1" --format json
rc_is 0
json_ok
out_has '"made_at": "2026-03-11T01:10:00.000+08:00"'
out_has '"due": "2026-03-11T03:30:00.000+08:00"'
out_has '"kind": "incident.summary"'
out_has '"lessons": "定期口令审计"'
ddi incident report "$I1" --format pdf
rc_is 2
end

begin "incidents verify and rebuild identical"
ddi verify
rc_is 0
ddi rebuild
rc_is 0
out_has "identical"
end

begin "tiers check ok"
ddi tiers check
rc_is 0
out_has "tier rules ok: 5 tiers, summary due 30 days after handling ends"
end

# A broken tiers.conf named by the config, relative to the config's folder.
cp "$ROOT/data/tiers.conf" "$IDIR/bad-tiers.conf"
badline=$(grep -n 'id = "commission"; to = "市经济信息委"; within = "4h"' "$IDIR/bad-tiers.conf" | head -n 1 | cut -d: -f1)
sed -i "${badline}s/within = \"4h\"/within = \"0h\"/" "$IDIR/bad-tiers.conf"
sed 's/^role = .*/role = "officer";\ntiers = "bad-tiers.conf";/' "$ICONF" >"$IDIR/badtiers.conf"
begin "tiers check with a broken tiers.conf exits 2 naming file:line"
raw --config "$IDIR/badtiers.conf" tiers check
rc_is 2
err_has "$IDIR/bad-tiers.conf:$badline: tier III.hops[1].within: must be a positive duration"
end

begin "incident commands refuse a broken tiers.conf, nothing stored"
n=$(events)
raw --config "$IDIR/badtiers.conf" incident new --title "x" --category other
rc_is 2
err_has "bad-tiers.conf:$badline:"
events_are "$n"
end

printf 'tiers = (\n  { id = "V"; name_zh = "x"; }\n);\n' >"$IDIR/bad-tiers.conf"
begin "tiers check names an unknown tier id at its line"
raw --config "$IDIR/badtiers.conf" tiers check
rc_is 2
err_has "$IDIR/bad-tiers.conf:2: tier.id: unknown tier"
rm -f "$IDIR/bad-tiers.conf"
raw --config "$IDIR/badtiers.conf" tiers check
rc_is 2
err_has "$IDIR/bad-tiers.conf: cannot read the tier rules"
end

# ---- roster, duty schedule, protected objects -----------------------------
# A desk of its own with the shipped org tree (data/orgs/chongqing.conf),
# the samples of data/samples/, and a leader's console on the same
# database for swaps.  Duty dates are fixed days, so the checks do not
# depend on today.

RDIR="$T/roster"
RCONF="$RDIR/officer.conf"
RLCONF="$RDIR/leader.conf"
RDB="$RDIR/desk.db"
ddr() {
	"$DD" --config "$RCONF" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
ddrl() {
	"$DD" --config "$RLCONF" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
revents() { sqlite3 "$RDB" "SELECT count(*) FROM events"; }
revents_are() { [ "$(revents)" = "$1" ] || flunk "$1 events before, $(revents) after: something was stored"; }
"$DD" --config "$RCONF" --db "$RDB" init --org cq.center --officer 张伟 </dev/null >/dev/null 2>&1
"$DD" --config "$RLCONF" --db "$RDB" init --org cq.center --officer 王主任 </dev/null >/dev/null 2>&1
sed -i 's/^role = .*/role = "leader";/' "$RLCONF"

if [ -x "$ROOT/build/gen-orgs" ]; then
	begin "data/orgs/chongqing.conf is what gen_orgs.c generates"
	"$ROOT/build/gen-orgs" >"$T/orgs.conf"
	is_true "differs from build/gen-orgs output (run make orgs)" cmp -s "$T/orgs.conf" "$ROOT/data/orgs/chongqing.conf"
	end
fi

begin "org load: the shipped tree, all or nothing"
ddr org load "$ROOT/data/orgs/chongqing.conf"
rc_is 0
out_has "0 unchanged"
end
N0=$(revents)

begin "org load twice writes nothing"
ddr org load "$ROOT/data/orgs/chongqing.conf"
rc_is 0
out_has "0 events written"
revents_are "$N0"
end

begin "org list: the commission, the centre, 41 district offices, 8 external bodies"
ddr org list --json
rc_is 0
json_ok
n=$(grep -cE '"kind":"(district|county|autonomous-county|zone)"' "$T/out")
[ "$n" = 41 ] || flunk "$n district offices, want 41"
n=$(grep -c '"kind":"external"' "$T/out")
[ "$n" = 8 ] || flunk "$n external bodies, want 8"
out_has '"id":"cq.gaoxin","parent":"cq","kind":"zone","kind_name":"开发区","name":"西部科学城重庆高新区"'
out_has '"name":"万盛经济技术开发区"'
end

begin "org list --scope: the subtree only"
ddr org list --scope cq.yubei
rc_is 0
out_has "cq.yubei "
out_has "cq.yubei.ent-"
out_lacks "cq.yuzhong"
end

begin "org show: the contact card"
ddr org show cq.center
rc_is 0
out_has "重庆市工业信息安全发展中心"
out_has "工作负责人"
out_has "应急联络员"
end

begin "org load: unknown parent, duplicate id, bad phone — file:line, exit 2, nothing stored"
cat >"$T/bad.conf" <<'CONF'
orgs = (
  { id = "cq.nowhere.ent-1"; kind = "ent-industrial"; name = "无上级（虚构）"; },
  { id = "cq.yubei.ent-8001"; kind = "ent-industrial"; name = "甲（虚构）";
    liaisons = ( { role = "lead"; name = "某（虚构）"; mobile = "12345"; } ); },
  { id = "cq.yubei.ent-8001"; kind = "ent-industrial"; name = "重复（虚构）"; }
);
CONF
ddr org load "$T/bad.conf"
rc_is 2
err_has "$T/bad.conf:2: parent 'cq.nowhere' is not a known org"
err_has "$T/bad.conf:4: mobile '12345'"
err_has "$T/bad.conf:5: id: duplicate cq.yubei.ent-8001"
err_has "nothing was loaded"
revents_are "$N0"
end

begin "import: the samples (UTF-8, UTF-8 with BOM, GBK)"
ddr import orgs "$ROOT/data/samples/orgs.csv"
rc_is 0
out_has "(UTF-8): 3 rows, 3 events written"
ddr import objects "$ROOT/data/samples/objects.csv"
rc_is 0
ddr import roster "$ROOT/data/samples/roster-utf8-bom.csv"
rc_is 0
out_has "(UTF-8 with BOM): 5 rows, 5 events written"
ddr import duty "$ROOT/data/samples/duty-gbk.csv"
rc_is 0
out_has "(GB18030): 4 rows, 4 events written"
ddr import duty "$ROOT/data/samples/duty-gbk.csv" --encoding gbk
rc_is 0
out_has "0 events written, 4 unchanged"
end
N1=$(revents)

printf 'org,role,name,mobile\ncq.yubei,contact,甲（虚构）,13800000001\ncq.yubei,contact,乙（虚构）,1380000\n"cq.yubei,contact,丙,13800000002\n' >"$T/bad.csv"
begin "import: every bad row as file:line:column, exit 2, nothing stored"
ddr import roster "$T/bad.csv"
rc_is 2
err_has "$T/bad.csv:3:24: mobile '1380000'"
err_has "$T/bad.csv:4:1: this quoted field never ends"
err_has "nothing was imported"
revents_are "$N1"
end

printf 'org,role,name\ncq.yubei,contact,甲,多余\ncq.yubei,contact,乙,"x"y\n' >"$T/cols.csv"
begin "import: wrong column counts and quotes"
ddr import roster "$T/cols.csv"
rc_is 2
err_has "$T/cols.csv:2:20: 4 fields where the header has 3"
err_has "$T/cols.csv:3:23: text after a closing quote"
revents_are "$N1"
end

printf 'org,role,name\ncq.yubei,contact,\377\376\375\n' >"$T/enc.csv"
begin "import: bytes that are neither UTF-8 nor GBK"
ddr import roster "$T/enc.csv"
rc_is 2
err_has "$T/enc.csv:2:18: neither UTF-8 nor GB18030/GBK"
ddr import roster "$T/bad.csv" --encoding latin1
rc_is 2
revents_are "$N1"
end

begin "import FILE of JSON lines still works beside the tables"
ddr import "$T/bad.csv"
rc_is 2
err_has "$T/bad.csv:1"
end

begin "roster find: Chinese substring, phone digits with separators"
ddr roster find 示例
rc_is 0
out_has "周示例（虚构）"
out_has "冯示例（虚构）"
ddr roster find "6000 9005"
rc_is 0
out_has "陈示例（虚构）"
out_has "023-60009005转12"
ddr roster find 两江新区 --role contact --json
rc_is 0
json_ok
out_has '"name":"陈示例（虚构）"'
end

begin "roster find --at: the roster as it was"
ddr roster set cq.support.xinan --role lead --name 甲负责人（虚构） --mobile 13800007001 --from "2026-01-01"
rc_is 0
ddr roster set cq.support.xinan --role 工作负责人 --name 乙负责人（虚构） --mobile 13800007002 --from "2026-03-01"
rc_is 0
ddr roster set cq.support.xinan --role lead --name 丙负责人（虚构） --from "2026-02-01"
rc_is 2
err_has "history is not rewritten"
ddr roster find 负责人（虚构） --scope cq.support.xinan --at "2026-02-01"
rc_is 0
out_has "甲负责人（虚构）"
out_lacks "乙负责人"
ddr roster find 负责人（虚构） --scope cq.support.xinan
out_has "乙负责人（虚构）"
out_lacks "甲负责人"
ddr roster find 负责人 --scope cq.support.xinan --at "2025-12-31"
out_empty
end

begin "roster set: a bad phone is refused, exit 2"
ddr roster set cq.yubei --role contact --name 某（虚构） --mobile 023-63001234
rc_is 2
err_has "not a mobile number"
ddr roster set cq.yubei --role contact --name 某（虚构） --office 63001234
rc_is 2
err_has "area code"
end

begin "roster find shows a name's control characters escaped"
ddr roster set cq.yubei --role contact --name "$(printf 'x\033[31m红')（虚构）" --mobile 13800000123
rc_is 0
ddr roster find 13800000123
rc_is 0
out_no_esc
out_has "x^[[31m红（虚构）"
end

begin "duty week and now from the GBK sample"
ddr duty week --from 2026-12-01
rc_is 0
out_has "12-01 周二 08:30→08:30"
out_has "值班 张伟、李娜  带班 王主任"
out_has "7×24"
ddr duty now --at "2026-12-02 08:29"
rc_is 0
out_has "张伟、李娜"
ddr duty now --at "2026-12-02 08:30"
rc_is 0
out_has "赵强、孙丽"
ddr duty now --org cq.yubei --at "2026-12-05 12:00"
rc_is 0
out_has "nobody on duty"
end

begin "duty set: an overlapping shift is refused, exit 2"
n=$(revents)
ddr duty set cq.center --date 2026-12-01 --start 20:00 --end 09:00 --officer 某
rc_is 2
err_has "overlaps the shift 2026-12-01 08:30"
revents_are "$n"
end

begin "duty swap: an officer's own take-over, a leader's swap, each with its reason"
ddr duty swap cq.center --date 2026-12-02 --from 赵强 --to 孙丽 --reason x
rc_is 2
err_has "already on that shift"
ddr duty swap cq.center --date 2026-12-02 --from 赵强 --to 钱七 --reason "赵强病假"
rc_is 2
err_has "only their own shifts"
ddrl duty swap cq.center --date 2026-12-02 --from 赵强 --to 张伟 --with 2026-12-03 --reason "调休"
rc_is 0
ddr duty now --at "2026-12-03 12:00"
out_has "赵强"
ddr duty week --from 2026-12-01
out_has "swap"
end

begin "duty gaps: no leader, uncovered days; exit 1"
ddr duty gaps --from 2026-12-01 --days 5 --duty
rc_is 1
out_has "shift has no leader"
out_has "cq.yubei"
out_has "nobody on duty"
out_has "2026-12-04 08:30"
end

begin "duty reassign and cancel: a leader's, with a reason"
ddr duty reassign cq.center --date 2026-12-01 --leader 某 --reason x
rc_is 2
err_has "only a leader"
ddrl duty reassign cq.center --date 2026-12-01 --leader 刘副主任 --reason "王主任出差"
rc_is 0
ddr duty now --at "2026-12-01 12:00"
out_has "Leader         刘副主任"
ddrl duty cancel cq.yubei --date 2026-12-01 --reason "并入中心值班"
rc_is 0
ddr duty now --org cq.yubei --at "2026-12-01 12:00"
out_has "nobody on duty"
end

begin "roster lint: the seeded liaison gaps"
ddr roster lint --liaisons
rc_is 1
out_has "liaison has no mobile"
out_has "no emergency liaison"
end

begin "objects list: the district ledger, important first"
ddr objects list --district cq.yubei
rc_is 0
out_has "cq.yubei  渝北区"
first_obj=$(grep -m1 '^  ' "$T/out")
case $first_obj in *重要*) ;; *) flunk "first object is not important: $first_obj" ;; esac
ddr objects list --district cq.yubei --important --json
rc_is 0
json_ok
out_lacks '"important":false'
out_has '"name":"示例供水SCADA"'
end

begin "objects add and assess"
ddr objects add cq.yubei.ent-9001 --kind ics --name 示例PLC网络 --exposed
rc_is 0
OBJ=$(cut -d' ' -f1 "$T/out")
ddr objects add cq.yubei --kind ics --name x
rc_is 2
err_has "not an enterprise"
ddr objects assess "$OBJ" --important yes --date 2026-11-01
rc_is 0
out_has "重要"
ddr objects list --district cq.yubei --important
out_has "示例PLC网络"
end

begin "call: recorded as a shift-log entry with the callee and result"
ddr call cq.yubei --result no-answer --liaison 冯示例（虚构） --note 稍后再拨
rc_is 0
ddr log list --all
out_has "致电 渝北区：无人接听；冯示例（虚构）（应急联络员）13800009004。稍后再拨"
ddr call cq.yubei --result hung-up
rc_is 2
ddr org show cq.yubei
out_has "无人接听"
end

begin "export roster CSV: BOM, re-imported unchanged; JSON valid"
ddr export roster --format csv --output "$T/roster-out.csv"
rc_is 0
is_true "no UTF-8 BOM" test "$(head -c 3 "$T/roster-out.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
n=$(revents)
ddr import roster "$T/roster-out.csv"
rc_is 0
out_has " 0 events written"
revents_are "$n"
ddr export objects --format json --scope cq.yubei
rc_is 0
json_ok
ddr export duty --format csv --from 2026-12-01
rc_is 0
out_has "cq.center,"
out_has "2026-12-03,08:30,08:30"
end

begin "the shift-log export is unchanged"
ddr export --format csv
rc_is 0
out_has "冯示例"
end

begin "roster: verify passes, rebuild gives identical projections"
ddr verify
rc_is 0
ddr rebuild
rc_is 0
out_has "identical"
end

# ---- locked database --------------------------------------------------------------

snap
begin "locked database: log waits for the busy timeout, then exits 1 saying locked"
mkfifo "$T/lockfifo"
sqlite3 "$DB" <"$T/lockfifo" >"$T/lock.out" 2>&1 &
LOCKPID=$!
exec 7>"$T/lockfifo"
(
	trap '' PIPE
	printf "BEGIN IMMEDIATE;\nSELECT 'holding';\n" >&7
) 2>/dev/null
i=0
while ! grep -q holding "$T/lock.out" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if ! grep -q holding "$T/lock.out"; then
	flunk "sqlite3 did not take the lock: $(first "$T/lock.out")"
else
	t0=$(date +%s)
	"$DD" --config "$CONF" log "written while locked" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
	t1=$(date +%s)
	rc_is 1
	err_has "locked"
	[ $((t1 - t0)) -ge 4 ] || flunk "gave up after $((t1 - t0)) s, before the busy timeout"
fi
end

begin "locked database: reading still works"
ddk log list --all
rc_is 0
out_has "第一条：值班开始，系统正常"
end

(
	trap '' PIPE
	printf 'ROLLBACK;\n.quit\n' >&7
) 2>/dev/null
exec 7>&-
wait "$LOCKPID" 2>/dev/null
LOCKPID=

begin "locked database: nothing written, and log works once released"
log_unchanged
ddk log "after the lock"
rc_is 0
ddk verify
rc_is 0
end

begin "20 concurrent log processes all succeed, chain intact"
n0=$(sqlite3 "$DB" "SELECT count(*) FROM events")
i=0
while [ $i -lt 20 ]; do
	("$DD" --config "$CONF" log "并发 $i" </dev/null >/dev/null 2>"$T/par.$i.err"; echo $? >"$T/par.$i.rc") &
	i=$((i + 1))
done
wait
i=0
while [ $i -lt 20 ]; do
	r=$(cat "$T/par.$i.rc" 2>/dev/null)
	[ "$r" = 0 ] || flunk "process $i exited ${r:-?}: $(first "$T/par.$i.err")"
	i=$((i + 1))
done
n1=$(sqlite3 "$DB" "SELECT count(*) FROM events")
[ $((n1 - n0)) -eq 20 ] || flunk "$((n1 - n0)) events added, want 20"
ddk verify
rc_is 0
end

# ---- full disk ----------------------------------------------------------------
# RLIMIT_FSIZE (prlimit, unprivileged) makes writes past a size fail the way
# a full disk does; SIGXFSZ is ignored so write() returns EFBIG instead of
# killing the process.  A 15,000-byte entry needs ~53 KB of WAL; the limit
# lets the 32 KB -shm be created but not the WAL frames.
if command -v prlimit >/dev/null 2>&1; then
	FSCONF="$T/fs/dutydesk.conf"
	"$DD" --config "$FSCONF" init --org cq.yubei --officer 张三 </dev/null >/dev/null 2>&1
	"$DD" --config "$FSCONF" log "before the disk filled" </dev/null >/dev/null 2>&1
	"$DD" --config "$FSCONF" log list --all --json </dev/null >"$T/fs.before" 2>&1
	big=$(head -c 15000 /dev/zero | tr '\0' x)

	begin "full disk (file size limit): log exits 1, nothing half-written"
	(
		trap '' XFSZ
		exec prlimit --fsize=40000 "$DD" --config "$FSCONF" log "$big"
	) </dev/null >"$T/out" 2>"$T/err"
	RC=$?
	rc_is 1
	err_said
	out_empty
	"$DD" --config "$FSCONF" log list --all --json </dev/null >"$T/fs.after" 2>&1
	is_true "stored entries changed" cmp -s "$T/fs.before" "$T/fs.after"
	"$DD" --config "$FSCONF" verify </dev/null >"$T/out" 2>"$T/err"
	RC=$?
	rc_is 0
	"$DD" --config "$FSCONF" log "after space was freed" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
	rc_is 0
	end
else
	echo "# skip - full disk: prlimit (util-linux) not found"
fi

# Read-only database: only meaningful when file modes bind (not as root).
if [ "$(id -u)" != 0 ]; then
	ROCONF="$T/ro/dutydesk.conf"
	"$DD" --config "$ROCONF" --db "$T/ro/ro.db" init --org cq.yubei --officer 张三 </dev/null >/dev/null 2>&1
	"$DD" --config "$ROCONF" --db "$T/ro/ro.db" log "before read-only" </dev/null >/dev/null 2>&1
	chmod 0400 "$T/ro/ro.db"
	cp "$T/ro/ro.db" "$T/ro.orig"
	begin "read-only database: log exits 1, file unchanged"
	raw --config "$ROCONF" --db "$T/ro/ro.db" log "cannot be written"
	rc_is 1
	err_said
	is_true "database changed" cmp -s "$T/ro/ro.db" "$T/ro.orig"
	raw --config "$ROCONF" --db "$T/ro/ro.db" log list --all
	out_has "before read-only"
	end
	chmod 0600 "$T/ro/ro.db"
else
	echo "# skip - read-only database: running as root, file modes do not bind"
fi

# ---- damaged and foreign databases ----------------------------------------

head -c 16384 /dev/urandom >"$T/random.db"
cp "$T/random.db" "$T/random.orig"

begin "corrupt database (random bytes): log refused with a message"
raw --config "$CONF" --db "$T/random.db" log "into the void"
rc_not0
err_has "$T/random.db"
err_has "not a dutydesk database or damaged"
end

begin "corrupt database: list, verify, export, rebuild refused"
for cmd in "log list --all" "verify" "export --format json" "rebuild"; do
	# shellcheck disable=SC2086
	raw --config "$CONF" --db "$T/random.db" $cmd
	[ "$RC" != 0 ] || flunk "$cmd exited 0"
	[ -s "$T/err" ] || flunk "$cmd printed no message"
done
end

begin "corrupt database: file unchanged, no journal created"
is_true "file changed" cmp -s "$T/random.db" "$T/random.orig"
for s in -wal -shm -journal; do
	is_true "$T/random.db$s created" test ! -e "$T/random.db$s"
done
end

begin "corrupt database: init refuses it and leaves it unchanged"
raw --config "$T/init-random/dutydesk.conf" --db "$T/random.db" init --org cq.yubei --officer 张三
rc_not0
is_true "file changed" cmp -s "$T/random.db" "$T/random.orig"
end

begin "damaged pages: verify exits 1, log refused, file unchanged"
# Every page but the first (the schema) overwritten with 0xAA.
sqlite3 "$DB" ".backup '$T/damaged.db'" 2>/dev/null
size=$(wc -c <"$T/damaged.db")
head -c $((size - 4096)) /dev/zero | tr '\000' '\252' |
	dd of="$T/damaged.db" bs=4096 seek=1 conv=notrunc 2>/dev/null
cp "$T/damaged.db" "$T/damaged.orig"
raw --config "$CONF" --db "$T/damaged.db" verify
rc_is 1
err_said
raw --config "$CONF" --db "$T/damaged.db" log "into damaged"
rc_not0
err_said
is_true "file changed" cmp -s "$T/damaged.db" "$T/damaged.orig"
end

sqlite3 "$T/foreign.db" "CREATE TABLE contacts(name TEXT, phone TEXT); INSERT INTO contacts VALUES('王', '123');"
cp "$T/foreign.db" "$T/foreign.orig"

begin "foreign SQLite database: log refused, file unchanged"
raw --config "$CONF" --db "$T/foreign.db" log "wrong file"
rc_not0
err_has "not dutydesk's"
is_true "file changed" cmp -s "$T/foreign.db" "$T/foreign.orig"
end

begin "foreign SQLite database: list and verify refused, file unchanged"
raw --config "$CONF" --db "$T/foreign.db" log list --all
rc_not0
err_said
raw --config "$CONF" --db "$T/foreign.db" verify
rc_not0
is_true "file changed" cmp -s "$T/foreign.db" "$T/foreign.orig"
end

begin "foreign SQLite database: init refuses it and leaves it unchanged"
raw --config "$T/init-foreign/dutydesk.conf" --db "$T/foreign.db" init --org cq.yubei --officer 张三
is_true "exit $RC and file changed (tables now: $(sqlite3 "$T/foreign.db" .tables 2>/dev/null | tr -s ' \n' ' '))" \
	cmp -s "$T/foreign.db" "$T/foreign.orig"
rc_not0
end

begin "missing database with a config exits 2 suggesting init, creates nothing"
raw --config "$CONF" --db "$T/nowhere.db" log "x"
rc_is 2
err_has "init"
is_true "database created" test ! -e "$T/nowhere.db"
end

# ---- configuration --------------------------------------------------------

mkdir -p "$T/conf"
snap

begin "config check ok"
ddk config check
rc_is 0
out_has "$CONF: ok"
out_has "$ORIGIN"
out_has "Asia/Shanghai"
end

begin "config path"
ddk config path
rc_is 0
is_true "printed '$(first "$T/out")'" test "$(cat "$T/out")" = "$CONF"
end

printf 'officer = "张三";\norg = "cq.yubei";\ntimezone = "Asia/Shanghai";\ntheme = ;\n' >"$T/conf/syntax.conf"
begin "config syntax error exits 2 naming file:line"
raw --config "$T/conf/syntax.conf" log list
rc_is 2
err_has "$T/conf/syntax.conf:4"
raw --config "$T/conf/syntax.conf" config check
rc_is 2
err_has "$T/conf/syntax.conf:4"
end

printf 'officer = "张三";\norg = "cq.yubei";\nwibble = "x";\n' >"$T/conf/unknown.conf"
begin "unknown setting exits 2 naming it and file:line"
raw --config "$T/conf/unknown.conf" config check
rc_is 2
err_has "$T/conf/unknown.conf:3"
err_has "wibble"
end

printf 'officer = "张三";\ntimezone = "Mars/Olympus_Mons";\n' >"$T/conf/zone.conf"
begin "bad timezone exits 2 naming the setting and file:line"
raw --config "$T/conf/zone.conf" config check
rc_is 2
err_has "$T/conf/zone.conf:2"
err_has "timezone"
end

printf 'officer = 5;\n' >"$T/conf/type.conf"
begin "wrong value type exits 2 naming the setting"
raw --config "$T/conf/type.conf" config check
rc_is 2
err_has "$T/conf/type.conf:1"
err_has "officer"
end

printf 'officer = "张三";\nzero_remind_min = 1000;\n' >"$T/conf/remind.conf"
begin "zero_remind_min out of range exits 2 naming the setting; the default shows in config check"
raw --config "$T/conf/remind.conf" config check
rc_is 2
err_has "$T/conf/remind.conf:2"
err_has "zero_remind_min"
ddk config check
rc_is 0
out_has "reminder  30 min before a zero-report time"
end

printf '# written by hand\nshift_start = "8:30";\n' >"$T/conf/shift.conf"
begin "bad shift_start exits 2 naming the setting"
raw --config "$T/conf/shift.conf" config check
rc_is 2
err_has "$T/conf/shift.conf:2"
err_has "shift_start"
end

printf 'officer = "张三";\norg = "cq.yubei";\ndatabase = "%s";\n' "$DB" >"$T/conf/noorigin.conf"
begin "config without an origin: log exits 2 suggesting init"
raw --config "$T/conf/noorigin.conf" log "x"
rc_is 2
err_has "init"
end

mkdir -p "$T/conf/adir"
begin "config that is a folder exits 2 naming it"
raw --config "$T/conf/adir" config check
rc_is 2
err_has "$T/conf/adir"
end

LC_ALL=C sed "s/^officer = .*/officer = \"$(printf 'bad\377name')\";/" "$CONF" >"$T/conf/officer.conf"
begin "config check rejects an officer that is not UTF-8, naming it"
raw --config "$T/conf/officer.conf" config check
rc_is 2
err_has "$T/conf/officer.conf:"
err_has "officer"
end

begin "missing config exits 2 suggesting init"
raw --config "$T/conf/absent.conf" log "x"
rc_is 2
err_has "dutydesk init"
raw --config "$T/conf/absent.conf" config check
rc_is 2
err_has "dutydesk init"
is_true "config created" test ! -e "$T/conf/absent.conf"
end

begin "configuration errors lost nothing"
log_unchanged
ddk verify
rc_is 0
end

begin "nothing written outside the temporary home"
is_true "unexpected files in HOME: $(cd "$HOME" && find . -type f | tr '\n' ' ')" \
	test "$(cd "$HOME" && find . -type f ! -path './.config/dutydesk/*' ! -path './.local/share/dutydesk/*' | wc -l)" -eq 0
end

# ---- protection periods, zero reports, advisories (issue 7) --------------

begin "period new: only the commission or centre, bad input exits 2 and stores nothing"
N1=$(revents)
ddr period new 峰会 --start -1h --end -2h --scope cq.yubei --times 16:00
rc_is 2
err_has "end"
ddr period new 峰会 --start -1h --end +2d --scope cq.yubei --times 25:00
rc_is 2
err_has "25:00"
ddr period new 峰会 --start -1h --end +2d --scope cq.nowhere --times 16:00
rc_is 2
revents_are "$N1"
ddr period new 峰会 --start -1h --end +2d --scope cq.yubei --times 16:00,08:00 --grace 30 --rules zero,freeze
rc_is 0
out_has "period created"
PERIOD=$(cut -c1-8 "$T/out")
ddr period new 另一个 --start -1h --end +1d --scope cq.yubei.ent-9001 --times 10:00
rc_is 2
err_has "overlaps"
ddr period list
rc_is 0
out_has "峰会"
end

begin "zero submit: nil, a second report only as a correction, bad input exits 2"
N1=$(revents)
ddr zero submit --org cq.yubei.ent-9001
rc_is 2
err_has "--nil"
ddr zero submit --org cq.jiangbei --nil
rc_is 2
err_has "cq.jiangbei"
ddr zero submit --org cq.yubei.ent-9001 --nil --via fax
rc_is 2
ddr zero submit --org cq.yubei.ent-9001 --incident deadbeef
rc_is 2
revents_are "$N1"
LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$DD" --config "$RCONF" zero submit --org cq.yubei.ent-9001 --nil --via phone \
	--reporter 王五 </dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
out_has "零报告，报送时间"
ddr zero submit --org cq.yubei.ent-9001 --nil
rc_is 2
err_has "--correct"
ddr zero submit --org cq.yubei.ent-9001 --nil --correct --note 补充
rc_is 0
out_has "nil report for the report time"
out_has "(a correction)"
end

begin "zero status and export: counts, the reported org, JSON and CSV"
# --slot now: the slot the reports above went to, whatever the hour (the
# default is the slot the console shows; see the next case).
ddr zero status --slot now
rc_is 0
out_has "reported"
out_has "cq.yubei.ent-9001"
out_has "(corrected)"
ddr zero status --json --slot now
rc_is 0
out_has '"reported": 1'
ddr zero export --format csv
rc_is 0
out_has "slot,district,org,name,state"
out_has "cq.yubei.ent-9001"
ddr zero export --format md
rc_is 0
out_has "# 零报告日报"
ddr zero export --format pdf
rc_is 2
end

# A desk of its own on a fixed clock (faketime): which slot `zero status`
# shows depends on the hour.
ZDIR="$T/zeroclock"
ZCONF="$ZDIR/desk.conf"
mkdir -p "$ZDIR"
"$DD" --config "$ZCONF" --db "$ZDIR/desk.db" init --org cq.center --officer 张伟 </dev/null >/dev/null 2>&1
ZLC=$LC_ALL
zat() { # TIME ARGS…: dutydesk at TIME, Shanghai time, in locale $ZLC
	t=$1
	shift
	env TZ=Asia/Shanghai LC_ALL="$ZLC" faketime -f "@$t" "$DD" --config "$ZCONF" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
zat '2026-11-20 08:00:00' org load "$ROOT/data/orgs/chongqing.conf"
zat '2026-11-25 08:00:00' period new 峰会 --start 2026-11-25T00:00:00+08:00 --end 2026-11-28T00:00:00+08:00 \
	--scope cq.yubei --times 09:00,16:00 --grace 30
zat '2026-11-26 08:10:00' zero submit --org cq.yubei --nil --via console
zat '2026-11-26 08:20:00' zero submit --org cq.yubei.ent-0170 --nil --via phone

begin "zero status defaults to the console's slot: the latest reached today, else the next"
zat '2026-11-26 12:28:00' zero status
rc_is 0
out_has "slot 2026-11-26 09:00"
out_has "2 / 4 reported · 2 missing · 0 late · 0 pending · closed 09:30"
zat '2026-11-26 12:28:00' zero status --json
rc_is 0
out_has '"slot": "2026-11-26T09:00:00.000+08:00"'
out_has '"missing": 2'
zat '2026-11-26 07:00:00' zero status
out_has "slot 2026-11-26 09:00"
out_has "2 / 4 reported · 0 missing · 0 late · 2 pending · closes 09:30 (in 2:30)"
zat '2026-11-26 16:05:00' zero status
out_has "slot 2026-11-26 16:00"
zat '2026-11-26 12:28:00' zero status --slot 2026-11-26T10:00
out_has "slot 2026-11-26 16:00"
end

begin "zero status: names first, ids in a column of their own, one language"
zat '2026-11-26 12:28:00' zero status
is_true "no missing row with name then id" grep -qE '^  missing +峻岚宏巴电子材料有限公司（虚构） +cq\.yubei\.ent-0122$' "$T/out"
is_true "no on-time row with name, id, then the report" \
	grep -qE '^  on time +鼎盛云岭制药有限公司（虚构） +cq\.yubei\.ent-0170 +11-26 08:20  nil report · by phone · ' "$T/out"
out_has "渝北区 (cq.yubei) · 2 / 4 reported · 2 missing"
is_true "a line ends in blanks" sh -c "! grep -q ' \$' '$T/out'"
ZLC=zh_CN.UTF-8
zat '2026-11-26 12:28:00' zero status
ZLC=$LC_ALL
rc_is 0
out_has "零报告 · 峰会 · 报送时间 2026-11-26 09:00"
out_has "已报 2 / 4 · 未报 2 · 迟报 0 · 待报 0 · 09:30 已截止"
out_has "收到时间"
is_true "the row of an org on time does not read 已报" grep -qE '^  已报 +鼎盛云岭制药' "$T/out"
out_lacks "reported"
out_lacks "报告时间"
out_lacks " by "
end

begin "change freeze: changing an important object during the period warns"
ddr objects add cq.yubei.ent-9001 --kind ics --name 冻结测试PLC
rc_is 0
FOBJ=$(cut -c1-8 "$T/out")
ddr objects assess "$FOBJ" --important yes
rc_is 0
ddr period show "$PERIOD"
rc_is 0
out_has "冻结告警"
out_has "冻结测试PLC"
end

begin "advisory: issue, ack, report, progress; non-recipients refused"
ddr advisory new 某PLC高危漏洞 --level 黄 --action 立即自查 --deadline +1d --to cq.yubei --products CVE-2026-0001
rc_is 0
ADV=$(cut -c1-8 "$T/out")
N1=$(revents)
ddr advisory ack "$ADV" --org cq.jiangbei
rc_is 2
err_has "not a recipient"
ddr advisory report "$ADV" --org cq.yubei.ent-9001 --affected no --measures 无
rc_is 2
err_has "acknowledge"
ddr advisory new x --level purple --action y --deadline +1d --to cq.yubei
rc_is 2
revents_are "$N1"
ddr advisory ack "$ADV" --org cq.yubei.ent-9001
rc_is 0
ddr advisory report "$ADV" --org cq.yubei.ent-9001 --affected no --measures 已核查未使用该型号
rc_is 0
ddr advisory list
rc_is 0
out_has "已反馈 1/"
ddr advisory show "$ADV"
rc_is 0
out_has "已核查未使用该型号"
ddr rebuild
rc_is 0
out_has "identical"
end

begin "zero export md: a | or * in an org name is escaped and the table keeps its columns"
cat >"$T/pipe.conf" <<'CONF'
orgs = (
  { id = "cq.yubei.ent-9777"; kind = "ent-industrial"; name = "甲|乙*化工（虚构）"; }
);
CONF
ddr org load "$T/pipe.conf"
rc_is 0
ddr zero export --format md
rc_is 0
out_has 'cq.yubei.ent-9777 甲\|乙\*化工（虚构）'
out_lacks '甲|乙'
# A row has the header's seven cell borders once escaped pipes are left out.
is_true "the row of cq.yubei.ent-9777 has $(grep -F 'ent-9777' "$T/out" | head -n 1 | sed 's/\\|//g' | tr -cd '|' | wc -c) borders, not 7" \
	test "$(grep -F 'ent-9777' "$T/out" | head -n 1 | sed 's/\\|//g' | tr -cd '|' | wc -c)" -eq 7
end

# ---- handover (交接班) -------------------------------------------------------
# A desk of its own: the outgoing officer's console and the incoming
# officer's, on one database.

HDIR="$T/handover"
HOUT="$HDIR/out.conf"
HIN="$HDIR/in.conf"
mkdir -p "$HDIR"
"$DD" --config "$HOUT" --db "$HDIR/desk.db" init --org cq.center --officer 张伟 >/dev/null 2>&1
"$DD" --config "$HIN" --db "$HDIR/desk.db" init --org cq.center --officer 李娜 >/dev/null 2>&1
ddo() {
	"$DD" --config "$HOUT" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
ddi() {
	"$DD" --config "$HIN" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
hevents() { "$DD" --config "$HOUT" verify 2>/dev/null | sed -n 's/^ok: \([0-9]*\) events.*/\1/p'; }

begin "handover show: a draft with the summary of the shift"
ddo org load "$ROOT/data/orgs/chongqing.conf"
ddo incident new --title 渝北区某企业PLC通信异常 --org cq.yubei --category intrusion
rc_is 0
ddo call cq.yubei --result no-answer --out
rc_is 0
ddo handover show
rc_is 0
out_has "State: draft"
out_has "Open incidents (1)"
out_has "渝北区某企业PLC通信异常"
out_has "Calls not reached (1)"
out_has "(none yet"
# Notes the console keeps as a draft show as such until submitted.
printf '夜班：渝北区来电待回复\n' >"$HDIR/desk.db.handover-draft"
ddo handover show
out_has "Notes (draft, not submitted)"
out_has "夜班：渝北区来电待回复"
rm -f "$HDIR/desk.db.handover-draft"
ddo handover show --json
rc_is 0
out_has '"state": "draft"'
out_has '"incidents_total": 1'
out_has '"handover": null'
end

begin "handover show: receivers and orgs by name, a proposed tier marked as in the queue"
ddo incident new --title 涪陵区某化工企业DCS遭勒索 --org cq.fuling --category malware
rc_is 0
HI=$(cut -c1-8 "$T/out")
ddo incident tier "$HI" III --reason 影响生产
rc_is 0
ddo handover show
rc_is 0
out_has "Handover · 重庆市工业信息安全发展中心"
out_lacks "cq.center"
out_has "$HI  较大?"
out_has "m → 区县经信主管部门"
out_has "→ 市经济信息委 · 涪陵区某化工企业DCS遭勒索"
out_lacks "commission"
out_has "Reports overdue or due before the next shift ends ("
LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$DD" --config "$HOUT" handover show </dev/null >"$T/out" 2>"$T/err"
out_has "已逾期或下一班结束（"
# --json keeps the ids and says the tier is only proposed.
ddo handover show --json
out_has '"next_due_what": "district"'
out_has '"tier_unconfirmed": true'
ddo handover export --format md
out_has "| 较大（待确认） |"
out_has "| 重庆市工业信息安全发展中心"
out_lacks "| commission |"
end

begin "handover: bad input exits 2 and stores nothing"
N1=$(hevents)
ddi handover accept
rc_is 2
err_has "no handover awaits acceptance"
: >"$T/empty-notes"
ddo handover submit --notes-file "$T/empty-notes"
rc_is 2
err_has "empty-notes"
ddo handover submit --notes-file "$T/no-such-file"
rc_is 2
err_has "no-such-file"
ddo handover submit --notes "   "
rc_is 2
ddo handover submit --notes a --notes-file "$T/empty-notes"
rc_is 2
ddo handover submit --bogus
rc_is 2
err_has "--bogus"
ddo handover show extra
rc_is 2
ddo handover export --format pdf
rc_is 2
err_has "md"
ddo handover hand
rc_is 2
is_true "events were added ($N1 before, $(hevents) after)" test "$(hevents)" = "$N1"
end

begin "handover submit with notes from a file and from \$EDITOR"
printf '涪陵化工勒索事件：市经信委报告已逾期。\n甲|乙*化工未接通，请继续联系。\n' >"$HDIR/notes.txt"
ddo handover submit --notes-file "$HDIR/notes.txt"
rc_is 0
out_has "handover submitted by 张伟"
HO=$(cut -c1-8 "$T/out")
ddi handover submit --notes 我也交班
rc_is 2
err_has "awaits acceptance"
# Submitted again by its outgoing officer: the same handover, notes from $EDITOR.
printf '#!/bin/sh\nprintf "补充：江北区已回电。\\n" >>"$1"\n' >"$HDIR/editor.sh"
chmod +x "$HDIR/editor.sh"
EDITOR="$HDIR/editor.sh" "$DD" --config "$HOUT" handover submit </dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
out_has "$HO handover submitted"
ddo handover show
rc_is 0
out_has "State: submitted by 张伟"
out_has "补充：江北区已回电。"
out_has "涪陵化工勒索事件"
# A draft the console kept beside the database is where $EDITOR starts,
# and it is gone once submitted.
printf '控制台草稿：綦江区待回电。\n甲|乙*化工未接通，请继续联系。\n' >"$HDIR/desk.db.handover-draft"
EDITOR=true "$DD" --config "$HOUT" handover submit </dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
is_true "the draft is still there after submitting" test ! -e "$HDIR/desk.db.handover-draft"
ddo handover show
out_has "控制台草稿：綦江区待回电。"
end

begin "handover accept: not one's own, once, with objections on record"
ddo handover accept
rc_is 2
err_has "cannot accept"
ddi handover accept --objection 未附涪陵事件处置记录
rc_is 0
out_has "$HO handover accepted by 李娜, with objections"
ddi handover accept
rc_is 2
err_has "already accepted by 李娜"
ddo handover accept --officer 王强
rc_is 2
ddi handover show --json
rc_is 0
out_has '"state": "draft"'
out_has '"incoming": "李娜"'
out_has '"objection": "未附涪陵事件处置记录"'
ddo rebuild
rc_is 0
out_has "identical"
end

begin "handover_accept_min: a bad value exits 2 naming file:line; a good one moves the deadline"
printf 'officer = "张伟";\norg = "cq.center";\nhandover_accept_min = 0;\n' >"$HDIR/zero.conf"
raw --config "$HDIR/zero.conf" config check
rc_is 2
err_has "$HDIR/zero.conf:3"
err_has "handover_accept_min"
printf 'officer = "张伟";\norg = "cq.center";\nhandover_accept_min = "30";\n' >"$HDIR/text.conf"
raw --config "$HDIR/text.conf" config check
rc_is 2
err_has "handover_accept_min"
# The accepted handover's shift ended at 08:30 (shift_start): due 30 or 90 minutes later.
printf 'officer = "张伟";\norg = "cq.center";\ndatabase = "desk.db";\nhandover_accept_min = 90;\n' >"$HDIR/late.conf"
raw --config "$HDIR/late.conf" handover show --json
rc_is 0
out_has 'T10:00:00.000+08:00'
ddo handover show --json
rc_is 0
out_has 'T09:00:00.000+08:00'
end

begin "handover export --format md: the sheet in Chinese, text escaped"
ddo handover export --format md
rc_is 0
out_has "# 值班交接班记录"
out_has "| 交班人 | 张伟 |"
out_has "| 接班人 | 李娜 |"
out_has "已接班（有异议）"
out_has "## 五、未接通的电话（1）"
out_has "未附涪陵事件处置记录"
ddo handover export --format md --output "$HDIR/sheet.md"
rc_is 0
is_true "no sheet written" test -f "$HDIR/sheet.md"
is_true "the sheet does not escape | and *" grep -qF '甲\|乙\*化工' "$HDIR/sheet.md"
end

# ---- drills (应急演练) -------------------------------------------------------
# A desk of its own with the shipped org tree, a real incident and a real
# log entry; then a whole drill from the shipped scenarios.

DDIR="$T/drill"
DCONF="$DDIR/dutydesk.conf"
mkdir -p "$DDIR"
"$DD" --config "$DCONF" --db "$DDIR/desk.db" init --org cq.center --officer 张伟 >/dev/null 2>&1
ddd() {
	"$DD" --config "$DCONF" "$@" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}
devents() { "$DD" --config "$DCONF" verify 2>/dev/null | sed -n 's/^ok: \([0-9]*\) events.*/\1/p'; }
ddd org load "$ROOT/data/orgs/chongqing.conf"
ddd incident new --title 真实事件：涪陵某化工企业DCS异常 --org cq.fuling --category intrusion
ddd log --kind call-in "真实来电：綦江区经信委询问零报告"
SINCE=2020-01-01T00:00:00+08:00
# Every real view a person or a script reads, saved under $1.
real_views() {
	d=$DDIR/$1
	mkdir -p "$d"
	"$DD" --config "$DCONF" log list --all >"$d/log" 2>&1
	"$DD" --config "$DCONF" log list --all --json >"$d/log.json" 2>&1
	for f in md csv json; do "$DD" --config "$DCONF" export --format $f --since $SINCE >"$d/export.$f" 2>&1; done
	"$DD" --config "$DCONF" incident list >"$d/queue" 2>&1
	"$DD" --config "$DCONF" incident list --closed >"$d/closed" 2>&1
	"$DD" --config "$DCONF" incident list --json >"$d/queue.json" 2>&1
	"$DD" --config "$DCONF" zero status >"$d/zero" 2>&1
	"$DD" --config "$DCONF" org show cq.qijiang.ent-0028 >"$d/card" 2>&1
	# The summary says when it was generated: that line differs by itself.
	"$DD" --config "$DCONF" handover show --json 2>&1 | grep -v '"generated"' >"$d/handover"
}
real_views before

begin "drill check: the four shipped scenarios, one per tier"
for f in "$ROOT"/data/drills/*.conf; do
	ddd drill check "$f"
	rc_is 0
	out_has ": ok: "
done
for t in IV III II I; do
	is_true "no scenario of tier $t" grep -qx "tier = \"$t\";" "$ROOT"/data/drills/*.conf
done
end

begin "drill check: several files at once, one line each, non-zero when one fails"
ddd drill check "$ROOT"/data/drills/*.conf
rc_is 0
[ "$(grep -c ': ok: ' "$T/out")" = 4 ] || flunk "not 4 ok lines for 4 scenarios: $(cat "$T/out")"
out_has "ransomware-plc-water.conf: ok: 水务企业PLC控制网络勒索病毒演练, 5 injects over 30 min"
sed 's/kind = "advisory"/kind = "rumour"/' "$ROOT/data/drills/vuln-advisory-protection-period.conf" >"$DDIR/rumour.conf"
ddd drill check "$ROOT/data/drills/platform-compromise.conf" "$DDIR/rumour.conf" "$ROOT/data/drills/ransomware-plc-water.conf"
rc_is 2
[ "$(grep -c ': ok: ' "$T/out")" = 2 ] || flunk "the good files around a bad one were not both checked"
err_has "rumour.conf:12: unknown inject kind \"rumour\""
ddd drill check
rc_is 2
LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$DD" --config "$DCONF" drill check "$ROOT/data/drills/ransomware-plc-water.conf" \
	</dev/null >"$T/out" 2>"$T/err"
out_has "ransomware-plc-water.conf：通过：水务企业PLC控制网络勒索病毒演练，5 条注入，历时 30分钟"
end

begin "drill run: bad scenarios name file:line, exit 2, nothing runs"
n=$(devents)
sed 's/kind = "advisory"/kind = "rumour"/' "$ROOT/data/drills/vuln-advisory-protection-period.conf" >"$DDIR/kind.conf"
ddd drill run "$DDIR/kind.conf" --speed 60
rc_is 2
err_has "kind.conf:12: unknown inject kind \"rumour\""
sed 's/at = "T+30:00"/at = "T+01:00"/' "$ROOT/data/drills/vuln-advisory-protection-period.conf" >"$DDIR/order.conf"
ddd drill run "$DDIR/order.conf"
rc_is 2
err_has "order.conf:21: inject 'assessed' at T+01:00 comes before the inject above it"
sed 's/org = "cq.dazu.ent-0054"/org = "cq.dazu.ent-9999"/' "$ROOT/data/drills/vuln-advisory-protection-period.conf" >"$DDIR/org.conf"
ddd drill check "$DDIR/org.conf"
rc_is 2
err_has "org.conf:15: unknown org \"cq.dazu.ent-9999\""
ddd drill run "$DDIR/missing.conf"
rc_not0
err_has "missing.conf: cannot read the scenario file"
ddd drill run "$ROOT/data/drills/ransomware-plc-water.conf" --speed 0
rc_is 2
[ "$(devents)" = "$n" ] || flunk "$n events before, $(devents) after: something was stored"
ddd drill list
rc_is 0
out_has "No drill has run yet"
LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$DD" --config "$DCONF" drill list </dev/null >"$T/out" 2>"$T/err"
out_has "尚无演练"
end

begin "drill pause|resume|shift|stop|fire with no drill running: refused"
for c in pause resume stop "shift +10m" "fire call"; do
	# shellcheck disable=SC2086
	ddd drill $c
	rc_not0
	err_has "no drill is running"
done
ddd drill shift soon
rc_is 2
err_has "'soon' is no duration"
end

begin "drill run --speed 60 --keep on the test clock: every inject fires, the drill stays up"
DUTYDESK_TEST_NOW=2099-01-01T00:00:00+08:00 "$DD" --config "$DCONF" drill run \
	"$ROOT/data/drills/ransomware-plc-water.conf" --speed 60 --keep </dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
out_has "started: 水务企业PLC控制网络勒索病毒演练 (5 injects, speed 60)"
out_has "T+30:00    outage"
out_has "every inject fired"
ddd drill status
rc_is 0
out_has "水务企业PLC控制网络勒索病毒演练"
[ "$(grep -c ' fired ' "$T/out")" = 5 ] || flunk "not 5 fired injects in drill status"
ddd drill list
out_has "running   5/5  III"
ddd drill fire call
rc_not0
err_has "already fired"
ddd drill run "$ROOT/data/drills/platform-compromise.conf"
rc_not0
err_has "is still running"
end

begin "drill responses: --drill writes drill items; a drill never touches a real incident"
DID=$("$DD" --config "$DCONF" incident list --drill --json | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin) if i["drill"]][0])')
RID=$("$DD" --config "$DCONF" incident list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
ddd incident tier "$DID" III --reason 演练：研判为较大事件
rc_is 0
ddd --drill log "演练：已断开生产网与办公网"
rc_is 0
ddd --drill call cq.qijiang.ent-0028 --result reached --out
rc_is 0
n=$(devents)
ddd --drill incident note "$RID" 演练写入真实事件
rc_is 2
err_has "may not touch real incident"
ddd --drill org set cq.fuling --name 演练 --kind district
rc_not0
err_has "a drill may not write org.set"
[ "$(devents)" = "$n" ] || flunk "$n events before, $(devents) after: a refused drill event was stored"
ddd drill pause
rc_is 0
ddd drill resume
rc_is 0
ddd drill shift +10m
rc_is 0
ddd drill stop
rc_is 0
ddd drill stop
rc_not0
end

begin "drill isolation: every real count, list and export is byte-identical after the drill"
real_views after
for f in log log.json export.md export.csv export.json queue closed queue.json zero handover card; do
	cmp -s "$DDIR/before/$f" "$DDIR/after/$f" || flunk "$f changed by the drill"
done
ddd log list --all --drill
out_has "演练：已断开生产网与办公网"
out_has "Drill con"
out_lacks "drill-con"
ddd export --format csv --since $SINCE --drill
out_has "演练：已断开生产网与办公网"
ddd incident list --drill
out_has "二号泵站PLC控制网络遭勒索病毒"
ddd rebuild
rc_is 0
out_has "identical"
end

begin "drill report: expected and actual responses, missed steps, timeline"
ddd drill report last --format json
rc_is 0
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || flunk "report is not JSON"
out_has '"answered_by": "张伟"'
out_has '"injects_total": 5'
out_has '"missed": ['
ddd drill report last --format md
rc_is 0
out_has "# Drill report: 水务企业PLC控制网络勒索病毒演练"
out_has "| T+03:00 | ransom: "
out_has "## Missed steps"
out_has "## Timeline"
LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$DD" --config "$DCONF" drill report last --format md </dev/null >"$T/out" 2>"$T/err"
out_has "# 演练评估报告: 水务企业"
# Orgs by name and timeline events by what they are, not by ids and kinds.
out_has " | 汇峡峻岚水务有限公司（虚构） | 立案 ≤10分钟 | "
out_has " | 綦江区 | 逐级上报 ≤1小时 | "
out_lacks "| cq.qijiang"
out_has " 演练开始: "
out_has " 注入发出: "
out_lacks " drill.start: "
out_lacks " log.entry: "
ddd drill report last --format json
out_has '"org": "cq.qijiang.ent-0028"'
out_has '"kind": "drill.start"'
ddd drill report last --format pdf
rc_is 2
ddd drill report ffffffff
rc_not0
end

begin "drill run on a test clock stops at DUTYDESK_TEST_NOW, leaving later injects pending"
# At speed 60 the platform scenario's T+04:00 is 4 s after the start and
# its T+10:00 10 s after: a test clock ending 5 s on fires two of six.
until=$(date -d "@$(($(date +%s) + 5))" +%Y-%m-%dT%H:%M:%S%:z)
DUTYDESK_TEST_NOW=$until "$DD" --config "$DCONF" drill run "$ROOT/data/drills/platform-compromise.conf" --speed 60 \
	</dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
out_has "T+04:00    platform"
out_lacks "T+10:00"
out_has "4 injects are pending"
ddd drill status
[ "$(grep -c 'waiting to fire' "$T/out")" = 4 ] || flunk "not 4 pending injects in drill status"
# The report of the running drill: no end, and the injects not fired
# yet are pending, never missed.
ddd drill report last --format md
rc_is 0
out_has " — running"
out_has "## Pending"
sed -n '/^## Missed steps/,/^## /p' "$T/out" >"$T/missed"
for inj in outage gravest miit support; do
	! grep -q "^- $inj:" "$T/missed" || flunk "$inj is not fired yet but listed as missed"
	sed -n '/^## Pending/,/^## /p' "$T/out" | grep -q "^- $inj: .*(not fired yet)" || flunk "$inj is not pending"
done
ddd drill report last --format json
out_has '"running": true'
DUTYDESK_TEST_NOW=yesterday "$DD" --config "$DCONF" drill run "$ROOT/data/drills/platform-compromise.conf" \
	</dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 2
err_has "expected RFC 3339"
ddd drill stop
rc_is 0
end

begin "drill run ends the drill once the last response window closes, and names the report"
# The water scenario's last window is the raise's hour.  The test clock
# writes every inject at once, so each window counts from then (T+00:00
# and a few ms): the last one closes at T+01:00:0x.  A test clock ending
# before that leaves the drill running; one after it stops the drill
# there, however far the clock runs on.
until=$(date -d "@$(($(date +%s) + 60))" +%Y-%m-%dT%H:%M:%S%:z)
DUTYDESK_TEST_NOW=$until "$DD" --config "$DCONF" drill run "$ROOT/data/drills/ransomware-plc-water.conf" --speed 60 \
	</dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
out_has "T+30:00    outage"
out_has "response windows are open until T+01:00:0"
ddd drill stop
rc_is 0
DUTYDESK_TEST_NOW=2099-01-01T00:00:00+08:00 "$DD" --config "$DCONF" drill run \
	"$ROOT/data/drills/ransomware-plc-water.conf" --speed 60 </dev/null >"$T/out" 2>"$T/err"
RC=$?
rc_is 0
out_has "every response window has closed (T+01:00:0"
out_has "the after-action report: dutydesk drill report "
rid=$(sed -n 's/^the after-action report: dutydesk drill report //p' "$T/out")
ddd drill status
rc_not0
err_has "no drill is running"
ddd drill report "$rid" --format json
rc_is 0
out_has '"injects_total": 5'
ddd drill list
out_has "ended     5/5  III"
end

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
