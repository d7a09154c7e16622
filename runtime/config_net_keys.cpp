// lxc.net.N.* : indexed network keys and their sub-key table.
#include "config_keys.hpp"
#include "config_values.hpp"
#include "error.hpp"

#include <algorithm>
#include <array>

namespace lxcd::config::detail {

namespace {

struct NetKey {
    std::string_view name; // sub-key after "lxc.net.N."
    void (*set)(Network&, std::string_view value);
    void (*clear)(Network&);
    Lines (*get)(const Network&);
};

const Network& default_network() {
    static const Network n;
    return n;
}

template <auto M> void reset(Network& n) {
    n.*M = default_network().*M;
}

template <auto M> Lines get_string(const Network& n) {
    return (n.*M).empty() ? Lines{} : Lines{n.*M};
}

template <auto M, auto Parse> void set_parsed(Network& n, std::string_view v) {
    n.*M = Parse(v);
}

std::string as_string(std::string_view v) {
    return std::string(v);
}

std::string one_of(std::string_view v, std::initializer_list<std::string_view> allowed,
                   const char* what) {
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
        throw Error(Errc::InvalidConfig,
                    std::string("invalid ") + what + " \"" + std::string(v) + "\"");
    return std::string(v);
}

template <auto M, auto Parse, auto Format> NetKey list_net_key(std::string_view name) {
    return {name, [](Network& n, std::string_view v) { (n.*M).push_back(Parse(v)); },
            [](Network& n) { (n.*M).clear(); },
            [](const Network& n) {
                Lines out;
                for (const auto& x : n.*M)
                    out.push_back(Format(x));
                return out;
            }};
}

template <auto M, auto Parse> NetKey string_net_key(std::string_view name) {
    return {name, set_parsed<M, Parse>, reset<M>, get_string<M>};
}

std::string parse_type(std::string_view v) {
    return one_of(v, {"none", "empty", "veth", "vlan", "macvlan", "ipvlan", "phys"},
                  "network type");
}
std::string parse_veth_mode(std::string_view v) {
    return one_of(v, {"bridge", "router"}, "veth mode");
}
std::string parse_macvlan_mode(std::string_view v) {
    return one_of(v, {"private", "vepa", "bridge", "passthru"}, "macvlan mode");
}
std::string parse_ipvlan_mode(std::string_view v) {
    return one_of(v, {"l3", "l3s", "l2"}, "ipvlan mode");
}
std::string parse_ipvlan_isolation(std::string_view v) {
    return one_of(v, {"bridge", "private", "vepa"}, "ipvlan isolation");
}
std::string parse_flags(std::string_view v) {
    return one_of(v, {"up"}, "network flags");
}

uint16_t parse_vlan_id(std::string_view v) {
    uint32_t id = parse_uint32(v);
    if (id > 4094)
        throw Error(Errc::InvalidConfig, "VLAN id out of range 0..4094 \"" + std::string(v) + "\"");
    return static_cast<uint16_t>(id);
}

std::string fmt_uint(uint32_t n) {
    return std::to_string(n);
}

const std::array kNetKeys = {
    string_net_key<&Network::type, parse_type>("type"),
    NetKey{"flags", [](Network& n, std::string_view v) { n.flags_up = !parse_flags(v).empty(); },
           reset<&Network::flags_up>,
           [](const Network& n) { return n.flags_up ? Lines{"up"} : Lines{}; }},
    string_net_key<&Network::link, parse_ifname>("link"),
    string_net_key<&Network::name, parse_ifname>("name"),
    string_net_key<&Network::hwaddr, parse_hwaddr>("hwaddr"),
    NetKey{"mtu", [](Network& n, std::string_view v) { n.mtu = parse_uint32(v); },
           reset<&Network::mtu>,
           [](const Network& n) { return n.mtu ? Lines{fmt_uint(*n.mtu)} : Lines{}; }},
    NetKey{"l2proxy", [](Network& n, std::string_view v) { n.l2proxy = parse_bool(v); },
           reset<&Network::l2proxy>, [](const Network& n) { return Lines{n.l2proxy ? "1" : "0"}; }},
    string_net_key<&Network::veth_pair, parse_ifname>("veth.pair"),
    string_net_key<&Network::veth_mode, parse_veth_mode>("veth.mode"),
    list_net_key<&Network::veth_ipv4_routes, parse_route4, format_route4>("veth.ipv4.route"),
    list_net_key<&Network::veth_ipv6_routes, parse_route6, format_route6>("veth.ipv6.route"),
    NetKey{"veth.vlan.id",
           [](Network& n, std::string_view v) {
               n.veth_vlan_id = v == "none" ? Network::kVlanNone : parse_vlan_id(v);
           },
           reset<&Network::veth_vlan_id>,
           [](const Network& n) {
               if (!n.veth_vlan_id)
                   return Lines{};
               return Lines{*n.veth_vlan_id == Network::kVlanNone
                                ? "none"
                                : std::to_string(*n.veth_vlan_id)};
           }},
    list_net_key<&Network::veth_vlan_tagged_ids, parse_vlan_id, fmt_uint>("veth.vlan.tagged.id"),
    string_net_key<&Network::macvlan_mode, parse_macvlan_mode>("macvlan.mode"),
    string_net_key<&Network::ipvlan_mode, parse_ipvlan_mode>("ipvlan.mode"),
    string_net_key<&Network::ipvlan_isolation, parse_ipvlan_isolation>("ipvlan.isolation"),
    NetKey{"vlan.id", [](Network& n, std::string_view v) { n.vlan_id = parse_vlan_id(v); },
           reset<&Network::vlan_id>,
           [](const Network& n) { return n.vlan_id ? Lines{fmt_uint(*n.vlan_id)} : Lines{}; }},
    list_net_key<&Network::ipv4, parse_ipv4_address, format_ipv4_address>("ipv4.address"),
    NetKey{"ipv4.gateway",
           [](Network& n, std::string_view v) { n.ipv4_gateway = parse_ipv4_gateway(v); },
           reset<&Network::ipv4_gateway>,
           [](const Network& n) {
               return n.ipv4_gateway ? Lines{format_ipv4_gateway(*n.ipv4_gateway)} : Lines{};
           }},
    list_net_key<&Network::ipv6, parse_ipv6_address, format_ipv6_address>("ipv6.address"),
    NetKey{"ipv6.gateway",
           [](Network& n, std::string_view v) { n.ipv6_gateway = parse_ipv6_gateway(v); },
           reset<&Network::ipv6_gateway>,
           [](const Network& n) {
               return n.ipv6_gateway ? Lines{format_ipv6_gateway(*n.ipv6_gateway)} : Lines{};
           }},
    string_net_key<&Network::script_up, as_string>("script.up"),
    string_net_key<&Network::script_down, as_string>("script.down"),
};

const NetKey& find_net_key(std::string_view sub, std::string_view key) {
    for (const auto& k : kNetKeys)
        if (k.name == sub)
            return k;
    throw Error(Errc::InvalidConfig, "unknown network key \"" + std::string(key) + "\"");
}

// "lxc.net.N[.sub]" -> N and sub ("" for "lxc.net.N").
std::pair<unsigned, std::string_view> split_net_key(std::string_view key) {
    std::string_view rest = sub_key(key, "lxc.net.");
    size_t dot = rest.find('.');
    std::string_view index = rest.substr(0, dot);
    unsigned n = 0;
    try {
        n = parse_uint32(index);
    } catch (const Error&) {
        throw Error(Errc::InvalidConfig,
                    "invalid network index \"" + std::string(index) + "\" (expected lxc.net.N.*)");
    }
    if (n > 1023)
        throw Error(Errc::InvalidConfig,
                    "network index out of range 0..1023 \"" + std::string(index) + "\"");
    std::string_view sub =
        dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    if (dot != std::string_view::npos && sub.empty())
        throw Error(Errc::InvalidConfig, "missing network sub-key");
    return {n, sub};
}

Network* find_network(Config& cfg, unsigned index) {
    auto it = std::find_if(cfg.networks.begin(), cfg.networks.end(),
                           [index](const Network& n) { return n.index == index; });
    return it == cfg.networks.end() ? nullptr : &*it;
}

const Network* find_network(const Config& cfg, unsigned index) {
    return find_network(const_cast<Config&>(cfg), index);
}

Network& network_at(Config& cfg, unsigned index) {
    if (Network* n = find_network(cfg, index))
        return *n;
    auto pos = std::find_if(cfg.networks.begin(), cfg.networks.end(),
                            [index](const Network& n) { return n.index > index; });
    Network n;
    n.index = index;
    return *cfg.networks.insert(pos, std::move(n));
}

void set_net(Config& cfg, std::string_view key, std::string_view value) {
    if (key == "lxc.net")
        throw Error(Errc::InvalidConfig, "lxc.net only takes an empty value (clears all networks)");
    auto [index, sub] = split_net_key(key);
    if (sub.empty())
        throw Error(Errc::InvalidConfig, "lxc.net.N only takes an empty value (clears network N)");
    const NetKey& k = find_net_key(sub, key);
    // Work on a copy so a bad value does not leave a half-made network behind.
    Network updated;
    if (const Network* existing = find_network(cfg, index))
        updated = *existing;
    updated.index = index;
    k.set(updated, value);
    network_at(cfg, index) = std::move(updated);
}

void clear_net(Config& cfg, std::string_view key) {
    if (key == "lxc.net") {
        cfg.networks.clear();
        return;
    }
    auto [idx, sub] = split_net_key(key);
    unsigned index = idx; // a plain variable: clang 14 cannot capture bindings
    if (sub.empty()) {
        std::erase_if(cfg.networks, [index](const Network& n) { return n.index == index; });
        return;
    }
    const NetKey& k = find_net_key(sub, key);
    if (Network* n = find_network(cfg, index))
        k.clear(*n);
}

Lines get_net(const Config& cfg, std::string_view key) {
    if (key == "lxc.net") {
        Lines out;
        for (const auto& n : cfg.networks)
            out.push_back(std::to_string(n.index));
        return out;
    }
    auto [index, sub] = split_net_key(key);
    if (sub.empty())
        throw Error(Errc::InvalidConfig, "lxc.net.N needs a sub-key such as lxc.net.N.type");
    const NetKey& k = find_net_key(sub, key);
    const Network* n = find_network(cfg, index);
    return n ? k.get(*n) : Lines{};
}

Items net_items(const Config& cfg) {
    Items out;
    for (const auto& n : cfg.networks) {
        std::string prefix = "lxc.net." + std::to_string(n.index) + ".";
        // kNetKeys starts with "type", which LXC wants before the other keys.
        for (const auto& k : kNetKeys) {
            Lines values = k.get(n);
            if (values == k.get(default_network()))
                continue;
            for (auto& v : values)
                out.emplace_back(prefix + std::string(k.name), std::move(v));
        }
    }
    return out;
}

} // namespace

const KeyHandler net_key{"lxc.net.", set_net, clear_net, get_net, net_items};

Network* network_for_key(Config& cfg, std::string_view key) {
    try {
        return find_network(cfg, split_net_key(key).first);
    } catch (const Error&) {
        return nullptr;
    }
}

} // namespace lxcd::config::detail
