// Starting a container: clone its first process into new namespaces, let the
// privileged parent write the idmap, prepare its rootfs while the parent sets up its
// network and waits for its cgroup (systemd creating the scope takes longer than all
// of this), then place it there, finish the mounts, run the hooks at their moments,
// and exec init.
//
//   parent (host)                     child (container namespaces)
//   pre-start hooks
//   clone3(CLONE_NEW*)  ------------> waits
//   uid_map/gid_map, idmapped trees,
//   "go" + the trees ---------------> time namespace, setns(share.*), pre-mount hooks,
//   setup_network (before "go" for    rootfs, proc, sys, autodev, console, ttys,
//     a non-root supervisor)          mount.entry/fstab; waits
//   == prepare_start returns; the caller waits for the cgroup ==
//   place_in_cgroup, "go" ----------> cgroup namespace, cgroup mounts, sysctl, mount +
//                                     autodev hooks, pivot_root
//   start-host hooks  <-------------- "mounted"
//   "go" ---------------------------> hostname, proc, prlimit, ..., start hooks,
//                                     seccomp, caps, uid/gid, exec init
//   EOF on the socket = exec'd; any failure arrives as a message and the child is killed.
#pragma once

#include "config.hpp"
#include "fd.hpp"
#include "hooks.hpp"
#include "sync_channel.hpp"

#include <functional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace lxcd::runtime {

struct StartOptions {
    std::string name;
    std::string config_file;           // LXC_CONFIG_FILE
    std::string run_dir = "/run/lxcd"; // resolves lxc.namespace.share.* by container name
    bool application = false;          // lxc.execute.cmd under the app init
    std::string console_pty;           // host path of a pty slave for /dev/console and init's stdio
    std::vector<std::string> tty_ptys; // host paths of pty slaves for /dev/tty1..N (lxc.tty.max)
    // Called with the child waiting: setup_network by prepare_start, place_in_cgroup by
    // finish_start.
    std::function<void(pid_t child)> place_in_cgroup;
    std::function<void(pid_t child)> setup_network;
};

struct StartedContainer {
    pid_t pid = 0;     // init, in the host's PID namespace
    UniqueFd pidfd;    // for signals and exit notification without PID reuse races
    HookContext hooks; // for the stop / post-stop hooks
    bool own_pid_ns = true;
    // The container's namespaces, opened while its init still waited: the stop hooks get
    // them (LXC_<NS>_NS) even when init is long gone.
    std::vector<std::pair<std::string, UniqueFd>> namespaces;
};

// A container between prepare_start and finish_start: its init is cloned and is
// preparing its rootfs. Destroyed without finish_start, it kills and reaps the child:
// nothing it mounted outlives its mount namespace.
class PreparedStart {
  public:
    PreparedStart(PreparedStart&& other) noexcept
        : sc_(std::move(other.sc_)), sync_(std::move(other.sync_)) {
        other.sc_.pid = 0;
    }
    PreparedStart& operator=(PreparedStart&&) = delete;
    ~PreparedStart();

    pid_t pid() const { return sc_.pid; }

  private:
    PreparedStart(StartedContainer sc, SyncChannel sync)
        : sc_(std::move(sc)), sync_(std::move(sync)) {}
    friend PreparedStart prepare_start(const config::Config&, const StartOptions&);
    friend StartedContainer finish_start(const config::Config&, const StartOptions&,
                                         PreparedStart&&);

    StartedContainer sc_;
    SyncChannel sync_;
};

// Both throw Error with a clear message on any failure, after killing and reaping the
// child. The config and options must be the same for both calls.
PreparedStart prepare_start(const config::Config& cfg, const StartOptions& opts);
StartedContainer finish_start(const config::Config& cfg, const StartOptions& opts,
                              PreparedStart&& prepared);

} // namespace lxcd::runtime
