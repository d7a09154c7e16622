// Routes and proxy-neighbour entries over rtnetlink.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

struct nl_sock;

namespace lxcd::net {

// An address of either family as raw bytes (in_addr or in6_addr).
struct IpBytes {
    int family = 0;
    const void* data = nullptr;
    size_t len = 0;
};

// Adds dst/prefix (prefix 0 = default route) on ifindex in the main table,
// via gateway when given, else as a link-scope (on-link) route.
// Returns 0 or a negative libnl error.
int add_route(nl_sock* sock, IpBytes dst, unsigned prefix, int ifindex,
              std::optional<IpBytes> gateway = std::nullopt);

// Adds / deletes a proxy ARP (IPv4) or proxy NDP (IPv6) entry for addr on ifindex.
int add_proxy_neigh(nl_sock* sock, IpBytes addr, int ifindex);
int delete_proxy_neigh(nl_sock* sock, IpBytes addr, int ifindex);

} // namespace lxcd::net
