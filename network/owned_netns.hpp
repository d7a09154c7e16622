// An unprivileged container's network namespace, for the user that owns it. setns() into
// it needs CAP_SYS_ADMIN in the caller's own user namespace as well, which a user lacks on
// the host; but as the owner of the container's user namespace it holds every capability
// in there (user_namespaces(7)), so a netlink socket made inside serves it from the host.
#pragma once

#include "fd.hpp"
#include "netlink.hpp"

namespace lxcd::net {

struct OwnedNetns {
    UniqueFd netns; // the container's network namespace
    NlSocket sock;  // a NETLINK_ROUTE socket in it
};

// Joins the user and then the network namespace of init_pidfd's process in a short-lived
// forked helper (setns() into a user namespace needs a single-threaded process, so not a
// thread as open_route_socket_in() uses), which hands both back. Going through the pidfd
// rather than /proc/PID/ns/* does not depend on the process being dumpable. Throws Error.
OwnedNetns open_owned_netns(int init_pidfd);

// A pidfd of process pid (our child, or one we know alive). Throws Error.
UniqueFd open_pidfd(pid_t pid);

} // namespace lxcd::net
