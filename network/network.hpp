// Container networking (lxc.net.N) over netlink: the API the supervisor uses.
//
// setup_networks() runs on the host once the container's init exists (and is
// still blocked): it creates every lxc.net.N device directly in, or moves it
// into, the container's network namespace and configures it there through a
// netlink socket bound to that namespace - no process is forked per step.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include "config.hpp"

struct nl_sock;

namespace lxcd::net {

// One device as it ended up.
struct Interface {
    unsigned index = 0;    // N of lxc.net.N
    std::string type;      // veth, macvlan, ipvlan, vlan, phys
    std::string name;      // inside the container
    std::string host_name; // veth: the host side; phys: the original name; else ""
};

// Owns what a container's networks hold on the host. Destroying it (or
// teardown()) runs script.down, returns phys devices to the host under their
// original names, and removes host-side devices and proxy entries. It keeps
// the container's network namespace open until then, so phys devices come
// back even after the container's processes are gone.
class NetworkSetup {
  public:
    NetworkSetup();
    ~NetworkSetup();
    NetworkSetup(NetworkSetup&&) noexcept;
    NetworkSetup& operator=(NetworkSetup&&) noexcept;

    const std::vector<Interface>& interfaces() const;

    // Idempotent. Attempts every step, then throws the first failure.
    void teardown();

    struct State;

  private:
    explicit NetworkSetup(std::unique_ptr<State> state);
    friend NetworkSetup setup_networks(const config::Config&, const std::string&, pid_t,
                                       const std::filesystem::path&);

    std::unique_ptr<State> state_;
};

// Sets up every lxc.net.N of config for the container whose init is
// init_pid. Throws lxcd::Error naming the key
// ("file:line: lxc.net.0.link: bridge \"br9\" does not exist") with
// everything already created removed again. With a record_file path, what
// the networks hold on the host outside the container's namespace (phys
// devices, l2proxy entries) is listed in that file until teardown
// (host_record.hpp), for reclaim_host_network() should this process die first.
NetworkSetup setup_networks(const config::Config& config, const std::string& container_name,
                            pid_t init_pid, const std::filesystem::path& record_file = {});

// For an unprivileged supervisor (as the owner of the container's user namespace): asks
// the system lxcd for a veth per lxc.net.N (request_user_nics()) and configures each
// inside as setup_networks() configures a veth peer, with the loopback up. Throws
// lxcd::Error naming the key or lxcd's refusal. Nothing to undo: lxcd deletes the pairs
// when init exits, so a failed start must kill init.
void setup_user_networks(const config::Config& config, const std::string& container_name,
                         pid_t init_pid);

// The record's name in a supervisor's state directory.
inline constexpr const char* kHostRecordFile = "network.host";

// Undoes what record_file lists: gives phys devices still in the network
// namespace container_netns (kept open by the caller; -1 if none was) back to the
// host under their original names, and deletes l2proxy entries; then removes
// the file. For lxcd, after a supervisor died without its teardown. Tries every
// item, throws the first failure.
void reclaim_host_network(int container_netns, const std::filesystem::path& record_file);

struct TrafficCounters {
    uint64_t rx_bytes = 0;
    uint64_t tx_bytes = 0;
};
// What D-Bus shows of a running container's network: "ADDR/PREFIX" of its addresses
// except loopback and IPv6 link-local ones, and the bytes its interfaces received and
// sent (loopback left out).
struct LiveNetwork {
    std::vector<std::string> ipv4;
    std::vector<std::string> ipv6;
    TrafficCounters traffic;
};

// Reads a running container's LiveNetwork over one netlink socket opened inside its
// namespace once and kept, so that each read is one dump of links and addresses (each
// waits at most about a second for the kernel). The socket keeps the namespace, and the
// interfaces in it, alive: drop the reader when the container stops. Throws Error.
class LiveNetworkReader {
  public:
    explicit LiveNetworkReader(pid_t init_pid);
    LiveNetwork read();

  private:
    std::unique_ptr<nl_sock, void (*)(nl_sock*)> sock_;
};

} // namespace lxcd::net
