// Device access rules for cgroup v2 (lxc.cgroup2.devices.allow/deny), turned
// into a BPF_PROG_TYPE_CGROUP_DEVICE program with LXC's semantics:
//  - "a" as an allow rule makes the program a denylist (everything allowed
//    unless denied), as a deny rule an allowlist; either resets the rule list;
//  - without such a global rule the program is an allowlist;
//  - in an allowlist, deny rules for single devices are ignored, and allow
//    rules in a denylist;
//  - repeating a rule for the same device and access flips its decision.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <linux/bpf.h>

namespace lxcd::cgroup {

struct DeviceRule {
    char type = 'a';     // 'a' (any), 'b' or 'c'
    int64_t major = -1;  // -1 = any ('*')
    int64_t minor = -1;  // -1 = any ('*')
    uint32_t access = 0; // BPF_DEVCG_ACC_* bits
    bool allow = false;

    bool operator==(const DeviceRule&) const = default;
};

// Parses "TYPE [MAJOR:MINOR [ACCESS]]" as in devices.allow, e.g. "a",
// "c 1:3 rwm", "b *:* m", "c 136:* rw". Throws Error(InvalidConfig) naming key.
DeviceRule parse_device_rule(std::string_view value, bool allow, std::string_view key);

class DevicePolicy {
  public:
    // Adds lxc.cgroup2.devices.allow (allow = true) or .deny.
    void add(std::string_view value, bool allow, std::string_view key);

    bool default_allow() const { return default_allow_; }
    // The rules the program checks, in order (ignored ones are left out).
    std::vector<DeviceRule> effective_rules() const;
    // The BPF program: each rule is one match block returning its decision,
    // then the default decision.
    std::vector<bpf_insn> program() const;

  private:
    bool default_allow_ = false;
    std::vector<DeviceRule> rules_;
};

// Loads program into the kernel and attaches it to the cgroup directory fd
// (BPF_F_ALLOW_MULTI, so it adds to, never replaces, what systemd attached
// above). The kernel keeps the program while the cgroup exists.
void attach_device_program(int cgroup_fd, const std::vector<bpf_insn>& program,
                           std::string_view cgroup_name);

} // namespace lxcd::cgroup
