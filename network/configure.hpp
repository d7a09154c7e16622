// Configures a device inside the container: MAC, MTU, addresses, up, gateways.
#pragma once

#include "plan.hpp"

struct nl_sock;

namespace lxcd::net {

// container: a socket in the container's namespace; ifindex: the device there.
// The MTU of a veth pair is set when it is created, so set_mtu is false then.
void configure_interface(const NetPlan& plan, nl_sock* container, int ifindex, bool set_mtu);

// Brings the container's loopback up (every new network namespace needs it).
void bring_up_loopback(nl_sock* container);

} // namespace lxcd::net
