#include "client.hpp"

#include "user_paths.hpp"

#include <chrono>

namespace lxcctl {

namespace {
constexpr const char* kService = "org.lxcd1";
constexpr const char* kManagerPath = "/org/lxcd1";
bool user_lxcd = false;
} // namespace

void use_user_lxcd() {
    user_lxcd = true;
}

std::string supervisor_run_dir() {
    return user_lxcd ? lxcd::runtime::current_paths().run_dir.string()
                     : lxcd::runtime::system_paths().run_dir.string();
}

ManagerProxy::ManagerProxy(sdbus::IConnection& bus, bool signals)
    : ProxyInterfaces(bus, kService, kManagerPath) {
    if (signals)
        registerProxy();
}

ManagerProxy::~ManagerProxy() {
    unregisterProxy();
}

AutostartProxy::AutostartProxy(sdbus::IConnection& bus)
    : ProxyInterfaces(bus, kService, kManagerPath) {
    registerProxy();
}

AutostartProxy::~AutostartProxy() {
    unregisterProxy();
}

ContainerProxy::ContainerProxy(sdbus::IConnection& bus, const std::string& path)
    : ProxyInterfaces(bus, kService, path) {
    registerProxy();
}

ContainerProxy::~ContainerProxy() {
    unregisterProxy();
}

Client::Client(Signals signals)
    : bus(user_lxcd ? sdbus::createSessionBusConnection() : sdbus::createSystemBusConnection()) {
    // Stops wait for the container's halt timeout; the bus default (25 s) is too short.
    bus->setMethodCallTimeout(std::chrono::minutes(10));
    manager = std::make_unique<ManagerProxy>(*bus, signals == Signals::Yes);
}

std::unique_ptr<ContainerProxy> Client::container(const std::string& name) {
    return std::make_unique<ContainerProxy>(*bus, manager->GetContainer(name));
}

std::string describe(const sdbus::Error& e) {
    if (e.getName() == "org.freedesktop.DBus.Error.ServiceUnknown")
        return "lxcd is not running (" + e.getMessage() + ")";
    if (e.getName().rfind("org.lxcd1.Error.", 0) == 0 ||
        e.getName() == "org.freedesktop.DBus.Error.AccessDenied")
        return e.getMessage();
    return e.getName() + ": " + e.getMessage();
}

} // namespace lxcctl
