#include "console_command.hpp"

#include "client.hpp"
#include "console_log.hpp"
#include "fd.hpp"
#include "fd_passing.hpp"
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

lxcd::UniqueFd connect_supervisor(const std::string& name) {
    lxcd::UniqueFd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = supervisor_run_dir() + "/" + name + "/" + lxcd::supervisor::kControlSocket;
    if (!fd || path.size() >= sizeof(addr.sun_path))
        throw std::runtime_error("cannot open a socket for " + path);
    path.copy(addr.sun_path, path.size());
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0)
        throw std::runtime_error("cannot reach " + name + "'s supervisor at " + path + ": " +
                                 std::strerror(errno));
    return fd;
}

// Sends one request; returns the text after "ok" (and any attached fd in `fd`).
std::string ask(int sock, const std::string& name, const std::string& request, lxcd::UniqueFd& fd) {
    if (::send(sock, request.data(), request.size(), MSG_NOSIGNAL) < 0)
        throw std::runtime_error(name + ": " + std::strerror(errno));
    std::string reply = lxcd::runtime::recv_with_fd(sock, fd);
    if (reply.rfind("error ", 0) == 0)
        throw std::runtime_error(name + ": " + reply.substr(reply.find(' ', 6) + 1));
    if (reply.rfind("ok", 0) != 0)
        throw std::runtime_error(name + ": unexpected answer from the supervisor: " + reply);
    return reply.size() > 3 ? reply.substr(3) : std::string();
}

// Copies the console ring buffer (a memfd from the supervisor) to stdout.
int print_console_log(const std::string& name, bool clear) {
    lxcd::UniqueFd sock = connect_supervisor(name);
    lxcd::UniqueFd mem;
    ask(sock.get(), name, "console-log " + std::string(clear ? "1" : "0"), mem);
    if (!mem)
        throw std::runtime_error(name + ": the supervisor sent no console log");
    std::array<char, 65536> buf;
    for (ssize_t n; (n = ::read(mem.get(), buf.data(), buf.size())) != 0;) {
        if (n < 0 || !lxcd::runtime::write_all(
                         STDOUT_FILENO, std::string_view(buf.data(), static_cast<size_t>(n))))
            throw std::runtime_error(std::string("console log: ") + std::strerror(errno));
    }
    return kExitOk;
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
    std::string name;
    bool log = false, clear = false, rotate = false;
    for (const auto& a : args) {
        if (a == "--log")
            log = true;
        else if (a == "--clear")
            clear = true;
        else if (a == "--rotate")
            rotate = true;
        else if (name.empty() && !a.starts_with("-"))
            name = a;
        else
            throw std::runtime_error("usage: lxcctl console NAME [--log [--clear] | --rotate]");
    }
    if (name.empty() || (clear && !log) || (log && rotate))
        throw std::runtime_error("usage: lxcctl console NAME [--log [--clear] | --rotate]");
    {
        Client c; // names the problem when the container is unknown or stopped
        if (c.container_property<std::string>(name, "State") == "STOPPED")
            throw std::runtime_error("container '" + name + "' is not running");
    }
    if (log)
        return print_console_log(name, clear);
    lxcd::UniqueFd sock = connect_supervisor(name);
    lxcd::UniqueFd unused;
    if (rotate) {
        ask(sock.get(), name, "console-rotate", unused);
        return kExitOk;
    }
    ask(sock.get(), name, "console", unused);
    std::cerr << "Connected to the console of " << name << "; Ctrl+a q leaves it.\r\n";
    {
        RawTerminal raw(STDIN_FILENO);
        relay(sock.get());
    }
    std::cerr << "\nLeft the console of " << name << ".\n";
    return kExitOk;
}

} // namespace lxcctl
