# Faults (issue 9): SIGKILL of a container's init, of its supervisor, of lxcd during a
# start and during a stop; a hook that hangs, a hook that fails; a rootfs that is gone; a
# full disk under lxc.console.logfile; calls while a supervisor tears down. After each:
# the state on D-Bus is right, the scope is gone (or active with a live container),
# nothing is left behind (mounts, cgroups, host interfaces, /run/lxcd files, scopes), and
# a container kept running throughout is unaffected.
source "$LXCD_SOURCE_ROOT/tests/stress/lib.sh"

# Hooks time out after 3 s here (lxcd's default is 120 s).
mkdir -p /run/systemd/system/lxcd.service.d
printf '[Service]\nEnvironment=LXCD_HOOK_TIMEOUT_SEC=3\n' >/run/systemd/system/lxcd.service.d/hooks.conf
systemctl daemon-reload
systemctl restart lxcd.service

make_bridge
veth=('lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.flags = up')
make_busybox keeper "${veth[@]}"
lxcctl start keeper
keeper_init=$(cat /run/lxcd/keeper/init.pid)
make_busybox f1 "${veth[@]}"
baseline=$(snapshot | grep -v '^lxcd-fds') # lxcd restarts below: its fds are not comparable
survived=0

is_stopped() { [ "$(state_of "$1")" = STOPPED ]; }
# settled NAME: its state is no longer a transition.
settled() { [[ $(state_of "$1") =~ ^(RUNNING|STOPPED|FROZEN)$ ]]; }
lxcd_up() { [ "$(systemctl is-active lxcd.service)" = active ] && busctl status org.lxcd1 >/dev/null; }
init_alive() { [ -f "/run/lxcd/$1/init.pid" ] && kill -0 "$(cat "/run/lxcd/$1/init.pid")"; }

# consistent NAME WHAT: the container's state, scope and processes agree; when it is
# stopped, everything is as at the start.
consistent() {
    wait_for 30 lxcd_up
    wait_for 30 settled "$1"
    local state scope
    state=$(state_of "$1")
    # A stop is answered before systemd has removed the emptied scope.
    [ "$state" != STOPPED ] || wait_for 10 scope_gone "$1"
    scope=$(systemctl is-active "lxc-$1.scope" || true)
    if [ "$state" = STOPPED ]; then
        assert_eq 0 "$(leaked "$baseline" "$(snapshot | grep -v '^lxcd-fds')")" "objects left after $2"
    else
        assert_eq active "$scope" "lxc-$1.scope after $2 ($state)"
        lxcctl attach "$1" -- true
    fi
    survived=$((survived + 1))
    echo "fault '$2': $1 $state, scope ${scope:-gone}"
}
stopped_clean() { # NAME WHAT: consistent, stopping it first if it survived
    consistent "$1" "$2"
    if [ "$(state_of "$1")" != STOPPED ]; then
        lxcctl stop "$1" --kill
        survived=$((survived - 1))
        consistent "$1" "$2, then stop"
    fi
}

# 1. The container's init is killed.
lxcctl start f1
kill -9 "$(cat /run/lxcd/f1/init.pid)"
wait_for 10 is_stopped f1
consistent f1 "SIGKILL of init"

# 2. Its supervisor is killed: the container is stopped with it or keeps running in its
# scope; either way D-Bus and systemd must agree.
lxcctl start f1
init=$(cat /run/lxcd/f1/init.pid)
kill -9 "$(cat /run/lxcd/f1/supervisor.pid)"
sleep 1
if [ "$(state_of f1)" = STOPPED ]; then
    ! kill -0 "$init" 2>/dev/null || fail "f1 is STOPPED on D-Bus but its init $init lives"
fi
stopped_clean f1 "SIGKILL of the supervisor"

# 3. lxcd is killed during a start, then during a stop (systemd restarts it: it re-adopts).
lxcctl start f1 >/dev/null 2>&1 &
sleep 0.05
kill -9 "$(lxcd_pid)"
wait $! || true
stopped_clean f1 "SIGKILL of lxcd during start"

lxcctl start f1
lxcctl stop f1 >/dev/null 2>&1 &
sleep 0.05
kill -9 "$(lxcd_pid)"
wait $! || true
stopped_clean f1 "SIGKILL of lxcd during stop"

# 4. A hook that fails, and one that hangs.
make_busybox f2 'lxc.hook.pre-start = /bin/false'
out=$(lxcctl start f2 2>&1) && fail "a failing pre-start hook did not fail the start"
assert_contains "$out" "lxc.hook.pre-start '/bin/false' failed"
consistent f2 "a failing hook"

printf '#!/bin/sh\nsleep 1000\n' >/var/lib/lxc/hang-hook
chmod 755 /var/lib/lxc/hang-hook
make_busybox f3 'lxc.hook.pre-start = /var/lib/lxc/hang-hook'
started=$SECONDS
out=$(lxcctl start f3 2>&1) && fail "a start whose hook hung succeeded"
assert_contains "$out" "lxc.hook.pre-start '/var/lib/lxc/hang-hook' did not finish within 3 s"
[ $((SECONDS - started)) -lt 10 ] || fail "the start with a hung hook took $((SECONDS - started)) s"
! pgrep -f 'sleep 1000' || fail "the hung hook outlived its timeout"
consistent f3 "a hanging hook"

# 5. The rootfs is gone before the start.
make_busybox f4
rm -rf /var/lib/lxc/f4/rootfs
out=$(lxcctl start f4 2>&1) && fail "a start without rootfs succeeded"
assert_contains "$out" "/var/lib/lxc/f4/rootfs"
consistent f4 "a missing rootfs"

# 6. The console log's file system is full.
mkdir -p /run/stress-log
mount -t tmpfs -o size=16k tmpfs /run/stress-log
baseline=$(snapshot | grep -v '^lxcd-fds')
make_busybox f5 'lxc.console.logfile = /run/stress-log/f5.log'
echo '::sysinit:/bin/sh -c "i=0; while [ \$i -lt 3000 ]; do echo console line \$i; i=\$((i+1)); done"' \
    >>/var/lib/lxc/f5/rootfs/etc/inittab
lxcctl start f5
sleep 2
[ "$(df --output=avail /run/stress-log | tail -1)" -le 4 ] || fail "the console log did not fill its disk"
assert_eq RUNNING "$(state_of f5)" "f5 with its console log's disk full"
lxcctl attach f5 -- true
lxcctl stop f5
consistent f5 "a full disk for the console log"

# 7. Calls that land between a container's STOPPED and the end of its supervisor's
# connection (strace holds the first cgroup removal it makes in between for 3 s): destroy
# and start are refused as "still stopping", lxcd stays up, and both work once the
# supervisor is gone.
make_busybox f6
lxcctl start f6
sup=$(cat /run/lxcd/f6/supervisor.pid)
strace -q -p "$sup" -e trace=rmdir -e inject=rmdir:delay_enter=3000000:when=1 -o /dev/null &
tracer=$!
wait_for 5 sh -c "grep -Eq '^TracerPid:[[:space:]]*[1-9]' /proc/$sup/status"
lxcctl stop f6 --kill &
stopper=$!
wait_for 5 is_stopped f6
out=$(lxcctl destroy f6 2>&1) && fail "f6 was destroyed while its supervisor still tore down"
assert_contains "$out" "still stopping"
out=$(lxcctl start f6 2>&1) && fail "f6 was started while its supervisor still tore down"
assert_contains "$out" "still stopping"
wait $stopper
wait $tracer || true
consistent f6 "calls while the supervisor tears down"
lxcctl destroy f6

# 8. A stop is answered once the supervisor has cleaned up and closed its connection,
# without waiting for its exit (strace holds that for 2 s): a start right after works, and
# takes the scope once the old one is gone.
make_busybox f7
lxcctl start f7
sup=$(cat /run/lxcd/f7/supervisor.pid)
strace -q -p "$sup" -e trace=exit_group -e inject=exit_group:delay_enter=2000000 -o /dev/null &
tracer=$!
wait_for 5 sh -c "grep -Eq '^TracerPid:[[:space:]]*[1-9]' /proc/$sup/status"
lxcctl stop f7 --kill
[ ! -e /run/lxcd/f7 ] || fail "f7's state directory outlived the answer to its stop"
lxcctl start f7
assert_eq RUNNING "$(state_of f7)" "f7 started right after its stop"
[ "$(cat /run/lxcd/f7/supervisor.pid)" != "$sup" ] || fail "f7 still has its old supervisor"
wait $tracer || true
lxcctl stop f7 --kill
consistent f7 "a start while the last supervisor exits"
lxcctl destroy f7

# The container that ran throughout is unaffected.
assert_eq RUNNING "$(state_of keeper)" "keeper's state"
assert_eq "$keeper_init" "$(cat /run/lxcd/keeper/init.pid)" "keeper's init PID"
lxcctl attach keeper -- true
echo "stress: faults layout=$LXCD_TESTHOST_LAYOUT survived=$survived/10"
