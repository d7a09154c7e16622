#include "owned_netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <cerrno>
#include <string>

#include "error.hpp"
#include "fd_passing.hpp"
#include "process.hpp"

namespace lxcd::net {

namespace {

// Each answer of the helper: an fd, or "ERRNO STEP" without one.
constexpr const char* kJoin = "join the container's user and network namespaces";
constexpr const char* kOpen = "open the container's network namespace";
constexpr const char* kSocket = "open a netlink socket in the container's network namespace";

void send_failure(int channel, const char* step, int err) {
    std::string text = std::to_string(err) + " " + step;
    ::send(channel, text.data(), text.size(), MSG_NOSIGNAL);
}

int open_bound_route_socket() {
    int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK; // port 0: the kernel picks one, as libnl reads it back
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) < 0) {
        int err = errno;
        ::close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

// The forked helper: the parent may have threads, so it does little beyond system calls.
[[noreturn]] void helper(int init_pidfd, int channel) noexcept {
    try {
        if (::setns(init_pidfd, CLONE_NEWUSER | CLONE_NEWNET) < 0) {
            send_failure(channel, kJoin, errno);
            ::_exit(1);
        }
        UniqueFd netns(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
        if (!netns) {
            send_failure(channel, kOpen, errno);
            ::_exit(1);
        }
        runtime::send_with_fd(channel, "netns", netns.get());
        UniqueFd sock(open_bound_route_socket());
        if (!sock) {
            send_failure(channel, kSocket, errno);
            ::_exit(1);
        }
        runtime::send_with_fd(channel, "socket", sock.get());
        ::_exit(0);
    } catch (...) {
        ::_exit(1); // the parent reports the missing answer
    }
}

UniqueFd receive_fd(int channel) {
    UniqueFd fd;
    std::string text;
    try {
        text = runtime::recv_with_fd(channel, fd);
    } catch (const Error&) {
        throw Error(Errc::Failed, "the helper joining the container's namespaces gave no answer");
    }
    if (fd)
        return fd;
    size_t space = text.find(' ');
    throw_errno(space == std::string::npos ? text : text.substr(space + 1),
                std::stoi(text.substr(0, space)));
}

NlSocket adopt_route_socket(UniqueFd fd) {
    NlSocket sock(nl_socket_alloc());
    if (!sock)
        throw Error(Errc::Failed, "cannot allocate a netlink socket");
    if (int err = nl_socket_set_fd(sock.get(), NETLINK_ROUTE, fd.get()); err < 0)
        throw_nl("cannot use the container's netlink socket", err);
    fd.release(); // the nl_sock closes it now
    return sock;
}

} // namespace

UniqueFd open_pidfd(pid_t pid) {
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd)
        throw_errno("cannot get a pidfd of process " + std::to_string(pid));
    return pidfd;
}

OwnedNetns open_owned_netns(int init_pidfd) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
        throw_errno("socketpair");
    UniqueFd ours(pair[0]), theirs(pair[1]);
    pid_t pid = ::fork();
    if (pid < 0)
        throw_errno("fork");
    if (pid == 0)
        helper(init_pidfd, theirs.get());
    theirs.reset(); // EOF once the helper is gone
    OwnedNetns ns;
    try {
        ns.netns = receive_fd(ours.get());
        ns.sock = adopt_route_socket(receive_fd(ours.get()));
    } catch (...) {
        runtime::wait_for(pid);
        throw;
    }
    runtime::wait_for(pid);
    return ns;
}

} // namespace lxcd::net
