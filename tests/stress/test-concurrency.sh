# Concurrency (issue 9): 32 D-Bus clients issue start/stop/freeze/thaw/list on 16
# containers for LXCD_STRESS_SECONDS (60) -> no deadlock, no crash, every call answered;
# afterwards each container's state agrees with `lxcctl list` and its scope, and all stop
# cleanly leaving nothing behind.
source "$LXCD_SOURCE_ROOT/tests/stress/lib.sh"

names=()
for i in $(seq -w 1 16); do
    make_busybox "cc$i"
    names+=("cc$i")
done
before=$(snapshot)
pid=$(lxcd_pid)

/usr/bin/python3 "$LXCD_SOURCE_ROOT/tests/stress/concurrency.py" 32 \
    "${LXCD_STRESS_SECONDS:-60}" "${names[@]}"

assert_eq "$pid" "$(lxcd_pid)" "lxcd's PID (it must not have crashed and restarted)"
# Each container: D-Bus state, lxcctl list and the scope agree.
listed=$(lxcctl list)
for name in "${names[@]}"; do
    state=$(state_of "$name")
    assert_match "^$name +$state\\b" "$(grep "^$name " <<<"$listed")" "lxcctl list for $name"
    [ "$state" != STOPPED ] || wait_for 10 scope_gone "$name" # it goes after the answer
    scope=$(systemctl is-active "lxc-$name.scope" || true)
    case $state in
    RUNNING | FROZEN) assert_eq active "$scope" "scope of $name ($state)" ;;
    STOPPED) assert_ne active "$scope" "scope of $name ($state)" ;;
    *) fail "$name left in $state after all calls were answered" ;;
    esac
done
for name in "${names[@]}"; do
    [ "$(state_of "$name")" != FROZEN ] || lxcctl thaw "$name"
    [ "$(state_of "$name")" = STOPPED ] || lxcctl stop "$name" --kill
done
for name in "${names[@]}"; do wait_for 10 scope_gone "$name"; done
assert_eq 0 "$(leaked "$before" "$(snapshot)")" "objects left after all stopped"
