#include "autostart_command.hpp"

#include "client.hpp"
#include "plan.hpp"

#include <iostream>
#include <optional>
#include <tuple>

namespace lxcctl {

namespace {

constexpr const char* kUsage =
    "usage: lxcctl autostart [--groups G[,G...]] [--all] [--ignore-auto] [--list]\n"
    "                        [--shutdown | --kill] [--timeout S] [--boot]\n"
    "  --groups  lxc.group names to act on, in order; an empty name (\"onboot,\") is the\n"
    "            NULL group (no lxc.group). Default: the NULL group, as lxc-autostart.\n"
    "  --all     ignore lxc.group      --ignore-auto  also lxc.start.auto = 0 containers\n"
    "  --list    print what would start, in order, with delays; change nothing (with\n"
    "            lxcd.conf's ParallelStart=yes, \"# level N: parallel\" heads each level)\n"
    "  --boot    the boot-time run: onboot group, then the NULL group\n"
    "  --shutdown / --kill  stop instead (halt signal and --timeout, or kill), reverse order;\n"
    "            with --all, every running container (host shutdown)\n";

struct Options {
    std::vector<std::string> groups;
    bool all = false, ignore_auto = false, list = false, shutdown = false, kill = false;
    unsigned timeout = 60;
};

Options parse_options(Args args) {
    Options o;
    for (size_t i = 0; i < args.size(); i++) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size())
                throw std::runtime_error(a + " needs a value\n" + kUsage);
            return args[++i];
        };
        if (a == "--groups" || a == "-g")
            o.groups = lxcd::autostart::parse_groups(value());
        else if (a == "--boot")
            o.groups = lxcd::autostart::boot_selection().groups;
        else if (a == "--all" || a == "-a")
            o.all = true;
        else if (a == "--ignore-auto" || a == "-A")
            o.ignore_auto = true;
        else if (a == "--list" || a == "-L")
            o.list = true;
        else if (a == "--shutdown" || a == "-s")
            o.shutdown = true;
        else if (a == "--kill" || a == "-k")
            o.kill = true;
        else if (a == "--timeout" || a == "-t")
            o.timeout = static_cast<unsigned>(std::stoul(value()));
        else
            throw std::runtime_error("unknown option " + a + "\n" + kUsage);
    }
    return o;
}

int report(const std::vector<std::string>& failed, const char* verb) {
    for (const auto& name : failed)
        std::cerr << "lxcctl: " << name << ": failed to " << verb << "\n";
    return failed.empty() ? kExitOk : kExitFailure;
}

// "NAME DELAY" per container in start order, as lxc-autostart --list. With lxcd.conf's
// ParallelStart=yes, a "# level N: parallel" line heads each level's containers.
void list(Client& c, const Options& o) {
    const bool parallel = c.autostart_property<bool>("ParallelStart");
    using Step =
        std::tuple<std::string, uint32_t, std::string, uint32_t>; // name, delay, group, level
    std::optional<uint32_t> level;
    for (const auto& [name, delay, group, step_level] :
         c.autostart("Plan", o.groups, false, o.ignore_auto, o.all).read<std::vector<Step>>()) {
        if (parallel && step_level != level) {
            level = step_level;
            std::cout << "# level " << *level + 1 << ": parallel\n";
        }
        std::cout << name << ' ' << delay << '\n';
    }
}

std::vector<std::string> failed(bus::Message reply) {
    return reply.read<std::vector<std::string>>();
}

} // namespace

int autostart_command(Args args) {
    Options o = parse_options(args);
    Client c;
    if (o.list) {
        list(c, o);
        return kExitOk;
    }
    if ((o.shutdown || o.kill) && o.all && o.groups.empty())
        return report(failed(c.autostart("Shutdown", o.kill, uint32_t{o.timeout})), "stop");
    if (o.shutdown || o.kill)
        return report(failed(c.autostart("Stop", o.groups, false, o.ignore_auto, o.all, o.kill,
                                         uint32_t{o.timeout})),
                      "stop");
    return report(failed(c.autostart("Start", o.groups, false, o.ignore_auto, o.all)), "start");
}

} // namespace lxcctl
