#include "autostart_object.hpp"

#include "bus_errors.hpp"
#include "calls.hpp"
#include "log.hpp"

#include <memory>

namespace lxcd::bus {

namespace {

autostart::Selection selection(std::vector<std::string> groups, bool with_null, bool ignore_auto,
                               bool all_groups) {
    if (with_null)
        groups.push_back("");
    return autostart::Selection{std::move(groups), ignore_auto, all_groups};
}

autostart::RunDone answer(sdbus::Result<std::vector<std::string>>&& result) {
    auto shared = std::make_shared<sdbus::Result<std::vector<std::string>>>(std::move(result));
    return [shared](const std::vector<std::string>& failed) { shared->returnResults(failed); };
}

} // namespace

AutostartObject::AutostartObject(sdbus::IConnection& bus, Registry& registry, EventLoop& loop,
                                 std::filesystem::path config)
    : AdaptorInterfaces(bus, "/org/lxcd1"), registry_(registry), loop_(loop),
      config_(std::move(config)) {
    registerAdaptor();
}

AutostartSettings AutostartObject::settings() const {
    return load_daemon_config(config_).autostart;
}

AutostartObject::~AutostartObject() {
    unregisterAdaptor();
}

void AutostartObject::StartGroups(Failed&& result, std::vector<std::string> groups,
                                  bool with_null) {
    Start(std::move(result), std::move(groups), with_null, false, false);
}

void AutostartObject::StopGroups(Failed&& result, std::vector<std::string> groups, bool with_null) {
    Stop(std::move(result), std::move(groups), with_null, false, false, false, kDefaultStopTimeout);
}

void AutostartObject::Start(Failed&& result, std::vector<std::string> groups, bool with_null,
                            bool ignore_auto, bool all_groups) {
    translate([&] {
        require_root(getObject());
        autostart::run_start(registry_, loop_, settings(),
                             selection(std::move(groups), with_null, ignore_auto, all_groups),
                             answer(std::move(result)));
    });
}

void AutostartObject::Stop(Failed&& result, std::vector<std::string> groups, bool with_null,
                           bool ignore_auto, bool all_groups, bool kill, uint32_t timeout) {
    translate([&] {
        require_root(getObject());
        autostart::run_stop(registry_, settings(),
                            selection(std::move(groups), with_null, ignore_auto, all_groups), kill,
                            timeout, answer(std::move(result)));
    });
}

void AutostartObject::Shutdown(Failed&& result, bool kill, uint32_t timeout) {
    translate([&] {
        require_root(getObject());
        // Containers must be stopped cleanly whatever the file says: a broken one
        // means LXC's sequential shutdown, not none.
        AutostartSettings s; // LXC's
        try {
            s = settings();
        } catch (const Error& e) {
            log::error(std::string(e.what()) + "; shutting down as LXC does");
        }
        autostart::run_stop_all(registry_, s, kill, timeout, answer(std::move(result)));
    });
}

std::vector<sdbus::Struct<std::string, uint32_t, std::string, uint32_t>>
AutostartObject::Plan(const std::vector<std::string>& groups, const bool& with_null,
                      const bool& ignore_auto, const bool& all_groups) {
    return translate([&] {
        std::vector<sdbus::Struct<std::string, uint32_t, std::string, uint32_t>> out;
        auto plan = autostart::start_plan(autostart::candidates(registry_),
                                          selection(groups, with_null, ignore_auto, all_groups));
        uint32_t level = 0;
        for (const auto& steps : autostart::levels(plan, settings().parallel_start)) {
            for (const auto& step : steps)
                out.emplace_back(step.name, step.delay, step.group, level);
            level++;
        }
        return out;
    });
}

bool AutostartObject::ParallelStart() {
    return translate([&] { return settings().parallel_start; });
}

bool AutostartObject::DelayUntilReady() {
    return translate([&] { return settings().delay_until_ready; });
}

bool AutostartObject::ParallelShutdown() {
    return translate([&] { return settings().parallel_shutdown; });
}

uint32_t AutostartObject::ShutdownTimeoutSec() {
    return translate([&] { return static_cast<uint32_t>(settings().shutdown_timeout.count()); });
}

} // namespace lxcd::bus
