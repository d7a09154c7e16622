// Maps lxcd::Error to named D-Bus errors, so no other exception crosses the bus.
#pragma once

#include "error.hpp"

#include <sdbus-c++/Error.h>

#include <functional>
#include <optional>

namespace lxcd::bus {

// org.lxcd1.Error.<Code>; AccessDenied uses the standard org.freedesktop.DBus.Error.AccessDenied.
sdbus::Error to_bus_error(const Error& e);

// Runs f; any lxcd::Error (or other std::exception) becomes an sdbus::Error.
template <typename F> auto translate(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const sdbus::Error&) {
        throw;
    } catch (const Error& e) {
        throw to_bus_error(e);
    } catch (const std::exception& e) {
        throw to_bus_error(Error(Errc::Failed, e.what()));
    }
}

} // namespace lxcd::bus
