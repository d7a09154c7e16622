#include "start.hpp"

#include "app_init.hpp"
#include "autodev.hpp"
#include "caps.hpp"
#include "error.hpp"
#include "idmap.hpp"
#include "idmapped_mounts.hpp"
#include "in_root.hpp"
#include "init.hpp"
#include "lsm.hpp"
#include "mounts.hpp"
#include "namespaces.hpp"
#include "process.hpp"
#include "rootfs.hpp"
#include "seccomp_filter.hpp"
#include "sync_channel.hpp"
#include "time_namespace.hpp"
#include "unprivileged.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string_view>

namespace lxcd::runtime {

namespace {

using config::HookType;

struct ChildContext {
    const config::Config& cfg;
    const StartOptions& opts;
    const RootfsSpec& spec;
    const NamespacePlan& plan;
    const std::vector<OpenNamespace>& shared;
    const std::vector<config::MountEntry>& entries; // lxc.mount.entry, then lxc.mount.fstab
    IdmappedTrees trees;                            // from the parent with the first "go"
    std::optional<seccomp::SeccompFilter>& filter;
    SyncChannel& sync;
    const HookContext& hooks;

    bool owns(unsigned long flag) const { return plan.clone_flags & flag; }
};

SyncMessage wait_for_go(const SyncChannel& sync) {
    auto m = sync.receive();
    if (!m || m->msg != SyncMsg::Go)
        ::_exit(1); // the parent gave up (or died): nothing to report to
    return std::move(*m);
}

void apply_sysctls(int root_fd, const config::Config& cfg) {
    for (const auto& [key, value] : cfg.sysctl) {
        std::string rel = "proc/sys/" + key;
        std::replace(rel.begin() + 9, rel.end(), '.', '/');
        try {
            UniqueFd node = open_in_root(root_fd, rel);
            UniqueFd fd(::open(fd_path(node.get()).c_str(), O_WRONLY | O_CLOEXEC));
            if (!fd || ::write(fd.get(), value.data(), value.size()) < 0)
                throw_errno("write");
        } catch (const Error& e) {
            throw Error(e.code(),
                        "lxc.sysctl." + key + " = " + value + ": " + e.what() +
                            " (is proc in lxc.mount.auto?)",
                        e.sys_errno());
        }
    }
}

// The container's mount namespace before its cgroup exists (the parent may still be
// waiting for systemd's scope): rootfs, proc and sys, /dev, console, ttys, mount entries.
UniqueFd prepare_rootfs(const ChildContext& c, const std::vector<AutoMount>& autos) {
    const auto& cfg = c.cfg;
    run_hooks(cfg, c.hooks, HookType::PreMount);
    UniqueFd root = mount_rootfs(cfg, c.spec, c.trees.rootfs());

    bool userns = c.owns(CLONE_NEWUSER);
    mount_auto(root.get(), autos, c.owns(CLONE_NEWNET));
    setup_dev(root.get(), cfg, !userns || idmap_covers(cfg.idmaps, 'g', 5));
    if (!c.opts.console_pty.empty())
        bind_console(root.get(), c.opts.console_pty);
    bind_ttys(root.get(), c.opts.tty_ptys, cfg.tty_dir);

    for (size_t i = 0; i < c.entries.size(); ++i)
        mount_entry(root.get(), c.entries[i], c.trees.entry(i));
    return root;
}

// The rest, once placed in its cgroup with its network devices moved in: like LXC,
// the cgroup mounts come after the mount entries, then sysctls and the mount hooks.
void finish_rootfs(const ChildContext& c, int root, const std::vector<AutoMount>& autos) {
    const auto& cfg = c.cfg;
    bool own_net = c.owns(CLONE_NEWNET);
    mount_auto_cgroups(root, autos);
    apply_sysctls(root, cfg);
    bool keeps_sys_admin = caps::caps_to_keep(cfg.cap_drop, cfg.cap_keep, caps::last_cap()) &
                           caps::cap_bit(CAP_SYS_ADMIN);
    restrict_auto_mounts(root, autos, own_net, keeps_sys_admin);

    run_hooks(cfg, c.hooks, HookType::Mount);
    if (cfg.autodev)
        run_hooks(cfg, c.hooks, HookType::Autodev);
}

void attach_console() {
    if (::setsid() < 0)
        throw_errno("setsid");
    UniqueFd tty(::open("/dev/console", O_RDWR | O_CLOEXEC));
    if (!tty)
        throw_errno("open /dev/console");
    if (::ioctl(tty.get(), TIOCSCTTY, 0) < 0)
        throw_errno("make /dev/console the controlling terminal");
    for (int fd = 0; fd <= 2; ++fd) {
        if (::dup2(tty.get(), fd) < 0)
            throw_errno("dup2 console");
    }
}

// lxc.monitor.signal.pdeath (default SIGKILL, 0 = none): the container dies with its
// supervisor. The kernel clears it on every uid/gid change, so it is set again after each.
void set_parent_death_signal(const config::Config& cfg) {
    if (::prctl(PR_SET_PDEATHSIG, cfg.monitor_signal_pdeath, 0, 0, 0) < 0)
        throw_errno("set parent death signal");
}

// In a new user namespace we must act as a mapped user to create files. That is
// root if it is mapped; otherwise (seed 003) init's own uid/gid. Our capabilities
// survive that switch without help: with no uid 0 in the namespace the kernel has no
// root to take them away from (capabilities(7), "Effect of user ID changes").
void become_setup_user(const config::Config& cfg) {
    uid_t uid = 0;
    gid_t gid = 0;
    if (!idmap_covers(cfg.idmaps, 'u', 0) || !idmap_covers(cfg.idmaps, 'g', 0)) {
        uid = cfg.init_uid.value_or(0);
        gid = cfg.init_gid.value_or(0);
        if (!idmap_covers(cfg.idmaps, 'u', uid) || !idmap_covers(cfg.idmaps, 'g', gid))
            throw Error(Errc::InvalidConfig,
                        "lxc.idmap maps no root: lxc.init.uid and lxc.init.gid must be mapped");
    }
    if (::setresgid(gid, gid, gid) < 0 || ::setresuid(uid, uid, uid) < 0)
        throw_errno("switch to uid " + std::to_string(uid) + " in the user namespace");
}

[[noreturn]] void exec_payload(ChildContext& c) {
    const auto& cfg = c.cfg;
    if (!c.opts.console_pty.empty())
        attach_console();
    setup_process(cfg, c.owns(CLONE_NEWUTS), c.owns(CLONE_NEWNET));
    run_hooks(cfg, c.hooks, HookType::Start);
    apply_lsm(cfg);
    restrict_process(cfg, c.filter);
    set_parent_death_signal(cfg);

    prepare_exec_context();
    auto env = init_environment(cfg, inherited_environment());
    auto argv = init_command(cfg, c.opts.application);
    auto exec_or_report = [&] {
        exec_search(argv, env);
        std::string key = c.opts.application ? "lxc.execute.cmd" : "lxc.init.cmd";
        c.sync.send(SyncMsg::Error, key + " '" + argv[0] + "': " + std::strerror(errno));
        ::_exit(127);
    };
    if (!c.opts.application)
        exec_or_report();
    // The reaper must not hold the handshake open: EOF tells the parent the command runs.
    run_app_init(exec_or_report, [&] { c.sync.close(); });
}

[[noreturn]] void child_main(ChildContext& c) noexcept {
    try {
        set_parent_death_signal(c.cfg);
        SyncMessage go = wait_for_go(c.sync); // idmaps written, idmapped trees attached
        c.trees = IdmappedTrees::received(go.text, std::move(go.fds));
        // First, while we are sure to hold CAP_SYS_ADMIN and CAP_SYS_TIME in our namespace.
        if (c.owns(CLONE_NEWTIME))
            enter_new_time_namespace(c.cfg.time_offset_boot, c.cfg.time_offset_monotonic);
        if (c.owns(CLONE_NEWUSER)) {
            become_setup_user(c.cfg);
            set_parent_death_signal(c.cfg);
            // The uid change made us undumpable, which would keep a non-root parent (our
            // user namespace's owner) from opening our /proc/PID/ns/* (as LXC does).
            if (::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
                throw_errno("set dumpable");
        }
        join_shared(c.shared);
        auto autos = parse_auto_mounts(c.cfg.mount_auto);
        UniqueFd root = prepare_rootfs(c, autos);
        wait_for_go(c.sync); // in its cgroup, network devices moved in
        // Only now, placed in its cgroup, so that cgroup becomes the namespace's root.
        if (c.owns(CLONE_NEWCGROUP) && ::unshare(CLONE_NEWCGROUP) < 0)
            throw_errno("new cgroup namespace");
        finish_rootfs(c, root.get(), autos);
        pivot_into(root.get());
        root.reset();
        c.sync.send(SyncMsg::Mounted);
        wait_for_go(c.sync);
        exec_payload(c);
    } catch (const std::exception& e) {
        try {
            c.sync.send(SyncMsg::Error, e.what());
        } catch (const Error&) {
        }
    }
    ::_exit(1);
}

std::vector<std::pair<std::string, UniqueFd>> open_namespaces_of(pid_t pid) {
    std::vector<std::pair<std::string, UniqueFd>> out;
    for (const char* ns : {"user", "mnt", "pid", "uts", "ipc", "net", "cgroup", "time"}) {
        std::string path = "/proc/" + std::to_string(pid) + "/ns/" + ns;
        UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd && errno == ENOENT && std::string_view(ns) == "time")
            continue; // a kernel without CONFIG_TIME_NS
        if (!fd)
            throw_errno("open " + path);
        out.emplace_back(ns, std::move(fd));
    }
    return out;
}

// Waits for the child's next message; throws its error, or `eof_error` on EOF.
std::optional<SyncMessage> expect(const SyncChannel& sync, SyncMsg wanted) {
    auto m = sync.receive();
    if (m && m->msg == SyncMsg::Error)
        throw Error(Errc::Failed, m->text);
    if (m && m->msg != wanted)
        throw Error(Errc::Failed, "start handshake: unexpected message from the container");
    return m;
}

// The error the child queued if it has already failed. A step of ours that then fails
// only because the child is gone (its /proc/PID entries vanish) would otherwise hide the
// real cause.
std::optional<std::string> queued_child_error(const SyncChannel& sync) {
    pollfd p{sync.fd(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
        return std::nullopt;
    auto m = sync.receive();
    if (m && m->msg == SyncMsg::Error)
        return m->text;
    return std::nullopt;
}

// A child that already failed cannot take the `go` any more; the error message it
// queued before exiting is then what the following receive reports.
void send_go(const SyncChannel& sync) {
    try {
        sync.send(SyncMsg::Go);
    } catch (const Error&) {
    }
}

void kill_and_reap(const StartedContainer& sc) {
    ::syscall(SYS_pidfd_send_signal, sc.pidfd.get(), SIGKILL, nullptr, 0);
    wait_for(sc.pid);
}

} // namespace

PreparedStart::~PreparedStart() {
    if (sc_.pid > 0)
        kill_and_reap(sc_);
}

PreparedStart prepare_start(const config::Config& cfg, const StartOptions& opts) {
    RootfsSpec spec = parse_rootfs_path(cfg.rootfs_path);
    check_rootfs(spec);
    prepare_overlay_workdir(spec, host_id(cfg.idmaps, 'u', 0), host_id(cfg.idmaps, 'g', 0));
    NamespacePlan plan = plan_namespaces(cfg, opts.run_dir);
    if (unprivileged())
        check_unprivileged_start(cfg, plan);
    std::vector<OpenNamespace> shared = open_shared(plan);
    std::vector<config::MountEntry> entries = all_mount_entries(cfg);
    IdmappedTrees::check(cfg, spec, entries);
    init_command(cfg, opts.application); // validates before anything runs
    caps::caps_to_keep(cfg.cap_drop, cfg.cap_keep, caps::last_cap());
    if (std::string warning = check_lsm(cfg); !warning.empty())
        std::cerr << "lxcd: " << opts.name << ": " << warning << "\n";
    std::optional<seccomp::SeccompFilter> filter;
    if (!cfg.seccomp_profile.empty())
        filter = seccomp::compile(seccomp::load_seccomp_policy(cfg.seccomp_profile));

    HookContext hooks;
    hooks.name = opts.name;
    hooks.config_file = opts.config_file;
    hooks.rootfs_path = cfg.rootfs_path;
    hooks.rootfs_mount = rootfs_mount_point(cfg, spec);
    hooks.console = opts.console_pty;
    hooks.console_log = cfg.console_logfile;
    hooks.version = cfg.hook_version;
    run_hooks(cfg, hooks, HookType::PreStart);

    SyncPair pair = make_sync_pair();
    int pidfd = -1;
    clone_args args{};
    // The child unshares the cgroup namespace once place_in_cgroup has moved it, and the
    // time namespace itself so that it can still set the offsets (see time_namespace.hpp).
    args.flags = (plan.clone_flags & ~static_cast<unsigned long>(CLONE_NEWCGROUP | CLONE_NEWTIME)) |
                 CLONE_PIDFD;
    args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
    args.exit_signal = SIGCHLD;
    pid_t pid = static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof(args)));
    if (pid < 0)
        throw_errno("clone the container's init");
    if (pid == 0) {
        pair.parent.close();
        ChildContext c{cfg, opts, spec, plan, shared, entries, {}, filter, pair.child, hooks};
        child_main(c);
    }
    pair.child.close();

    PreparedStart p(
        StartedContainer{pid, UniqueFd(pidfd), hooks, (plan.clone_flags & CLONE_NEWPID) != 0, {}},
        std::move(pair.parent));
    try {
        if (plan.clone_flags & CLONE_NEWUSER)
            write_idmaps(pid, cfg.idmaps);
        IdmappedTrees trees = IdmappedTrees::prepare(cfg, spec, entries, pid);
        // A non-root supervisor reaches the child's namespaces through its pidfd, which the
        // kernel allows only while the child is dumpable; its uid switch after "go" makes it
        // undumpable until it says otherwise (child_main). So the network comes first there;
        // otherwise the child prepares its rootfs meanwhile.
        const bool network_first = unprivileged();
        if (network_first && opts.setup_network)
            opts.setup_network(pid);
        p.sync_.send(SyncMsg::Go, trees.slots(), trees.fds());
        if (!network_first && opts.setup_network)
            opts.setup_network(pid);
    } catch (const Error& e) {
        if (auto child = queued_child_error(p.sync_))
            throw Error(Errc::Failed, "start of container '" + opts.name + "' failed: " + *child);
        throw Error(e.code(), "start of container '" + opts.name + "' failed: " + e.what(),
                    e.sys_errno());
    }
    return p;
}

StartedContainer finish_start(const config::Config& cfg, const StartOptions& opts,
                              PreparedStart&& p) {
    StartedContainer& sc = p.sc_;
    try {
        if (opts.place_in_cgroup)
            opts.place_in_cgroup(sc.pid);
        send_go(p.sync_);
        if (!expect(p.sync_, SyncMsg::Mounted))
            throw Error(Errc::Failed, "container setup ended without a message");
        sc.namespaces = open_namespaces_of(sc.pid);
        HookContext host_hooks = sc.hooks;
        host_hooks.pid = sc.pid;
        run_hooks(cfg, host_hooks, HookType::StartHost);
        send_go(p.sync_);
        // End-of-file now means init was exec'd; any message is a failure.
        if (expect(p.sync_, SyncMsg::Error))
            throw Error(Errc::Failed, "start handshake: unexpected message from the container");
    } catch (const Error& e) {
        throw Error(e.code(), "start of container '" + opts.name + "' failed: " + e.what(),
                    e.sys_errno()); // ~PreparedStart kills and reaps the child
    }
    StartedContainer started = std::move(sc);
    sc.pid = 0; // ours now: ~PreparedStart leaves it alone
    return started;
}

} // namespace lxcd::runtime
