// lxcd-supervisor: one per running container (see supervisor.hpp).
//
//   lxcd-supervisor NAME [--config PATH] [--state-dir DIR] [--foreground] [--execute]
//                   [--sync-fd N [--prepare-when-told]] [--scope UNIT] [--no-cgroups]
//                   [--stop-timeout SECONDS]
//   lxcd-supervisor --attach NAME [--config PATH] [--state-dir DIR] [--pid PID] -- CMD [ARG...]
//
// Defaults: config /var/lib/lxc/NAME/config, state directory /run/lxcd/NAME; for a
// non-root user ~/.local/share/lxc/NAME/config and $XDG_RUNTIME_DIR/lxcd/NAME.
// --execute runs lxc.execute.cmd under the app init (lxc-execute) and exits with its
// status. --attach runs CMD inside the running container and exits with its status.
// --scope names the systemd scope lxcd has put us in (see cgroup.hpp). With
// --prepare-when-told nothing of the container is made before lxcd's "start" (a start
// staged ahead of its turn); without it the preparation overlaps systemd's scope job.
#include "attach.hpp"
#include "config_parse.hpp"
#include "error.hpp"
#include "namespaces.hpp"
#include "network.hpp"
#include "process.hpp"
#include "supervisor.hpp"
#include "supervisor_protocol.hpp"
#include "unprivileged.hpp"
#include "user_paths.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace {

struct Args {
    bool attach = false;
    lxcd::runtime::SupervisorOptions sup;
    std::string state_dir;
    pid_t pid = 0;
    std::vector<std::string> command;
};

[[noreturn]] void usage() {
    std::cerr << "usage: lxcd-supervisor NAME [--config PATH] [--state-dir DIR] [--foreground]\n"
                 "                       [--execute] [--sync-fd N [--prepare-when-told]]"
                 " [--scope UNIT]\n"
                 "                       [--no-cgroups] [--stop-timeout S]\n"
                 "       lxcd-supervisor --attach NAME [--config PATH] [--state-dir DIR]"
                 " [--pid PID] -- CMD...\n";
    std::exit(2);
}

Args parse_args(int argc, char** argv) {
    Args a;
    std::vector<std::string> args(argv + 1, argv + argc);
    auto value = [&](size_t& i) -> const std::string& {
        if (i + 1 >= args.size())
            usage();
        return args[++i];
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& s = args[i];
        if (s == "--attach")
            a.attach = true;
        else if (s == "--config")
            a.sup.config_file = value(i);
        else if (s == "--state-dir")
            a.state_dir = value(i);
        else if (s == "--foreground")
            a.sup.foreground = true;
        else if (s == "--execute")
            a.sup.application = true;
        else if (s == "--sync-fd")
            a.sup.sync_fd = std::stoi(value(i));
        else if (s == "--prepare-when-told")
            a.sup.prepare_when_told = true;
        else if (s == "--scope")
            a.sup.scope_unit = value(i);
        else if (s == "--no-cgroups")
            a.sup.cgroups = false;
        else if (s == "--stop-timeout")
            a.sup.term_timeout = std::stoi(value(i));
        else if (s == "--pid")
            a.pid = std::stoi(value(i));
        else if (s == "--") {
            a.command.assign(args.begin() + i + 1, args.end());
            break;
        } else if (!s.starts_with("-") && a.sup.name.empty())
            a.sup.name = s;
        else
            usage();
    }
    if (a.sup.name.empty() && !(a.attach && a.pid))
        usage();
    return a;
}

// LXC's paths for root, its per-user ones for others (user_paths.hpp).
void default_paths(Args& a) {
    if (!a.sup.config_file.empty() && !a.state_dir.empty()) {
        a.sup.state_dir = a.state_dir;
        return;
    }
    auto paths = lxcd::runtime::current_paths();
    if (a.sup.config_file.empty())
        a.sup.config_file = paths.lxcpath / a.sup.name / "config";
    if (a.state_dir.empty())
        a.state_dir = paths.run_dir / a.sup.name;
    a.sup.state_dir = a.state_dir;
}

// The container's network while it runs; its teardown's failures go to the journal.
struct Network {
    explicit Network(lxcd::net::NetworkSetup s) : setup(std::move(s)) {}
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;
    ~Network() {
        try {
            setup.teardown();
        } catch (const std::exception& e) {
            std::cerr << "lxcd-supervisor: network teardown: " << e.what() << "\n";
        }
    }

    lxcd::net::NetworkSetup setup;
};

lxcd::config::Config load_config(const std::string& path) {
    auto result = lxcd::config::parse_file(path);
    for (const auto& d : result.diagnostics)
        std::cerr << d.str() << "\n";
    if (!result.ok())
        throw lxcd::Error(lxcd::Errc::InvalidConfig, "invalid configuration " + path);
    return std::move(result.config);
}

} // namespace

int main(int argc, char** argv) {
    Args a = parse_args(argc, argv);
    try {
        default_paths(a);
        lxcd::config::Config cfg = load_config(a.sup.config_file);
        if (a.attach) {
            pid_t pid = a.pid ? a.pid : lxcd::runtime::read_init_pid(a.state_dir);
            return lxcd::runtime::attach(pid, cfg, a.command);
        }
        lxcd::runtime::limit_fds_for_children(); // lxcd raised it for itself
        a.sup.setup_network = [state_dir = a.sup.state_dir](const lxcd::config::Config& c,
                                                            const std::string& name,
                                                            pid_t pid) -> std::shared_ptr<void> {
            if (!lxcd::runtime::configures_network(c))
                return nullptr;
            // The system lxcd makes the veths, and deletes them when init exits.
            if (lxcd::runtime::unprivileged()) {
                lxcd::net::setup_user_networks(c, name, pid);
                return nullptr;
            }
            return std::make_shared<Network>(
                lxcd::net::setup_networks(c, name, pid, state_dir / lxcd::net::kHostRecordFile));
        };
        return lxcd::runtime::run_supervisor(cfg, a.sup);
    } catch (const std::exception& e) {
        std::cerr << "lxcd-supervisor: " << e.what() << "\n";
        return 1;
    }
}
