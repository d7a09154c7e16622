#include "console.hpp"

#include "error.hpp"
#include "idmap.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

namespace lxcd::runtime {

namespace {

// The container's root must own its console, or it cannot open it inside a user namespace.
void chown_to_container_root(int fd, const config::Config& cfg) {
    uid_t uid = host_id(cfg.idmaps, 'u', 0);
    gid_t gid = host_id(cfg.idmaps, 'g', 0);
    if ((uid || gid) && ::fchown(fd, uid, gid) < 0)
        throw_errno("chown console pty");
}

void write_all(int fd, const char* buf, ssize_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return; // a full or closed log must not stop the container
        }
        buf += w;
        n -= w;
    }
}

} // namespace

Pty open_pty(const config::Config& cfg, const std::string& what) {
    Pty p;
    p.master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK));
    if (!p.master || ::grantpt(p.master.get()) < 0 || ::unlockpt(p.master.get()) < 0)
        throw_errno("allocate " + what + " pty");
    char name[128];
    if (::ptsname_r(p.master.get(), name, sizeof(name)) != 0)
        throw_errno(what + " pty name");
    p.device = name;
    p.slave.reset(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!p.slave)
        throw_errno("open " + what + " pty " + p.device);
    chown_to_container_root(p.slave.get(), cfg);
    return p;
}

std::vector<Pty> open_ttys(const config::Config& cfg) {
    std::vector<Pty> ttys;
    for (uint32_t i = 1; i <= cfg.tty_max; i++)
        ttys.push_back(open_pty(cfg, "tty" + std::to_string(i)));
    return ttys;
}

std::optional<Console> Console::open(const config::Config& cfg, bool foreground) {
    if (cfg.console_path == "none")
        return std::nullopt;
    Console c;
    c.foreground_ = foreground;
    if (!cfg.console_path.empty()) {
        c.device_ = cfg.console_path;
    } else {
        Pty p = open_pty(cfg, "console");
        c.master_ = std::move(p.master);
        c.slave_ = std::move(p.slave);
        c.device_ = std::move(p.device);
    }
    if (!cfg.console_logfile.empty()) {
        c.log_.reset(::open(cfg.console_logfile.c_str(),
                            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600));
        if (!c.log_)
            throw_errno("lxc.console.logfile '" + cfg.console_logfile + "'");
    }
    return c;
}

bool Console::pump_output(const std::function<void(std::string_view)>& tee) {
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(master_.get(), buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return true;
        if (n <= 0)
            return false; // EIO: no process holds the slave any more
        if (log_)
            write_all(log_.get(), buf, n);
        if (foreground_)
            write_all(STDOUT_FILENO, buf, n);
        if (tee)
            tee(std::string_view(buf, static_cast<size_t>(n)));
    }
}

void Console::write_input(std::string_view data) {
    if (master_)
        write_all(master_.get(), data.data(), data.size());
}

bool Console::pump_input(int fd) {
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    write_all(master_.get(), buf, n);
    return true;
}

} // namespace lxcd::runtime
