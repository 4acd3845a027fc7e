#!/bin/sh
# Builds the demo database in DIR (default build/demo) for `make run`: a
# console for the duty officer 张伟 at the security centre, with four days
# of shift log from eight desks and a dozen incidents in every state (their
# reporting chains from data/tiers.conf), a protection period over four
# districts with its zero reports (some late, some missing), four advisories
# (预警通报) with their answers (one past its deadline), the Chongqing org tree with its
# liaisons and protected objects, and the centre's duty schedule this week.
# Kept when it exists, so what you add while trying the console is still
# there next time; delete DIR to reset.
set -eu
dir=${1:-build/demo}
conf="$dir/dutydesk.conf"
[ -f "$dir/dutydesk.db" ] && [ -f "$conf" ] && exit 0
rm -rf "$dir"
mkdir -p "$dir"
./dutydesk --config "$conf" --db "$dir/dutydesk.db" init --org cq.center --officer 张伟 >/dev/null
# The org tree with its fictional liaisons and protected objects, before
# the log: loaded during the protection period the log holds, each
# important object would raise a change-freeze warning.
./dutydesk --config "$conf" org load data/orgs/chongqing.conf >/dev/null
build/gen-demo --seed 42 --days 4 --tiers data/tiers.conf --orgs data/orgs/chongqing.conf |
	./dutydesk --config "$conf" import -
# A schedule for the centre around today (one day short of a leader, one
# day uncovered, so the Duty screen shows its gap flags).
officers="王磊 赵敏 刘洋 陈静 杨帆 黄磊"
i=-3
for who in $officers; do
	day=$(TZ=Asia/Shanghai date -d "$i day" +%F)
	if [ "$i" -eq 1 ]; then
		./dutydesk --config "$conf" duty set cq.center --date "$day" --officer "$who" --phone 023-60000001 >/dev/null
	else
		./dutydesk --config "$conf" duty set cq.center --date "$day" --officer "$who" --officer 张伟 \
			--leader 李强 --phone 023-60000001 >/dev/null
	fi
	i=$((i + 1))
done
