# Autostart (issue 6): onboot by lxc.start.order with lxc.start.delay, then the NULL
# group; other groups and lxc.start.auto = 0 left alone; reverse order at shutdown.

mk() { # name, config lines...
    local name=$1
    shift
    lxcctl create "$name" --template busybox --config "$(printf '%s\n' "$@")"
}
# c10 takes a second to start (its pre-start hook), so that c20, staged meanwhile, would
# show it if it ran ahead.
printf '#!/bin/sh\nsleep 1\n' >/run/slow-hook
chmod +x /run/slow-hook
mk c30 "lxc.start.auto = 1" "lxc.group = onboot" "lxc.start.order = 30"
mk c10 "lxc.start.auto = 1" "lxc.group = onboot" "lxc.start.order = 10" \
    "lxc.hook.pre-start = /run/slow-hook"
mk c20 "lxc.start.auto = 1" "lxc.group = onboot" "lxc.start.order = 20" "lxc.start.delay = 2"
mk nullgrp "lxc.start.auto = 1"
mk other "lxc.start.auto = 1" "lxc.group = web"
mk manual "lxc.start.auto = 0" "lxc.group = onboot"

assert_eq "c10 0
c20 2
c30 0
nullgrp 0" "$(lxcctl autostart --boot --list)" "lxcctl autostart --list"
assert_eq "" "$(lxcctl list | grep RUNNING || true)" "running containers after --list"

events=/tmp/autostart-events
lxcctl monitor | while read -r name state; do echo "$(date +%s.%N) $name $state"; done >$events &
monitor=$!
sleep 0.3
systemctl start lxc-autostart.service
assert_eq active "$(systemctl is-active lxc-autostart.service)"

running=$(lxcctl list | awk '$2 == "RUNNING" { print $1 }' | sort | tr '\n' ' ')
assert_eq "c10 c20 c30 nullgrp " "$running" "running after autostart"
started=$(awk '$3 == "RUNNING" { print $2 }' $events | tr '\n' ' ')
assert_eq "c10 c20 c30 nullgrp " "$started" "start order"
t20=$(awk '$2 == "c20" && $3 == "RUNNING" { print $1 }' $events)
t30=$(awk '$2 == "c30" && $3 == "STARTING" { print $1 }' $events)
python3 -c "import sys; gap = $t30 - $t20; sys.exit(0 if gap >= 2 else f'gap after c20 is {gap:.3f}s, not >= 2s')"
# c20 was staged while c10 started (its supervisor and scope made, STARTING), and its
# init still ran only after c10 was RUNNING (the order above). c30, after c20's delay,
# was not staged: it began only when the delay was over (the gap above).
t10=$(awk '$2 == "c10" && $3 == "RUNNING" { print $1 }' $events)
s20=$(awk '$2 == "c20" && $3 == "STARTING" { print $1 }' $events)
python3 -c "import sys; sys.exit(0 if $s20 < $t10 else 'c20 was not staged while c10 started')"

# Host shutdown: every running container stops cleanly, in reverse order.
systemctl stop lxc-autostart.service
stopped=$(awk '$3 == "STOPPED" { print $2 }' $events | tr '\n' ' ')
assert_eq "nullgrp c30 c20 c10 " "$stopped" "stop order"
assert_eq "" "$(lxcctl list | grep -v STOPPED | tail -n +2)" "containers left running"
pkill -f "lxcctl monitor" || true

# A staged container makes nothing before its turn: sh2 joins the network namespace of
# sh1, which exists only once sh1 runs.
mk sh1 "lxc.start.auto = 1" "lxc.group = share" "lxc.start.order = 1" "lxc.net.0.type = empty"
mk sh2 "lxc.start.auto = 1" "lxc.group = share" "lxc.start.order = 2" \
    "lxc.namespace.share.net = sh1"
lxcctl autostart --groups share
assert_eq "$(readlink /proc/"$(cat /run/lxcd/sh1/init.pid)"/ns/net)" \
    "$(readlink /proc/"$(cat /run/lxcd/sh2/init.pid)"/ns/net)" "sh2's network namespace"
lxcctl autostart --groups share --shutdown --kill

# A staged container whose supervisor dies while it waits: its turn reports that, nothing
# is left behind, and the run goes on.
mk d1 "lxc.start.auto = 1" "lxc.group = die" "lxc.start.order = 1" \
    "lxc.hook.pre-start = /run/slow-hook"
mk d2 "lxc.start.auto = 1" "lxc.group = die" "lxc.start.order = 2"
mk d3 "lxc.start.auto = 1" "lxc.group = die" "lxc.start.order = 3"
out=/tmp/autostart-die
lxcctl autostart --groups die >$out 2>&1 &
run=$!
wait_for 5 test -s /run/lxcd/d2/supervisor.pid
kill -9 "$(cat /run/lxcd/d2/supervisor.pid)"
wait $run && fail "the run with d2's supervisor killed succeeded: $(cat $out)"
assert_contains "$(cat $out)" "d2"
wait_for 5 sh -c "journalctl --no-pager -o cat SYSLOG_IDENTIFIER=lxcd |
    grep -q \"the supervisor of 'd2' exited while it waited for its turn\""
for ct in d1 d3; do
    assert_match "^$ct +RUNNING" "$(lxcctl list | grep "^$ct ")" "$ct after the run"
done
assert_match "^d2 +STOPPED" "$(lxcctl list | grep '^d2 ')" "d2 after the run"
wait_for 5 test ! -e /run/lxcd/d2
wait_for 5 sh -c '[ "$(systemctl is-active lxc-d2.scope)" != active ]'
lxcctl autostart --groups die --shutdown --kill
lxcctl destroy d2 # nothing of the failed staged start holds it

# A container that fails to start in the middle of a run: it was staged while the one
# before it started, its failure is reported, it leaves nothing behind, and the run goes
# on with the next (staged in turn while it failed).
mk g1 "lxc.start.auto = 1" "lxc.group = broken" "lxc.start.order = 1"
mk g2 "lxc.start.auto = 1" "lxc.group = broken" "lxc.start.order = 2" \
    "lxc.rootfs.path = dir:/nonexistent"
mk g3 "lxc.start.auto = 1" "lxc.group = broken" "lxc.start.order = 3"
out=$(lxcctl autostart --groups broken 2>&1) && fail "autostart with a broken container succeeded: $out"
assert_contains "$out" "g2"
for ct in g1 g3; do
    assert_match "^$ct +RUNNING" "$(lxcctl list | grep "^$ct ")" "$ct after the run"
done
assert_match "^g2 +STOPPED" "$(lxcctl list | grep '^g2 ')" "g2 after the run"
wait_for 5 test ! -e /run/lxcd/g2
assert_eq inactive "$(systemctl is-active lxc-g2.scope || true)" "lxc-g2.scope"
lxcctl autostart --groups broken --shutdown --kill
