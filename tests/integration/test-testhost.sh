# The test host itself: the platform every other integration test stands on must be a
# real, booted systemd with a system bus and working delegated scopes, isolated from the
# real host. Runs inside scripts/testhost (see tests/integration/meson.build).

[ -n "${LXCD_TESTHOST:-}" ] || fail "not running inside scripts/testhost"

# A real systemd is PID 1 and finished booting.
assert_eq systemd "$(cat /proc/1/comm)" "PID 1"
assert_eq running "$(systemctl is-system-running)" "system state"
assert_eq testhost.target "$(systemctl show -P Id testhost.target)" "boot target"
assert_eq active "$(systemctl is-active testhost.target)" "testhost.target"

# A real system bus, answering for org.freedesktop.systemd1.
bus=$(busctl status)
assert_contains "$bus" "BusScope=system"
assert_contains "$(busctl list --no-pager)" "org.freedesktop.systemd1"

# The cgroup layout asked for.
case $LXCD_TESTHOST_LAYOUT in
unified)
    assert_eq cgroup2fs "$(stat -fc %T /sys/fs/cgroup)" "/sys/fs/cgroup"
    cgroup_dirs=(/sys/fs/cgroup)
    ;;
hybrid)
    assert_eq tmpfs "$(stat -fc %T /sys/fs/cgroup)" "/sys/fs/cgroup"
    assert_eq cgroup2fs "$(stat -fc %T /sys/fs/cgroup/unified)" "/sys/fs/cgroup/unified"
    assert_eq cgroupfs "$(stat -fc %T /sys/fs/cgroup/systemd)" "/sys/fs/cgroup/systemd"
    cgroup_dirs=(/sys/fs/cgroup/unified /sys/fs/cgroup/systemd)
    ;;
*) fail "unknown LXCD_TESTHOST_LAYOUT '$LXCD_TESTHOST_LAYOUT'" ;;
esac
# The cgroup namespace is rooted at the test host's own subtree.
assert_match '^0::/' "$(grep '^0::' /proc/1/cgroup)" "PID 1's cgroup"
assert_eq /init.scope "$(sed -n 's/^0:://p' /proc/1/cgroup)" "PID 1's cgroup"

# A delegated transient scope in lxc.slice, the way lxcd places containers.
scope=lxc-probe.scope
systemd-run --quiet --scope --slice=lxc.slice -p Delegate=yes -u "$scope" sleep 60 &
probe=$!
wait_for 10 systemctl is-active --quiet "$scope"
assert_eq yes "$(systemctl show -P Delegate "$scope")" "Delegate of $scope"
assert_eq lxc.slice "$(systemctl show -P Slice "$scope")" "slice of $scope"
for dir in "${cgroup_dirs[@]}"; do
    [ -d "$dir/lxc.slice/$scope" ] || fail "$dir/lxc.slice/$scope does not exist"
    assert_contains "$(cat "$dir/lxc.slice/$scope/cgroup.procs")" "$probe" "$dir/lxc.slice/$scope/cgroup.procs"
done
systemctl stop "$scope"
wait "$probe" || true
wait_for 10 test ! -d "${cgroup_dirs[0]}/lxc.slice/$scope"

# Private /tmp, /run, /var/tmp and /dev: the real host's are out of reach.
for dir in /tmp /run /var/tmp /var/lib/lxc /dev; do
    assert_eq tmpfs "$(stat -fc %T "$dir")" "file system of $dir"
done
[ ! -e "/tmp/lxcd-testhost.$LXCD_TESTHOST" ] || fail "the host's /tmp is visible inside"
assert_eq "" "$(find /tmp -mindepth 1 -maxdepth 1 ! -name '.*-unix')" "contents of /tmp"
assert_eq "" "$(ls -A /var/lib/lxc)" "contents of /var/lib/lxc"
assert_eq tmpfs "$(stat -fc %T /dev)" "file system of /dev"
assert_eq "" "$(find /dev -type b)" "block devices in /dev"

# Kernel-global knobs are read-only; the test host's own network's are writable.
[ ! -w /proc/sys/kernel/hostname ] || fail "/proc/sys/kernel is writable"
[ -w /proc/sys/net/ipv4/ip_forward ] || fail "/proc/sys/net is read-only"
[ ! -w /sys/kernel ] || fail "/sys is writable"
capbnd=$((16#$(awk '/^CapBnd/ { print $2 }' /proc/1/status)))
assert_eq 0 $(((capbnd >> 16) & 1)) "CAP_SYS_MODULE in PID 1's bounding set"
assert_eq 0 $(((capbnd >> 25) & 1)) "CAP_SYS_TIME in PID 1's bounding set"

# Its own network namespace: only loopback, and up.
assert_eq lo "$(ip -o link show | awk -F': ' '{ print $2 }')" "network interfaces"
assert_contains "$(ip -o link show lo)" "LOWER_UP" "lo"
assert_eq "testhost-$LXCD_TESTHOST" "$(hostname)" "hostname"

# No unit the real host enabled runs here (the overlay shows the host's /etc, so its
# .wants/ directories list exactly those), nor the host's LXC or PostgreSQL.
for unit in /etc/systemd/system/*.wants/* lxc.service lxc-net.service lxcfs.service \
    postgresql.service; do
    unit=${unit##*/}
    state=$(systemctl is-active "$unit" || true)
    [[ $state =~ ^(inactive|unknown)$ ]] || fail "host unit $unit is $state in the test host"
done
assert_eq "" "$(systemctl list-units --failed --plain --no-legend)" "failed units"

# The build is installed at its prefix (--build): every file meson installs is there, and
# D-Bus/polkit files below another prefix are visible where dbus-daemon and polkit look.
if [ -n "${LXCD_BUILD_ROOT:-}" ]; then
    installed=$(python3 -c 'import json, sys
for dest in json.load(open(sys.argv[1])).values(): print(dest)' \
        "$LXCD_BUILD_ROOT/meson-info/intro-installed.json")
    while read -r dest; do
        [ -z "$dest" ] || [ -e "$dest" ] || fail "installed file $dest missing"
        case $dest in
        /usr/share/*) ;;
        */share/dbus-1/system.d/* | */share/dbus-1/system-services/* | */share/polkit-1/*)
            [ -e "/usr/share/${dest#*/share/}" ] || fail "$dest not linked into /usr/share"
            ;;
        esac
    done <<<"$installed"
fi
