#include "network_keeper.hpp"

#include "error.hpp"
#include "log.hpp"
#include "network.hpp"

#include <algorithm>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace lxcd {

NetworkKeeper::NetworkKeeper(EventLoop& loop, std::string container_name)
    : loop_(loop), name_(std::move(container_name)) {}

bool NetworkKeeper::needed_for(const config::Config& config) {
    return std::any_of(config.networks.begin(), config.networks.end(),
                       [](const config::Network& n) { return n.type == "phys" || n.l2proxy; });
}

void NetworkKeeper::hold(pid_t init_pid) {
    init_exit_ = {};
    netns_.reset();
    init_pidfd_.reset();
    if (init_pid <= 0)
        return;
    // The pidfd first: a namespace opened after it surely is this init's.
    init_pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, init_pid, 0)));
    std::string ns = "/proc/" + std::to_string(init_pid) + "/ns/net";
    netns_.reset(::open(ns.c_str(), O_RDONLY | O_CLOEXEC));
}

void NetworkKeeper::supervisor_gone(const std::filesystem::path& record) {
    std::error_code ec;
    if (!std::filesystem::exists(record, ec)) {
        hold(0);
        return;
    }
    // The container may outlive its supervisor (lxc.monitor.signal.pdeath = 0, or a
    // signal it ignores): its network stays as it is until it exits.
    pollfd exited{init_pidfd_.get(), POLLIN, 0};
    if (!init_pidfd_ || ::poll(&exited, 1, 0) != 0) {
        reclaim(record);
        return;
    }
    init_exit_ = loop_.add_io(init_pidfd_.get(), EPOLLIN, [this, record](uint32_t) {
        // Not from inside the source's own handler: reclaim drops it.
        init_exit_ =
            loop_.add_timer(std::chrono::microseconds(0), [this, record] { reclaim(record); });
    });
}

void NetworkKeeper::reclaim(const std::filesystem::path& record) {
    try {
        net::reclaim_host_network(netns_ ? netns_.get() : -1, record);
        log::container(log::Level::Info, name_,
                       "network undone on the host after the supervisor died");
        // The killed supervisor's state directory goes once nothing else is in it
        // (SupervisorRemains leaves this record to us).
        std::error_code ec;
        std::filesystem::remove(record.parent_path(), ec);
    } catch (const Error& e) {
        log::container(log::Level::Error, name_, e.what());
    }
    hold(0);
}

} // namespace lxcd
