// Freezing, thawing, killing and waiting for a container's payload cgroup.
// cgroup v2 is preferred wherever its files exist (also on hybrid hosts,
// where systemd refuses to freeze units); the v1 freezer is the fallback.
#include "cgroup.hpp"

#include "cgroup_fs.hpp"
#include "error.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace lxcd::cgroup {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool path_exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<int64_t>(left.count(), 0));
}

// Waits until cgroup.events shows `key want`. The kernel signals changes of the
// file with POLLPRI, but at most one per ~10 ms per file (cgroup_file_notify's
// rate limit): a freeze right after a thaw would be seen up to 10-20 ms late. So
// the file is also re-read after 1 ms, then at doubling intervals up to 16 ms.
void wait_events(const fs::path& dir, std::string_view key, std::string_view want,
                 Clock::time_point deadline) {
    const fs::path events = dir / "cgroup.events";
    UniqueFd fd(::open(events.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw_errno("open " + events.string());
    int recheck_ms = 1;
    for (;;) {
        if (keyed_value(read_fd(fd.get(), events), key) == want)
            return;
        int left = remaining_ms(deadline);
        if (left == 0)
            throw Error(Errc::Timeout, "timed out waiting for '" + std::string(key) + " " +
                                           std::string(want) + "' in " + events.string());
        pollfd p{fd.get(), POLLPRI, 0};
        if (::poll(&p, 1, std::min(left, recheck_ms)) < 0 && errno != EINTR)
            throw_errno("poll " + events.string());
        recheck_ms = std::min(recheck_ms * 2, 16);
    }
}

// The v1 freezer has no change notification: poll its state with a short,
// growing interval, as LXC does.
void wait_freezer_state(const fs::path& dir, std::string_view want, Clock::time_point deadline) {
    auto delay = std::chrono::milliseconds(1);
    while (trim(read_file(dir / "freezer.state")) != want) {
        if (Clock::now() >= deadline)
            throw Error(Errc::Timeout, "timed out waiting for " + (dir / "freezer.state").string() +
                                           " to become " + std::string(want));
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(50));
    }
}

void collect_pids(const fs::path& dir, std::vector<pid_t>& out) {
    if (!path_exists(dir))
        return;
    for (pid_t pid : read_pids(dir / "cgroup.procs"))
        out.push_back(pid);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory(ec))
            collect_pids(entry.path(), out);
}

} // namespace

void ContainerCgroups::freeze(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    if (const Node* n = unified_node(); n && path_exists(payload_dir(*n) / "cgroup.freeze")) {
        write_file(payload_dir(*n) / "cgroup.freeze", "1");
        wait_events(payload_dir(*n), "frozen", "1", deadline);
        return;
    }
    if (const Node* n = v1_node("freezer")) {
        write_file(payload_dir(*n) / "freezer.state", "FROZEN");
        wait_freezer_state(payload_dir(*n), "FROZEN", deadline);
        return;
    }
    throw Error(Errc::Failed, "cannot freeze: no cgroup freezer (neither cgroup.freeze nor a "
                              "v1 freezer hierarchy) is available");
}

void ContainerCgroups::thaw(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    if (const Node* n = unified_node(); n && path_exists(payload_dir(*n) / "cgroup.freeze")) {
        write_file(payload_dir(*n) / "cgroup.freeze", "0");
        wait_events(payload_dir(*n), "frozen", "0", deadline);
        return;
    }
    if (const Node* n = v1_node("freezer")) {
        write_file(payload_dir(*n) / "freezer.state", "THAWED");
        wait_freezer_state(payload_dir(*n), "THAWED", deadline);
        return;
    }
    throw Error(Errc::Failed, "cannot thaw: no cgroup freezer is available");
}

bool ContainerCgroups::frozen() const {
    if (const Node* n = unified_node(); n && path_exists(payload_dir(*n) / "cgroup.freeze"))
        return keyed_value(read_file(payload_dir(*n) / "cgroup.events"), "frozen") == "1";
    if (const Node* n = v1_node("freezer"))
        return trim(read_file(payload_dir(*n) / "freezer.state")) == "FROZEN";
    return false;
}

std::vector<pid_t> ContainerCgroups::payload_pids() const {
    std::vector<pid_t> pids;
    collect_pids(payload_dir(primary_node()), pids);
    return pids;
}

bool ContainerCgroups::populated() const {
    const Node& n = primary_node();
    if (!path_exists(payload_dir(n)))
        return false;
    if (n.hierarchy.unified)
        return keyed_value(read_file(payload_dir(n) / "cgroup.events"), "populated") == "1";
    return !payload_pids().empty();
}

void ContainerCgroups::kill_all() {
    if (const Node* n = unified_node(); n && path_exists(payload_dir(*n) / "cgroup.kill")) {
        write_file(payload_dir(*n) / "cgroup.kill", "1");
        return;
    }
    // Without cgroup.kill: freeze so nothing forks between listing and
    // killing, SIGKILL everything, then thaw so the signals are delivered.
    bool froze = false;
    try {
        freeze();
        froze = true;
    } catch (const Error&) {
        // No freezer: a process forked meanwhile is caught by the next round.
    }
    for (int round = 0; round < 100; round++) {
        std::vector<pid_t> pids = payload_pids();
        if (pids.empty())
            break;
        for (pid_t pid : pids)
            if (::kill(pid, SIGKILL) < 0 && errno != ESRCH)
                throw_errno("kill " + std::to_string(pid));
        if (froze) {
            thaw();
            froze = false;
            break;
        }
    }
}

void ContainerCgroups::wait_empty(std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    const Node& n = primary_node();
    if (n.hierarchy.unified) {
        wait_events(payload_dir(n), "populated", "0", deadline);
        return;
    }
    auto delay = std::chrono::milliseconds(1);
    while (!payload_pids().empty()) {
        if (Clock::now() >= deadline)
            throw Error(Errc::Timeout, "timed out waiting for the processes of " +
                                           payload_dir(n).string() + " to exit");
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(50));
    }
}

} // namespace lxcd::cgroup
