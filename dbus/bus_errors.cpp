#include "bus_errors.hpp"

#include <string>

namespace lxcd::bus {

sdbus::Error to_bus_error(const Error& e) {
    if (e.code() == Errc::AccessDenied)
        return sdbus::Error("org.freedesktop.DBus.Error.AccessDenied", e.what());
    return sdbus::Error("org.lxcd1.Error." + std::string(Error::code_name(e.code())), e.what());
}

} // namespace lxcd::bus
