#include "seccomp_filter.hpp"

#include "error.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <seccomp.h>
#include <sys/mman.h>
#include <tuple>
#include <unistd.h>

namespace lxcd::seccomp {
namespace {

using CtxHandle = std::unique_ptr<void, decltype(&seccomp_release)>;

struct ArchToken {
    Arch arch;
    uint32_t token;
};

constexpr std::array arch_tokens{
    ArchToken{Arch::X86_64, SCMP_ARCH_X86_64},
    ArchToken{Arch::X86, SCMP_ARCH_X86},
    ArchToken{Arch::X32, SCMP_ARCH_X32},
    ArchToken{Arch::Arm, SCMP_ARCH_ARM},
    ArchToken{Arch::Aarch64, SCMP_ARCH_AARCH64},
    ArchToken{Arch::Ppc, SCMP_ARCH_PPC},
    ArchToken{Arch::Ppc64, SCMP_ARCH_PPC64},
    ArchToken{Arch::Ppc64le, SCMP_ARCH_PPC64LE},
    ArchToken{Arch::Mips, SCMP_ARCH_MIPS},
    ArchToken{Arch::Mips64, SCMP_ARCH_MIPS64},
    ArchToken{Arch::Mips64n32, SCMP_ARCH_MIPS64N32},
    ArchToken{Arch::Mipsel, SCMP_ARCH_MIPSEL},
    ArchToken{Arch::Mipsel64, SCMP_ARCH_MIPSEL64},
    ArchToken{Arch::Mipsel64n32, SCMP_ARCH_MIPSEL64N32},
    ArchToken{Arch::S390, SCMP_ARCH_S390},
    ArchToken{Arch::S390x, SCMP_ARCH_S390X},
    ArchToken{Arch::Riscv64, SCMP_ARCH_RISCV64},
};

uint32_t token_of(Arch arch) {
    for (const auto& entry : arch_tokens) {
        if (entry.arch == arch)
            return entry.token;
    }
    throw Error(Errc::Failed, "seccomp: no libseccomp token for " + std::string(arch_name(arch)));
}

uint32_t scmp_action(const Action& action) {
    switch (action.type) {
    case ActionType::Kill:
        return SCMP_ACT_KILL;
    case ActionType::KillProcess:
        return SCMP_ACT_KILL_PROCESS;
    case ActionType::Errno:
        return SCMP_ACT_ERRNO(static_cast<uint32_t>(action.errno_value));
    case ActionType::Allow:
        return SCMP_ACT_ALLOW;
    case ActionType::Trap:
        return SCMP_ACT_TRAP;
    case ActionType::Notify:
        return SCMP_ACT_NOTIFY;
    case ActionType::Log:
        return SCMP_ACT_LOG;
    }
    return SCMP_ACT_KILL;
}

scmp_compare scmp_op(CompareOp op) {
    switch (op) {
    case CompareOp::Eq:
        return SCMP_CMP_EQ;
    case CompareOp::Ne:
        return SCMP_CMP_NE;
    case CompareOp::Lt:
        return SCMP_CMP_LT;
    case CompareOp::Le:
        return SCMP_CMP_LE;
    case CompareOp::Gt:
        return SCMP_CMP_GT;
    case CompareOp::Ge:
        return SCMP_CMP_GE;
    case CompareOp::MaskedEq:
        return SCMP_CMP_MASKED_EQ;
    }
    return SCMP_CMP_EQ;
}

scmp_arg_cmp scmp_arg(const ArgCompare& cmp) {
    // For SCMP_CMP_MASKED_EQ libseccomp takes the mask first, then the value.
    if (cmp.op == CompareOp::MaskedEq)
        return scmp_arg_cmp{cmp.index, SCMP_CMP_MASKED_EQ, cmp.mask, cmp.value};
    return scmp_arg_cmp{cmp.index, scmp_op(cmp.op), cmp.value, 0};
}

bool is_range(CompareOp op) {
    return op != CompareOp::Eq && op != CompareOp::MaskedEq;
}

bool contains(const std::vector<ArgCompare>& args, const ArgCompare& cmp) {
    return std::find(args.begin(), args.end(), cmp) != args.end();
}

// The comparisons of `args` on arguments after `index`, in a canonical order.
std::vector<ArgCompare> compared_after(const std::vector<ArgCompare>& args, unsigned index) {
    std::vector<ArgCompare> later;
    for (const ArgCompare& cmp : args)
        if (cmp.index > index)
            later.push_back(cmp);
    std::sort(later.begin(), later.end(), [](const ArgCompare& x, const ArgCompare& y) {
        return std::tie(x.index, x.value, x.op, x.mask) < std::tie(y.index, y.value, y.op, y.mask);
    });
    return later;
}

// libseccomp 2.5 can loop forever adding the second of two rules for one
// syscall that share a !=, <, <=, > or >= comparison and then both go on to
// compare later arguments, differently (fuzzing found several such shapes, e.g.
// [1,3,>=] [3,7,==] after [1,3,>=] [2,3,>=] [3,7,==]). We refuse every such
// pair, which can also refuse a few that libseccomp would have managed.
// Returns that shared comparison.
const ArgCompare* libseccomp_loops_on(const Rule& a, const Rule& b) {
    for (const ArgCompare& cmp : a.args) {
        if (!is_range(cmp.op) || !contains(b.args, cmp))
            continue;
        auto later_a = compared_after(a.args, cmp.index);
        auto later_b = compared_after(b.args, cmp.index);
        if (!later_a.empty() && !later_b.empty() && later_a != later_b)
            return &cmp;
    }
    return nullptr;
}

std::string to_string(const ArgCompare& cmp) {
    std::string text = "[" + std::to_string(cmp.index) + "," + std::to_string(cmp.value) + "," +
                       std::string(compare_op_name(cmp.op));
    if (cmp.op == CompareOp::MaskedEq)
        text += "," + std::to_string(cmp.mask);
    return text + "]";
}

std::string where(const SeccompPolicy& policy, const Rule& rule) {
    return policy.name + ":" + std::to_string(rule.line) + ": ";
}

// Builds one single-architecture context per runnable architecture, then
// merges them: libseccomp can add a rule to exactly one architecture only in
// a context that holds just that one.
class Compiler {
  public:
    Compiler(const SeccompPolicy& policy, Arch native) : policy_(policy), native_(native) {}

    void* compile() {
        arches_ = policy_.version == 1 ? std::vector<Arch>{native_} : runnable_arches(native_);
        std::vector<CtxHandle> contexts;
        for (Arch arch : arches_)
            contexts.push_back(build(arch));
        warn_unmatched();

        for (size_t i = 1; i < contexts.size(); ++i) {
            int rc = seccomp_merge(contexts[0].get(), contexts[i].get());
            if (rc < 0)
                throw Error(Errc::Failed,
                            policy_.name + ": cannot merge the " +
                                std::string(arch_name(arches_[i])) +
                                " seccomp filter: " + std::strerror(-rc),
                            -rc);
            contexts[i].release(); // seccomp_merge() took it over
        }
        return contexts[0].release();
    }

    std::vector<Arch>& arches() { return arches_; }
    std::vector<std::string>& warnings() { return warnings_; }
    bool uses_notify() const { return uses_notify_; }

  private:
    CtxHandle build(Arch arch) {
        uint32_t token = token_of(arch);
        CtxHandle ctx(seccomp_init(scmp_action(policy_.default_action)), &seccomp_release);
        if (!ctx)
            throw Error(Errc::InvalidConfig, policy_.name +
                                                 ": libseccomp rejects the default action '" +
                                                 to_string(policy_.default_action) + "'");
        if (token != seccomp_arch_native()) {
            check(seccomp_arch_add(ctx.get(), token), "add architecture", arch);
            check(seccomp_arch_remove(ctx.get(), SCMP_ARCH_NATIVE), "remove native architecture",
                  arch);
        }
        std::vector<const Rule*> in_this_arch;
        for (size_t i = 0; i < policy_.rules.size(); ++i) {
            const Rule& rule = policy_.rules[i];
            if (rule.arch && *rule.arch != arch)
                continue;
            if (add(ctx.get(), token, rule, in_this_arch))
                added_.push_back(i);
        }
        return ctx;
    }

    void check(int rc, const char* what, Arch arch) const {
        if (rc < 0)
            throw Error(Errc::Failed,
                        policy_.name + ": seccomp: cannot " + what + " " +
                            std::string(arch_name(arch)) + ": " + std::strerror(-rc),
                        -rc);
    }

    void check_libseccomp_can_add(const Rule& rule, const std::vector<const Rule*>& earlier) const {
        for (const Rule* other : earlier) {
            if (other->syscall != rule.syscall || other->number != rule.number)
                continue;
            if (const ArgCompare* shared = libseccomp_loops_on(rule, *other))
                throw Error(Errc::InvalidConfig,
                            where(policy_, rule) + "this rule for '" + display_name(rule) +
                                "' and the one on line " + std::to_string(other->line) +
                                " share the comparison " + to_string(*shared) +
                                " and then compare different later arguments; libseccomp "
                                "cannot compile that (it loops): split or merge the rules");
        }
    }

    // libseccomp numbers rules by the native syscall table (pseudo numbers for
    // syscalls that only other architectures have) and translates them for
    // each architecture itself; resolve to that numbering via the name.
    std::optional<int> host_number(uint32_t token, const Rule& rule) {
        std::string name = rule.syscall;
        if (rule.number) {
            char* resolved = seccomp_syscall_resolve_num_arch(token, *rule.number);
            if (!resolved) {
                warn(rule, "syscall number " + std::to_string(*rule.number) + " is unknown on " +
                               std::string(arch_name(native_)) + "; rule skipped");
                return std::nullopt;
            }
            name = resolved;
            std::free(resolved);
        }
        int nr = seccomp_syscall_resolve_name(name.c_str());
        if (nr == __NR_SCMP_ERROR) {
            warn(rule, "unknown syscall '" + name + "'; rule skipped");
            return std::nullopt;
        }
        if (seccomp_syscall_resolve_name_arch(token, name.c_str()) < 0)
            return std::nullopt; // not a syscall of this architecture (e.g. open on arm64)
        return nr;
    }

    // Adds one rule to the context of one architecture; false when the rule
    // does not exist there. `added` lists the rules already in that context.
    bool add(void* ctx, uint32_t token, const Rule& rule, std::vector<const Rule*>& added) {
        std::optional<int> nr = host_number(token, rule);
        if (!nr)
            return false;
        // A rule with the default action changes nothing; libseccomp refuses it.
        if (rule.action == policy_.default_action)
            return true;
        check_libseccomp_can_add(rule, added);
        added.push_back(&rule);
        std::vector<scmp_arg_cmp> args;
        for (const ArgCompare& cmp : rule.args)
            args.push_back(scmp_arg(cmp));
        int rc = seccomp_rule_add_exact_array(ctx, scmp_action(rule.action), *nr,
                                              static_cast<unsigned>(args.size()), args.data());
        if (rc < 0)
            throw Error(Errc::InvalidConfig,
                        where(policy_, rule) + "libseccomp rejects the rule for '" +
                            display_name(rule) + "' on " + std::string(arch_name(arch_of(token))) +
                            ": " + std::strerror(-rc));
        if (rule.action.type == ActionType::Notify)
            uses_notify_ = true;
        return true;
    }

    // Named syscalls that exist on none of the architectures compiled for.
    void warn_unmatched() {
        for (size_t i = 0; i < policy_.rules.size(); ++i) {
            const Rule& rule = policy_.rules[i];
            if (std::find(added_.begin(), added_.end(), i) != added_.end() || rule.number)
                continue;
            bool in_scope = !rule.arch ||
                            std::find(arches_.begin(), arches_.end(), *rule.arch) != arches_.end();
            if (in_scope && seccomp_syscall_resolve_name(rule.syscall.c_str()) != __NR_SCMP_ERROR)
                warn(rule, "syscall '" + rule.syscall +
                               "' does not exist on this host's architectures; rule skipped");
        }
    }

    static Arch arch_of(uint32_t token) {
        for (const auto& entry : arch_tokens) {
            if (entry.token == token)
                return entry.arch;
        }
        throw Error(Errc::Failed,
                    "seccomp: unsupported architecture token " + std::to_string(token));
    }

    static std::string display_name(const Rule& rule) {
        return rule.number ? std::to_string(*rule.number) : rule.syscall;
    }

    void warn(const Rule& rule, const std::string& message) {
        std::string text = where(policy_, rule) + message;
        if (std::find(warnings_.begin(), warnings_.end(), text) == warnings_.end())
            warnings_.push_back(std::move(text));
    }

    const SeccompPolicy& policy_;
    Arch native_;
    std::vector<Arch> arches_;
    std::vector<size_t> added_;
    std::vector<std::string> warnings_;
    bool uses_notify_ = false;
};

// Runs one of libseccomp's export functions into a memfd and returns the bytes.
template <typename Export> std::string export_to_memory(const char* what, Export export_fn) {
    UniqueFd fd(memfd_create(what, MFD_CLOEXEC));
    if (!fd)
        throw_errno(std::string("memfd_create for ") + what);
    int rc = export_fn(fd.get());
    if (rc < 0)
        throw_errno(std::string("seccomp: ") + what, -rc);
    if (lseek(fd.get(), 0, SEEK_SET) < 0)
        throw_errno(std::string("lseek on ") + what);
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd.get(), buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno(std::string("read ") + what);
        if (n == 0)
            return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

} // namespace

Arch native_arch() {
    uint32_t token = seccomp_arch_native();
    for (const auto& entry : arch_tokens) {
        if (entry.token == token)
            return entry.arch;
    }
    throw Error(Errc::Failed,
                "seccomp: unsupported native architecture token " + std::to_string(token));
}

std::vector<Arch> runnable_arches(Arch native) {
    switch (native) {
    case Arch::X86_64:
        return {Arch::X86_64, Arch::X86, Arch::X32};
    case Arch::Aarch64:
        return {Arch::Aarch64, Arch::Arm};
    case Arch::Ppc64:
        return {Arch::Ppc64, Arch::Ppc};
    case Arch::Mips64:
        return {Arch::Mips64, Arch::Mips64n32, Arch::Mips};
    case Arch::Mipsel64:
        return {Arch::Mipsel64, Arch::Mipsel64n32, Arch::Mipsel};
    default:
        return {native};
    }
}

void SeccompFilter::CtxRelease::operator()(void* ctx) const noexcept {
    seccomp_release(ctx);
}

SeccompFilter::SeccompFilter(CtxPtr ctx, std::vector<Arch> arches,
                             std::vector<std::string> warnings, bool uses_notify)
    : ctx_(std::move(ctx)), arches_(std::move(arches)), warnings_(std::move(warnings)),
      uses_notify_(uses_notify) {}

std::vector<uint8_t> SeccompFilter::export_bpf() const {
    std::string bytes = export_to_memory(
        "seccomp-bpf", [this](int fd) { return seccomp_export_bpf(ctx_.get(), fd); });
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

std::string SeccompFilter::export_pfc() const {
    return export_to_memory("seccomp-pfc",
                            [this](int fd) { return seccomp_export_pfc(ctx_.get(), fd); });
}

void SeccompFilter::load(NoNewPrivs no_new_privs) {
    int rc =
        seccomp_attr_set(ctx_.get(), SCMP_FLTATR_CTL_NNP, no_new_privs == NoNewPrivs::Set ? 1 : 0);
    if (rc < 0)
        throw_errno("seccomp: set no_new_privs attribute", -rc);
    rc = seccomp_load(ctx_.get());
    if (rc < 0)
        throw_errno("seccomp: load filter", -rc);
}

UniqueFd SeccompFilter::take_notify_fd() {
    if (!uses_notify_)
        throw Error(Errc::Failed, "seccomp: the filter has no notify rule");
    int fd = seccomp_notify_fd(ctx_.get());
    if (fd < 0)
        throw_errno("seccomp: get notify fd", fd == -1 ? EBADF : -fd);
    return UniqueFd(fd);
}

SeccompFilter compile(const SeccompPolicy& policy, std::optional<Arch> native) {
    Compiler compiler(policy, native.value_or(native_arch()));
    SeccompFilter::CtxPtr ctx(compiler.compile());
    return SeccompFilter(std::move(ctx), std::move(compiler.arches()),
                         std::move(compiler.warnings()), compiler.uses_notify());
}

} // namespace lxcd::seccomp
