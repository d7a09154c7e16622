// veth devices the privileged lxcd creates for an unprivileged container (LXC's
// lxc-user-nic): the host side on a bridge, the peer born inside the container's
// network namespace. Only what cannot touch the rest of the host is offered: the
// bridge, the peer's name, MAC and MTU; the host side's name is random and its MTU
// the bridge's. The
// caller configures addresses and routes itself, inside its own namespace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lxcd::net {

struct UserNicRequest {
    unsigned index = 0;          // N of the caller's lxc.net.N, for error messages
    std::string link;            // the bridge
    std::string name;            // inside the container
    std::string hwaddr;          // "" or a template with 'x' digits (the peer's MAC)
    std::optional<uint32_t> mtu; // inside; the host side has the bridge's
};

struct UserNic {
    std::string link;
    std::string host_name;
    int host_ifindex = 0;
    std::string name; // inside the container
};

// Creates one veth pair per request, all or none (a failure removes what was created
// and throws Error naming "lxc.net.N.<key>"). Devices stay after return: the kernel
// removes a pair when the namespace of either end goes away.
std::vector<UserNic> create_user_nics(int netns_fd, const std::vector<UserNicRequest>& requests);

// True if the host has the link ifindex under host_name.
bool user_nic_exists(int host_ifindex, const std::string& host_name);

// Deletes the host side (and so the pair) if it is still there under that name.
void delete_user_nic(int host_ifindex, const std::string& host_name);

} // namespace lxcd::net
