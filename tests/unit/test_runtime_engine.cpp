// Pure parts of the engine: hook environment and argv, stop escalation, state
// files, control requests, idmaps, init environment, prlimit names, namespaces,
// time namespace offsets.
#include "control_request.hpp"
#include "error.hpp"
#include "hooks.hpp"
#include "idmap.hpp"
#include "init.hpp"
#include "namespaces.hpp"
#include "prlimit.hpp"
#include "process.hpp"
#include "state_dir.hpp"
#include "stop_policy.hpp"
#include "time_namespace.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sched.h>
#include <sys/resource.h>

using namespace lxcd;
using namespace lxcd::runtime;
using config::HookType;

namespace {

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

HookContext sample_context(int version) {
    HookContext ctx;
    ctx.name = "ct01";
    ctx.config_file = "/var/lib/lxc/ct01/config";
    ctx.rootfs_path = "dir:/var/lib/lxc/ct01/rootfs";
    ctx.rootfs_mount = "/var/lib/lxc/ct01/rootfs";
    ctx.version = version;
    return ctx;
}

} // namespace

TEST(HookEnv, CommonVariables) {
    auto env = hook_environment(sample_context(0), HookType::PreStart);
    EXPECT_TRUE(has(env, "LXC_NAME=ct01"));
    EXPECT_TRUE(has(env, "LXC_CONFIG_FILE=/var/lib/lxc/ct01/config"));
    EXPECT_TRUE(has(env, "LXC_ROOTFS_PATH=dir:/var/lib/lxc/ct01/rootfs"));
    EXPECT_TRUE(has(env, "LXC_ROOTFS_MOUNT=/var/lib/lxc/ct01/rootfs"));
    EXPECT_TRUE(has(env, "LXC_HOOK_VERSION=0"));
    // Version 0 passes the type as an argument, version 1 in the environment.
    EXPECT_FALSE(has(env, "LXC_HOOK_TYPE=pre-start"));
    auto v1 = hook_environment(sample_context(1), HookType::PreStart);
    EXPECT_TRUE(has(v1, "LXC_HOOK_TYPE=pre-start"));
    EXPECT_TRUE(has(v1, "LXC_HOOK_SECTION=lxc"));
    EXPECT_FALSE(std::any_of(env.begin(), env.end(),
                             [](const std::string& e) { return e.starts_with("LXC_PID="); }));
}

TEST(HookEnv, PidTargetAndNamespaces) {
    auto ctx = sample_context(1);
    ctx.pid = 4242;
    ctx.target = "reboot";
    ctx.namespaces["net"] = "/proc/1/fd/7";
    auto env = hook_environment(ctx, HookType::Stop);
    EXPECT_TRUE(has(env, "LXC_PID=4242"));
    EXPECT_TRUE(has(env, "LXC_TARGET=reboot"));
    EXPECT_TRUE(has(env, "LXC_NET_NS=/proc/1/fd/7"));
    EXPECT_TRUE(has(env, "LXC_HOOK_TYPE=stop"));
    // Version 0 passes namespaces as arguments instead.
    ctx.version = 0;
    EXPECT_FALSE(has(hook_environment(ctx, HookType::Stop), "LXC_NET_NS=/proc/1/fd/7"));
}

TEST(HookArgv, Version0AppendsNameSectionType) {
    auto ctx = sample_context(0);
    auto argv = hook_argv(ctx, HookType::Mount, "/usr/share/lxc/hooks/x --flag");
    ASSERT_EQ(argv.size(), 7u);
    EXPECT_EQ(argv[0], "/bin/sh");
    EXPECT_EQ(argv[2], "/usr/share/lxc/hooks/x --flag \"$@\"");
    EXPECT_EQ(argv[4], "ct01");
    EXPECT_EQ(argv[5], "lxc");
    EXPECT_EQ(argv[6], "mount");
    ctx.namespaces["mnt"] = "/proc/9/fd/3";
    EXPECT_EQ(hook_argv(ctx, HookType::Stop, "h").back(), "mnt:/proc/9/fd/3");
}

TEST(HookArgv, Version1HasNoExtraArguments) {
    auto argv = hook_argv(sample_context(1), HookType::Start, "/hook");
    EXPECT_EQ(argv.size(), 4u);
}

// A hook that hangs is killed with everything it started once its time is up.
TEST(HookTimeout, HungHookAndItsChildrenAreKilled) {
    std::string marker = "/tmp/lxcd-hook-timeout-" + std::to_string(::getpid());
    auto started = std::chrono::steady_clock::now();
    auto status = run_and_wait({"/bin/sh", "-c", "sleep 30 & echo $! >" + marker + "; wait"},
                               inherited_environment(), std::chrono::milliseconds(300));
    EXPECT_FALSE(status.has_value());
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    std::ifstream in(marker);
    pid_t child = 0;
    in >> child;
    std::remove(marker.c_str());
    ASSERT_GT(child, 0);
    // Killed as a member of the hook's process group: gone, or a zombie until init reaps it.
    auto alive = [child] {
        std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
        std::string pid, comm, state;
        return stat >> pid >> comm >> state && state != "Z";
    };
    for (int i = 0; i < 50 && alive(); i++)
        ::usleep(20'000);
    EXPECT_FALSE(alive()) << "the hook's child " << child << " survived";
}

TEST(HookTimeout, FinishedHookGivesItsStatus) {
    auto status = run_and_wait({"/bin/sh", "-c", "exit 3"}, inherited_environment(),
                               std::chrono::seconds(10));
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(describe_status(*status), "exit status 3");
}

TEST(HookTimeout, FromTheEnvironment) {
    ::setenv("LXCD_HOOK_TIMEOUT_SEC", "7", 1);
    EXPECT_EQ(hook_timeout().count(), 7);
    ::setenv("LXCD_HOOK_TIMEOUT_SEC", "0", 1);
    EXPECT_THROW(hook_timeout(), Error);
    ::setenv("LXCD_HOOK_TIMEOUT_SEC", "5s", 1);
    EXPECT_THROW(hook_timeout(), Error);
    ::unsetenv("LXCD_HOOK_TIMEOUT_SEC");
    EXPECT_EQ(hook_timeout(), kDefaultHookTimeout);
}

TEST(StopPolicy, DefaultsAreSigpwrThenSigkill) {
    config::Config cfg;
    auto plan = stop_plan(cfg, 30);
    EXPECT_EQ(plan.halt_signal, SIGPWR);
    EXPECT_EQ(plan.stop_signal, SIGKILL);
    ASSERT_TRUE(plan.grace);
    EXPECT_EQ(plan.grace->count(), 30);
    EXPECT_EQ(reboot_signal(cfg), SIGINT);
}

TEST(StopPolicy, ConfiguredSignalsAndTimeouts) {
    config::Config cfg;
    cfg.signal_halt = SIGRTMIN + 3;
    cfg.signal_stop = SIGTERM;
    cfg.signal_reboot = SIGTERM;
    auto plan = stop_plan(cfg, -1);
    EXPECT_EQ(plan.halt_signal, SIGRTMIN + 3);
    EXPECT_FALSE(plan.grace); // wait for ever
    auto now = stop_plan(cfg, 0);
    EXPECT_EQ(now.halt_signal, 0); // straight to the stop signal
    EXPECT_EQ(now.stop_signal, SIGTERM);
    EXPECT_EQ(reboot_signal(cfg), SIGTERM);
}

TEST(StateFiles, Format) {
    EXPECT_EQ(state_file_text(State::Running), "RUNNING\n");
    EXPECT_EQ(state_file_text(State::Stopped), "STOPPED\n");
    EXPECT_EQ(pid_file_text(123), "123\n");
}

TEST(ControlRequest, Parses) {
    using K = ControlRequest::Kind;
    EXPECT_EQ(parse_control_request("state").kind, K::State);
    auto stop = parse_control_request("stop 30\n");
    EXPECT_EQ(stop.kind, K::Stop);
    EXPECT_EQ(stop.arg, 30);
    EXPECT_EQ(parse_control_request("stop -1").arg, -1);
    auto kill = parse_control_request("kill 9");
    EXPECT_EQ(kill.kind, K::Kill);
    EXPECT_EQ(kill.arg, 9);
    EXPECT_EQ(parse_control_request("reboot").kind, K::Reboot);
    EXPECT_EQ(parse_control_request("subscribe").kind, K::Subscribe);
    auto log = parse_control_request("console-log 1");
    EXPECT_EQ(log.kind, K::ConsoleLog);
    EXPECT_EQ(log.arg, 1);
    EXPECT_EQ(parse_control_request("console-rotate").kind, K::ConsoleRotate);
}

TEST(ControlRequest, Rejects) {
    EXPECT_THROW(parse_control_request(""), Error);
    EXPECT_THROW(parse_control_request("stop"), Error);
    EXPECT_THROW(parse_control_request("stop soon"), Error);
    EXPECT_THROW(parse_control_request("kill 0"), Error);
    EXPECT_THROW(parse_control_request("kill 9 9"), Error);
    EXPECT_THROW(parse_control_request("state now"), Error);
    EXPECT_THROW(parse_control_request("explode"), Error);
    EXPECT_THROW(parse_control_request("console-log"), Error);
    EXPECT_THROW(parse_control_request("console-log 2"), Error);
    EXPECT_EQ(reply_error(Error(Errc::NotRunning, "ct01 is not running")),
              "error NotRunning ct01 is not running");
}

TEST(Idmap, FormatAndCoverage) {
    std::vector<config::IdMap> maps{
        {'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}, {'u', 70000, 70000, 1}};
    EXPECT_EQ(format_idmap(maps, 'u'), "0 100000 65536\n70000 70000 1\n");
    EXPECT_EQ(format_idmap(maps, 'g'), "0 100000 65536\n");
    EXPECT_TRUE(idmap_covers(maps, 'g', 5));
    EXPECT_TRUE(idmap_covers(maps, 'u', 70000));
    EXPECT_FALSE(idmap_covers(maps, 'u', 65536));
    EXPECT_FALSE(idmap_covers({}, 'u', 0));
    EXPECT_EQ(host_id(maps, 'u', 0), 100000u);
    EXPECT_EQ(host_id(maps, 'g', 5), 100005u);
    EXPECT_EQ(host_id({}, 'u', 0), 0u);
}

TEST(InitEnvironment, ContainerPathAndConfigured) {
    config::Config cfg;
    cfg.environment = {"FOO=bar", "HOME", "MISSING", "PATH=/bin"};
    auto env = init_environment(cfg, {"HOME=/root", "SECRET=x"});
    EXPECT_TRUE(has(env, "container=lxc"));
    EXPECT_TRUE(has(env, "FOO=bar"));
    EXPECT_TRUE(has(env, "HOME=/root"));
    EXPECT_TRUE(has(env, "PATH=/bin"));
    EXPECT_EQ(std::count_if(env.begin(), env.end(),
                            [](const std::string& e) { return e.starts_with("PATH="); }),
              1);
    EXPECT_FALSE(has(env, "SECRET=x"));
}

TEST(InitCommand, DefaultsAndApplication) {
    config::Config cfg;
    EXPECT_EQ(init_command(cfg, false), std::vector<std::string>{"/sbin/init"});
    EXPECT_THROW(init_command(cfg, true), Error);
    cfg.execute_cmd = {"/bin/true"};
    EXPECT_EQ(init_command(cfg, true), cfg.execute_cmd);
}

TEST(Prlimit, ResourceNames) {
    EXPECT_EQ(rlimit_resource("nofile"), RLIMIT_NOFILE);
    EXPECT_EQ(rlimit_resource("rttime"), RLIMIT_RTTIME);
    EXPECT_FALSE(rlimit_resource("files"));
}

TEST(Namespaces, DefaultsKeepAndUser) {
    config::Config cfg;
    auto plan = plan_namespaces(cfg, "/run/lxcd");
    unsigned long defaults =
        CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP;
    EXPECT_EQ(plan.clone_flags, defaults);
    cfg.idmaps = {{'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}};
    EXPECT_EQ(plan_namespaces(cfg, "/run/lxcd").clone_flags, defaults | CLONE_NEWUSER);
    cfg.namespace_keep = {config::Namespace::Net};
    EXPECT_EQ(plan_namespaces(cfg, "/run/lxcd").clone_flags & CLONE_NEWNET, 0u);
}

TEST(Namespaces, ShareAndErrors) {
    config::Config cfg;
    cfg.namespace_share[config::Namespace::Net] = "1234";
    auto plan = plan_namespaces(cfg, "/run/lxcd");
    EXPECT_EQ(plan.clone_flags & CLONE_NEWNET, 0u);
    ASSERT_EQ(plan.shared.size(), 1u);
    EXPECT_EQ(plan.shared[0].path, "/proc/1234/ns/net");
    cfg.namespace_share[config::Namespace::Net] = "no-such-container";
    EXPECT_THROW(plan_namespaces(cfg, "/nonexistent"), Error);

    config::Config nomnt;
    nomnt.namespace_keep = {config::Namespace::Mnt};
    EXPECT_THROW(plan_namespaces(nomnt, "/run/lxcd"), Error);
    config::Config user;
    user.namespace_clone = {config::Namespace::Mnt, config::Namespace::User};
    EXPECT_THROW(plan_namespaces(user, "/run/lxcd"), Error);
}

TEST(Namespaces, TimeOnlyWithOffsets) {
    config::Config cfg;
    EXPECT_EQ(plan_namespaces(cfg, "/run/lxcd").clone_flags & CLONE_NEWTIME, 0u);
    cfg.time_offset_boot = 1;
    EXPECT_NE(plan_namespaces(cfg, "/run/lxcd").clone_flags & CLONE_NEWTIME, 0u);
    cfg.namespace_keep = {config::Namespace::Time};
    EXPECT_THROW(plan_namespaces(cfg, "/run/lxcd"), Error);

    config::Config asked; // lxc.namespace.clone may ask for one without offsets
    asked.namespace_clone = {config::Namespace::Mnt, config::Namespace::Time};
    EXPECT_EQ(plan_namespaces(asked, "/run/lxcd").clone_flags,
              unsigned(CLONE_NEWNS | CLONE_NEWTIME));
    asked.namespace_clone = {config::Namespace::Mnt};
    asked.time_offset_monotonic = -5;
    EXPECT_THROW(plan_namespaces(asked, "/run/lxcd"), Error);
}

TEST(TimeNamespace, OffsetsFile) {
    EXPECT_EQ(format_timens_offsets(0, 0), "monotonic 0 0\nboottime 0 0\n");
    EXPECT_EQ(format_timens_offsets(86400'000000001, 1'500000000),
              "monotonic 1 500000000\nboottime 86400 1\n");
    // The kernel wants 0 <= nanoseconds < 1e9: -1.5 s is -2 s + 0.5 s.
    EXPECT_EQ(format_timens_offsets(-1'500000000, -3'000000000),
              "monotonic -3 0\nboottime -2 500000000\n");
}

TEST(Namespaces, NetworkTypeNoneOnlySharesTheHost) {
    auto net = [](const char* type) {
        config::Network n;
        n.type = type;
        return n;
    };
    config::Config c;
    EXPECT_TRUE(needs_netns(c));
    c.networks.push_back(net("none"));
    EXPECT_FALSE(needs_netns(c));
    c.networks.push_back(net("veth"));
    EXPECT_TRUE(needs_netns(c));
    c.networks = {net("empty")};
    EXPECT_TRUE(needs_netns(c));
    c.networks = {net("none")};
    EXPECT_EQ(plan_namespaces(c, "/run/lxcd").clone_flags & CLONE_NEWNET, 0u);
}

TEST(Namespaces, NetworkConfiguredOnlyInAnOwnNamespace) {
    config::Config c;
    c.networks.push_back(config::Network{});
    c.networks.back().type = "veth";
    EXPECT_TRUE(configures_network(c));
    c.namespace_share[config::Namespace::Net] = "other";
    EXPECT_FALSE(configures_network(c)); // another container's: LXC sets up nothing there
    c.namespace_share.clear();
    c.namespace_keep = {config::Namespace::Net};
    EXPECT_FALSE(configures_network(c)); // the host's
    c.namespace_keep.clear();
    c.namespace_clone = {config::Namespace::Mnt, config::Namespace::Pid};
    EXPECT_FALSE(configures_network(c));
    c.namespace_clone.push_back(config::Namespace::Net);
    EXPECT_TRUE(configures_network(c));
    c.networks.back().type = "none";
    c.namespace_clone.clear();
    EXPECT_FALSE(configures_network(c));
}

TEST(InitEnvironment, ContainerTtysForSystemd) {
    config::Config cfg;
    auto has = [](const std::vector<std::string>& env, const std::string& prefix) {
        return std::any_of(env.begin(), env.end(),
                           [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
    };
    EXPECT_FALSE(has(init_environment(cfg, {}), "container_ttys="));
    cfg.tty_max = 2;
    auto env = init_environment(cfg, {});
    EXPECT_NE(std::find(env.begin(), env.end(), "container_ttys=tty1 tty2"), env.end());
    cfg.tty_dir = "lxc";
    env = init_environment(cfg, {});
    EXPECT_NE(std::find(env.begin(), env.end(), "container_ttys=lxc/tty1 lxc/tty2"), env.end());
}
