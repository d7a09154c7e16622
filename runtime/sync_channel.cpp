#include "sync_channel.hpp"

#include "error.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace lxcd::runtime {

namespace {
constexpr size_t max_message = 4096;
constexpr size_t max_fds = 64;
} // namespace

void SyncChannel::send(SyncMsg msg, std::string_view text, std::span<const int> fds) const {
    if (fds.size() > max_fds)
        throw Error(Errc::InvalidArgument, "start handshake: too many file descriptors (" +
                                               std::to_string(fds.size()) + ")");
    std::string buf(1, static_cast<char>(msg));
    buf.append(text.substr(0, max_message - 1));
    iovec iov{buf.data(), buf.size()};
    msghdr mh{};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * max_fds)];
    if (!fds.empty()) {
        mh.msg_control = control;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
        cmsghdr* cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(cm), fds.data(), sizeof(int) * fds.size());
    }
    ssize_t n;
    do {
        n = ::sendmsg(fd_.get(), &mh, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        throw_errno("start handshake: send");
}

std::optional<SyncMessage> SyncChannel::receive() const {
    char buf[max_message];
    iovec iov{buf, sizeof(buf)};
    msghdr mh{};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * max_fds)];
    mh.msg_control = control;
    mh.msg_controllen = sizeof(control);
    ssize_t n;
    do {
        n = ::recvmsg(fd_.get(), &mh, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == ECONNRESET)
            return std::nullopt;
        throw_errno("start handshake: receive");
    }
    SyncMessage m{};
    for (cmsghdr* cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            m.fds.emplace_back(fd);
        }
    }
    if (mh.msg_flags & MSG_CTRUNC)
        throw Error(Errc::Failed, "start handshake: file descriptors were truncated");
    if (n == 0)
        return std::nullopt;
    m.msg = static_cast<SyncMsg>(buf[0]);
    m.text.assign(buf + 1, static_cast<size_t>(n - 1));
    return m;
}

SyncPair make_sync_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
        throw_errno("socketpair");
    return SyncPair{SyncChannel(UniqueFd(fds[0])), SyncChannel(UniqueFd(fds[1]))};
}

} // namespace lxcd::runtime
