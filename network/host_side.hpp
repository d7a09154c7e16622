// What a container's network needs on the host: router-mode host routes and
// proxy ARP/NDP, veth.ipv4/ipv6.route, and l2proxy neighbour entries.
#pragma once

#include "devices.hpp"
#include "host_record.hpp"

namespace lxcd::net {

// For veth: routes and proxies on the host side (they vanish with the veth).
void configure_veth_host_side(const NetPlan& plan, nl_sock* host);

// For l2proxy = 1: proxy entries for the container's addresses on `link`;
// each is appended to proxies and its removal recorded in undo.
void add_l2proxy_entries(const NetPlan& plan, nl_sock* host, UndoList& undo,
                         std::vector<ProxyEntry>& proxies);

// Deletes the entry if it is still there.
void remove_proxy_entry(nl_sock* host, const ProxyEntry& entry);

} // namespace lxcd::net
