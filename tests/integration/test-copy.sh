# Copies, overlay snapshots and ephemeral containers (issue 10): lxcctl copy (full and
# --snapshot) with the config rewritten and lxc.hook.clone run on the mounted copy, a
# failed copy leaving nothing, 50 snapshot clones of one base running together with
# private writes and disk use of their upper layers only, lxcctl snapshot/--list/
# --restore/--destroy, the refusal to destroy a base clones depend on, ephemeral
# containers gone after a stop, after SIGKILL of their supervisor and after an lxcd
# restart, and lxc.hook.destroy with lxc.rootfs.managed = 0 and 1.
lxc=/var/lib/lxc

# --- A full copy and a snapshot copy of a base with a clone hook.
cat >/usr/local/bin/test-clone-hook <<'HOOK'
#!/bin/sh
env | grep '^LXC_' | sort >/run/clone-hook.$LXC_NAME
ls "$LXC_ROOTFS_MOUNT/bin/busybox" >>/run/clone-hook.$LXC_NAME
echo "$LXC_NAME from $LXC_SRC_NAME" >"$LXC_ROOTFS_MOUNT/etc/cloned"
HOOK
chmod +x /usr/local/bin/test-clone-hook
lxcctl create base --template busybox --config "lxc.hook.clone = /usr/local/bin/test-clone-hook
lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx
lxc.log.file = /var/log/lxc/base.log
lxc.console.logfile = $lxc/base/console.log"
mkdir -p $lxc/base/rootfs/srv/data
printf 'hello\n' >$lxc/base/rootfs/srv/data/file
ln $lxc/base/rootfs/srv/data/file $lxc/base/rootfs/srv/data/link
mknod $lxc/base/rootfs/dev/null c 1 3
chown 1000:1000 $lxc/base/rootfs/srv/data/file

lxcctl copy base full
cfg=$(cat $lxc/full/config)
assert_contains "$cfg" "lxc.uts.name = full"
assert_contains "$cfg" "lxc.rootfs.path = dir:$lxc/full/rootfs"
assert_contains "$cfg" "lxc.log.file = /var/log/lxc/full.log"
assert_contains "$cfg" "lxc.console.logfile = $lxc/full/console.log"
assert_contains "$cfg" "# lxcd: lxc.net.0.hwaddr pattern 00:16:3e:xx:xx:xx"
assert_match "lxc.net.0.hwaddr = 00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}" "$cfg"
assert_eq "$(stat -c %i $lxc/full/rootfs/srv/data/file)" "$(stat -c %i $lxc/full/rootfs/srv/data/link)" "hard link in the copy"
assert_eq "1000:1000 c 1,3" "$(stat -c %u:%g $lxc/full/rootfs/srv/data/file) $(stat -c '%F' $lxc/full/rootfs/dev/null | sed 's/character special file/c/') $(stat -c '%t,%T' $lxc/full/rootfs/dev/null)" "owner and device in the copy"
assert_eq "/bin/busybox" "$(readlink $lxc/full/rootfs/bin/sh)" "symlink in the copy"
hook=$(cat /run/clone-hook.full)
assert_contains "$hook" "LXC_NAME=full"
assert_contains "$hook" "LXC_SRC_NAME=base"
assert_contains "$hook" "LXC_CONFIG_FILE=$lxc/full/config"
assert_contains "$hook" "LXC_ROOTFS_PATH=dir:$lxc/full/rootfs"
assert_contains "$hook" "/bin/busybox" # the new rootfs was mounted at LXC_ROOTFS_MOUNT
assert_eq "full from base" "$(cat $lxc/full/rootfs/etc/cloned)" "the hook's write in the copy"
[ ! -e $lxc/base/rootfs/etc/cloned ] || fail "the clone hook wrote into the base"

lxcctl copy base snap1 --snapshot
assert_contains "$(cat $lxc/snap1/config)" "lxc.rootfs.path = overlay:$lxc/base/rootfs:$lxc/snap1/overlay/delta"
assert_eq "snap1 from base" "$(cat $lxc/snap1/overlay/delta/etc/cloned)" "the hook's write in the upper layer"
lxcctl start snap1
assert_eq "hello" "$(lxcctl attach snap1 -- cat /srv/data/file)" "the base's file in the snapshot"
assert_eq "snap1" "$(lxcctl attach snap1 -- hostname)" "hostname of the snapshot"
# A running source is refused, and so is a name in use.
out=$(lxcctl copy snap1 other 2>&1) && fail "copy of a running container succeeded"
assert_contains "$out" "cannot copy 'snap1': it is running"
out=$(lxcctl copy base full 2>&1) && fail "copy onto an existing name succeeded"
assert_contains "$out" "container 'full' already exists"
lxcctl stop snap1 --kill
# Only root copies and snapshots; anyone may list snapshots.
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups lxcctl copy base byuser 2>&1) &&
    fail "a copy by a user succeeded"
assert_contains "$out" "only root may change containers"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups lxcctl snapshot base 2>&1) &&
    fail "a snapshot by a user succeeded"
assert_contains "$out" "only root may change containers"
setpriv --reuid=nobody --regid=nogroup --clear-groups lxcctl snapshot base --list >/dev/null
# --lxcpath: the copy goes elsewhere (lxcd does not manage it there).
lxcctl copy base away --lxcpath /var/lib/lxc-away
assert_contains "$(cat /var/lib/lxc-away/away/config)" "lxc.rootfs.path = dir:/var/lib/lxc-away/away/rootfs"
assert_contains "$(cat /var/lib/lxc-away/away/config)" "lxc.console.logfile = /var/lib/lxc-away/away/console.log"
assert_not_contains "$(lxcctl list)" "away"

# A failing clone hook: the copy fails naming it, and nothing of it is left.
lxcctl create hookfail --template busybox --config "lxc.hook.clone = /bin/false"
out=$(lxcctl copy hookfail hookfail2 2>&1) && fail "copy with a failing clone hook succeeded"
assert_contains "$out" "lxc.hook.clone '/bin/false' failed"
[ ! -e $lxc/hookfail2 ] || fail "a failed copy left $lxc/hookfail2"
assert_not_contains "$(lxcctl list)" "hookfail2"

# --- 50 snapshot clones of one base start together; writes stay private.
lxcctl create fleet --template busybox
n=50
for i in $(seq $n); do lxcctl copy fleet f$i --snapshot; done
pids=()
for i in $(seq $n); do lxcctl start f$i & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || fail "a start of the fleet failed"; done
assert_eq "$n" "$(lxcctl list | grep -c '^f[0-9]* *RUNNING')" "running clones"
for i in $(seq $n); do lxcctl attach f$i -- sh -c "echo $i >/root/id; dd if=/dev/zero of=/root/blob bs=1k count=64 2>/dev/null"; done
for i in $(seq $n); do
    assert_eq "$i" "$(lxcctl attach f$i -- cat /root/id)" "f$i's own write"
done
[ ! -e $lxc/fleet/rootfs/root/id ] || fail "a clone's write reached the base"
assert_eq "" "$(find $lxc/fleet/rootfs -newer $lxc/f1/config -not -type d)" "files of the base changed since the clones were made"
base_kb=$(du -sk $lxc/fleet/rootfs | cut -f1)
delta_kb=$(du -skc $lxc/f*/overlay/delta | tail -1 | cut -f1)
echo "disk: base ${base_kb} KiB, $n upper layers ${delta_kb} KiB in all"
# Each upper layer holds its 64 KiB blob and little else, far less than another base.
[ "$delta_kb" -ge $((n * 64)) ] || fail "upper layers (${delta_kb} KiB) lack the clones' writes"
[ "$delta_kb" -lt $((n * 64 + n * 32)) ] || fail "upper layers take ${delta_kb} KiB: more than the clones wrote"
[ "$delta_kb" -lt $((n * base_kb)) ] || fail "clones take as much as full copies"

# The base cannot go while clones depend on it; the error names them.
out=$(lxcctl destroy fleet 2>&1) && fail "destroying a base with clones succeeded"
assert_contains "$out" "cannot destroy container 'fleet': overlay clones use its rootfs as their lower: f1, f10, f11"
pids=()
for i in $(seq $n); do lxcctl stop f$i --kill & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
for i in $(seq $n); do lxcctl destroy f$i; done
lxcctl destroy fleet
[ ! -e $lxc/fleet ] || fail "$lxc/fleet left after destroy"

# --- Snapshots.
out=$(lxcctl snapshot full 2>&1)
assert_eq "snap0" "$out" "first snapshot"
assert_eq "snap1" "$(lxcctl snapshot full)" "second snapshot"
[ -f $lxc/full/snaps/snap0/ts ] || fail "no ts file"
assert_contains "$(cat $lxc/full/snaps/snap0/config)" "lxc.uts.name = full"
assert_contains "$(cat $lxc/full/snaps/snap0/config)" "lxc.rootfs.path = dir:$lxc/full/snaps/snap0/rootfs"
list=$(lxcctl snapshot full --list)
assert_match "snap0 +[0-9]{4}:[0-9]{2}:[0-9]{2} [0-9:]{8}" "$list"
assert_contains "$list" "snap1"
echo changed >$lxc/full/rootfs/srv/data/file
lxcctl snapshot full --restore snap0
assert_eq "hello" "$(cat $lxc/full/rootfs/srv/data/file)" "file after restoring snap0"
assert_eq "$(stat -c %i $lxc/full/rootfs/srv/data/file)" "$(stat -c %i $lxc/full/rootfs/srv/data/link)" "hard link after the restore"
[ -d $lxc/full/snaps/snap1 ] || fail "restore in place dropped the other snapshots"
lxcctl snapshot full --restore snap1 restored
assert_contains "$(cat $lxc/restored/config)" "lxc.uts.name = restored"
assert_contains "$(cat $lxc/restored/config)" "lxc.rootfs.path = dir:$lxc/restored/rootfs"
lxcctl start restored
assert_eq "restored" "$(lxcctl attach restored -- hostname)"
out=$(lxcctl snapshot restored 2>&1) && fail "snapshot of a running container succeeded"
assert_contains "$out" "cannot snapshot 'restored': it is running; stop it first"
lxcctl stop restored --kill
lxcctl snapshot full --destroy snap1
assert_not_contains "$(lxcctl snapshot full --list)" "snap1"
out=$(lxcctl snapshot full --destroy snap7 2>&1) && fail "destroying a missing snapshot succeeded"
assert_contains "$out" "container 'full' has no snapshot named 'snap7'"
# An overlay container's snapshot is an overlay on the same lower with its upper copied.
echo mine >$lxc/snap1/overlay/delta/mine
assert_eq "snap0" "$(lxcctl snapshot snap1)"
assert_contains "$(cat $lxc/snap1/snaps/snap0/config)" "lxc.rootfs.path = overlay:$lxc/base/rootfs:$lxc/snap1/snaps/snap0/overlay/delta"
assert_eq "mine" "$(cat $lxc/snap1/snaps/snap0/overlay/delta/mine)"
# A full copy of an overlay container holds the merged files, in a directory of its own.
lxcctl copy snap1 merged
assert_contains "$(cat $lxc/merged/config)" "lxc.rootfs.path = dir:$lxc/merged/rootfs"
assert_eq "hello" "$(cat $lxc/merged/rootfs/srv/data/file)" "the lower's file in the merged copy"
assert_eq "mine" "$(cat $lxc/merged/rootfs/mine)" "the upper's file in the merged copy"
assert_eq "merged" "$(cat $lxc/merged/rootfs/etc/hostname)" "hostname of the merged copy"
lxcctl destroy merged
# The base is refused while the clone and the clone's snapshot use it.
out=$(lxcctl destroy base 2>&1) && fail "destroying a base with clones succeeded"
assert_contains "$out" "overlay clones use its rootfs as their lower: snap1, snap1/snaps/snap0 (destroy them first)"
lxcctl destroy snap1
lxcctl destroy full

# --- Ephemeral containers: started by copy --ephemeral, gone once stopped.
lxcctl copy base eph1 --ephemeral
assert_match "^eph1 +RUNNING" "$(lxcctl list | grep '^eph1 ')" "eph1 after copy --ephemeral"
assert_contains "$(cat $lxc/eph1/config)" "lxc.ephemeral = 1"
lxcctl stop eph1
wait_for 5 sh -c "! test -e $lxc/eph1"
assert_not_contains "$(lxcctl list)" "eph1"
# ... after SIGKILL of its supervisor,
lxcctl copy base eph2 --ephemeral
kill -KILL "$(cat /run/lxcd/eph2/supervisor.pid)"
wait_for 10 sh -c "! test -e $lxc/eph2"
assert_not_contains "$(lxcctl list)" "eph2"
# ... and when lxcd starts and finds it stopped (it died while lxcd was down).
lxcctl copy base eph3 --ephemeral
init=$(busctl get-property org.lxcd1 /org/lxcd1/container/eph3 org.lxcd1.Container InitPID | awk '{print $2}')
systemctl stop lxcd
kill -KILL "$(cat /run/lxcd/eph3/supervisor.pid)"
wait_for 10 sh -c "! test -e /proc/$init"
[ -e $lxc/eph3/config ] || fail "eph3 removed while lxcd was down"
systemctl start lxcd
wait_for 10 sh -c "! test -e $lxc/eph3"
assert_not_contains "$(lxcctl list)" "eph3"
[ -d $lxc/base/rootfs/bin ] || fail "the ephemeral copies' base lost its rootfs"

# --- lxcd dying in the middle of a copy or a restore: what it finds at its next start.
# (The marker files a copy and a restore in progress leave, as if lxcd had been killed.)
[ ! -e $lxc/base/.lxcd-unfinished ] || fail "a finished copy left its marker"
mkdir -p $lxc/half/rootfs $lxc/base/snaps/snap9
echo "lxc.rootfs.path = dir:$lxc/half/rootfs" >$lxc/half/config
cp $lxc/half/config $lxc/base/snaps/snap9/config
touch $lxc/half/.lxcd-unfinished $lxc/base/snaps/snap9/.lxcd-unfinished
assert_not_contains "$(lxcctl snapshot base --list)" "snap9"
mkdir $lxc/base/.lxcd-restore
mv $lxc/base/config $lxc/base/.lxcd-restore/
echo "lxc.rootfs.path = dir:/half-restored" >$lxc/base/config
systemctl restart lxcd
[ ! -e $lxc/half ] || fail "an interrupted copy was left"
[ ! -e $lxc/base/snaps/snap9 ] || fail "an interrupted snapshot was left"
[ ! -e $lxc/base/.lxcd-restore ] || fail "an interrupted restore was not rolled back"
assert_contains "$(cat $lxc/base/config)" "lxc.rootfs.path = dir:$lxc/base/rootfs"
assert_not_contains "$(lxcctl list)" "half"

# --- lxc.hook.destroy runs with LXC's environment; lxc.rootfs.managed = 0 keeps the rootfs.
cat >/usr/local/bin/test-destroy-hook <<'HOOK'
#!/bin/sh
env | grep '^LXC_' | sort >/run/destroy-hook.$LXC_NAME
HOOK
chmod +x /usr/local/bin/test-destroy-hook
lxcctl create keep --template busybox --config "lxc.rootfs.managed = 0
lxc.hook.destroy = /usr/local/bin/test-destroy-hook"
lxcctl destroy keep
assert_contains "$(cat /run/destroy-hook.keep)" "LXC_NAME=keep"
assert_contains "$(cat /run/destroy-hook.keep)" "LXC_CONFIG_FILE=$lxc/keep/config"
assert_contains "$(cat /run/destroy-hook.keep)" "LXC_ROOTFS_PATH=dir:$lxc/keep/rootfs"
[ -x $lxc/keep/rootfs/bin/busybox ] || fail "lxc.rootfs.managed = 0: the rootfs was removed"
[ ! -e $lxc/keep/config ] || fail "the config of a destroyed container is left"
assert_not_contains "$(lxcctl list)" "keep"
lxcctl create gone --template busybox --config "lxc.hook.destroy = /usr/local/bin/test-destroy-hook"
lxcctl destroy gone
assert_contains "$(cat /run/destroy-hook.gone)" "LXC_NAME=gone"
[ ! -e $lxc/gone ] || fail "lxc.rootfs.managed = 1: $lxc/gone left"
