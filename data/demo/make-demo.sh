#!/bin/sh
# Builds the demo database in DIR (default build/demo) for `make run`: a
# console for the duty officer 张伟 at the security centre, with four days
# of shift log from eight desks and a dozen incidents in every state (their
# reporting chains from data/tiers.conf).  Kept when it exists, so what you add
# while trying the console is still there next time; delete DIR to reset.
set -eu
dir=${1:-build/demo}
conf="$dir/dutydesk.conf"
[ -f "$dir/dutydesk.db" ] && [ -f "$conf" ] && exit 0
rm -rf "$dir"
mkdir -p "$dir"
./dutydesk --config "$conf" --db "$dir/dutydesk.db" init --org cq.center --officer 张伟 >/dev/null
build/gen-demo --seed 42 --days 4 --tiers data/tiers.conf | ./dutydesk --config "$conf" import -
