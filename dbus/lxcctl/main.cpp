// lxcctl: the command-line client of lxcd.
#include "autostart_command.hpp"
#include "client.hpp"
#include "command.hpp"
#include "config_command.hpp"
#include "console_command.hpp"
#include "container_commands.hpp"

#include <array>
#include <iostream>
#include <vector>

namespace lxcctl {

int dispatch(std::string_view group, std::span<const Command> table, Args args) {
    std::string prefix = group.empty() ? "lxcctl" : "lxcctl " + std::string(group);
    if (!args.empty()) {
        for (const auto& c : table)
            if (c.name == args[0])
                return c.run(args.subspan(1));
        if (args[0] != "help" && args[0] != "--help" && args[0] != "-h")
            std::cerr << prefix << ": unknown command \"" << args[0] << "\"\n";
    }
    std::cerr << "usage:\n";
    if (group.empty())
        std::cerr << "  lxcctl --user COMMAND ...\n      any command below, with the caller's own "
                     "lxcd --user (its unprivileged containers)\n";
    for (const auto& c : table)
        std::cerr << "  " << prefix << " " << c.name << " " << c.usage << "\n      " << c.help
                  << "\n";
    return kExitUsage;
}

namespace {

constexpr std::array kCommands = {
    Command{"config", "check|show|get ...", "read container config files (no daemon needed)",
            config_command},
    Command{"console", "NAME [--log [--clear] | --rotate]",
            "attach this terminal to a container's console (Ctrl+a q leaves); --log prints "
            "the lxc.console.buffer.size ring, --rotate rotates lxc.console.logfile",
            console_command},
    Command{"autostart", "[--groups G,...] [--all] [--list] [--shutdown|--kill] ...",
            "start or stop autostart groups like lxc-autostart", autostart_command},
};

} // namespace

} // namespace lxcctl

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        std::vector<lxcctl::Command> table(lxcctl::kCommands.begin(), lxcctl::kCommands.end());
        auto bus_commands = lxcctl::container_commands();
        table.insert(table.end(), bus_commands.begin(), bus_commands.end());
        if (!args.empty() && args[0] == "--user") {
            lxcctl::use_user_lxcd();
            args.erase(args.begin());
        }
        return lxcctl::dispatch("", table, args);
    } catch (const std::exception& e) {
        std::cerr << "lxcctl: " << e.what() << '\n';
        return lxcctl::kExitFailure;
    }
}
