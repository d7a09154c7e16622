#include "state.hpp"

#include <array>
#include <utility>

namespace lxcd {

namespace {
constexpr std::array<std::pair<State, std::string_view>, 8> kNames{{
    {State::Stopped, "STOPPED"},
    {State::Starting, "STARTING"},
    {State::Running, "RUNNING"},
    {State::Stopping, "STOPPING"},
    {State::Aborting, "ABORTING"},
    {State::Freezing, "FREEZING"},
    {State::Frozen, "FROZEN"},
    {State::Thawed, "THAWED"},
}};
} // namespace

std::string_view state_name(State s) {
    for (const auto& [state, name] : kNames)
        if (state == s)
            return name;
    return "STOPPED";
}

std::optional<State> parse_state(std::string_view name) {
    for (const auto& [state, n] : kNames)
        if (n == name)
            return state;
    return std::nullopt;
}

} // namespace lxcd
