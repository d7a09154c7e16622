#include "host_side.hpp"

#include <cstring>

#include <netlink/errno.h>

#include "error.hpp"
#include "inet.hpp"
#include "netlink.hpp"
#include "routes.hpp"
#include "sysctl.hpp"

namespace lxcd::net {

namespace {

int host_ifindex(const NetPlan& p, nl_sock* host) {
    LinkPtr link = find_link(host, p.host_name);
    if (!link)
        throw_net_error(*p.net, "veth.pair", "\"" + p.host_name + "\" vanished from the host");
    return rtnl_link_get_ifindex(link.get());
}

void host_route(const NetPlan& p, nl_sock* host, int ifindex, const std::string& key, IpBytes dst,
                unsigned prefix, const std::string& text) {
    if (int err = add_route(host, dst, prefix, ifindex); err < 0)
        throw_net_error(*p.net, key,
                        "cannot add host route " + text + " via \"" + p.host_name +
                            "\": " + nl_geterror(err));
}

void enable(const NetPlan& p, const std::string& family, const std::string& name) {
    try {
        write_sysctl(conf_sysctl_path(family, p.host_name, name), "1");
    } catch (const Error& e) {
        throw_net_error(*p.net, "veth.mode", e.what());
    }
}

// Router mode: the host routes each container address to the veth and answers
// ARP/NDP for the container's gateway on it.
void configure_router(const NetPlan& p, nl_sock* host, int ifindex) {
    const auto& n = *p.net;
    for (const auto& a : n.ipv4)
        host_route(p, host, ifindex, "ipv4.address", {AF_INET, &a.addr, sizeof(a.addr)}, 32,
                   to_string(a.addr) + "/32");
    for (const auto& a : n.ipv6)
        host_route(p, host, ifindex, "ipv6.address", {AF_INET6, &a.addr, sizeof(a.addr)}, 128,
                   to_string(a.addr) + "/128");
    if (p.ipv4_gateway) {
        enable(p, "ipv4", "proxy_arp");
        enable(p, "ipv4", "forwarding");
    }
    if (p.ipv6_gateway) {
        enable(p, "ipv6", "proxy_ndp");
        enable(p, "ipv6", "forwarding");
        const in6_addr& gw = *p.ipv6_gateway;
        if (int err = add_proxy_neigh(host, {AF_INET6, &gw, sizeof(gw)}, ifindex); err < 0)
            throw_net_error(n, "ipv6.gateway",
                            "cannot add a proxy NDP entry for " + to_string(gw) + " on \"" +
                                p.host_name + "\": " + nl_geterror(err));
    }
}

} // namespace

void configure_veth_host_side(const NetPlan& p, nl_sock* host) {
    const auto& n = *p.net;
    if (n.veth_mode != "router" && n.veth_ipv4_routes.empty() && n.veth_ipv6_routes.empty())
        return;
    const int ifindex = host_ifindex(p, host);
    if (n.veth_mode == "router")
        configure_router(p, host, ifindex);
    for (const auto& r : n.veth_ipv4_routes)
        host_route(p, host, ifindex, "veth.ipv4.route", {AF_INET, &r.dst, sizeof(r.dst)}, r.prefix,
                   to_string(r.dst) + "/" + std::to_string(r.prefix));
    for (const auto& r : n.veth_ipv6_routes)
        host_route(p, host, ifindex, "veth.ipv6.route", {AF_INET6, &r.dst, sizeof(r.dst)}, r.prefix,
                   to_string(r.dst) + "/" + std::to_string(r.prefix));
}

void remove_proxy_entry(nl_sock* host, const ProxyEntry& entry) {
    int err = delete_proxy_neigh(host, entry.bytes(), entry.ifindex);
    if (err < 0 && err != -NLE_OBJ_NOTFOUND)
        throw_nl("cannot delete the proxy entry for " + entry.address(), err);
}

void add_l2proxy_entries(const NetPlan& p, nl_sock* host, UndoList& undo,
                         std::vector<ProxyEntry>& proxies) {
    const auto& n = *p.net;
    if (!n.l2proxy)
        return;
    LinkPtr link = find_link(host, n.link);
    if (!link)
        throw_net_error(n, "link", "interface \"" + n.link + "\" does not exist");
    const int ifindex = rtnl_link_get_ifindex(link.get());

    auto add = [&](int family, const auto& addr) {
        ProxyEntry entry{ifindex, family, {}};
        memcpy(entry.addr.data(), &addr, sizeof(addr));
        if (int err = add_proxy_neigh(host, entry.bytes(), ifindex); err < 0)
            throw_net_error(n, "l2proxy",
                            "cannot add a proxy entry for " + to_string(addr) + " on \"" + n.link +
                                "\": " + nl_geterror(err));
        proxies.push_back(entry);
        undo.push_back([host, entry] { remove_proxy_entry(host, entry); });
    };
    for (const auto& a : n.ipv4)
        add(AF_INET, a.addr);
    for (const auto& a : n.ipv6)
        add(AF_INET6, a.addr);
}

} // namespace lxcd::net
