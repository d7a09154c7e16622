# lxc.net.N.type = vlan and ipvlan through lxcd (issue 5): the device is created on the
# host's `link`, enters the container under its name, and carries its vlan.id / ipvlan
# mode there (`ip -d link`). Kernels without the 8021q or ipvlan driver skip that part
# (and the test when both are missing), saying so.
source "${BASH_SOURCE[0]%/*}/lib/net.sh"

add_dummy trunk0
ip link set trunk0 up

# True if this kernel creates links of kind $1 (extra `ip link add` arguments follow).
kernel_has() {
    local kind=$1
    shift
    ip link add link trunk0 name probe0 type "$kind" "$@" 2>/dev/null || return 1
    ip link del probe0
}

skipped=()
if kernel_has vlan id 2; then
    lxcctl create vl --template busybox --config "$(printf '%s\n' \
        'lxc.net.0.type = vlan' 'lxc.net.0.link = trunk0' 'lxc.net.0.vlan.id = 42' \
        'lxc.net.0.flags = up' 'lxc.net.0.ipv4.address = 10.0.42.2/24')"
    lxcctl start vl
    inside=$(details vl eth0)
    assert_contains "$inside" "vlan protocol 802.1Q id 42"
    assert_contains "$(lxcctl attach vl -- ip -o -4 addr show eth0)" "10.0.42.2/24"
    lxcctl stop vl --kill
else
    skipped+=("vlan: the kernel has no 8021q driver ($(uname -r))")
fi

if kernel_has ipvlan mode l2; then
    lxcctl create ipv --template busybox --config "$(printf '%s\n' \
        'lxc.net.0.type = ipvlan' 'lxc.net.0.link = trunk0' 'lxc.net.0.ipvlan.mode = l2' \
        'lxc.net.0.ipvlan.isolation = private' 'lxc.net.0.flags = up' \
        'lxc.net.0.ipv4.address = 10.0.43.2/24')"
    lxcctl start ipv
    inside=$(details ipv eth0)
    assert_match "ipvlan +mode l2 private" "$inside"
    lxcctl stop ipv --kill
else
    skipped+=("ipvlan: the kernel has no ipvlan driver ($(uname -r))")
fi

assert_eq "lo trunk0" "$(host_links)" \
    "host interfaces after the stops"
for reason in "${skipped[@]}"; do
    echo "skipped part: $reason"
done
[ ${#skipped[@]} -lt 2 ] || skip "${skipped[*]}"
