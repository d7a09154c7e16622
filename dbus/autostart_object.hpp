// org.lxcd1.Autostart at /org/lxcd1: lxc-autostart over D-Bus (autostart/).
#pragma once

#include "autostart-adaptor.h"
#include "registry.hpp"
#include "runner.hpp"

#include <sdbus-c++/sdbus-c++.h>

namespace lxcd::bus {

class AutostartObject final : public sdbus::AdaptorInterfaces<org::lxcd1::Autostart_adaptor> {
  public:
    AutostartObject(sdbus::IConnection& bus, Registry& registry, EventLoop& loop);
    ~AutostartObject();

  private:
    using Failed = sdbus::Result<std::vector<std::string>>;

    void StartGroups(Failed&& result, std::vector<std::string> groups, bool with_null) override;
    void StopGroups(Failed&& result, std::vector<std::string> groups, bool with_null) override;
    void Start(Failed&& result, std::vector<std::string> groups, bool with_null, bool ignore_auto,
               bool all_groups) override;
    void Stop(Failed&& result, std::vector<std::string> groups, bool with_null, bool ignore_auto,
              bool all_groups, bool kill, uint32_t timeout) override;
    void Shutdown(Failed&& result, bool kill, uint32_t timeout) override;
    std::vector<sdbus::Struct<std::string, uint32_t, std::string>>
    Plan(const std::vector<std::string>& groups, const bool& with_null, const bool& ignore_auto,
         const bool& all_groups) override;

    Registry& registry_;
    EventLoop& loop_;
};

} // namespace lxcd::bus
