# lxcd through systemd and D-Bus (issue 4's acceptance): lxc@.service, a transient scope
# per container holding all of its processes, freeze/thaw, access control, a killed init,
# and a daemon restart with running containers.

lxcctl create ct01 --template busybox
lxcctl create ct02 --template busybox
lxcctl create ct03 --template busybox

# systemctl start lxc@ct01: the unit and the container's scope are active, in lxc.slice.
systemctl start lxc@ct01
assert_eq active "$(systemctl is-active lxc@ct01)" "lxc@ct01"
assert_eq active "$(systemctl is-active lxc-ct01.scope)" "lxc-ct01.scope"
assert_eq lxc.slice "$(systemctl show -P Slice lxc-ct01.scope)" "slice of lxc-ct01.scope"
assert_eq yes "$(systemctl show -P Delegate lxc-ct01.scope)" "Delegate of lxc-ct01.scope"
assert_eq RUNNING "$(busctl get-property org.lxcd1 /org/lxcd1/container/ct01 org.lxcd1.Container State | awk '{print $2}' | tr -d '"')"
# /org/lxcd1 is an ObjectManager: every container with its properties in one call, and
# InterfacesAdded / InterfacesRemoved when containers come and go.
managed=$(busctl --json=short call org.lxcd1 /org/lxcd1 org.freedesktop.DBus.ObjectManager GetManagedObjects)
assert_eq RUNNING "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["data"][0]["/org/lxcd1/container/ct01"]["org.lxcd1.Container"]["State"]["data"])' "$managed")" "GetManagedObjects"
busctl monitor --match "type=signal,interface=org.freedesktop.DBus.ObjectManager" >/tmp/om.log 2>&1 &
om=$!
sleep 0.5
lxcctl create om1 --template none
lxcctl destroy om1
wait_for 5 grep -q InterfacesRemoved /tmp/om.log
kill $om
assert_contains "$(grep -A3 InterfacesAdded /tmp/om.log)" "/org/lxcd1/container/om1" "InterfacesAdded"

# A unit ordered after lxc@ct03 starts only once ct03 is RUNNING (Type=notify: READY=1
# comes with RUNNING).
cat >/run/systemd/system/after-ct03.service <<'UNIT'
[Unit]
Requires=lxc@ct03.service
After=lxc@ct03.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'lxcctl list | grep "^ct03 " >/run/after-ct03.state'
UNIT
systemctl daemon-reload
systemctl start after-ct03.service
assert_match '^ct03 +RUNNING' "$(cat /run/after-ct03.state)" "ct03 when a unit After=lxc@ct03 ran"
systemctl stop lxc@ct03

# Every process of the container (its PID namespace) and its supervisor are in the scope.
init=$(busctl get-property org.lxcd1 /org/lxcd1/container/ct01 org.lxcd1.Container InitPID | awk '{print $2}')
[ "$init" -gt 1 ] || fail "InitPID is $init"
lxcctl attach ct01 -- sleep 300 >/dev/null 2>&1 &
attached=$!
pidns=$(readlink /proc/$init/ns/pid)
in_ct01() { # PIDs of the processes in ct01's PID namespace
    local p
    for p in /proc/[0-9]*; do
        [ "$(readlink $p/ns/pid 2>/dev/null)" != "$pidns" ] || echo "${p#/proc/}"
    done
}
ct01_has_attached() { [ "$(in_ct01 | wc -l)" -ge 2 ]; }
wait_for 10 ct01_has_attached
for p in $(in_ct01); do
    assert_contains "$(cat /proc/$p/cgroup)" "/lxc.slice/lxc-ct01.scope/" "cgroup of $p"
    # attach clones straight into the payload's unified cgroup (CLONE_INTO_CGROUP)
    assert_contains "$(grep '^0::' /proc/$p/cgroup)" "/lxc.slice/lxc-ct01.scope/lxc.payload.ct01" \
        "unified cgroup of $p"
done
sup=$(cat /run/lxcd/ct01/supervisor.pid)
assert_contains "$(cat /proc/$sup/cgroup)" "/lxc.slice/lxc-ct01.scope/" "supervisor's cgroup"
kill $attached 2>/dev/null || true

# lxcd keeps descriptors per container: its open files soft limit is raised to the hard
# one; the containers get systemd's usual 1024 back.
lxcd_pid=$(systemctl show -P MainPID lxcd)
assert_eq "$(awk '/open files/ {print $5}' /proc/$lxcd_pid/limits)" "$(awk '/open files/ {print $4}' /proc/$lxcd_pid/limits)" "lxcd's open files soft limit"
assert_eq 1024 "$(awk '/open files/ {print $4}' /proc/$init/limits)" "ct01's init open files soft limit"

# A pre-start hook runs once the scope exists: what it leaves behind is in the container's
# scope (as LXC leaves it in its monitor's cgroup), not in lxcd.service, and goes with it.
cat >/run/leave-behind <<'HOOK'
#!/bin/sh
setsid sleep 300 </dev/null >/dev/null 2>&1 &
echo $! >/run/left-behind.pid
HOOK
chmod +x /run/leave-behind
lxcctl create hooked --template busybox --config 'lxc.hook.pre-start = /run/leave-behind
'
lxcctl start hooked
left=$(cat /run/left-behind.pid)
assert_contains "$(cat /proc/$left/cgroup)" "/lxc.slice/lxc-hooked.scope/lxc.monitor.hooked" "cgroup of what a pre-start hook left"
lxcctl stop --kill hooked
left_gone() { ! kill -0 "$left" 2>/dev/null; }
wait_for 10 left_gone
# What a hook leaves may take its time to go when systemd stops the scope: the stop
# answers once the supervisor has exited, and a start that follows at once waits for the
# old scope instead of failing on it.
cat >/run/leave-behind <<'HOOK'
#!/bin/sh
setsid sh -c 'trap "sleep 2; exit 0" TERM; while :; do sleep 1; done' </dev/null >/dev/null 2>&1 &
echo $! >/run/left-behind.pid
HOOK
lxcctl start hooked
left=$(cat /run/left-behind.pid)
lxcctl stop --kill hooked
! left_gone || fail "the stop waited for what the hook left (it takes 2 s to go)"
lxcctl start hooked
left_gone || fail "the start did not wait for the last scope, whose hook leftover still runs"
assert_contains "$(lxcctl info hooked)" "RUNNING"
lxcctl stop --kill hooked

# busctl: start, freeze (no progress while FROZEN), thaw, stop.
busctl call org.lxcd1 /org/lxcd1 org.lxcd1.Manager StartContainer s ct02
assert_eq RUNNING "$(lxcctl list --output json | python3 -c 'import json,sys; print({c["name"]: c["state"] for c in json.load(sys.stdin)}["ct02"])')"
init2=$(busctl get-property org.lxcd1 /org/lxcd1/container/ct02 org.lxcd1.Container InitPID | awk '{print $2}')
busctl call org.lxcd1 /org/lxcd1 org.lxcd1.Manager FreezeContainer s ct02
assert_eq FROZEN "$(busctl get-property org.lxcd1 /org/lxcd1/container/ct02 org.lxcd1.Container State | awk '{print $2}' | tr -d '"')"
ticks() { awk '{ print $14 + $15 }' /proc/$init2/stat; }
assert_match '^[DS]|^T' "$(awk '{print $3}' /proc/$init2/stat)" "state of a frozen init"
before=$(ticks)
sleep 0.5
assert_eq "$before" "$(ticks)" "CPU ticks of ct02's init while frozen"
busctl call org.lxcd1 /org/lxcd1 org.lxcd1.Manager ThawContainer s ct02
assert_eq RUNNING "$(busctl get-property org.lxcd1 /org/lxcd1/container/ct02 org.lxcd1.Container State | awk '{print $2}' | tr -d '"')"
lxcctl attach ct02 -- true
busctl call org.lxcd1 /org/lxcd1 org.lxcd1.Manager StopContainer sb ct02 false
# The stop answers once the supervisor is gone; systemd removes the emptied scope after.
wait_for 5 sh -c '! systemctl is-active --quiet lxc-ct02.scope'
[ ! -e /run/lxcd/ct02 ] || fail "/run/lxcd/ct02 left behind"

# A non-root caller may read, not change.
useradd --no-create-home lxcd-test-user
as_user() { setpriv --reuid=lxcd-test-user --regid=lxcd-test-user --clear-groups "$@"; }
out=$(as_user busctl call org.lxcd1 /org/lxcd1 org.lxcd1.Manager StartContainer s ct02 2>&1 || true)
assert_contains "$out" "Access denied"
assert_eq STOPPED "$(lxcctl list --output json | python3 -c 'import json,sys; print({c["name"]: c["state"] for c in json.load(sys.stdin)}["ct02"])')"
assert_contains "$(as_user busctl call org.lxcd1 /org/lxcd1 org.lxcd1.Manager ListContainers)" '"ct01" "RUNNING"'
assert_contains "$(as_user lxcctl list)" "ct01"

# SIGKILL of the container's init: STOPPED, signal emitted, scope and unit inactive, nothing left.
lxcctl monitor ct01 >/tmp/monitor.log &
monitor=$!
sleep 0.3
kill -9 "$init"
wait_for 5 sh -c 'lxcctl list | grep -q "ct01 *STOPPED"'
# Fully inactive, not only "deactivating": lxc@'s ExecStop (lxcctl stop --if-running) must
# have run before ct01 is started again below, or it would stop the new one.
wait_for 5 sh -c 'case $(systemctl is-active lxc@ct01) in inactive | failed) ;; *) false ;; esac'
wait_for 2 sh -c '! systemctl is-active --quiet lxc-ct01.scope'
wait_for 2 grep -q "ct01 STOPPED" /tmp/monitor.log
kill $monitor
[ ! -e /run/lxcd/ct01 ] || fail "/run/lxcd/ct01 left behind"
assert_eq "" "$(ls /sys/fs/cgroup/unified/lxc.slice 2>/dev/null | grep ct01 || ls /sys/fs/cgroup/lxc.slice 2>/dev/null | grep ct01 || true)" "ct01's cgroups after the kill"

# Already started over D-Bus: systemctl start succeeds without a second instance.
lxcctl start ct01
init_before=$(busctl get-property org.lxcd1 /org/lxcd1/container/ct01 org.lxcd1.Container InitPID | awk '{print $2}')
systemctl start lxc@ct01
assert_eq active "$(systemctl is-active lxc@ct01)" "lxc@ct01"
assert_eq "$init_before" "$(busctl get-property org.lxcd1 /org/lxcd1/container/ct01 org.lxcd1.Container InitPID | awk '{print $2}')" "ct01's init after systemctl start"

# Unknown name: the unit fails with a clear message.
assert_failure systemctl start lxc@nosuch
assert_contains "$(journalctl -u lxc@nosuch --no-pager)" "no container named 'nosuch'"

# systemctl restart lxcd with three running containers: still running, re-adopted.
lxcctl start ct02
lxcctl start ct03
systemctl restart lxcd
# SIGTERM reached lxcd's loop (a thread that did not block it would have died of it,
# taking lxcd down without its clean-up).
wait_for 5 sh -c 'journalctl --no-pager -o cat SYSLOG_IDENTIFIER=lxcd | grep -q "stopping; containers keep running"'
for ct in ct01 ct02 ct03; do
    assert_contains "$(lxcctl list)" "$ct" 
    assert_match "^$ct +RUNNING" "$(lxcctl list | grep "^$ct ")" "$ct after restarting lxcd"
done
assert_eq "$init_before" "$(busctl get-property org.lxcd1 /org/lxcd1/container/ct01 org.lxcd1.Container InitPID | awk '{print $2}')" "ct01's init after restarting lxcd"
lxcctl stop ct03
assert_match "^ct03 +STOPPED" "$(lxcctl list | grep '^ct03 ')"

# systemctl stop lxc@ct01: clean stop, unit inactive.
systemctl stop lxc@ct01
assert_eq inactive "$(systemctl is-active lxc@ct01 || true)" "lxc@ct01 after stop"
assert_match "^ct01 +STOPPED" "$(lxcctl list | grep '^ct01 ')"
# The supervisor leaves its monitor cgroup to systemd, which removes the scope's tree;
# the payload cgroups outside the scope (v1 devices on hybrid hosts) it removes itself.
no_ct01_cgroups() { [ -z "$(find /sys/fs/cgroup -name '*ct01*' 2>/dev/null)" ]; }
wait_for 5 no_ct01_cgroups # the emptied scope goes right after the stop's answer
lxcctl stop ct02

# lxcctl console: what the container writes to /dev/console reaches the terminal; Ctrl+a q leaves.
lxcctl start ct02
{ sleep 2; printf '\001q'; } | lxcctl console ct02 >/tmp/console.out 2>&1 &
console=$!
sleep 0.5
lxcctl attach ct02 -- sh -c 'echo hello-from-ct02 >/dev/console'
wait $console
assert_contains "$(cat /tmp/console.out)" "hello-from-ct02" "lxcctl console output"
assert_contains "$(cat /tmp/console.out)" "Left the console of ct02"
out=$(lxcctl console ct03 2>&1 || true)
assert_contains "$out" "not running"
lxcctl stop ct02 --kill

# lxc.tty.max / lxc.tty.dir: ptys on /dev/lxc/tty1..2, /dev/tty1..2 links to them, and
# container_ttys in init's environment (systemd starts its gettys there).
lxcctl create ct04 --template busybox --config "$(printf '%s\n' 'lxc.tty.max = 2' 'lxc.tty.dir = lxc')"
lxcctl start ct04
assert_match "tty2 -> lxc/tty2$" "$(lxcctl attach ct04 -- ls -l /dev/tty2)" "/dev/tty2"
assert_match '^c' "$(lxcctl attach ct04 -- ls -l /dev/lxc/tty1)" "/dev/lxc/tty1"
lxcctl attach ct04 -- sh -c 'echo ok >/dev/tty1'
assert_contains "$(lxcctl attach ct04 -- cat /proc/1/environ | tr '\0' '\n')" "container_ttys=lxc/tty1 lxc/tty2"
out=$(lxcctl console ct04 --log 2>&1 || true)
assert_contains "$out" "lxc.console.buffer.size" "--log without a ring buffer"
lxcctl stop ct04 --kill

# lxc.console.buffer.size keeps the latest console output (lxcctl console --log [--clear]),
# saved to lxc.console.buffer.logfile on request and at stop; lxc.console.size limits
# lxc.console.logfile, which lxc.console.rotate = 1 rotates to .1 (also on request).
lxcctl create ct05 --template busybox --config "$(printf '%s\n' \
    'lxc.console.buffer.size = 4kB' 'lxc.console.buffer.logfile = /tmp/ct05.ring' \
    'lxc.console.logfile = /tmp/ct05.log' 'lxc.console.size = 4kB' 'lxc.console.rotate = 1')"
lxcctl start ct05
lxcctl attach ct05 -- sh -c 'for i in $(seq 1000); do echo line-$i; done >/dev/console'
wait_for 5 sh -c 'lxcctl console ct05 --log | grep -q line-1000'
ring=$(lxcctl console ct05 --log)
assert_contains "$ring" "line-999" "ring buffer"
if [[ $ring == *line-500$'\r'* ]]; then fail "the 4 KiB ring still holds line-500"; fi
[ "$(wc -c </tmp/ct05.ring)" -le 4096 ] || fail "/tmp/ct05.ring is larger than the ring"
assert_contains "$(cat /tmp/ct05.ring)" "line-1000" "lxc.console.buffer.logfile"
[ "$(wc -c </tmp/ct05.log)" -le 4096 ] || fail "/tmp/ct05.log exceeds lxc.console.size"
[ "$(wc -c </tmp/ct05.log.1)" -le 4096 ] || fail "/tmp/ct05.log.1 exceeds lxc.console.size"
assert_contains "$(cat /tmp/ct05.log)" "line-1000" "console log after rotations"
lxcctl console ct05 --rotate
assert_contains "$(cat /tmp/ct05.log.1)" "line-1000" "rotated console log"
lxcctl console ct05 --log --clear >/dev/null
assert_eq "" "$(lxcctl console ct05 --log)" "ring after --clear"
lxcctl attach ct05 -- sh -c 'echo after-clear >/dev/console'
# The console also goes to the journal of the container's scope, with CONTAINER_NAME=.
wait_for 5 sh -c 'journalctl -u lxc-ct05.scope --no-pager -o cat | grep -q "^after-clear$"'
assert_contains "$(journalctl --no-pager -o cat CONTAINER_NAME=ct05)" "line-1000" "console in the journal"
wait_for 5 sh -c 'grep -q after-clear /tmp/ct05.log'
lxcctl stop ct05 --kill
assert_contains "$(cat /tmp/ct05.ring)" "after-clear" "ring saved at stop"
assert_not_contains "$(cat /tmp/ct05.ring)" "line-1000" "ring saved at stop"
out=$(lxcctl console ct02 --rotate 2>&1 || true)
assert_contains "$out" "not running"

# lxcd's log lines about a container carry CONTAINER_NAME= in the journal.
assert_contains "$(journalctl --no-pager -o cat CONTAINER_NAME=ct01)" "RUNNING"
assert_contains "$(journalctl --no-pager -o cat CONTAINER_NAME=ct01)" "STOPPED"

# A start refused before systemd is asked (a limit no scope can take) leaves no
# supervisor, state directory or scope behind, and names the key.
lxcctl create badlimit --template busybox --config 'lxc.cgroup2.memory.max = lots'
out=$(lxcctl start badlimit 2>&1 || true)
assert_contains "$out" "memory.max"
assert_match '^badlimit +STOPPED' "$(lxcctl list | grep '^badlimit ')"
wait_for 5 sh -c '! pgrep -f "lxcd-supervisor [b]adlimit"'
wait_for 5 test ! -e /run/lxcd/badlimit
assert_eq inactive "$(systemctl is-active lxc-badlimit.scope || true)" "lxc-badlimit.scope"

# bash completion: commands, container names, states.
complete_words() { # the words the completion offers for the last word of "$@"
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    _lxcctl
    echo "${COMPREPLY[*]}"
}
# shellcheck disable=SC1091 # installed by meson
source /usr/local/share/bash-completion/completions/lxcctl
assert_eq "start stop" "$(complete_words lxcctl st)" "completion of lxcctl st"
assert_contains " $(complete_words lxcctl start "") " " ct01 " "completion of lxcctl start"
assert_contains "$(complete_words lxcctl wait ct01 R)" "RUNNING" "completion of lxcctl wait ct01"

# Manual pages, built from man/*.scd and installed.
for page in man1/lxcctl.1 man8/lxcd.8 man5/lxcd.conf.5 man5/org.lxcd1.5; do
    assert_contains "$(cat /usr/local/share/man/$page)" ".SH NAME" "$page"
done
