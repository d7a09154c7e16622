# lxcd next to systemd-networkd (issue 5), with the networkd files lxcd installs:
# networkd creates lxcbr0 (10.0.3.1/24, DHCP server, masquerading), containers start
# with a veth on it and reach it, and networkd leaves lxcd's host-side veths alone -
# even with a catch-all .network of the kind networkd users write, which would
# otherwise run DHCP on them.

mkdir -p /etc/systemd/network
cat >/etc/systemd/network/80-dhcp.network <<'END'
[Match]
Type=ether

[Network]
DHCP=yes
END
systemctl start systemd-networkd
wait_for 10 ip link show lxcbr0
# networkd took its configuration from the installed files.
assert_contains "$(networkctl status lxcbr0)" "/lib/systemd/network/"
wait_for 10 sh -c 'ip -o -4 addr show lxcbr0 | grep -q "10.0.3.1/24"'
# IPMasquerade=ipv4: forwarding on, and networkd's NAT table masquerades the subnet.
assert_eq 1 "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward"
assert_contains "$(nft list set ip io.systemd.nat masq_saddr)" "10.0.3.0/24"

lxcctl create web --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.flags = up' \
    'lxc.net.0.veth.pair = vethweb0' 'lxc.net.0.ipv4.address = 10.0.3.10/24' \
    'lxc.net.0.ipv4.gateway = auto')"
# No address: it asks networkd's DHCP server for one.
lxcctl create dyn --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.flags = up')"
lxcctl start web
lxcctl start dyn

assert_contains "$(ip -o link show vethweb0)" "master lxcbr0"
lxcctl attach web -- ping -c 1 -W 2 10.0.3.1 >/dev/null
assert_contains "$(lxcctl attach web -- ip route)" "default via 10.0.3.1"
lease=$(lxcctl attach dyn -- udhcpc -i eth0 -n -q -t 5 -s /bin/true 2>&1)
assert_match 'lease of 10\.0\.3\.[0-9]+ obtained' "$lease" "DHCP from networkd on lxcbr0"

# networkd marks lxcd's veths unmanaged and does not touch them, also when reloaded.
dyn_veth=$(ip -o link show master lxcbr0 | awk -F': ' '{ sub(/@.*/, "", $2) } $2 != "vethweb0" { print $2 }')
assert_ne "" "$dyn_veth" "dyn's generated host-side veth"
before=$(ip -o link show master lxcbr0)
for veth in vethweb0 "$dyn_veth"; do
    assert_match "$veth +ether +[a-z-]+ +unmanaged" "$(networkctl list "$veth" --no-legend)"
done
networkctl reload
networkctl reconfigure lxcbr0
sleep 2
assert_eq "$before" "$(ip -o link show master lxcbr0)" "lxcbr0's ports after networkctl reload"
for veth in vethweb0 "$dyn_veth"; do
    assert_match "$veth +ether +[a-z-]+ +unmanaged" "$(networkctl list "$veth" --no-legend)"
    assert_eq "" "$(ip -o addr show dev "$veth" scope global)" "addresses on $veth"
done
lxcctl attach web -- ping -c 1 -W 2 10.0.3.1 >/dev/null

lxcctl stop web
lxcctl stop dyn
assert_eq "" "$(ip -o link show master lxcbr0)" "lxcbr0's ports after the stops"
