// setup_networks() with real netlink. The binary moves itself into a private
// network namespace first; every "container" is a child process sleeping in a
// network namespace of its own. Checks use ip(8) and nsenter(1).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "error.hpp"
#include "network.hpp"

using namespace lxcd;
using lxcd::net::setup_networks;

namespace {

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof(buf), p))
        out.append(buf, n);
    pclose(p);
    return out;
}

bool ok(const std::string& cmd) {
    return system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

// Sorted names of the interfaces in our (the "host") namespace.
std::string host_links() {
    return run("ip -o link show | cut -d: -f2 | cut -d@ -f1 | sort");
}

// A parent (or phys) device: one end of a veth pair, up. Some kernels (and
// so CI machines) lack the dummy driver; every one that runs containers has veth.
std::string add_parent(const std::string& name, const std::string& extra = "") {
    return "ip link add " + name + " " + extra + " type veth peer name " + name +
           "p && ip link set " + name + "p up && ip link set " + name + " up";
}

// True if the kernel can create links of this type (vlan, ipvlan are modules
// that a minimal kernel may not have).
bool kernel_has(const std::string& type) {
    bool has = ok(add_parent("probe0") + " && ip link add link probe0 name probe1 type " + type +
                  (type == "vlan" ? " id 2" : ""));
    ok("ip link del probe0");
    return has;
}

// A process sleeping in a new network namespace: the container's init.
class FakeContainer {
  public:
    FakeContainer() {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) < 0)
            throw_errno("pipe");
        pid_ = fork();
        if (pid_ == 0) {
            char c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
            (void)!write(fds[1], &c, 1);
            for (;;)
                pause();
        }
        close(fds[1]);
        char c = 'n';
        (void)!read(fds[0], &c, 1);
        close(fds[0]);
        if (c != 'y')
            throw Error(Errc::Failed, "fake container could not unshare its netns");
    }
    ~FakeContainer() { kill(); }
    FakeContainer(const FakeContainer&) = delete;
    FakeContainer& operator=(const FakeContainer&) = delete;

    pid_t pid() const { return pid_; }
    void kill() {
        if (pid_ <= 0)
            return;
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    std::string in(const std::string& cmd) const {
        return run("nsenter -t " + std::to_string(pid_) + " -n " + cmd);
    }
    bool ok_in(const std::string& cmd) const {
        return ok("nsenter -t " + std::to_string(pid_) + " -n " + cmd);
    }

  private:
    pid_t pid_ = -1;
};

in_addr v4(const char* s) {
    in_addr a{};
    inet_pton(AF_INET, s, &a);
    return a;
}

in6_addr v6(const char* s) {
    in6_addr a{};
    inet_pton(AF_INET6, s, &a);
    return a;
}

config::Network make_net(unsigned index, const std::string& type, const std::string& link = "") {
    config::Network n;
    n.index = index;
    n.origin = {"/var/lib/lxc/ct/config", 10 + index};
    n.type = type;
    n.link = link;
    n.flags_up = true;
    return n;
}

void add_v4(config::Network& n, const char* addr, uint8_t prefix) {
    config::Ipv4Address a;
    a.addr = v4(addr);
    a.prefix = prefix;
    n.ipv4.push_back(a);
}

class NetworkNetlink : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        // Everything below happens in a namespace of our own; the machine's
        // real interfaces are out of reach.
        if (geteuid() == 0 && unshare(CLONE_NEWNET) == 0)
            isolated_ = ok("ip link set lo up");
    }
    void SetUp() override {
        if (!isolated_)
            GTEST_SKIP() << "needs root to create a private network namespace";
    }
    void TearDown() override {
        if (isolated_)
            run("for l in $(ip -o link show | cut -d: -f2 | cut -d@ -f1 | grep -v '^ *lo$'); do "
                "ip link del $l; done");
    }
    static std::string expect_error(const config::Config& c, pid_t pid) {
        try {
            setup_networks(c, "ct", pid);
        } catch (const Error& e) {
            std::fprintf(stderr, "ERR: %s\n", e.what());
            return e.what();
        }
        ADD_FAILURE() << "setup_networks did not fail";
        return {};
    }
    static inline bool isolated_ = false;
};

TEST_F(NetworkNetlink, VethOnBridge) {
    ASSERT_TRUE(ok("ip link add br0 type bridge && ip addr add 10.9.0.1/24 dev br0 && "
                   "ip -6 addr add fd00::1/64 dev br0 nodad && ip link set br0 up"));
    FakeContainer ct;
    config::Config c;
    auto n = make_net(0, "veth", "br0");
    n.veth_pair = "vh-test0";
    n.hwaddr = "00:16:3e:xx:xx:xx";
    n.mtu = 1400;
    add_v4(n, "10.9.0.2", 24);
    n.ipv6.push_back({v6("fd00::2"), 64});
    n.ipv4_gateway = config::Ipv4Gateway{config::Ipv4Gateway::Kind::Auto, {}};
    n.ipv6_gateway = config::Ipv6Gateway{config::Ipv6Gateway::Kind::Address, v6("fd00::1")};
    c.networks.push_back(n);

    auto setup = setup_networks(c, "ct", ct.pid());
    ASSERT_EQ(setup.interfaces().size(), 1u);
    EXPECT_EQ(setup.interfaces()[0].name, "eth0");
    EXPECT_EQ(setup.interfaces()[0].host_name, "vh-test0");

    std::string link = ct.in("ip -o link show eth0");
    EXPECT_NE(link.find(",UP"), std::string::npos) << link;
    EXPECT_NE(link.find("> mtu 1400 "), std::string::npos) << link;
    EXPECT_NE(link.find("link/ether 00:16:3e:"), std::string::npos) << link;
    EXPECT_NE(ct.in("ip -o link show lo").find("UP"), std::string::npos);
    EXPECT_NE(ct.in("ip -o -4 addr show dev eth0").find("inet 10.9.0.2/24 brd 10.9.0.255"),
              std::string::npos);
    EXPECT_NE(ct.in("ip -o -6 addr show dev eth0").find("fd00::2/64"), std::string::npos);
    EXPECT_NE(ct.in("ip -4 route show default").find("default via 10.9.0.1 dev eth0"),
              std::string::npos);
    EXPECT_NE(ct.in("ip -6 route show default").find("default via fd00::1 dev eth0"),
              std::string::npos);

    std::string host = run("ip -o link show vh-test0");
    EXPECT_NE(host.find("master br0"), std::string::npos) << host;
    EXPECT_NE(host.find("mtu 1400"), std::string::npos) << host;
    EXPECT_NE(host.find("link/ether fe:"), std::string::npos) << host;
    EXPECT_TRUE(ct.ok_in("busybox ping -c 1 -W 3 10.9.0.1"));

    auto live = net::LiveNetworkReader(ct.pid()).read();
    EXPECT_EQ(live.ipv4, std::vector<std::string>{"10.9.0.2/24"});
    EXPECT_EQ(live.ipv6, std::vector<std::string>{"fd00::2/64"});
    EXPECT_GT(live.traffic.rx_bytes, 0u) << "after a ping";

    setup.teardown();
    EXPECT_FALSE(ok("ip link show vh-test0"));
    EXPECT_FALSE(ct.ok_in("ip link show eth0"));
}

TEST_F(NetworkNetlink, GeneratedVethNameWithoutBridge) {
    FakeContainer ct;
    config::Config c;
    c.networks.push_back(make_net(0, "veth"));
    c.networks.back().name = "lan";
    const std::string before = host_links();
    {
        auto setup = setup_networks(c, "ct", ct.pid());
        const std::string host = setup.interfaces().at(0).host_name;
        EXPECT_TRUE(host.size() == 10 && host.rfind("veth", 0) == 0) << host;
        EXPECT_TRUE(ok("ip link show " + host));
        EXPECT_TRUE(ct.ok_in("ip link show lan"));
    } // the destructor tears down
    EXPECT_EQ(host_links(), before);
}

TEST_F(NetworkNetlink, MacvlanPrivateIsolatesBridgeConnects) {
    ASSERT_TRUE(ok(add_parent("dm0") + " && ip addr add 10.8.0.1/24 dev dm0"));
    for (const std::string mode : {"private", "bridge"}) {
        FakeContainer a, b;
        config::Config ca, cb;
        ca.networks.push_back(make_net(0, "macvlan", "dm0"));
        cb.networks.push_back(make_net(0, "macvlan", "dm0"));
        if (mode == "bridge")
            ca.networks[0].macvlan_mode = cb.networks[0].macvlan_mode = "bridge";
        add_v4(ca.networks[0], "10.8.0.2", 24);
        add_v4(cb.networks[0], "10.8.0.3", 24);
        auto sa = setup_networks(ca, "a", a.pid());
        auto sb = setup_networks(cb, "b", b.pid());
        EXPECT_NE(a.in("ip -d link show eth0").find("macvlan mode " + mode), std::string::npos)
            << mode;
        EXPECT_EQ(a.ok_in("busybox ping -c 1 -W 1 10.8.0.3"), mode == "bridge") << mode;
        // Seed 000: neither mode reaches the parent's own address.
        EXPECT_FALSE(a.ok_in("busybox ping -c 1 -W 1 10.8.0.1")) << mode;
    }
    EXPECT_EQ(host_links(), run("printf ' dm0\\n dm0p\\n lo\\n'"));
}

TEST_F(NetworkNetlink, VlanOnParent) {
    if (!kernel_has("vlan"))
        GTEST_SKIP() << "this kernel has no 802.1Q VLAN support";
    ASSERT_TRUE(ok(add_parent("dm1")));
    FakeContainer ct;
    config::Config c;
    c.networks.push_back(make_net(0, "vlan", "dm1"));
    c.networks[0].vlan_id = 42;
    auto setup = setup_networks(c, "ct", ct.pid());
    std::string d = ct.in("ip -d link show eth0");
    EXPECT_NE(d.find("vlan protocol 802.1Q id 42"), std::string::npos) << d;
}

TEST_F(NetworkNetlink, IpvlanModeAndIsolation) {
    if (!kernel_has("ipvlan"))
        GTEST_SKIP() << "this kernel has no ipvlan support";
    ASSERT_TRUE(ok(add_parent("dm2")));
    FakeContainer ct;
    config::Config c;
    c.networks.push_back(make_net(0, "ipvlan", "dm2"));
    c.networks[0].ipvlan_mode = "l2";
    c.networks[0].ipvlan_isolation = "private";
    c.networks[0].ipv4_gateway = config::Ipv4Gateway{config::Ipv4Gateway::Kind::Dev, {}};
    add_v4(c.networks[0], "10.6.0.2", 24);
    auto setup = setup_networks(c, "ct", ct.pid());
    std::string d = ct.in("ip -d link show eth0");
    EXPECT_NE(d.find("ipvlan  mode l2 private"), std::string::npos) << d;
    EXPECT_NE(ct.in("ip -4 route show default").find("default dev eth0"), std::string::npos);
}

TEST_F(NetworkNetlink, PhysMovesInAndReturnsWithItsName) {
    ASSERT_TRUE(ok(add_parent("phys0", "address 02:11:22:33:44:55")));
    for (bool kill_first : {false, true}) {
        FakeContainer ct;
        config::Config c;
        c.networks.push_back(make_net(0, "phys", "phys0"));
        c.networks[0].name = "eth5";
        c.networks[0].mtu = 1300;
        c.networks[0].hwaddr = "00:16:3e:00:00:01";
        auto setup = setup_networks(c, "ct", ct.pid());
        EXPECT_FALSE(ok("ip link show phys0"));
        std::string link = ct.in("ip -o link show eth5");
        EXPECT_NE(link.find("mtu 1300"), std::string::npos) << link;
        EXPECT_NE(link.find("00:16:3e:00:00:01"), std::string::npos) << link;
        if (kill_first)
            ct.kill(); // the container is gone; its namespace is held until teardown
        setup.teardown();
        std::string back = run("ip -o link show phys0");
        EXPECT_NE(back.find("mtu 1500"), std::string::npos) << back;
        EXPECT_NE(back.find("02:11:22:33:44:55"), std::string::npos) << back;
    }
}

TEST_F(NetworkNetlink, EmptyHasOnlyLoopbackUp) {
    FakeContainer ct;
    config::Config c;
    c.networks.push_back(make_net(0, "empty"));
    auto setup = setup_networks(c, "ct", ct.pid());
    std::string links = ct.in("ip -o link show");
    EXPECT_EQ(std::count(links.begin(), links.end(), '\n'), 1) << links;
    EXPECT_NE(links.find("lo: <LOOPBACK,UP"), std::string::npos) << links;
    EXPECT_TRUE(setup.interfaces().empty());
}

TEST_F(NetworkNetlink, VethAndMacvlanInConfigOrder) {
    ASSERT_TRUE(ok("ip link add br1 type bridge && ip link set br1 up && " + add_parent("dm3")));
    FakeContainer ct;
    config::Config c;
    c.networks.push_back(make_net(0, "veth", "br1"));
    c.networks.push_back(make_net(1, "macvlan", "dm3"));
    add_v4(c.networks[0], "10.0.3.127", 24);
    add_v4(c.networks[1], "192.168.122.247", 24);
    auto setup = setup_networks(c, "ct", ct.pid());
    EXPECT_NE(ct.in("ip -o -4 addr show dev eth0").find("10.0.3.127/24"), std::string::npos);
    EXPECT_NE(ct.in("ip -o -4 addr show dev eth1").find("192.168.122.247/24"), std::string::npos);
    EXPECT_EQ(net::LiveNetworkReader(ct.pid()).read().ipv4,
              (std::vector<std::string>{"10.0.3.127/24", "192.168.122.247/24"}));
}

TEST_F(NetworkNetlink, RouterModeRoutesAndProxiesOnTheHost) {
    FakeContainer ct;
    config::Config c;
    auto n = make_net(0, "veth");
    n.veth_mode = "router";
    n.veth_pair = "vr0";
    add_v4(n, "10.5.0.2", 32);
    n.ipv4_gateway = config::Ipv4Gateway{config::Ipv4Gateway::Kind::Address, v4("10.5.0.1")};
    n.veth_ipv4_routes.push_back({v4("10.55.0.0"), 16});
    c.networks.push_back(n);
    auto setup = setup_networks(c, "ct", ct.pid());
    EXPECT_NE(run("ip -4 route show dev vr0").find("10.5.0.2 "), std::string::npos);
    EXPECT_NE(run("ip -4 route show dev vr0").find("10.55.0.0/16"), std::string::npos);
    EXPECT_EQ(run("cat /proc/sys/net/ipv4/conf/vr0/proxy_arp"), "1\n");
    EXPECT_NE(ct.in("ip -4 route show default").find("default via 10.5.0.1 dev eth0"),
              std::string::npos);
}

TEST_F(NetworkNetlink, BridgePortVlans) {
    // Without vlan_filtering on the bridge the port VLANs would do nothing.
    ASSERT_TRUE(ok("ip link add br7 type bridge"));
    FakeContainer ct;
    config::Config off;
    off.networks.push_back(make_net(0, "veth", "br7"));
    off.networks[0].veth_vlan_tagged_ids = {5};
    EXPECT_NE(expect_error(off, ct.pid())
                  .find("lxc.net.0.veth.vlan.tagged.id: vlan_filtering is not enabled on bridge "
                        "\"br7\""),
              std::string::npos);

    if (!ok("ip link add br6 type bridge vlan_filtering 1"))
        GTEST_SKIP() << "this kernel has no bridge VLAN filtering";
    ASSERT_TRUE(ok("ip link set br6 up"));
    config::Config c;
    c.networks.push_back(make_net(0, "veth", "br6"));
    c.networks[0].veth_pair = "vv0";
    c.networks[0].veth_vlan_id = 10;
    c.networks[0].veth_vlan_tagged_ids = {20, 30};
    c.networks.push_back(make_net(1, "veth", "br6"));
    c.networks[1].veth_pair = "vv1";
    c.networks[1].veth_vlan_id = config::Network::kVlanNone;
    auto setup = setup_networks(c, "ct", ct.pid());

    std::string vlans = run("bridge -j vlan show dev vv0");
    EXPECT_NE(vlans.find(R"({"vlan":10,"flags":["PVID","Egress Untagged"]})"), std::string::npos)
        << vlans;
    EXPECT_NE(vlans.find(R"({"vlan":20})"), std::string::npos) << vlans;
    EXPECT_NE(vlans.find(R"({"vlan":30})"), std::string::npos) << vlans;
    EXPECT_EQ(vlans.find(R"("vlan":1,)"), std::string::npos) << vlans; // default PVID removed
    vlans = run("bridge -j vlan show dev vv1");
    EXPECT_EQ(vlans.find(R"("vlan")"), std::string::npos) << vlans;
}

TEST_F(NetworkNetlink, ScriptsGetLxcArguments) {
    ASSERT_TRUE(ok("ip link add br2 type bridge"));
    char dir_template[] = "/tmp/lxcd-net-test-XXXXXX";
    ASSERT_TRUE(mkdtemp(dir_template));
    const std::filesystem::path dir = dir_template;
    const std::string script = (dir / "hook").string();
    std::ofstream(script) << "#!/bin/sh\necho \"$LXC_HOOK_TYPE $LXC_NET_TYPE $LXC_NET_PARENT "
                             "$LXC_NET_PEER | $*\" >> "
                          << (dir / "log").string() << "\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    {
        FakeContainer ct;
        config::Config c;
        c.hook_version = 1;
        c.networks.push_back(make_net(0, "veth", "br2"));
        c.networks[0].veth_pair = "vs0";
        c.networks[0].script_up = script;
        c.networks[0].script_down = script;
        auto setup = setup_networks(c, "ct", ct.pid());
    }
    std::ifstream log(dir / "log");
    std::string up, down;
    std::getline(log, up);
    std::getline(log, down);
    EXPECT_EQ(up, "up veth br2 vs0 | veth br2 vs0");
    EXPECT_EQ(down, "down veth br2 vs0 | veth br2 vs0");
    std::filesystem::remove_all(dir);
}

TEST_F(NetworkNetlink, ErrorsNameTheKeyAndLeaveNothingBehind) {
    ASSERT_TRUE(ok("ip link add br3 type bridge && " + add_parent("taken0")));
    FakeContainer ct;
    const std::string before = host_links();

    config::Config missing;
    missing.networks.push_back(make_net(0, "veth", "br9"));
    EXPECT_EQ(expect_error(missing, ct.pid()),
              "/var/lib/lxc/ct/config:10: lxc.net.0.link: bridge \"br9\" does not exist");

    config::Config dup;
    dup.networks.push_back(make_net(0, "veth", "br3"));
    dup.networks[0].veth_pair = "taken0";
    EXPECT_NE(expect_error(dup, ct.pid())
                  .find("lxc.net.0.veth.pair: interface \"taken0\" "
                        "already exists"),
              std::string::npos);

    config::Config bad_mac;
    bad_mac.networks.push_back(make_net(0, "veth", "br3"));
    bad_mac.networks[0].hwaddr = "01:16:3e:00:00:00";
    EXPECT_NE(expect_error(bad_mac, ct.pid()).find("lxc.net.0.hwaddr"), std::string::npos);

    // The second network fails only once the first exists: rolled back.
    config::Config late;
    late.networks.push_back(make_net(0, "veth", "br3"));
    late.networks[0].veth_pair = "ok0";
    late.networks.push_back(make_net(1, "veth", "br3"));
    late.networks[1].mtu = 20; // below the minimum the kernel accepts
    std::string err = expect_error(late, ct.pid());
    EXPECT_NE(err.find("lxc.net.1."), std::string::npos) << err;

    config::Config bad_addr;
    bad_addr.networks.push_back(make_net(0, "macvlan", "taken0"));
    add_v4(bad_addr.networks[0], "10.1.1.1", 24);
    add_v4(bad_addr.networks[0], "10.1.1.1", 24); // the same address twice
    err = expect_error(bad_addr, ct.pid());
    EXPECT_NE(err.find("lxc.net.0.ipv4.address: cannot add 10.1.1.1/24"), std::string::npos) << err;

    // The supervisor forgot CLONE_NEWNET: refuse rather than rewire the host.
    EXPECT_EQ(expect_error(late, getpid()),
              "process " + std::to_string(getpid()) + " shares the host's network namespace");

    EXPECT_EQ(host_links(), before);
    std::string inside = ct.in("ip -o link show");
    EXPECT_EQ(std::count(inside.begin(), inside.end(), '\n'), 1) << inside;
}

TEST_F(NetworkNetlink, KilledContainerLeavesNoHostInterface) {
    ASSERT_TRUE(ok("ip link add br4 type bridge"));
    const std::string before = host_links();
    FakeContainer ct;
    config::Config c;
    c.networks.push_back(make_net(0, "veth", "br4"));
    c.networks[0].veth_pair = "vk0";
    auto setup = setup_networks(c, "ct", ct.pid());
    EXPECT_TRUE(ok("ip link show vk0"));
    ct.kill();
    setup.teardown();
    EXPECT_EQ(host_links(), before);
}

TEST_F(NetworkNetlink, RepeatedStartStopLeaksNothing) {
    ASSERT_TRUE(ok("ip link add br5 type bridge && ip link set br5 up"));
    const std::string before = host_links();
    for (int i = 0; i < 20; i++) {
        FakeContainer ct;
        config::Config c;
        c.networks.push_back(make_net(0, "veth", "br5"));
        add_v4(c.networks[0], "10.4.0.2", 24);
        auto setup = setup_networks(c, "ct", ct.pid());
    }
    EXPECT_EQ(host_links(), before);
}

} // namespace
