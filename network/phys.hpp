// lxc.net.N.type = phys: a host device moved into the container under its new
// name, and given back to the host as it came (name, MTU, MAC).
//
// Its origin is also written to a record file next to the supervisor's state: if
// the supervisor is killed before its teardown, lxcd (which keeps the container's
// network namespace open) gives the devices back from that record. Without that
// the kernel would delete a virtual device with the namespace, and push a real
// one into the initial namespace under its container name.
#pragma once

#include <cstdint>
#include <filesystem>
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

// The record file: one line "IFINDEX NAME MTU MAC|-" per device, replaced
// atomically. An empty list removes the file.
void write_phys_record(const std::filesystem::path& file, const std::vector<PhysOrigin>& origins);
// Throws Error(InvalidArgument) naming file:line for a malformed line; a
// missing file is an empty list.
std::vector<PhysOrigin> read_phys_record(const std::filesystem::path& file);

} // namespace lxcd::net
