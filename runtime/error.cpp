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
    }
    return "Failed";
}

void throw_errno(const std::string& what, int err) {
    throw Error(Errc::System, what + ": " + std::strerror(err), err);
}

void throw_errno(const std::string& what) {
    throw_errno(what, errno);
}

} // namespace lxcd
