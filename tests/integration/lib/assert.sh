# Assertions for integration tests (sourced by run-test). Each failure names the test
# file and line that asserted, and what was expected; `skip` reports the test as skipped.

# Location of the test line that called the assertion: "file:line".
_assert_where() {
    local frame=1
    while [[ ${BASH_SOURCE[$frame]} == */assert.sh ]]; do
        frame=$((frame + 1))
    done
    echo "${BASH_SOURCE[$frame]##*/}:${BASH_LINENO[$((frame - 1))]}"
}

fail() {
    echo "FAIL: $(_assert_where): $*" >&2
    exit 1
}

skip() {
    echo "SKIP: $*" >&2
    exit 77
}

assert_eq() { # expected actual [what]
    [ "$1" = "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}

assert_ne() { # unexpected actual [what]
    [ "$1" != "$2" ] || fail "${3:-value}: expected anything but '$1'"
}

assert_match() { # regex string [what]
    [[ $2 =~ $1 ]] || fail "${3:-value}: '$2' does not match /$1/"
}

assert_contains() { # haystack needle [what]
    [[ $1 == *"$2"* ]] || fail "${3:-output}: does not contain '$2':"$'\n'"$1"
}

assert_not_contains() { # haystack needle [what]
    [[ $1 != *"$2"* ]] || fail "${3:-output}: contains '$2':"$'\n'"$1"
}

assert_success() { # cmd...
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    [ $rc -eq 0 ] || fail "'$*' exited $rc:"$'\n'"$out"
}

assert_failure() { # cmd...
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    [ $rc -ne 0 ] || fail "'$*' succeeded but should have failed:"$'\n'"$out"
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds; fails the test when
# it has not within SECONDS.
wait_for() {
    local timeout=$1 deadline
    shift
    deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || fail "timed out after ${timeout}s waiting for: $*"
        sleep 0.1
    done
}
