# An unprivileged container with a veth (issue 7, seed 002): a non-root user's lxcd starts
# a busybox container whose lxc.net.0 is a veth on lxcbr0, made by the system lxcd within
# /etc/lxc/lxc-usernet and configured inside by the user's supervisor (address, MAC, MTU,
# up, gateway). A start beyond the quota, or failing inside once the device exists, leaves
# nothing; stop releases the device and its quota.
user=netuser
useradd --create-home --shell /bin/bash "$user"
uid=$(id -u "$user")
home=$(getent passwd "$user" | cut -d: -f6)
chmod 755 "$home" # the container's root must reach its rootfs
systemctl start "user@$uid.service"
as_user() {
    runuser -u "$user" -- env HOME="$home" XDG_RUNTIME_DIR="/run/user/$uid" \
        DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" "$@"
}

ip link add lxcbr0 type bridge
ip addr add 10.0.3.1/24 dev lxcbr0
ip link set lxcbr0 up
mkdir -p /etc/lxc
echo "$user veth lxcbr0 1" >/etc/lxc/lxc-usernet

lxcpath=$home/.local/share/lxc
make_ct() { # NAME ADDRESS: the template's container with a veth instead of empty
    as_user lxcctl --user create "$1" --template busybox
    as_user sed -i "/^lxc.net.0.type = empty$/d" "$lxcpath/$1/config"
    printf '%s\n' "lxc.net.0.type = veth" "lxc.net.0.link = lxcbr0" "lxc.net.0.flags = up" \
        "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx" "lxc.net.0.mtu = 1400" \
        "lxc.net.0.ipv4.address = $2/24" "lxc.net.0.ipv4.gateway = auto" \
        "lxc.net.0.ipv6.address = fd00:3::${2##*.}/64" |
        as_user tee -a "$lxcpath/$1/config" >/dev/null
}
in_ct() { as_user systemd-run --user --quiet --pipe --wait lxcctl --user attach "$1" -- "${@:2}"; }
on_bridge() { ip -o link show master lxcbr0 | wc -l; }
lxcbr0_empty() { [ "$(on_bridge)" = 0 ]; }
stopped() { ! test -e "/run/user/$uid/lxcd/$1"; }
no_records() { [ -z "$(ls /run/lxcd/.usernet)" ]; }

make_ct ct 10.0.3.20
make_ct ct2 10.0.3.21
make_ct bad 10.0.3.22 # its address twice: lxcd makes the veth, configuring it fails
echo "lxc.net.0.ipv4.address = 10.0.3.22/24" | as_user tee -a "$lxcpath/bad/config" >/dev/null
as_user lxcctl --user start ct
eth0=$(in_ct ct busybox ip -o addr show dev eth0)
assert_contains "$eth0" "inet 10.0.3.20/24"
assert_contains "$eth0" "inet6 fd00:3::20/64"
link=$(in_ct ct busybox ip -o link show dev eth0)
assert_match 'link/ether 00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}' "$link" "eth0's MAC"
assert_contains "$link" "mtu 1400"
assert_contains "$link" ",UP"
assert_contains "$(in_ct ct busybox ip route)" "default via 10.0.3.1 dev eth0"
in_ct ct busybox ping -c 1 -W 2 10.0.3.1 >/dev/null || fail "no answer from the bridge"
assert_eq 1 "$(on_bridge)" "veths on lxcbr0"
# The user's lxcd reads the addresses from the container's namespace, as it owns it.
assert_match 'IPv4: +10.0.3.20/24' "$(as_user lxcctl --user info ct)" "lxcctl --user info"
host=$(ip -o link show master lxcbr0 | awk -F': ' '{ print $2 }' | cut -d@ -f1)
assert_match '^veth[0-9a-zA-Z]{6}$' "$host" "the host side"

# The quota+1th: the start fails naming lxcd's refusal, and leaves no init, state or device.
rc=0
err=$(as_user lxcctl --user start ct2 2>&1) || rc=$?
assert_ne 0 "$rc" "exit status of a start beyond the quota"
assert_contains "$err" "start of container 'ct2' failed: lxcd: user $user (uid $uid) may have 1 veth devices on bridge \"lxcbr0\""
wait_for 10 stopped ct2
assert_contains "$(as_user lxcctl --user info ct2)" "STOPPED"
assert_eq 1 "$(on_bridge)" "veths on lxcbr0 after the refusal"
assert_eq inactive "$(as_user systemctl --user is-active lxc-ct2.scope || true)" "lxc-ct2.scope"

# Stop releases the device, and with it the quota.
as_user lxcctl --user stop ct
wait_for 10 lxcbr0_empty
! ip link show "$host" &>/dev/null || fail "$host left after stop"

# A failure inside, after lxcd made the device: the start fails naming it, its init is
# killed, and the device goes with it.
rc=0
err=$(as_user lxcctl --user start bad 2>&1) || rc=$?
assert_ne 0 "$rc" "exit status of a start whose address cannot be added"
assert_contains "$err" "bad/config:13: lxc.net.0.ipv4.address: cannot add 10.0.3.22/24 to \"eth0\""
wait_for 10 stopped bad
wait_for 10 lxcbr0_empty
as_user lxcctl --user start ct2
assert_contains "$(in_ct ct2 busybox ip -o addr show dev eth0)" "inet 10.0.3.21/24"
as_user lxcctl --user stop ct2
wait_for 10 lxcbr0_empty
wait_for 10 no_records
