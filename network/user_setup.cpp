// setup_user_networks(): the unprivileged counterpart of setup_networks().
#include "network.hpp"

#include "configure.hpp"
#include "error.hpp"
#include "fd.hpp"
#include "namespaces.hpp"
#include "owned_netns.hpp"
#include "plan.hpp"
#include "user_nic_client.hpp"

namespace lxcd::net {

namespace {

// lxcd made the peer with its name, MAC and MTU: the rest is configured as for root.
void configure_user_nic(const std::vector<NetPlan>& plans, const HostNic& nic, nl_sock* inside) {
    for (NetPlan plan : plans) {
        if (plan.net->index != nic.index)
            continue;
        plan.ifname = nic.name;
        plan.host_name = nic.host_name;
        plan.hwaddr.reset(); // its 'x' digits were filled in by lxcd
        LinkPtr link = find_link(inside, nic.name);
        if (!link)
            throw_net_error(*plan.net, "name",
                            "\"" + nic.name + "\" from lxcd is not in the container");
        configure_interface(plan, inside, rtnl_link_get_ifindex(link.get()), false);
        return;
    }
}

} // namespace

void setup_user_networks(const config::Config& config, const std::string& container_name,
                         pid_t init_pid) {
    if (!runtime::configures_network(config))
        return;
    UniqueFd pidfd = open_pidfd(init_pid);
    OwnedNetns ns = open_owned_netns(pidfd.get());
    NlSocket host = open_route_socket();
    // Checked against the host (bridges, gateways = auto) before lxcd creates anything.
    const std::vector<NetPlan> plans = plan_networks(config, host.get());
    const std::vector<HostNic> nics =
        request_user_nics(ns.netns.get(), pidfd.get(), container_name, config.networks);
    bring_up_loopback(ns.sock.get());
    for (const auto& nic : nics)
        configure_user_nic(plans, nic, ns.sock.get());
}

} // namespace lxcd::net
