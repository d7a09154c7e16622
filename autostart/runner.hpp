// Runs autostart plans against the daemon's containers: one container at a
// time, waiting lxc.start.delay after each successful start, never blocking
// the event loop. A failed start is logged and reported, and the run goes on.
#pragma once

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
void run_start(Registry& registry, EventLoop& loop, const Selection& sel, RunDone done);
// Stops the running containers of the selection in reverse plan order.
void run_stop(Registry& registry, const Selection& sel, bool kill, unsigned timeout, RunDone done);
// Host shutdown: every running container, autostarted or not, in reverse start order.
void run_stop_all(Registry& registry, bool kill, unsigned timeout, RunDone done);

} // namespace lxcd::autostart
