// What the container's first process does after pivot_root and before exec'ing
// init: hostname, lxc.proc.*, prlimits, keyring, loopback, environment, cwd,
// no_new_privs, seccomp, capabilities, uid/gid; then exec (or the app init).
#pragma once

#include "config.hpp"
#include "seccomp_filter.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lxcd::runtime {

// The environment init starts with: container=lxc, a default PATH, then
// lxc.environment ("NAME" alone copies NAME from `inherited`).
std::vector<std::string> init_environment(const config::Config& cfg,
                                          const std::vector<std::string>& inherited);

// The command PID 1 runs: lxc.execute.cmd in application mode, else lxc.init.cmd
// (default /sbin/init).
std::vector<std::string> init_command(const config::Config& cfg, bool application);

// Steps that need the container's /proc and namespaces, done as root in the container.
void setup_process(const config::Config& cfg, bool own_uts, bool own_net);

// Drops privileges as configured; the last step before exec. The filter (compiled by
// the parent from the host's policy file) is loaded here.
void restrict_process(const config::Config& cfg, std::optional<seccomp::SeccompFilter>& filter);

} // namespace lxcd::runtime
