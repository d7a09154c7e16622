// Typed value parsers of the config: each accepts what LXC accepts and names what it rejects.
#include "config_values.hpp"
#include "error.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <gtest/gtest.h>
#include <sys/resource.h>

using namespace lxcd::config;
using lxcd::Errc;
using lxcd::Error;

namespace {

// The message of the InvalidConfig error f throws, or "" when it does not throw.
template <typename F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::InvalidConfig);
        return e.what();
    }
    return "";
}

std::string ip4(const in_addr& a) {
    char buf[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

std::string ip6(const in6_addr& a) {
    char buf[INET6_ADDRSTRLEN];
    return inet_ntop(AF_INET6, &a, buf, sizeof(buf));
}

} // namespace

TEST(ConfigValues, Integers) {
    EXPECT_EQ(parse_uint32("0"), 0u);
    EXPECT_EQ(parse_uint32("4294967295"), 4294967295u);
    EXPECT_EQ(parse_int32("-10"), -10);
    EXPECT_EQ(parse_int32("+7"), 7);
    EXPECT_EQ(parse_uint64("18446744073709551615"), UINT64_MAX);
    EXPECT_EQ(error_of([] { parse_uint32("abc"); }), "invalid integer \"abc\"");
    EXPECT_NE(error_of([] { parse_uint32("4294967296"); }), "");
    EXPECT_NE(error_of([] { parse_uint32("-1"); }), "");
    EXPECT_NE(error_of([] { parse_uint32("1 2"); }), "");
    EXPECT_NE(error_of([] { parse_uint32("12abc"); }), "");
    EXPECT_NE(error_of([] { parse_int32("-"); }), "");
    EXPECT_NE(error_of([] { parse_int32("2147483648"); }), "");
}

TEST(ConfigValues, Booleans) {
    EXPECT_TRUE(parse_bool("1"));
    EXPECT_FALSE(parse_bool("0"));
    EXPECT_EQ(error_of([] { parse_bool("yes"); }), "invalid boolean \"yes\" (expected 0 or 1)");
    EXPECT_NE(error_of([] { parse_bool("2"); }), "");
}

TEST(ConfigValues, SignalsInEveryKillForm) {
    EXPECT_EQ(parse_signal("SIGKILL"), SIGKILL);
    EXPECT_EQ(parse_signal("KILL"), SIGKILL);
    EXPECT_EQ(parse_signal("kill"), SIGKILL);
    EXPECT_EQ(parse_signal("9"), SIGKILL);
    EXPECT_EQ(parse_signal("SIGPWR"), SIGPWR);
    EXPECT_EQ(parse_signal("SIGRTMIN"), SIGRTMIN);
    EXPECT_EQ(parse_signal("SIGRTMIN+14"), SIGRTMIN + 14);
    EXPECT_EQ(parse_signal("RTMIN+3"), SIGRTMIN + 3);
    EXPECT_EQ(parse_signal("SIGRTMAX-10"), SIGRTMAX - 10);
    EXPECT_EQ(parse_signal("RTMAX"), SIGRTMAX);
    EXPECT_EQ(error_of([] { parse_signal("SIGNOPE"); }), "invalid signal \"SIGNOPE\"");
    EXPECT_NE(error_of([] { parse_signal("0"); }), "");
    EXPECT_NE(error_of([] { parse_signal("65"); }), "");
    EXPECT_NE(error_of([] { parse_signal("SIGRTMIN-1"); }), "");
    EXPECT_NE(error_of([] { parse_signal("SIGRTMAX+1"); }), "");
    EXPECT_NE(error_of([] { parse_signal("SIGRTMIN+99"); }), "");
    EXPECT_NE(error_of([] { parse_signal("RT"); }), "");
}

TEST(ConfigValues, SignalFormatRoundTrips) {
    for (int sig = 1; sig < NSIG; ++sig)
        EXPECT_EQ(parse_signal(format_signal(sig)), sig) << format_signal(sig);
    EXPECT_EQ(format_signal(SIGPWR), "SIGPWR");
    EXPECT_EQ(format_signal(SIGRTMIN + 3), "SIGRTMIN+3");
}

TEST(ConfigValues, Idmaps) {
    IdMap m = parse_idmap("u 0 100000 65536");
    EXPECT_EQ(m.type, 'u');
    EXPECT_EQ(m.ns_id, 0u);
    EXPECT_EQ(m.host_id, 100000u);
    EXPECT_EQ(m.range, 65536u);
    EXPECT_EQ(parse_idmap("g\t1000  200000 1").type, 'g');
    EXPECT_EQ(format_idmap(m), "u 0 100000 65536");
    EXPECT_NE(error_of([] { parse_idmap("u 0 100000"); }), "");
    EXPECT_NE(error_of([] { parse_idmap("x 0 100000 65536"); }), "");
    EXPECT_NE(error_of([] { parse_idmap("u 0 100000 0"); }), "");
    EXPECT_NE(error_of([] { parse_idmap("u 0 4294967295 2"); }), "");
    EXPECT_NE(error_of([] { parse_idmap("u 0 1e5 65536"); }), "");
}

TEST(ConfigValues, MountEntries) {
    MountEntry m = parse_mount_entry("/lib /root/myrootfs/lib none ro,bind 0 0");
    EXPECT_EQ(m.source, "/lib");
    EXPECT_EQ(m.target, "root/myrootfs/lib");
    EXPECT_EQ(m.fstype, "none");
    EXPECT_EQ(m.options, "ro,bind");
    EXPECT_TRUE(m.has_option("bind"));
    EXPECT_TRUE(m.has_option("ro"));
    EXPECT_FALSE(m.has_option("b"));

    MountEntry rel = parse_mount_entry("dev/null proc/kcore none bind,relative 0 0");
    EXPECT_EQ(rel.target, "proc/kcore");
    EXPECT_TRUE(rel.has_option("relative"));

    MountEntry spaced = parse_mount_entry("/srv/my\\040data srv/data none bind,create=dir");
    EXPECT_EQ(spaced.source, "/srv/my data");
    EXPECT_EQ(spaced.freq, 0);
    EXPECT_EQ(parse_mount_entry(format_mount_entry(spaced)), spaced);
    // Escapes that are not one non-NUL byte stay as written, and survive a round trip
    // (found by fuzz-config).
    for (const char* odd : {"/a\\400b c none bind 0 0", "/a\\000b c none bind 0 0"}) {
        MountEntry m = parse_mount_entry(odd);
        EXPECT_EQ(m.source, std::string(odd).substr(0, 7)) << odd;
        EXPECT_EQ(parse_mount_entry(format_mount_entry(m)), m) << odd;
    }

    EXPECT_EQ(parse_mount_entry("proc proc proc").options, "defaults");
    EXPECT_NE(error_of([] { parse_mount_entry("/lib /lib"); }), "");
    EXPECT_NE(error_of([] { parse_mount_entry("a b c d x 0"); }), "");
}

TEST(ConfigValues, InterfaceNamesAndHardwareAddresses) {
    EXPECT_EQ(parse_ifname("eth0"), "eth0");
    EXPECT_EQ(parse_ifname("123456789012345"), "123456789012345");
    EXPECT_NE(error_of([] { parse_ifname("1234567890123456"); }), "");
    EXPECT_NE(error_of([] { parse_ifname("a/b"); }), "");
    EXPECT_EQ(parse_hwaddr("4a:49:43:49:79:bf"), "4a:49:43:49:79:bf");
    EXPECT_EQ(parse_hwaddr("00:16:3e:xx:xx:xx"), "00:16:3e:xx:xx:xx");
    EXPECT_EQ(parse_hwaddr("00:16:3e:25:09:xX"), "00:16:3e:25:09:xX");
    EXPECT_NE(error_of([] { parse_hwaddr("00:16:3e:25:09"); }), "");
    EXPECT_NE(error_of([] { parse_hwaddr("00:16:3e:25:09:zz"); }), "");
    EXPECT_NE(error_of([] { parse_hwaddr("00-16-3e-25-09-aa"); }), "");
}

TEST(ConfigValues, Ipv4Addresses) {
    Ipv4Address a = parse_ipv4_address("10.0.3.200/24 10.0.3.255");
    EXPECT_EQ(ip4(a.addr), "10.0.3.200");
    EXPECT_EQ(a.prefix, 24);
    ASSERT_TRUE(a.broadcast);
    EXPECT_EQ(ip4(*a.broadcast), "10.0.3.255");
    EXPECT_EQ(format_ipv4_address(a), "10.0.3.200/24 10.0.3.255");
    EXPECT_FALSE(parse_ipv4_address("192.168.1.123/32").broadcast);
    // Without /m LXC takes the classful prefix.
    EXPECT_EQ(parse_ipv4_address("10.1.2.3").prefix, 8);
    EXPECT_EQ(parse_ipv4_address("172.16.0.1").prefix, 16);
    EXPECT_EQ(parse_ipv4_address("192.168.0.1").prefix, 24);
    EXPECT_EQ(error_of([] { parse_ipv4_address("10.0.3.300/24"); }),
              "invalid IPv4 address \"10.0.3.300/24\"");
    EXPECT_NE(error_of([] { parse_ipv4_address("10.0.3.1/33"); }), "");
    EXPECT_NE(error_of([] { parse_ipv4_address("10.0.3.1/24 10.0.3.255 x"); }), "");
    EXPECT_NE(error_of([] { parse_ipv4_address("10.0.3.1/24 nope"); }), "");
}

TEST(ConfigValues, Ipv6AddressesGatewaysAndRoutes) {
    Ipv6Address a = parse_ipv6_address("2003:db8:1:0:214:1234:fe0b:3596/64");
    EXPECT_EQ(ip6(a.addr), "2003:db8:1:0:214:1234:fe0b:3596");
    EXPECT_EQ(a.prefix, 64);
    EXPECT_EQ(parse_ipv6_address("2003:db8:1:0:214:1234:fe0b:3597").prefix, 64);
    EXPECT_EQ(parse_ipv6_address(format_ipv6_address(a)), a);
    EXPECT_NE(error_of([] { parse_ipv6_address("2003:db8::g/64"); }), "");
    EXPECT_NE(error_of([] { parse_ipv6_address("::1/129"); }), "");

    EXPECT_EQ(parse_ipv4_gateway("auto").kind, Ipv4Gateway::Kind::Auto);
    EXPECT_EQ(parse_ipv4_gateway("dev").kind, Ipv4Gateway::Kind::Dev);
    Ipv4Gateway g4 = parse_ipv4_gateway("10.0.3.1");
    EXPECT_EQ(g4.kind, Ipv4Gateway::Kind::Address);
    EXPECT_EQ(format_ipv4_gateway(g4), "10.0.3.1");
    EXPECT_NE(error_of([] { parse_ipv4_gateway("10.0.3"); }), "");
    EXPECT_EQ(parse_ipv6_gateway("auto").kind, Ipv6Gateway::Kind::Auto);
    EXPECT_EQ(format_ipv6_gateway(parse_ipv6_gateway("2003:db8:1:0::1")), "2003:db8:1::1");
    EXPECT_NE(error_of([] { parse_ipv6_gateway("10.0.3.1"); }), "");

    Route4 r4 = parse_route4("192.168.1.0/24");
    EXPECT_EQ(r4.prefix, 24);
    EXPECT_EQ(format_route4(r4), "192.168.1.0/24");
    EXPECT_EQ(parse_route4("192.168.1.7").prefix, 32);
    EXPECT_EQ(parse_route6("2001:db8::/48").prefix, 48);
    EXPECT_NE(error_of([] { parse_route4("192.168.1.0/40"); }), "");
}

TEST(ConfigValues, ConsoleSizes) {
    EXPECT_EQ(parse_console_size("auto"), 128u * 1024);
    EXPECT_EQ(parse_console_size("1MB"), 1024u * 1024);
    EXPECT_EQ(parse_console_size("64kb"), 64u * 1024);
    EXPECT_EQ(parse_console_size("1Gb"), 1024u * 1024 * 1024);
    EXPECT_EQ(parse_console_size("0"), 0u);
    // At least a page, and a power of two.
    EXPECT_EQ(parse_console_size("1"), static_cast<uint64_t>(sysconf(_SC_PAGESIZE)));
    EXPECT_EQ(parse_console_size("100000"), 131072u);
    EXPECT_NE(error_of([] { parse_console_size("12TB"); }), "");
    EXPECT_NE(error_of([] { parse_console_size("MB"); }), "");
    EXPECT_NE(error_of([] { parse_console_size("99999999999999GB"); }), "");
}

TEST(ConfigValues, TimeOffsets) {
    EXPECT_EQ(parse_time_offset("1h"), 3600'000'000'000);
    EXPECT_EQ(parse_time_offset("-10m"), -600'000'000'000);
    EXPECT_EQ(parse_time_offset("5s"), 5'000'000'000);
    EXPECT_EQ(parse_time_offset("7ms"), 7'000'000);
    EXPECT_EQ(parse_time_offset("3us"), 3'000);
    EXPECT_EQ(parse_time_offset("-42ns"), -42);
    EXPECT_NE(error_of([] { parse_time_offset("10"); }), "");
    EXPECT_NE(error_of([] { parse_time_offset("10d"); }), "");
    EXPECT_NE(error_of([] { parse_time_offset("9999999999999h"); }), "");
}

TEST(ConfigValues, Prlimits) {
    auto p = parse_prlimit("1024:4096");
    EXPECT_EQ(p.soft, 1024u);
    EXPECT_EQ(p.hard, 4096u);
    auto same = parse_prlimit("unlimited");
    EXPECT_EQ(same.soft, RLIM_INFINITY);
    EXPECT_EQ(same.hard, RLIM_INFINITY);
    EXPECT_EQ(format_prlimit(parse_prlimit("10:unlimited")), "10:unlimited");
    EXPECT_TRUE(is_prlimit_name("nofile"));
    EXPECT_FALSE(is_prlimit_name("NOFILE"));
    EXPECT_NE(error_of([] { parse_prlimit("1:2:3"); }), "");
    EXPECT_NE(error_of([] { parse_prlimit("lots"); }), "");
}

TEST(ConfigValues, LogLevelsFacilitiesCapabilitiesNamespaces) {
    EXPECT_EQ(parse_log_level("0"), "trace");
    EXPECT_EQ(parse_log_level("8"), "fatal");
    EXPECT_EQ(parse_log_level("WARN"), "warn");
    EXPECT_EQ(parse_log_level("warning"), "warn");
    EXPECT_NE(error_of([] { parse_log_level("9"); }), "");
    EXPECT_NE(error_of([] { parse_log_level("loud"); }), "");
    EXPECT_EQ(parse_syslog_facility("local7"), "local7");
    EXPECT_NE(error_of([] { parse_syslog_facility("local8"); }), "");
    EXPECT_EQ(parse_capability("sys_admin"), "sys_admin");
    EXPECT_EQ(parse_capability("CAP_NET_RAW"), "net_raw");
    EXPECT_EQ(parse_capability("mac_override"), "mac_override");
    EXPECT_EQ(parse_capability("0"), "chown");
    EXPECT_NE(error_of([] { parse_capability("sys_everything"); }), "");
    EXPECT_EQ(parse_namespace("mount"), Namespace::Mnt);
    EXPECT_EQ(parse_namespace("mnt"), Namespace::Mnt);
    EXPECT_EQ(parse_namespace("uts"), Namespace::Uts);
    EXPECT_NE(error_of([] { parse_namespace("net,ipc"); }), "");
}
