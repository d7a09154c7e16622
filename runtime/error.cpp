#include "error.hpp"

#include <cerrno>
#include <cstring>

namespace lxcd {

std::string_view Error::code_name(Errc code) noexcept {
    switch (code) {
    case Errc::Failed:
        return "Failed";
    case Errc::InvalidArgument:
        return "InvalidArgument";
    case Errc::InvalidConfig:
        return "InvalidConfig";
    case Errc::NoSuchContainer:
        return "NoSuchContainer";
    case Errc::AlreadyExists:
        return "AlreadyExists";
    case Errc::AlreadyRunning:
        return "AlreadyRunning";
    case Errc::NotRunning:
        return "NotRunning";
    case Errc::AccessDenied:
        return "AccessDenied";
    case Errc::Timeout:
        return "Timeout";
    case Errc::System:
        return "System";
    case Errc::QuotaExceeded:
        return "QuotaExceeded";
    case Errc::BridgeNotAllowed:
        return "BridgeNotAllowed";
    }
    return "Failed";
}

Errc Error::code_from_name(std::string_view name) noexcept {
    for (int i = 0; i <= static_cast<int>(Errc::BridgeNotAllowed); i++) {
        auto code = static_cast<Errc>(i);
        if (code_name(code) == name)
            return code;
    }
    return Errc::Failed;
}

Errc Error::code_from_dbus_name(std::string_view dbus_name) noexcept {
    constexpr std::string_view ours = "org.lxcd1.Error.";
    if (dbus_name.substr(0, ours.size()) == ours)
        return code_from_name(dbus_name.substr(ours.size()));
    if (dbus_name == "org.freedesktop.DBus.Error.AccessDenied")
        return Errc::AccessDenied;
    return Errc::Failed;
}

void throw_errno(const std::string& what, int err) {
    throw Error(Errc::System, what + ": " + std::strerror(err), err);
}

void throw_errno(const std::string& what) {
    throw_errno(what, errno);
}

} // namespace lxcd
