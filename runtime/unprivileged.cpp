#include "unprivileged.hpp"

#include "error.hpp"
#include "subid.hpp"

#include <sched.h>
#include <unistd.h>

namespace lxcd::runtime {

namespace {

// Host-side devices need CAP_NET_ADMIN in the host's network namespace. Like LXC, only
// veth is possible, and only through a privileged helper: the system lxcd.
void check_network(const config::Network& net) {
    if (net.type == "empty" || net.type == "none")
        return;
    std::string key =
        net.origin.str() + ": lxc.net." + std::to_string(net.index) + ".type = " + net.type + ": ";
    if (net.type == "veth")
        throw Error(Errc::InvalidConfig,
                    key +
                        "an unprivileged container's veth must come from the system lxcd "
                        "(org.lxcd1.Manager.CreateUserNetworkDevices), which is not "
                        "available; use lxc.net." +
                        std::to_string(net.index) + ".type = empty");
    throw Error(Errc::InvalidConfig, key + "not possible in an unprivileged container (only "
                                           "veth through the system lxcd, empty and none)");
}

} // namespace

bool unprivileged() {
    return ::geteuid() != 0;
}

void check_unprivileged_start(const config::Config& cfg, const NamespacePlan& plan) {
    if (!(plan.clone_flags & CLONE_NEWUSER))
        throw Error(Errc::InvalidConfig,
                    "uid " + std::to_string(::geteuid()) +
                        " is not root: an unprivileged container needs lxc.idmap entries "
                        "(e.g. lxc.idmap = u 0 100000 65536 and g 0 100000 65536, within "
                        "/etc/subuid and /etc/subgid)");
    check_subids(cfg.idmaps, current_subid_owner());
    for (const auto& net : cfg.networks)
        check_network(net);
}

} // namespace lxcd::runtime
