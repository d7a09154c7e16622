# Seed 000's macvlan experiment through lxcd (issue 5): two containers with a macvlan on
# the same parent. In private mode (the default) they cannot reach each other; in bridge
# mode they can; in neither can they reach the parent's own address.
source "${BASH_SOURCE[0]%/*}/lib/net.sh"

add_dummy mvparent0
ip addr add 10.0.6.1/24 dev mvparent0
ip link set mvparent0 up

# ct01 and ct02 differ only in their address, as in the seed.
create() { # NAME ADDRESS [MODE]
    lxcctl create "$1" --template busybox --config "$(printf '%s\n' \
        'lxc.net.0.type = macvlan' 'lxc.net.0.flags = up' 'lxc.net.0.link = mvparent0' \
        "lxc.net.0.ipv4.address = $2/24" ${3:+"lxc.net.0.macvlan.mode = $3"})"
}
reaches() { lxcctl attach "$1" -- ping -c 1 -W 1 "$2" >/dev/null 2>&1; }

create ct01 10.0.6.224
create ct02 10.0.6.9
lxcctl start ct01
lxcctl start ct02
assert_contains "$(details ct01 eth0)" "macvlan mode private"
reaches ct01 10.0.6.9 && fail "private mode: ct01 reaches ct02"
reaches ct02 10.0.6.224 && fail "private mode: ct02 reaches ct01"
reaches ct01 10.0.6.1 && fail "private mode: ct01 reaches the parent's address"
reaches ct02 10.0.6.1 && fail "private mode: ct02 reaches the parent's address"
lxcctl stop ct01 --kill
lxcctl stop ct02 --kill

lxcctl destroy ct01
lxcctl destroy ct02
create ct01 10.0.6.224 bridge
create ct02 10.0.6.9 bridge
lxcctl start ct01
lxcctl start ct02
assert_contains "$(details ct01 eth0)" "macvlan mode bridge"
reaches ct01 10.0.6.9 || fail "bridge mode: ct01 does not reach ct02"
reaches ct02 10.0.6.224 || fail "bridge mode: ct02 does not reach ct01"
reaches ct01 10.0.6.1 && fail "bridge mode: ct01 reaches the parent's address"
reaches ct02 10.0.6.1 && fail "bridge mode: ct02 reaches the parent's address"
lxcctl stop ct01 --kill
lxcctl stop ct02 --kill

# A parent that does not exist: the start fails naming the key, and creates nothing.
lxcctl create lost --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = macvlan' 'lxc.net.0.link = nosuch0')"
out=$(lxcctl start lost 2>&1 || true)
assert_contains "$out" "lxc.net.0.link"
assert_contains "$out" "nosuch0"
assert_match '^lost +STOPPED' "$(lxcctl list | grep '^lost ')"

# The macvlans lived in the containers only: the host has its parent and lo.
assert_eq "lo mvparent0" "$(host_links)" \
    "host interfaces"
