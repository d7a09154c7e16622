# Network helpers for the integration tests of issue 5 (source it from a test).

# add_dummy NAME: a stand-alone Ethernet-like device on the test host. Kernels without
# the dummy driver get an ifb device, which behaves alike here: virtual, no carrier
# games, and deleted (not given back to the host) when a namespace holding it dies.
add_dummy() {
    ip link add "$1" type dummy 2>/dev/null || ip link add "$1" type ifb
}

# The interface names in `ip -o link show` output (stdin), sorted, on one line.
link_names() {
    awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | xargs
}

# The test host's interface names, as link_names prints them.
host_links() {
    ip -o link show | link_names
}

# details CONTAINER IFACE: `ip -d link show IFACE` in the container's network namespace,
# by the test host's iproute2 (busybox's ip has no -d).
details() {
    nsenter -t "$(cat "/run/lxcd/$1/init.pid")" -n ip -d link show "$2"
}
