// Creates the device of one lxc.net.N (or moves it in, for phys) so that it
// ends up in the container's namespace under its final name.
#pragma once

#include <functional>
#include <vector>

#include "plan.hpp"

struct nl_sock;

namespace lxcd::net {

// The two namespaces a setup works between.
struct Namespaces {
    nl_sock* host = nullptr;      // rtnetlink socket in the host's namespace
    nl_sock* container = nullptr; // rtnetlink socket in the container's namespace
    int host_netns_fd = -1;
    int container_netns_fd = -1;
};

// Steps that reverse what was done, run last-first by teardown or rollback.
using UndoList = std::vector<std::function<void()>>;

struct PhysOrigin;

// Creates (or moves in) the device for plan and returns its ifindex inside the
// container. Everything that outlives the container's namespace is recorded
// in undo before this returns or throws; a phys device's origin also in phys.
int create_device(const NetPlan& plan, const Namespaces& ns, UndoList& undo,
                  std::vector<PhysOrigin>& phys);

// Deletes the link ifindex if it still exists (and is still called name, when
// name is given: an index is never reused while the link exists, but a name is).
void delete_link(nl_sock* sock, int ifindex, const std::string& name = {});

} // namespace lxcd::net
