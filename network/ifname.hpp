// Interface names: generated host-side veth names and in-container names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "hwaddr.hpp"

namespace lxcd::net {

// Linux limit (IFNAMSIZ - 1).
inline constexpr size_t kMaxIfnameLen = 15;

// True if the kernel accepts name as an interface name.
bool is_valid_ifname(std::string_view name);

// "veth" + 6 random alphanumerics, like LXC's vethXXXXXX.
std::string random_veth_name(const RandomByte& rnd = random_byte);

// True for types that put an interface into the container's namespace.
bool creates_interface(const std::string& type);

// The in-container name of every network, in config order ("" for types
// without an interface). Unnamed interfaces get the lowest eth<K> that no
// other interface uses, so they come out eth0, eth1, ... in config order.
std::vector<std::string> container_ifnames(const std::vector<config::Network>& networks);

} // namespace lxcd::net
