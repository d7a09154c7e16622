// systemd resource-control properties equivalent to a container's
// lxc.cgroup.* / lxc.cgroup2.* settings, so that `systemctl show` on the
// container's scope reflects them. lxcd applies the settings to the payload
// cgroup itself (runtime/cgroup.hpp); these are the scope-level mirror.
#pragma once

#include "config.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace lxcd {

// systemd's "infinity" for limits.
inline constexpr uint64_t kLimitMax = std::numeric_limits<uint64_t>::max();

struct ScopeLimits {
    std::optional<uint64_t> memory_max;                       // MemoryMax (bytes)
    std::optional<uint64_t> memory_high;                      // MemoryHigh (bytes)
    std::optional<uint64_t> tasks_max;                        // TasksMax
    std::optional<uint64_t> cpu_weight;                       // CPUWeight (1..10000)
    std::optional<uint64_t> cpu_shares;                       // CPUShares (v1, 2..262144)
    std::optional<uint64_t> cpu_quota_per_sec_usec;           // CPUQuotaPerSecUSec
    std::optional<uint64_t> cpu_quota_period_usec;            // CPUQuotaPeriodUSec
    std::optional<std::vector<uint8_t>> allowed_cpus;         // AllowedCPUs bitmask
    std::optional<std::vector<uint8_t>> allowed_memory_nodes; // AllowedMemoryNodes bitmask
};

// Maps the settings that have a systemd property: memory.max / .high /
// .limit_in_bytes, pids.max, cpu.weight / .shares / .max, cpuset.cpus / .mems
// (lxc.cgroup2.* wins over lxc.cgroup.*). Device rules are not mirrored: a
// scope-level DevicePolicy would confine the supervisor too, while the
// payload's own BPF program (runtime/cgroup_devices.hpp) confines only the
// container. Throws Error(InvalidConfig) naming the key for invalid values.
ScopeLimits scope_limits(const config::Config& conf);

// Parses a CPU or memory node list ("0-3,8") into systemd's bitmask format
// (bit N of byte N/8). Throws Error(InvalidConfig) naming key.
std::vector<uint8_t> parse_cpu_list(std::string_view list, std::string_view key);

} // namespace lxcd
