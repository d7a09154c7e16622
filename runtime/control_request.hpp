// Parsing control-socket requests (supervisor_protocol.hpp) into a typed form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lxcd::runtime {

struct ControlRequest {
    enum class Kind {
        Start,
        State,
        Subscribe,
        Stop,
        Kill,
        Reboot,
        Freeze,
        Thaw,
        Console,
        ConsoleLog,
        ConsoleRotate,
    } kind;
    // stop: timeout seconds (< 0: no escalation); kill: signal number;
    // console-log: 1 to clear the ring after reading
    int arg = 0;
};

// Throws Error(InvalidArgument) naming the problem.
ControlRequest parse_control_request(std::string_view text);

// Reply texts.
std::string reply_ok(std::string_view detail = {});
std::string reply_error(const std::exception& e);

} // namespace lxcd::runtime
