#!/bin/bash
# Runs the built lxcctl on good and bad config files and checks exit codes and output.
# usage: test_lxcctl_config.sh LXCCTL DATADIR
set -u
lxcctl=$1
data=$2
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run NAME EXPECTED_EXIT ARGS...: keeps stdout/stderr in $tmp/NAME.{out,err}
run() {
  local name=$1 want=$2; shift 2
  "$lxcctl" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$name: exit $got, want $want ($*)"
}

expect_line() { # NAME STREAM LINE
  grep -qxF -- "$3" "$tmp/$1.$2" || { fail "$1: $2 lacks: $3"; sed 's/^/    /' "$tmp/$1.$2"; }
}

run good 0 config check "$data/seed001-complex.conf" "$data/full.conf"
[ -s "$tmp/good.out" ] && fail "good: unexpected output: $(cat "$tmp/good.out")"

run legacy 0 config check "$data/seed002-unprivileged.conf"
expect_line legacy err "$data/seed002-unprivileged.conf:6: warning: lxc.id_map: deprecated key, use lxc.idmap"
[ -s "$tmp/legacy.out" ] && fail "legacy: warnings must go to stderr only"

run bad 1 config check "$data/seed001-basic.conf" "$data/bad.conf"
expect_line bad out "$data/bad.conf:3: lxc.start.delay: invalid integer \"abc\""
expect_line bad out "$data/bad.conf:4: lxc.no.such.key: unknown key"
expect_line bad out "$data/bad.conf:6: lxc.signal.halt: invalid signal \"SIGNOPE\""
expect_line bad out "$data/bad.conf:9: lxc.net.0.ipv4.address: invalid IPv4 address \"10.0.3.300/24\""
expect_line bad err "$data/bad.conf:10: warning: lxc.utsname: deprecated key, use lxc.uts.name"
[ "$(wc -l <"$tmp/bad.out")" -eq 6 ] || fail "bad: want 6 error lines, got $(wc -l <"$tmp/bad.out")"

run loop 1 config check "$data/loop/a.conf"
grep -q "^$data/loop/b.conf:1: lxc.include: include loop: " "$tmp/loop.out" || fail "loop: no include loop error"

run show 0 config show "$data/seed000-static-ip.conf"
expect_line show out "lxc.net.0.ipv4.address = 10.0.3.200/24 10.0.3.255"
expect_line show out "lxc.net.0.ipv4.gateway = 10.0.3.1"
grep -q 'lxc\.network' "$tmp/show.out" && fail "show: legacy key in normalised output"

# The normalised form checks clean and shows the same again.
cp "$tmp/show.out" "$tmp/normalised.conf"
run reshow 0 config show "$tmp/normalised.conf"
cmp -s "$tmp/show.out" "$tmp/reshow.out" || fail "show: not a fixed point"
[ -s "$tmp/reshow.err" ] && fail "reshow: warnings on a normalised config: $(cat "$tmp/reshow.err")"

run include 0 config show "$data/include/main.conf"
expect_line include out "lxc.net.0.link = lxcbr0"
grep -q 'lxc\.include' "$tmp/include.out" && fail "include: includes not expanded"

run get 0 config get "$data/seed001-complex.conf" lxc.net.1.ipv4.address
[ "$(cat "$tmp/get.out")" = $'10.2.3.4/24\n192.168.10.125/24' ] || fail "get: got $(cat "$tmp/get.out")"
run getbad 1 config get "$data/seed001-complex.conf" lxc.bogus
expect_line getbad err "lxcctl: lxc.bogus: unknown key"

run usage 2 config
run unknown 2 frobnicate

[ "$failures" -eq 0 ] && echo "all lxcctl config checks passed"
exit $((failures > 0))
