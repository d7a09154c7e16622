// Which cgroup hierarchies are mounted and where the calling process sits in
// each: pure cgroup v2, hybrid (v1 controllers plus a cgroup2 mount, usually
// /sys/fs/cgroup/unified) or pure v1.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::cgroup {

struct Hierarchy {
    bool unified = false;
    // v1: the hierarchy's controllers as /proc/self/cgroup names them
    // ("cpu", "cpuacct", "name=systemd"); empty for the unified hierarchy.
    std::vector<std::string> controllers;
    std::filesystem::path mountpoint;
    std::string mount_root; // the hierarchy path mounted at mountpoint ("/" normally)
    std::string own;        // the process's cgroup in this hierarchy, absolute

    bool has_controller(std::string_view name) const;
    // The directory of `own` below mountpoint.
    std::filesystem::path own_dir() const;
    // "unified" or the comma-joined controllers, for messages.
    std::string label() const;
};

enum class LayoutKind { Unified, Hybrid, Legacy };

struct Layout {
    LayoutKind kind = LayoutKind::Unified;
    std::vector<Hierarchy> hierarchies;

    const Hierarchy* unified() const;
    const Hierarchy* v1_with(std::string_view controller) const;
};

// Builds the layout from the text of /proc/self/mountinfo and
// /proc/self/cgroup. Hierarchies that are not mounted, or whose mount does not
// contain the process's cgroup, are left out. Throws Error if none remain.
Layout parse_layout(std::string_view mountinfo, std::string_view proc_cgroup);

// parse_layout() of the calling process.
Layout detect_layout();

} // namespace lxcd::cgroup
