// The key table: every lxc.container.conf(5) key mapped to its field in the model.
//
// Internal to the config code. The parser, get/set/clear and the writer all go
// through this one table, so a key added here is parsed, queried and written.
#pragma once

#include "config.hpp"

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lxcd::config::detail {

using Lines = std::vector<std::string>;
using Items = std::vector<std::pair<std::string, std::string>>;

struct KeyHandler {
    // An exact key ("lxc.uts.name"), or a prefix ending in '.' ("lxc.sysctl.")
    // that also matches its bare form ("lxc.sysctl", which only clears).
    std::string_view name;
    // value is trimmed and non-empty; throws Error(InvalidConfig) naming the problem.
    void (*set)(Config&, std::string_view key, std::string_view value);
    // The empty value: resets a scalar to its default, empties a list.
    void (*clear)(Config&, std::string_view key);
    // The values as they would be written, one per config line.
    Lines (*get)(const Config&, std::string_view key);
    // Prefix keys list their "key = value" lines for the writer; exact keys
    // leave this null and the writer uses get.
    Items (*items)(const Config&);

    bool is_prefix() const { return name.ends_with('.'); }
};

std::span<const KeyHandler> key_table();
// The handler for key, or nullptr for an unknown key.
const KeyHandler* find_key(std::string_view key);

// The part of key after a prefix handler's name; throws when there is none.
std::string_view sub_key(std::string_view key, std::string_view prefix);

// lxc.net.* (config_net_keys.cpp)
extern const KeyHandler net_key;
// The network an "lxc.net.N..." key names, if it exists.
Network* network_for_key(Config& cfg, std::string_view key);

} // namespace lxcd::config::detail
