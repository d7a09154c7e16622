// The unprivileged side of user_nic.hpp: an unprivileged container's supervisor asks
// the system lxcd (org.lxcd1.Manager.CreateUserNetworkDevices on the system bus) for
// the host-side devices of its lxc.net.N entries, instead of running LXC's setuid
// lxc-user-nic. It must call as the user itself (its uid on the host is what
// /etc/lxc/lxc-usernet is checked against), once the container's init exists.
#pragma once

#include <string>
#include <vector>

#include "config.hpp"

namespace lxcd::net {

struct HostNic {
    unsigned index = 0;    // N of lxc.net.N
    std::string host_name; // the host side, on lxc.net.N.link
    std::string name;      // inside the container, where it is down and unconfigured
};

// One veth per veth entry of nets (none/empty entries need nothing), the peer created
// in netns_fd (the container's /proc/PID/ns/net) under its lxc.net.N.name (default
// eth<K>), with lxc.net.N.hwaddr and mtu; deleted by lxcd when init_pidfd's process
// exits. Addresses, routes and flags are the caller's to set in its namespace.
// Throws Error: InvalidConfig for entries an unprivileged container cannot have
// (other types, veth.pair, router mode, host routes, VLANs, l2proxy), naming the key;
// lxcd's refusal with its code (QuotaExceeded, BridgeNotAllowed, AccessDenied, ...).
std::vector<HostNic> request_user_nics(int netns_fd, int init_pidfd, const std::string& container,
                                       const std::vector<config::Network>& nets);

} // namespace lxcd::net
