// Proof that a network namespace passed in by an unprivileged caller is its own, and
// which process a pidfd it passed stands for: what lxcd checks before it creates
// devices in the namespace for the caller.
#pragma once

#include <cstdint>
#include <string>

#include <sys/types.h>

#include "fd.hpp"

namespace lxcd {

// Throws Error(InvalidArgument) unless fd is a network namespace other than lxcd's
// own, and Error(AccessDenied) unless uid controls it: the user namespace owning it,
// or one of that namespace's ancestors, was created by uid.
void require_netns_owned_by(int netns_fd, uid_t uid);

// A process that outlives PID reuse: its PID and its start time (clock ticks after
// boot, field 22 of /proc/PID/stat).
struct ProcessId {
    pid_t pid = 0;
    uint64_t start_time = 0;
};

// The process of a pidfd, checked to be in the network namespace netns_fd. Throws
// Error(InvalidArgument) for an fd that is no pidfd, a process already gone, or one in
// another namespace.
ProcessId pidfd_process_in(int pidfd, int netns_fd);

// A pidfd for id, or an empty fd when that process is gone (its PID may be reused).
UniqueFd open_process(const ProcessId& id);

} // namespace lxcd
