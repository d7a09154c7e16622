#include "inet.hpp"

#include <algorithm>

#include <arpa/inet.h>

namespace lxcd::net {

in_addr ipv4_netmask(unsigned prefix) {
    // Shifting a 32-bit value by 32 is undefined, hence the special case.
    uint32_t host_order = prefix == 0 ? 0 : ~uint32_t{0} << (32 - std::min(prefix, 32u));
    return in_addr{htonl(host_order)};
}

in_addr ipv4_broadcast(const config::Ipv4Address& address) {
    if (address.broadcast)
        return *address.broadcast;
    return in_addr{address.addr.s_addr | ~ipv4_netmask(address.prefix).s_addr};
}

std::string to_string(const in_addr& addr) {
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &addr, buf, sizeof(buf));
    return buf;
}

std::string to_string(const in6_addr& addr) {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &addr, buf, sizeof(buf));
    return buf;
}

std::string to_string(const config::Ipv4Address& address) {
    return to_string(address.addr) + "/" + std::to_string(address.prefix);
}

std::string to_string(const config::Ipv6Address& address) {
    return to_string(address.addr) + "/" + std::to_string(address.prefix);
}

} // namespace lxcd::net
