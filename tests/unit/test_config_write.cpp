// get/set/clear of single items, the writer, round trips and atomic saving.
#include "config_items.hpp"
#include "config_parse.hpp"
#include "config_write.hpp"
#include "error.hpp"
#include "temp_dir.hpp"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

using namespace lxcd::config;
using lxcd::Errc;
using lxcd::Error;
using Lines = std::vector<std::string>;

namespace {

std::filesystem::path data(const std::string& rel) {
    const char* root = std::getenv("LXCD_SOURCE_ROOT");
    return std::filesystem::path(root ? root : ".") / "tests/data/config" / rel;
}

// Parses the written form of cfg; it must be clean (no warnings: modern keys only).
Config reparse(const Config& cfg) {
    std::string text = write_config(cfg);
    ParseResult r = parse_string(text, "written");
    for (const auto& d : r.diagnostics)
        ADD_FAILURE() << d.str() << "\n--- written config:\n" << text;
    r.config.files = cfg.files;
    return r.config;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::InvalidConfig);
        return e.what();
    }
    return "";
}

} // namespace

TEST(ConfigItems, GetReturnsOneValuePerLine) {
    Config c = parse_file(data("seed001-complex.conf")).config;
    EXPECT_EQ(get_item(c, "lxc.uts.name"), Lines{"complex"});
    EXPECT_EQ(get_item(c, "lxc.net"), (Lines{"0", "1", "2"}));
    EXPECT_EQ(get_item(c, "lxc.net.1.ipv4.address"), (Lines{"10.2.3.4/24", "192.168.10.125/24"}));
    EXPECT_EQ(get_item(c, "lxc.net.0.ipv4.address"), Lines{"10.2.3.5/24 10.2.3.255"});
    EXPECT_EQ(get_item(c, "lxc.net.2.type"), Lines{"phys"});
    EXPECT_EQ(get_item(c, "lxc.net.7.type"), Lines{});
    EXPECT_EQ(get_item(c, "lxc.cgroup.devices.allow"), (Lines{"c 1:3 rw", "b 8:0 rw"}));
    EXPECT_EQ(get_item(c, "lxc.cap.drop"),
              (Lines{"sys_module", "mknod", "setuid", "net_raw", "mac_override"}));
    EXPECT_EQ(get_item(c, "lxc.mount.entry"), Lines{"/lib /root/myrootfs/lib none ro,bind 0 0"});
    EXPECT_EQ(get_item(c, "lxc.start.delay"), Lines{"0"});
    EXPECT_EQ(get_item(c, "lxc.autodev"), Lines{"1"});
    EXPECT_EQ(get_item(c, "lxc.init.uid"), Lines{});
    EXPECT_EQ(get_item(c, "lxc.console.path"), Lines{});
    EXPECT_EQ(error_of([&] { get_item(c, "lxc.bogus"); }), "lxc.bogus: unknown key");
    EXPECT_NE(error_of([&] { get_item(c, "lxc.net.0"); }), "");
}

TEST(ConfigItems, SetValidatesAndClears) {
    Config c;
    set_item(c, "lxc.start.delay", "5");
    EXPECT_EQ(c.start_delay, 5u);
    EXPECT_EQ(error_of([&] { set_item(c, "lxc.start.delay", "abc"); }),
              "lxc.start.delay: invalid integer \"abc\"");
    EXPECT_EQ(c.start_delay, 5u);
    set_item(c, "lxc.start.delay", "");
    EXPECT_EQ(c.start_delay, 0u);

    set_item(c, "lxc.signal.halt", "SIGRTMIN+3");
    EXPECT_EQ(get_item(c, "lxc.signal.halt"), Lines{"SIGRTMIN+3"});
    EXPECT_EQ(error_of([&] { set_item(c, "lxc.signal.halt", "SIGNOPE"); }),
              "lxc.signal.halt: invalid signal \"SIGNOPE\"");

    set_item(c, "lxc.idmap", "u 0 100000 65536");
    set_item(c, "lxc.idmap", "g 0 100000 65536");
    EXPECT_EQ(c.idmaps.size(), 2u);
    clear_item(c, "lxc.idmap");
    EXPECT_TRUE(c.idmaps.empty());

    set_item(c, "lxc.net.0.type", "veth");
    set_item(c, "lxc.net.0.link", "br0");
    set_item(c, "lxc.net.1.type", "empty");
    clear_item(c, "lxc.net.0");
    EXPECT_EQ(get_item(c, "lxc.net"), Lines{"1"});
    clear_item(c, "lxc.net");
    EXPECT_TRUE(c.networks.empty());

    set_item(c, "lxc.cgroup2.memory.max", "1G");
    EXPECT_EQ(get_item(c, "lxc.cgroup2.memory.max"), Lines{"1G"});
    clear_item(c, "lxc.cgroup2");
    EXPECT_TRUE(c.cgroup_v2.empty());

    EXPECT_EQ(error_of([&] { set_item(c, "lxc.nope", "1"); }), "lxc.nope: unknown key");
    EXPECT_NE(error_of([&] { set_item(c, "lxc.uts.name", "a\nlxc.arch = x86"); }), "");
    EXPECT_NE(error_of([&] { set_item(c, "lxc.include", "/etc/x"); }), "");
    EXPECT_NE(error_of([&] { clear_item(c, "lxc.bogus"); }), "");
}

TEST(ConfigWrite, NormalisedModernKeysWithoutDefaults) {
    Config c = parse_file(data("seed000-static-ip.conf")).config;
    EXPECT_EQ(write_config(c), "lxc.net.0.type = veth\n"
                               "lxc.net.0.flags = up\n"
                               "lxc.net.0.link = lxcbr0\n"
                               "lxc.net.0.hwaddr = 00:16:3e:fb:c0:12\n"
                               "lxc.net.0.ipv4.address = 10.0.3.200/24 10.0.3.255\n"
                               "lxc.net.0.ipv4.gateway = 10.0.3.1\n");
    EXPECT_EQ(write_config(Config{}), "");
    Config legacy = parse_file(data("seed000-security.conf")).config;
    EXPECT_EQ(write_config(legacy),
              "lxc.cap.drop = sys_module\n"
              "lxc.cap.drop = mac_admin\n"
              "lxc.cap.drop = mac_override\n"
              "lxc.cap.drop = sys_time\n"
              "lxc.apparmor.profile = lxc-container-default-with-mounting\n"
              "lxc.selinux.context = system_u:system_r:lxc_t:s0:c62,c86,c150,c228\n"
              "lxc.seccomp.profile = /usr/share/lxc/config/common.seccomp\n");
}

TEST(ConfigWrite, ValuesThatNeedQuotesSurvive) {
    Config c;
    c.init_cwd = " padded ";
    c.uts_name = "'quoted'";
    c.environment = {"A=\"x\""};
    EXPECT_EQ(reparse(c), c);
}

TEST(ConfigWrite, EverySampleRoundTrips) {
    for (const char* name :
         {"full.conf", "seed000-security.conf", "seed000-two-networks.conf",
          "seed000-static-ip.conf", "seed000-veth.conf", "seed002-unprivileged.conf",
          "seed001-basic.conf", "seed001-complex.conf", "seed001-snippets.conf",
          "seed001-cgroup.conf", "include/main.conf"}) {
        ParseResult r = parse_file(data(name));
        ASSERT_TRUE(r.ok()) << name;
        EXPECT_EQ(reparse(r.config), r.config) << name << "\n" << write_config(r.config);
        // The written form is a fixed point.
        EXPECT_EQ(write_config(reparse(r.config)), write_config(r.config)) << name;
    }
}

TEST(ConfigWrite, RoundTripNoticesADifference) {
    Config a = parse_file(data("full.conf")).config;
    Config b = a;
    b.networks[0].ipv4[0].prefix = 16;
    EXPECT_NE(a, b);
    b = a;
    b.monitor_signal_pdeath = SIGKILL;
    EXPECT_NE(a, b);
}

TEST(ConfigWrite, SaveIsAtomicAndReadable) {
    TempDir dir;
    auto path = dir.path() / "config";
    {
        std::ofstream old(path);
        old << "lxc.uts.name = old\n";
    }
    Config c = parse_file(data("seed001-complex.conf")).config;
    save_config(c, path);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), write_config(c));
    ParseResult back = parse_file(path);
    EXPECT_TRUE(back.ok());
    back.config.files = c.files;
    EXPECT_EQ(back.config, c);
    // No temporary file is left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                            std::filesystem::directory_iterator()),
              1);
    EXPECT_THROW(save_config(c, dir.path() / "missing-dir" / "config"), Error);
}
