# The container engine against a real kernel, as root, with a busybox-static rootfs:
# lxcd-supervisor starts, supervises, stops and attaches real containers (issue 3).
# Sourced by tests/integration/lib/run-test; runs on the host in a private mount
# namespace (see meson.build) and leaves no mounts, processes or files behind.

[ "$(id -u)" = 0 ] || skip "needs root"
here=$LXCD_SOURCE_ROOT/tests/integration/runtime
sup=${LXCD_SUPERVISOR:?meson passes the lxcd-supervisor to test}
[ -x "$sup" ] || fail "no $sup"
rootfs=$("$here/mkrootfs-busybox")
work=$(mktemp -d /tmp/lxcd-runtime-test-XXXXXX)
chmod 755 "$work" # the user-namespace container must traverse it
mounts_before=$(wc -l < /proc/self/mountinfo)

cleanup() {
    # Supervisors still running after a failure: stop them so nothing outlives the test.
    for pidfile in "$work"/*/state/supervisor.pid; do
        [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    done
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT
[ -z "${LXCD_KEEP_WORK:-}" ] || trap - EXIT

# newct NAME [config lines...]: a container over an overlay of the shared rootfs.
newct() {
    local name=$1
    shift
    mkdir -p "$work/$name/upper/sbin" "$work/$name/upper/tmp"
    {
        echo "lxc.uts.name = $name"
        echo "lxc.rootfs.path = overlay:$rootfs:$work/$name/upper"
        echo "lxc.mount.auto = proc:mixed sys:mixed"
        echo "lxc.console.path = none"
        printf '%s\n' "$@"
    } > "$work/$name/config"
}

# script NAME PATH BODY: an executable shell script inside the container's rootfs.
script() {
    printf '#!/bin/sh\n%s\n' "$3" > "$work/$1/upper$2"
    chmod 755 "$work/$1/upper$2"
}

run_fg() { # NAME [supervisor args...]: runs to completion, output on stdout
    local name=$1
    shift
    timeout 60 "$sup" "$name" --config "$work/$name/config" --state-dir "$work/$name/state" \
        --no-cgroups --foreground "$@"
}

start_bg() { # NAME: starts in the background, waits for RUNNING
    local name=$1
    "$sup" "$name" --config "$work/$name/config" --state-dir "$work/$name/state" --no-cgroups \
        > "$work/$name/supervisor.log" 2>&1 &
    wait_for 20 grep -qx RUNNING "$work/$name/state/state"
}

ctl() { python3 "$here/ctl.py" "$work/$1/state/control" "${@:2}"; }

gone() { [ ! -e "$work/$1/state" ]; }

# --- isolation: hostname, PID 1, only the container's processes ----------------------
newct iso "lxc.init.cmd = /sbin/probe"
script iso /sbin/probe 'set -- /proc/[0-9]*; echo "host=$(hostname) pid=$$ procs=$# $*"; ls /old 2>&1; cat /proc/1/cmdline | tr "\0" " "'
out=$(run_fg iso)
assert_contains "$out" "host=iso pid=1 procs=1 /proc/1" "hostname, PID 1, process count"
assert_contains "$out" "/sbin/probe" "PID 1 is the configured init"
gone iso || fail "state directory left behind"

# --- mounts confined to the rootfs -------------------------------------------------
mkdir -p "$work/hostdir"
newct confine "lxc.init.cmd = /sbin/probe" \
    "lxc.mount.entry = tmpfs escape tmpfs create=dir 0 0" \
    "lxc.mount.entry = tmpfs ../../../../dotdot tmpfs create=dir 0 0" \
    "lxc.mount.entry = $work/hostdir srv/shared none bind,create=dir,ro 0 0" \
    "lxc.mount.entry = /nonexistent srv/opt none bind,optional 0 0"
ln -s "$work/hostdir/inside" "$work/confine/upper/escape"
echo host-file > "$work/hostdir/file"
script confine /sbin/probe 'grep -E " /(dotdot|srv/shared|$(echo '"$work"' | cut -c2-)/hostdir/inside) " /proc/mounts; cat /srv/shared/file; touch /srv/shared/x 2>&1'
out=$(run_fg confine)
assert_contains "$out" "tmpfs $work/hostdir/inside tmpfs" "symlink target resolved inside the rootfs"
assert_contains "$out" "tmpfs /dotdot tmpfs" ".. clamped to the rootfs"
assert_contains "$out" "host-file" "bind mount entry"
assert_contains "$out" "Read-only file system" "ro bind"
[ ! -e "$work/hostdir/inside" ] || fail "mount.entry created a directory outside the rootfs"
[ -d "$work/confine/upper/$work/hostdir/inside" ] || fail "confined target not created in the rootfs"

# --- capabilities: cap.drop (seed 000) and cap.keep -------------------------------------
capmask() { # cap numbers... -> the hex mask /proc/PID/status prints
    local m=0 c
    for c in "$@"; do m=$((m | (1 << c))); done
    printf '%016x' "$m"
}
# What we may pass on is bounded by our own bounding set.
all=0x$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
# sys_module 16, mac_override 32, mac_admin 33, sys_time 25
dropped=$(printf '%016x' $((all & ~0x$(capmask 16 25 32 33))))
newct capdrop "lxc.init.cmd = /sbin/probe" "lxc.cap.drop = sys_module mac_admin mac_override sys_time"
script capdrop /sbin/probe 'grep -E "^Cap(Bnd|Eff|Prm)" /proc/self/status'
out=$(run_fg capdrop)
assert_contains "$out" "CapBnd:	$dropped" "bounding set after cap.drop"
assert_contains "$out" "CapEff:	$dropped" "effective set after cap.drop"
# chown 0, net_bind_service 10, sys_admin 21 (kept so proc/sys mounts stay possible)
kept=$(capmask 0 10 21)
newct capkeep "lxc.init.cmd = /sbin/probe" "lxc.cap.keep = chown net_bind_service sys_admin"
script capkeep /sbin/probe 'grep -E "^Cap(Bnd|Eff|Prm|Inh|Amb)" /proc/self/status'
out=$(run_fg capkeep)
assert_contains "$out" "CapBnd:	$kept" "bounding set after cap.keep"
assert_contains "$out" "CapEff:	$kept" "effective set after cap.keep"
assert_contains "$out" "CapPrm:	$kept" "permitted set after cap.keep"
assert_contains "$out" "CapAmb:	0000000000000000" "ambient set"

# --- seccomp (seed 000 common.seccomp) ----------------------------------------------
cat > "$work/common.seccomp" <<'POLICY'
2
blacklist
[all]
kexec_load errno 1
open_by_handle_at errno 1
init_module errno 1
finit_module errno 1
delete_module errno 1
POLICY
newct sec "lxc.init.cmd = /sbin/probe" "lxc.seccomp.profile = $work/common.seccomp"
script sec /sbin/probe 'echo garbage > /tmp/m.ko; insmod /tmp/m.ko 2>&1; echo ordinary=$(echo works)'
out=$(run_fg sec)
assert_contains "$out" "Operation not permitted" "init_module fails with errno 1"
assert_contains "$out" "ordinary=works" "ordinary calls work"
newct nosec "lxc.init.cmd = /sbin/probe"
script nosec /sbin/probe 'echo garbage > /tmp/m.ko; insmod /tmp/m.ko 2>&1'
assert_not_contains "$(run_fg nosec)" "Operation not permitted" "without the policy init_module is reached"

# --- chroot escape (seed 004) cannot reach the host ----------------------------------
if command -v cc >/dev/null; then
    cat > "$work/escape.c" <<'C'
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv) {
    mkdir("/escape-dir", 0755);
    if (chroot("/escape-dir") != 0) { perror("chroot"); return 1; }
    for (int i = 0; i < 64; i++) chdir("..");
    chroot(".");
    printf("escaped=%s\n", access(argv[1], F_OK) == 0 ? "yes" : "no");
    return 0;
}
C
    cc -static -O2 -o "$work/escape" "$work/escape.c"
    echo marker > "$work/host-marker"
    newct chr "lxc.init.cmd = /escape $work/host-marker"
    cp "$work/escape" "$work/chr/upper/escape"
    out=$(run_fg chr)
    assert_contains "$out" "escaped=no" "chroot escape reaches the host"
fi

# --- prlimit and sysctl ------------------------------------------------------------
host_forward=$(cat /proc/sys/net/ipv4/ip_forward)
newct lim "lxc.init.cmd = /sbin/probe" "lxc.prlimit.nofile = 1234:2345" \
    "lxc.sysctl.net.ipv4.ip_forward = $((1 - host_forward))" "lxc.sysctl.kernel.domainname = lxcd.test"
script lim /sbin/probe 'echo "nofile=$(ulimit -n) hard=$(ulimit -Hn) fwd=$(cat /proc/sys/net/ipv4/ip_forward) dom=$(cat /proc/sys/kernel/domainname)"; { echo 1 > /proc/sys/kernel/domainname; } 2>&1'
out=$(run_fg lim)
assert_contains "$out" "nofile=1234 hard=2345 fwd=$((1 - host_forward)) dom=lxcd.test" "prlimit and sysctl"
assert_contains "$out" "Read-only file system" "proc:mixed leaves /proc/sys read-only"
assert_eq "$host_forward" "$(cat /proc/sys/net/ipv4/ip_forward)" "host sysctl untouched"

# --- hooks: order, environment, arguments --------------------------------------------
log=$work/hooks.log
hook() { # NAME: a host script logging its type, arguments and some LXC_* variables
    printf '#!/bin/sh\necho "%s v=$LXC_HOOK_VERSION type=$LXC_HOOK_TYPE name=$LXC_NAME args=$* pid=$LXC_PID target=$LXC_TARGET net=${LXC_NET_NS:+set} time=${LXC_TIME_NS:+set}" >> %s\n' "$1" "$log" > "$work/hook-$1"
    chmod 755 "$work/hook-$1"
}
for h in pre-start pre-mount mount autodev start-host stop post-stop; do hook "$h"; done
newct hk "lxc.init.cmd = /sbin/probe" "lxc.hook.version = 1" \
    "lxc.hook.pre-start = $work/hook-pre-start" "lxc.hook.pre-mount = $work/hook-pre-mount" \
    "lxc.hook.mount = $work/hook-mount" "lxc.hook.autodev = $work/hook-autodev" \
    "lxc.hook.start-host = $work/hook-start-host" "lxc.hook.start = /sbin/start-hook" \
    "lxc.hook.stop = $work/hook-stop" "lxc.hook.post-stop = $work/hook-post-stop"
script hk /sbin/start-hook 'echo "start in container type=$LXC_HOOK_TYPE host=$(hostname)" > /tmp/start-hook'
script hk /sbin/probe 'cat /tmp/start-hook'
out=$(run_fg hk)
assert_contains "$out" "start in container type=start host=hk" "start hook runs inside, before init"
order=$(cut -d' ' -f1 "$log" | tr '\n' ' ')
assert_eq "pre-start pre-mount mount autodev start-host stop post-stop " "$order" "hook order"
assert_contains "$(cat "$log")" "pre-start v=1 type=pre-start name=hk args= " "version 1 env"
assert_match "start-host v=1 type=start-host name=hk args= pid=[0-9]+" "$(grep ^start-host "$log")" "LXC_PID for start-host"
assert_contains "$(grep ^stop "$log")" "target=stop net=set time=set" "stop hook gets target and namespaces"
: > "$log"
sed -i 's/lxc.hook.version = 1/lxc.hook.version = 0/' "$work/hk/config"
run_fg hk > /dev/null
assert_contains "$(grep ^mount "$log")" "type= name=hk args=hk lxc mount" "version 0 arguments"
: > "$log"
newct badhook "lxc.init.cmd = /sbin/probe" "lxc.hook.pre-start = /bin/false" "lxc.hook.post-stop = $work/hook-post-stop"
script badhook /sbin/probe 'echo should-not-run'
out=$(run_fg badhook 2>&1) && fail "start with a failing hook succeeded"
assert_contains "$out" "lxc.hook.pre-start '/bin/false' failed: exit status 1" "hook failure message"
assert_not_contains "$out" "should-not-run" "init after failed hook"
gone badhook || fail "state directory left after failed start"

# --- console: a pty as /dev/console, copied to lxc.console.logfile and stdout -----------
newct con "lxc.init.cmd = /sbin/probe" "lxc.console.logfile = $work/console.log"
sed -i '/^lxc.console.path = none$/d' "$work/con/config"
script con /sbin/probe 'echo "console=$(tty) pts=$(ls /dev/pts | tr "\n" " ")"'
out=$(run_fg con)
assert_contains "$out" "console=/dev/console pts=ptmx" "init's stdio is the console pty, devpts a new instance"
assert_contains "$(cat "$work/console.log")" "console=/dev/console" "console log file"

# --- init uid/gid without a uid 0 mapping (seed 003) -----------------------------------
# (a plain directory rootfs: without a mapped root nobody in the container could mount an overlay)
newct noroot "lxc.init.cmd = /usr/bin/id" "lxc.idmap = u 1000 101000 1" "lxc.idmap = g 1000 101000 1" \
    "lxc.init.uid = 1000" "lxc.init.gid = 1000"
sed -i "s|^lxc.rootfs.path.*|lxc.rootfs.path = dir:$rootfs|" "$work/noroot/config"
assert_contains "$(run_fg noroot)" "uid=1000 gid=1000" "init runs as the mapped uid/gid"

# --- SIGTERM to the supervisor stops the container cleanly ------------------------------
newct term "lxc.init.cmd = /sbin/waitinit"
script term /sbin/waitinit 'trap "echo halted > /tmp/halt; exit 0" PWR; while :; do sleep 0.2; done'
start_bg term
kill -TERM "$(cat "$work/term/state/supervisor.pid")"
wait_for 10 gone term
assert_eq halted "$(cat "$work/term/upper/tmp/halt")" "SIGTERM sends the halt signal"

# --- stop: halt signal, then escalation ----------------------------------------------
newct stopclean "lxc.init.cmd = /sbin/waitinit"
script stopclean /sbin/waitinit 'trap "echo halted > /tmp/halt; exit 0" PWR; while :; do sleep 0.2; done'
start_bg stopclean
assert_match "ok RUNNING [0-9]+" "$(ctl stopclean state)" "state request"
ctl stopclean stop 30 > /dev/null
assert_eq halted "$(cat "$work/stopclean/upper/tmp/halt")" "init got the halt signal"
wait_for 10 gone stopclean

newct stopkill "lxc.init.cmd = /sbin/stubborn" "lxc.signal.halt = SIGUSR1"
script stopkill /sbin/stubborn 'trap "echo ignored >> /tmp/halt" USR1; while :; do sleep 0.2; done'
start_bg stopkill
t0=$(date +%s%N)
ctl stopkill stop 2 > /dev/null
elapsed=$((($(date +%s%N) - t0) / 1000000))
assert_contains "$(cat "$work/stopkill/upper/tmp/halt")" "ignored" "lxc.signal.halt delivered"
[ "$elapsed" -ge 1900 ] || fail "escalated before the timeout (${elapsed} ms)"
[ "$elapsed" -lt 10000 ] || fail "no escalation after the timeout (${elapsed} ms)"
wait_for 10 gone stopkill

# --- attach: namespaces, environment, exit status -------------------------------------
newct att "lxc.init.cmd = /sbin/waitinit" "lxc.environment = FROM_CONFIG=yes"
script att /sbin/waitinit 'while :; do sleep 0.2; done'
start_bg att
out=$("$sup" --attach att --config "$work/att/config" --state-dir "$work/att/state" -- \
    sh -c 'set -- /proc/[0-9]*; echo "host=$(hostname) env=$FROM_CONFIG procs=$#"; exit 7') && status=0 || status=$?
assert_eq 7 "$status" "attach exit status"
assert_match "host=att env=yes procs=[23]" "$out" "attach runs in the container"
ctl att stop 5 > /dev/null
wait_for 10 gone att

# --- user namespace (seed 002: u 0 100000 65536) --------------------------------------
newct userns "lxc.init.cmd = /sbin/waitinit" "lxc.idmap = u 0 100000 65536" "lxc.idmap = g 0 100000 65536"
script userns /sbin/waitinit 'while :; do sleep 0.2; done'
chown -R 100000:100000 "$work/userns/upper"
start_bg userns
pid=$(cat "$work/userns/state/init.pid")
assert_match "Uid:[[:space:]]+100000" "$(grep Uid: /proc/$pid/status)" "container root is host uid 100000"
out=$("$sup" --attach userns --config "$work/userns/config" --state-dir "$work/userns/state" -- \
    sh -c 'id -u; cat /proc/self/uid_map')
assert_match "^0" "$out" "uid 0 inside"
assert_match "0[[:space:]]+100000[[:space:]]+65536" "$out" "uid_map inside"
ctl userns stop 5 > /dev/null
wait_for 10 gone userns

# --- application container (lxc.execute.cmd) -------------------------------------------
newct app "lxc.execute.cmd = /sbin/app"
script app /sbin/app 'echo "app pid=$$"; exit 42'
out=$(run_fg app --execute) && status=0 || status=$?
assert_eq 42 "$status" "exit status of the application"
assert_contains "$out" "app pid=2" "the app runs under the tiny init"

# --- cgroups: the payload cgroup below the supervisor's own, freeze, removal ----------
# The supervisor runs in test cgroups of our own (one per mounted hierarchy); it creates
# lxc.monitor.<name> and lxc.payload.<name> below them and must remove both.
cg_dirs=()
while read -r mp; do
    cg_dirs+=("$mp/lxcd-runtime-test-$$")
done < <(awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) ~ /^cgroup2?$/) print $5 }' /proc/self/mountinfo)
cg_cleanup() {
    for d in "${cg_dirs[@]}"; do
        [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
}
trap 'cg_cleanup; cleanup' EXIT
for d in "${cg_dirs[@]}"; do
    mkdir "$d"
    for f in cpuset.cpus cpuset.mems; do
        [ -f "$d/$f" ] && cat "$(dirname "$d")/$f" > "$d/$f"
    done
done
newct cg "lxc.init.cmd = /bin/sleep 1000"
(
    for d in "${cg_dirs[@]}"; do echo "$BASHPID" > "$d/cgroup.procs"; done
    exec "$sup" cg --config "$work/cg/config" --state-dir "$work/cg/state" > "$work/cg/supervisor.log" 2>&1
) &
wait_for 20 grep -qx RUNNING "$work/cg/state/state"
pid=$(cat "$work/cg/state/init.pid")
assert_contains "$(cat /proc/$pid/cgroup)" "/lxcd-runtime-test-$$/lxc.payload.cg" "init in the payload cgroup"
ctl cg freeze > /dev/null
assert_eq FROZEN "$(cat "$work/cg/state/state")" "freeze"
ctl cg thaw > /dev/null
assert_eq RUNNING "$(cat "$work/cg/state/state")" "thaw"
ctl cg stop 0 > /dev/null
wait_for 10 gone cg
for d in "${cg_dirs[@]}"; do
    left=$(find "$d" -mindepth 1 -type d)
    [ -z "$left" ] || fail "cgroups left behind: $left"
    rmdir "$d"
done

# --- lxc.mount.entry relative: the source is a path in the rootfs (seed 001) ----------
newct rel "lxc.init.cmd = /sbin/probe" \
    "lxc.mount.entry = dev/null tmp/null none bind,relative,create=file 0 0" \
    "lxc.mount.entry = link/file srv/relfile none bind,relative,create=file 0 0"
mkdir -p "$work/rel/upper$work/hostdir"
echo inside-copy > "$work/rel/upper$work/hostdir/file"
ln -s "$work/hostdir" "$work/rel/upper/link" # absolute: must resolve inside the rootfs
script rel /sbin/probe 'stat -c "null=%F %t,%T" /tmp/null; cat /srv/relfile'
out=$(run_fg rel)
assert_contains "$out" "null=character special file 1,3" "the rootfs's dev/null bound on tmp/null"
assert_contains "$out" "inside-copy" "a relative source's symlink resolved inside the rootfs"
assert_not_contains "$out" "host-file" "a relative source reached the host"

# --- idmapped mounts: lxc.rootfs.options and lxc.mount.entry idmap=container ----------
# A rootfs owned by host root, a container whose root is host uid 100000.
cp -a "$rootfs" "$work/idmroot"
mkdir "$work/idmdata"
newct idm "lxc.init.cmd = /sbin/probe" "lxc.idmap = u 0 100000 65536" "lxc.idmap = g 0 100000 65536" \
    "lxc.rootfs.options = idmap=container" \
    "lxc.mount.entry = $work/idmdata srv/data none bind,create=dir,idmap=container 0 0"
sed -i "s|^lxc.rootfs.path.*|lxc.rootfs.path = dir:$work/idmroot|" "$work/idm/config"
printf '#!/bin/sh\n%s\n' 'echo "owner=$(stat -c %u:%g /bin/busybox) me=$(id -u):$(id -g)"; touch /created /srv/data/created && echo created' > "$work/idmroot/sbin/probe"
chmod 755 "$work/idmroot/sbin/probe"
out=$(run_fg idm 2>&1)
assert_contains "$out" "owner=0:0 me=0:0" "host root's files show as the container root's"
assert_contains "$out" "created" "container root writes to the idmapped rootfs and mount entry"
assert_eq "0:0" "$(stat -c %u:%g "$work/idmroot/created")" "owner on the host (rootfs)"
assert_eq "0:0" "$(stat -c %u:%g "$work/idmdata/created")" "owner on the host (mount entry)"

# --- time namespace: lxc.time.offset.* (init and attach) -------------------------------
newct tns "lxc.init.cmd = /sbin/waitinit" "lxc.time.offset.boot = 1000000s" \
    "lxc.time.offset.monotonic = -10s"
script tns /sbin/waitinit 'cut -d. -f1 /proc/uptime > /tmp/uptime; while :; do sleep 0.2; done'
start_bg tns
wait_for 10 test -s "$work/tns/upper/tmp/uptime"
host_up=$(cut -d. -f1 /proc/uptime)
init_up=$(cat "$work/tns/upper/tmp/uptime")
[ $((init_up - host_up)) -ge 999990 ] && [ $((init_up - host_up)) -le 1000000 ] ||
    fail "uptime of init $init_up, host $host_up: not offset by lxc.time.offset.boot"
attach_up=$("$sup" --attach tns --config "$work/tns/config" --state-dir "$work/tns/state" -- \
    cut -d. -f1 /proc/uptime)
[ $((attach_up - host_up)) -ge 999990 ] && [ $((attach_up - host_up)) -le 1000010 ] ||
    fail "uptime of an attached command $attach_up, host $host_up: not in the time namespace"
ctl tns stop 5 > /dev/null
wait_for 10 gone tns
# An application container's PID 1 (the app init, never exec'd) is in it too.
newct tapp "lxc.execute.cmd = /sbin/waitinit" "lxc.time.offset.boot = 1000000s"
script tapp /sbin/waitinit 'while :; do sleep 0.2; done'
"$sup" tapp --config "$work/tapp/config" --state-dir "$work/tapp/state" --no-cgroups --execute \
    > "$work/tapp/supervisor.log" 2>&1 &
wait_for 20 grep -qx RUNNING "$work/tapp/state/state"
attach_up=$("$sup" --attach tapp --config "$work/tapp/config" --state-dir "$work/tapp/state" -- \
    cut -d. -f1 /proc/uptime)
[ $((attach_up - $(cut -d. -f1 /proc/uptime))) -ge 999990 ] ||
    fail "uptime of a command attached to an application container: $attach_up"
ctl tapp stop 5 > /dev/null
wait_for 10 gone tapp

# --- lxc.monitor.unshare: pre-start hook mounts stay away from the host ----------------
mkdir -p "$work/mu-mnt"
printf '#!/bin/sh\nmount -t tmpfs lxcd-monitor-unshare %s\n' "$work/mu-mnt" > "$work/hook-mount-tmpfs"
chmod 755 "$work/hook-mount-tmpfs"
newct mu "lxc.init.cmd = /sbin/probe" "lxc.monitor.unshare = 1" \
    "lxc.hook.pre-start = $work/hook-mount-tmpfs"
script mu /sbin/probe 'echo started'
assert_contains "$(run_fg mu)" "started" "start with lxc.monitor.unshare"
assert_not_contains "$(cat /proc/self/mountinfo)" "lxcd-monitor-unshare" "hook mount on the host"
sed -i 's/^lxc.monitor.unshare = 1$/lxc.monitor.unshare = 0/' "$work/mu/config"
assert_contains "$(run_fg mu)" "started" "start with lxc.monitor.unshare = 0"
assert_contains "$(cat /proc/self/mountinfo)" "lxcd-monitor-unshare" "without unshare the hook mounts on the host"
umount "$work/mu-mnt"

# --- a non-root init (lxc.init.uid, no uid 0 mapping) keeps no privileges ---------------
if command -v cc >/dev/null; then
    cat > "$work/privs.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
int main(void) {
    printf("securebits=%d\n", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    FILE *f = fopen("/proc/1/status", "r");
    char line[256];
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "Cap", 3) || !strncmp(line, "Uid", 3))
            printf("pid1 %s", line);
    return 0;
}
C
    cp -a "$rootfs" "$work/nrroot"
    cc -static -O2 -o "$work/nrroot/privs" "$work/privs.c"
    for mode in init execute; do
        newct nr$mode "lxc.$mode.cmd = /privs" "lxc.idmap = u 1000 101000 1" \
            "lxc.idmap = g 1000 101000 1" "lxc.init.uid = 1000" "lxc.init.gid = 1000"
        sed -i "s|^lxc.rootfs.path.*|lxc.rootfs.path = dir:$work/nrroot|" "$work/nr$mode/config"
        out=$(run_fg nr$mode $([ $mode = execute ] && echo --execute))
        assert_match "pid1 Uid:[[:space:]]+1000[[:space:]]" "$out" "$mode: PID 1 runs as uid 1000"
        assert_contains "$out" "securebits=0" "$mode: securebits"
        for set in Inh Prm Eff Amb; do
            assert_contains "$out" "pid1 Cap$set:	0000000000000000" "$mode: PID 1 Cap$set"
        done
    done
fi

# --- failed starts leave nothing behind ---------------------------------------------
newct norootfs "lxc.init.cmd = /sbin/probe"
sed -i "s|^lxc.rootfs.path.*|lxc.rootfs.path = $work/missing|" "$work/norootfs/config"
out=$(run_fg norootfs 2>&1) && fail "start without rootfs succeeded"
assert_contains "$out" "rootfs '$work/missing'" "missing rootfs error"
newct badinit "lxc.init.cmd = /sbin/nonexistent"
out=$(run_fg badinit 2>&1) && fail "start with a missing init succeeded"
assert_contains "$out" "lxc.init.cmd '/sbin/nonexistent': No such file or directory" "bad init error"
newct badmount "lxc.init.cmd = /sbin/probe" "lxc.mount.entry = /nonexistent srv none bind,create=dir 0 0"
out=$(run_fg badmount 2>&1) && fail "start with a failing mount succeeded"
assert_contains "$out" "lxc.mount.entry '/nonexistent srv none bind,create=dir'" "bad mount error"
newct noidmap "lxc.init.cmd = /sbin/probe" "lxc.rootfs.options = idmap=container"
sed -i "s|^lxc.rootfs.path.*|lxc.rootfs.path = dir:$work/idmroot|" "$work/noidmap/config"
out=$(run_fg noidmap 2>&1) && fail "idmap=container without lxc.idmap started"
assert_contains "$out" "lxc.rootfs.options: idmap=container needs lxc.idmap" "idmap without lxc.idmap"
newct badns "lxc.init.cmd = /sbin/probe" "lxc.idmap = u 0 100000 65536" "lxc.idmap = g 0 100000 65536" \
    "lxc.mount.entry = $work/idmdata srv/data none bind,create=dir,idmap=$work/idmdata 0 0"
out=$(run_fg badns 2>&1) && fail "idmap= with a file that is no user namespace started"
assert_contains "$out" "$work/idmdata is not a user namespace file" "bad idmap= path"
newct badoff "lxc.init.cmd = /sbin/probe" "lxc.time.offset.boot = 10s" "lxc.namespace.keep = time"
out=$(run_fg badoff 2>&1) && fail "time offsets without a time namespace started"
assert_contains "$out" "lxc.time.offset.*: the offsets need a new time namespace" "offsets without time ns"
for ct in norootfs badinit badmount noidmap badns badoff; do
    gone $ct || fail "$ct left its state directory"
done

# An LSM label this host cannot apply is an error, not a silent ignore.
if [ ! -e /sys/fs/selinux/enforce ]; then
    newct selinux "lxc.init.cmd = /bin/true" "lxc.selinux.context = system_u:system_r:lxc_t:s0"
    out=$(run_fg selinux 2>&1) && fail "start with an unavailable SELinux context succeeded"
    assert_contains "$out" "SELinux is not enabled on this host" "SELinux error"
fi
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
    newct aa "lxc.init.cmd = /bin/true" "lxc.apparmor.profile = lxc-container-default"
    out=$(run_fg aa 2>&1) && fail "start with an unavailable AppArmor profile succeeded"
    assert_contains "$out" "AppArmor is not enabled on this host" "AppArmor error"
    echo "lxc.apparmor.allow_incomplete = 1" >> "$work/aa/config"
    out=$(run_fg aa 2>&1) || fail "allow_incomplete did not allow the start: $out"
    assert_contains "$out" "starting unconfined" "allow_incomplete warning"
fi

# --- 200 start/stop cycles leak nothing -----------------------------------------------
newct cycle "lxc.init.cmd = /bin/true"
for i in $(seq 200); do
    run_fg cycle > /dev/null || fail "cycle $i failed"
done
gone cycle || fail "state directory after cycles"
# reboot in place: one supervisor restarts the container; its fds must not grow
newct reb "lxc.init.cmd = /sbin/rebooter"
script reb /sbin/rebooter 'n=$(cat /tmp/n 2>/dev/null || echo 0); echo $((n + 1)) > /tmp/n; [ $n -ge 20 ] && exec sleep 1000; reboot -f'
supervisor_fds() { ls /proc/"$(cat "$work/$1/state/supervisor.pid")"/fd | wc -l; }
newct base "lxc.init.cmd = /bin/sleep 1000"
start_bg base
fds_first=$(supervisor_fds base)
ctl base stop 0 > /dev/null
start_bg reb
wait_for 60 grep -qx 21 "$work/reb/upper/tmp/n"
wait_for 10 grep -qx RUNNING "$work/reb/state/state"
assert_eq "$fds_first" "$(supervisor_fds reb)" "supervisor fds after 20 reboots"
ctl reb stop 0 > /dev/null
wait_for 10 gone reb

assert_eq "$mounts_before" "$(wc -l < /proc/self/mountinfo)" "host mount table unchanged"
[ -z "$(pgrep -f "lxcd-supervisor .* --config $work" || true)" ] || fail "supervisors left running"
