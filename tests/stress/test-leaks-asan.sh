# Leaks under ASan/LSan (issue 9): lxcd from the ASan+UBSan build runs the leak test's
# cycles (fewer: LXCD_STRESS_CYCLES) and then exits cleanly with no sanitizer report.
# LSan is for lxcd here (its options come from the drop-in below): the test's own ASan
# lxcctl has it off, as LSan cannot stop the threads of a process that joined a
# container's namespaces (lxcctl attach) and spins.
export ASAN_OPTIONS=detect_leaks=0
asan_log=/run/lxcd-asan/report
mkdir -p /run/systemd/system/lxcd.service.d /run/lxcd-asan
cat >/run/systemd/system/lxcd.service.d/asan.conf <<CONF
[Service]
Environment=ASAN_OPTIONS=detect_leaks=1:log_path=$asan_log
Environment=UBSAN_OPTIONS=print_stacktrace=1:log_path=$asan_log
CONF
systemctl daemon-reload
systemctl restart lxcd.service

# ASan keeps freed memory in quarantine, so RSS says nothing here: LSan's report does.
check_rss=no
source "$LXCD_SOURCE_ROOT/tests/stress/test-leaks.sh"

lxcctl stop keeper
systemctl stop lxcd.service
assert_eq 0 "$(systemctl show -P ExecMainStatus lxcd.service)" "lxcd's exit status under ASan"
reports=$(find /run/lxcd-asan -name 'report.*')
echo "stress: asan lxcd exited cleanly, reports=$(grep -c . <<<"$reports" || true)"
[ -z "$reports" ] || fail "sanitizer reports of lxcd or its supervisors:"$'\n'"$(cat $reports)"
