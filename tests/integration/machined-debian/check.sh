# A Debian guest whose init is systemd, registered with machined: `machinectl shell`
# runs a command in it, and `machinectl poweroff` stops it cleanly, through lxcd.

mkdir -p /var/lib/lxc/deb1/upper
cat >/var/lib/lxc/deb1/config <<CONF
lxc.uts.name = deb1
lxc.rootfs.path = overlay:${LXCD_DEBIAN_ROOTFS:?}:/var/lib/lxc/deb1/upper
lxc.mount.auto = proc:mixed sys:mixed cgroup:mixed
lxc.signal.halt = SIGRTMIN+3
lxc.tty.max = 0
CONF
lxcctl start deb1
wait_for 30 lxcctl attach deb1 -- test -S /run/systemd/private
state=$(timeout 60 lxcctl attach deb1 -- systemctl is-system-running --wait || true)
case "$state" in
running | degraded) ;;
*) fail "systemd in deb1 is '$state'" ;;
esac
assert_match '^deb1 +container +lxcd +debian' "$(machinectl list --no-legend | grep '^deb1 ')" \
    "machinectl list"
assert_contains "$(timeout 30 machinectl shell deb1 /bin/echo hello-from-shell 2>&1)" \
    "hello-from-shell" "machinectl shell"
machinectl poweroff deb1
lxcctl wait deb1 STOPPED --timeout 60
assert_contains "$(journalctl -u lxc-deb1.scope --no-pager -o cat)" "Reached target" \
    "the guest's boot in the journal of its scope"
