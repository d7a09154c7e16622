// runtime/unprivileged: which lxc.net.N an unprivileged container may have.
#include "error.hpp"
#include "unprivileged.hpp"

#include <gtest/gtest.h>

namespace lxcd::runtime {
namespace {

config::Network veth() {
    config::Network n;
    n.index = 1;
    n.origin = {"/home/alice/.local/share/lxc/ct/config", 9};
    n.type = "veth";
    n.link = "lxcbr0";
    return n;
}

std::string refusal(const config::Network& n) {
    try {
        check_unprivileged_network(n);
    } catch (const Error& e) {
        EXPECT_EQ(Errc::InvalidConfig, e.code());
        return e.what();
    }
    return "";
}

TEST(UnprivilegedNetwork, AcceptsAVethOnABridgeWithAddressesAndEmptyAndNone) {
    config::Network n = veth();
    n.name = "eth0";
    n.hwaddr = "00:16:3e:xx:xx:xx";
    n.mtu = 1400;
    n.flags_up = true;
    n.ipv4.push_back({});
    EXPECT_NO_THROW(check_unprivileged_network(n));
    n = {};
    for (const char* type : {"empty", "none"}) {
        n.type = type;
        EXPECT_NO_THROW(check_unprivileged_network(n)) << type;
    }
}

TEST(UnprivilegedNetwork, RefusesOtherTypesAndAVethWithoutABridge) {
    config::Network n = veth();
    n.type = "macvlan";
    EXPECT_EQ("/home/alice/.local/share/lxc/ct/config:9: lxc.net.1.type: only veth, empty and "
              "none networks are available to unprivileged containers, not macvlan",
              refusal(n));
    n = veth();
    n.link.clear();
    EXPECT_EQ("/home/alice/.local/share/lxc/ct/config:9: lxc.net.1.link: an unprivileged "
              "container's veth needs a bridge",
              refusal(n));
}

TEST(UnprivilegedNetwork, RefusesWhatOnlyRootMayAskOfTheHostSideNamingTheKey) {
    auto refused_key = [](void (*set)(config::Network&)) {
        config::Network n = veth();
        set(n);
        return refusal(n);
    };
    const std::string where = "/home/alice/.local/share/lxc/ct/config:9: lxc.net.1.";
    const std::string what = ": is not available to unprivileged containers";
    EXPECT_EQ(where + "veth.pair" + what,
              refused_key([](config::Network& n) { n.veth_pair = "mine0"; }));
    EXPECT_EQ(where + "veth.mode" + what,
              refused_key([](config::Network& n) { n.veth_mode = "router"; }));
    EXPECT_EQ(where + "veth.ipv4.route" + what,
              refused_key([](config::Network& n) { n.veth_ipv4_routes.push_back({}); }));
    EXPECT_EQ(where + "veth.vlan.id" + what,
              refused_key([](config::Network& n) { n.veth_vlan_id = 10; }));
    EXPECT_EQ(where + "l2proxy" + what, refused_key([](config::Network& n) { n.l2proxy = true; }));
    EXPECT_EQ(where + "script.up" + what,
              refused_key([](config::Network& n) { n.script_up = "/bin/true"; }));
}

} // namespace
} // namespace lxcd::runtime
