# Second boot of ephemeral-reboot/run (sourced by lib/run-test): the ephemeral container
# that was running when the host went down is destroyed once lxcd starts; its base stays.
if ! systemctl is-active --quiet lxcd; then
    [ -f /var/lib/lxc/eph/config ] || fail "eph gone before lxcd started"
fi
lxcctl list >/dev/null # starts lxcd (D-Bus activation)
wait_for 10 sh -c '! test -e /var/lib/lxc/eph'
assert_not_contains "$(lxcctl list)" "eph"
assert_match "^base +STOPPED" "$(lxcctl list | grep '^base ')" "the base after the reboot"
[ -x /var/lib/lxc/base/rootfs/bin/busybox ] || fail "the base lost its rootfs"
assert_contains "$(journalctl -u lxcd --no-pager -b)" "eph: ephemeral container destroyed"
