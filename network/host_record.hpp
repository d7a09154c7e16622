// What a container's network holds on the host outside the container's namespace:
// phys devices to give back and l2proxy entries to delete. The supervisor keeps it
// in a file next to its state until its teardown; if it is killed first, lxcd
// undoes what the file lists (reclaim_host_network in network.hpp). Without that a
// phys device would be deleted with the namespace (a virtual one) or pushed into
// the initial namespace under its container name (a real one), and proxy entries
// would stay on the host's link for good.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "phys.hpp"
#include "routes.hpp"

namespace lxcd::net {

// A proxy ARP/NDP entry for a container address on the host's `link`.
struct ProxyEntry {
    int ifindex = 0;
    int family = 0; // AF_INET or AF_INET6
    std::array<uint8_t, 16> addr{};

    IpBytes bytes() const;
    std::string address() const; // "10.0.3.10", "fd00::10"
};

struct HostRecord {
    std::vector<PhysOrigin> phys;
    std::vector<ProxyEntry> proxies;

    bool empty() const { return phys.empty() && proxies.empty(); }
};

// One line per item, "phys IFINDEX NAME MTU MAC|-" or "proxy IFINDEX ADDRESS";
// the file is replaced atomically, and removed when the record is empty.
void write_host_record(const std::filesystem::path& file, const HostRecord& record);

// A missing file is an empty record. Throws Error(InvalidArgument) naming
// file:line for a malformed line.
HostRecord read_host_record(const std::filesystem::path& file);

} // namespace lxcd::net
