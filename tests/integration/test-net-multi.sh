# Seed 000's last example through lxcd (issue 5), in its legacy keys: a veth on lxcbr0
# and a macvlan on the host's eth0 in one container become eth0 and eth1 in config
# order, each with its x-pattern MAC and its addresses.
source "${BASH_SOURCE[0]%/*}/lib/net.sh"

ip link add lxcbr0 type bridge
ip addr add 10.0.3.1/24 dev lxcbr0
ip link set lxcbr0 up
# The seed's host NIC.
add_dummy eth0
ip addr add 192.168.122.26/24 dev eth0
ip link set eth0 up

lxcctl create ct01 --template busybox --config "$(printf '%s\n' \
    'lxc.network.type = veth' 'lxc.network.flags = up' 'lxc.network.link = lxcbr0' \
    'lxc.network.hwaddr = 00:16:3e:25:09:xx' 'lxc.network.ipv4 = 10.0.3.127/24' \
    'lxc.network.type = macvlan' 'lxc.network.flags = up' 'lxc.network.link = eth0' \
    'lxc.network.hwaddr = 00:16:3e:25:09:xx' 'lxc.network.ipv4 = 192.168.122.247/24')"
lxcctl start ct01

links=$(lxcctl attach ct01 -- ip -o link show)
assert_match ' eth0@[^:]+: .* link/ether 00:16:3e:25:09:[0-9a-f]{2} ' "$links" "eth0 (veth)"
assert_match ' eth1@[^:]+: .* link/ether 00:16:3e:25:09:[0-9a-f]{2} ' "$links" "eth1 (macvlan)"
assert_contains "$(details ct01 eth0)" "veth"
assert_contains "$(details ct01 eth1)" "macvlan mode private"
assert_contains "$(lxcctl attach ct01 -- ip -o -4 addr show eth0)" \
    "inet 10.0.3.127/24 brd 10.0.3.255"
assert_contains "$(lxcctl attach ct01 -- ip -o -4 addr show eth1)" \
    "inet 192.168.122.247/24 brd 192.168.122.255"
lxcctl attach ct01 -- ping -c 1 -W 2 10.0.3.1 >/dev/null
# As lxc-ls --fancy shows it, both addresses in config order.
assert_match '^ct01 +RUNNING +10\.0\.3\.127/24, ?192\.168\.122\.247/24 ' \
    "$(lxcctl list --fancy | grep '^ct01 ')"

lxcctl stop ct01
assert_eq "eth0 lo lxcbr0" "$(host_links)" \
    "host interfaces after the stop"
