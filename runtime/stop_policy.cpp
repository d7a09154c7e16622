#include "stop_policy.hpp"

#include <csignal>

namespace lxcd::runtime {

StopPlan stop_plan(const config::Config& cfg, int timeout_seconds) {
    StopPlan plan;
    plan.stop_signal = cfg.signal_stop ? cfg.signal_stop : SIGKILL;
    if (timeout_seconds == 0)
        return plan;
    plan.halt_signal = cfg.signal_halt ? cfg.signal_halt : SIGPWR;
    if (timeout_seconds > 0)
        plan.grace = std::chrono::seconds(timeout_seconds);
    return plan;
}

int reboot_signal(const config::Config& cfg) {
    return cfg.signal_reboot ? cfg.signal_reboot : SIGINT;
}

} // namespace lxcd::runtime
