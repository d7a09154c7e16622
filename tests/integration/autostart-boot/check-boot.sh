# Issue 6 at boot, inside the test host (sourced by lib/run-test; autostart-boot/run boots it):
# lxc-autostart.service was enabled and the six containers of autostart-boot/prepare were
# defined before systemd started. Exactly the onboot ones and the NULL-group one run; lxcd's
# journal shows them starting in the order 10, 20, 30, then the NULL group, and c20's
# lxc.start.delay = 2 kept c30 waiting at least 2 s after c20 ran.

assert_eq enabled "$(systemctl is-enabled lxc-autostart.service)" "lxc-autostart.service"
assert_eq active "$(systemctl is-active lxc-autostart.service)" "lxc-autostart.service"
running=$(lxcctl list | awk '$2 == "RUNNING" { print $1 }' | sort | tr '\n' ' ')
assert_eq "c10 c20 c30 nullgrp " "$running" "containers running after the boot"

# shellcheck source=tests/integration/lib/lxcd-journal.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/lxcd-journal.sh"
changes=$(lxcd_state_changes)
echo "$changes"
started=$(awk '$3 == "RUNNING" { print $2 }' <<<"$changes" | tr '\n' ' ')
assert_eq "c10 c20 c30 nullgrp " "$started" "containers in the order they reached RUNNING"
t20=$(when c20 RUNNING <<<"$changes")
t30=$(when c30 STARTING <<<"$changes")
python3 -c "import sys; gap = $t30 - $t20; sys.exit(0 if gap >= 2 else f'gap after c20 is {gap:.3f} s, not >= 2 s')"
