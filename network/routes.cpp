#include "routes.hpp"

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "error.hpp"
#include "netlink.hpp"

namespace lxcd::net {

int add_route(nl_sock* sock, IpBytes dst, unsigned prefix, int ifindex,
              std::optional<IpBytes> gateway) {
    RoutePtr route(rtnl_route_alloc());
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    if (!route || !nh) {
        if (nh)
            rtnl_route_nh_free(nh);
        throw Error(Errc::Failed, "cannot allocate a netlink route");
    }
    rtnl_route_set_family(route.get(), static_cast<uint8_t>(dst.family));
    rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
    rtnl_route_set_protocol(route.get(), RTPROT_STATIC);
    rtnl_route_set_scope(route.get(), gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
    NlAddrPtr dst_addr = make_nl_addr(dst.family, dst.data, dst.len, prefix);
    rtnl_route_set_dst(route.get(), dst_addr.get());

    rtnl_route_nh_set_ifindex(nh, ifindex);
    NlAddrPtr gw_addr;
    if (gateway) {
        gw_addr = make_nl_addr(gateway->family, gateway->data, gateway->len, gateway->len * 8);
        rtnl_route_nh_set_gateway(nh, gw_addr.get());
    }
    rtnl_route_add_nexthop(route.get(), nh); // the route owns nh from here
    return rtnl_route_add(sock, route.get(), NLM_F_CREATE | NLM_F_EXCL);
}

namespace {

NeighPtr proxy_neigh(IpBytes addr, int ifindex) {
    NeighPtr neigh(rtnl_neigh_alloc());
    if (!neigh)
        throw Error(Errc::Failed, "cannot allocate a netlink neighbour");
    NlAddrPtr dst = make_nl_addr(addr.family, addr.data, addr.len, addr.len * 8);
    rtnl_neigh_set_ifindex(neigh.get(), ifindex);
    rtnl_neigh_set_dst(neigh.get(), dst.get());
    rtnl_neigh_set_flags(neigh.get(), NTF_PROXY);
    return neigh;
}

} // namespace

int add_proxy_neigh(nl_sock* sock, IpBytes addr, int ifindex) {
    NeighPtr neigh = proxy_neigh(addr, ifindex);
    return rtnl_neigh_add(sock, neigh.get(), NLM_F_CREATE | NLM_F_REPLACE);
}

int delete_proxy_neigh(nl_sock* sock, IpBytes addr, int ifindex) {
    NeighPtr neigh = proxy_neigh(addr, ifindex);
    return rtnl_neigh_delete(sock, neigh.get(), 0);
}

} // namespace lxcd::net
