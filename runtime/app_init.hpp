// The tiny init of application containers (lxc.execute.cmd, lxc-execute): PID 1
// runs the command as its child, forwards signals to it, reaps every orphan, and
// exits with the command's status (128 + signal when it was killed).
#pragma once

#include <functional>

namespace lxcd::runtime {

// Forks; the child calls `exec_command` (which must exec or _exit). The caller runs
// `after_fork` (e.g. to close what only the command may hold) and continues as the
// reaper; it never returns.
[[noreturn]] void run_app_init(const std::function<void()>& exec_command,
                               const std::function<void()>& after_fork);

} // namespace lxcd::runtime
