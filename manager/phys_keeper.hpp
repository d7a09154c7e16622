// lxcd's hold on the phys devices (lxc.net.N.type = phys) of one running container.
//
// The supervisor gives them back to the host at stop. Killed instead, it cannot:
// the kernel would then delete a virtual device with the container's network
// namespace and push a real one into the initial namespace under its container
// name. So lxcd keeps that namespace open while the container runs and, once the
// supervisor is gone and the container's init has exited, returns the devices
// that the supervisor's record (network/phys.hpp) still lists.
#pragma once

#include "event_loop.hpp"
#include "fd.hpp"

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace lxcd {

class PhysKeeper {
  public:
    PhysKeeper(EventLoop& loop, std::string container_name);

    // Holds the network namespace of init_pid (0: lets go). A container gone
    // already has nothing to hold.
    void hold(pid_t init_pid);

    // The supervisor is gone: returns what record lists once init has exited
    // (at once if it has), then lets go. No record: nothing was left to return.
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
