// How a container is stopped (lxc-stop): the halt signal (lxc.signal.halt,
// default SIGPWR) to init, a grace period, then the stop signal
// (lxc.signal.stop, default SIGKILL). Reboot sends lxc.signal.reboot (SIGINT).
#pragma once

#include "config.hpp"

#include <chrono>
#include <optional>

namespace lxcd::runtime {

struct StopPlan {
    int halt_signal = 0;                       // 0: skip the clean phase (timeout 0)
    std::optional<std::chrono::seconds> grace; // nullopt: wait for ever
    int stop_signal = 0;
};

// timeout_seconds as lxc-stop -t: > 0 grace period, 0 kill at once, < 0 no escalation.
StopPlan stop_plan(const config::Config& cfg, int timeout_seconds);

int reboot_signal(const config::Config& cfg);

} // namespace lxcd::runtime
