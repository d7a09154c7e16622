// What the Manager (by name) and Container (per object) interfaces share:
// caller checks and turning an asynchronous Container operation into a D-Bus reply.
#pragma once

#include "container.hpp"

#include <sdbus-c++/sdbus-c++.h>

namespace lxcd::bus {

// LXC's lxc-stop default: the halt signal gets 60 s before the stop signal.
inline constexpr unsigned kDefaultStopTimeout = 60;

// Throws AccessDenied unless the message being processed comes from uid 0.
void require_root(const sdbus::IObject& object);

// A Container::Done that answers `result` (exactly once).
Container::Done reply_to(sdbus::Result<>&& result);

} // namespace lxcd::bus
