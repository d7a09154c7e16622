// lxc.prlimit.*: resource names as in the manual (RLIMIT_ without prefix, lowercase).
#pragma once

#include "config.hpp"

#include <optional>
#include <string>

namespace lxcd::runtime {

// "nofile" -> RLIMIT_NOFILE; nullopt for unknown names.
std::optional<int> rlimit_resource(const std::string& name);

// Applies every lxc.prlimit.* to the calling process. Throws naming the key.
void apply_prlimits(const std::map<std::string, config::Config::Prlimit>& limits);

} // namespace lxcd::runtime
