#include "devices.hpp"

#include <linux/if.h>
#include <linux/if_link.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vlan.h>

#include "bridge_vlan.hpp"
#include "error.hpp"
#include "hwaddr.hpp"
#include "netlink.hpp"
#include "phys.hpp"

namespace lxcd::net {

void delete_link(nl_sock* sock, int ifindex, const std::string& name) {
    LinkPtr link = find_link(sock, ifindex);
    if (!link || (!name.empty() && name != rtnl_link_get_name(link.get())))
        return;
    int err = rtnl_link_delete(sock, link.get());
    if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV)
        throw_nl("cannot delete interface \"" + std::string(rtnl_link_get_name(link.get())) + "\"",
                 err);
}

namespace {

// Index of a device just created in (or moved to) the container.
int container_ifindex(const NetPlan& p, const Namespaces& ns) {
    LinkPtr link = find_link(ns.container, p.ifname);
    if (!link)
        throw_net_error(*p.net, "type",
                        "interface \"" + p.ifname + "\" vanished from the container");
    return rtnl_link_get_ifindex(link.get());
}

// Applies `change` to the host link ifindex; on failure throws naming key.
void change_host_link(const Namespaces& ns, const NetPlan& p, int ifindex, rtnl_link* change,
                      const std::string& key, const std::string& what) {
    LinkPtr orig = find_link(ns.host, ifindex);
    if (!orig)
        throw_net_error(*p.net, key, "host interface vanished while " + what);
    if (int err = rtnl_link_change(ns.host, orig.get(), change, 0); err < 0)
        throw_net_error(*p.net, key, std::string("cannot ") + what + ": " + nl_geterror(err));
}

// veth.vlan.id / veth.vlan.tagged.id on the container's bridge port.
void configure_port_vlans(const NetPlan& p, nl_sock* host, int port) {
    const auto& n = *p.net;
    auto fail = [&](const std::string& key, const std::string& what, int err) {
        throw_net_error(n, key,
                        "cannot " + what + " on \"" + p.host_name + "\": " + nl_geterror(err));
    };
    if (n.veth_vlan_id) {
        const int32_t vid = *n.veth_vlan_id;
        const uint16_t dflt = p.bridge_default_pvid;
        if (dflt && vid != dflt) {
            if (int err = bridge_port_vlan_del(host, port, dflt); err < 0)
                fail("veth.vlan.id", "remove default VLAN " + std::to_string(dflt), err);
        }
        if (vid != config::Network::kVlanNone) {
            if (int err = bridge_port_vlan_add(host, port, static_cast<uint16_t>(vid), true);
                err < 0)
                fail("veth.vlan.id", "add untagged VLAN " + std::to_string(vid), err);
        }
    }
    for (uint16_t vid : n.veth_vlan_tagged_ids) {
        if (int err = bridge_port_vlan_add(host, port, vid, false); err < 0)
            fail("veth.vlan.tagged.id", "add tagged VLAN " + std::to_string(vid), err);
    }
}

int create_veth(const NetPlan& p, const Namespaces& ns, UndoList& undo) {
    const auto& n = *p.net;
    LinkPtr veth = alloc_link(rtnl_link_veth_alloc());
    LinkPtr peer(rtnl_link_veth_get_peer(veth.get()));
    rtnl_link_set_name(veth.get(), p.host_name.c_str());
    HwAddr host_mac = host_veth_hwaddr();
    NlAddrPtr host_mac_addr(nl_addr_build(AF_LLC, host_mac.data(), host_mac.size()));
    rtnl_link_set_addr(veth.get(), host_mac_addr.get());

    // Both ends use the configured MTU, else the bridge's, as LXC does.
    uint32_t mtu = n.mtu.value_or(0);
    if (!mtu && p.link_ifindex) {
        if (LinkPtr bridge = find_link(ns.host, p.link_ifindex))
            mtu = rtnl_link_get_mtu(bridge.get());
    }
    if (mtu) {
        rtnl_link_set_mtu(veth.get(), mtu);
        rtnl_link_set_mtu(peer.get(), mtu);
    }
    // The peer is born in the container's namespace: nothing to move or rename.
    rtnl_link_set_name(peer.get(), p.ifname.c_str());
    rtnl_link_set_ns_fd(peer.get(), ns.container_netns_fd);

    if (int err = rtnl_link_add(ns.host, veth.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0)
        throw_net_error(n,
                        err == -NLE_INVAL && n.mtu ? "mtu"
                        : n.veth_pair.empty()      ? "type"
                                                   : "veth.pair",
                        "cannot create veth pair \"" + p.host_name + "\" / \"" + p.ifname + "\"" +
                            (mtu ? " with MTU " + std::to_string(mtu) : "") + ": " +
                            nl_geterror(err));

    LinkPtr host_link = find_link(ns.host, p.host_name);
    if (!host_link)
        throw_net_error(n, "veth.pair", "\"" + p.host_name + "\" vanished after creation");
    const int host_ifindex = rtnl_link_get_ifindex(host_link.get());
    undo.push_back([sock = ns.host, host_ifindex, name = p.host_name] {
        delete_link(sock, host_ifindex, name);
    });

    if (p.link_ifindex) {
        if (int err = rtnl_link_enslave_ifindex(ns.host, p.link_ifindex, host_ifindex); err < 0)
            throw_net_error(n, "link",
                            "cannot attach \"" + p.host_name + "\" to bridge \"" + n.link +
                                "\": " + nl_geterror(err));
    }
    configure_port_vlans(p, ns.host, host_ifindex);
    LinkPtr up = alloc_link(rtnl_link_alloc());
    rtnl_link_set_flags(up.get(), IFF_UP);
    change_host_link(ns, p, host_ifindex, up.get(), "veth.pair",
                     "bring up \"" + p.host_name + "\"");
    return container_ifindex(p, ns);
}

// The kernel answers EOPNOTSUPP for a link kind it has no driver for.
std::string kind_hint(int nlerr) {
    return nlerr == -NLE_OPNOTSUPP ? " (does the kernel have this driver?)" : "";
}

// macvlan, vlan: created on the host's `link` but registered directly in the
// container's namespace under the final name.
int create_stacked(const NetPlan& p, const Namespaces& ns, LinkPtr link, UndoList& undo) {
    rtnl_link_set_link(link.get(), p.link_ifindex);
    rtnl_link_set_name(link.get(), p.ifname.c_str());
    rtnl_link_set_ns_fd(link.get(), ns.container_netns_fd);
    if (int err = rtnl_link_add(ns.host, link.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0)
        throw_net_error(*p.net, "type",
                        "cannot create " + p.net->type + " \"" + p.ifname + "\" on \"" +
                            p.net->link + "\": " + nl_geterror(err) + kind_hint(err));
    int ifindex = container_ifindex(p, ns);
    undo.push_back([sock = ns.container, ifindex] { delete_link(sock, ifindex); });
    return ifindex;
}

int create_macvlan(const NetPlan& p, const Namespaces& ns, UndoList& undo) {
    LinkPtr link = alloc_link(rtnl_link_macvlan_alloc());
    const std::string& mode = p.net->macvlan_mode.empty() ? "private" : p.net->macvlan_mode;
    rtnl_link_macvlan_set_mode(link.get(), rtnl_link_macvlan_str2mode(mode.c_str()));
    return create_stacked(p, ns, std::move(link), undo);
}

int create_vlan(const NetPlan& p, const Namespaces& ns, UndoList& undo) {
    LinkPtr link = alloc_link(rtnl_link_vlan_alloc());
    rtnl_link_vlan_set_id(link.get(), *p.net->vlan_id);
    return create_stacked(p, ns, std::move(link), undo);
}

using NlMsgPtr = std::unique_ptr<nl_msg, detail::Deleter<nlmsg_free>>;

// libnl 3.7 cannot set ipvlan isolation flags, so this one request is built
// by hand with libnl's message helpers.
int create_ipvlan(const NetPlan& p, const Namespaces& ns, UndoList& undo) {
    const auto& n = *p.net;
    uint16_t mode = n.ipvlan_mode == "l2"    ? IPVLAN_MODE_L2
                    : n.ipvlan_mode == "l3s" ? IPVLAN_MODE_L3S
                                             : IPVLAN_MODE_L3;
    uint16_t flags = n.ipvlan_isolation == "private" ? IPVLAN_F_PRIVATE
                     : n.ipvlan_isolation == "vepa"  ? IPVLAN_F_VEPA
                                                     : 0;
    NlMsgPtr msg(nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL));
    if (!msg)
        throw Error(Errc::Failed, "cannot allocate a netlink message");
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    nlattr* info = nullptr;
    nlattr* data = nullptr;
    bool ok =
        nlmsg_append(msg.get(), &ifi, sizeof(ifi), NLMSG_ALIGNTO) == 0 &&
        nla_put_string(msg.get(), IFLA_IFNAME, p.ifname.c_str()) == 0 &&
        nla_put_u32(msg.get(), IFLA_LINK, static_cast<uint32_t>(p.link_ifindex)) == 0 &&
        nla_put_u32(msg.get(), IFLA_NET_NS_FD, static_cast<uint32_t>(ns.container_netns_fd)) == 0 &&
        (info = nla_nest_start(msg.get(), IFLA_LINKINFO)) &&
        nla_put_string(msg.get(), IFLA_INFO_KIND, "ipvlan") == 0 &&
        (data = nla_nest_start(msg.get(), IFLA_INFO_DATA)) &&
        nla_put_u16(msg.get(), IFLA_IPVLAN_MODE, mode) == 0 &&
        nla_put_u16(msg.get(), IFLA_IPVLAN_FLAGS, flags) == 0 &&
        nla_nest_end(msg.get(), data) == 0 && nla_nest_end(msg.get(), info) == 0;
    if (!ok)
        throw Error(Errc::Failed, "cannot build the ipvlan creation request");
    // nl_send_sync frees the message whatever happens.
    if (int err = nl_send_sync(ns.host, msg.release()); err < 0)
        throw_net_error(n, "type",
                        "cannot create ipvlan \"" + p.ifname + "\" on \"" + n.link +
                            "\": " + nl_geterror(err) + kind_hint(err));
    int ifindex = container_ifindex(p, ns);
    undo.push_back([sock = ns.container, ifindex] { delete_link(sock, ifindex); });
    return ifindex;
}

} // namespace

int create_device(const NetPlan& plan, const Namespaces& ns, UndoList& undo,
                  std::vector<PhysOrigin>& phys) {
    const std::string& type = plan.net->type;
    if (type == "veth")
        return create_veth(plan, ns, undo);
    if (type == "macvlan")
        return create_macvlan(plan, ns, undo);
    if (type == "ipvlan")
        return create_ipvlan(plan, ns, undo);
    if (type == "vlan")
        return create_vlan(plan, ns, undo);
    return move_phys(plan, ns, undo, phys);
}

} // namespace lxcd::net
