#include "supervisor_client.hpp"

#include "error.hpp"
#include "supervisor_protocol.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace lxcd {

Error parse_error_reply(const std::string& message) {
    // "error <Code> <text>"
    auto first = message.find(' ');
    auto second = first == std::string::npos ? first : message.find(' ', first + 1);
    if (first == std::string::npos)
        return Error(Errc::Failed, "supervisor failed");
    std::string code = message.substr(first + 1, second == std::string::npos ? std::string::npos
                                                                             : second - first - 1);
    std::string text = second == std::string::npos ? code : message.substr(second + 1);
    return Error(Error::code_from_name(code), text);
}

SupervisorClient::SupervisorClient(EventLoop& loop, UniqueFd socket, StateHandler on_state,
                                   ClosedHandler on_closed)
    : socket_(std::move(socket)), on_state_(std::move(on_state)), on_closed_(std::move(on_closed)) {
    source_ = loop.add_io(socket_.get(), EPOLLIN, [this](uint32_t ev) { on_readable(ev); });
}

std::unique_ptr<SupervisorClient> SupervisorClient::connect(EventLoop& loop,
                                                            const std::string& state_dir,
                                                            StateHandler on_state,
                                                            ClosedHandler on_closed) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = state_dir + "/" + supervisor::kControlSocket;
    if (path.size() >= sizeof(addr.sun_path))
        throw Error(Errc::InvalidArgument, "control socket path too long: " + path);
    path.copy(addr.sun_path, path.size());
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0)
        throw_errno("connect " + path);
    auto client = std::make_unique<SupervisorClient>(loop, std::move(fd), std::move(on_state),
                                                     std::move(on_closed));
    client->request("subscribe", [](const std::optional<Error>&, const std::string&) {});
    return client;
}

void SupervisorClient::request(const std::string& message, ReplyHandler on_reply) {
    if (!socket_) {
        on_reply(Error(Errc::NotRunning, "supervisor is gone"), {});
        return;
    }
    if (::send(socket_.get(), message.data(), message.size(), MSG_NOSIGNAL) < 0) {
        // It exited (a stop, a failed start) and we have not read its end-of-file yet.
        if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN)
            on_reply(Error(Errc::NotRunning, "supervisor is gone"), {});
        else
            on_reply(Error(Errc::System, "send to supervisor failed", errno), {});
        return;
    }
    pending_.push_back(std::move(on_reply));
}

void SupervisorClient::on_readable(uint32_t revents) {
    std::array<char, supervisor::kMaxMessage> buf;
    for (;;) {
        ssize_t n = ::recv(socket_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
        if (n > 0) {
            dispatch(std::string(buf.data(), static_cast<size_t>(n)));
            if (!socket_)
                return; // a handler closed us
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR) && !(revents & (EPOLLHUP | EPOLLERR)))
            return;
        close_connection(); // EOF, hang-up or error: the supervisor is gone
        return;
    }
}

void SupervisorClient::dispatch(const std::string& message) {
    if (message.rfind("state ", 0) == 0) {
        // "state <STATE> <pid>"
        auto sp = message.find(' ', 6);
        auto state =
            parse_state(message.substr(6, sp == std::string::npos ? std::string::npos : sp - 6));
        pid_t pid = sp == std::string::npos ? 0 : std::atoi(message.c_str() + sp + 1);
        if (state && on_state_)
            on_state_(*state, pid);
        return;
    }
    if (pending_.empty())
        return; // unsolicited reply: ignore
    auto handler = std::move(pending_.front());
    pending_.pop_front();
    if (message == "ok" || message.rfind("ok ", 0) == 0)
        handler(std::nullopt, message.size() > 3 ? message.substr(3) : std::string());
    else
        handler(parse_error_reply(message), {});
}

void SupervisorClient::close_connection() {
    source_ = {};
    socket_.reset();
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& handler : pending)
        handler(Error(Errc::NotRunning, "supervisor exited"), {});
    if (on_closed_)
        on_closed_();
}

} // namespace lxcd
