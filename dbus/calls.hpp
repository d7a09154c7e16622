// What the Manager (by name) and Container (per object) interfaces share:
// caller checks and turning an asynchronous Container operation into a D-Bus reply.
#pragma once

#include "bus_errors.hpp"
#include "container.hpp"

#include <sdbus-c++/sdbus-c++.h>

namespace lxcd::bus {

// LXC's lxc-stop default: the halt signal gets 60 s before the stop signal.
inline constexpr unsigned kDefaultStopTimeout = 60;

// The uid of the caller of the method call being processed, from the bus daemon.
// Throws Error(AccessDenied) when it cannot be had.
uid_t caller_uid(const sdbus::IObject& object);

// Throws AccessDenied unless the message being processed comes from the daemon's own uid:
// root for the system lxcd, the user for a user's lxcd --user.
void require_root(const sdbus::IObject& object);

// Options of a{sv} arguments: the value of `key`, or the default when absent;
// Error(InvalidArgument) when it has another type.
using Options = std::map<std::string, sdbus::Variant>;
std::string string_option(const Options& options, const std::string& key);
bool bool_option(const Options& options, const std::string& key);
// nullopt when absent.
std::optional<uint32_t> u32_option(const Options& options, const std::string& key);

// A Container::Done that answers `result` (exactly once).
Container::Done reply_to(sdbus::Result<>&& result);

// A mutating asynchronous call: root only; op(done) starts the work and done answers it.
template <typename Op> void mutate(const sdbus::IObject& object, sdbus::Result<>&& result, Op op) {
    translate([&] {
        require_root(object);
        op(reply_to(std::move(result)));
    });
}

} // namespace lxcd::bus
