# Network devices for unprivileged users (issue 7): the system lxcd creates veth pairs
# for a non-root caller (org.lxcd1.Manager.CreateUserNetworkDevices, through
# network/user_nic_client as an unprivileged supervisor calls it) within
# /etc/lxc/lxc-usernet: in the caller's own user+net namespace only, on allowed bridges,
# up to its count; released when the namespace's init exits, also across an lxcd
# restart. Every other mutating method stays root-only.
client=${LXCD_BUILD_ROOT:?}/tests/integration/usernet/user-nic-client
work=/tmp/usernet
mkdir $work
chmod 0777 $work

for br in lxcbr0 br1 br2; do
    ip link add $br type bridge
    ip link set $br up
done
ip link set lxcbr0 mtu 1450
ip addr add 10.0.3.1/24 dev lxcbr0
groupadd lxcusers
useradd --groups lxcusers alice
useradd bob
mkdir -p /etc/lxc
cat >/etc/lxc/lxc-usernet <<'CONF'
# USER TYPE BRIDGE COUNT
alice veth lxcbr0 2
@lxcusers veth br1 1
CONF

net_conf() { # FILE BRIDGE NAME [KEY=VALUE...]: one veth entry
    local file=$work/$1 br=$2 name=$3
    shift 3
    printf '%s\n' lxc.net.0.type=veth lxc.net.0.link="$br" lxc.net.0.name="$name" \
        "${@/#/lxc.net.0.}" >"$file"
}
net_conf eth0.conf lxcbr0 eth0 hwaddr=00:16:3e:xx:xx:xx mtu=1400
net_conf eth1.conf lxcbr0 eth1
net_conf eth2.conf lxcbr0 eth2
net_conf br1.conf br1 eth5
net_conf br2.conf br2 eth6
net_conf pair.conf lxcbr0 eth7 veth.pair=mine0
printf '%s\n' lxc.net.0.type=veth lxc.net.0.link=lxcbr0 lxc.net.0.name=eth3 \
    lxc.net.1.type=veth lxc.net.1.link=lxcbr0 lxc.net.1.name=lo >$work/two.conf

# start_ns USER NAME [keep]: a user+net namespace as an unprivileged container's init
# would have, its PID in $work/NAME.pid; with keep, a second process holds the namespace
# after the first exits (as a process left behind in the container would).
start_ns() {
    local inner='echo $$ >'"$work/$2.pid"'; exec sleep 600'
    [ "${3:-}" != keep ] || inner='sleep 600 & echo $$ >'"$work/$2.pid"'; wait'
    runuser -u "$1" -- unshare --user --map-root-user --net sh -c "$inner" &
    wait_for 5 test -s "$work/$2.pid"
}
pid_of() { cat "$work/$1.pid"; }
# request USER NS CONFIG: the devices for namespace NS as USER asks for them.
request() {
    runuser -u "$1" -- "$client" "/proc/$(pid_of "$2")/ns/net" "$(pid_of "$2")" "ct-$2" "$work/$3"
}
host_side() { awk '{ print $1 }' <<<"$1"; }
on_bridge() { ip -o link show master "$1" | wc -l; }
gone() { ! ip link show "$1" &>/dev/null; }
lxcbr0_empty() { [ "$(on_bridge lxcbr0)" = 0 ]; }
no_records() { [ -z "$(ls /run/lxcd/.usernet)" ]; }

# Within the quota: a veth with the host side on lxcbr0 (with the bridge's MTU), the
# peer inside with its name, MAC pattern and MTU (the bridge's when none is given).
start_ns alice ns1
out=$(request alice ns1 eth0.conf)
assert_match '^veth[0-9a-zA-Z]{6} eth0$' "$out" "created"
host1=$(host_side "$out")
assert_contains "$(ip -o link show "$host1")" "master lxcbr0"
assert_contains "$(ip -o link show "$host1")" "mtu 1450"
inside=$(nsenter -t "$(pid_of ns1)" -n ip -o link show eth0)
assert_match 'link/ether 00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}' "$inside" "eth0's MAC"
assert_contains "$inside" "mtu 1400"
# Its owner configures it in its namespace, and reaches the bridge through it.
in_ns1() { runuser -u alice -- nsenter -t "$(pid_of ns1)" --user --net --preserve-credentials "$@"; }
in_ns1 ip addr add 10.0.3.20/24 dev eth0
in_ns1 ip link set eth0 up
in_ns1 busybox ping -c 1 -W 2 10.0.3.1 >/dev/null
host2=$(host_side "$(request alice ns1 eth1.conf)")
assert_contains "$(nsenter -t "$(pid_of ns1)" -n ip -o link show eth1)" "mtu 1450"
[ -e "/run/lxcd/.usernet/$host2" ] || fail "no record of $host2"

# The quota+1th is refused, and nothing is created.
assert_eq 2 "$(on_bridge lxcbr0)" "veths on lxcbr0"
out=$(request alice ns1 eth2.conf 2>&1 || true)
assert_contains "$out" "QuotaExceeded: lxcd: user alice (uid $(id -u alice)) may have 2 veth devices on bridge \"lxcbr0\""
assert_eq 2 "$(on_bridge lxcbr0)" "veths on lxcbr0 after the refusal"
# A bridge no line names; one given by a group line, within its count.
assert_contains "$(request alice ns1 br2.conf 2>&1 || true)" "BridgeNotAllowed: lxcd: /etc/lxc/lxc-usernet gives user alice"
assert_match '^veth.* eth5$' "$(request alice ns1 br1.conf)" "a device on br1 through @lxcusers"
assert_contains "$(request alice ns1 br1.conf 2>&1 || true)" "QuotaExceeded"
# What only root may ask for on the host side is refused by the client already.
assert_contains "$(request alice ns1 pair.conf 2>&1 || true)" \
    "lxc.net.0.veth.pair: is not available to unprivileged containers"

# No entry for the user; someone else's namespace (its fd handed over by root); fds that
# are no network namespace or no pidfd of a process in it.
start_ns bob nsb
assert_contains "$(request bob nsb eth0.conf 2>&1 || true)" "AccessDenied: lxcd: user bob (uid $(id -u bob)) has no entry in /etc/lxc/lxc-usernet"
exec 7<"/proc/$(pid_of nsb)/ns/net"
out=$(runuser -u alice -- "$client" /proc/self/fd/7 "$(pid_of nsb)" ct "$work/eth0.conf" 2>&1 || true)
exec 7<&-
assert_contains "$out" "AccessDenied: lxcd: the network namespace does not belong to uid $(id -u alice)"
assert_contains "$(runuser -u alice -- "$client" /etc/passwd "$(pid_of ns1)" ct "$work/eth2.conf" 2>&1 || true)" \
    "InvalidArgument: lxcd: the namespace file descriptor is not a network namespace"
start_ns alice ns2
assert_contains "$(runuser -u alice -- "$client" "/proc/$(pid_of ns1)/ns/net" "$(pid_of ns2)" ct "$work/eth2.conf" 2>&1 || true)" \
    "is not in the given network namespace"
assert_eq 2 "$(on_bridge lxcbr0)" "veths on lxcbr0 after the refusals"

# The init exits: the devices go, and so does their quota.
kill "$(pid_of ns1)"
wait_for 5 gone "$host1"
wait_for 5 gone "$host2"
wait_for 5 no_records
# (All or none: the first of two is undone when the second cannot be made.)
assert_contains "$(request alice ns2 two.conf 2>&1 || true)" \
    "InvalidConfig: lxcd: lxc.net.1.type: cannot create veth pair"
assert_eq 0 "$(on_bridge lxcbr0)" "veths on lxcbr0 after a failed pair of two"
assert_match '^veth.* eth0$' "$(request alice ns2 eth0.conf)" "after the release"
assert_match '^veth.* eth1$' "$(request alice ns2 eth1.conf)" "after the release"
kill "$(pid_of ns2)"
wait_for 5 lxcbr0_empty

# The init exits while another process keeps its namespace: lxcd deletes the devices.
start_ns alice ns3 keep
host3=$(host_side "$(request alice ns3 eth0.conf)")
kill -KILL "$(pid_of ns3)"
wait_for 5 gone "$host3"

# Across an lxcd restart: a device whose init exited meanwhile is deleted when lxcd comes
# back; a live one still counts against the quota and goes when its init exits.
start_ns alice ns4 keep
start_ns alice ns5 keep
host4=$(host_side "$(request alice ns4 eth0.conf)")
host5=$(host_side "$(request alice ns5 eth0.conf)")
systemctl stop lxcd
kill -KILL "$(pid_of ns4)"
sleep 0.5
ip link show "$host4" >/dev/null || fail "$host4 went without lxcd"
systemctl start lxcd
wait_for 5 gone "$host4"
ip link show "$host5" >/dev/null || fail "$host5 was deleted by the restart"
start_ns alice ns6
request alice ns6 eth0.conf >/dev/null
assert_contains "$(request alice ns6 eth1.conf 2>&1 || true)" "QuotaExceeded"
kill -KILL "$(pid_of ns5)"
wait_for 5 gone "$host5"
kill "$(pid_of ns6)" "$(pid_of nsb)"
wait_for 5 lxcbr0_empty

# Every other mutating method stays root-only.
lxcctl create web --template busybox
# denied OBJECT INTERFACE METHOD ARGS: alice's call (ARGS a Python list, typed by
# introspection) answers lxcd's AccessDenied (busctl shows no message for that error).
denied() {
    local out
    out=$(runuser -u alice -- /usr/bin/python3 -c '
import ast, dbus, sys
obj = dbus.SystemBus().get_object("org.lxcd1", sys.argv[1])
try:
    obj.get_dbus_method(sys.argv[3], sys.argv[2])(*ast.literal_eval(sys.argv[4]))
except dbus.DBusException as e:
    print(e.get_dbus_name(), e.get_dbus_message())' "$@" 2>&1)
    assert_eq "org.freedesktop.DBus.Error.AccessDenied only root may change containers" \
        "$out" "alice calling $3"
}
m=(/org/lxcd1 org.lxcd1.Manager)
denied "${m[@]}" CreateContainer '["evil", "busybox", {}]'
denied "${m[@]}" DestroyContainer '["web"]'
denied "${m[@]}" StartContainer '["web"]'
denied "${m[@]}" StopContainer '["web", True]'
denied "${m[@]}" StopContainerWithTimeout '["web", 1]'
denied "${m[@]}" RebootContainer '["web"]'
denied "${m[@]}" KillContainer '["web", 9]'
denied "${m[@]}" FreezeContainer '["web"]'
denied "${m[@]}" ThawContainer '["web"]'
denied "${m[@]}" Reload '[]'
c=(/org/lxcd1/container/web org.lxcd1.Container)
for method in Start Reboot Freeze Thaw; do
    denied "${c[@]}" $method '[]'
done
denied "${c[@]}" Stop '[True]'
denied "${c[@]}" Kill '[9]'
a=(/org/lxcd1 org.lxcd1.Autostart)
denied "${a[@]}" StartGroups '[[], True]'
denied "${a[@]}" StopGroups '[[], True]'
denied "${a[@]}" Start '[[], True, True, True]'
denied "${a[@]}" Stop '[[], True, True, True, True, 1]'
denied "${a[@]}" Shutdown '[True, 1]'
assert_match '^web +STOPPED' "$(lxcctl list | grep '^web ')"
[ ! -e /var/lib/lxc/evil ] || fail "alice created a container"
