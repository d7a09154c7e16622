// What LXC calls userns_exec_mapped_root: a non-root user cannot chown anything to the
// container's root (e.g. 100000) on the host, but the root of a user namespace with the
// container's maps plus the user's own uid and gid can: files it owns or creates are
// owned by the container's root outside. Used for the console ptys and for template
// root filesystems of unprivileged containers.
#pragma once

#include "config.hpp"

#include <functional>
#include <vector>

namespace lxcd::runtime {

// Runs fn in a forked child that is root of a new user namespace mapped with `maps` and,
// just above them, the caller's own uid and gid (so what the caller owns stays reachable).
// fn throws Error to fail; the Error is rethrown here. Maps are written as write_idmaps
// does (newuidmap/newgidmap without root).
void run_as_mapped_root(const std::vector<config::IdMap>& maps, const std::function<void()>& fn);

} // namespace lxcd::runtime
