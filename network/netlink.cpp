#include "netlink.hpp"

#include <sched.h>
#include <thread>

#include <netlink/errno.h>

#include "error.hpp"

namespace lxcd::net {

void throw_nl(const std::string& what, int nlerr) {
    const Errc code = nlerr == -NLE_EXIST ? Errc::AlreadyExists : Errc::Failed;
    throw Error(code, what + ": " + nl_geterror(nlerr));
}

NlSocket open_route_socket() {
    NlSocket sock(nl_socket_alloc());
    if (!sock)
        throw Error(Errc::Failed, "cannot allocate a netlink socket");
    if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
        throw_nl("cannot open a rtnetlink socket", err);
    return sock;
}

NlSocket open_route_socket_in(int netns_fd) {
    NlSocket sock;
    int setns_errno = 0;
    std::exception_ptr failure;
    // Network namespaces are per thread: only this helper thread enters the
    // target namespace, and its socket stays bound there after it exits.
    std::thread worker([&] {
        if (setns(netns_fd, CLONE_NEWNET) < 0) {
            setns_errno = errno;
            return;
        }
        try {
            sock = open_route_socket();
        } catch (...) {
            failure = std::current_exception();
        }
    });
    worker.join();
    if (setns_errno)
        throw_errno("cannot enter the container's network namespace", setns_errno);
    if (failure)
        std::rethrow_exception(failure);
    return sock;
}

LinkPtr alloc_link(rtnl_link* raw) {
    if (!raw)
        throw Error(Errc::Failed, "cannot allocate a netlink link object");
    return LinkPtr(raw);
}

LinkPtr find_link(nl_sock* sock, const std::string& name) {
    rtnl_link* link = nullptr;
    int err = rtnl_link_get_kernel(sock, 0, name.c_str(), &link);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
        return nullptr;
    if (err < 0)
        throw_nl("cannot look up interface \"" + name + "\"", err);
    return LinkPtr(link);
}

LinkPtr find_link(nl_sock* sock, int ifindex) {
    rtnl_link* link = nullptr;
    int err = rtnl_link_get_kernel(sock, ifindex, nullptr, &link);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
        return nullptr;
    if (err < 0)
        throw_nl("cannot look up interface #" + std::to_string(ifindex), err);
    return LinkPtr(link);
}

NlAddrPtr make_nl_addr(int family, const void* data, size_t len, unsigned prefix) {
    NlAddrPtr addr(nl_addr_build(family, data, len));
    if (!addr)
        throw Error(Errc::Failed, "cannot allocate a netlink address");
    nl_addr_set_prefixlen(addr.get(), static_cast<int>(prefix));
    return addr;
}

} // namespace lxcd::net
