// Checks every lxc.net.N entry against the host before anything is created,
// and resolves what the entries leave open (names, random MACs, auto gateways).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <netinet/in.h>

#include "config.hpp"
#include "hwaddr.hpp"

struct nl_sock;

namespace lxcd::net {

// One lxc.net.N, validated and resolved.
struct NetPlan {
    const config::Network* net = nullptr;
    std::string ifname;                  // name inside the container
    std::string host_name;               // veth host side ("" for other types)
    int link_ifindex = 0;                // the host's `link` device, 0 if none
    std::optional<HwAddr> hwaddr;        // with its 'x' digits filled in
    std::optional<in_addr> ipv4_gateway; // Address or resolved Auto
    std::optional<in6_addr> ipv6_gateway;
    uint16_t bridge_default_pvid = 0; // veth.vlan.id: the bridge's default PVID
};

// "file:line: lxc.net.N.<key>" (the origin prefix only when it is known).
std::string net_key(const config::Network& net, const std::string& key);

// Throws Error(InvalidConfig, "<net_key>: message").
[[noreturn]] void throw_net_error(const config::Network& net, const std::string& key,
                                  const std::string& message);

// Validates and resolves every network against the host namespace that
// `host` is bound to. Throws naming the first offending key.
std::vector<NetPlan> plan_networks(const config::Config& config, nl_sock* host);

} // namespace lxcd::net
