# Leaks under ASan/LSan (issue 9): lxcd from the ASan+UBSan build runs the leak test's
# cycles (fewer: LXCD_STRESS_CYCLES) and then exits cleanly with no sanitizer report.
asan_log=/run/lxcd-asan/report
mkdir -p /run/systemd/system/lxcd.service.d /run/lxcd-asan
cat >/run/systemd/system/lxcd.service.d/asan.conf <<CONF
[Service]
Environment=ASAN_OPTIONS=detect_leaks=1:log_path=$asan_log
Environment=UBSAN_OPTIONS=print_stacktrace=1:log_path=$asan_log
CONF
systemctl daemon-reload
systemctl restart lxcd.service

source "$LXCD_SOURCE_ROOT/tests/stress/test-leaks.sh"

lxcctl stop keeper
systemctl stop lxcd.service
assert_eq 0 "$(systemctl show -P ExecMainStatus lxcd.service)" "lxcd's exit status under ASan"
reports=$(cat "$asan_log".* 2>/dev/null || true)
echo "stress: asan lxcd exited cleanly, reports=$(ls "$asan_log".* 2>/dev/null | wc -l)"
[ -z "$reports" ] || fail "sanitizer report from lxcd:"$'\n'"$reports"
