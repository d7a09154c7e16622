#include "phys.hpp"

#include <cstring>

#include "error.hpp"
#include "netlink.hpp"

namespace lxcd::net {

namespace {

std::optional<HwAddr> link_hwaddr(rtnl_link* link) {
    nl_addr* a = rtnl_link_get_addr(link);
    if (!a || nl_addr_get_len(a) != sizeof(HwAddr))
        return std::nullopt;
    HwAddr mac;
    memcpy(mac.data(), nl_addr_get_binary_addr(a), mac.size());
    return mac;
}

// One change per attribute: a device that cannot change its MAC (ifb, some
// NICs) still gets its MTU back.
void restore_host_link(nl_sock* host, const PhysOrigin& origin) {
    LinkPtr back = find_link(host, origin.name);
    if (!back)
        return;
    std::optional<Error> first;
    auto change = [&](const std::string& what, auto fill) {
        LinkPtr c = alloc_link(rtnl_link_alloc());
        fill(c.get());
        if (int err = rtnl_link_change(host, back.get(), c.get(), 0); err < 0 && !first)
            first = Error(Errc::Failed, "cannot restore the " + what + " of \"" + origin.name +
                                            "\": " + nl_geterror(err));
    };
    if (origin.mtu && rtnl_link_get_mtu(back.get()) != origin.mtu)
        change("MTU", [&](rtnl_link* c) { rtnl_link_set_mtu(c, origin.mtu); });
    if (origin.mac && link_hwaddr(back.get()) != origin.mac) {
        NlAddrPtr mac(nl_addr_build(AF_LLC, origin.mac->data(), origin.mac->size()));
        change("MAC address", [&](rtnl_link* c) { rtnl_link_set_addr(c, mac.get()); });
    }
    if (first)
        throw *first;
}

} // namespace

void return_phys(const Namespaces& ns, const PhysOrigin& origin) {
    LinkPtr cur = find_link(ns.container, origin.ifindex);
    if (!cur)
        return; // the container deleted it; nothing left to return
    LinkPtr change = alloc_link(rtnl_link_alloc());
    rtnl_link_set_ns_fd(change.get(), ns.host_netns_fd);
    rtnl_link_set_name(change.get(), origin.name.c_str());
    if (int err = rtnl_link_change(ns.container, cur.get(), change.get(), 0); err < 0)
        throw_nl("cannot return \"" + std::string(rtnl_link_get_name(cur.get())) +
                     "\" to the host as \"" + origin.name + "\"",
                 err);
    restore_host_link(ns.host, origin);
}

int move_phys(const NetPlan& p, const Namespaces& ns, UndoList& undo,
              std::vector<PhysOrigin>& origins) {
    LinkPtr orig = find_link(ns.host, p.link_ifindex);
    if (!orig)
        throw_net_error(*p.net, "link", "interface \"" + p.net->link + "\" vanished");
    PhysOrigin origin{0, rtnl_link_get_name(orig.get()), rtnl_link_get_mtu(orig.get()),
                      link_hwaddr(orig.get())};

    // Moving and renaming in one request: the host name never clashes inside.
    LinkPtr change = alloc_link(rtnl_link_alloc());
    rtnl_link_set_ns_fd(change.get(), ns.container_netns_fd);
    rtnl_link_set_name(change.get(), p.ifname.c_str());
    if (int err = rtnl_link_change(ns.host, orig.get(), change.get(), 0); err < 0)
        throw_net_error(*p.net, "link",
                        "cannot move \"" + origin.name + "\" into the container as \"" + p.ifname +
                            "\": " + nl_geterror(err));
    LinkPtr moved = find_link(ns.container, p.ifname);
    if (!moved)
        throw_net_error(*p.net, "link",
                        "interface \"" + p.ifname + "\" vanished from the container");
    origin.ifindex = rtnl_link_get_ifindex(moved.get());
    origins.push_back(origin);
    undo.push_back([ns, origin] { return_phys(ns, origin); });
    return origin.ifindex;
}

} // namespace lxcd::net
