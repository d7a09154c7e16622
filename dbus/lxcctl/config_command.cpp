#include "config_command.hpp"

#include "config_items.hpp"
#include "config_parse.hpp"
#include "config_write.hpp"
#include "error.hpp"

#include <array>
#include <iostream>

namespace lxcctl {

namespace {

using lxcd::config::Diagnostic;

// Errors go to stdout (they are the result of a check), warnings to stderr.
// Returns whether the file is free of errors.
bool report(const lxcd::config::ParseResult& r) {
    for (const auto& d : r.diagnostics) {
        if (d.level == Diagnostic::Level::Error)
            std::cout << d.str() << '\n';
        else
            std::cerr << d.str() << '\n';
    }
    return r.ok();
}

int check(Args args) {
    if (args.empty()) {
        std::cerr << "usage: lxcctl config check FILE...\n";
        return kExitUsage;
    }
    bool ok = true;
    for (const auto& file : args)
        ok = report(lxcd::config::parse_file(file)) && ok;
    return ok ? kExitOk : kExitFailure;
}

int show(Args args) {
    if (args.size() != 1) {
        std::cerr << "usage: lxcctl config show FILE\n";
        return kExitUsage;
    }
    auto r = lxcd::config::parse_file(args[0]);
    if (!report(r))
        return kExitFailure;
    std::cout << lxcd::config::write_config(r.config);
    return kExitOk;
}

int get(Args args) {
    if (args.size() != 2) {
        std::cerr << "usage: lxcctl config get FILE KEY\n";
        return kExitUsage;
    }
    auto r = lxcd::config::parse_file(args[0]);
    if (!report(r))
        return kExitFailure;
    try {
        for (const auto& v : lxcd::config::get_item(r.config, args[1]))
            std::cout << v << '\n';
    } catch (const lxcd::Error& e) {
        std::cerr << "lxcctl: " << e.what() << '\n';
        return kExitFailure;
    }
    return kExitOk;
}

constexpr std::array kConfigCommands = {
    Command{"check", "FILE...", "check container configs; print FILE:LINE: errors", check},
    Command{"show", "FILE", "print the normalised config (modern keys, includes expanded)", show},
    Command{"get", "FILE KEY", "print the values of KEY, one per line", get},
};

} // namespace

int config_command(Args args) {
    return dispatch("config", kConfigCommands, args);
}

} // namespace lxcctl
