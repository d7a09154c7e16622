// lxcd's own configuration file, /etc/lxcd/lxcd.conf (systemd-style INI). It holds
// what goes beyond LXC and so cannot be an lxc.* key (LXC would reject those).
// Every setting defaults to LXC's behaviour; a missing file means all defaults.
//
//   [Autostart]
//   ParallelStart=no        containers of one pass with the same lxc.start.order
//                           start together (2 per CPU at a time, at least 4); the
//                           next order starts after all of them
//   DelayUntilReady=no      lxc.start.delay = N bounds a wait for the container to be
//                           ready (autostart/readiness.hpp) instead of a sleep of N s
//   ParallelShutdown=no     autostart's stops (host shutdown, --shutdown) stop each
//                           level at once, reverse order, within ShutdownTimeoutSec
//   ShutdownTimeoutSec=60   the bound of a whole parallel shutdown: what is still
//                           running when it has passed gets the stop signal
#pragma once

#include <chrono>
#include <filesystem>
#include <istream>
#include <string>

namespace lxcd {

inline constexpr const char* kDaemonConfigPath = "/etc/lxcd/lxcd.conf";

struct AutostartSettings {
    bool parallel_start = false;
    bool delay_until_ready = false;
    bool parallel_shutdown = false;
    std::chrono::seconds shutdown_timeout{60};

    bool operator==(const AutostartSettings&) const = default;
};

struct DaemonConfig {
    AutostartSettings autostart;
};

// Throws Error(InvalidConfig, "FILE:LINE: ...") naming the section and key at fault;
// unknown sections and keys are errors too (a typo would silently keep LXC's behaviour).
DaemonConfig parse_daemon_config(std::istream& in, const std::string& file);
DaemonConfig load_daemon_config(const std::filesystem::path& path);

} // namespace lxcd
