// lxc.net.N.type = phys: a host device moved into the container under its new
// name, and given back to the host as it came (name, MTU, MAC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devices.hpp"
#include "hwaddr.hpp"

namespace lxcd::net {

// What a phys device looked like on the host, and where it is in the container.
struct PhysOrigin {
    int ifindex = 0; // inside the container
    std::string name;
    uint32_t mtu = 0;
    std::optional<HwAddr> mac;
};

// Moves plan's `link` into the container as plan.ifname; records its origin in
// origins and its return in undo. Returns its ifindex in the container.
int move_phys(const NetPlan& plan, const Namespaces& ns, UndoList& undo,
              std::vector<PhysOrigin>& origins);

// Gives the device back to the host under its original name, then restores
// its MTU and MAC where the container changed them. Nothing to do if the
// device is gone from the container.
void return_phys(const Namespaces& ns, const PhysOrigin& origin);

} // namespace lxcd::net
