# Networking through lxcd (issue 5): a veth on a bridge with a fixed name, an x-pattern
# MAC, static addresses and a gateway; the D-Bus address properties; the host side is
# gone after stop and after the container's init is killed; a missing bridge fails the
# start naming the key and leaves nothing behind.

ip link add lxcbr0 type bridge
ip addr add 10.0.3.1/24 dev lxcbr0
ip link set lxcbr0 up

lxcctl create web --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.flags = up' \
    'lxc.net.0.veth.pair = vethweb0' 'lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx' \
    'lxc.net.0.ipv4.address = 10.0.3.10/24' 'lxc.net.0.ipv4.gateway = auto' \
    'lxc.net.0.ipv6.address = fd00:3::10/64' 'lxc.net.0.mtu = 1400')"
lxcctl start web

# Host side: named, on the bridge, up.
assert_contains "$(ip -o link show vethweb0)" "master lxcbr0"
# Container side: eth0 with the MAC pattern, MTU, addresses, default route via the bridge.
inside=$(lxcctl attach web -- ip -o link show eth0)
assert_match 'link/ether 00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}' "$inside" "eth0's MAC"
assert_contains "$inside" "mtu 1400"
assert_contains "$(lxcctl attach web -- ip -o -4 addr show eth0)" "10.0.3.10/24"
assert_contains "$(lxcctl attach web -- ip route)" "default via 10.0.3.1"
lxcctl attach web -- ping -c 1 -W 2 10.0.3.1 >/dev/null
# Traffic and usage figures on D-Bus and in lxcctl info, read live.
prop() { busctl get-property org.lxcd1 /org/lxcd1/container/web org.lxcd1.Container "$1" | awk '{print $2}'; }
unknown=18446744073709551615
rx=$(prop NetworkReceivedBytes)
[ "$rx" != $unknown ] && [ "$rx" -gt 0 ] || fail "NetworkReceivedBytes is $rx after a ping"
cpu=$(prop CPUUsageNSec)
[ "$cpu" != $unknown ] && [ "$cpu" -gt 0 ] || fail "CPUUsageNSec is $cpu"
if [ "$LXCD_TESTHOST_LAYOUT" = hybrid ]; then # v1 memory, pids and blkio controllers
    mem=$(prop MemoryCurrent)
    [ "$mem" != $unknown ] && [ "$mem" -gt 0 ] || fail "MemoryCurrent is $mem"
    assert_eq 1 "$(prop TasksCurrent)" "TasksCurrent"
    # the scope asks for IOAccounting: systemd realises blkio for it
    [ "$(prop IOReadBytes)" != $unknown ] || fail "IOReadBytes unknown on a hybrid host"
fi
assert_match 'NetworkReceived: +[1-9][0-9]* B' "$(lxcctl info web)" "lxcctl info"

# A second container on the same bridge: the two reach each other and the bridge.
lxcctl create db --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.flags = up' \
    'lxc.net.0.veth.pair = vethdb0' 'lxc.net.0.ipv4.address = 10.0.3.11/24')"
lxcctl start db
assert_contains "$(ip -o link show vethdb0)" "master lxcbr0"
lxcctl attach web -- ping -c 1 -W 2 10.0.3.11 >/dev/null
lxcctl attach db -- ping -c 1 -W 2 10.0.3.10 >/dev/null
lxcctl attach db -- ping -c 1 -W 2 10.0.3.1 >/dev/null
lxcctl stop db --kill

# D-Bus properties and lxcctl list --fancy read the live addresses.
assert_contains "$(busctl get-property org.lxcd1 /org/lxcd1/container/web org.lxcd1.Container IPv4Addresses)" '"10.0.3.10/24"'
assert_contains "$(busctl get-property org.lxcd1 /org/lxcd1/container/web org.lxcd1.Container IPv6Addresses)" '"fd00:3::10/64"'
assert_match '^web +RUNNING +10\.0\.3\.10/24 +fd00:3::10/64 +NO' "$(lxcctl list --fancy | grep '^web ')"

# Stop: the host side is gone.
lxcctl stop web --kill
assert_failure ip link show vethweb0

# The start's PropertiesChanged carries the state and names the addresses as invalidated,
# without values (lxcd reads no network on the start's path); Get reads them.
monitor_log=$(mktemp)
busctl --json=short monitor > "$monitor_log" 2>/dev/null &
monitor=$!
wait_for 5 sh -c "busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetId && grep -q GetId $monitor_log"
lxcctl start web
wait_for 5 grep -q '"RUNNING"' "$monitor_log"
kill $monitor
python3 - "$monitor_log" <<'PY' || fail "no PropertiesChanged of RUNNING with the addresses invalidated"
import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("member") != "PropertiesChanged" or m.get("path") != "/org/lxcd1/container/web":
        continue
    iface, changed, invalidated = m["payload"]["data"]
    if changed.get("State", {}).get("data") == "RUNNING":
        assert "IPv4Addresses" not in changed and "IPv6Addresses" not in changed, changed
        assert {"IPv4Addresses", "IPv6Addresses"} <= set(invalidated), invalidated
        sys.exit(0)
sys.exit(1)
PY
rm -f "$monitor_log"
assert_contains "$(busctl get-property org.lxcd1 /org/lxcd1/container/web org.lxcd1.Container IPv4Addresses)" '"10.0.3.10/24"'

# SIGKILL of init: nothing left on the host either.
kill -9 "$(cat /run/lxcd/web/init.pid)"
wait_for 5 sh -c '! ip link show vethweb0'
wait_for 5 sh -c 'lxcctl list | grep -q "web *STOPPED"'

# A missing bridge: the start fails naming the key, and nothing is created.
lxcctl create lost --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = veth' 'lxc.net.0.link = br9' 'lxc.net.0.veth.pair = vethlost0')"
links_before=$(ip -o link show | wc -l)
out=$(lxcctl start lost 2>&1 || true)
assert_contains "$out" 'lxc.net.0.link'
assert_contains "$out" 'br9'
assert_eq "$links_before" "$(ip -o link show | wc -l)" "host links after the failed start"
assert_match '^lost +STOPPED' "$(lxcctl list | grep '^lost ')"
[ ! -e /run/lxcd/lost ] || fail "/run/lxcd/lost left behind"
assert_eq inactive "$(systemctl is-active lxc-lost.scope || true)" "lxc-lost.scope"

# 200 start/stop cycles with a veth: the host's interfaces are the same before and after.
links() { ip -o link show | awk -F': ' '{ print $2 }' | sort; }
before=$(links)
for _ in $(seq 200); do
    lxcctl start db
    lxcctl stop db --kill
done
assert_eq "$before" "$(links)" "host interfaces after 200 cycles"
