#include "fd_passing.hpp"

#include "error.hpp"
#include "supervisor_protocol.hpp"

#include <sys/socket.h>

#include <cstring>
#include <vector>

namespace lxcd::runtime {

namespace {

// A msghdr over one buffer with room for one SCM_RIGHTS descriptor.
struct FdMessage {
    FdMessage(void* data, size_t size) : iov{data, size} {
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
    }
    FdMessage(const FdMessage&) = delete;
    FdMessage& operator=(const FdMessage&) = delete;

    iovec iov;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
};

} // namespace

void send_with_fd(int sock, std::string_view text, int fd) {
    FdMessage m(const_cast<char*>(text.data()), text.size());
    msghdr& msg = m.msg;
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cm), &fd, sizeof(int));
    if (::sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
        throw_errno("send a file descriptor");
}

std::string recv_with_fd(int sock, UniqueFd& fd) {
    std::vector<char> buf(supervisor::kMaxMessage);
    FdMessage m(buf.data(), buf.size());
    msghdr& msg = m.msg;
    ssize_t n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0)
        throw_errno("receive a reply");
    if (n == 0)
        throw Error(Errc::Failed, "the supervisor closed the connection");
    for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            int received = -1;
            std::memcpy(&received, CMSG_DATA(cm), sizeof(int));
            fd.reset(received);
        }
    }
    return std::string(buf.data(), static_cast<size_t>(n));
}

} // namespace lxcd::runtime
