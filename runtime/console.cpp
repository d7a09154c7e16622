#include "console.hpp"

#include "error.hpp"
#include "idmap.hpp"
#include "mapped_root.hpp"
#include "state_dir.hpp"
#include "unprivileged.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

namespace lxcd::runtime {

namespace {

// The container's root must own its console, or it cannot open it inside a user namespace.
void chown_to_container_root(int fd, const config::Config& cfg) {
    if (unprivileged()) {
        if (cfg.idmaps.empty())
            return;
        // Our own group first (allowed to the owner): chown in the user namespace needs
        // the file's uid and gid mapped there, and the tty group is not.
        if (::fchown(fd, static_cast<uid_t>(-1), ::getgid()) < 0)
            throw_errno("chgrp console pty");
        run_as_mapped_root(cfg.idmaps, [fd] {
            if (::fchown(fd, 0, 0) < 0)
                throw_errno("chown console pty to the container's root");
        });
        return;
    }
    uid_t uid = host_id(cfg.idmaps, 'u', 0);
    gid_t gid = host_id(cfg.idmaps, 'g', 0);
    if ((uid || gid) && ::fchown(fd, uid, gid) < 0)
        throw_errno("chown console pty");
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

std::optional<Console> Console::open(const config::Config& cfg, bool foreground,
                                     const std::string& journal_name) {
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
    if (!cfg.console_logfile.empty())
        c.log_.emplace(cfg.console_logfile, cfg.console_size, cfg.console_rotate,
                       "lxc.console.logfile");
    c.rotate_ = cfg.console_rotate;
    if (cfg.console_buffer_size && c.master_)
        c.ring_.emplace(cfg.console_buffer_size);
    c.buffer_logfile_ = cfg.console_buffer_logfile;
    if (!journal_name.empty() && c.master_)
        c.journal_.emplace(journal_name);
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
        std::string_view bytes(buf, static_cast<size_t>(n));
        if (log_)
            log_->write(bytes);
        if (ring_)
            ring_->write(bytes);
        if (journal_)
            journal_->write(bytes);
        if (foreground_)
            write_all(STDOUT_FILENO, bytes);
        if (tee)
            tee(bytes);
    }
}

void Console::write_input(std::string_view data) {
    if (master_)
        write_all(master_.get(), data);
}

bool Console::pump_input(int fd) {
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    write_all(master_.get(), std::string_view(buf, static_cast<size_t>(n)));
    return true;
}

void Console::flush_journal() {
    if (journal_)
        journal_->flush();
}

std::string Console::buffer_contents(bool clear) {
    if (!ring_)
        throw Error(Errc::InvalidArgument,
                    "the console has no ring buffer (lxc.console.buffer.size is not set)");
    std::string bytes = ring_->contents();
    save_buffer();
    if (clear)
        ring_->clear();
    return bytes;
}

void Console::save_buffer() {
    if (!ring_ || buffer_logfile_.empty())
        return;
    std::filesystem::path path(buffer_logfile_);
    write_file_atomic(path.parent_path(), path.filename(), ring_->contents());
}

void Console::rotate_log() {
    if (!log_ || !rotate_)
        throw Error(Errc::InvalidArgument, "the console log cannot be rotated: it needs "
                                           "lxc.console.logfile and lxc.console.rotate = 1");
    log_->rotate();
}

} // namespace lxcd::runtime
