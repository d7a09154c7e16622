# Security (issue 9): mutating methods denied to a non-root caller; a container does not
# see the host's or another container's processes and mounts; seed 004's chroot escape
# fails; seed 001's device allowlist (only /dev/null readable) holds; seccomp and
# capabilities hold in attached processes; configs and runtime files are not writable by
# others.
source "$LXCD_SOURCE_ROOT/tests/stress/lib.sh"
host_mounts=$(wc -l </proc/self/mountinfo)

make_busybox sec0
make_busybox sec1
lxcctl start sec0
lxcctl start sec1

# --- access control ------------------------------------------------------------------
useradd --no-create-home lxcd-stress
/usr/bin/python3 "$LXCD_SOURCE_ROOT/tests/stress/denials.py" lxcd-stress sec0
assert_eq RUNNING "$(state_of sec0)" "sec0 after the denied calls"
assert_eq RUNNING "$(state_of sec1)" "sec1 after the denied calls"

# --- isolation -------------------------------------------------------------------------
lxcctl attach sec1 -- sleep 4242 &
attached=$!
wait_for 5 pgrep -f 'sleep 4242'
ps_inside=$(lxcctl attach sec0 -- ps -o pid,args)
assert_not_contains "$ps_inside" "sleep 4242" "sec0's ps (a process of sec1)"
assert_not_contains "$ps_inside" "systemd" "sec0's ps (the host's processes)"
procs_inside=$(lxcctl attach sec0 -- sh -c 'ls -d /proc/[0-9]* | wc -l')
[ "$procs_inside" -le 4 ] || fail "sec0 sees $procs_inside processes:"$'\n'"$ps_inside"
assert_eq init "$(lxcctl attach sec0 -- cat /proc/1/comm)" "PID 1 in sec0"
mounts_inside=$(lxcctl attach sec0 -- cat /proc/self/mountinfo)
assert_not_contains "$mounts_inside" "sec1" "sec0's mounts (sec1's rootfs)"
assert_not_contains "$mounts_inside" " /run/lxcd" "sec0's mounts (the host's /run/lxcd)"
assert_not_contains "$mounts_inside" " /sys/fs/cgroup/lxc.slice" "sec0's mounts"
[ "$(wc -l <<<"$mounts_inside")" -lt "$host_mounts" ] ||
    fail "sec0 sees as many mounts as the host"
kill $attached 2>/dev/null || true
echo "stress: isolation processes_seen=$procs_inside mounts_seen=$(wc -l <<<"$mounts_inside")/$host_mounts"

# --- seed 004: chroot inside chroot, fchdir and a ".." loop ------------------------------
gcc -static -O2 -o /var/lib/lxc/sec0/rootfs/bin/chroot-escape \
    "$LXCD_SOURCE_ROOT/tests/stress/chroot-escape.c"
# /etc/debian_version: on the test host, not in a busybox rootfs.
assert_eq contained "$(lxcctl attach sec0 -- /bin/chroot-escape /etc/debian_version)" \
    "seed 004's chroot escape"
echo "stress: chroot-escape contained"

# --- device cgroup: seed 001's allowlist (deny all, then allow), /dev/null read-only ------
# v1 keys where the devices controller is v1 (hybrid), cgroup2 (eBPF) keys on pure v2. The
# container's console and ptys (5:1, 5:2, 136:*) stay usable: init opens /dev/console.
if [ "$LXCD_TESTHOST_LAYOUT" = hybrid ]; then prefix=lxc.cgroup.devices; else prefix=lxc.cgroup2.devices; fi
make_busybox dev0 "$prefix.deny = a" "$prefix.allow = c 1:3 r" "$prefix.allow = c 5:1 rw" \
    "$prefix.allow = c 5:2 rw" "$prefix.allow = c 136:* rw"
lxcctl start dev0
lxcctl attach dev0 -- cat /dev/null
assert_failure lxcctl attach dev0 -- sh -c 'echo x >/dev/null'
assert_failure lxcctl attach dev0 -- head -c 1 /dev/zero
lxcctl stop dev0 --kill
echo "stress: devices $prefix allowlist enforced (read /dev/null only)"

# --- seccomp and capabilities in attached processes --------------------------------------
policy=/var/lib/lxc/deny-mknod.seccomp
printf '%s\n' 2 denylist 'mknod errno 1' 'mknodat errno 1' >$policy
make_busybox sc0 "lxc.seccomp.profile = $policy" 'lxc.cap.drop = sys_admin net_raw'
lxcctl start sc0
status=$(lxcctl attach sc0 -- cat /proc/self/status)
assert_match 'Seccomp:[[:space:]]+2' "$status" "seccomp mode of an attached process"
bounding=$((16#$(awk '/^CapBnd:/ {print $2}' <<<"$status")))
[ $((bounding & (1 << 21))) -eq 0 ] || fail "CAP_SYS_ADMIN in an attached process's bounding set"
[ $((bounding & (1 << 13))) -eq 0 ] || fail "CAP_NET_RAW in an attached process's bounding set"
assert_contains "$(lxcctl attach sc0 -- mknod /tmp/n c 1 3 2>&1 || true)" "not permitted" \
    "mknod in an attached process"
lxcctl stop sc0 --kill
echo "stress: attach seccomp=2 sys_admin,net_raw dropped"

# --- files ---------------------------------------------------------------------------------
writable=$(find /run/lxcd /var/lib/lxc/*/config ! -type l -perm /o+w)
assert_eq "" "$writable" "files of lxcd writable by others"
echo "stress: others-writable files=0 of $(find /run/lxcd /var/lib/lxc/*/config ! -type l | wc -l)"
