#include "container_commands.hpp"

#include "attach.hpp"
#include "client.hpp"
#include "config_parse.hpp"
#include "error.hpp"
#include "output.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <iostream>
#include <limits>
#include <optional>
#include <systemd/sd-daemon.h>
#include <tuple>

namespace lxcctl {

namespace {

// Flags and positional arguments of one command line.
struct Parsed {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options; // "--timeout" -> "30", "--kill" -> ""
    bool has(const std::string& o) const { return options.count(o) > 0; }
};

Parsed parse(Args args, std::initializer_list<const char*> with_value) {
    Parsed p;
    for (size_t i = 0; i < args.size(); i++) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            p.positional.push_back(a);
            continue;
        }
        bool takes_value = false;
        for (const char* v : with_value)
            takes_value |= a == v;
        if (takes_value) {
            if (i + 1 >= args.size())
                throw std::runtime_error(a + " needs a value");
            p.options[a] = args[++i];
        } else {
            p.options[a] = "";
        }
    }
    return p;
}

const std::string& one_name(const Parsed& p, const char* usage) {
    if (p.positional.size() != 1)
        throw std::runtime_error(std::string("usage: lxcctl ") + usage);
    return p.positional[0];
}

unsigned parse_seconds(const std::string& s, const char* what) {
    try {
        size_t end = 0;
        long v = std::stol(s, &end);
        if (end == s.size() && v >= 0)
            return static_cast<unsigned>(v);
    } catch (const std::exception&) {
    }
    throw std::runtime_error(std::string("invalid ") + what + " \"" + s + "\"");
}

int signal_number(const std::string& s) {
    if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0])))
        return static_cast<int>(parse_seconds(s, "signal"));
    std::string name = s.rfind("SIG", 0) == 0 ? s.substr(3) : s;
    for (int sig = 1; sig < NSIG; sig++)
        if (const char* abbrev = sigabbrev_np(sig); abbrev && name == abbrev)
            return sig;
    throw std::runtime_error("unknown signal \"" + s + "\"");
}

// Every container with all its org.lxcd1.Container properties, in one round trip.
std::map<std::string, std::map<std::string, bus::Properties>> managed_containers(Client& c) {
    return c.call(kManagerPath, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", 0)
        .read<std::map<std::string, std::map<std::string, bus::Properties>>>();
}

int list(Args args) {
    Parsed p = parse(args, {"--output"});
    Client c;
    Table table;
    bool fancy = p.has("--fancy") || p.has("-f");
    table.columns = fancy ? std::vector<std::string>{"NAME", "STATE", "IPV4", "IPV6", "AUTOSTART"}
                          : std::vector<std::string>{"NAME", "STATE"};
    if (fancy) {
        for (const auto& [path, interfaces] : managed_containers(c)) {
            auto it = interfaces.find(kContainerInterface);
            if (it == interfaces.end())
                continue;
            const bus::Properties& props = it->second;
            using Strings = std::vector<std::string>;
            table.rows.push_back({bus::get<std::string>(props, "Name"),
                                  bus::get<std::string>(props, "State"),
                                  join_or_dash(bus::get<Strings>(props, "IPv4Addresses")),
                                  join_or_dash(bus::get<Strings>(props, "IPv6Addresses")),
                                  bus::get<bool>(props, "Autostart") ? "YES" : "NO"});
        }
        std::sort(table.rows.begin(), table.rows.end());
    } else {
        using Entry = std::tuple<std::string, std::string, std::string>; // name, state, path
        for (const auto& [name, state, path] :
             c.manager("ListContainers").read<std::vector<Entry>>())
            table.rows.push_back({name, state});
    }
    print_table(table, p.options.count("--output") ? p.options["--output"] : "table");
    return kExitOk;
}

// A usage figure in `unit`s ("-" for D-Bus's "not available", 2^64-1).
std::string usage(uint64_t value, uint64_t per_unit, const char* unit) {
    if (value == std::numeric_limits<uint64_t>::max())
        return "-";
    std::string n = std::to_string(value / per_unit);
    return *unit ? n + " " + unit : n;
}

int info(Args args) {
    Parsed p = parse(args, {"--output"});
    Client c;
    const bus::Properties props = c.container_properties(one_name(p, "info NAME [--output json]"));
    auto text = [&](const char* name) { return bus::get<std::string>(props, name); };
    auto list = [&](const char* name) {
        return join_or_dash(bus::get<std::vector<std::string>>(props, name));
    };
    auto number = [&](const char* name) { return bus::get<uint64_t>(props, name); };
    std::vector<std::pair<std::string, std::string>> fields{
        {"Name", text("Name")},
        {"State", text("State")},
        {"PID", std::to_string(number("InitPID"))},
        {"Unit", text("Unit")},
        {"ControlGroup", text("ControlGroup")},
        {"Config", text("ConfigPath")},
        {"IPv4", list("IPv4Addresses")},
        {"IPv6", list("IPv6Addresses")},
        {"Autostart", bus::get<bool>(props, "Autostart") ? "YES" : "NO"},
        {"Groups", list("Groups")},
        {"StartOrder", std::to_string(bus::get<int64_t>(props, "StartOrder"))},
        {"StartDelay", std::to_string(number("StartDelay"))},
        {"CPUTime", usage(number("CPUUsageNSec"), 1'000'000, "ms")},
        {"Memory", usage(number("MemoryCurrent"), 1024, "KiB")},
        {"MemoryPeak", usage(number("MemoryPeak"), 1024, "KiB")},
        {"MemoryMax", usage(number("MemoryMax"), 1024, "KiB")},
        {"Tasks", usage(number("TasksCurrent"), 1, "")},
        {"IORead", usage(number("IOReadBytes"), 1, "B")},
        {"IOWrite", usage(number("IOWriteBytes"), 1, "B")},
        {"NetworkReceived", usage(number("NetworkReceivedBytes"), 1, "B")},
        {"NetworkSent", usage(number("NetworkSentBytes"), 1, "B")},
    };
    print_fields(fields, p.options.count("--output") ? p.options["--output"] : "table");
    return kExitOk;
}

int create(Args args) {
    Parsed p = parse(args, {"--template", "-t", "--config"});
    const std::string& name = one_name(p, "create NAME [--template busybox|none] [--config TEXT]");
    std::string tmpl = p.has("--template") ? p.options["--template"]
                       : p.has("-t")       ? p.options["-t"]
                                           : "busybox";
    bus::Properties options;
    if (p.has("--config"))
        options["config"] = p.options["--config"];
    Client c;
    c.manager("CreateContainer", name, tmpl, options);
    return kExitOk;
}

// A Manager call that copies files: no 10-minute limit.
template <typename... A>
bus::Message storage_call(Client& c, const char* method, const A&... args) {
    return c.call(kManagerPath, kManagerInterface, method, kStorageCallTimeoutUsec, args...);
}

// copy FROM TO [--snapshot] [--ephemeral] [--lxcpath DIR]: like lxc-copy.
int copy(Args args) {
    Parsed p = parse(args, {"--lxcpath", "-p"});
    if (p.positional.size() != 2)
        throw std::runtime_error(
            "usage: lxcctl copy FROM TO [--snapshot] [--ephemeral] [--lxcpath DIR]");
    bus::Properties options;
    if (p.has("--snapshot") || p.has("-s"))
        options["snapshot"] = true;
    if (p.has("--ephemeral") || p.has("-e"))
        options["ephemeral"] = true;
    if (p.has("--lxcpath") || p.has("-p"))
        options["lxcpath"] = p.has("--lxcpath") ? p.options["--lxcpath"] : p.options["-p"];
    Client c;
    storage_call(c, "CopyContainer", p.positional[0], p.positional[1], options);
    return kExitOk;
}

// snapshot NAME [--list | --restore SNAP [NEWNAME] | --destroy SNAP]: like lxc-snapshot.
int snapshot(Args args) {
    Parsed p = parse(args, {"--restore", "-r", "--destroy", "-d", "--output"});
    const char* usage = "usage: lxcctl snapshot NAME [--list [--output json] | --restore SNAP "
                        "[NEWNAME] | --destroy SNAP]";
    bool restore = p.has("--restore") || p.has("-r");
    if (p.positional.empty() || p.positional.size() > (restore ? 2u : 1u))
        throw std::runtime_error(usage);
    const std::string& name = p.positional[0];
    Client c;
    if (p.has("--list") || p.has("-L")) {
        Table table{{"SNAPSHOT", "TIMESTAMP"}, {}};
        using Snapshot = std::tuple<std::string, std::string>; // name, timestamp
        for (const auto& [snap, when] :
             c.manager("ListSnapshots", name).read<std::vector<Snapshot>>())
            table.rows.push_back({snap, when});
        print_table(table, p.has("--output") ? p.options["--output"] : "table");
    } else if (restore) {
        std::string snap = p.has("--restore") ? p.options["--restore"] : p.options["-r"];
        std::string new_name = p.positional.size() == 2 ? p.positional[1] : "";
        storage_call(c, "RestoreSnapshot", name, snap, new_name);
    } else if (p.has("--destroy") || p.has("-d")) {
        c.manager("DestroySnapshot", name,
                  p.has("--destroy") ? p.options["--destroy"] : p.options["-d"]);
    } else {
        std::cout << storage_call(c, "SnapshotContainer", name).read<std::string>() << '\n';
    }
    return kExitOk;
}

// A command whose whole job is one Manager call with the container's name.
int by_name(Args args, const char* method) {
    Parsed p = parse(args, {});
    if (p.positional.size() != 1)
        throw std::runtime_error("this command takes one container NAME");
    Client c;
    c.manager(method, p.positional[0]);
    return kExitOk;
}

int destroy(Args args) {
    return by_name(args, "DestroyContainer");
}

int reboot(Args args) {
    return by_name(args, "RebootContainer");
}

int freeze(Args args) {
    return by_name(args, "FreezeContainer");
}

int thaw(Args args) {
    return by_name(args, "ThawContainer");
}

// start NAME [--follow]: with --follow (used by lxc@.service) it tells systemd
// READY once the container runs and returns when the container stops.
int start(Args args) {
    Parsed p = parse(args, {});
    const std::string& name = one_name(p, "start NAME [--follow]");
    const bool follow = p.has("--follow");
    Client c;
    std::string state;
    if (follow)
        c.on_state([&](const std::string& n, const std::string& s) {
            if (n == name)
                state = s;
        });
    try {
        c.manager("StartContainer", name);
    } catch (const lxcd::Error& e) {
        if (!(follow && e.code() == lxcd::Errc::AlreadyRunning))
            throw;
    }
    if (!follow)
        return kExitOk;
    state = c.container_property<std::string>(name, "State");
    sd_notifyf(0, "READY=1\nSTATUS=container %s is %s", name.c_str(), state.c_str());
    c.wait_until([&] { return state == "STOPPED"; }, std::nullopt);
    return kExitOk;
}

int stop(Args args) {
    Parsed p = parse(args, {"--timeout", "-t"});
    const std::string& name = one_name(p, "stop NAME [--kill] [--timeout SECONDS] [--if-running]");
    Client c;
    // lxc@.service's ExecStop also runs after the container stopped by itself.
    if (p.has("--if-running") && c.container_property<std::string>(name, "State") == "STOPPED")
        return kExitOk;
    std::string timeout = p.has("--timeout") ? p.options["--timeout"] : p.options["-t"];
    if (p.has("--kill") || p.has("-k"))
        c.manager("StopContainer", name, true);
    else if (!timeout.empty())
        c.manager("StopContainerWithTimeout", name, uint32_t{parse_seconds(timeout, "timeout")});
    else
        c.manager("StopContainer", name, false);
    return kExitOk;
}

int kill(Args args) {
    Parsed p = parse(args, {});
    if (p.positional.empty() || p.positional.size() > 2)
        throw std::runtime_error("usage: lxcctl kill NAME [SIGNAL]");
    int sig = p.positional.size() == 2 ? signal_number(p.positional[1]) : SIGKILL;
    Client c;
    c.manager("KillContainer", p.positional[0], int32_t{sig});
    return kExitOk;
}

// wait NAME STATE[|STATE...] [--timeout S]: like lxc-wait.
int wait(Args args) {
    Parsed p = parse(args, {"--timeout", "-t"});
    if (p.positional.size() != 2)
        throw std::runtime_error("usage: lxcctl wait NAME STATE[|STATE...] [--timeout SECONDS]");
    const std::string& name = p.positional[0];
    std::string wanted = "|" + p.positional[1] + "|";
    std::optional<unsigned> timeout;
    if (p.has("--timeout") || p.has("-t"))
        timeout =
            parse_seconds(p.has("--timeout") ? p.options["--timeout"] : p.options["-t"], "timeout");
    Client c;
    std::string state;
    c.on_state([&](const std::string& n, const std::string& s) {
        if (n == name)
            state = s;
    });
    state = c.container_property<std::string>(name, "State");
    bool reached =
        c.wait_until([&] { return wanted.find("|" + state + "|") != std::string::npos; }, timeout);
    if (!reached) {
        std::cerr << "lxcctl: timed out waiting for " << name << " to be " << p.positional[1]
                  << " (it is " << state << ")\n";
        return kExitFailure;
    }
    return kExitOk;
}

int monitor(Args args) {
    Parsed p = parse(args, {});
    Client c;
    c.on_state([&](const std::string& n, const std::string& s) {
        if (p.positional.empty() ||
            std::find(p.positional.begin(), p.positional.end(), n) != p.positional.end())
            std::cout << n << ' ' << s << std::endl;
    });
    c.wait_until([] { return false; }, std::nullopt);
    return kExitOk;
}

// attach NAME [--] CMD...: runs CMD in the running container with its
// namespaces, cgroup, caps, seccomp, uid/gid, cwd and environment; exits with CMD's status.
int attach(Args args) {
    if (args.empty())
        throw std::runtime_error("usage: lxcctl attach NAME [--] CMD [ARGS...]");
    const std::string name = args[0];
    std::vector<std::string> argv(args.begin() + 1, args.end());
    if (!argv.empty() && argv[0] == "--")
        argv.erase(argv.begin());
    if (argv.empty())
        argv = {"/bin/sh"};
    Client c;
    const std::string path = c.container_path(name);
    pid_t init = static_cast<pid_t>(c.property<uint64_t>(path, "InitPID"));
    if (init <= 0)
        throw std::runtime_error("container '" + name + "' is not running");
    auto parsed = lxcd::config::parse_file(c.property<std::string>(path, "ConfigPath"));
    if (!parsed.ok())
        throw std::runtime_error("config of '" + name + "' has errors; run lxcctl config check");
    return lxcd::runtime::attach(init, parsed.config, argv);
}

constexpr std::array kCommands = {
    Command{"list", "[--fancy] [--output json]", "list containers", list},
    Command{"info", "NAME [--output json]", "show a container's state and properties", info},
    Command{"create", "NAME [--template busybox|none] [--config TEXT]", "create a container",
            create},
    Command{"destroy", "NAME", "remove a stopped container", destroy},
    Command{"copy", "FROM TO [--snapshot] [--ephemeral] [--lxcpath DIR]",
            "copy a stopped container (--snapshot: an overlay over its rootfs; --ephemeral: "
            "an overlay started now and destroyed when it stops)",
            copy},
    Command{"snapshot", "NAME [--list | --restore SNAP [NEWNAME] | --destroy SNAP]",
            "snapshot a stopped container (snapN), or list, restore, destroy its snapshots",
            snapshot},
    Command{"start", "NAME [--follow]", "start a container and wait until it runs", start},
    Command{"stop", "NAME [--kill] [--timeout S] [--if-running]",
            "stop a container (halt signal, then kill)", stop},
    Command{"reboot", "NAME", "reboot a container", reboot},
    Command{"kill", "NAME [SIGNAL]", "send a signal to a container's init", kill},
    Command{"freeze", "NAME", "freeze all processes of a container", freeze},
    Command{"thaw", "NAME", "thaw a frozen container", thaw},
    Command{"wait", "NAME STATE[|STATE] [--timeout S]", "wait for a container state", wait},
    Command{"attach", "NAME [--] CMD [ARGS...]", "run a command inside a running container",
            attach},
    Command{"monitor", "[NAME...]", "print state changes as they happen", monitor},
};

} // namespace

std::span<const Command> container_commands() {
    return kCommands;
}

} // namespace lxcctl
