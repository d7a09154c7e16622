// lxc.idmap: the uid_map/gid_map of the container's user namespace, written by
// the parent while the child waits (seed 002: "u 0 100000 65536").
#pragma once

#include "config.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace lxcd::runtime {

// The /proc/PID/{uid,gid}_map text for maps of `type` ('u' or 'g').
std::string format_idmap(const std::vector<config::IdMap>& maps, char type);

// True when container id `id` of `type` is mapped.
bool idmap_covers(const std::vector<config::IdMap>& maps, char type, uint32_t id);

// The host id that container id `id` of `type` maps to (`id` itself without maps).
uint32_t host_id(const std::vector<config::IdMap>& maps, char type, uint32_t id);

// Writes uid_map and gid_map of `pid`: directly as root, else through newuidmap and
// newgidmap (subid.hpp). Throws Error if a map is missing.
void write_idmaps(pid_t pid, const std::vector<config::IdMap>& maps);

} // namespace lxcd::runtime
