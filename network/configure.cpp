#include "configure.hpp"

#include <algorithm>
#include <cstring>

#include <linux/if.h>

#include "error.hpp"
#include "inet.hpp"
#include "netlink.hpp"
#include "routes.hpp"

namespace lxcd::net {

namespace {

class Configurator {
  public:
    Configurator(const NetPlan& p, nl_sock* sock, int ifindex)
        : p_(p), n_(*p.net), sock_(sock), ifindex_(ifindex) {}

    void run(bool set_mtu) {
        if (p_.hwaddr)
            set_hwaddr();
        if (set_mtu && n_.mtu)
            set_mtu_value();
        for (const auto& a : n_.ipv4)
            add_ipv4(a);
        for (const auto& a : n_.ipv6)
            add_ipv6(a);
        // Like LXC: gateways only go on an interface that is brought up.
        if (!n_.flags_up)
            return;
        change("flags", "bring it up", [](rtnl_link* c) { rtnl_link_set_flags(c, IFF_UP); });
        if (n_.ipv4_gateway)
            add_ipv4_gateway();
        if (n_.ipv6_gateway)
            add_ipv6_gateway();
    }

  private:
    template <typename Fn> void change(const std::string& key, const std::string& what, Fn fill) {
        LinkPtr orig = find_link(sock_, ifindex_);
        if (!orig)
            throw_net_error(n_, key, "\"" + p_.ifname + "\" vanished from the container");
        LinkPtr c = alloc_link(rtnl_link_alloc());
        fill(c.get());
        if (int err = rtnl_link_change(sock_, orig.get(), c.get(), 0); err < 0)
            throw_net_error(n_, key,
                            "cannot " + what + " on \"" + p_.ifname + "\": " + nl_geterror(err));
    }

    void set_hwaddr() {
        NlAddrPtr mac(nl_addr_build(AF_LLC, p_.hwaddr->data(), p_.hwaddr->size()));
        change("hwaddr", "set MAC address " + format_hwaddr(*p_.hwaddr),
               [&](rtnl_link* c) { rtnl_link_set_addr(c, mac.get()); });
    }

    void set_mtu_value() {
        change("mtu", "set MTU " + std::to_string(*n_.mtu),
               [&](rtnl_link* c) { rtnl_link_set_mtu(c, *n_.mtu); });
    }

    void add_address(const std::string& key, const std::string& text, NlAddrPtr local,
                     NlAddrPtr broadcast) {
        AddrPtr addr(rtnl_addr_alloc());
        if (!addr)
            throw Error(Errc::Failed, "cannot allocate a netlink address object");
        rtnl_addr_set_ifindex(addr.get(), ifindex_);
        rtnl_addr_set_local(addr.get(), local.get());
        if (broadcast)
            rtnl_addr_set_broadcast(addr.get(), broadcast.get());
        if (int err = rtnl_addr_add(sock_, addr.get(), 0); err < 0)
            throw_net_error(
                n_, key, "cannot add " + text + " to \"" + p_.ifname + "\": " + nl_geterror(err));
    }

    void add_ipv4(const config::Ipv4Address& a) {
        in_addr bcast = ipv4_broadcast(a);
        add_address("ipv4.address", to_string(a),
                    make_nl_addr(AF_INET, &a.addr, sizeof(a.addr), a.prefix),
                    make_nl_addr(AF_INET, &bcast, sizeof(bcast), 32));
    }

    void add_ipv6(const config::Ipv6Address& a) {
        add_address("ipv6.address", to_string(a),
                    make_nl_addr(AF_INET6, &a.addr, sizeof(a.addr), a.prefix), nullptr);
    }

    void route(const std::string& key, IpBytes dst, unsigned prefix, std::optional<IpBytes> gw,
               const std::string& what) {
        if (int err = add_route(sock_, dst, prefix, ifindex_, gw); err < 0)
            throw_net_error(
                n_, key, "cannot add " + what + " on \"" + p_.ifname + "\": " + nl_geterror(err));
    }

    bool ipv4_on_link(const in_addr& gw) const {
        for (const auto& a : n_.ipv4) {
            uint32_t mask = ipv4_netmask(a.prefix).s_addr;
            if ((a.addr.s_addr & mask) == (gw.s_addr & mask))
                return true;
        }
        return false;
    }

    bool ipv6_on_link(const in6_addr& gw) const {
        if (IN6_IS_ADDR_LINKLOCAL(&gw))
            return true;
        for (const auto& a : n_.ipv6) {
            unsigned bits = a.prefix;
            bool same = true;
            for (unsigned i = 0; i < 16 && bits > 0 && same; i++, bits -= std::min(bits, 8u)) {
                uint8_t mask = static_cast<uint8_t>(0xff00 >> std::min(bits, 8u));
                same = (a.addr.s6_addr[i] & mask) == (gw.s6_addr[i] & mask);
            }
            if (same)
                return true;
        }
        return false;
    }

    void add_ipv4_gateway() {
        static const in_addr any{};
        IpBytes dflt{AF_INET, &any, sizeof(any)};
        if (n_.ipv4_gateway->kind == config::Ipv4Gateway::Kind::Dev) {
            route("ipv4.gateway", dflt, 0, std::nullopt, "a default route");
            return;
        }
        const in_addr& gw = *p_.ipv4_gateway;
        IpBytes gw_bytes{AF_INET, &gw, sizeof(gw)};
        // A gateway outside every configured subnet (router mode) is made
        // reachable with an on-link host route first, as LXC does.
        if (!ipv4_on_link(gw))
            route("ipv4.gateway", gw_bytes, 32, std::nullopt, "a route to " + to_string(gw));
        route("ipv4.gateway", dflt, 0, gw_bytes, "a default route via " + to_string(gw));
    }

    void add_ipv6_gateway() {
        static const in6_addr any{};
        IpBytes dflt{AF_INET6, &any, sizeof(any)};
        if (n_.ipv6_gateway->kind == config::Ipv6Gateway::Kind::Dev) {
            route("ipv6.gateway", dflt, 0, std::nullopt, "a default route");
            return;
        }
        const in6_addr& gw = *p_.ipv6_gateway;
        IpBytes gw_bytes{AF_INET6, &gw, sizeof(gw)};
        if (!ipv6_on_link(gw))
            route("ipv6.gateway", gw_bytes, 128, std::nullopt, "a route to " + to_string(gw));
        route("ipv6.gateway", dflt, 0, gw_bytes, "a default route via " + to_string(gw));
    }

    const NetPlan& p_;
    const config::Network& n_;
    nl_sock* sock_;
    int ifindex_;
};

} // namespace

void configure_interface(const NetPlan& plan, nl_sock* container, int ifindex, bool set_mtu) {
    Configurator(plan, container, ifindex).run(set_mtu);
}

void bring_up_loopback(nl_sock* container) {
    LinkPtr lo = find_link(container, "lo");
    if (!lo)
        throw Error(Errc::Failed, "the container's network namespace has no loopback");
    LinkPtr up = alloc_link(rtnl_link_alloc());
    rtnl_link_set_flags(up.get(), IFF_UP);
    if (int err = rtnl_link_change(container, lo.get(), up.get(), 0); err < 0)
        throw_nl("cannot bring up the container's loopback", err);
}

} // namespace lxcd::net
