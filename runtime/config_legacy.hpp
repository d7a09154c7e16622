// LXC 1.x/2.x keys and what they mean in today's key set.
#pragma once

#include "config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lxcd::config::detail {

struct LegacyKey {
    std::string modern; // the key to apply instead; empty when the key is ignored
    std::string warning;
};

// nullopt when key is not a legacy key. Unindexed lxc.network.* keys refer to
// the network the last lxc.network.type started (LXC's behaviour), so cfg is
// needed; throws Error(InvalidConfig) when there is none yet.
std::optional<LegacyKey> translate_legacy(const Config& cfg, std::string_view key);

} // namespace lxcd::config::detail
