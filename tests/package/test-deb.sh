#!/bin/bash
# The Debian package (issue 11): built from the tree with dpkg-buildpackage, installed
# with dpkg into a fresh test host before it boots (no `meson install` there), which
# then starts lxcd by D-Bus activation and a busybox container.
#   test-deb.sh SOURCE_ROOT WORK_DIR TESTHOST
set -euo pipefail
src=$1 work=$2 testhost=$3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }

rm -rf "$work"
mkdir -p "$work/src"
# The tree as the checkout has it (new files too), without ignored build directories.
(cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/src")
(cd "$work/src" && dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) ||
    { tail -40 "$work/build.log"; exit 1; }
deb=$(ls "$work"/lxcd_*.deb)
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$work/contents"
for f in ./usr/bin/lxcctl ./usr/sbin/lxcd ./usr/libexec/lxcd/lxcd-supervisor \
    ./lib/systemd/system/lxc@.service ./usr/share/dbus-1/system.d/org.lxcd1.conf \
    ./lib/systemd/user/lxcd.service ./lib/systemd/user/lxc@.service \
    ./usr/share/dbus-1/services/org.lxcd1.service \
    ./usr/share/bash-completion/completions/lxcctl ./usr/share/man/man1/lxcctl.1.gz; do
    grep -qx "$f" "$work/contents" || { echo "FAIL: $f is not in $deb"; exit 1; }
done

"$testhost" --prepare "dpkg -i $deb >/dev/null" -- bash -euc '
    [ ! -e /usr/local/bin/lxcctl ] || { echo "FAIL: a meson install is in the test host"; exit 1; }
    [ "$(systemctl is-enabled lxc-autostart.service)" = enabled ]
    # Ours, not LXC'"'"'s (diverted when the lxc package is installed too).
    systemctl cat lxc@d1.service | grep -q "^ExecStart=/usr/bin/lxcctl start --follow"
    lxcctl create d1 --template busybox
    lxcctl start d1
    lxcctl list | grep -q "^d1 *RUNNING"
    lxcctl stop d1 --kill
    systemctl start lxc@d1
    lxcctl list | grep -q "^d1 *RUNNING"
    systemctl stop lxc@d1
    echo "PASS: the .deb installs, lxcd starts a container"
'
