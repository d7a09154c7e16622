// Runs autostart plans against the daemon's containers, level by level (plan.hpp),
// never blocking the event loop. With lxcd.conf's defaults that is LXC's run: one
// container at a time, waiting lxc.start.delay after each successful start. A
// failed start or stop is logged and reported, and the run goes on. While a level
// starts, the next level's first container is staged (Container::stage) unless a delay
// follows: systemd makes its scope meanwhile, and its init runs only in its turn.
#pragma once

#include "daemon_config.hpp"
#include "plan.hpp"
#include "registry.hpp"

#include <functional>
#include <string>
#include <vector>

namespace lxcd::autostart {

// Called once at the end with the names of the containers that failed.
using RunDone = std::function<void(const std::vector<std::string>& failed)>;

std::vector<Candidate> candidates(Registry& registry);

// Starts the selection in plan order; running containers are skipped without delay.
// ParallelStart: a level's containers start at once. DelayUntilReady: the delay after
// a container ends as soon as it is ready (readiness.hpp).
void run_start(Registry& registry, EventLoop& loop, const AutostartSettings& settings,
               const Selection& sel, RunDone done);
// Stops the running containers of the selection in reverse plan order, each with its
// halt signal and `timeout` (or at once with kill). ParallelShutdown: a level's
// containers stop at once, and the whole run within ShutdownTimeoutSec.
void run_stop(Registry& registry, const AutostartSettings& settings, const Selection& sel,
              bool kill, unsigned timeout, RunDone done);
// Host shutdown: every running container, autostarted or not, in reverse start order.
void run_stop_all(Registry& registry, const AutostartSettings& settings, bool kill,
                  unsigned timeout, RunDone done);

} // namespace lxcd::autostart
