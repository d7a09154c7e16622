# Unprivileged containers (issue 7, seed 002): a real non-root user of the test host runs
# a busybox container in a user namespace mapped with newuidmap/newgidmap within its
# /etc/subuid and /etc/subgid ranges, in a delegated unit of its own systemd manager.

sup=/usr/local/libexec/lxcd/lxcd-supervisor
[ -x "$sup" ] || fail "$sup is not installed"

user=ctuser
useradd --create-home --shell /bin/bash "$user"
uid=$(id -u "$user")
home=$(getent passwd "$user" | cut -d: -f6)
IFS=: read -r _ base count < <(grep "^$user:" /etc/subuid)
[ "${count:-0}" -ge 65536 ] || fail "useradd gave $user no 65536 subuids: $(cat /etc/subuid)"
assert_eq "$user:$base:$count" "$(grep "^$user:" /etc/subgid)" "$user's subgid range"
# The container's root (uid $base on the host) must be able to reach its rootfs, as LXC
# documents for unprivileged containers.
chmod 755 "$home"
systemctl start "user@$uid.service"

as_user() {
    runuser -u "$user" -- env HOME="$home" XDG_RUNTIME_DIR="/run/user/$uid" \
        DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" "$@"
}

# A busybox rootfs owned by the container's root, in the user's LXC path.
lxcpath=$home/.local/share/lxc
make_container() { # NAME UIDMAP-HOST-BASE RANGE [extra config lines...]
    local name=$1 host=$2 range=$3
    shift 3
    local dir=$lxcpath/$name
    as_user mkdir -p "$dir"
    mkdir -p "$dir/rootfs"/{bin,sbin,etc,proc,sys,dev,tmp,root,mnt}
    cp /bin/busybox "$dir/rootfs/bin/busybox"
    for applet in sh id cat sleep mknod ls; do ln -s busybox "$dir/rootfs/bin/$applet"; done
    chown -R "$base:$base" "$dir/rootfs"
    chmod 755 "$dir"
    {
        echo "lxc.rootfs.path = dir:$dir/rootfs"
        echo "lxc.idmap = u 0 $host $range"
        echo "lxc.idmap = g 0 $host $range"
        echo "lxc.mount.auto = proc:mixed sys:ro cgroup:mixed"
        echo "lxc.autodev = 1"
        echo "lxc.net.0.type = empty"
        echo "lxc.init.cmd = /bin/sleep 1000"
        echo "lxc.signal.halt = SIGKILL"
        printf '%s\n' "$@"
    } >"$dir/config"
    chown "$user:$user" "$dir/config"
}

# Root inside must not read this root-only host file, bind-mounted in.
echo secret >/root-only
chmod 600 /root-only
make_container u1 "$base" 65536 "lxc.mount.entry = /root-only mnt/secret none bind,create=file 0 0"

# The supervisor as the user, in a delegated unit of the user's manager (what lxcd --user
# does with a scope), per-user paths by default.
as_user systemd-run --user --unit lxc-u1 -p Delegate=yes "$sup" u1
wait_for 10 test -S "/run/user/$uid/lxcd/u1/control"
wait_for 10 grep -qx RUNNING "/run/user/$uid/lxcd/u1/state"
init=$(cat "/run/user/$uid/lxcd/u1/init.pid")

assert_eq "$base" "$(stat -c %u "/proc/$init")" "host uid of the container's init"
read -r a b c <"/proc/$init/uid_map"
assert_eq "0 $base 65536" "$a $b $c" "uid_map of the container's init"
# Attached commands join the container's cgroup, which only a process of the user's own
# manager may move into (the user's login session is not delegated to it).
attach() { as_user systemd-run --user --quiet --pipe --wait "$sup" --attach u1 -- "$@"; }
assert_eq 0 "$(attach id -u)" "id -u inside"
assert_contains "$(attach cat /proc/self/uid_map)" "$base"
assert_failure attach cat /mnt/secret
assert_failure attach mknod /tmp/null c 1 3

# Its cgroups are below the user's manager.
cg=$(sed -n 's/^0:://p' "/proc/$init/cgroup")
assert_contains "$cg" "/user.slice/user-$uid.slice/user@$uid.service/" "cgroup of init"

as_user systemctl --user stop lxc-u1
wait_for 10 bash -c "! kill -0 $init 2>/dev/null"
[ ! -e "/run/user/$uid/lxcd/u1" ] || fail "state left: $(ls "/run/user/$uid/lxcd/u1")"

rm -rf "${lxcpath:?}/u1"

# LXC's per-user configuration: lxc.lxcpath in ~/.config/lxc/lxc.conf moves the user's
# containers, ~/.config/lxc/default.conf starts every new config.
as_user mkdir -p "$home/.config/lxc"
echo "lxc.lxcpath = ~/containers" | as_user tee "$home/.config/lxc/lxc.conf" >/dev/null
echo "lxc.start.order = 7" | as_user tee "$home/.config/lxc/default.conf" >/dev/null
lxcpath=$home/containers

# The user's own lxcd --user, D-Bus activated on its user bus by lxcctl --user: a busybox
# container from the template, its rootfs owned by the container's root, lxc.idmap from
# the user's ranges, in a scope of the user's manager.
as_user lxcctl --user create ct --template busybox
assert_eq "$base:$base" "$(stat -c %u:%g "$lxcpath/ct/rootfs/bin/busybox")" "owner of the template's files"
assert_contains "$(cat "$lxcpath/ct/config")" "lxc.idmap = u 0 $base 65536"
assert_contains "$(cat "$lxcpath/ct/config")" "lxc.start.order = 7"
as_user lxcctl --user start ct
assert_eq active "$(as_user systemctl --user is-active lxc-ct.scope)" "lxc-ct.scope"
assert_eq active "$(as_user systemctl --user is-active lxcd.service)" "the user's lxcd.service"
init=$(cat "/run/user/$uid/lxcd/ct/init.pid")
assert_eq "$base" "$(stat -c %u "/proc/$init")" "host uid of the container's init"
cg=$(sed -n 's/^0:://p' "/proc/$init/cgroup")
assert_contains "$cg" "/user@$uid.service/lxc.slice/lxc-ct.scope/" "cgroup of init"
assert_contains "$(as_user lxcctl --user list)" "ct"
assert_eq "$cg" "$(as_user busctl --user get-property org.lxcd1 /org/lxcd1/container/ct org.lxcd1.Container ControlGroup | sed 's/^s "\(.*\)"$/\1/')/lxc.payload.ct" "ControlGroup on the user bus"
# shellcheck disable=SC2016 # expanded by the user's shell
completion=$(as_user bash -c 'source /usr/local/share/bash-completion/completions/lxcctl
    COMP_WORDS=(lxcctl --user start ""); COMP_CWORD=3; _lxcctl; echo "${COMPREPLY[*]}"')
assert_contains " $completion " " ct " "completion of lxcctl --user start"
ctl_attach() { as_user systemd-run --user --quiet --pipe --wait lxcctl --user attach ct -- "$@"; }
assert_eq 0 "$(ctl_attach id -u)" "id -u inside"
assert_failure ctl_attach mknod /tmp/null c 1 3
as_user lxcctl --user freeze ct
assert_contains "$(as_user lxcctl --user info ct)" "FROZEN"
as_user lxcctl --user thaw ct
# Supervisors outlive the user's lxcd, which adopts them again.
as_user systemctl --user restart lxcd.service
assert_contains "$(as_user lxcctl --user info ct)" "RUNNING"
as_user lxcctl --user stop ct
scope_gone() { ! as_user systemctl --user is-active --quiet lxc-ct.scope; }
wait_for 5 scope_gone
wait_for 10 bash -c "! kill -0 $init 2>/dev/null"
[ ! -e "/run/user/$uid/lxcd/ct" ] || fail "state left: $(ls "/run/user/$uid/lxcd/ct")"

# systemctl --user start lxc@ct: active while the container runs.
as_user systemctl --user start lxc@ct
assert_eq RUNNING "$(cat "/run/user/$uid/lxcd/ct/state")" "state after systemctl --user start lxc@ct"
as_user systemctl --user stop lxc@ct
wait_for 5 scope_gone

# Destroy removes the files of the container's root too.
as_user lxcctl --user destroy ct
[ ! -e "$lxcpath/ct" ] || fail "$lxcpath/ct left after destroy"

# Clear errors before anything runs: a range beyond the user's, no range at all.
make_container big "$base" 70000
rc=0
err=$(as_user "$sup" big --foreground 2>&1 </dev/null) || rc=$?
assert_eq 1 "$rc" "exit status with a too large range"
assert_contains "$err" "lxc.idmap u 0 $base 70000 not within $user's subuid ranges ($base:$count)"

# What only root may ask of a veth's host side is refused, naming it (test-unprivileged-veth
# starts one).
make_container net "$base" 65536 "lxc.net.1.type = veth" "lxc.net.1.link = lxcbr0" \
    "lxc.net.1.veth.pair = mine0"
rc=0
err=$(as_user "$sup" net --foreground 2>&1 </dev/null) || rc=$?
assert_eq 1 "$rc" "exit status with a veth.pair"
assert_contains "$err" "$lxcpath/net/config:9: lxc.net.1.veth.pair: is not available to unprivileged containers"

# adduser's 0700 home keeps the container's root from its rootfs: said before the start.
make_container home "$base" 65536
chmod 700 "$home"
rc=0
err=$(as_user "$sup" home --foreground 2>&1 </dev/null) || rc=$?
chmod 755 "$home"
assert_eq 1 "$rc" "exit status with an unreachable rootfs"
assert_contains "$err" "the container's root (uid $base) cannot reach it: $home (mode 0700) does not let it search"

sed -i "/^$user:/d" /etc/subuid
rc=0
err=$(as_user "$sup" big --foreground 2>&1 </dev/null) || rc=$?
assert_eq 1 "$rc" "exit status without a subuid range"
assert_contains "$err" "user $user has no subuid range in /etc/subuid"
