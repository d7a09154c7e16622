#include "cgroup_paths.hpp"

#include "cgroup_fs.hpp"
#include "error.hpp"

#include <algorithm>

namespace lxcd::cgroup {

namespace {

constexpr std::string_view kMonitorPrefix = "lxc.monitor.";
constexpr std::string_view kPayloadPrefix = "lxc.payload.";
constexpr std::string_view kPivot = "lxc.pivot";

[[noreturn]] void bad(std::string_view key, const std::string& why) {
    throw Error(Errc::InvalidConfig, "lxc.cgroup." + std::string(key) + ": " + why);
}

std::string join(const std::string& a, std::string_view b) {
    return a.empty() ? std::string(b) : a + "/" + std::string(b);
}

// True if `inner` is `outer` or below it.
bool contains(const std::string& outer, const std::string& inner) {
    return inner == outer || inner.starts_with(outer + "/");
}

} // namespace

std::string normalize_dir(std::string_view value, std::string_view key) {
    std::string out;
    for (const auto& part : split(value, '/')) {
        if (part == ".")
            continue;
        if (part == "..")
            bad(key, "'" + std::string(value) +
                         "' escapes the container's cgroup ('..' is not allowed)");
        if (std::any_of(part.begin(), part.end(),
                        [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            bad(key, "'" + std::string(value) + "' contains a control character");
        out = join(out, part);
    }
    return out;
}

ContainerPaths resolve_paths(const config::Config& conf, std::string_view name) {
    if (name.empty() || name.find('/') != std::string_view::npos || name == "." || name == "..")
        throw Error(Errc::InvalidArgument, "invalid container name '" + std::string(name) + "'");

    const std::string dir = normalize_dir(conf.cgroup_dir, "dir");
    const std::string monitor_dir = normalize_dir(conf.cgroup_dir_monitor, "dir.monitor");
    const std::string container_dir = normalize_dir(conf.cgroup_dir_container, "dir.container");
    const std::string inner = normalize_dir(conf.cgroup_dir_container_inner, "dir.container.inner");
    const std::string pivot_dir = normalize_dir(conf.cgroup_dir_monitor_pivot, "dir.monitor.pivot");

    ContainerPaths p;
    if (!conf.cgroup_dir_monitor.empty() || !conf.cgroup_dir_container.empty()) {
        if (!conf.cgroup_dir.empty())
            bad("dir", "cannot be combined with lxc.cgroup.dir.monitor/dir.container");
        if (monitor_dir.empty() || container_dir.empty())
            bad(monitor_dir.empty() ? "dir.monitor" : "dir.container",
                "lxc.cgroup.dir.monitor and lxc.cgroup.dir.container must both be set "
                "to a cgroup below the container's scope");
        p.monitor = monitor_dir;
        p.payload = container_dir;
        // As in LXC, the inner directory only means something with both set.
        p.inner = inner;
    } else {
        p.monitor = join(dir, std::string(kMonitorPrefix) + std::string(name));
        p.payload = join(dir, std::string(kPayloadPrefix) + std::string(name));
    }
    p.pivot = join(!pivot_dir.empty() ? pivot_dir : dir, kPivot);

    // The supervisor and the payload must live in disjoint subtrees: with
    // cgroup v2 a cgroup holding processes cannot have populated children.
    if (contains(p.monitor, p.payload) || contains(p.payload, p.monitor))
        bad("dir.monitor", "monitor cgroup '" + p.monitor + "' and container cgroup '" + p.payload +
                               "' must not contain each other");
    if (contains(p.monitor, p.pivot) || contains(p.payload, p.pivot))
        bad("dir.monitor.pivot",
            "pivot cgroup '" + p.pivot + "' must be outside the monitor and container cgroups");
    return p;
}

} // namespace lxcd::cgroup
