// Container states, named as LXC names them (lxc-info, lxc-wait).
#pragma once

#include <optional>
#include <string_view>

namespace lxcd {

enum class State { Stopped, Starting, Running, Stopping, Aborting, Freezing, Frozen, Thawed };

std::string_view state_name(State s);
std::optional<State> parse_state(std::string_view name);

} // namespace lxcd
