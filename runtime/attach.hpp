// Running a command inside a running container (lxc-attach): joins every
// namespace of its init and its cgroups, takes the container's environment,
// cwd, seccomp filter, capabilities and uid/gid, passes stdio through and
// returns the command's exit status.
#pragma once

#include "config.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace lxcd::runtime {

// Reads <state_dir>/init.pid. Throws Error(NotRunning).
pid_t read_init_pid(const std::string& state_dir);

// Returns the command's exit code (128 + signal when killed).
int attach(pid_t init_pid, const config::Config& cfg, const std::vector<std::string>& argv);

} // namespace lxcd::runtime
