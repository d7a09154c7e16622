# lxc.net.N.type = phys through lxcd (issue 5): a host device enters the container under
# lxc.net.N.name and comes back to the host under its original name, with its MTU and
# MAC, after a stop, after SIGKILL of the container's init and after SIGKILL of the
# container's supervisor (after a restart of lxcd).
source "${BASH_SOURCE[0]%/*}/lib/net.sh"

add_dummy phys0
ip link set phys0 mtu 1300
mac=$(cat /sys/class/net/phys0/address)

lxcctl create ph --template busybox --config "$(printf '%s\n' \
    'lxc.net.0.type = phys' 'lxc.net.0.link = phys0' 'lxc.net.0.name = lan0' \
    'lxc.net.0.flags = up' 'lxc.net.0.mtu = 1400' 'lxc.net.0.ipv4.address = 10.0.5.2/24')"

# Inside under its new name, configured; gone from the host.
start_and_check() {
    lxcctl start ph
    assert_failure ip link show phys0
    assert_contains "$(lxcctl attach ph -- ip -o link show lan0)" "mtu 1400"
    assert_contains "$(lxcctl attach ph -- ip -o -4 addr show lan0)" "10.0.5.2/24"
}

# Back on the host as it was: name, MTU and MAC.
assert_returned() {
    wait_for 10 ip link show phys0
    local link
    link=$(ip -o link show phys0)
    assert_contains "$link" "mtu 1300" "phys0 after $1"
    assert_contains "$link" "link/ether $mac" "phys0 after $1"
    assert_failure ip link show lan0
    wait_for 10 sh -c 'lxcctl list | grep -q "^ph *STOPPED"'
}

start_and_check
lxcctl stop ph
assert_returned "a stop"

start_and_check
kill -KILL "$(cat /run/lxcd/ph/init.pid)"
assert_returned "SIGKILL of init"

# lxcd keeps the container's namespace to give the device back: also a restarted lxcd.
start_and_check
systemctl restart lxcd
wait_for 10 sh -c 'lxcctl list | grep -q "^ph *RUNNING"'
kill -KILL "$(cat /run/lxcd/ph/supervisor.pid)"
assert_returned "SIGKILL of the supervisor"
# The next start needs the scope's name again.
wait_for 10 sh -c '[ "$(systemctl is-active lxc-ph.scope)" != active ]'

# The device is usable again: the container starts with it once more.
start_and_check
lxcctl stop ph --kill
assert_returned "the last stop"

# A container that outlives its supervisor (lxc.monitor.signal.pdeath = 0) keeps the
# device until its init exits.
echo 'lxc.monitor.signal.pdeath = 0' >>/var/lib/lxc/ph/config
start_and_check
init=$(cat /run/lxcd/ph/init.pid)
kill -KILL "$(cat /run/lxcd/ph/supervisor.pid)"
wait_for 10 sh -c 'lxcctl list | grep -q "^ph *STOPPED"'
sleep 1 # time enough for lxcd to take the device away wrongly
assert_contains "$(nsenter -t "$init" -n ip -o link show lan0)" "mtu 1400"
assert_failure ip link show phys0
kill -KILL "$init"
assert_returned "the exit of an init without supervisor"
