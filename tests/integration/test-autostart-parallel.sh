# Autostart beyond LXC (issue 6), switched on in /etc/lxcd/lxcd.conf, read at each run:
# ParallelStart starts the containers of one lxc.start.order together and the next order
# after them; DelayUntilReady ends a delay as soon as the container is ready (busybox: at
# RUNNING); ParallelShutdown stops a level together, within one ShutdownTimeoutSec.
# shellcheck source=tests/integration/lib/lxcd-journal.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/lxcd-journal.sh"

mk() { # name, config lines...
    local name=$1
    shift
    lxcctl create "$name" --template busybox --config "$(printf '%s\n' "$@")"
}
conf() { # lxcd.conf's [Autostart] lines
    mkdir -p /etc/lxcd
    printf '%s\n' "[Autostart]" "$@" >/etc/lxcd/lxcd.conf
}

level=()
for i in $(seq -w 1 12); do
    mk "p$i" "lxc.start.auto = 1" "lxc.group = par" "lxc.start.order = 10" "lxc.start.delay = 1"
    level+=("p$i")
done
mk next "lxc.start.auto = 1" "lxc.group = par" "lxc.start.order = 20"

# --list: LXC's lines; with ParallelStart=yes each level is marked.
expected_list=$(printf '%s 1\n' "${level[@]}")$'\nnext 0'
assert_eq "$expected_list" "$(lxcctl autostart --groups par --list)" "--list without lxcd.conf"
conf "ParallelStart=yes"
expected_list="# level 1: parallel"$'\n'"$(printf '%s 1\n' "${level[@]}")"$'\n'"# level 2: parallel"$'\n'"next 0"
assert_eq "$expected_list" "$(lxcctl autostart --groups par --list)" "--list with ParallelStart=yes"
assert_eq "" "$(lxcctl list | grep RUNNING || true)" "running containers after --list"

lxcctl autostart --groups par
changes=$(lxcd_state_changes)
echo "$changes"
first=$(when p01 STARTING <<<"$changes")
last_running=0
for name in "${level[@]}"; do
    t=$(when "$name" RUNNING <<<"$changes")
    [ -n "$t" ] || fail "$name never reached RUNNING"
    last_running=$(python3 -c "print(max($last_running, $t))")
done
t_next=$(when next STARTING <<<"$changes")
python3 - "$first" "$last_running" "$t_next" <<'PY'
import sys
first, last_running, t_next = map(float, sys.argv[1:])
# Twelve containers with lxc.start.delay = 1 one after the other take at least 12 s.
if t_next - first >= 12:
    sys.exit(f"the level took {t_next - first:.2f} s to start, not well under 12 s")
if t_next < last_running:
    sys.exit("'next' started before the whole level was RUNNING")
if t_next - last_running < 1:
    sys.exit(f"'next' started {t_next - last_running:.2f} s after the level, within its delay")
print(f"level of 12 started in {last_running - first:.2f} s; next level after {t_next - first:.2f} s")
PY

# DelayUntilReady: a busybox guest is ready at RUNNING, so a 30 s delay ends at once.
conf "DelayUntilReady=yes"
mk slow "lxc.start.auto = 1" "lxc.group = ready" "lxc.start.order = 1" "lxc.start.delay = 30"
mk after "lxc.start.auto = 1" "lxc.group = ready" "lxc.start.order = 2"
lxcctl autostart --groups ready
changes=$(lxcd_state_changes)
python3 -c "import sys; gap = $(when after STARTING <<<"$changes") - $(when slow RUNNING <<<"$changes");
sys.exit(0 if gap < 30 else f'after started {gap:.2f} s after slow: the delay was a sleep')"

# ParallelShutdown: reverse levels, each at once, all within ShutdownTimeoutSec. "stubborn"
# (init: sleep, which ignores the halt signal) is stopped by the deadline, not its 60 s.
mk stubborn "lxc.start.auto = 1" "lxc.group = par" "lxc.start.order = 10" \
    "lxc.init.cmd = /bin/sleep 1000"
lxcctl start stubborn
conf "ParallelShutdown=yes" "ShutdownTimeoutSec=3"
begin=$SECONDS
lxcctl autostart --groups par --shutdown --timeout 60
took=$((SECONDS - begin))
[ $took -lt 60 ] || fail "the parallel shutdown took ${took}s: not bounded by ShutdownTimeoutSec=3"
changes=$(lxcd_state_changes)
t_next=$(when next STOPPED <<<"$changes")
for name in "${level[@]}" stubborn; do
    t=$(when "$name" STOPPING <<<"$changes")
    [ -n "$t" ] || t=$(when "$name" STOPPED <<<"$changes")
    python3 -c "import sys; sys.exit(0 if $t >= $t_next else '$name stopped before next')"
done
assert_eq "" "$(lxcctl list | awk '$1 != "slow" && $1 != "after" && $2 != "STOPPED"' | tail -n +2)" \
    "containers of group par left running"

# A broken lxcd.conf is refused with its file:line; --list and starts say so.
conf "ParallelStart=maybe"
out=$(lxcctl autostart --groups par --list 2>&1) && fail "--list accepted a broken lxcd.conf"
assert_contains "$out" "/etc/lxcd/lxcd.conf:2: [Autostart] ParallelStart=: 'maybe' is not a boolean"
