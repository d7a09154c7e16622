#include "migration_warmup.hpp"

#include "cgroup_layout.hpp"
#include "error.hpp"
#include "log.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <csignal>
#include <fcntl.h>

namespace lxcd {

namespace {

UniqueFd open_own_procs() {
    try {
        cgroup::Layout layout = cgroup::detect_layout();
        const cgroup::Hierarchy* h =
            layout.unified() ? layout.unified() : &layout.hierarchies.front();
        return UniqueFd(::open((h->own_dir() / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
    } catch (const Error&) {
        return {};
    }
}

} // namespace

MigrationWarmup::MigrationWarmup() : procs_(open_own_procs()) {
    if (!procs_)
        return;
    // The worker takes no signals: lxcd's loop reads SIGTERM from a signalfd, which only
    // works while every thread blocks it; otherwise the worker dies of it, and lxcd with
    // it, skipping the clean-up on the way out.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    worker_ = std::thread([this] { run(); });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

MigrationWarmup::~MigrationWarmup() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_one();
    if (worker_.joinable())
        worker_.join();
}

void MigrationWarmup::kick() noexcept {
    {
        std::lock_guard lock(mutex_);
        pending_ = true;
    }
    wake_.notify_one();
}

void MigrationWarmup::run() {
    const std::string pid = std::to_string(::getpid());
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return pending_ || quit_; });
            if (quit_)
                return;
            pending_ = false;
        }
        if (::write(procs_.get(), pid.data(), pid.size()) < 0) {
            log::message(log::Level::Notice,
                         "cgroup migration warm-up off: " + std::string(std::strerror(errno)));
            return;
        }
    }
}

} // namespace lxcd
