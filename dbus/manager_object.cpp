#include "manager_object.hpp"

#include "bus_errors.hpp"
#include "calls.hpp"

namespace lxcd::bus {

namespace {
constexpr const char* kManagerPath = "/org/lxcd1";

net::UserNicRequest user_nic_request(const Options& device, unsigned position) {
    for (const auto& [key, value] : device)
        if (key != "link" && key != "name" && key != "hwaddr" && key != "mtu" && key != "index")
            throw Error(Errc::InvalidArgument, "unknown device option '" + key + "'");
    net::UserNicRequest r;
    r.index = u32_option(device, "index").value_or(position);
    r.link = string_option(device, "link");
    if (r.link.empty())
        throw Error(Errc::InvalidArgument,
                    "device " + std::to_string(position) + " has no 'link' (its bridge)");
    r.name = string_option(device, "name");
    r.hwaddr = string_option(device, "hwaddr");
    r.mtu = u32_option(device, "mtu");
    return r;
}
} // namespace

ManagerObject::ManagerObject(sdbus::IConnection& bus, Registry& registry, UserNics& user_nics)
    : AdaptorInterfaces(bus, kManagerPath), bus_(bus), registry_(registry), user_nics_(user_nics) {
    for (Container* c : registry_.all())
        container_added(*c);
    registry_.set_listener([this](Container& c, bool added) {
        if (added)
            container_added(c);
        else
            container_removed(c);
    });
    registerAdaptor();
}

ManagerObject::~ManagerObject() {
    registry_.set_listener({});
    unregisterAdaptor();
}

void ManagerObject::container_added(Container& c) {
    auto& object = objects_[c.name()] = std::make_unique<ContainerObject>(bus_, c);
    object->announce();
    c.set_listener([this](Container& changed) { state_changed(changed); });
    emitContainerNew(c.name(), container_object_path(c.name()));
}

void ManagerObject::container_removed(Container& c) {
    c.set_listener({});
    if (auto it = objects_.find(c.name()); it != objects_.end()) {
        it->second->withdraw();
        objects_.erase(it);
    }
    emitContainerRemoved(c.name(), container_object_path(c.name()));
}

void ManagerObject::state_changed(Container& c) {
    if (auto it = objects_.find(c.name()); it != objects_.end())
        it->second->state_changed();
    emitContainerStateChanged(c.name(), std::string(state_name(c.state())));
}

std::vector<sdbus::Struct<std::string, std::string, sdbus::ObjectPath>>
ManagerObject::ListContainers() {
    std::vector<sdbus::Struct<std::string, std::string, sdbus::ObjectPath>> out;
    for (Container* c : registry_.all())
        out.emplace_back(c->name(), std::string(state_name(c->state())),
                         sdbus::ObjectPath(container_object_path(c->name())));
    return out;
}

sdbus::ObjectPath ManagerObject::GetContainer(const std::string& name) {
    return translate(
        [&] { return sdbus::ObjectPath(container_object_path(registry_.get(name).name())); });
}

sdbus::ObjectPath
ManagerObject::CreateContainer(const std::string& name, const std::string& template_,
                               const std::map<std::string, sdbus::Variant>& options) {
    return translate([&] {
        require_root(getObject());
        CreateOptions opts{template_, string_option(options, "config")};
        return sdbus::ObjectPath(container_object_path(registry_.create(name, opts).name()));
    });
}

void ManagerObject::DestroyContainer(const std::string& name) {
    translate([&] {
        require_root(getObject());
        registry_.destroy(name);
    });
}

void ManagerObject::StartContainer(sdbus::Result<>&& result, std::string name) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { registry_.get(name).start(std::move(done)); });
}

void ManagerObject::StopContainer(sdbus::Result<>&& result, std::string name, bool force) {
    mutate(getObject(), std::move(result), [&](Container::Done done) {
        registry_.get(name).stop(force, kDefaultStopTimeout, std::move(done));
    });
}

void ManagerObject::StopContainerWithTimeout(sdbus::Result<>&& result, std::string name,
                                             uint32_t timeout) {
    mutate(getObject(), std::move(result), [&](Container::Done done) {
        registry_.get(name).stop(false, timeout, std::move(done));
    });
}

void ManagerObject::RebootContainer(sdbus::Result<>&& result, std::string name) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { registry_.get(name).reboot(std::move(done)); });
}

void ManagerObject::KillContainer(const std::string& name, const int32_t& signal) {
    translate([&] {
        require_root(getObject());
        registry_.get(name).kill(signal, [](const std::optional<Error>&) {});
    });
}

void ManagerObject::FreezeContainer(sdbus::Result<>&& result, std::string name) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { registry_.get(name).freeze(std::move(done)); });
}

void ManagerObject::ThawContainer(sdbus::Result<>&& result, std::string name) {
    mutate(getObject(), std::move(result),
           [&](Container::Done done) { registry_.get(name).thaw(std::move(done)); });
}

void ManagerObject::Reload() {
    translate([&] {
        require_root(getObject());
        registry_.scan();
    });
}

std::vector<sdbus::Struct<std::string, std::string>> ManagerObject::CreateUserNetworkDevices(
    const sdbus::UnixFd& netns, const sdbus::UnixFd& init, const std::string& container,
    const std::vector<std::map<std::string, sdbus::Variant>>& devices) {
    return translate([&] {
        // Open to every user: the caller's own uid is what lxc-usernet is checked against.
        uid_t caller = caller_uid(getObject());
        std::vector<net::UserNicRequest> requests;
        for (unsigned i = 0; i < devices.size(); i++)
            requests.push_back(user_nic_request(devices[i], i));
        std::vector<sdbus::Struct<std::string, std::string>> created;
        for (const auto& nic :
             user_nics_.create(caller, netns.get(), init.get(), container, requests))
            created.emplace_back(nic.host_name, nic.name);
        return created;
    });
}

} // namespace lxcd::bus
