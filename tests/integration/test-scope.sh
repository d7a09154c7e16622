# manager/scope.cpp against the test host's systemd: each container is a transient,
# delegated scope lxc-<escaped name>.scope in lxc.slice holding its supervisor, with
# lxc.cgroup2.* limits mirrored as systemd properties; stop, kill and errors.

probe=${LXCD_BUILD_ROOT:?}/tests/integration/cgroup/scope-probe
[ -x "$probe" ] || fail "scope-probe is not built ($probe)"
case $LXCD_TESTHOST_LAYOUT in
unified) cgroot=/sys/fs/cgroup ;;
*) cgroot=/sys/fs/cgroup/unified ;;
esac

# Start: name escaped like systemd-escape, properties visible to systemctl.
out=$("$probe" start web-1 'lxc.cgroup2.memory.max = 64M' 'lxc.cgroup2.pids.max = 50' \
    'lxc.cgroup2.cpu.weight = 200' 'lxc.cgroup2.cpu.max = 50000 100000' 'lxc.cgroup2.cpuset.cpus = 0')
pid=${out#pid=}
unit='lxc-web\x2d1.scope'
assert_eq "$unit" "lxc-$(systemd-escape web-1).scope" "unit name"
assert_eq active "$(systemctl is-active "$unit")" "$unit"
assert_eq yes "$(systemctl show -P Delegate "$unit")" "Delegate"
assert_eq lxc.slice "$(systemctl show -P Slice "$unit")" "Slice"
assert_eq 67108864 "$(systemctl show -P MemoryMax "$unit")" "MemoryMax"
assert_eq 50 "$(systemctl show -P TasksMax "$unit")" "TasksMax"
assert_eq 200 "$(systemctl show -P CPUWeight "$unit")" "CPUWeight"
assert_eq 500ms "$(systemctl show -P CPUQuotaPerSecUSec "$unit")" "CPUQuotaPerSecUSec"
assert_eq 0 "$(systemctl show -P AllowedCPUs "$unit")" "AllowedCPUs"
assert_eq "LXC container web-1" "$(systemctl show -P Description "$unit")" "Description of $unit"
cgroup=$(systemctl show -P ControlGroup "$unit")
assert_eq "/lxc.slice/$unit" "$cgroup" "ControlGroup"
show=$("$probe" show web-1)
assert_contains "$show" "state=active"
assert_contains "$show" "cgroup=/lxc.slice/$unit"
assert_eq "$pid" "$(cat "$cgroot$cgroup/cgroup.procs")" "processes of $unit"

# A second scope of the same name is refused with systemd's reason.
rc=0
err=$("$probe" start web-1 2>&1) || rc=$?
assert_eq 1 "$rc" "exit status of a duplicate start"
assert_contains "$err" "UnitExists"

# Stop waits for the job; the scope and its process are gone, and it is not kept failed.
"$probe" stop web-1
assert_eq inactive "$(systemctl is-active "$unit" || true)" "$unit after stop"
wait_for 10 bash -c "! kill -0 $pid 2>/dev/null"
[ ! -d "$cgroot$cgroup" ] || fail "$cgroot$cgroup still exists"
assert_contains "$("$probe" show web-1)" "state=inactive"
"$probe" stop web-1 # stopping a stopped scope is not an error

# Kill signals every process of the scope; an emptied scope goes away.
out=$("$probe" start k1)
pid=${out#pid=}
"$probe" kill k1 9
wait_for 10 bash -c "! kill -0 $pid 2>/dev/null"
wait_for 10 bash -c "[ \"\$(systemctl is-active lxc-k1.scope)\" != active ]"

# Invalid limit values are refused before systemd is asked, naming the key.
rc=0
err=$("$probe" start bad 'lxc.cgroup2.memory.max = lots' 2>&1) || rc=$?
assert_eq 1 "$rc" "exit status with an invalid limit"
assert_contains "$err" "lxc.cgroup2.memory.max"
assert_eq inactive "$(systemctl is-active lxc-bad.scope || true)" "lxc-bad.scope"

# Inside its scope the supervisor builds the container's cgroups relative to it (as
# lxc.cgroup.relative): itself in lxc.monitor.<name>, the container in lxc.payload.<name>,
# nothing left in the scope's own cgroup, limits and the device program applied.
out=$("$probe" start c2 --cgroups 'lxc.cgroup.pids.max = 20' \
    'lxc.cgroup2.devices.deny = a' 'lxc.cgroup2.devices.allow = c 1:3 rwm')
pid=$(sed -n 's/^pid=//p' <<<"$out")
payload_pid=$(sed -n 's/^payload_pid=//p' <<<"$out")
[ -n "$payload_pid" ] || fail "no payload process: $out"
scope=$cgroot/lxc.slice/lxc-c2.scope
assert_eq "" "$(cat "$scope/cgroup.procs")" "processes in the scope's own cgroup"
assert_eq "$pid" "$(cat "$scope/lxc.monitor.c2/cgroup.procs")" "monitor cgroup"
assert_eq "$payload_pid" "$(cat "$scope/lxc.payload.c2/cgroup.procs")" "payload cgroup"
assert_eq "0::/lxc.slice/lxc-c2.scope/lxc.payload.c2" "$(grep '^0::' "/proc/$payload_pid/cgroup")"
# The device program: a process joining the payload may use /dev/null, not /dev/zero.
dev_out=$(bash -c "echo \$\$ > $scope/lxc.payload.c2/cgroup.procs && : >/dev/null && echo null-ok &&
    head -c1 /dev/zero" 2>&1 || true)
assert_contains "$dev_out" "null-ok" "/dev/null in the payload"
assert_contains "$dev_out" "Operation not permitted" "/dev/zero in the payload"
if [ "$LXCD_TESTHOST_LAYOUT" = hybrid ]; then
    assert_eq "$payload_pid" "$(cat /sys/fs/cgroup/systemd/lxc.slice/lxc-c2.scope/lxc.payload.c2/cgroup.procs)" \
        "name=systemd payload cgroup"
    assert_eq 20 "$(cat /sys/fs/cgroup/pids/lxc.slice/lxc-c2.scope/lxc.payload.c2/pids.max)" "pids.max"
fi
"$probe" stop c2
wait_for 10 bash -c "! kill -0 $payload_pid 2>/dev/null"
wait_for 10 test ! -d "$scope"
