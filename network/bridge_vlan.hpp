// veth.vlan.id / veth.vlan.tagged.id: VLAN membership of a container's port on
// a VLAN-filtering bridge. libnl 3.7 has no API for either the bridge's VLAN
// settings or port VLANs, so these requests are built with libnl's message
// helpers.
#pragma once

#include <cstdint>

struct nl_sock;

namespace lxcd::net {

struct BridgeVlanSettings {
    bool filtering = false;
    uint16_t default_pvid = 0;
};

// The bridge ifindex's vlan_filtering and default_pvid, read over rtnetlink
// (sysfs would show another namespace's bridges when we are not in its netns).
BridgeVlanSettings bridge_vlan_settings(int bridge_ifindex);

// Adds / removes VLAN vid on bridge port ifindex; untagged also makes it the
// port's PVID. Return 0 or a negative libnl error.
int bridge_port_vlan_add(nl_sock* sock, int port_ifindex, uint16_t vid, bool untagged);
int bridge_port_vlan_del(nl_sock* sock, int port_ifindex, uint16_t vid);

} // namespace lxcd::net
