// What a container's network needs on the host: router-mode host routes and
// proxy ARP/NDP, veth.ipv4/ipv6.route, and l2proxy neighbour entries.
#pragma once

#include "devices.hpp"

namespace lxcd::net {

// For veth: routes and proxies on the host side (they vanish with the veth).
void configure_veth_host_side(const NetPlan& plan, nl_sock* host);

// For l2proxy = 1: proxy entries for the container's addresses on `link`;
// their removal is recorded in undo.
void add_l2proxy_entries(const NetPlan& plan, nl_sock* host, UndoList& undo);

} // namespace lxcd::net
