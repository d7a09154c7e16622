// scope-probe: drives manager/scope.cpp (and runtime/cgroup.hpp inside the
// scope) against a real systemd, for tests/integration/test-scope.sh.
//   scope-probe start NAME [--cgroups] [CONFIG-LINE...]
//       forks a sleeping child, has systemd put it in lxc-NAME.scope and
//       prints "pid=N". With --cgroups the child then acts as a container
//       supervisor: it builds the container's cgroups inside the scope, moves
//       itself to the monitor cgroup and a sleeping grandchild to the payload,
//       and the probe prints "payload_pid=N" once that is done.
//   scope-probe stop NAME           stop the scope, wait for the job
//   scope-probe kill NAME SIGNAL    KillUnit
//   scope-probe show NAME           print "state=..." and "cgroup=..."
// Exits 1 with the error on failure.
#include "cgroup.hpp"
#include "config_parse.hpp"
#include "error.hpp"
#include "event_loop.hpp"
#include "fd.hpp"
#include "scope.hpp"

#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

[[noreturn]] void sleep_forever() {
    for (;;)
        pause();
}

void write_line(int fd, const std::string& line) {
    std::string l = line + "\n";
    if (write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size()))
        _exit(3);
}

// In the scope: the container's cgroups, a payload process, then sleep.
[[noreturn]] void act_as_supervisor(const lxcd::config::Config& conf, const std::string& name,
                                    int report) {
    try {
        // Outlives this function: the child sleeps until systemd kills it.
        static std::optional<lxcd::cgroup::ContainerCgroups> cgroups;
        cgroups.emplace(lxcd::cgroup::detect_layout(), conf, name);
        pid_t payload = fork();
        if (payload < 0)
            lxcd::throw_errno("fork");
        if (payload == 0)
            sleep_forever();
        cgroups->attach(payload);
        write_line(report, "payload_pid=" + std::to_string(payload));
    } catch (const lxcd::Error& e) {
        write_line(report, std::string("error ") + e.what());
        _exit(1);
    }
    close(report);
    sleep_forever();
}

// A child detached from our stdio (callers capturing our output must not wait
// for it) that waits for `go` before doing anything.
pid_t spawn_child(bool supervise, const lxcd::config::Config& conf, const std::string& name,
                  lxcd::UniqueFd& go, lxcd::UniqueFd& report) {
    int go_pipe[2], report_pipe[2];
    if (pipe2(go_pipe, O_CLOEXEC) < 0 || pipe2(report_pipe, O_CLOEXEC) < 0)
        lxcd::throw_errno("pipe");
    pid_t pid = fork();
    if (pid < 0)
        lxcd::throw_errno("fork");
    if (pid == 0) {
        setsid();
        int null_fd = open("/dev/null", O_RDWR);
        for (int fd = 0; fd < 3; fd++)
            dup2(null_fd, fd);
        char c;
        close(go_pipe[1]);
        close(report_pipe[0]);
        if (read(go_pipe[0], &c, 1) != 1)
            _exit(0);
        if (supervise)
            act_as_supervisor(conf, name, report_pipe[1]);
        sleep_forever();
    }
    close(go_pipe[0]);
    close(report_pipe[1]);
    go.reset(go_pipe[1]);
    report.reset(report_pipe[0]);
    return pid;
}

std::string read_line(int fd) {
    std::string line;
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n')
        line += c;
    return line;
}

lxcd::config::Config parse_lines(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines)
        text += l + "\n";
    auto result = lxcd::config::parse_string(text, "command line");
    for (const auto& d : result.diagnostics)
        if (d.level == lxcd::config::Diagnostic::Level::Error)
            throw lxcd::Error(lxcd::Errc::InvalidConfig, d.str());
    return result.config;
}

// Runs the loop until done reports; returns its error, if any.
int wait_done(lxcd::EventLoop& loop, std::optional<lxcd::Error>& result) {
    return loop.run() == 0 && !result ? 0 : 1;
}

int start(const std::string& name, std::vector<std::string> args) {
    bool supervise = !args.empty() && args.front() == "--cgroups";
    if (supervise)
        args.erase(args.begin());
    lxcd::config::Config conf = parse_lines(args);
    const std::string unit = lxcd::scope_unit_name(name);

    // Fork before connecting, so the child holds no bus connection.
    lxcd::UniqueFd go, report;
    pid_t pid = spawn_child(supervise, conf, name, go, report);
    std::cout << "pid=" << pid << std::endl;
    try {
        lxcd::EventLoop loop;
        auto bus = sdbus::createSystemBusConnection();
        loop.attach_bus(*bus);
        lxcd::ScopeManager scopes(*bus);
        std::optional<lxcd::Error> result;
        scopes.start_scope(name, pid, conf, [&](const std::optional<lxcd::Error>& err) {
            result = err;
            loop.exit(err ? 1 : 0);
        });
        if (wait_done(loop, result))
            throw *result;
    } catch (...) {
        kill(pid, SIGKILL);
        throw;
    }
    // Only now, inside the scope, may the child build the container's cgroups.
    if (write(go.get(), "g", 1) != 1)
        lxcd::throw_errno("write to child");
    if (supervise) {
        std::string line = read_line(report.get());
        if (!line.starts_with("payload_pid="))
            throw lxcd::Error(lxcd::Errc::Failed, "supervisor child: " + line);
        std::cout << line << std::endl;
    }
    return 0;
}

int run(const std::string& cmd, const std::string& name, const std::vector<std::string>& args) {
    if (cmd == "start")
        return start(name, args);
    const std::string unit = lxcd::scope_unit_name(name);
    lxcd::EventLoop loop;
    auto bus = sdbus::createSystemBusConnection();
    loop.attach_bus(*bus);
    lxcd::ScopeManager scopes(*bus);
    std::optional<lxcd::Error> result;
    if (cmd == "stop") {
        scopes.stop_scope(unit, [&](const std::optional<lxcd::Error>& err) {
            result = err;
            loop.exit(err ? 1 : 0);
        });
        if (wait_done(loop, result))
            throw *result;
    } else if (cmd == "kill" && args.size() == 1) {
        scopes.kill_scope(unit, std::stoi(args[0]));
    } else if (cmd == "show") {
        std::cout << "state=" << scopes.active_state(unit) << "\n"
                  << "cgroup=" << scopes.control_group(unit).value_or("") << std::endl;
    } else {
        std::cerr << "scope-probe: unknown command '" << cmd << "'\n";
        return 2;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: scope-probe start|stop|kill|show NAME [ARGS...]\n";
        return 2;
    }
    try {
        return run(argv[1], argv[2], {argv + 3, argv + argc});
    } catch (const lxcd::Error& e) {
        std::cerr << "scope-probe: " << e.what() << "\n";
        return 1;
    } catch (const sdbus::Error& e) {
        std::cerr << "scope-probe: " << e.getName() << ": " << e.getMessage() << "\n";
        return 1;
    }
}
