// lxcd's hold on what one running container's network keeps on the host outside
// its namespace: phys devices (lxc.net.N.type = phys) and l2proxy entries.
//
// The supervisor undoes them at stop. Killed instead, it cannot: the kernel would
// delete a virtual phys device with the container's network namespace and push a
// real one into the initial namespace under its container name, and the proxy
// entries would stay. So lxcd keeps that namespace open while the container runs
// and, once the supervisor is gone and the container's init has exited, undoes
// what the supervisor's record (network/host_record.hpp) still lists.
#pragma once

#include "config.hpp"
#include "event_loop.hpp"
#include "fd.hpp"

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace lxcd {

class NetworkKeeper {
  public:
    NetworkKeeper(EventLoop& loop, std::string container_name);

    // True if config has networks that need this keeper.
    static bool needed_for(const config::Config& config);

    // Holds the network namespace of init_pid (0: lets go). A container gone
    // already has nothing to hold.
    void hold(pid_t init_pid);

    // The supervisor is gone: undoes what record lists once init has exited (at
    // once if it has), then lets go. No record: nothing was left to undo.
    void supervisor_gone(const std::filesystem::path& record);

  private:
    void reclaim(const std::filesystem::path& record);

    EventLoop& loop_;
    std::string name_;
    UniqueFd netns_;
    UniqueFd init_pidfd_;
    EventSource init_exit_;
};

} // namespace lxcd
