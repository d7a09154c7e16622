# Leaks (issue 9): LXCD_STRESS_CYCLES (default 1000) start/stop cycles of a busybox
# container with a veth on lxcbr0 leave the same mounts, cgroups, host interfaces,
# /run/lxcd files, scopes and lxcd fd count behind, and lxcd's RSS grows < 1 MiB.
# Another container runs throughout and is still fine at the end.
source "$LXCD_SOURCE_ROOT/tests/stress/lib.sh"
cycles=${LXCD_STRESS_CYCLES:-1000}

make_bridge
make_busybox keeper
make_busybox cyc 'lxc.net.0.type = veth' 'lxc.net.0.link = lxcbr0' 'lxc.net.0.flags = up' \
    'lxc.net.0.ipv4.address = 10.0.3.20/24'
lxcctl start keeper
keeper_init=$(cat /run/lxcd/keeper/init.pid)

# Every 100th stop is a clean one (halt signal; busybox's init takes 2 s to halt), the
# others kill the container (~20 ms).
cycle() { # NUMBER
    lxcctl start cyc
    if [ $(($1 % 100)) -eq 0 ]; then lxcctl stop cyc; else lxcctl stop cyc --kill; fi
}
# Warm up: lxcd's allocations that live as long as it does (bus objects, caches) are made.
for i in $(seq 0 20); do cycle "$i"; done
wait_for 10 scope_gone cyc
before=$(snapshot)
rss_before=$(rss_kib)
started=$SECONDS
for i in $(seq "$cycles"); do
    cycle "$i" || fail "cycle $i failed"
done
wait_for 10 scope_gone cyc
after=$(snapshot)
rss_growth=$(($(rss_kib) - rss_before))
leaks=$(leaked "$before" "$after")

echo "stress: leaks layout=$LXCD_TESTHOST_LAYOUT cycles=$cycles leaked=$leaks" \
    "rss_growth_kib=$rss_growth seconds=$((SECONDS - started))"
assert_eq 0 "$leaks" "objects leaked over $cycles cycles"
[ "${check_rss:-yes}" = no ] || [ "$rss_growth" -lt 1024 ] ||
    fail "lxcd's RSS grew by $rss_growth KiB over $cycles cycles"
assert_eq RUNNING "$(state_of keeper)" "keeper's state"
assert_eq "$keeper_init" "$(cat /run/lxcd/keeper/init.pid)" "keeper's init PID"
lxcctl attach keeper -- true
