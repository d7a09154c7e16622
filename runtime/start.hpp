// Starting a container: clone its first process into new namespaces, let the
// privileged parent write the idmap and place it in its cgroup while it waits,
// prepare its rootfs, run the hooks at their moments, and exec init.
//
//   parent (host)                     child (container namespaces)
//   pre-start hooks
//   clone3(CLONE_NEW*)  ------------> waits
//   uid_map/gid_map, idmapped trees,
//   place_in_cgroup, setup_network,
//   "go" + the trees ---------------> time namespace, setns(share.*), pre-mount hooks,
//                                     rootfs, mount.auto, autodev, mount.entry/fstab,
//                                     sysctl, mount + autodev hooks, pivot_root
//   start-host hooks  <-------------- "mounted"
//   "go" ---------------------------> hostname, proc, prlimit, ..., start hooks,
//                                     seccomp, caps, uid/gid, exec init
//   EOF on the socket = exec'd; any failure arrives as a message and the child is killed.
#pragma once

#include "config.hpp"
#include "fd.hpp"
#include "hooks.hpp"

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
    // Called after clone and before the child continues (it waits on the handshake).
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

// Throws Error with a clear message on any failure, after killing and reaping the
// child: nothing it mounted outlives its mount namespace.
StartedContainer start_container(const config::Config& cfg, const StartOptions& opts);

} // namespace lxcd::runtime
