// Single-item access to a config by key, like liblxc's get/set/clear_config_item.
#pragma once

#include "config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lxcd::config {

// The key's values as they would be written, one per config line; empty when
// unset. Throws Error(InvalidConfig) for an unknown key.
std::vector<std::string> get_item(const Config& cfg, std::string_view key);
// Sets (or, for a list key, appends) one value; an empty value clears like in
// a file. Throws Error(InvalidConfig) "key: problem" for a bad key or value.
void set_item(Config& cfg, std::string_view key, std::string_view value);
// Resets a scalar to its default or empties a list; "lxc.net" drops all networks.
void clear_item(Config& cfg, std::string_view key);

} // namespace lxcd::config
