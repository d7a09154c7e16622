// org.lxcd1.Container: one object per container at /org/lxcd1/container/<escaped name>.
#pragma once

#include "cgroup.hpp"
#include "container-adaptor.h"
#include "container.hpp"
#include "network.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include <chrono>
#include <optional>

namespace lxcd::bus {

std::string container_object_path(const std::string& name);

class ContainerObject final
    : public sdbus::AdaptorInterfaces<org::lxcd1::Container_adaptor, sdbus::ManagedObject_adaptor> {
  public:
    ContainerObject(sdbus::IConnection& bus, Container& container);
    ~ContainerObject();

    // Emits PropertiesChanged for the runtime properties.
    void state_changed();
    // InterfacesAdded / InterfacesRemoved from the object manager at /org/lxcd1.
    void announce();
    void withdraw();

  private:
    void Start(sdbus::Result<>&& result) override;
    void Stop(sdbus::Result<>&& result, bool force) override;
    void Reboot(sdbus::Result<>&& result) override;
    void Kill(const int32_t& signal) override;
    void Freeze(sdbus::Result<>&& result) override;
    void Thaw(sdbus::Result<>&& result) override;

    std::string Name() override { return c_.name(); }
    std::string State() override { return std::string(state_name(c_.state())); }
    uint32_t InitPID() override { return static_cast<uint32_t>(c_.init_pid()); }
    std::string Unit() override { return c_.unit(); }
    std::string ControlGroup() override { return c_.control_group(); }
    std::string ConfigPath() override { return c_.config_path().string(); }
    std::vector<std::string> IPv4Addresses() override;
    std::vector<std::string> IPv6Addresses() override;
    bool Autostart() override { return c_.config().start_auto; }
    std::vector<std::string> Groups() override { return c_.config().groups; }
    int32_t StartOrder() override { return c_.config().start_order; }
    uint32_t StartDelay() override { return c_.config().start_delay; }
    uint64_t CPUUsageNSec() override;
    uint64_t MemoryCurrent() override { return figure(&cgroup::Stats::memory_current); }
    uint64_t MemoryPeak() override { return figure(&cgroup::Stats::memory_peak); }
    uint64_t MemoryMax() override { return figure(&cgroup::Stats::memory_max); }
    uint64_t TasksCurrent() override { return figure(&cgroup::Stats::pids_current); }
    uint64_t IOReadBytes() override { return figure(&cgroup::Stats::io_read_bytes); }
    uint64_t IOWriteBytes() override { return figure(&cgroup::Stats::io_write_bytes); }
    uint64_t NetworkReceivedBytes() override;
    uint64_t NetworkSentBytes() override;

    // What is read live from the running container, once for all the properties of a
    // GetAll or GetManagedObjects: again after 5 ms, so separate calls see fresh figures.
    // The cgroup figures and the network are read separately: the addresses sent with
    // each state change need no cgroup file.
    struct Live {
        cgroup::Stats stats;
        std::optional<net::LiveNetwork> network; // nullopt: not running (any more)
        bool own_network = false;                // not the host's (lxc.net.0.type = none)
    };
    enum class Part { Stats, Network };
    const Live& live(Part part);
    void drop_readers();
    uint64_t figure(std::optional<uint64_t> cgroup::Stats::*field);

    Container& c_;
    Live live_;
    std::chrono::steady_clock::time_point stats_read_{}, network_read_{};
    pid_t live_pid_ = 0; // of the init it was read for
    // Kept while it runs: the payload's cgroups and a netlink socket in its namespace.
    std::optional<cgroup::StatsReader> stats_reader_;
    std::optional<net::LiveNetworkReader> net_reader_;
    lxcd::State last_state_; // as last announced
};

} // namespace lxcd::bus
