# systemd-machined registration (issue 11): running containers are machines of class
# container (service lxcd) in their own scope; stopped ones are not; `machinectl
# terminate` ends in a clean stop through the container's supervisor.

command -v machinectl >/dev/null || skip "no machinectl (systemd-container)"
lxcctl create m1 --template busybox
lxcctl create m2 --template busybox
lxcctl start m1

wait_for 5 sh -c 'machinectl list --no-legend | grep -q "^m1 "'
assert_match '^m1 +container +lxcd' "$(machinectl list --no-legend | grep '^m1 ')" "machinectl list"
assert_not_contains "$(machinectl list --no-legend)" "m2" "a stopped container in machinectl list"
status=$(machinectl status m1 --no-pager)
assert_contains "$status" "Unit: lxc-m1.scope" "machinectl status"
assert_contains "$status" "Leader: $(cat /run/lxcd/m1/init.pid)" "machinectl status"
assert_contains "$status" "Root: /var/lib/lxc/m1/rootfs" "machinectl status"

lxcctl stop m1 --kill
wait_for 5 sh -c '! machinectl list --no-legend | grep -q "^m1 "'

lxcctl start m1
wait_for 5 sh -c 'machinectl list --no-legend | grep -q "^m1 "'
machinectl terminate m1
lxcctl wait m1 STOPPED --timeout 30
assert_contains "$(journalctl -u lxcd --no-pager -o cat CONTAINER_NAME=m1)" "STOPPING" \
    "terminate stops through the supervisor"
wait_for 5 sh -c '! machinectl list --no-legend | grep -q "^m1 "'
assert_eq inactive "$(systemctl is-active lxc-m1.scope || true)" "lxc-m1.scope after terminate"
