// lxcd: the container manager daemon on the system bus (org.lxcd1).
//
// A call's path: ManagerObject::StartContainer (dbus/manager_object.cpp)
//   -> Container::start (manager/container.cpp): spawns lxcd-supervisor, asks
//      systemd for the scope (manager/scope.cpp), then sends "start"
//   -> the supervisor (runtime/supervisor_main.cpp) clones the container's init
//      (runtime/start.cpp).

#include "autostart_object.hpp"
#include "bus_errors.hpp"
#include "daemon_config.hpp"
#include "event_loop.hpp"
#include "log.hpp"
#include "lxcd-config.h"
#include "machines.hpp"
#include "manager_object.hpp"
#include "registry.hpp"
#include "scope.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <systemd/sd-daemon.h>

namespace {

struct Options {
    std::string lxcpath = "/var/lib/lxc";
    std::string run_dir = "/run/lxcd";
    std::string supervisor = LXCD_LIBEXECDIR "/lxcd-supervisor";
    std::string config = lxcd::kDaemonConfigPath;
};

void usage() {
    std::cout << "Usage: lxcd [--lxcpath DIR] [--run-dir DIR] [--supervisor PATH] [--config FILE]\n"
                 "The lxcd container manager daemon (D-Bus name org.lxcd1).\n"
                 "--config: lxcd's own settings (default /etc/lxcd/lxcd.conf), read when used.\n";
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
        if (a == "--lxcpath")
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
    return o;
}

} // namespace

int main(int argc, char** argv) {
    try {
        Options opts = parse_args(argc, argv);

        // sd-event child sources need SIGCHLD blocked.
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        sigprocmask(SIG_BLOCK, &mask, nullptr);

        lxcd::EventLoop loop;
        auto bus = sdbus::createSystemBusConnection();
        lxcd::ScopeManager scopes(*bus);
        lxcd::MachineRegistry machines(*bus);
        lxcd::ManagerContext ctx{loop, scopes, machines, opts.run_dir, opts.supervisor};
        lxcd::Registry registry(ctx, opts.lxcpath);
        registry.recover_interrupted();       // copies and restores lxcd died in the middle of
        registry.scan();                      // adopts containers whose supervisors outlived us
        registry.destroy_stopped_ephemeral(); // stopped while lxcd was down (or a reboot)
        lxcd::bus::ManagerObject manager(*bus, registry);
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
