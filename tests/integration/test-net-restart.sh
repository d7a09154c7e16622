# Host interfaces across the failures of issue 5, with a veth container: a restart of
# lxcd (and a crash of it) while the container runs, then a stop; SIGKILL of the
# container's supervisor, also while lxcd is down. None leaves a host interface, or an
# l2proxy entry, behind.
source "${BASH_SOURCE[0]%/*}/lib/net.sh"

ip link add lxcbr0 type bridge
ip addr add 10.0.3.1/24 dev lxcbr0
ip link set lxcbr0 up
# l2proxy wants the host to forward on `link`, as LXC does.
echo 1 >/proc/sys/net/ipv4/conf/lxcbr0/forwarding
lxcctl create web --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.flags = up' \
    'lxc.net.0.veth.pair = vethweb0' 'lxc.net.0.ipv4.address = 10.0.3.10/24' \
    'lxc.net.0.l2proxy = 1')"
before=$(host_links)
proxies() { ip neigh show proxy dev lxcbr0; }

running() { lxcctl list | grep -q '^web *RUNNING'; }
stopped() { lxcctl list | grep -q '^web *STOPPED'; }

# Restarted daemon: it adopts the running container, which keeps its network.
lxcctl start web
# (A second container asking for the same veth.pair fails naming it, and changes nothing.)
lxcctl create dup --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.veth.pair = vethweb0')"
running_links=$(host_links)
out=$(lxcctl start dup 2>&1 || true)
assert_contains "$out" "lxc.net.0.veth.pair"
assert_contains "$out" "vethweb0"
assert_eq "$running_links" "$(host_links)" "host interfaces after the refused start"
systemctl restart lxcd
wait_for 10 running
assert_contains "$(ip -o link show vethweb0)" "master lxcbr0"
assert_contains "$(proxies)" "10.0.3.10"
lxcctl attach web -- ping -c 1 -W 2 10.0.3.1 >/dev/null
lxcctl stop web
assert_eq "$before" "$(host_links)" "host interfaces after restart and stop"
assert_eq "" "$(proxies)" "proxy entries after restart and stop"

# Crashed daemon: systemd restarts it (Restart=on-failure), the same follows.
lxcctl start web
old=$(systemctl show -P MainPID lxcd)
kill -KILL "$old"
wait_for 10 sh -c "[ \"\$(systemctl show -P MainPID lxcd)\" != $old ] && systemctl is-active -q lxcd"
wait_for 10 running
lxcctl stop web
assert_eq "$before" "$(host_links)" "host interfaces after a crash of lxcd and a stop"

# SIGKILL of the supervisor: the container dies with it (lxc.monitor.signal.pdeath) and
# its veth pair with its network namespace.
lxcctl start web
kill -KILL "$(cat /run/lxcd/web/supervisor.pid)"
wait_for 10 stopped
wait_for 10 sh -c '! ip link show vethweb0'
assert_eq "$before" "$(host_links)" "host interfaces after SIGKILL of the supervisor"
wait_for 10 sh -c '[ -z "$(ip neigh show proxy dev lxcbr0)" ]'
# The same while lxcd is not running: it undoes the rest when it comes back.
lxcctl start web
systemctl stop lxcd
kill -KILL "$(cat /run/lxcd/web/supervisor.pid)"
wait_for 10 sh -c '! ip link show vethweb0'
assert_contains "$(proxies)" "10.0.3.10"
wait_for 10 stopped # lxcctl starts lxcd again (D-Bus activation)
assert_eq "" "$(proxies)" "proxy entries after SIGKILL of the supervisor while lxcd was down"
# It starts again.
lxcctl start web
lxcctl stop web --kill
assert_eq "$before" "$(host_links)" "host interfaces after the last stop"
