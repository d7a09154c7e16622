#include "supervisor_remains.hpp"

#include "cgroup_layout.hpp"
#include "cgroup_paths.hpp"
#include "error.hpp"
#include "log.hpp"
#include "network.hpp"
#include "state_dir.hpp"
#include "supervisor_protocol.hpp"
#include "unit_name.hpp"

#include <cstring>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

namespace lxcd {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    if (!in)
        throw Error(Errc::System, "cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

pid_t read_pid(const fs::path& path) {
    std::ifstream in(path);
    pid_t pid = 0;
    return in >> pid ? pid : 0;
}

UniqueFd open_pidfd(pid_t pid) {
    return UniqueFd(pid > 0 ? static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)) : -1);
}

} // namespace

SupervisorRemains::SupervisorRemains(EventLoop& loop, std::string container_name,
                                     fs::path state_dir)
    : loop_(loop), name_(std::move(container_name)), state_dir_(std::move(state_dir)) {}

void SupervisorRemains::spawned(pid_t supervisor_pid) {
    waiting_ = {};
    noting_ = {};
    to_note_.reset();
    cgroups_.clear();
    init_pidfd_.reset();
    supervisor_pid_ = supervisor_pid;
    supervisor_pidfd_ = open_pidfd(supervisor_pid);
}

void SupervisorRemains::track(pid_t init_pid, const config::Config& config) {
    waiting_ = {};
    noting_ = {};
    to_note_.reset();
    cgroups_.clear();
    init_pidfd_ = open_pidfd(init_pid);
    supervisor_pid_ = read_pid(state_dir_ / supervisor::kSupervisorPidFile);
    supervisor_pidfd_ = open_pidfd(supervisor_pid_);
    if (supervisor_pid_ <= 0)
        return;
    try {
        to_note_ = cgroup::resolve_paths(config, name_);
    } catch (const Error& e) {
        log::container(log::Level::Warning, name_,
                       std::string("cannot note the supervisor's cgroups: ") + e.what());
        return;
    }
    noting_ = loop_.add_timer(std::chrono::microseconds(0), [this] { note_cgroups(); });
}

void SupervisorRemains::note_cgroups() {
    if (!to_note_)
        return;
    const cgroup::ContainerPaths paths = std::move(*to_note_);
    to_note_.reset();
    try {
        cgroup::Layout layout =
            cgroup::parse_layout(read_text("/proc/self/mountinfo"),
                                 read_text("/proc/" + std::to_string(supervisor_pid_) + "/cgroup"));
        for (const auto& h : layout.hierarchies) {
            // The scope's own cgroups go with the scope; a root cgroup holds nothing of ours.
            if (h.unified || h.own == "/" || fs::path(h.own).filename() == scope_unit_name(name_))
                continue;
            if (!paths.inner.empty())
                cgroups_.push_back((h.own_dir() / paths.process_cgroup()).string());
            cgroups_.push_back((h.own_dir() / paths.payload).string());
        }
    } catch (const Error& e) {
        log::container(log::Level::Warning, name_,
                       std::string("cannot note the supervisor's cgroups: ") + e.what());
    }
}

void SupervisorRemains::supervisor_gone() {
    note_cgroups(); // if the supervisor went within the loop turn after track
    std::error_code ec;
    if (!supervisor_pidfd_) { // not tracked: lxcd started after this supervisor died
        if (!fs::exists(state_dir_, ec) || runtime::supervisor_alive(state_dir_))
            return;
        supervisor_pid_ = read_pid(state_dir_ / supervisor::kSupervisorPidFile);
        init_pidfd_ = open_pidfd(read_pid(state_dir_ / supervisor::kInitPidFile));
    }
    remove_when_exited();
}

void SupervisorRemains::remove_when_exited() {
    // The supervisor closes its connection before it has quite exited; and the
    // container may outlive it.
    for (UniqueFd* fd : {&supervisor_pidfd_, &init_pidfd_}) {
        pollfd exited{fd->get(), POLLIN, 0};
        if (!*fd || ::poll(&exited, 1, 0) != 0)
            continue;
        waiting_ = loop_.add_io(fd->get(), EPOLLIN, [this](uint32_t) {
            // Not from inside the source's own handler: this drops it.
            waiting_ =
                loop_.add_timer(std::chrono::microseconds(0), [this] { remove_when_exited(); });
        });
        return;
    }
    remove();
}

void SupervisorRemains::remove() {
    waiting_ = {};
    init_pidfd_.reset();
    supervisor_pidfd_.reset();
    std::vector<std::string> cgroups = std::exchange(cgroups_, {});
    std::error_code ec;
    // Gone with a clean exit, or taken over by the next start's supervisor: not ours.
    if (!fs::exists(state_dir_, ec) ||
        read_pid(state_dir_ / supervisor::kSupervisorPidFile) != supervisor_pid_)
        return;
    for (const auto& dir : cgroups)
        if (::rmdir(dir.c_str()) < 0 && errno != ENOENT)
            log::container(log::Level::Warning, name_,
                           "cannot remove cgroup " + dir + ": " + std::strerror(errno));
    for (const auto& entry : fs::directory_iterator(state_dir_, ec))
        if (entry.path().filename() != net::kHostRecordFile)
            fs::remove(entry.path(), ec);
    fs::remove(state_dir_, ec); // fails while NetworkKeeper still has its record there
    log::container(log::Level::Info, name_, "removed what its killed supervisor left");
}

} // namespace lxcd
