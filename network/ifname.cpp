#include "ifname.hpp"

#include <algorithm>
#include <set>

namespace lxcd::net {

bool is_valid_ifname(std::string_view name) {
    if (name.empty() || name.size() > kMaxIfnameLen || name == "." || name == "..")
        return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == ':' || c == '\0' || static_cast<unsigned char>(c) <= ' ';
    });
}

std::string random_veth_name(const RandomByte& rnd) {
    static constexpr std::string_view alnum =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::string name = "veth";
    while (name.size() < 10)
        name += alnum[rnd() % alnum.size()];
    return name;
}

bool creates_interface(const std::string& type) {
    return type == "veth" || type == "macvlan" || type == "ipvlan" || type == "vlan" ||
           type == "phys";
}

std::vector<std::string> container_ifnames(const std::vector<config::Network>& networks) {
    std::set<std::string> taken;
    for (const auto& n : networks)
        if (creates_interface(n.type) && !n.name.empty())
            taken.insert(n.name);

    std::vector<std::string> names;
    unsigned next = 0;
    for (const auto& n : networks) {
        if (!creates_interface(n.type)) {
            names.emplace_back();
        } else if (!n.name.empty()) {
            names.push_back(n.name);
        } else {
            while (taken.count("eth" + std::to_string(next)))
                next++;
            names.push_back("eth" + std::to_string(next));
            taken.insert(names.back());
        }
    }
    return names;
}

} // namespace lxcd::net
