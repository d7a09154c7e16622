// lxcctl's subcommand table entry; each command group (config, and the D-Bus
// commands) provides its own table and main() dispatches on the first word.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace lxcctl {

using Args = std::span<const std::string>;

struct Command {
    std::string_view name;
    std::string_view usage; // arguments, e.g. "FILE KEY"
    std::string_view help;  // one line
    int (*run)(Args args);  // args after the command name; returns the exit code
};

// Exit codes shared by all commands.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Runs the command named by args[0] from table; prints usage for unknown names.
int dispatch(std::string_view group, std::span<const Command> table, Args args);

} // namespace lxcctl
