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
    : AdaptorInterfaces(bus, container_object_path(container.name())), c_(container),
      last_state_(container.state()) {
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

namespace {

bool freezer_state(lxcd::State s) {
    return s == lxcd::State::Freezing || s == lxcd::State::Frozen || s == lxcd::State::Thawed;
}

} // namespace

void ContainerObject::state_changed() {
    lxcd::State now = c_.state();
    if (now != lxcd::State::Running && !freezer_state(now))
        drop_readers();
    // Freezing, thawing and stopping change only the state; the rest changes when the
    // container starts (or restarts) and when it has stopped. The addresses go as
    // invalidated (see the interface XML): nothing is read from the container here.
    bool state_only = now == lxcd::State::Stopping || freezer_state(now) ||
                      (now == lxcd::State::Running && freezer_state(last_state_));
    last_state_ = now;
    if (state_only) {
        getObject().emitPropertiesChangedSignal(INTERFACE_NAME, {"State"});
        return;
    }
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

constexpr uint64_t kUnknown = std::numeric_limits<uint64_t>::max();

bool same_netns_as_ours(pid_t pid) {
    struct stat ours {
    }, theirs{};
    std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    return ::stat("/proc/self/ns/net", &ours) == 0 && ::stat(path.c_str(), &theirs) == 0 &&
           ours.st_ino == theirs.st_ino;
}

} // namespace

const ContainerObject::Live& ContainerObject::live(Part part) {
    if (live_pid_ != c_.init_pid()) { // started, restarted or stopped: nothing read holds
        drop_readers();
        live_ = {};
        stats_read_ = network_read_ = {};
        live_pid_ = c_.init_pid();
    }
    auto& read_at = part == Part::Stats ? stats_read_ : network_read_;
    auto now = std::chrono::steady_clock::now();
    if (now - read_at < std::chrono::milliseconds(5))
        return live_;
    read_at = now;
    if (part == Part::Stats)
        live_.stats = {};
    else
        live_.network.reset();
    if (live_pid_ <= 0 || c_.state() == lxcd::State::Stopped)
        return live_;
    try {
        if (part == Part::Stats) {
            if (!stats_reader_)
                stats_reader_.emplace(live_pid_);
            live_.stats = stats_reader_->read();
        } else {
            live_.own_network = !same_netns_as_ours(live_pid_);
            if (!net_reader_)
                net_reader_.emplace(live_pid_);
            live_.network = net_reader_->read();
        }
    } catch (const Error&) {
        // it stopped while we looked: what was read stands
        drop_readers();
    }
    return live_;
}

void ContainerObject::drop_readers() {
    stats_reader_.reset();
    net_reader_.reset(); // it holds the namespace, and with it the interfaces
}

uint64_t ContainerObject::figure(std::optional<uint64_t> cgroup::Stats::*field) {
    return (live(Part::Stats).stats.*field).value_or(kUnknown);
}

uint64_t ContainerObject::CPUUsageNSec() {
    auto usec = live(Part::Stats).stats.cpu_usage_usec;
    return usec ? *usec * 1000 : kUnknown;
}

uint64_t ContainerObject::NetworkReceivedBytes() {
    const Live& l = live(Part::Network);
    return l.network && l.own_network ? l.network->traffic.rx_bytes : kUnknown;
}

uint64_t ContainerObject::NetworkSentBytes() {
    const Live& l = live(Part::Network);
    return l.network && l.own_network ? l.network->traffic.tx_bytes : kUnknown;
}

std::vector<std::string> ContainerObject::IPv4Addresses() {
    const Live& l = live(Part::Network);
    return l.network ? l.network->ipv4 : std::vector<std::string>{};
}

std::vector<std::string> ContainerObject::IPv6Addresses() {
    const Live& l = live(Part::Network);
    return l.network ? l.network->ipv6 : std::vector<std::string>{};
}

} // namespace lxcd::bus
