#include "autostart_object.hpp"

#include "bus_errors.hpp"
#include "calls.hpp"

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

AutostartObject::AutostartObject(sdbus::IConnection& bus, Registry& registry, EventLoop& loop)
    : AdaptorInterfaces(bus, "/org/lxcd1"), registry_(registry), loop_(loop) {
    registerAdaptor();
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
        autostart::run_start(registry_, loop_,
                             selection(std::move(groups), with_null, ignore_auto, all_groups),
                             answer(std::move(result)));
    });
}

void AutostartObject::Stop(Failed&& result, std::vector<std::string> groups, bool with_null,
                           bool ignore_auto, bool all_groups, bool kill, uint32_t timeout) {
    translate([&] {
        require_root(getObject());
        autostart::run_stop(registry_,
                            selection(std::move(groups), with_null, ignore_auto, all_groups), kill,
                            timeout, answer(std::move(result)));
    });
}

void AutostartObject::Shutdown(Failed&& result, bool kill, uint32_t timeout) {
    translate([&] {
        require_root(getObject());
        autostart::run_stop_all(registry_, kill, timeout, answer(std::move(result)));
    });
}

std::vector<sdbus::Struct<std::string, uint32_t, std::string>>
AutostartObject::Plan(const std::vector<std::string>& groups, const bool& with_null,
                      const bool& ignore_auto, const bool& all_groups) {
    return translate([&] {
        std::vector<sdbus::Struct<std::string, uint32_t, std::string>> out;
        for (const auto& step :
             autostart::start_plan(autostart::candidates(registry_),
                                   selection(groups, with_null, ignore_auto, all_groups)))
            out.emplace_back(step.name, step.delay, step.group);
        return out;
    });
}

} // namespace lxcd::bus
