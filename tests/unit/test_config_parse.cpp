// The parser: lines, every key group, clearing, includes, legacy keys and diagnostics.
#include "config_parse.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <cstdlib>
#include <gtest/gtest.h>
#include <sched.h>

using namespace lxcd::config;

namespace {

std::filesystem::path data(const std::string& rel) {
    const char* root = std::getenv("LXCD_SOURCE_ROOT");
    return std::filesystem::path(root ? root : ".") / "tests/data/config" / rel;
}

Config parse_ok(std::string_view text) {
    ParseResult r = parse_string(text, "config");
    for (const auto& d : r.diagnostics)
        ADD_FAILURE() << d.str();
    return r.config;
}

// All diagnostics as "file:line: ..." strings.
std::vector<std::string> messages(const ParseResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics)
        out.push_back(d.str());
    return out;
}

std::string only_error(std::string_view text) {
    ParseResult r = parse_string(text, "config");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.diagnostics.size(), 1u) << testing::PrintToString(messages(r));
    return r.diagnostics.empty() ? "" : r.diagnostics.front().str();
}

std::string ip4(const in_addr& a) {
    char buf[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

} // namespace

TEST(ConfigParse, LinesCommentsWhitespaceQuotes) {
    Config c = parse_ok("# a comment\n"
                        "\n"
                        "   # indented comment\n"
                        "lxc.uts.name=tight\n"
                        "\tlxc.arch   =   x86_64  \r\n"
                        "lxc.init.cwd = \"/with space/ \"\n"
                        "lxc.tty.dir = 'lxc'\n");
    EXPECT_EQ(c.uts_name, "tight");
    EXPECT_EQ(c.arch, "x86_64");
    EXPECT_EQ(c.init_cwd, "/with space/ ");
    EXPECT_EQ(c.tty_dir, "lxc");
    EXPECT_EQ(c.files, std::vector<std::string>{"config"});
}

TEST(ConfigParse, NonLxcLinesAreIgnoredWithAWarning) {
    ParseResult r = parse_string("foo = bar\nlxc.uts.name = x\n", "config");
    EXPECT_TRUE(r.ok());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].level, Diagnostic::Level::Warning);
    EXPECT_EQ(r.diagnostics[0].str(), "config:1: warning: foo: ignored: not an lxc.* key");
    EXPECT_EQ(r.config.uts_name, "x");
}

TEST(ConfigParse, IdentityInitAndSignals) {
    Config c = parse_ok("lxc.arch = amd64\n"
                        "lxc.uts.name = myhostname\n"
                        "lxc.signal.halt = SIGRTMIN+14\n"
                        "lxc.signal.reboot = 2\n"
                        "lxc.signal.stop = RTMAX-10\n"
                        "lxc.init.cmd = /sbin/init  --debug\n"
                        "lxc.init.cwd = /root\n"
                        "lxc.init.uid = 1000\n"
                        "lxc.init.gid = 100\n"
                        "lxc.execute.cmd = /bin/app -v\n"
                        "lxc.sched.core = 1\n"
                        "lxc.ephemeral = 1\n"
                        "lxc.proc.oom_score_adj = 10\n");
    EXPECT_EQ(c.arch, "amd64");
    EXPECT_EQ(c.uts_name, "myhostname");
    EXPECT_EQ(c.signal_halt, SIGRTMIN + 14);
    EXPECT_EQ(c.signal_reboot, SIGINT);
    EXPECT_EQ(c.signal_stop, SIGRTMAX - 10);
    EXPECT_EQ(c.init_cmd, (std::vector<std::string>{"/sbin/init", "--debug"}));
    EXPECT_EQ(c.init_cwd, "/root");
    EXPECT_EQ(c.init_uid, 1000u);
    EXPECT_EQ(c.init_gid, 100u);
    EXPECT_EQ(c.execute_cmd, (std::vector<std::string>{"/bin/app", "-v"}));
    EXPECT_TRUE(c.sched_core);
    EXPECT_TRUE(c.ephemeral);
    EXPECT_EQ(c.proc.at("oom_score_adj"), "10");
}

TEST(ConfigParse, ConsoleTtyAndDev) {
    Config c = parse_ok("lxc.pty.max = 1024\n"
                        "lxc.tty.max = 4\n"
                        "lxc.tty.dir = lxc\n"
                        "lxc.console.path = none\n"
                        "lxc.console.logfile = /var/log/c.log\n"
                        "lxc.console.rotate = 1\n"
                        "lxc.console.buffer.size = auto\n"
                        "lxc.console.buffer.logfile = /var/log/c.buf\n"
                        "lxc.console.size = 1MB\n"
                        "lxc.autodev = 0\n"
                        "lxc.autodev.tmpfs.size = 10\n");
    EXPECT_EQ(c.pty_max, 1024u);
    EXPECT_EQ(c.tty_max, 4u);
    EXPECT_EQ(c.tty_dir, "lxc");
    EXPECT_EQ(c.console_path, "none");
    EXPECT_EQ(c.console_logfile, "/var/log/c.log");
    EXPECT_TRUE(c.console_rotate);
    EXPECT_EQ(c.console_buffer_size, 128u * 1024);
    EXPECT_EQ(c.console_buffer_logfile, "/var/log/c.buf");
    EXPECT_EQ(c.console_size, 1024u * 1024);
    EXPECT_FALSE(c.autodev);
    EXPECT_EQ(c.autodev_tmpfs_size, 10u);
    // An empty value returns a scalar to its default.
    Config d = parse_ok("lxc.autodev = 0\nlxc.autodev =\nlxc.tty.max = 4\nlxc.tty.max =\n");
    EXPECT_TRUE(d.autodev);
    EXPECT_EQ(d.tty_max, 0u);
}

TEST(ConfigParse, MountsAndRootfs) {
    Config c = parse_ok("lxc.rootfs.path = dir:/var/lib/lxc/c1/rootfs\n"
                        "lxc.rootfs.mount = /mnt/root\n"
                        "lxc.rootfs.options = idmap=container\n"
                        "lxc.rootfs.managed = 0\n"
                        "lxc.mount.fstab = /var/lib/lxc/c1/fstab\n"
                        "lxc.mount.auto = proc:mixed sys:ro\n"
                        "lxc.mount.auto = cgroup:rw:force\n"
                        "lxc.mount.entry = proc proc proc nodev,noexec,nosuid 0 0\n"
                        "lxc.mount.entry = /srv srv none bind,create=dir,optional 0 0\n");
    EXPECT_EQ(c.rootfs_path, "dir:/var/lib/lxc/c1/rootfs");
    EXPECT_EQ(c.rootfs_mount, "/mnt/root");
    EXPECT_EQ(c.rootfs_options, "idmap=container");
    EXPECT_FALSE(c.rootfs_managed);
    EXPECT_EQ(c.mount_fstab, "/var/lib/lxc/c1/fstab");
    EXPECT_EQ(c.mount_auto, (std::vector<std::string>{"proc:mixed", "sys:ro", "cgroup:rw:force"}));
    ASSERT_EQ(c.mount_entries.size(), 2u);
    EXPECT_EQ(c.mount_entries[0].target, "proc");
    EXPECT_TRUE(c.mount_entries[1].has_option("create=dir"));
    EXPECT_TRUE(c.mount_entries[1].has_option("optional"));

    Config cleared = parse_ok("lxc.mount.entry = proc proc proc defaults 0 0\n"
                              "lxc.mount.auto = proc\n"
                              "lxc.mount.entry =\n"
                              "lxc.mount.auto =\n");
    EXPECT_TRUE(cleared.mount_entries.empty());
    EXPECT_TRUE(cleared.mount_auto.empty());
    EXPECT_NE(only_error("lxc.mount.auto = proc:bogus\n"), "");
}

TEST(ConfigParse, CgroupsArePassedThroughByName) {
    Config c = parse_ok("lxc.cgroup.cpuset.cpus = 0,1\n"
                        "lxc.cgroup.devices.allow = c 1:3 rw\n"
                        "lxc.cgroup.devices.allow = b 8:0 rw\n"
                        "lxc.cgroup2.memory.high = 512M\n"
                        "lxc.cgroup2.devices.deny = a\n"
                        "lxc.cgroup.dir = my-cgroup/first\n"
                        "lxc.cgroup.relative = 1\n");
    using KV = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(
        c.cgroup_v1,
        (KV{{"cpuset.cpus", "0,1"}, {"devices.allow", "c 1:3 rw"}, {"devices.allow", "b 8:0 rw"}}));
    EXPECT_EQ(c.cgroup_v2, (KV{{"memory.high", "512M"}, {"devices.deny", "a"}}));
    EXPECT_EQ(c.cgroup_dir, "my-cgroup/first");
    EXPECT_TRUE(c.cgroup_relative);

    Config dirs = parse_ok("lxc.cgroup.dir.monitor = mon\n"
                           "lxc.cgroup.dir.monitor.pivot = piv\n"
                           "lxc.cgroup.dir.container = payload\n"
                           "lxc.cgroup.dir.container.inner = inner\n");
    EXPECT_EQ(dirs.cgroup_dir_monitor, "mon");
    EXPECT_EQ(dirs.cgroup_dir_monitor_pivot, "piv");
    EXPECT_EQ(dirs.cgroup_dir_container, "payload");
    EXPECT_EQ(dirs.cgroup_dir_container_inner, "inner");

    Config one = parse_ok("lxc.cgroup.devices.allow = a\nlxc.cgroup.cpu.shares = 2\n"
                          "lxc.cgroup.devices.allow =\n");
    EXPECT_EQ(one.cgroup_v1, (KV{{"cpu.shares", "2"}}));
    Config all = parse_ok("lxc.cgroup.devices.allow = a\nlxc.cgroup2.cpu.weight = 2\n"
                          "lxc.cgroup =\nlxc.cgroup2 =\n");
    EXPECT_TRUE(all.cgroup_v1.empty());
    EXPECT_TRUE(all.cgroup_v2.empty());

    EXPECT_EQ(only_error("lxc.cgroup.dir = a\nlxc.cgroup.dir.monitor = m\n"
                         "lxc.cgroup.dir.container = c\n"),
              "config:3: lxc.cgroup.dir.container: lxc.cgroup.dir and lxc.cgroup.dir.container "
              "cannot be used together");
}

TEST(ConfigParse, CapabilitiesSecurityAndKeyring) {
    Config c = parse_ok("lxc.cap.drop = sys_module mknod setuid net_raw\n"
                        "lxc.cap.drop = CAP_MAC_OVERRIDE\n"
                        "lxc.apparmor.profile = generated\n"
                        "lxc.apparmor.allow_incomplete = 1\n"
                        "lxc.apparmor.allow_nesting = 1\n"
                        "lxc.apparmor.raw = deny /proc/** w,\n"
                        "lxc.selinux.context = system_u:system_r:lxc_t:s0:c22\n"
                        "lxc.selinux.context.keyring = system_u:object_r:k:s0\n"
                        "lxc.keyring.session = 0\n"
                        "lxc.seccomp.profile = /usr/share/lxc/config/common.seccomp\n"
                        "lxc.seccomp.allow_nesting = 1\n"
                        "lxc.seccomp.notify.proxy = unix:/run/agent.sock\n"
                        "lxc.seccomp.notify.cookie = abc\n"
                        "lxc.no_new_privs = 1\n");
    EXPECT_EQ(c.cap_drop, (std::vector<std::string>{"sys_module", "mknod", "setuid", "net_raw",
                                                    "mac_override"}));
    EXPECT_EQ(c.apparmor_profile, "generated");
    EXPECT_TRUE(c.apparmor_allow_incomplete);
    EXPECT_TRUE(c.apparmor_allow_nesting);
    EXPECT_EQ(c.apparmor_raw, std::vector<std::string>{"deny /proc/** w,"});
    EXPECT_EQ(c.selinux_context, "system_u:system_r:lxc_t:s0:c22");
    EXPECT_EQ(c.selinux_context_keyring, "system_u:object_r:k:s0");
    EXPECT_FALSE(c.keyring_session);
    EXPECT_EQ(c.seccomp_profile, "/usr/share/lxc/config/common.seccomp");
    EXPECT_TRUE(c.seccomp_allow_nesting);
    EXPECT_EQ(c.seccomp_notify_proxy, "unix:/run/agent.sock");
    EXPECT_EQ(c.seccomp_notify_cookie, "abc");
    EXPECT_TRUE(c.no_new_privs);

    Config keep = parse_ok("lxc.cap.keep = sys_admin\nlxc.cap.keep = none\n");
    EXPECT_EQ(keep.cap_keep, (std::vector<std::string>{"sys_admin", "none"}));
    Config cleared = parse_ok("lxc.cap.drop = sys_module\nlxc.cap.drop =\nlxc.cap.keep = chown\n");
    EXPECT_TRUE(cleared.cap_drop.empty());
    EXPECT_EQ(only_error("lxc.cap.drop = sys_everything\n"),
              "config:1: lxc.cap.drop: unknown capability \"sys_everything\"");
    EXPECT_NE(only_error("lxc.cap.drop = mknod\nlxc.cap.keep = chown\n"), "");
    EXPECT_NE(only_error("lxc.seccomp.notify.proxy = /run/agent.sock\n"), "");
}

TEST(ConfigParse, IdmapsNamespacesTimeSysctlPrlimitEnvironment) {
    Config c = parse_ok("lxc.idmap = u 0 100000 65536\n"
                        "lxc.idmap = g 0 100000 65536\n"
                        "lxc.namespace.clone = mount net ipc\n"
                        "lxc.namespace.share.net = 42\n"
                        "lxc.namespace.share.pid = c3\n"
                        "lxc.namespace.share.user = /opt/c3\n"
                        "lxc.time.offset.boot = -1h\n"
                        "lxc.time.offset.monotonic = 10ms\n"
                        "lxc.sysctl.net.ipv4.ip_forward = 1\n"
                        "lxc.prlimit.nofile = 1024:4096\n"
                        "lxc.prlimit.core = unlimited\n"
                        "lxc.environment = APP_ENV=production\n"
                        "lxc.environment = SYSLOG_SERVER=192.0.2.42\n");
    ASSERT_EQ(c.idmaps.size(), 2u);
    EXPECT_EQ(c.idmaps[1].type, 'g');
    EXPECT_EQ(c.namespace_clone,
              (std::vector<Namespace>{Namespace::Mnt, Namespace::Net, Namespace::Ipc}));
    EXPECT_EQ(namespace_clone_flag(c.namespace_clone[0]), CLONE_NEWNS);
    EXPECT_EQ(c.namespace_share.at(Namespace::Net), "42");
    EXPECT_EQ(c.namespace_share.at(Namespace::Pid), "c3");
    EXPECT_EQ(c.namespace_share.at(Namespace::User), "/opt/c3");
    EXPECT_EQ(c.time_offset_boot, -3600'000'000'000);
    EXPECT_EQ(c.time_offset_monotonic, 10'000'000);
    EXPECT_EQ(c.sysctl.at("net.ipv4.ip_forward"), "1");
    EXPECT_EQ(c.prlimits.at("nofile").soft, 1024u);
    EXPECT_EQ(c.prlimits.at("nofile").hard, 4096u);
    EXPECT_EQ(c.environment,
              (std::vector<std::string>{"APP_ENV=production", "SYSLOG_SERVER=192.0.2.42"}));

    Config cleared = parse_ok("lxc.idmap = u 0 1 1\nlxc.idmap =\n"
                              "lxc.environment = A=1\nlxc.environment =\n"
                              "lxc.sysctl.a = 1\nlxc.sysctl.b = 2\nlxc.sysctl.a =\n"
                              "lxc.prlimit.nofile = 1\nlxc.prlimit =\n");
    EXPECT_TRUE(cleared.idmaps.empty());
    EXPECT_TRUE(cleared.environment.empty());
    EXPECT_EQ(cleared.sysctl.size(), 1u);
    EXPECT_TRUE(cleared.prlimits.empty());

    EXPECT_NE(only_error("lxc.namespace.clone = net\nlxc.namespace.keep = user\n"), "");
    EXPECT_EQ(only_error("lxc.prlimit.files = 10\n"),
              "config:1: lxc.prlimit.files: unknown resource limit \"files\"");
    EXPECT_NE(only_error("lxc.namespace.share.bogus = 1\n"), "");
}

TEST(ConfigParse, HooksAutostartMonitorLogging) {
    Config c = parse_ok("lxc.hook.version = 1\n"
                        "lxc.hook.pre-start = /bin/a\n"
                        "lxc.hook.pre-start = /bin/b arg\n"
                        "lxc.hook.start-host = /bin/c\n"
                        "lxc.hook.post-stop = /bin/d\n"
                        "lxc.start.auto = 1\n"
                        "lxc.start.delay = 5\n"
                        "lxc.start.order = -3\n"
                        "lxc.group = onboot\n"
                        "lxc.group = web db\n"
                        "lxc.monitor.unshare = 1\n"
                        "lxc.monitor.signal.pdeath = SIGTERM\n"
                        "lxc.log.level = 4\n"
                        "lxc.log.file = /var/log/c.log\n"
                        "lxc.log.syslog = local0\n");
    EXPECT_EQ(c.hook_version, 1);
    EXPECT_EQ(c.hooks.at(HookType::PreStart), (std::vector<std::string>{"/bin/a", "/bin/b arg"}));
    EXPECT_EQ(c.hooks.at(HookType::StartHost), std::vector<std::string>{"/bin/c"});
    EXPECT_EQ(c.hooks.at(HookType::PostStop), std::vector<std::string>{"/bin/d"});
    EXPECT_STREQ(hook_name(HookType::PostStop), "post-stop");
    EXPECT_TRUE(c.start_auto);
    EXPECT_EQ(c.start_delay, 5u);
    EXPECT_EQ(c.start_order, -3);
    EXPECT_EQ(c.groups, (std::vector<std::string>{"onboot", "web", "db"}));
    EXPECT_TRUE(c.monitor_unshare);
    EXPECT_EQ(c.monitor_signal_pdeath, SIGTERM);
    EXPECT_EQ(c.log_level, "warn");
    EXPECT_EQ(c.log_file, "/var/log/c.log");
    EXPECT_EQ(c.log_syslog, "local0");

    EXPECT_EQ(parse_ok("").monitor_signal_pdeath, SIGKILL);
    EXPECT_EQ(parse_ok("lxc.monitor.signal.pdeath = 0\n").monitor_signal_pdeath, 0);
    Config cleared = parse_ok("lxc.hook.start = /a\nlxc.hook.stop = /b\nlxc.hook.start =\n"
                              "lxc.group = g\nlxc.group =\n");
    EXPECT_FALSE(cleared.hooks.contains(HookType::Start));
    EXPECT_TRUE(cleared.hooks.contains(HookType::Stop));
    EXPECT_TRUE(cleared.groups.empty());
    EXPECT_TRUE(parse_ok("lxc.hook.start = /a\nlxc.hook =\n").hooks.empty());
    EXPECT_NE(only_error("lxc.hook.version = 2\n"), "");
    EXPECT_NE(only_error("lxc.hook.bogus = /a\n"), "");
}

TEST(ConfigParse, NetworksWithEverySubKey) {
    Config c = parse_ok("lxc.net.0.type = veth\n"
                        "lxc.net.0.flags = up\n"
                        "lxc.net.0.link = br0\n"
                        "lxc.net.0.name = eth0\n"
                        "lxc.net.0.hwaddr = 4a:49:43:49:79:xx\n"
                        "lxc.net.0.mtu = 1400\n"
                        "lxc.net.0.l2proxy = 1\n"
                        "lxc.net.0.veth.pair = vethc1\n"
                        "lxc.net.0.veth.mode = router\n"
                        "lxc.net.0.veth.ipv4.route = 192.168.1.0/24\n"
                        "lxc.net.0.veth.ipv6.route = 2001:db8::/64\n"
                        "lxc.net.0.veth.vlan.id = 7\n"
                        "lxc.net.0.veth.vlan.tagged.id = 10\n"
                        "lxc.net.0.ipv4.address = 10.2.3.5/24 10.2.3.255\n"
                        "lxc.net.0.ipv4.address = 10.2.3.6/24\n"
                        "lxc.net.0.ipv4.gateway = auto\n"
                        "lxc.net.0.ipv6.address = 2003:db8:1:0:214:1234:fe0b:3597\n"
                        "lxc.net.0.ipv6.gateway = 2003:db8:1::1\n"
                        "lxc.net.0.script.up = /bin/up\n"
                        "lxc.net.0.script.down = /bin/down\n"
                        "lxc.net.3.type = ipvlan\n"
                        "lxc.net.3.ipvlan.mode = l2\n"
                        "lxc.net.3.ipvlan.isolation = vepa\n"
                        "lxc.net.1.type = macvlan\n"
                        "lxc.net.1.macvlan.mode = passthru\n"
                        "lxc.net.2.type = vlan\n"
                        "lxc.net.2.vlan.id = 100\n");
    ASSERT_EQ(c.networks.size(), 4u);
    const Network& v = c.networks[0];
    EXPECT_EQ(v.index, 0u);
    EXPECT_EQ(v.origin.str(), "config:1");
    EXPECT_EQ(v.type, "veth");
    EXPECT_TRUE(v.flags_up);
    EXPECT_EQ(v.link, "br0");
    EXPECT_EQ(v.name, "eth0");
    EXPECT_EQ(v.hwaddr, "4a:49:43:49:79:xx");
    EXPECT_EQ(v.mtu, 1400u);
    EXPECT_TRUE(v.l2proxy);
    EXPECT_EQ(v.veth_pair, "vethc1");
    EXPECT_EQ(v.veth_mode, "router");
    ASSERT_EQ(v.veth_ipv4_routes.size(), 1u);
    EXPECT_EQ(v.veth_ipv4_routes[0].prefix, 24);
    ASSERT_EQ(v.veth_ipv6_routes.size(), 1u);
    EXPECT_EQ(v.veth_vlan_id, 7);
    EXPECT_EQ(v.veth_vlan_tagged_ids, std::vector<uint16_t>{10});
    ASSERT_EQ(v.ipv4.size(), 2u);
    EXPECT_EQ(ip4(v.ipv4[0].addr), "10.2.3.5");
    EXPECT_EQ(ip4(*v.ipv4[0].broadcast), "10.2.3.255");
    EXPECT_EQ(v.ipv4_gateway->kind, Ipv4Gateway::Kind::Auto);
    ASSERT_EQ(v.ipv6.size(), 1u);
    EXPECT_EQ(v.ipv6_gateway->kind, Ipv6Gateway::Kind::Address);
    EXPECT_EQ(v.script_up, "/bin/up");
    EXPECT_EQ(v.script_down, "/bin/down");
    // Sorted by index whatever the order in the file.
    EXPECT_EQ(c.networks[1].index, 1u);
    EXPECT_EQ(c.networks[1].macvlan_mode, "passthru");
    EXPECT_EQ(c.networks[2].vlan_id, 100);
    EXPECT_EQ(c.networks[3].ipvlan_mode, "l2");
    EXPECT_EQ(c.networks[3].ipvlan_isolation, "vepa");
    EXPECT_EQ(
        parse_ok("lxc.net.0.type = veth\nlxc.net.0.veth.vlan.id = none\n").networks[0].veth_vlan_id,
        Network::kVlanNone);
}

TEST(ConfigParse, NetworkClearing) {
    const char* two = "lxc.net.0.type = veth\n"
                      "lxc.net.0.ipv4.address = 10.0.0.2/24\n"
                      "lxc.net.1.type = empty\n";
    EXPECT_TRUE(parse_ok(std::string(two) + "lxc.net =\n").networks.empty());
    Config one = parse_ok(std::string(two) + "lxc.net.0 =\n");
    ASSERT_EQ(one.networks.size(), 1u);
    EXPECT_EQ(one.networks[0].index, 1u);
    Config addr = parse_ok(std::string(two) + "lxc.net.0.ipv4.address =\n");
    EXPECT_TRUE(addr.networks[0].ipv4.empty());
}

TEST(ConfigParse, NetworkErrors) {
    EXPECT_EQ(only_error("lxc.net.0.type = tunnel\n"),
              "config:1: lxc.net.0.type: invalid network type \"tunnel\"");
    EXPECT_EQ(only_error("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.3.300/24\n"),
              "config:2: lxc.net.0.ipv4.address: invalid IPv4 address \"10.0.3.300/24\"");
    EXPECT_EQ(only_error("lxc.net.0.type = veth\nlxc.net.0.ipv6.address = fe80::zz\n"),
              "config:2: lxc.net.0.ipv6.address: invalid IPv6 address \"fe80::zz\"");
    EXPECT_EQ(only_error("lxc.net.0.type = veth\nlxc.net.0.bogus = 1\n"),
              "config:2: lxc.net.0.bogus: unknown network key \"lxc.net.0.bogus\"");
    EXPECT_NE(only_error("lxc.net.x.type = veth\n"), "");
    EXPECT_EQ(only_error("lxc.net.0.link = br0\n"),
              "config:1: lxc.net.0.type: network 0 has no type");
    EXPECT_NE(only_error("lxc.net.0.type = veth\nlxc.net.0.flags = down\n"), "");
    EXPECT_NE(only_error("lxc.net.0.type = vlan\nlxc.net.0.vlan.id = 5000\n"), "");
    EXPECT_NE(only_error("lxc.net.0.type = veth\nlxc.net.0.hwaddr = 00:16:3e:zz:00:00\n"), "");
    EXPECT_NE(only_error("lxc.net.0.type = veth\nlxc.net.0.veth.pair = averyveryverylongname\n"),
              "");
    EXPECT_NE(only_error("lxc.net = veth\n"), "");
}

TEST(ConfigParse, ErrorsNameFileLineAndKeyAndParsingGoesOn) {
    ParseResult r = parse_file(data("bad.conf"));
    EXPECT_FALSE(r.ok());
    std::string f = data("bad.conf").string();
    std::vector<std::string> expected = {
        f + ":3: lxc.start.delay: invalid integer \"abc\"",
        f + ":4: lxc.no.such.key: unknown key",
        f + ":5: lxc.idmap: invalid idmap \"u 0 100000\" (expected \"u|g NSID HOSTID RANGE\")",
        f + ":6: lxc.signal.halt: invalid signal \"SIGNOPE\"",
        f + ":7: lxc.include: cannot read \"" + data("does-not-exist.conf").string() +
            "\": No such file or directory",
        f + ":9: lxc.net.0.ipv4.address: invalid IPv4 address \"10.0.3.300/24\"",
        f + ":10: warning: lxc.utsname: deprecated key, use lxc.uts.name",
    };
    EXPECT_EQ(messages(r), expected);
    // Good lines around the bad ones still count.
    EXPECT_EQ(r.config.uts_name, "legacy");
    ASSERT_EQ(r.config.networks.size(), 1u);
    EXPECT_EQ(r.config.networks[0].type, "veth");
}

TEST(ConfigParse, MalformedLines) {
    EXPECT_EQ(only_error("lxc.uts.name\n"),
              "config:1: lxc.uts.name: missing '=' (expected \"key = value\")");
    EXPECT_EQ(only_error("lxc.start.delay = 5\nlxc.bogus = 1\n"),
              "config:2: lxc.bogus: unknown key");
    EXPECT_NE(only_error(std::string_view("lxc.uts.name = a\0b\n", 19)), "");
    EXPECT_NE(only_error("lxc.arch = vax\n"), "");
    EXPECT_NE(only_error("lxc.uts.name = " + std::string(65, 'h') + "\n"), "");
    EXPECT_NE(only_error("lxc.sysctl = 1\n"), "");
    EXPECT_NE(only_error("lxc.start.order = 1.5\n"), "");
}

TEST(ConfigParse, IncludesFilesAndDirectoriesInOrder) {
    ParseResult r = parse_file(data("include/main.conf"));
    EXPECT_TRUE(r.ok()) << testing::PrintToString(messages(r));
    EXPECT_EQ(r.config.uts_name, "included");
    EXPECT_TRUE(r.config.start_auto);
    // common.conf, then conf.d/10-caps.conf, then conf.d/20-net.conf; README is skipped.
    EXPECT_EQ(r.config.cap_drop, (std::vector<std::string>{"sys_module", "mac_admin"}));
    ASSERT_EQ(r.config.networks.size(), 1u);
    EXPECT_EQ(r.config.networks[0].link, "lxcbr0");
    EXPECT_EQ(r.config.networks[0].origin.str(),
              data("include/conf.d/20-net.conf").string() + ":1");
    EXPECT_EQ(r.config.files, (std::vector<std::string>{
                                  data("include/main.conf").string(),
                                  data("include/common.conf").string(),
                                  data("include/conf.d/10-caps.conf").string(),
                                  data("include/conf.d/20-net.conf").string(),
                              }));
}

TEST(ConfigParse, IncludeLoopsAndMissingIncludesAreErrors) {
    ParseResult loop = parse_file(data("loop/a.conf"));
    ASSERT_EQ(loop.diagnostics.size(), 1u);
    std::string msg = loop.diagnostics[0].str();
    EXPECT_EQ(msg.rfind(data("loop/b.conf").string() + ":1: lxc.include: include loop: ", 0), 0u)
        << msg;
    EXPECT_EQ(loop.config.uts_name, "a");

    ParseResult missing = parse_file(data("no-such-file.conf"));
    ASSERT_EQ(missing.diagnostics.size(), 1u);
    EXPECT_EQ(missing.diagnostics[0].str(),
              data("no-such-file.conf").string() + ":0: cannot read \"" +
                  data("no-such-file.conf").string() + "\": No such file or directory");

    ParseOptions no_includes;
    no_includes.follow_includes = false;
    ParseResult off = parse_string("lxc.include = /etc\n", "config", no_includes);
    EXPECT_EQ(messages(off),
              std::vector<std::string>{"config:1: lxc.include: includes are disabled here"});
}

TEST(ConfigParse, LegacyKeysMapToModernOnesWithAWarning) {
    ParseResult r = parse_string("lxc.utsname = old\n"
                                 "lxc.rootfs = /var/lib/lxc/old/rootfs\n"
                                 "lxc.rootfs.backend = dir\n"
                                 "lxc.id_map = u 0 100000 65536\n"
                                 "lxc.aa_profile = unconfined\n"
                                 "lxc.aa_allow_incomplete = 1\n"
                                 "lxc.se_context = system_u:system_r:lxc_t:s0\n"
                                 "lxc.seccomp = /usr/share/lxc/config/common.seccomp\n"
                                 "lxc.tty = 4\n"
                                 "lxc.pts = 1024\n"
                                 "lxc.devttydir = lxc\n"
                                 "lxc.haltsignal = SIGUSR1\n"
                                 "lxc.rebootsignal = SIGUSR2\n"
                                 "lxc.stopsignal = SIGKILL\n"
                                 "lxc.loglevel = DEBUG\n"
                                 "lxc.logfile = /var/log/old.log\n"
                                 "lxc.init_cmd = /sbin/init\n"
                                 "lxc.init_uid = 1\n"
                                 "lxc.init_gid = 2\n"
                                 "lxc.limit.nofile = 100\n"
                                 "lxc.console = none\n"
                                 "lxc.console.logfile = /var/log/console\n"
                                 "lxc.syslog = daemon\n"
                                 "lxc.mount = /var/lib/lxc/old/fstab\n"
                                 "lxc.kmsg = 0\n"
                                 "lxc.pivotdir = lxc_putold\n"
                                 "lxc.start.auto = 1\n",
                                 "config");
    EXPECT_TRUE(r.ok());
    const Config& c = r.config;
    EXPECT_EQ(c.uts_name, "old");
    EXPECT_EQ(c.rootfs_path, "/var/lib/lxc/old/rootfs");
    EXPECT_EQ(c.idmaps.size(), 1u);
    EXPECT_EQ(c.apparmor_profile, "unconfined");
    EXPECT_TRUE(c.apparmor_allow_incomplete);
    EXPECT_EQ(c.selinux_context, "system_u:system_r:lxc_t:s0");
    EXPECT_EQ(c.seccomp_profile, "/usr/share/lxc/config/common.seccomp");
    EXPECT_EQ(c.tty_max, 4u);
    EXPECT_EQ(c.pty_max, 1024u);
    EXPECT_EQ(c.tty_dir, "lxc");
    EXPECT_EQ(c.signal_halt, SIGUSR1);
    EXPECT_EQ(c.signal_reboot, SIGUSR2);
    EXPECT_EQ(c.signal_stop, SIGKILL);
    EXPECT_EQ(c.log_level, "debug");
    EXPECT_EQ(c.log_file, "/var/log/old.log");
    EXPECT_EQ(c.init_cmd, std::vector<std::string>{"/sbin/init"});
    EXPECT_EQ(c.init_uid, 1u);
    EXPECT_EQ(c.init_gid, 2u);
    EXPECT_EQ(c.prlimits.at("nofile").hard, 100u);
    EXPECT_EQ(c.console_path, "none");
    EXPECT_EQ(c.console_logfile, "/var/log/console");
    EXPECT_EQ(c.log_syslog, "daemon");
    EXPECT_EQ(c.mount_fstab, "/var/lib/lxc/old/fstab");
    EXPECT_TRUE(c.start_auto);
    auto m = messages(r);
    ASSERT_EQ(m.size(), 25u) << testing::PrintToString(m);
    EXPECT_EQ(m[0], "config:1: warning: lxc.utsname: deprecated key, use lxc.uts.name");
    EXPECT_EQ(m[2], "config:3: warning: lxc.rootfs.backend: obsolete key, ignored");
    EXPECT_EQ(m[19],
              "config:20: warning: lxc.limit.nofile: deprecated key, use lxc.prlimit.nofile");
}

TEST(ConfigParse, LegacyNetworksEachTypeStartsANewOne) {
    ParseResult r = parse_file(data("seed000-two-networks.conf"));
    EXPECT_TRUE(r.ok());
    ASSERT_EQ(r.config.networks.size(), 2u);
    EXPECT_EQ(r.config.networks[0].type, "veth");
    EXPECT_EQ(r.config.networks[0].link, "lxcbr0");
    EXPECT_EQ(r.config.networks[1].index, 1u);
    EXPECT_EQ(r.config.networks[1].type, "macvlan");
    EXPECT_EQ(r.config.networks[1].link, "eth0");
    EXPECT_EQ(r.config.networks[1].hwaddr, "00:16:3e:25:09:xx");
    EXPECT_EQ(r.diagnostics[4].str(), data("seed000-two-networks.conf").string() +
                                          ":6: warning: lxc.network.type: deprecated key, use "
                                          "lxc.net.1.type");

    ParseResult ip = parse_file(data("seed000-static-ip.conf"));
    ASSERT_EQ(ip.config.networks.size(), 1u);
    const Network& n = ip.config.networks[0];
    ASSERT_EQ(n.ipv4.size(), 1u);
    EXPECT_EQ(ip4(n.ipv4[0].addr), "10.0.3.200");
    EXPECT_EQ(n.ipv4[0].prefix, 24);
    EXPECT_EQ(ip4(*n.ipv4[0].broadcast), "10.0.3.255");
    EXPECT_EQ(ip4(n.ipv4_gateway->addr), "10.0.3.1");

    Config indexed = parse_string("lxc.network.1.type = veth\nlxc.network.1.ipv6 = ::1/128\n"
                                  "lxc.network.1.veth.pair = vp\n",
                                  "config")
                         .config;
    ASSERT_EQ(indexed.networks.size(), 1u);
    EXPECT_EQ(indexed.networks[0].index, 1u);
    EXPECT_EQ(indexed.networks[0].ipv6.size(), 1u);
    EXPECT_EQ(indexed.networks[0].veth_pair, "vp");

    ParseResult orphan = parse_string("lxc.network.link = br0\n", "config");
    EXPECT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.diagnostics.back().str(),
              "config:1: lxc.network.link: no network yet: lxc.network.type must come first");
    EXPECT_TRUE(
        parse_string("lxc.network.type = veth\nlxc.network =\n", "config").config.networks.empty());
}

TEST(ConfigParse, EverySeedExampleParses) {
    for (const char* name :
         {"seed000-security.conf", "seed000-empty.conf", "seed000-veth.conf",
          "seed000-veth-template.conf", "seed000-static-ip.conf", "seed000-macvlan-private.conf",
          "seed000-macvlan-bridge.conf", "seed000-two-networks.conf", "seed002-unprivileged.conf",
          "seed001-basic.conf", "seed001-uid-map.conf", "seed001-cgroup.conf",
          "seed001-complex.conf", "seed001-snippets.conf", "seed001-seccomp-denylist.conf",
          "full.conf"}) {
        ParseResult r = parse_file(data(name));
        EXPECT_TRUE(r.ok()) << name << ": " << testing::PrintToString(messages(r));
        // Seed 000/002 are LXC 1.x configs: legacy keys, so warnings; seed 001 is modern.
        bool legacy =
            std::string(name).starts_with("seed000") || std::string(name).starts_with("seed002");
        EXPECT_EQ(!r.diagnostics.empty(), legacy) << name;
    }
    Config complex = parse_file(data("seed001-complex.conf")).config;
    EXPECT_EQ(complex.networks.size(), 3u);
    EXPECT_EQ(complex.networks[2].type, "phys");
    EXPECT_EQ(complex.cap_drop.size(), 5u);
    Config unpriv = parse_file(data("seed002-unprivileged.conf")).config;
    EXPECT_EQ(unpriv.idmaps.size(), 2u);
    EXPECT_EQ(unpriv.networks[0].hwaddr, "00:16:3e:xx:xx:xx");
    Config security = parse_file(data("seed000-security.conf")).config;
    EXPECT_EQ(security.apparmor_profile, "lxc-container-default-with-mounting");
}
