#include "container_object.hpp"

#include "bus_errors.hpp"
#include "calls.hpp"
#include "network.hpp"

#include <sys/socket.h>
#include <sys/stat.h>

#include <limits>

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

bool running(const Container& c) {
    return c.init_pid() > 0 && c.state() != lxcd::State::Stopped;
}

// Read live from the container's network namespace; none while it is not running.
std::vector<std::string> addresses(const Container& c, int family) {
    if (!running(c))
        return {};
    try {
        return net::list_addresses(c.init_pid(), family);
    } catch (const Error&) {
        return {}; // it stopped while we looked
    }
}

constexpr uint64_t kUnknown = std::numeric_limits<uint64_t>::max();

// A container on the host's network (lxc.net.0.type = none) has no traffic of its own.
bool own_netns(pid_t pid) {
    struct stat ours {
    }, theirs{};
    std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    return ::stat("/proc/self/ns/net", &ours) == 0 && ::stat(path.c_str(), &theirs) == 0 &&
           ours.st_ino != theirs.st_ino;
}
} // namespace

const cgroup::Stats& ContainerObject::stats() {
    auto now = std::chrono::steady_clock::now();
    if (now - stats_read_ > std::chrono::milliseconds(100) || stats_pid_ != c_.init_pid()) {
        stats_ = {};
        if (running(c_)) {
            try {
                stats_ = cgroup::process_stats(c_.init_pid());
            } catch (const Error&) {
                // it stopped while we looked
            }
        }
        stats_read_ = now;
        stats_pid_ = c_.init_pid();
    }
    return stats_;
}

uint64_t ContainerObject::figure(std::optional<uint64_t> cgroup::Stats::*field) {
    return (stats().*field).value_or(kUnknown);
}

uint64_t ContainerObject::CPUUsageNSec() {
    auto usec = stats().cpu_usage_usec;
    return usec ? *usec * 1000 : kUnknown;
}

std::optional<net::TrafficCounters> ContainerObject::traffic() {
    if (!running(c_) || !own_netns(c_.init_pid()))
        return std::nullopt;
    try {
        return net::traffic_counters(c_.init_pid());
    } catch (const Error&) {
        return std::nullopt;
    }
}

uint64_t ContainerObject::NetworkReceivedBytes() {
    auto t = traffic();
    return t ? t->rx_bytes : kUnknown;
}

uint64_t ContainerObject::NetworkSentBytes() {
    auto t = traffic();
    return t ? t->tx_bytes : kUnknown;
}

std::vector<std::string> ContainerObject::IPv4Addresses() {
    return addresses(c_, AF_INET);
}
std::vector<std::string> ContainerObject::IPv6Addresses() {
    return addresses(c_, AF_INET6);
}

} // namespace lxcd::bus
