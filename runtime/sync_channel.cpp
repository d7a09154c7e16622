#include "sync_channel.hpp"

#include "error.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace lxcd::runtime {

namespace {
constexpr size_t max_message = 4096;
}

void SyncChannel::send(SyncMsg msg, std::string_view text) const {
    std::string buf(1, static_cast<char>(msg));
    buf.append(text.substr(0, max_message - 1));
    ssize_t n;
    do {
        n = ::send(fd_.get(), buf.data(), buf.size(), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        throw_errno("start handshake: send");
}

std::optional<SyncMessage> SyncChannel::receive() const {
    char buf[max_message];
    ssize_t n;
    do {
        n = ::recv(fd_.get(), buf, sizeof(buf), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == ECONNRESET)
            return std::nullopt;
        throw_errno("start handshake: receive");
    }
    if (n == 0)
        return std::nullopt;
    return SyncMessage{static_cast<SyncMsg>(buf[0]), std::string(buf + 1, n - 1)};
}

SyncPair make_sync_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
        throw_errno("socketpair");
    return SyncPair{SyncChannel(UniqueFd(fds[0])), SyncChannel(UniqueFd(fds[1]))};
}

} // namespace lxcd::runtime
