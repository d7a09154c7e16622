// A container's cgroups, created relative to the supervisor's own cgroup (its
// systemd scope) in every mounted hierarchy:
//
//   <own>/lxc.monitor.<name>   the supervisor (so <own> holds no process and
//                              may enable controllers for its children)
//   <own>/lxc.payload.<name>   the container; limits apply here
//   <own>/lxc.pivot            where the supervisor waits while tearing down
//
// (names as resolved by cgroup_paths.hpp from lxc.cgroup.dir*). The object
// owns what it created and removes it when destroyed; inside a systemd scope it
// leaves its monitor cgroup, which it cannot remove without moving out, to
// systemd, which removes the scope's tree when the scope stops. Moving out costs
// an RCU grace period (milliseconds) on the stop path.
#pragma once

#include "cgroup_layout.hpp"
#include "cgroup_paths.hpp"
#include "config.hpp"
#include "fd.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace lxcd::cgroup {

// Usage figures; nullopt where this host's hierarchies do not provide one.
struct Stats {
    std::optional<uint64_t> memory_current; // bytes
    std::optional<uint64_t> memory_peak;    // bytes
    std::optional<uint64_t> memory_max;     // bytes; nullopt when unlimited
    std::optional<uint64_t> cpu_usage_usec;
    std::optional<uint64_t> pids_current;
    std::optional<uint64_t> io_read_bytes;
    std::optional<uint64_t> io_write_bytes;
};

// Reads the usage figures of a container's payload cgroups again and again: their
// directories are found once (the mount table and /proc/PID/cgroup cost more than the
// figures), and holds no file descriptor in between.
class StatsReader {
  public:
    // The cgroups `pid` is in (a container's init: its payload), as seen from the
    // caller's cgroup namespace. Throws Error.
    explicit StatsReader(pid_t pid);
    Stats read() const;

  private:
    friend class ContainerCgroups;
    StatsReader() = default;
    // Empty where the hierarchy is not there. Strings, not paths: a path keeps a parsed
    // copy of each component (~400 bytes for these), and one reader lives per running
    // container.
    std::string unified_, memory_, cpuacct_, pids_, blkio_;
};

class ContainerCgroups {
  public:
    static constexpr std::chrono::milliseconds kDefaultTimeout{10000};

    // Creates the cgroups, moves the calling process into the monitor cgroups,
    // enables the available v2 controllers for the payload and applies
    // lxc.cgroup.* / lxc.cgroup2.* from conf. Throws Error; on failure
    // nothing it created remains. scope_unit: the systemd scope the calling process
    // runs in (lxcd's containers), if any: in hierarchies where its own cgroup is
    // not that scope's (e.g. v1 controllers systemd realises only for the slice) it
    // stays where it is and only the payload is created.
    ContainerCgroups(const Layout& layout, const config::Config& conf, std::string_view name,
                     std::string_view scope_unit = {});
    // Kills what is left in the payload and removes every cgroup it created
    // (errors are swallowed; call destroy() to see them).
    ~ContainerCgroups();
    ContainerCgroups(const ContainerCgroups&) = delete;
    ContainerCgroups& operator=(const ContainerCgroups&) = delete;

    // Moves pid into the container's process cgroup in every hierarchy.
    void attach(pid_t pid);
    // The unified hierarchy's process cgroup as an O_PATH|O_DIRECTORY fd, for
    // clone3(CLONE_INTO_CGROUP); empty if there is no unified hierarchy.
    UniqueFd open_unified_process_dir() const;

    // Freezes the payload and returns once every task is frozen (v2
    // cgroup.freeze + cgroup.events, else the v1 freezer).
    void freeze(std::chrono::milliseconds timeout = kDefaultTimeout);
    void thaw(std::chrono::milliseconds timeout = kDefaultTimeout);
    bool frozen() const;
    // SIGKILLs every process of the payload (v2 cgroup.kill, else a loop).
    void kill_all();
    bool populated() const;
    Stats stats() const;

    // Kills the payload, waits for it to empty, moves the calling process
    // back to its original cgroup and removes everything created. Throws the
    // first error after doing as much as it can.
    void destroy(std::chrono::milliseconds timeout = kDefaultTimeout);

    const ContainerPaths& paths() const { return paths_; }
    // The payload's cgroup path as /proc/PID/cgroup shows it (unified hierarchy
    // if mounted, else name=systemd, else the first).
    std::string payload_cgroup() const;
    // Config keys that were ignored (lxc.cgroup.* on pure v2, lxc.cgroup2.* on
    // pure v1), as "key: reason" for the caller to log.
    const std::vector<std::string>& warnings() const { return warnings_; }

  private:
    struct Node {
        Hierarchy hierarchy;
        std::filesystem::path base;                 // the hierarchy's own cgroup dir
        std::vector<std::filesystem::path> created; // in creation order
        std::vector<std::string> enabled;           // v2 controllers we enabled at base
        bool in_scope = false;                      // base is the scope_unit's cgroup
        bool self_moved = false;                    // we moved ourselves into monitor
        bool in_pivot = false;

        std::filesystem::path dir(const std::string& rel) const { return base / rel; }
    };

    void setup(const config::Config& conf);
    // mkdir -p of base/rel, recording what it creates; with enable_controllers
    // (unified only) every ancestor of the leaf delegates all it has.
    void make_chain(Node& n, const std::string& rel, bool enable_controllers, bool leaf_may_exist);
    void enable_controllers(Node& n, const std::filesystem::path& dir);
    void apply_v1(const config::Config& conf);
    void apply_v2(const config::Config& conf);
    void teardown(std::chrono::milliseconds timeout);
    void wait_empty(std::chrono::milliseconds timeout) const;
    std::vector<pid_t> payload_pids() const;

    const Node* unified_node() const;
    const Node* v1_node(std::string_view controller) const;
    const Node& primary_node() const;
    std::filesystem::path payload_dir(const Node& n) const { return n.dir(paths_.payload); }

    Layout layout_;
    ContainerPaths paths_;
    std::string scope_unit_;
    std::vector<Node> nodes_;
    std::vector<std::string> warnings_;
    bool destroyed_ = false;
};

} // namespace lxcd::cgroup
