// org.lxcd1.Autostart at /org/lxcd1: lxc-autostart over D-Bus (autostart/).
#pragma once

#include "autostart-adaptor.h"
#include "registry.hpp"
#include "runner.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include <filesystem>

namespace lxcd::bus {

class AutostartObject final : public sdbus::AdaptorInterfaces<org::lxcd1::Autostart_adaptor> {
  public:
    // config: lxcd's own settings file, read at every call (lxcd.conf).
    AutostartObject(sdbus::IConnection& bus, Registry& registry, EventLoop& loop,
                    std::filesystem::path config);
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
    std::vector<sdbus::Struct<std::string, uint32_t, std::string, uint32_t>>
    Plan(const std::vector<std::string>& groups, const bool& with_null, const bool& ignore_auto,
         const bool& all_groups) override;
    bool ParallelStart() override;
    bool DelayUntilReady() override;
    bool ParallelShutdown() override;
    uint32_t ShutdownTimeoutSec() override;

    AutostartSettings settings() const;

    Registry& registry_;
    EventLoop& loop_;
    std::filesystem::path config_;
};

} // namespace lxcd::bus
