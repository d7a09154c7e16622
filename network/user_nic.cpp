#include "user_nic.hpp"

#include <fcntl.h>

#include "config.hpp"
#include "configure.hpp"
#include "devices.hpp"
#include "error.hpp"
#include "fd.hpp"
#include "netlink.hpp"
#include "phys.hpp"
#include "plan.hpp"

namespace lxcd::net {

namespace {

config::Config as_config(const std::vector<UserNicRequest>& requests) {
    config::Config config;
    for (const auto& r : requests) {
        config::Network n;
        n.index = r.index;
        n.type = "veth";
        n.link = r.link;
        n.name = r.name;
        n.hwaddr = r.hwaddr; // the host side's MTU is always the bridge's (below)
        config.networks.push_back(std::move(n));
    }
    return config;
}

} // namespace

std::vector<UserNic> create_user_nics(int netns_fd, const std::vector<UserNicRequest>& requests) {
    const config::Config config = as_config(requests);
    UniqueFd host_netns(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!host_netns)
        throw_errno("cannot open the host's network namespace");
    NlSocket host = open_route_socket();
    NlSocket container = open_route_socket_in(netns_fd);
    const Namespaces ns{host.get(), container.get(), host_netns.get(), netns_fd};

    const std::vector<NetPlan> plans = plan_networks(config, host.get());
    std::vector<UserNic> nics;
    UndoList undo;
    std::vector<PhysOrigin> no_phys;
    try {
        for (size_t i = 0; i < plans.size(); i++) {
            const NetPlan& plan = plans[i];
            const int ifindex = create_device(plan, ns, undo, no_phys);
            // The MAC, and an MTU of its own only inside: a smaller one on the host side
            // would lower the bridge's for everyone.
            config::Network inside = *plan.net;
            inside.mtu = requests[i].mtu;
            NetPlan configure = plan;
            configure.net = &inside;
            configure_interface(configure, container.get(), ifindex, true);
            LinkPtr link = find_link(host.get(), plan.host_name);
            if (!link)
                throw_net_error(*plan.net, "type", "\"" + plan.host_name + "\" vanished");
            nics.push_back(
                {plan.net->link, plan.host_name, rtnl_link_get_ifindex(link.get()), plan.ifname});
        }
    } catch (...) {
        // The creation error says more than an undo step's; a pair left over anyway
        // goes with the namespace.
        FirstError ignored;
        for (auto step = undo.rbegin(); step != undo.rend(); ++step)
            ignored.attempt(*step);
        throw;
    }
    return nics;
}

bool user_nic_exists(int host_ifindex, const std::string& host_name) {
    NlSocket host = open_route_socket();
    LinkPtr link = find_link(host.get(), host_ifindex);
    return link && host_name == rtnl_link_get_name(link.get());
}

void delete_user_nic(int host_ifindex, const std::string& host_name) {
    NlSocket host = open_route_socket();
    delete_link(host.get(), host_ifindex, host_name);
}

} // namespace lxcd::net
