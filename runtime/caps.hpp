// Capabilities for lxc.cap.drop / lxc.cap.keep: name validation, the set to
// keep, and applying it to every capability set of the container's init
// before exec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::caps {

// One bit per capability number.
using CapMask = uint64_t;

constexpr CapMask cap_bit(int cap) {
    return CapMask{1} << cap;
}

// Capability number of an LXC name: "sys_admin", "CAP_SYS_ADMIN" or "21".
// Throws Error(Errc::InvalidConfig) naming `key` for unknown names.
int parse_cap(std::string_view name, std::string_view key = "lxc.cap");

// Highest capability number the running kernel knows.
int last_cap();

// The capabilities 0..last to keep: with lxc.cap.keep only those listed
// ("none" keeps nothing), otherwise all but lxc.cap.drop. Setting both is an
// error, as in LXC.
CapMask caps_to_keep(const std::vector<std::string>& drop, const std::vector<std::string>& keep,
                     int last);

// Removes every capability 0..last not in `keep` from the bounding,
// effective, permitted, inheritable and ambient sets of the calling process.
// Needs CAP_SETPCAP, so call it before dropping privileges otherwise.
void apply_caps(CapMask keep, int last);

// Empties the effective, permitted and ambient sets, as the kernel does when a process
// switches from uid 0 to another uid (capabilities(7)). For the switches where it does
// not: in a user namespace that maps no uid 0 there is no root to lose them.
void drop_privileged_sets();

} // namespace lxcd::caps
