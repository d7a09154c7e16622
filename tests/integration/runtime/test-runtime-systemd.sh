# A Debian 12 container whose init is systemd (issue 3): boots to running/degraded,
# attach runs commands in it, and it stops cleanly within its timeout on
# lxc.signal.halt = SIGRTMIN+3. Runs in test cgroups of its own, removed afterwards.

[ "$(id -u)" = 0 ] || skip "needs root"
here=$LXCD_SOURCE_ROOT/tests/integration/runtime
sup=${LXCD_SUPERVISOR:?meson passes the lxcd-supervisor to test}
rootfs=$("$here/mkrootfs-debian") || skip "no Debian rootfs (debootstrap failed: no mirror?)"
work=$(mktemp -d /tmp/lxcd-runtime-systemd-XXXXXX)
mounts_before=$(wc -l < /proc/self/mountinfo)

cg_dirs=()
while read -r mp; do
    cg_dirs+=("$mp/lxcd-runtime-systemd-$$")
done < <(awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) ~ /^cgroup2?$/) print $5 }' /proc/self/mountinfo)
cleanup() {
    [ -f "$work/state/supervisor.pid" ] && kill -TERM "$(cat "$work/state/supervisor.pid")" 2>/dev/null && sleep 3
    wait || true # the supervisor's process must be gone before its cgroups can go
    for d in "${cg_dirs[@]}"; do
        [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
    rm -rf "$work"
}
show_logs() { echo "--- supervisor log:"; cat "$work/supervisor.log" 2>/dev/null; echo "--- console:"; tail -30 "$work/console.log" 2>/dev/null; }
# show_logs may fail (no console log yet); the cleanup must run all the same.
trap 'rc=$?; [ $rc = 0 ] || show_logs || true; cleanup' EXIT
for d in "${cg_dirs[@]}"; do
    mkdir "$d"
    for f in cpuset.cpus cpuset.mems; do
        [ -f "$d/$f" ] && cat "$(dirname "$d")/$f" > "$d/$f"
    done
done

mkdir -p "$work/upper"
cat > "$work/config" <<CONF
lxc.uts.name = deb
lxc.rootfs.path = overlay:$rootfs:$work/upper
lxc.mount.auto = proc:mixed sys:mixed cgroup:mixed
lxc.signal.halt = SIGRTMIN+3
lxc.console.logfile = $work/console.log
lxc.tty.max = 0
CONF
(
    for d in "${cg_dirs[@]}"; do echo "$BASHPID" > "$d/cgroup.procs"; done
    exec "$sup" deb --config "$work/config" --state-dir "$work/state" > "$work/supervisor.log" 2>&1
) &
wait_for 20 grep -qx RUNNING "$work/state/state"

attach() { "$sup" --attach deb --config "$work/config" --state-dir "$work/state" -- "$@"; }
wait_for 60 attach test -S /run/systemd/private
state=$(timeout 90 "$sup" --attach deb --config "$work/config" --state-dir "$work/state" -- \
    systemctl is-system-running --wait 2>&1 || true)
case "$state" in
running | degraded) ;;
*) fail "systemd in the container is '$state'; failed units: $(attach systemctl --failed --no-legend 2>&1)" ;;
esac
# systemd sets the hostname from /etc/hostname, over lxc.uts.name
assert_eq "$(cat "$rootfs/etc/hostname")" "$(attach hostname)" "attach runs commands in the container"
assert_eq systemd "$(attach cat /proc/1/comm)" "systemd is PID 1"

t0=$SECONDS
python3 "$here/ctl.py" "$work/state/control" stop 60 > /dev/null
wait_for 10 test ! -e "$work/state"
[ $((SECONDS - t0)) -lt 30 ] || fail "clean stop took $((SECONDS - t0)) s"
assert_contains "$(cat "$work/console.log")" "Reached target" "console log shows the boot"
for d in "${cg_dirs[@]}"; do
    left=$(find "$d" -mindepth 1 -type d)
    [ -z "$left" ] || fail "cgroups left behind: $left"
done
assert_eq "$mounts_before" "$(wc -l < /proc/self/mountinfo)" "host mount table unchanged"
