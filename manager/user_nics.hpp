// Network devices for unprivileged containers, made by the privileged lxcd on a D-Bus
// call instead of LXC's setuid lxc-user-nic. For a caller (uid from its bus
// credentials) it checks that the network namespace is its own and that
// /etc/lxc/lxc-usernet allows the devices, creates them (network/user_nic.hpp), and
// records each in <run_dir>/.usernet.
//
// Release: the kernel removes a pair when the container's namespace goes, and lxcd
// deletes the host side when the container's init (a pidfd the caller passes) exits,
// in case something else keeps the namespace. A device counts against the quota while
// its host side exists. A restarted lxcd reads the records back: devices whose init
// has exited meanwhile are deleted, the others watched again.
#pragma once

#include "event_loop.hpp"
#include "fd.hpp"
#include "user_nic.hpp"
#include "user_nic_record.hpp"
#include "usernet_conf.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace lxcd {

class UserNics {
  public:
    // Takes over the records found in run_dir/.usernet.
    UserNics(EventLoop& loop, const std::filesystem::path& run_dir,
             std::string usernet_file = kUsernetPath);

    // Creates the devices in the namespace netns_fd for uid's container (its init is
    // pidfd's process). Throws Error: AccessDenied (not the caller's namespace, no
    // lxc-usernet entry), BridgeNotAllowed, QuotaExceeded, InvalidArgument (bad fds),
    // InvalidConfig (lxc.net.N.key: a request the host cannot satisfy).
    std::vector<net::UserNic> create(uid_t uid, int netns_fd, int pidfd,
                                     const std::string& container,
                                     const std::vector<net::UserNicRequest>& requests);

  private:
    // Devices of uid on bridge whose host side still exists; forgets the others.
    unsigned live_devices(uid_t uid, const std::string& bridge);
    // Records the device and watches its owner through a copy of pidfd.
    void keep(const UserNicRecord& record, int pidfd);
    void watch(const UserNicRecord& record, UniqueFd pidfd);
    void release(const std::string& host_name, int host_ifindex);

    EventLoop& loop_;
    std::filesystem::path dir_;
    std::string usernet_file_;
    struct Watch {
        UniqueFd pidfd;
        EventSource exit;
    };
    std::map<std::string, Watch> watches_; // by host name
};

} // namespace lxcd
