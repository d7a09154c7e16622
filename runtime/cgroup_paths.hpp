// Where a container's cgroups go, relative to the supervisor's own cgroup
// (lxc.cgroup.relative semantics: the container's systemd scope). Resolves
// lxc.cgroup.dir, dir.monitor, dir.container, dir.container.inner and
// dir.monitor.pivot the way LXC does, but never outside the base cgroup.
#pragma once

#include "config.hpp"

#include <string>
#include <string_view>

namespace lxcd::cgroup {

struct ContainerPaths {
    std::string monitor; // the supervisor's cgroup, e.g. "lxc.monitor.c1"
    std::string payload; // where limits apply, e.g. "lxc.payload.c1"
    std::string inner;   // below payload, where the container's processes go ("" = payload)
    std::string pivot;   // where the supervisor moves to before removing monitor

    // payload or payload/inner.
    std::string process_cgroup() const { return inner.empty() ? payload : payload + "/" + inner; }
};

// Normalises a relative cgroup path from the config: "." and empty components
// are dropped, a leading '/' still means "inside the base cgroup", and ".."
// or control-character names are rejected (Errc::InvalidConfig naming key).
std::string normalize_dir(std::string_view value, std::string_view key);

// Resolves the container's cgroup paths; throws Error(InvalidConfig) for
// conflicting or escaping settings.
ContainerPaths resolve_paths(const config::Config& conf, std::string_view name);

} // namespace lxcd::cgroup
