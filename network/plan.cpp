#include "plan.hpp"

#include <cstring>
#include <set>

#include <linux/if.h>
#include <linux/rtnetlink.h>

#include "bridge_vlan.hpp"
#include "error.hpp"
#include "ifname.hpp"
#include "inet.hpp"
#include "netlink.hpp"
#include "sysctl.hpp"

namespace lxcd::net {

std::string net_key(const config::Network& net, const std::string& key) {
    std::string where = net.origin.file.empty() ? "" : net.origin.str() + ": ";
    return where + "lxc.net." + std::to_string(net.index) + "." + key;
}

void throw_net_error(const config::Network& net, const std::string& key,
                     const std::string& message) {
    throw Error(Errc::InvalidConfig, net_key(net, key) + ": " + message);
}

namespace {

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed)
        if (value == a)
            return true;
    return false;
}

// The first address of `family` on ifindex (global scope preferred), for
// gateway = auto: LXC uses the bridge's (or parent's) own address.
template <typename Addr> std::optional<Addr> first_address(nl_sock* host, int ifindex, int family) {
    nl_cache* raw = nullptr;
    if (int err = rtnl_addr_alloc_cache(host, &raw); err < 0)
        throw_nl("cannot list the host's addresses", err);
    CachePtr cache(raw);
    std::optional<Addr> found;
    bool found_global = false;
    for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o);
        nl_addr* local = rtnl_addr_get_local(a);
        if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != family || !local ||
            nl_addr_get_len(local) != sizeof(Addr))
            continue;
        bool global = rtnl_addr_get_scope(a) == RT_SCOPE_UNIVERSE;
        if (found && (found_global || !global))
            continue;
        Addr value;
        memcpy(&value, nl_addr_get_binary_addr(local), sizeof(Addr));
        found = value;
        found_global = global;
    }
    return found;
}

class Planner {
  public:
    Planner(const config::Config& config, nl_sock* host) : config_(config), host_(host) {}

    std::vector<NetPlan> run() {
        const auto names = container_ifnames(config_.networks);
        std::vector<NetPlan> plans;
        for (size_t i = 0; i < config_.networks.size(); i++) {
            const auto& net = config_.networks[i];
            NetPlan plan;
            plan.net = &net;
            plan.ifname = names[i];
            plan_one(plan);
            plans.push_back(std::move(plan));
        }
        return plans;
    }

  private:
    void plan_one(NetPlan& p) {
        const auto& n = *p.net;
        if (!one_of(n.type, {"none", "empty", "veth", "macvlan", "ipvlan", "vlan", "phys"}))
            throw_net_error(n, "type", "unknown network type \"" + n.type + "\"");
        if (!creates_interface(n.type))
            return;
        if (!is_valid_ifname(p.ifname))
            throw_net_error(n, "name", "invalid interface name \"" + p.ifname + "\"");
        if (!ifnames_.insert(p.ifname).second)
            throw_net_error(n, "name", "interface name \"" + p.ifname + "\" is used twice");

        if (n.type == "veth")
            plan_veth(p);
        else
            plan_link_based(p);
        plan_hwaddr(p);
        plan_addresses(p);
        plan_gateways(p);
        plan_l2proxy(p);
    }

    int require_link(const config::Network& n, const std::string& what) {
        if (n.link.empty())
            throw_net_error(n, "link", n.type + " needs a " + what + " interface");
        LinkPtr link = find_link(host_, n.link);
        if (!link)
            throw_net_error(n, "link", what + " interface \"" + n.link + "\" does not exist");
        return rtnl_link_get_ifindex(link.get());
    }

    void plan_veth(NetPlan& p) {
        const auto& n = *p.net;
        if (!one_of(n.veth_mode, {"", "bridge", "router"}))
            throw_net_error(n, "veth.mode", "unknown mode \"" + n.veth_mode + "\"");

        if (!n.link.empty() && n.veth_mode != "router") {
            LinkPtr bridge = find_link(host_, n.link);
            if (!bridge)
                throw_net_error(n, "link", "bridge \"" + n.link + "\" does not exist");
            const char* kind = rtnl_link_get_type(bridge.get());
            if (!kind || std::string(kind) != "bridge")
                throw_net_error(n, "link", "\"" + n.link + "\" is not a bridge");
            p.link_ifindex = rtnl_link_get_ifindex(bridge.get());
        }
        plan_port_vlans(p);

        if (!n.veth_pair.empty()) {
            if (!is_valid_ifname(n.veth_pair))
                throw_net_error(n, "veth.pair", "invalid interface name \"" + n.veth_pair + "\"");
            if (!host_names_.insert(n.veth_pair).second)
                throw_net_error(n, "veth.pair", "\"" + n.veth_pair + "\" is used twice");
            if (find_link(host_, n.veth_pair))
                throw_net_error(n, "veth.pair",
                                "interface \"" + n.veth_pair + "\" already exists on the host");
            p.host_name = n.veth_pair;
            return;
        }
        do
            p.host_name = random_veth_name();
        while (host_names_.count(p.host_name) || find_link(host_, p.host_name));
        host_names_.insert(p.host_name);
    }

    // LXC's rules: VLANs need a VLAN-filtering bridge; vid 1-4094 ("none"
    // for veth.vlan.id only drops the bridge's default PVID).
    void plan_port_vlans(NetPlan& p) {
        const auto& n = *p.net;
        if (!n.veth_vlan_id && n.veth_vlan_tagged_ids.empty())
            return;
        const std::string key = n.veth_vlan_id ? "veth.vlan.id" : "veth.vlan.tagged.id";
        auto check = [&](const std::string& k, int32_t vid) {
            if (vid < 1 || vid > 4094)
                throw_net_error(n, k, "VLAN id " + std::to_string(vid) + " is out of range 1-4094");
        };
        if (n.veth_vlan_id && *n.veth_vlan_id != config::Network::kVlanNone)
            check("veth.vlan.id", *n.veth_vlan_id);
        for (uint16_t vid : n.veth_vlan_tagged_ids)
            check("veth.vlan.tagged.id", vid);
        if (!p.link_ifindex)
            throw_net_error(n, key,
                            "needs a bridge in lxc.net." + std::to_string(n.index) +
                                ".link (and veth.mode bridge)");
        BridgeVlanSettings bridge = bridge_vlan_settings(p.link_ifindex);
        if (!bridge.filtering)
            throw_net_error(n, key, "vlan_filtering is not enabled on bridge \"" + n.link + "\"");
        p.bridge_default_pvid = bridge.default_pvid;
    }

    void plan_link_based(NetPlan& p) {
        const auto& n = *p.net;
        if (n.type == "macvlan") {
            if (!one_of(n.macvlan_mode, {"", "private", "vepa", "bridge", "passthru"}))
                throw_net_error(n, "macvlan.mode", "unknown mode \"" + n.macvlan_mode + "\"");
            p.link_ifindex = require_link(n, "parent");
        } else if (n.type == "ipvlan") {
            if (!one_of(n.ipvlan_mode, {"", "l3", "l3s", "l2"}))
                throw_net_error(n, "ipvlan.mode", "unknown mode \"" + n.ipvlan_mode + "\"");
            if (!one_of(n.ipvlan_isolation, {"", "bridge", "private", "vepa"}))
                throw_net_error(n, "ipvlan.isolation",
                                "unknown isolation \"" + n.ipvlan_isolation + "\"");
            p.link_ifindex = require_link(n, "parent");
        } else if (n.type == "vlan") {
            if (!n.vlan_id)
                throw_net_error(n, "vlan.id", "a vlan network needs vlan.id");
            if (*n.vlan_id > 4094)
                throw_net_error(n, "vlan.id",
                                "VLAN id " + std::to_string(*n.vlan_id) +
                                    " is out of range 0-4094");
            p.link_ifindex = require_link(n, "parent");
        } else { // phys
            p.link_ifindex = require_link(n, "physical");
            if (!phys_.insert(n.link).second)
                throw_net_error(n, "link", "\"" + n.link + "\" is already given to the container");
            LinkPtr link = find_link(host_, p.link_ifindex);
            if (link && (rtnl_link_get_flags(link.get()) & IFF_LOOPBACK))
                throw_net_error(n, "link", "cannot move the loopback interface");
        }
    }

    void plan_hwaddr(NetPlan& p) {
        const auto& n = *p.net;
        if (n.hwaddr.empty())
            return;
        if (!is_hwaddr_template(n.hwaddr))
            throw_net_error(n, "hwaddr", "invalid MAC address \"" + n.hwaddr + "\"");
        p.hwaddr = parse_hwaddr(complete_hwaddr(n.hwaddr));
        if ((*p.hwaddr)[0] & 0x01)
            throw_net_error(n, "hwaddr", "\"" + n.hwaddr + "\" is a multicast address");
    }

    void plan_addresses(const NetPlan& p) {
        const auto& n = *p.net;
        for (const auto& a : n.ipv4)
            if (a.prefix > 32)
                throw_net_error(n, "ipv4.address", "invalid prefix length in " + to_string(a));
        for (const auto& a : n.ipv6)
            if (a.prefix > 128)
                throw_net_error(n, "ipv6.address", "invalid prefix length in " + to_string(a));
    }

    int auto_gateway_link(const NetPlan& p, const std::string& key) {
        const auto& n = *p.net;
        if (!one_of(n.type, {"veth", "macvlan", "ipvlan"}))
            throw_net_error(n, key, "auto is only valid for veth, macvlan and ipvlan");
        if (n.link.empty())
            throw_net_error(n, key, "auto needs lxc.net." + std::to_string(n.index) + ".link");
        if (p.link_ifindex)
            return p.link_ifindex;
        LinkPtr link = find_link(host_, n.link);
        if (!link)
            throw_net_error(n, "link", "interface \"" + n.link + "\" does not exist");
        return rtnl_link_get_ifindex(link.get());
    }

    void plan_gateways(NetPlan& p) {
        const auto& n = *p.net;
        using K4 = config::Ipv4Gateway::Kind;
        using K6 = config::Ipv6Gateway::Kind;
        if (n.ipv4_gateway && n.ipv4_gateway->kind == K4::Address)
            p.ipv4_gateway = n.ipv4_gateway->addr;
        if (n.ipv4_gateway && n.ipv4_gateway->kind == K4::Auto) {
            p.ipv4_gateway =
                first_address<in_addr>(host_, auto_gateway_link(p, "ipv4.gateway"), AF_INET);
            if (!p.ipv4_gateway)
                throw_net_error(n, "ipv4.gateway",
                                "auto, but \"" + n.link + "\" has no IPv4 address");
        }
        if (n.ipv6_gateway && n.ipv6_gateway->kind == K6::Address)
            p.ipv6_gateway = n.ipv6_gateway->addr;
        if (n.ipv6_gateway && n.ipv6_gateway->kind == K6::Auto) {
            p.ipv6_gateway =
                first_address<in6_addr>(host_, auto_gateway_link(p, "ipv6.gateway"), AF_INET6);
            if (!p.ipv6_gateway)
                throw_net_error(n, "ipv6.gateway",
                                "auto, but \"" + n.link + "\" has no IPv6 address");
        }
    }

    // LXC refuses l2proxy unless the host already forwards on `link`.
    void plan_l2proxy(const NetPlan& p) {
        const auto& n = *p.net;
        if (!n.l2proxy)
            return;
        if (n.link.empty())
            throw_net_error(n, "l2proxy", "needs lxc.net." + std::to_string(n.index) + ".link");
        auto require = [&](const std::string& family, const std::string& name) {
            if (read_sysctl(conf_sysctl_path(family, n.link, name)) != "1")
                throw_net_error(n, "l2proxy",
                                "needs sysctl net." + family + ".conf." + n.link + "." + name +
                                    "=1");
        };
        if (!n.ipv4.empty())
            require("ipv4", "forwarding");
        if (!n.ipv6.empty()) {
            require("ipv6", "proxy_ndp");
            require("ipv6", "forwarding");
        }
    }

    const config::Config& config_;
    nl_sock* host_;
    std::set<std::string> ifnames_;    // in-container names in use
    std::set<std::string> host_names_; // veth host names chosen so far
    std::set<std::string> phys_;       // host devices moved in
};

} // namespace

std::vector<NetPlan> plan_networks(const config::Config& config, nl_sock* host) {
    return Planner(config, host).run();
}

} // namespace lxcd::net
