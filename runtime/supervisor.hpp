// The per-container supervisor: starts the container, stays its parent, serves
// the control socket (supervisor_protocol.hpp), enforces stop/reboot, and on
// exit removes everything it created (state directory, cgroups). It never
// daemonizes and does not depend on the process that started it.
#pragma once

#include "config.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>

namespace lxcd::runtime {

struct SupervisorOptions {
    std::string name;
    std::string config_file;
    std::filesystem::path state_dir; // e.g. /run/lxcd/<name>
    bool foreground = false;         // console output to stdout, input from stdin
    bool application = false;        // lxc.execute.cmd under the app init (lxc-execute)
    int sync_fd = -1;                // start handshake with lxcd (see the protocol header)
    bool prepare_when_told = false;  // make nothing of the container before "start"
    bool cgroups = true;             // create the container's cgroups (cgroup.hpp)
    std::string scope_unit;          // the systemd scope lxcd runs us in (cgroup.hpp)
    int term_timeout = 60;           // grace period of the stop that SIGTERM/SIGINT starts
    // Creates the container's lxc.net.* devices while its init waits after clone
    // (network/, which depends on this library); the returned object tears them
    // down when dropped.
    std::function<std::shared_ptr<void>(const config::Config&, const std::string& name, pid_t)>
        setup_network;
};

// Runs until the container has stopped; returns the process exit code: for
// application containers the command's status, otherwise 0 (1 if start failed).
int run_supervisor(const config::Config& cfg, const SupervisorOptions& opts);

} // namespace lxcd::runtime
