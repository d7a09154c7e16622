// The one error type of lxcd. Every layer throws lxcd::Error; the D-Bus layer
// maps Error::code to a D-Bus error name so nothing else escapes across the bus.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lxcd {

enum class Errc {
    Failed,          // generic failure
    InvalidArgument, // bad input from a caller
    InvalidConfig,   // a config file is wrong (message carries file:line)
    NoSuchContainer,
    AlreadyExists,
    AlreadyRunning,
    NotRunning,
    AccessDenied,
    Timeout,
    System,           // a syscall failed (errno in Error::sys_errno)
    QuotaExceeded,    // /etc/lxc/lxc-usernet: the user's devices on a bridge are used up
    BridgeNotAllowed, // /etc/lxc/lxc-usernet: no line gives the user that bridge (keep last)
};

class Error : public std::runtime_error {
  public:
    Error(Errc code, const std::string& message, int sys_errno = 0)
        : std::runtime_error(message), code_(code), errno_(sys_errno) {}

    Errc code() const noexcept { return code_; }
    int sys_errno() const noexcept { return errno_; }

    // Short stable name of the code, used for D-Bus error names
    // (org.lxcd1.Error.<name>) and for messages.
    static std::string_view code_name(Errc code) noexcept;
    // The code named so; Failed for an unknown name.
    static Errc code_from_name(std::string_view name) noexcept;
    // The code of a D-Bus error reply: org.lxcd1.Error.<name> as code_from_name, the bus's
    // AccessDenied as AccessDenied, anything else Failed.
    static Errc code_from_dbus_name(std::string_view dbus_name) noexcept;

  private:
    Errc code_;
    int errno_;
};

// Runs every step of a teardown whatever the others did, keeping the first Error to
// throw once all have run: cleanup must do all it can.
class FirstError {
  public:
    template <class Step> void attempt(Step&& step) {
        try {
            step();
        } catch (const Error& e) {
            if (!first_)
                first_ = e;
        }
    }
    // Throws the first Error kept, if any.
    void rethrow() const {
        if (first_)
            throw *first_;
    }

  private:
    std::optional<Error> first_;
};

// Throws Error(Errc::System) with "what: strerror(errno)"; call right after a
// failed syscall.
[[noreturn]] void throw_errno(const std::string& what);
[[noreturn]] void throw_errno(const std::string& what, int err);

} // namespace lxcd
