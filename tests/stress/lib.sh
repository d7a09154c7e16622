# Helpers for the stress tests (issue 9), sourced by each test-*.sh inside the test host
# after lib/assert.sh. Each test prints its figure as one line starting "stress: ", which
# scripts/summarize-tests repeats at the end of the run.

# busybox containers: NAME [extra config lines...]
make_busybox() {
    local name=$1
    shift
    lxcctl create "$name" --template busybox --config "$(printf '%s\n' "$@")" >/dev/null
}

lxcd_pid() { systemctl show -P MainPID lxcd.service; }

state_of() { # NAME: its State on D-Bus
    busctl get-property org.lxcd1 "/org/lxcd1/container/$1" org.lxcd1.Container State |
        awk '{print $2}' | tr -d '"'
}

# What must come back to where it was when no container runs but the ones that did:
# mount points, cgroup directories of containers, host interfaces, files in /run/lxcd,
# the scopes systemd has in lxc.slice, and lxcd's open fds. One item a line, sorted.
snapshot() {
    awk '{print "mount " $5}' /proc/self/mountinfo | sort
    find /sys/fs/cgroup -type d \( -name 'lxc-*' -o -name 'lxc.payload*' -o -name 'lxc.monitor*' \) |
        sed 's/^/cgroup /' | sort
    ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print "link " $2 }' | sort
    if [ -d /run/lxcd ]; then find /run/lxcd -mindepth 1 | sed 's/^/run /' | sort; fi
    systemctl list-units --all --plain --no-legend 'lxc-*.scope' | awk '{print "unit " $1 " " $3}' |
        sort
    echo "lxcd-fds $(ls "/proc/$(lxcd_pid)/fd" | wc -l)"
}

# scope_gone NAME: systemd has removed the container's scope. A stop is answered once the
# supervisor has exited; the emptied scope goes right after, and snapshots must not catch it.
scope_gone() { [ -z "$(systemctl list-units --all --plain --no-legend "lxc-$1.scope")" ]; }

# leaked BEFORE AFTER: the number of items that differ, each printed to stderr.
leaked() {
    local diff
    diff=$(diff <(echo "$1") <(echo "$2") | grep '^[<>]' || true)
    [ -z "$diff" ] || echo "changed:"$'\n'"$diff" >&2
    if [ -z "$diff" ]; then echo 0; else echo "$diff" | wc -l; fi
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$(lxcd_pid)/status"; }

# The test host's lxcbr0, as lxc-net or networkd would make it.
make_bridge() {
    ip link add lxcbr0 type bridge
    ip addr add 10.0.3.1/24 dev lxcbr0
    ip link set lxcbr0 up
}
