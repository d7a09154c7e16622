// What a killed supervisor leaves outside systemd's reach, and lxcd removes.
//
// A supervisor removes its state directory (/run/lxcd/<name>) and its cgroups when it
// exits. SIGKILLed, it cannot: systemd removes the scope's cgroups with the scope, but
// not the state directory, nor the payload cgroups in v1 hierarchies where systemd does
// not realise the scope (a hybrid host's devices, freezer, ...: there the payload sits
// below the supervisor's cgroup outside the scope). lxcd notes those cgroups while the
// container runs and, once the supervisor is gone without cleaning up and the
// container's init has exited, removes them and the state directory. (Its network on the
// host is NetworkKeeper's, which reads the record in the state directory: that file is
// left to it.)
#pragma once

#include "cgroup_paths.hpp"
#include "config.hpp"
#include "event_loop.hpp"
#include "fd.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lxcd {

class SupervisorRemains {
  public:
    SupervisorRemains(EventLoop& loop, std::string container_name, std::filesystem::path state_dir);

    // lxcd has just spawned this supervisor: watched from now on, so that its state
    // directory goes too when it is killed before the container has an init.
    void spawned(pid_t supervisor_pid);
    // The container runs with this init: notes its supervisor (from the state
    // directory), holds pidfds of both, and on the next loop turn notes the payload
    // cgroups the supervisor made outside its scope (from its /proc/PID/cgroup and the
    // mount table: off the path of the start's answer).
    void track(pid_t init_pid, const config::Config& config);
    // The supervisor's connection is gone: once it and init have exited, removes what it
    // left if it did not clean up (its state directory is still there, still its own).
    void supervisor_gone();

  private:
    void note_cgroups();
    void remove_when_exited();
    void remove();

    EventLoop& loop_;
    std::string name_;
    std::filesystem::path state_dir_;
    std::vector<std::string> cgroups_; // children before parents (strings: paths are ~5x bigger)
    std::optional<cgroup::ContainerPaths> to_note_; // until note_cgroups has run
    EventSource noting_;                            // the one-shot timer that runs note_cgroups
    pid_t supervisor_pid_ = 0;
    UniqueFd supervisor_pidfd_, init_pidfd_;
    EventSource waiting_;
};

} // namespace lxcd
