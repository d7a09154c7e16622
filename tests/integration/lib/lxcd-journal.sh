# lxcd's container state changes from the test host's journal (sourced by tests).

# Prints "SECONDS.USEC NAME STATE" per state change lxcd logged ("NAME: STATE ..."), oldest
# first; these timestamps are lxcd's own, taken as the changes happened.
lxcd_state_changes() {
    journalctl --sync
    journalctl -t lxcd -o short-unix --no-pager |
        awk '{ sub(":$", "", $4) } $5 ~ /^[A-Z]+$/ { print $1, $4, $5 }'
}

# when NAME STATE: the timestamp of NAME's last change to STATE (from lxcd_state_changes
# output on stdin).
when() {
    awk -v n="$1" -v s="$2" '$2 == n && $3 == s { t = $1 } END { print t }'
}
