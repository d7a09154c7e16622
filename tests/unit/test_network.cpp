// Unit tests of the pure parts of network/: MAC templates, interface names,
// IPv4 broadcast computation, LXC's script command lines, the host record.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>

#include "error.hpp"
#include "host_record.hpp"
#include "hwaddr.hpp"
#include "ifname.hpp"
#include "inet.hpp"
#include "netlink.hpp"
#include "network.hpp"
#include "plan.hpp"
#include "script.hpp"

using namespace lxcd;
using namespace lxcd::net;

namespace {

// Cycles through the given bytes.
RandomByte bytes(std::vector<uint8_t> values) {
    auto i = std::make_shared<size_t>(0);
    return [values, i] { return values[(*i)++ % values.size()]; };
}

config::Ipv4Address v4(const char* addr, uint8_t prefix) {
    config::Ipv4Address a;
    inet_pton(AF_INET, addr, &a.addr);
    a.prefix = prefix;
    return a;
}

config::Network make_net(const std::string& type, const std::string& name = "") {
    config::Network n;
    n.type = type;
    n.name = name;
    return n;
}

} // namespace

TEST(NetworkHwaddr, KeepsFixedDigitsAndFillsEveryX) {
    std::string mac = complete_hwaddr("00:16:3e:xx:Xx:x9");
    auto parsed = parse_hwaddr(mac);
    ASSERT_TRUE(parsed) << mac;
    EXPECT_EQ(format_hwaddr(*parsed), mac); // lowercase hex, nothing left as 'x'
    EXPECT_EQ(mac.substr(0, 9), "00:16:3e:");
    EXPECT_EQ(mac.back(), '9');
}

TEST(NetworkHwaddr, RandomFirstOctetIsUnicastAndLocal) {
    for (uint8_t b : {0x00, 0x01, 0x0f, 0xff, 0x5d}) {
        std::string mac = complete_hwaddr("xx:xx:xx:xx:xx:xx", bytes({b}));
        auto parsed = parse_hwaddr(mac);
        ASSERT_TRUE(parsed) << mac;
        EXPECT_EQ((*parsed)[0] & 0x01, 0) << mac; // unicast
        EXPECT_EQ((*parsed)[0] & 0x02, 2) << mac; // locally administered
    }
    // A fixed second digit is the user's choice and stays as written.
    EXPECT_EQ(complete_hwaddr("x1:00:00:00:00:00", bytes({0x0a})), "a1:00:00:00:00:00");
}

TEST(NetworkHwaddr, DifferentEachTime) {
    std::set<std::string> seen;
    for (int i = 0; i < 20; i++)
        seen.insert(complete_hwaddr("00:16:3e:xx:xx:xx"));
    EXPECT_GT(seen.size(), 15u);
}

TEST(NetworkHwaddr, TemplateValidation) {
    EXPECT_TRUE(is_hwaddr_template("00:16:3e:xx:xx:xx"));
    EXPECT_TRUE(is_hwaddr_template("00:16:3E:D0:E3:9D"));
    EXPECT_FALSE(is_hwaddr_template("00:16:3e:xx:xx"));
    EXPECT_FALSE(is_hwaddr_template("00-16-3e-00-00-00"));
    EXPECT_FALSE(is_hwaddr_template("00:16:3e:0g:00:00"));
    EXPECT_FALSE(is_hwaddr_template("00:16:3e:00:00:000"));
    EXPECT_FALSE(parse_hwaddr("00:16:3e:xx:00:00"));
    EXPECT_EQ(format_hwaddr(*parse_hwaddr("00:16:3E:D0:E3:9D")), "00:16:3e:d0:e3:9d");
}

TEST(NetworkHwaddr, HostVethStartsWithFe) {
    HwAddr mac = host_veth_hwaddr(bytes({0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc}));
    EXPECT_EQ(format_hwaddr(mac), "fe:34:56:78:9a:bc");
}

TEST(NetworkNames, RandomVethName) {
    std::set<std::string> seen;
    for (int i = 0; i < 20; i++) {
        std::string name = random_veth_name();
        EXPECT_EQ(name.substr(0, 4), "veth");
        EXPECT_EQ(name.size(), 10u);
        EXPECT_TRUE(std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(c); }))
            << name;
        EXPECT_LE(name.size(), kMaxIfnameLen);
        seen.insert(name);
    }
    EXPECT_GT(seen.size(), 15u);
}

TEST(NetworkNames, Validity) {
    EXPECT_TRUE(is_valid_ifname("eth0"));
    EXPECT_TRUE(is_valid_ifname("veth_gihyo"));
    EXPECT_TRUE(is_valid_ifname("abcdefghijklmno")); // 15
    EXPECT_FALSE(is_valid_ifname("abcdefghijklmnop"));
    EXPECT_FALSE(is_valid_ifname(""));
    EXPECT_FALSE(is_valid_ifname("a/b"));
    EXPECT_FALSE(is_valid_ifname("a b"));
    EXPECT_FALSE(is_valid_ifname(".."));
}

TEST(NetworkNames, ContainerNamesFollowConfigOrder) {
    std::vector<config::Network> nets{make_net("veth"),    make_net("empty"),
                                      make_net("macvlan"), make_net("phys", "eth0"),
                                      make_net("vlan"),    make_net("veth", "wan")};
    EXPECT_EQ(container_ifnames(nets),
              (std::vector<std::string>{"eth1", "", "eth2", "eth0", "eth3", "wan"}));
    EXPECT_EQ(container_ifnames({make_net("veth"), make_net("macvlan")}),
              (std::vector<std::string>{"eth0", "eth1"}));
}

TEST(NetworkInet, BroadcastComputedFromPrefix) {
    EXPECT_EQ(to_string(ipv4_broadcast(v4("10.0.3.200", 24))), "10.0.3.255");
    EXPECT_EQ(to_string(ipv4_broadcast(v4("192.168.1.123", 16))), "192.168.255.255");
    EXPECT_EQ(to_string(ipv4_broadcast(v4("10.1.2.3", 32))), "10.1.2.3");
    EXPECT_EQ(to_string(ipv4_broadcast(v4("10.1.2.3", 0))), "255.255.255.255");
    EXPECT_EQ(to_string(ipv4_broadcast(v4("172.16.5.9", 20))), "172.16.15.255");
}

TEST(NetworkInet, ExplicitBroadcastWins) {
    auto a = v4("192.168.1.123", 24);
    a.broadcast = in_addr{};
    inet_pton(AF_INET, "255.255.255.255", &*a.broadcast);
    EXPECT_EQ(to_string(ipv4_broadcast(a)), "255.255.255.255");
}

TEST(NetworkInet, Netmask) {
    EXPECT_EQ(to_string(ipv4_netmask(0)), "0.0.0.0");
    EXPECT_EQ(to_string(ipv4_netmask(8)), "255.0.0.0");
    EXPECT_EQ(to_string(ipv4_netmask(23)), "255.255.254.0");
    EXPECT_EQ(to_string(ipv4_netmask(32)), "255.255.255.255");
    EXPECT_EQ(to_string(v4("10.0.0.2", 24)), "10.0.0.2/24");
}

TEST(NetworkScript, CommandLinesMatchLxc) {
    config::Network n = make_net("veth");
    n.link = "lxcbr0";
    n.script_up = "/usr/local/bin/up --flag";
    NetPlan p;
    p.net = &n;
    p.host_name = "vethAbC123";
    EXPECT_EQ(script_command(p, {"ct01", "", 0}, "up"),
              "exec /usr/local/bin/up --flag 'ct01' net up 'veth' 'lxcbr0' 'vethAbC123'");
    EXPECT_EQ(script_command(p, {"ct01", "", 1}, "up"),
              "exec /usr/local/bin/up --flag 'veth' 'lxcbr0' 'vethAbC123'");
    config::Network m = make_net("macvlan");
    m.link = "eth'0";
    m.script_down = "/bin/down";
    p.net = &m;
    EXPECT_EQ(script_command(p, {"ct", "", 0}, "down"),
              "exec /bin/down 'ct' net down 'macvlan' 'eth'\\''0'");
}

// plan_networks() only reads the host's interface list; these entries are
// rejected before any lookup could matter.
class NetworkPlan : public testing::Test {
  protected:
    std::string error_of(std::vector<config::Network> nets) {
        config::Config c;
        for (size_t i = 0; i < nets.size(); i++) {
            nets[i].index = static_cast<unsigned>(i);
            nets[i].origin = {"/etc/lxc/ct.conf", static_cast<unsigned>(3 + i)};
        }
        c.networks = std::move(nets);
        NlSocket sock = open_route_socket();
        try {
            plan_networks(c, sock.get());
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::InvalidConfig) << e.what();
            return e.what();
        }
        return "no error";
    }
};

TEST_F(NetworkPlan, RejectsWithFileLineAndKey) {
    EXPECT_EQ(error_of({make_net("tunnel")}),
              "/etc/lxc/ct.conf:3: lxc.net.0.type: unknown network type \"tunnel\"");
    EXPECT_EQ(error_of({make_net("veth", "a-name-that-is-too-long")}),
              "/etc/lxc/ct.conf:3: lxc.net.0.name: invalid interface name "
              "\"a-name-that-is-too-long\"");
    EXPECT_EQ(error_of({make_net("veth", "lan"), make_net("macvlan", "lan")}),
              "/etc/lxc/ct.conf:4: lxc.net.1.name: interface name \"lan\" is used twice");
    EXPECT_EQ(error_of({make_net("macvlan")}),
              "/etc/lxc/ct.conf:3: lxc.net.0.link: macvlan needs a parent interface");
    EXPECT_EQ(error_of({make_net("vlan")}),
              "/etc/lxc/ct.conf:3: lxc.net.0.vlan.id: a vlan network needs vlan.id");
}

TEST_F(NetworkPlan, RejectsBadValues) {
    auto mode = make_net("veth");
    mode.veth_mode = "switch";
    EXPECT_NE(error_of({mode}).find("lxc.net.0.veth.mode: unknown mode \"switch\""),
              std::string::npos);
    auto mac = make_net("veth");
    mac.hwaddr = "00:16:3e:xx:xx";
    EXPECT_NE(error_of({mac}).find("lxc.net.0.hwaddr: invalid MAC address"), std::string::npos);
    auto prefix = make_net("veth");
    prefix.ipv4.push_back(v4("10.0.0.1", 33));
    EXPECT_NE(error_of({prefix}).find("lxc.net.0.ipv4.address: invalid prefix length"),
              std::string::npos);
    auto pair = make_net("veth");
    pair.veth_pair = "has space";
    EXPECT_NE(error_of({pair}).find("lxc.net.0.veth.pair: invalid interface name"),
              std::string::npos);
    auto proxy = make_net("veth");
    proxy.l2proxy = true;
    EXPECT_NE(error_of({proxy}).find("lxc.net.0.l2proxy: needs lxc.net.0.link"), std::string::npos);
    auto vlans = make_net("veth");
    vlans.veth_vlan_tagged_ids = {4095};
    EXPECT_NE(error_of({vlans}).find("lxc.net.0.veth.vlan.tagged.id: VLAN id 4095 is out of range"),
              std::string::npos);
}

TEST_F(NetworkPlan, AutoGatewayOnlyForBridgedTypes) {
    auto n = make_net("veth");
    n.ipv4_gateway = config::Ipv4Gateway{config::Ipv4Gateway::Kind::Auto, {}};
    EXPECT_NE(error_of({n}).find("lxc.net.0.ipv4.gateway: auto needs lxc.net.0.link"),
              std::string::npos);
    EXPECT_EQ(error_of({make_net("empty"), make_net("none")}), "no error");
}

namespace {

// A directory of its own below $TMPDIR, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string templ =
            (std::filesystem::temp_directory_path() / "lxcd-test-phys.XXXXXX").string();
        path = mkdtemp(templ.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

} // namespace

TEST(NetworkHostRecord, RoundTripsAndEmptyRemovesTheFile) {
    TempDir dir;
    const auto file = dir.path / kHostRecordFile;
    EXPECT_TRUE(read_host_record(file).empty()); // none yet
    HostRecord record;
    record.phys = {{7, "enp3s0", 9000, parse_hwaddr("02:11:22:33:44:55")},
                   {12, "phys0", 1500, std::nullopt}};
    ProxyEntry v4{3, AF_INET, {}}, v6{3, AF_INET6, {}};
    inet_pton(AF_INET, "10.0.3.10", v4.addr.data());
    inet_pton(AF_INET6, "fd00:3::10", v6.addr.data());
    record.proxies = {v4, v6};
    write_host_record(file, record);

    HostRecord back = read_host_record(file);
    ASSERT_EQ(back.phys.size(), 2u);
    EXPECT_EQ(back.phys[0].ifindex, 7);
    EXPECT_EQ(back.phys[0].name, "enp3s0");
    EXPECT_EQ(back.phys[0].mtu, 9000u);
    EXPECT_EQ(back.phys[0].mac, record.phys[0].mac);
    EXPECT_EQ(back.phys[1].name, "phys0");
    EXPECT_FALSE(back.phys[1].mac);
    ASSERT_EQ(back.proxies.size(), 2u);
    EXPECT_EQ(back.proxies[0].address(), "10.0.3.10");
    EXPECT_EQ(back.proxies[1].family, AF_INET6);
    EXPECT_EQ(back.proxies[1].address(), "fd00:3::10");
    EXPECT_EQ(back.proxies[1].ifindex, 3);

    write_host_record(file, {});
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(NetworkHostRecord, MalformedLineNamesFileAndLine) {
    TempDir dir;
    const auto file = dir.path / kHostRecordFile;
    for (const char* bad :
         {"phys 7 eth0 1500", "phys x eth0 1500 -", "phys 7 eth0 1500 zz:11:22:33:44:55",
          "phys 0 eth0 1500 -", "phys 7 eth0 1500 - extra", "proxy 3 10.0.3.300", "proxy 3",
          "route 3 10.0.0.0/8"}) {
        std::ofstream(file) << "phys 3 ok0 1500 -\n" << bad << "\n";
        try {
            read_host_record(file);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(file.string() + ":2:"), std::string::npos)
                << e.what();
        }
    }
}
