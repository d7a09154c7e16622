// Which namespaces a container gets: lxc.namespace.clone / keep / share.<ns>.
// Default as LXC: mnt pid uts ipc net cgroup, plus user when lxc.idmap is set and
// time when an lxc.time.offset.* is.
#pragma once

#include "config.hpp"
#include "fd.hpp"

#include <string>
#include <vector>

namespace lxcd::runtime {

struct SharedNamespace {
    config::Namespace ns;
    std::string path; // /proc/<pid>/ns/<name>
};

struct NamespacePlan {
    unsigned long clone_flags = 0; // CLONE_NEW* for clone3
    std::vector<SharedNamespace> shared;
};

// `run_dir` resolves lxc.namespace.share values naming another container
// (its <run_dir>/<name>/init.pid). Throws Error(InvalidConfig) for impossible plans.
// False when the container shares the host's network namespace: its only
// lxc.net entries are of type none (LXC's rule); then no CLONE_NEWNET and no
// network setup. No lxc.net at all means a private namespace with only lo.
bool needs_netns(const config::Config& cfg);
// True when the container's lxc.net entries are set up at its start: it gets a network
// namespace of its own. As LXC, none when it keeps the host's or shares another's (with
// lxc.namespace.keep/share/clone).
bool configures_network(const config::Config& cfg);

NamespacePlan plan_namespaces(const config::Config& cfg, const std::string& run_dir);

struct OpenNamespace {
    config::Namespace ns;
    UniqueFd fd;
};

// Opens the shared namespaces (before clone, so a dying owner cannot swap them).
std::vector<OpenNamespace> open_shared(const NamespacePlan& plan);

// setns() into them; the user namespace first so the others are reachable.
void join_shared(const std::vector<OpenNamespace>& nss);

// lxc.monitor.unshare: moves the calling supervisor into a mount namespace of its own
// whose mounts are slaves of the host's, so that what the pre-start hooks mount
// reaches the container but never the host. Once per supervisor, as LXC's monitor.
void unshare_monitor_mounts();

} // namespace lxcd::runtime
