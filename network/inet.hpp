// IPv4/IPv6 address arithmetic and formatting for lxc.net.N.ipv4/ipv6 values.
#pragma once

#include <string>

#include <netinet/in.h>

#include "config.hpp"

namespace lxcd::net {

// The network mask of an IPv4 prefix length (0..32), network byte order.
in_addr ipv4_netmask(unsigned prefix);

// The broadcast address to configure: the explicit one, or (as LXC does) the
// address with every host bit set.
in_addr ipv4_broadcast(const config::Ipv4Address& address);

std::string to_string(const in_addr& addr);
std::string to_string(const in6_addr& addr);
std::string to_string(const config::Ipv4Address& address); // "ADDR/PREFIX"
std::string to_string(const config::Ipv6Address& address); // "ADDR/PREFIX"

} // namespace lxcd::net
