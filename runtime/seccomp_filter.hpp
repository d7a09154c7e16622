// Compiles a SeccompPolicy to a libseccomp filter, exports it as BPF and loads
// it into the calling thread (the container's init, right before exec).
#pragma once

#include "fd.hpp"
#include "seccomp_policy.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lxcd::seccomp {

// The architecture this process runs as, per libseccomp.
Arch native_arch();

// The architectures a kernel of `native` runs programs of: the native one
// first, then its compat ABIs (x86_64: x86 and x32; aarch64: arm; ...). A
// version 2 policy is compiled for all of them; rules in a section for any
// other architecture are skipped, as LXC does.
std::vector<Arch> runnable_arches(Arch native);

enum class NoNewPrivs : bool { Keep, Set };

class SeccompFilter;

// Compiles `policy` for `native` (default: this machine) and its compat
// architectures. Rules libseccomp rejects throw Error(Errc::InvalidConfig,
// "file:line: ..."); unknown syscalls are skipped with a warning.
SeccompFilter compile(const SeccompPolicy& policy, std::optional<Arch> native = std::nullopt);

class SeccompFilter {
  public:
    SeccompFilter(SeccompFilter&&) noexcept = default;
    SeccompFilter& operator=(SeccompFilter&&) noexcept = default;
    ~SeccompFilter() = default;

    // The filter as the kernel sees it: an array of struct sock_filter.
    std::vector<uint8_t> export_bpf() const;
    // libseccomp's human-readable pseudo filter code, for logs and debugging.
    std::string export_pfc() const;

    // Loads the filter into the calling thread. NoNewPrivs::Set sets the
    // no_new_privs bit first, which an unprivileged caller needs; Keep leaves
    // it alone, which requires CAP_SYS_ADMIN.
    void load(NoNewPrivs no_new_privs);

    // True when a rule uses "notify": load() then creates a listener.
    bool uses_notify() const noexcept { return uses_notify_; }
    // After load(): the seccomp user-notification listener (uses_notify() only).
    UniqueFd take_notify_fd();

    const std::vector<Arch>& arches() const noexcept { return arches_; }
    // "file:line: ..." for rules that were skipped (unknown syscalls, ...).
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }

  private:
    struct CtxRelease {
        void operator()(void* ctx) const noexcept;
    };
    using CtxPtr = std::unique_ptr<void, CtxRelease>;

    SeccompFilter(CtxPtr ctx, std::vector<Arch> arches, std::vector<std::string> warnings,
                  bool uses_notify);
    friend SeccompFilter compile(const SeccompPolicy& policy, std::optional<Arch> native);

    CtxPtr ctx_;
    std::vector<Arch> arches_;
    std::vector<std::string> warnings_;
    bool uses_notify_ = false;
};

} // namespace lxcd::seccomp
