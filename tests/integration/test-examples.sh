# examples/lxcd-client.py (issue 11), run by its shebang (Debian's python3 with
# python3-dbus and python3-gi): a Python D-Bus client lists, starts and stops containers,
# sees their state changes, and gets lxcd's error names.

client=$LXCD_SOURCE_ROOT/examples/lxcd-client.py
lxcctl create py1 --template busybox

"$client" watch 6 >/tmp/watch.log &
watcher=$!
sleep 1
assert_eq "py1: RUNNING" "$("$client" start py1)" "start"
assert_match '^py1 +RUNNING' "$("$client" list)" "list"
assert_eq "py1: STOPPED" "$("$client" stop py1 --kill)" "stop"
assert_match '^py1 +STOPPED' "$("$client" list)" "list after stop"
out=$("$client" start nosuch 2>&1 || true)
assert_contains "$out" "org.lxcd1.Error.NoSuchContainer" "error name"
wait $watcher
assert_contains "$(cat /tmp/watch.log)" "py1 RUNNING" "state changes seen"
assert_contains "$(cat /tmp/watch.log)" "py1 STOPPED" "state changes seen"
