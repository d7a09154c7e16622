// lxcd: the container manager daemon on the system bus (org.lxcd1). `lxcd --user` is a
// user's own, on its user bus, for its unprivileged containers in LXC's per-user paths
// (runtime/user_paths.hpp) as scopes of its systemd user manager.
//
// A call's path: ManagerObject::StartContainer (dbus/manager_object.cpp)
//   -> Container::start (manager/container.cpp): spawns lxcd-supervisor, asks
//      systemd for the scope (manager/scope.cpp), then sends "start"
//   -> the supervisor (runtime/supervisor/main.cpp, runtime/supervisor.cpp) clones the
//      container's init (runtime/start.cpp).

#include "autostart_object.hpp"
#include "bus_errors.hpp"
#include "daemon_config.hpp"
#include "event_loop.hpp"
#include "log.hpp"
#include "lxcd-config.h"
#include "machines.hpp"
#include "manager_object.hpp"
#include "migration_warmup.hpp"
#include "process.hpp"
#include "registry.hpp"
#include "scope.hpp"
#include "unprivileged.hpp"
#include "user_nics.hpp"
#include "user_paths.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <systemd/sd-daemon.h>

namespace {

struct Options {
    bool user = false;
    std::string lxcpath;
    std::string run_dir;
    std::string supervisor = LXCD_LIBEXECDIR "/lxcd-supervisor";
    std::string config;
};

void usage() {
    std::cout << "Usage: lxcd [--user] [--lxcpath DIR] [--run-dir DIR] [--supervisor PATH]"
                 " [--config FILE]\n"
                 "The lxcd container manager daemon (D-Bus name org.lxcd1).\n"
                 "--user: a non-root user's own lxcd on its user bus (~/.local/share/lxc).\n"
                 "--config: lxcd's own settings (default /etc/lxcd/lxcd.conf, with --user\n"
                 "~/.config/lxcd/lxcd.conf), read when used.\n";
}

Options parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw lxcd::Error(lxcd::Errc::InvalidArgument, a + " needs a value");
            return argv[++i];
        };
        if (a == "--user")
            o.user = true;
        else if (a == "--lxcpath")
            o.lxcpath = value();
        else if (a == "--run-dir")
            o.run_dir = value();
        else if (a == "--supervisor")
            o.supervisor = value();
        else if (a == "--config")
            o.config = value();
        else if (a == "--help" || a == "-h") {
            usage();
            std::exit(0);
        } else
            throw lxcd::Error(lxcd::Errc::InvalidArgument, "unknown argument " + a);
    }
    // Root's containers belong to the system lxcd, and the supervisors a user's lxcd
    // spawns run without privileges only for a non-root user.
    if (o.user != lxcd::runtime::unprivileged())
        throw lxcd::Error(lxcd::Errc::InvalidArgument,
                          o.user ? "lxcd --user is for non-root users"
                                 : "a non-root user runs lxcd --user (on its user bus)");
    auto paths = lxcd::runtime::current_paths();
    if (o.lxcpath.empty())
        o.lxcpath = paths.lxcpath;
    if (o.run_dir.empty())
        o.run_dir = paths.run_dir;
    if (o.config.empty()) // a user's: ~/.config/lxcd/lxcd.conf, beside ~/.config/lxc/
        o.config = o.user ? (paths.lxc_conf.parent_path().parent_path() / "lxcd/lxcd.conf").string()
                          : lxcd::kDaemonConfigPath;
    return o;
}

// The user manager's own cgroup ("/user.slice/user-1000.slice/user@1000.service"), which
// its lxc.slice is below.
std::string manager_cgroup(sdbus::IConnection& bus) {
    auto systemd = sdbus::createProxy(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1");
    return systemd->getProperty("ControlGroup")
        .onInterface("org.freedesktop.systemd1.Manager")
        .get<std::string>();
}

} // namespace

int main(int argc, char** argv) {
    try {
        Options opts = parse_args(argc, argv);
        if (!lxcd::runtime::raise_fd_limit())
            lxcd::log::warning("cannot raise the open files limit: " +
                               std::string(strerror(errno)));

        // sd-event child sources need SIGCHLD blocked.
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        sigprocmask(SIG_BLOCK, &mask, nullptr);

        lxcd::EventLoop loop;
        auto bus =
            opts.user ? sdbus::createSessionBusConnection() : sdbus::createSystemBusConnection();
        lxcd::ScopeManager scopes(*bus);
        lxcd::MachineRegistry machines(*bus);
        std::string cgroup_root = opts.user ? manager_cgroup(*bus) : "";
        lxcd::MigrationWarmup warmup;
        lxcd::ManagerContext ctx{loop,        scopes, machines, opts.run_dir, opts.supervisor,
                                 cgroup_root, &warmup};
        lxcd::Registry registry(ctx, opts.lxcpath);
        registry.recover_interrupted();       // copies and restores lxcd died in the middle of
        registry.scan();                      // adopts containers whose supervisors outlived us
        registry.destroy_stopped_ephemeral(); // stopped while lxcd was down (or a reboot)
        lxcd::UserNics user_nics(loop, opts.run_dir); // takes over recorded ones
        lxcd::bus::ManagerObject manager(*bus, registry, user_nics);
        lxcd::bus::AutostartObject autostart(*bus, registry, loop, opts.config);

        bus->requestName("org.lxcd1");
        loop.attach_bus(*bus);
        loop.exit_on_signals([] { lxcd::log::info("stopping; containers keep running"); });
        sd_notify(0, "READY=1");
        lxcd::log::info("ready: " + std::to_string(registry.all().size()) + " containers in " +
                        opts.lxcpath);
        return loop.run();
    } catch (const lxcd::Error& e) {
        lxcd::log::error(e.what());
        return 1;
    } catch (const sdbus::Error& e) {
        lxcd::log::error(e.getName() + ": " + e.getMessage());
        return 1;
    }
}
