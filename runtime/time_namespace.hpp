// lxc.time.offset.boot / lxc.time.offset.monotonic: the container's init runs in a
// new time namespace with these offsets (time_namespaces(7)).
//
// unshare(CLONE_NEWTIME) makes a namespace for the caller's children only, and its
// offsets can be written until the first process enters it. So the container's first
// process unshares, writes the offsets, and then joins the namespace itself with
// setns: everything after it (hooks, init, the app init that never execs) runs there.
#pragma once

#include <cstdint>
#include <string>

namespace lxcd::runtime {

// The text for /proc/PID/timens_offsets: "monotonic SECS NANOS\nboottime SECS NANOS\n"
// with 0 <= NANOS < 1e9 (negative offsets have negative seconds).
std::string format_timens_offsets(int64_t boot_ns, int64_t monotonic_ns);

// Moves the (single-threaded) caller into a new time namespace with these offsets.
void enter_new_time_namespace(int64_t boot_ns, int64_t monotonic_ns);

} // namespace lxcd::runtime
