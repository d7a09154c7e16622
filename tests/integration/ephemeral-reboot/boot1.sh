# First boot of ephemeral-reboot/run (sourced by lib/run-test): an ephemeral copy runs,
# then lxcd stops; the container dies with the poweroff that ends this boot.
lxcctl create base --template busybox
lxcctl copy base eph --ephemeral
assert_match "^eph +RUNNING" "$(lxcctl list | grep '^eph ')" "eph after copy --ephemeral"
assert_contains "$(cat /var/lib/lxc/eph/config)" "lxc.ephemeral = 1"
lxcctl attach eph -- sh -c 'echo booted-once >/root/mark'
systemctl stop lxcd
