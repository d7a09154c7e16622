#include "console_command.hpp"

#include "client.hpp"
#include "fd.hpp"
#include "supervisor_protocol.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

namespace lxcctl {

namespace {

constexpr char kEscape = 1; // Ctrl+a, then q: leave the console (lxc-console's default)

// Puts the terminal in raw mode for its lifetime.
class RawTerminal {
  public:
    explicit RawTerminal(int fd) : fd_(fd) {
        if (!::isatty(fd) || ::tcgetattr(fd, &saved_) < 0)
            return;
        termios raw = saved_;
        ::cfmakeraw(&raw);
        active_ = ::tcsetattr(fd, TCSAFLUSH, &raw) == 0;
    }
    ~RawTerminal() {
        if (active_)
            ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

  private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

lxcd::UniqueFd connect_console(const std::string& name) {
    lxcd::UniqueFd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = std::string(lxcd::supervisor::kDefaultRunDir) + "/" + name + "/" +
                       lxcd::supervisor::kControlSocket;
    if (!fd || path.size() >= sizeof(addr.sun_path))
        throw std::runtime_error("cannot open a socket for " + path);
    path.copy(addr.sun_path, path.size());
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0)
        throw std::runtime_error("cannot reach " + name + "'s supervisor at " + path + ": " +
                                 std::strerror(errno));
    std::string request = "console";
    std::array<char, lxcd::supervisor::kMaxMessage> buf;
    ssize_t n = -1;
    if (::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) >= 0)
        n = ::recv(fd.get(), buf.data(), buf.size(), 0);
    std::string reply(buf.data(), n > 0 ? static_cast<size_t>(n) : 0);
    if (reply != "ok")
        throw std::runtime_error(name + ": " +
                                 (reply.rfind("error ", 0) == 0
                                      ? reply.substr(reply.find(' ', 6) + 1)
                                      : std::string("no answer from the supervisor")));
    return fd;
}

// Copies bytes between the terminal and the console until Ctrl+a q or the
// container's console goes away.
void relay(int sock) {
    bool escaped = false;
    std::array<char, lxcd::supervisor::kMaxMessage> buf;
    for (;;) {
        std::array<pollfd, 2> fds{{{STDIN_FILENO, POLLIN, 0}, {sock, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (fds[1].revents) {
            ssize_t n = ::recv(sock, buf.data(), buf.size(), 0);
            if (n <= 0)
                return; // the container stopped
            if (::write(STDOUT_FILENO, buf.data(), static_cast<size_t>(n)) < 0)
                return;
        }
        if (fds[0].revents) {
            ssize_t n = ::read(STDIN_FILENO, buf.data(), buf.size());
            if (n <= 0)
                return;
            std::string out;
            for (ssize_t i = 0; i < n; i++) {
                char ch = buf[static_cast<size_t>(i)];
                if (escaped) {
                    escaped = false;
                    if (ch == 'q')
                        return;
                    if (ch != kEscape)
                        out += kEscape;
                } else if (ch == kEscape) {
                    escaped = true;
                    continue;
                }
                out += ch;
            }
            if (!out.empty() && ::send(sock, out.data(), out.size(), MSG_NOSIGNAL) < 0)
                return;
        }
    }
}

} // namespace

int console_command(Args args) {
    if (args.size() != 1)
        throw std::runtime_error("usage: lxcctl console NAME");
    const std::string& name = args[0];
    {
        Client c; // names the problem when the container is unknown or stopped
        if (c.container(name)->State() == "STOPPED")
            throw std::runtime_error("container '" + name + "' is not running");
    }
    lxcd::UniqueFd sock = connect_console(name);
    std::cerr << "Connected to the console of " << name << "; Ctrl+a q leaves it.\r\n";
    {
        RawTerminal raw(STDIN_FILENO);
        relay(sock.get());
    }
    std::cerr << "\nLeft the console of " << name << ".\n";
    return kExitOk;
}

} // namespace lxcctl
