// What D-Bus and lxcctl read from a running container's network namespace: its
// current addresses and traffic counters.
#include <fcntl.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/rtnetlink.h>

#include "error.hpp"
#include "fd.hpp"
#include "netlink.hpp"
#include "network.hpp"
#include "owned_netns.hpp"
#include "unprivileged.hpp"

namespace lxcd::net {

namespace {

// Readers of D-Bus properties must not hang on a stuck kernel reply.
void limit_wait(nl_sock* sock) {
    timeval timeout{1, 0};
    if (setsockopt(nl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
        throw_errno("cannot set a netlink receive timeout");
}

CachePtr fill_cache(int (*alloc)(nl_sock*, nl_cache**), nl_sock* sock, const char* what) {
    nl_cache* raw = nullptr;
    if (int err = alloc(sock, &raw); err < 0)
        throw_nl(std::string("cannot list the container's ") + what, err);
    return CachePtr(raw);
}

int link_cache_alloc(nl_sock* sock, nl_cache** cache) {
    return rtnl_link_alloc_cache(sock, AF_UNSPEC, cache);
}

// A user's lxcd may not enter its containers' namespaces itself, but owns them.
NlSocket socket_in_netns_of(pid_t init_pid) {
    if (runtime::unprivileged()) {
        return open_owned_netns(open_pidfd(init_pid).get()).sock;
    }
    const std::string path = "/proc/" + std::to_string(init_pid) + "/ns/net";
    UniqueFd netns(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns)
        throw_errno("cannot open " + path);
    return open_route_socket_in(netns.get());
}

} // namespace

LiveNetworkReader::LiveNetworkReader(pid_t init_pid) : sock_(nullptr, nl_socket_free) {
    NlSocket sock = socket_in_netns_of(init_pid);
    limit_wait(sock.get());
    sock_.reset(sock.release());
}

LiveNetwork LiveNetworkReader::read() {
    CachePtr links = fill_cache(link_cache_alloc, sock_.get(), "interfaces");
    CachePtr addrs = fill_cache(rtnl_addr_alloc_cache, sock_.get(), "addresses");
    LiveNetwork live;
    for (nl_object* o = nl_cache_get_first(links.get()); o; o = nl_cache_get_next(o)) {
        auto* link = reinterpret_cast<rtnl_link*>(o);
        if (rtnl_link_get_flags(link) & IFF_LOOPBACK)
            continue;
        live.traffic.rx_bytes += rtnl_link_get_stat(link, RTNL_LINK_RX_BYTES);
        live.traffic.tx_bytes += rtnl_link_get_stat(link, RTNL_LINK_TX_BYTES);
    }
    for (nl_object* o = nl_cache_get_first(addrs.get()); o; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o);
        nl_addr* local = rtnl_addr_get_local(a);
        int family = rtnl_addr_get_family(a);
        if (!local || (family != AF_INET && family != AF_INET6))
            continue;
        if (family == AF_INET6 && rtnl_addr_get_scope(a) == RT_SCOPE_LINK)
            continue;
        LinkPtr link(rtnl_link_get(links.get(), rtnl_addr_get_ifindex(a)));
        if (!link || (rtnl_link_get_flags(link.get()) & IFF_LOOPBACK))
            continue;
        char buf[INET6_ADDRSTRLEN + 8];
        (family == AF_INET ? live.ipv4 : live.ipv6)
            .emplace_back(nl_addr2str(local, buf, sizeof(buf)));
    }
    return live;
}

} // namespace lxcd::net
