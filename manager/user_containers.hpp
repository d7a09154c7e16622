// A user's own containers (lxcd --user, seed 002): their configs start from the user's
// ~/.config/lxc/default.conf, with lxc.idmap from its /etc/subuid and /etc/subgid ranges
// when that has none, and their root filesystems belong to the container's root (e.g.
// uid 100000), which the user reaches only as root of a mapped user namespace.
#pragma once

#include "config.hpp"
#include "user_paths.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace lxcd {

// The start of a new container's config: default.conf's text, plus
// "lxc.idmap = u 0 START COUNT" and its 'g' twin from the user's first ranges (at most
// 65536 ids) unless it maps ids itself. Throws Error naming a missing range.
std::string user_default_config(const runtime::LxcPaths& paths);

// Hands `tree` (made by the user) to the container's root: every file is chowned to
// container ids 0:0 inside a user namespace mapped with `maps`.
void give_to_container_root(const std::filesystem::path& tree,
                            const std::vector<config::IdMap>& maps);

// Removes `dir`, which holds files of the container's ids, the same way.
void remove_as_container_root(const std::filesystem::path& dir,
                              const std::vector<config::IdMap>& maps);

} // namespace lxcd
