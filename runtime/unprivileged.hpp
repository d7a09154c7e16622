// What a start by a non-root user needs (seed 002): its own user namespace with maps
// within its /etc/subuid and /etc/subgid ranges, no host network device but a veth on a
// bridge from the system lxcd, and a rootfs the container's root can reach. Checked
// before anything is cloned, so a refusal leaves nothing.
#pragma once

#include "config.hpp"
#include "namespaces.hpp"

namespace lxcd::runtime {

// True when lxcd runs without root privileges (as a user's own lxcd or supervisor).
bool unprivileged();

// Throws Error(InvalidConfig) naming the lxc.net.N key (file:line where known) that an
// unprivileged container cannot have: a type other than veth, empty and none; a veth
// without a bridge (link); what only root may ask for on the host side (veth.pair,
// router mode, host routes, VLANs, l2proxy) or scripts.
void check_unprivileged_network(const config::Network& net);

// Throws Error(InvalidConfig) naming the key (file:line where known) that an
// unprivileged start cannot honour.
void check_unprivileged_start(const config::Config& cfg, const NamespacePlan& plan);

} // namespace lxcd::runtime
