#include "container_commands.hpp"

#include "attach.hpp"
#include "client.hpp"
#include "config_parse.hpp"
#include "output.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <iostream>
#include <limits>
#include <optional>
#include <poll.h>
#include <systemd/sd-daemon.h>

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

// Runs the bus until `done` says so or the timeout passes; false on timeout.
bool wait_until(Client& c, const std::function<bool()>& done, std::optional<unsigned> timeout) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout.value_or(0));
    while (!done()) {
        auto poll = c.bus->getEventLoopPollData();
        int ms = -1;
        if (timeout) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return false;
            ms = static_cast<int>(left.count());
        }
        if (!c.bus->processPendingRequest()) {
            pollfd pfd{poll.fd, poll.events, 0};
            ::poll(&pfd, 1, ms);
        }
    }
    return true;
}

// Every container with all its org.lxcd1.Container properties, in one round trip.
using ManagedObjects =
    std::map<sdbus::ObjectPath, std::map<std::string, std::map<std::string, sdbus::Variant>>>;

ManagedObjects managed_containers(sdbus::IConnection& bus) {
    auto proxy = sdbus::createProxy(bus, "org.lxcd1", "/org/lxcd1");
    ManagedObjects objects;
    proxy->callMethod("GetManagedObjects")
        .onInterface("org.freedesktop.DBus.ObjectManager")
        .storeResultsTo(objects);
    return objects;
}

int list(Args args) {
    Parsed p = parse(args, {"--output"});
    Client c;
    Table table;
    bool fancy = p.has("--fancy") || p.has("-f");
    table.columns = fancy ? std::vector<std::string>{"NAME", "STATE", "IPV4", "IPV6", "AUTOSTART"}
                          : std::vector<std::string>{"NAME", "STATE"};
    if (fancy) {
        for (const auto& [path, interfaces] : managed_containers(*c.bus)) {
            auto it = interfaces.find(org::lxcd1::Container_proxy::INTERFACE_NAME);
            if (it == interfaces.end())
                continue;
            const auto& props = it->second;
            auto get = [&](const char* name) { return props.at(name); };
            table.rows.push_back(
                {get("Name").get<std::string>(), get("State").get<std::string>(),
                 join_or_dash(get("IPv4Addresses").get<std::vector<std::string>>()),
                 join_or_dash(get("IPv6Addresses").get<std::vector<std::string>>()),
                 get("Autostart").get<bool>() ? "YES" : "NO"});
        }
        std::sort(table.rows.begin(), table.rows.end());
    } else {
        for (const auto& entry : c.manager->ListContainers())
            table.rows.push_back({entry.get<0>(), entry.get<1>()});
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
    auto ct = c.container(one_name(p, "info NAME [--output json]"));
    std::vector<std::pair<std::string, std::string>> fields{
        {"Name", ct->Name()},
        {"State", ct->State()},
        {"PID", std::to_string(ct->InitPID())},
        {"Unit", ct->Unit()},
        {"ControlGroup", ct->ControlGroup()},
        {"Config", ct->ConfigPath()},
        {"IPv4", join_or_dash(ct->IPv4Addresses())},
        {"IPv6", join_or_dash(ct->IPv6Addresses())},
        {"Autostart", ct->Autostart() ? "YES" : "NO"},
        {"Groups", join_or_dash(ct->Groups())},
        {"StartOrder", std::to_string(ct->StartOrder())},
        {"StartDelay", std::to_string(ct->StartDelay())},
        {"CPUTime", usage(ct->CPUUsageNSec(), 1'000'000, "ms")},
        {"Memory", usage(ct->MemoryCurrent(), 1024, "KiB")},
        {"MemoryPeak", usage(ct->MemoryPeak(), 1024, "KiB")},
        {"MemoryMax", usage(ct->MemoryMax(), 1024, "KiB")},
        {"Tasks", usage(ct->TasksCurrent(), 1, "")},
        {"IORead", usage(ct->IOReadBytes(), 1, "B")},
        {"IOWrite", usage(ct->IOWriteBytes(), 1, "B")},
        {"NetworkReceived", usage(ct->NetworkReceivedBytes(), 1, "B")},
        {"NetworkSent", usage(ct->NetworkSentBytes(), 1, "B")},
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
    std::map<std::string, sdbus::Variant> options;
    if (p.has("--config"))
        options["config"] = sdbus::Variant(p.options["--config"]);
    Client c;
    c.manager->CreateContainer(name, tmpl, options);
    return kExitOk;
}

// Copies, snapshots and restores take as long as their files: no 25 s D-Bus default.
constexpr auto kStorageCallTimeout = std::chrono::minutes(30);

sdbus::MethodReply storage_call(Client& c, const char* method,
                                const std::function<void(sdbus::MethodCall&)>& args) {
    auto proxy = sdbus::createProxy(*c.bus, "org.lxcd1", "/org/lxcd1");
    auto call = proxy->createMethodCall(org::lxcd1::Manager_proxy::INTERFACE_NAME, method);
    args(call);
    return proxy->callMethod(
        call, std::chrono::duration_cast<std::chrono::microseconds>(kStorageCallTimeout).count());
}

// copy FROM TO [--snapshot] [--ephemeral] [--lxcpath DIR]: like lxc-copy.
int copy(Args args) {
    Parsed p = parse(args, {"--lxcpath", "-p"});
    if (p.positional.size() != 2)
        throw std::runtime_error(
            "usage: lxcctl copy FROM TO [--snapshot] [--ephemeral] [--lxcpath DIR]");
    std::map<std::string, sdbus::Variant> options;
    if (p.has("--snapshot") || p.has("-s"))
        options["snapshot"] = sdbus::Variant(true);
    if (p.has("--ephemeral") || p.has("-e"))
        options["ephemeral"] = sdbus::Variant(true);
    if (p.has("--lxcpath") || p.has("-p"))
        options["lxcpath"] =
            sdbus::Variant(p.has("--lxcpath") ? p.options["--lxcpath"] : p.options["-p"]);
    Client c;
    storage_call(c, "CopyContainer",
                 [&](sdbus::MethodCall& m) { m << p.positional[0] << p.positional[1] << options; });
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
        for (const auto& s : c.manager->ListSnapshots(name))
            table.rows.push_back({s.get<0>(), s.get<1>()});
        print_table(table, p.has("--output") ? p.options["--output"] : "table");
    } else if (restore) {
        std::string snap = p.has("--restore") ? p.options["--restore"] : p.options["-r"];
        std::string new_name = p.positional.size() == 2 ? p.positional[1] : "";
        storage_call(c, "RestoreSnapshot",
                     [&](sdbus::MethodCall& m) { m << name << snap << new_name; });
    } else if (p.has("--destroy") || p.has("-d")) {
        c.manager->DestroySnapshot(name,
                                   p.has("--destroy") ? p.options["--destroy"] : p.options["-d"]);
    } else {
        std::string snap;
        storage_call(c, "SnapshotContainer", [&](sdbus::MethodCall& m) { m << name; }) >> snap;
        std::cout << snap << '\n';
    }
    return kExitOk;
}

// A command whose whole job is one Manager call with the container's name.
template <void (org::lxcd1::Manager_proxy::*Call)(const std::string&)> int by_name(Args args) {
    Parsed p = parse(args, {});
    if (p.positional.size() != 1)
        throw std::runtime_error("this command takes one container NAME");
    Client c;
    ((*c.manager).*Call)(p.positional[0]);
    return kExitOk;
}

// start NAME [--follow]: with --follow (used by lxc@.service) it tells systemd
// READY once the container runs and returns when the container stops.
int start(Args args) {
    Parsed p = parse(args, {});
    const std::string& name = one_name(p, "start NAME [--follow]");
    const bool follow = p.has("--follow");
    Client c(follow ? Client::Signals::Yes : Client::Signals::No);
    std::string state;
    if (follow)
        c.manager->on_state([&](const std::string& n, const std::string& s) {
            if (n == name)
                state = s;
        });
    try {
        c.manager->StartContainer(name);
    } catch (const sdbus::Error& e) {
        if (!(follow && e.getName() == "org.lxcd1.Error.AlreadyRunning"))
            throw;
    }
    if (!follow)
        return kExitOk;
    state = c.container(name)->State();
    sd_notifyf(0, "READY=1\nSTATUS=container %s is %s", name.c_str(), state.c_str());
    wait_until(
        c, [&] { return state == "STOPPED"; }, std::nullopt);
    return kExitOk;
}

int stop(Args args) {
    Parsed p = parse(args, {"--timeout", "-t"});
    const std::string& name = one_name(p, "stop NAME [--kill] [--timeout SECONDS] [--if-running]");
    Client c;
    // lxc@.service's ExecStop also runs after the container stopped by itself.
    if (p.has("--if-running") && c.container(name)->State() == "STOPPED")
        return kExitOk;
    std::string timeout = p.has("--timeout") ? p.options["--timeout"] : p.options["-t"];
    if (p.has("--kill") || p.has("-k"))
        c.manager->StopContainer(name, true);
    else if (!timeout.empty())
        c.manager->StopContainerWithTimeout(name, parse_seconds(timeout, "timeout"));
    else
        c.manager->StopContainer(name, false);
    return kExitOk;
}

int kill(Args args) {
    Parsed p = parse(args, {});
    if (p.positional.empty() || p.positional.size() > 2)
        throw std::runtime_error("usage: lxcctl kill NAME [SIGNAL]");
    int sig = p.positional.size() == 2 ? signal_number(p.positional[1]) : SIGKILL;
    Client c;
    c.manager->KillContainer(p.positional[0], sig);
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
    Client c(Client::Signals::Yes);
    std::string state;
    c.manager->on_state([&](const std::string& n, const std::string& s) {
        if (n == name)
            state = s;
    });
    state = c.container(name)->State();
    bool reached = wait_until(
        c, [&] { return wanted.find("|" + state + "|") != std::string::npos; }, timeout);
    if (!reached) {
        std::cerr << "lxcctl: timed out waiting for " << name << " to be " << p.positional[1]
                  << " (it is " << state << ")\n";
        return kExitFailure;
    }
    return kExitOk;
}

int monitor(Args args) {
    Parsed p = parse(args, {});
    Client c(Client::Signals::Yes);
    c.manager->on_state([&](const std::string& n, const std::string& s) {
        if (p.positional.empty() ||
            std::find(p.positional.begin(), p.positional.end(), n) != p.positional.end())
            std::cout << n << ' ' << s << std::endl;
    });
    wait_until(
        c, [] { return false; }, std::nullopt);
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
    auto ct = c.container(name);
    pid_t init = static_cast<pid_t>(ct->InitPID());
    if (init <= 0)
        throw std::runtime_error("container '" + name + "' is not running");
    auto parsed = lxcd::config::parse_file(ct->ConfigPath());
    if (!parsed.ok())
        throw std::runtime_error("config of '" + name + "' has errors; run lxcctl config check");
    return lxcd::runtime::attach(init, parsed.config, argv);
}

// Wraps a command so bus errors print as "lxcctl: <container>: <cause>".
template <int (*F)(Args)> int guarded(Args args) {
    try {
        return F(args);
    } catch (const sdbus::Error& e) {
        std::cerr << "lxcctl: " << describe(e) << '\n';
        return kExitFailure;
    }
}

constexpr std::array kCommands = {
    Command{"list", "[--fancy] [--output json]", "list containers", guarded<list>},
    Command{"info", "NAME [--output json]", "show a container's state and properties",
            guarded<info>},
    Command{"create", "NAME [--template busybox|none] [--config TEXT]", "create a container",
            guarded<create>},
    Command{"destroy", "NAME", "remove a stopped container",
            guarded<by_name<&org::lxcd1::Manager_proxy::DestroyContainer>>},
    Command{"copy", "FROM TO [--snapshot] [--ephemeral] [--lxcpath DIR]",
            "copy a stopped container (--snapshot: an overlay over its rootfs; --ephemeral: "
            "an overlay started now and destroyed when it stops)",
            guarded<copy>},
    Command{"snapshot", "NAME [--list | --restore SNAP [NEWNAME] | --destroy SNAP]",
            "snapshot a stopped container (snapN), or list, restore, destroy its snapshots",
            guarded<snapshot>},
    Command{"start", "NAME [--follow]", "start a container and wait until it runs", guarded<start>},
    Command{"stop", "NAME [--kill] [--timeout S] [--if-running]",
            "stop a container (halt signal, then kill)", guarded<stop>},
    Command{"reboot", "NAME", "reboot a container",
            guarded<by_name<&org::lxcd1::Manager_proxy::RebootContainer>>},
    Command{"kill", "NAME [SIGNAL]", "send a signal to a container's init", guarded<kill>},
    Command{"freeze", "NAME", "freeze all processes of a container",
            guarded<by_name<&org::lxcd1::Manager_proxy::FreezeContainer>>},
    Command{"thaw", "NAME", "thaw a frozen container",
            guarded<by_name<&org::lxcd1::Manager_proxy::ThawContainer>>},
    Command{"wait", "NAME STATE[|STATE] [--timeout S]", "wait for a container state",
            guarded<wait>},
    Command{"attach", "NAME [--] CMD [ARGS...]", "run a command inside a running container",
            guarded<attach>},
    Command{"monitor", "[NAME...]", "print state changes as they happen", guarded<monitor>},
};

} // namespace

std::span<const Command> container_commands() {
    return kCommands;
}

} // namespace lxcctl
