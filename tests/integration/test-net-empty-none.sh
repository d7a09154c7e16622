# lxc.net.0.type = empty and none through lxcd (issue 5): empty gives the container a
# network namespace of its own with only a loopback (up); none shares the test host's
# interfaces.
source "${BASH_SOURCE[0]%/*}/lib/net.sh"

lxcctl create empty --template busybox --config 'lxc.net.0.type = empty'
lxcctl start empty
assert_eq "lo" "$(lxcctl attach empty -- ip -o link show | link_names)" "interfaces of empty"
assert_contains "$(lxcctl attach empty -- ip -o link show lo)" "UP"
lxcctl attach empty -- ping -c 1 -W 1 127.0.0.1 >/dev/null

# An interface only this (test) host has, to tell its namespace apart from a new one.
add_dummy hostmark0
lxcctl create none --template busybox --config 'lxc.net.0.type = none'
lxcctl start none
host=$(host_links)
assert_contains "$host" "hostmark0"
assert_eq "$host" "$(lxcctl attach none -- ip -o link show | link_names)" "interfaces of none"
assert_eq "$(readlink /proc/self/ns/net)" \
    "$(readlink "/proc/$(cat /run/lxcd/none/init.pid)/ns/net")" "network namespace of none"

# Neither leaves anything on the host.
lxcctl stop empty --kill
lxcctl stop none --kill
assert_eq "$host" "$(host_links)" "host interfaces after the stops"
