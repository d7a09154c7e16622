#!/bin/bash
# testhost-isolation.sh TESTHOST BUILD_ROOT — runs on the real host, not inside a test host.
# Boots four test hosts at once: two (hybrid, unified) that empty their /tmp the way
# systemd-tmpfiles does at boot and write to /run, /var/tmp and their cgroups, one whose
# scripts/testhost gets SIGTERM while CMD runs, one whose CMD powers it off. Afterwards the
# real host's /tmp marker, mount table and cgroup directories must be unchanged and nothing
# of any instance left behind. Also checks what scripts/testhost passes through: stdin,
# stdout, the working directory and CMD's exit status.
set -euo pipefail
testhost=${1:?usage: testhost-isolation.sh TESTHOST BUILD_ROOT}
build=${2:?usage: testhost-isolation.sh TESTHOST BUILD_ROOT}
# shellcheck source=tests/integration/lib/assert.sh
source "$(dirname "$(realpath -e "${BASH_SOURCE[0]}")")/lib/assert.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root"

work=$(mktemp -d /tmp/lxcd-isolation.XXXXXX)
marker=$work.marker
head -c 48 /dev/urandom | base64 >"$marker"
trap 'rm -rf "$work" "$marker"' EXIT

# The directories where scripts/testhost creates testhost-<id>: the caller's cgroup in
# every hierarchy (children of /sys/fs/cgroup/*/ too, for the hierarchy roots).
own_cgroup_dirs() {
    local path mnt
    while IFS=: read -r _ _ path; do
        for mnt in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
            [ -e "$mnt$path/cgroup.procs" ] && echo "$mnt${path#/}"
        done
    done </proc/self/cgroup | sort -u
}

# What must not change. Other test hosts may run on this machine at the same time (other
# builds, other suites): their testhost-* cgroups are not ours to compare.
snapshot() {
    echo "== mounts: $(findmnt -rn | wc -l)"
    findmnt -rn -o TARGET,SOURCE,FSTYPE | sort
    local dir
    for dir in "${cgroup_parents[@]}"; do
        echo "== $dir"
        find "$dir" -mindepth 1 -maxdepth 1 -type d ! -name 'testhost-*' -printf '%f\n' | sort
    done
}

mapfile -t cgroup_parents < <(ls -d /sys/fs/cgroup/*/ && own_cgroup_dirs)
before=$(snapshot)
marker_sum=$(md5sum <"$marker")

inner='set -e
echo "$LXCD_TESTHOST" >id-$N
echo "cwd=$PWD"
read -r line && echo "stdin=$line"
# What systemd-tmpfiles does to /tmp at boot, and writes everywhere a test host may write.
systemd-tmpfiles --create --remove --boot >/dev/null 2>&1 || true
find /tmp /var/tmp -mindepth 1 -xdev -delete 2>/dev/null || true # not into the --bind
echo overwritten >'"$marker"'
touch /run/from-testhost /var/tmp/from-testhost /var/lib/from-testhost
mkdir /sys/fs/cgroup/unified/from-testhost 2>/dev/null || mkdir /sys/fs/cgroup/from-testhost
# Both test hosts are up at the same time.
for i in $(seq 300); do [ -e id-$OTHER ] && break; sleep 0.1; done
[ -e id-$OTHER ]
exit $((6 + N))'

cd "$work"
pids=(-)
"$testhost" --build "$build" --bind "$work" -- env N=1 OTHER=2 bash -c "$inner" \
    <<<"hello-1" >out-1 2>&1 &
pids+=($!)
"$testhost" --unified --build "$build" --bind "$work" -- env N=2 OTHER=1 bash -c "$inner" \
    <<<"hello-2" >out-2 2>&1 &
pids+=($!)
"$testhost" --bind "$work" -- bash -c 'echo "$LXCD_TESTHOST" >id-3; exec sleep 600' >out-3 2>&1 &
pids+=($!)
"$testhost" --bind "$work" -- \
    bash -c 'echo "$LXCD_TESTHOST" >id-4; systemctl --no-block poweroff; exec sleep 600' >out-4 2>&1 &
pids+=($!)
wait_for 60 test -e id-3
kill -TERM "${pids[3]}"

rc=(- 0 0 0 0)
for n in 1 2 3 4; do
    wait "${pids[n]}" || rc[n]=$?
done
for n in 1 2; do
    [ "${rc[n]}" -eq $((6 + n)) ] || fail "test host $n exited ${rc[n]}, expected $((6 + n)):"$'\n'"$(cat out-$n)"
    assert_contains "$(cat out-$n)" "cwd=$work" "test host $n's output"
    assert_contains "$(cat out-$n)" "stdin=hello-$n" "test host $n's output"
done
assert_eq 143 "${rc[3]}" "exit status of the SIGTERMed scripts/testhost"
assert_ne 0 "${rc[4]}" "exit status of scripts/testhost whose CMD powered the test host off"
assert_contains "$(cat out-4)" "went down while CMD ran" "output of the powered-off test host"

ids=()
for n in 1 2 3 4; do
    ids+=("$(cat id-$n)")
done
assert_eq 4 "$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)" "distinct instance ids"
assert_eq "$marker_sum" "$(md5sum <"$marker")" "md5 of the host's $marker"
for f in /run/from-testhost /var/tmp/from-testhost /var/lib/from-testhost; do
    [ ! -e "$f" ] || fail "a test host wrote the host's $f"
done
for id in "${ids[@]}"; do
    [ ! -e "/tmp/lxcd-testhost.$id" ] || fail "/tmp/lxcd-testhost.$id left behind"
    left=$(find "${cgroup_parents[@]}" -maxdepth 1 -name "testhost-$id")
    assert_eq "" "$left" "cgroups left behind by testhost-$id"
done
after=$(snapshot)
[ "$before" = "$after" ] || fail "the host changed:"$'\n'"$(diff <(echo "$before") <(echo "$after"))"
echo "PASS: testhost-isolation (instances ${ids[*]})"
