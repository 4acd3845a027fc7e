# tests/checks.sh — how the shell suites (cli, sync) report checks.
# Sourced; the suite sets T (its temporary folder) and PASSED=FAILED=0,
# and prints "$PASSED passed, $FAILED failed" last.
#
#   begin NAME … assertions … end    one check; the first failed
#                                    assertion is its reason (flunk WHY)
#   rc_is N, out_has S, err_has S    on $RC, $T/out and $T/err
#   is_true WHY COMMAND…             fails the check when COMMAND fails

begin() { NAME=$1; WHY=; }
flunk() { [ -z "$WHY" ] && WHY=$1; return 0; }
end() {
	if [ -z "$WHY" ]; then
		PASSED=$((PASSED + 1))
		echo "ok - $NAME"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL - $NAME: $WHY"
	fi
}
# A file's first line, printable and short, for failure messages.
first() { head -n 1 "$1" 2>/dev/null | LC_ALL=C tr -d '\000-\037\177' | cut -c1-200; }

rc_is() { [ "$RC" = "$1" ] || flunk "exit $RC, want $1 (stderr: $(first "$T/err"))"; }
out_has() { grep -qF -- "$1" "$T/out" || flunk "stdout lacks '$1' (stdout: $(first "$T/out"))"; }
err_has() { grep -qF -- "$1" "$T/err" || flunk "stderr lacks '$1' (stderr: $(first "$T/err"))"; }
is_true() { # WHY COMMAND...
	w=$1
	shift
	"$@" || flunk "$w"
}
