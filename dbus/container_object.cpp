#include "container_object.hpp"

#include "bus_errors.hpp"
#include "calls.hpp"
#include "network.hpp"

#include <sys/socket.h>

#include <systemd/sd-bus.h>

namespace lxcd::bus {

std::string container_object_path(const std::string& name) {
    char* path = nullptr;
    if (sd_bus_path_encode("/org/lxcd1/container", name.c_str(), &path) < 0)
        throw Error(Errc::System, "out of memory");
    std::string out(path);
    free(path);
    return out;
}

ContainerObject::ContainerObject(sdbus::IConnection& bus, Container& container)
    : AdaptorInterfaces(bus, container_object_path(container.name())), c_(container) {
    registerAdaptor();
}

ContainerObject::~ContainerObject() {
    unregisterAdaptor();
}

void ContainerObject::announce() {
    emitInterfacesAddedSignal({INTERFACE_NAME});
}

void ContainerObject::withdraw() {
    emitInterfacesRemovedSignal({INTERFACE_NAME});
}

void ContainerObject::state_changed() {
    getObject().emitPropertiesChangedSignal(
        INTERFACE_NAME,
        {"State", "InitPID", "Unit", "ControlGroup", "IPv4Addresses", "IPv6Addresses"});
}

void ContainerObject::Start(sdbus::Result<>&& result) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { c_.start(std::move(done)); });
}

void ContainerObject::Stop(sdbus::Result<>&& result, bool force) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { c_.stop(force, kDefaultStopTimeout, std::move(done)); });
}

void ContainerObject::Reboot(sdbus::Result<>&& result) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { c_.reboot(std::move(done)); });
}

void ContainerObject::Kill(const int32_t& signal) {
    translate([&] {
        require_root(getObject());
        c_.kill(signal, [](const std::optional<Error>&) {});
    });
}

void ContainerObject::Freeze(sdbus::Result<>&& result) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { c_.freeze(std::move(done)); });
}

void ContainerObject::Thaw(sdbus::Result<>&& result) {
    mutate(getObject(), std::move(result), [&](Container::Done done) { c_.thaw(std::move(done)); });
}

namespace {
// Read live from the container's network namespace; none while it is not running.
std::vector<std::string> addresses(const Container& c, int family) {
    if (c.init_pid() <= 0 || c.state() == lxcd::State::Stopped)
        return {};
    try {
        return net::list_addresses(c.init_pid(), family);
    } catch (const Error&) {
        return {}; // it stopped while we looked
    }
}
} // namespace

std::vector<std::string> ContainerObject::IPv4Addresses() {
    return addresses(c_, AF_INET);
}
std::vector<std::string> ContainerObject::IPv6Addresses() {
    return addresses(c_, AF_INET6);
}

} // namespace lxcd::bus
