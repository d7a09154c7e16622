// org.lxcd1.Manager at /org/lxcd1, and the per-container objects it keeps in step
// with the registry. /org/lxcd1 is also their org.freedesktop.DBus.ObjectManager: one
// GetManagedObjects call returns every container with all its properties.
#pragma once

#include "container_object.hpp"
#include "manager-adaptor.h"
#include "registry.hpp"
#include "user_nics.hpp"

#include <map>
#include <memory>
#include <sdbus-c++/sdbus-c++.h>

namespace lxcd::bus {

class ManagerObject final
    : public sdbus::AdaptorInterfaces<org::lxcd1::Manager_adaptor, sdbus::ObjectManager_adaptor> {
  public:
    ManagerObject(sdbus::IConnection& bus, Registry& registry, UserNics& user_nics);
    ~ManagerObject();

  private:
    void container_added(Container& c);
    void container_removed(Container& c);
    void state_changed(Container& c);

    std::vector<sdbus::Struct<std::string, std::string, sdbus::ObjectPath>>
    ListContainers() override;
    sdbus::ObjectPath GetContainer(const std::string& name) override;
    sdbus::ObjectPath
    CreateContainer(const std::string& name, const std::string& template_,
                    const std::map<std::string, sdbus::Variant>& options) override;
    void DestroyContainer(const std::string& name) override;
    void StartContainer(sdbus::Result<>&& result, std::string name) override;
    void StopContainer(sdbus::Result<>&& result, std::string name, bool force) override;
    void StopContainerWithTimeout(sdbus::Result<>&& result, std::string name,
                                  uint32_t timeout) override;
    void RebootContainer(sdbus::Result<>&& result, std::string name) override;
    void KillContainer(const std::string& name, const int32_t& signal) override;
    void FreezeContainer(sdbus::Result<>&& result, std::string name) override;
    void ThawContainer(sdbus::Result<>&& result, std::string name) override;
    void Reload() override;
    std::vector<sdbus::Struct<std::string, std::string>> CreateUserNetworkDevices(
        const sdbus::UnixFd& netns, const sdbus::UnixFd& init, const std::string& container,
        const std::vector<std::map<std::string, sdbus::Variant>>& devices) override;

    sdbus::IConnection& bus_;
    Registry& registry_;
    UserNics& user_nics_;
    std::map<std::string, std::unique_ptr<ContainerObject>> objects_;
};

} // namespace lxcd::bus
