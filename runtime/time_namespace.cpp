#include "time_namespace.hpp"

#include "error.hpp"
#include "fd.hpp"

#include <fcntl.h>
#include <sched.h>

namespace lxcd::runtime {

namespace {

constexpr int64_t ns_per_second = 1'000'000'000;

std::string offset_line(const char* clock, int64_t ns) {
    int64_t seconds = ns / ns_per_second;
    int64_t nanos = ns % ns_per_second;
    if (nanos < 0) { // the kernel wants the nanoseconds non-negative
        seconds -= 1;
        nanos += ns_per_second;
    }
    return std::string(clock) + " " + std::to_string(seconds) + " " + std::to_string(nanos) + "\n";
}

} // namespace

std::string format_timens_offsets(int64_t boot_ns, int64_t monotonic_ns) {
    return offset_line("monotonic", monotonic_ns) + offset_line("boottime", boot_ns);
}

void enter_new_time_namespace(int64_t boot_ns, int64_t monotonic_ns) {
    if (::unshare(CLONE_NEWTIME) < 0)
        throw_errno("new time namespace");
    std::string offsets = format_timens_offsets(boot_ns, monotonic_ns);
    UniqueFd fd(::open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC));
    if (!fd || ::write(fd.get(), offsets.data(), offsets.size()) < 0)
        throw_errno("lxc.time.offset: write /proc/self/timens_offsets");
    UniqueFd ns(::open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC));
    if (!ns || ::setns(ns.get(), CLONE_NEWTIME) < 0)
        throw_errno("enter the new time namespace");
}

} // namespace lxcd::runtime
