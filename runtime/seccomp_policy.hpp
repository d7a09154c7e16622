// The seccomp policy model and the parser for LXC's policy files
// (lxc.seccomp.profile): version 1 (an allowlist of syscall numbers) and
// version 2 (allowlist or denylist, a default action, [arch] sections, named
// syscalls with an action and up to six argument comparisons).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::seccomp {

enum class ActionType { Kill, KillProcess, Errno, Allow, Trap, Notify, Log };

struct Action {
    ActionType type = ActionType::Kill;
    int errno_value = 0; // only for ActionType::Errno, 0..4095

    bool operator==(const Action&) const = default;
};

// Architectures a section can name. Each maps to one libseccomp token.
enum class Arch {
    X86_64,
    X86,
    X32,
    Arm,
    Aarch64,
    Ppc,
    Ppc64,
    Ppc64le,
    Mips,
    Mips64,
    Mips64n32,
    Mipsel,
    Mipsel64,
    Mipsel64n32,
    S390,
    S390x,
    Riscv64,
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, MaskedEq };

// `[index,value,op]` or `[index,value,&=,mask]`: (arg & mask) == value.
struct ArgCompare {
    unsigned index = 0; // 0..5
    uint64_t value = 0;
    CompareOp op = CompareOp::Eq;
    uint64_t mask = 0; // only for CompareOp::MaskedEq

    bool operator==(const ArgCompare&) const = default;
};

struct Rule {
    // Section the rule appeared in; nullopt for [all] (and for rules before
    // any section, which LXC applies to every architecture of the host).
    std::optional<Arch> arch;
    // Version 2 names the syscall; version 1 gives the native number.
    std::string syscall;
    std::optional<int> number;
    Action action;
    std::vector<ArgCompare> args;
    unsigned line = 0; // line in the policy file, for messages

    bool operator==(const Rule&) const = default;
};

enum class PolicyType { Allowlist, Denylist };

struct SeccompPolicy {
    std::string name; // file name used in messages
    int version = 2;
    PolicyType type = PolicyType::Denylist;
    // Action for syscalls without a matching rule.
    Action default_action;
    std::vector<Rule> rules;
};

// Parses a policy. `name` (usually the file path) prefixes every error:
// throws lxcd::Error(Errc::InvalidConfig, "name:line: ...").
SeccompPolicy parse_seccomp_policy(std::string_view text, const std::string& name);

// Reads and parses a policy file.
SeccompPolicy load_seccomp_policy(const std::filesystem::path& path);

// Names as written in policy files ("errno 1", "x86_64", "&="), for messages and tests.
std::string to_string(const Action& action);
std::string_view arch_name(Arch arch);
std::string_view compare_op_name(CompareOp op);

// Parses a section name without brackets ("x86", "i386", "arm64", ...).
std::optional<Arch> parse_arch(std::string_view name);

} // namespace lxcd::seccomp
