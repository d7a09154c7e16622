// Thin RAII layer over libnl-3 / libnl-route-3: owned objects, sockets bound to
// a given network namespace, and libnl error codes turned into lxcd::Error.
#pragma once

#include <memory>
#include <string>

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

namespace lxcd::net {

namespace detail {
template <auto Fn> struct Deleter {
    template <typename T> void operator()(T* p) const noexcept { Fn(p); }
};
} // namespace detail

using NlSocket = std::unique_ptr<nl_sock, detail::Deleter<nl_socket_free>>;
using LinkPtr = std::unique_ptr<rtnl_link, detail::Deleter<rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, detail::Deleter<rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, detail::Deleter<rtnl_route_put>>;
using NeighPtr = std::unique_ptr<rtnl_neigh, detail::Deleter<rtnl_neigh_put>>;
using NlAddrPtr = std::unique_ptr<nl_addr, detail::Deleter<nl_addr_put>>;
using CachePtr = std::unique_ptr<nl_cache, detail::Deleter<nl_cache_free>>;

// Throws lxcd::Error "what: <libnl message>"; nlerr is a (negative) libnl code.
[[noreturn]] void throw_nl(const std::string& what, int nlerr);

// A NETLINK_ROUTE socket in the caller's network namespace.
NlSocket open_route_socket();

// A NETLINK_ROUTE socket living in the network namespace netns_fd refers to.
// A socket keeps the namespace it was created in, so it is created on a
// short-lived thread that setns()es there; the calling thread never moves.
NlSocket open_route_socket_in(int netns_fd);

// Takes ownership of a link object just allocated by libnl (rtnl_link_alloc,
// rtnl_link_veth_alloc, ...); throws if the allocation failed.
LinkPtr alloc_link(rtnl_link* raw);

// The link called name / with index ifindex, or null when there is none.
LinkPtr find_link(nl_sock* sock, const std::string& name);
LinkPtr find_link(nl_sock* sock, int ifindex);

// Wraps raw bytes (e.g. an in_addr) as an nl_addr with the given prefix length.
NlAddrPtr make_nl_addr(int family, const void* data, size_t len, unsigned prefix);

} // namespace lxcd::net
