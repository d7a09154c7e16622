// lxc.time.offset.boot / lxc.time.offset.monotonic: the container's init runs in a
// new time namespace with these offsets (time_namespaces(7)).
//
// unshare(CLONE_NEWTIME) moves only the caller's future children and its next execve
// into the namespace, and its offsets can be written until the first process enters
// it. So the container's first process unshares and writes the offsets before it
// forks any hook; init enters with its execve.
#pragma once

#include <cstdint>
#include <string>

namespace lxcd::runtime {

// The text for /proc/PID/timens_offsets: "monotonic SECS NANOS\nboottime SECS NANOS\n"
// with 0 <= NANOS < 1e9 (negative offsets have negative seconds).
std::string format_timens_offsets(int64_t boot_ns, int64_t monotonic_ns);

// Unshares a time namespace for the caller's children and sets its offsets.
void unshare_time_namespace(int64_t boot_ns, int64_t monotonic_ns);

} // namespace lxcd::runtime
