#include "supervisor.hpp"

#include "cgroup.hpp"
#include "console.hpp"
#include "control_request.hpp"
#include "error.hpp"
#include "fd_passing.hpp"
#include "namespaces.hpp"
#include "process.hpp"
#include "start.hpp"
#include "state_dir.hpp"
#include "stop_policy.hpp"
#include "supervisor_protocol.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <list>
#include <optional>

namespace lxcd::runtime {

namespace {

using Clock = std::chrono::steady_clock;

struct Client {
    UniqueFd fd;
    bool subscribed = false;
    bool waits_for_stop = false;
    bool console = false; // attached console: raw bytes both ways
};

void send_text(int fd, const std::string& text) {
    ::send(fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

UniqueFd listen_control(const std::filesystem::path& path) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd)
        throw_errno("control socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.native().size() >= sizeof(addr.sun_path))
        throw Error(Errc::InvalidArgument, "control socket path too long: " + path.string());
    std::strcpy(addr.sun_path, path.c_str());
    ::unlink(path.c_str());
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0 ||
        ::listen(fd.get(), 16) < 0)
        throw_errno("listen on " + path.string());
    return fd;
}

// The ring buffer goes back as a memfd: it may be far larger than one datagram.
void send_console_log(int sock, const std::string& bytes) {
    UniqueFd mem(::memfd_create("lxcd-console-log", MFD_CLOEXEC));
    if (!mem || !write_all(mem.get(), bytes) || ::lseek(mem.get(), 0, SEEK_SET) < 0)
        throw_errno("console log memfd");
    send_with_fd(sock, reply_ok(std::to_string(bytes.size())), mem.get());
}

UniqueFd block_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT})
        sigaddset(&set, sig);
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
    UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd)
        throw_errno("signalfd");
    return fd;
}

class Supervisor {
  public:
    Supervisor(const config::Config& cfg, const SupervisorOptions& opts)
        : cfg_(cfg), opts_(opts), dir_(opts.state_dir) {}

    int run();

  private:
    StartOptions start_options();
    // The start in two steps: everything that needs no cgroup (it overlaps systemd
    // creating our scope), then the rest once we are in it.
    void prepare();
    void finish();
    void wait_for_scope();
    void enter_cgroups();
    void start();
    // With lxcd: prepare, wait for its "start", finish; with pre-start/pre-mount hooks or
    // network up scripts, wait first.
    void start_when_told();
    void set_state(State s);
    void broadcast_state();
    void on_init_exit();
    void begin_stop(int timeout_seconds);
    void escalate();
    void signal_init(int sig);
    void accept_clients();
    std::function<void(std::string_view)> tee_consoles();
    void serve(Client& c);
    std::string handle(Client& c, const ControlRequest& r);
    void finish_stop_waiters();
    Console& console();
    void save_console_buffer();
    int poll_timeout_ms() const;

    const config::Config& cfg_;
    const SupervisorOptions& opts_;
    StateDir dir_;
    UniqueFd listen_;
    UniqueFd signals_;
    std::optional<cgroup::ContainerCgroups> cgroups_;
    std::optional<Console> console_;
    std::vector<Pty> ttys_; // lxc.tty.max; the masters stay with us
    std::optional<StartOptions> start_opts_;
    std::optional<PreparedStart> prepared_;
    std::optional<StartedContainer> ct_;
    std::shared_ptr<void> network_; // the container's lxc.net.* devices while it runs
    std::list<Client> clients_;
    State state_ = State::Stopped;
    std::optional<Clock::time_point> deadline_;
    int stop_signal_ = SIGKILL;
    bool stopping_ = false;
    bool rebooting_ = false;
    bool input_open_ = true;
    int exit_code_ = 0;
};

void Supervisor::set_state(State s) {
    state_ = s;
    dir_.set_state(s);
    broadcast_state();
}

void Supervisor::broadcast_state() {
    std::string event =
        "state " + std::string(state_name(state_)) + " " + std::to_string(ct_ ? ct_->pid : 0);
    for (auto& c : clients_) {
        if (c.subscribed)
            send_text(c.fd.get(), event);
    }
}

StartOptions Supervisor::start_options() {
    StartOptions so;
    so.name = opts_.name;
    so.config_file = opts_.config_file;
    so.run_dir = opts_.state_dir.parent_path();
    so.application = opts_.application;
    if (console_)
        so.console_pty = console_->device();
    for (const auto& t : ttys_)
        so.tty_ptys.push_back(t.device);
    if (opts_.cgroups)
        so.place_in_cgroup = [this](pid_t pid) { cgroups_->attach(pid); };
    if (opts_.setup_network)
        so.setup_network = [this](pid_t pid) {
            network_ = opts_.setup_network(cfg_, opts_.name, pid);
        };
    return so;
}

void Supervisor::prepare() {
    set_state(State::Starting);
    if (!console_)
        // In lxcd's scope, the console also goes to the journal, as the scope's.
        console_ = Console::open(cfg_, opts_.foreground,
                                 opts_.scope_unit.empty() ? std::string() : opts_.name);
    if (ttys_.empty())
        ttys_ = open_ttys(cfg_);
    start_opts_ = start_options();
    try {
        prepared_.emplace(prepare_start(cfg_, *start_opts_));
    } catch (...) {
        network_.reset(); // nothing of a failed start stays on the host
        throw;
    }
}

void Supervisor::enter_cgroups() {
    // Only once in the scope: our cgroups are those of the scope systemd has moved us into.
    if (opts_.cgroups && !cgroups_)
        cgroups_.emplace(cgroup::detect_layout(), cfg_, opts_.name, opts_.scope_unit);
}

void Supervisor::finish() {
    try {
        enter_cgroups();
        ct_ = finish_start(cfg_, *start_opts_, std::move(*prepared_));
    } catch (...) {
        prepared_.reset(); // kills and reaps the child
        network_.reset();
        throw;
    }
    prepared_.reset();
    dir_.set_init_pid(ct_->pid);
    set_state(State::Running);
}

void Supervisor::start() {
    prepare();
    finish();
}

void Supervisor::signal_init(int sig) {
    if (ct_)
        ::syscall(SYS_pidfd_send_signal, ct_->pidfd.get(), sig, nullptr, 0);
}

void Supervisor::begin_stop(int timeout_seconds) {
    StopPlan plan = stop_plan(cfg_, timeout_seconds);
    stopping_ = true;
    rebooting_ = false;
    stop_signal_ = plan.stop_signal;
    set_state(State::Stopping);
    if (!plan.halt_signal) {
        escalate();
        return;
    }
    signal_init(plan.halt_signal);
    deadline_.reset();
    if (plan.grace)
        deadline_ = Clock::now() + *plan.grace;
}

void Supervisor::escalate() {
    deadline_.reset();
    signal_init(stop_signal_);
    // Without its own PID namespace, init's death does not take the rest along.
    if (ct_ && !ct_->own_pid_ns && cgroups_ && stop_signal_ == SIGKILL)
        cgroups_->kill_all();
}

void Supervisor::on_init_exit() {
    int status = wait_for(ct_->pid);
    // Inside its PID namespace, reboot(2) ends init with SIGHUP (restart) or SIGINT (halt).
    bool reboot = rebooting_ || (!stopping_ && ct_->own_pid_ns && WIFSIGNALED(status) &&
                                 WTERMSIG(status) == SIGHUP);
    exit_code_ = opts_.application ? exit_code(status) : 0;
    if (cgroups_ && !ct_->own_pid_ns)
        cgroups_->kill_all();

    HookContext hooks = ct_->hooks;
    hooks.target = reboot ? "reboot" : "stop";
    for (const auto& [ns, fd] : ct_->namespaces)
        hooks.namespaces[ns] =
            "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd.get());
    try {
        run_hooks(cfg_, hooks, config::HookType::Stop);
    } catch (const Error& e) {
        std::cerr << "lxcd-supervisor: " << e.what() << "\n";
    }
    ct_->namespaces.clear();
    hooks.namespaces.clear();
    network_.reset();
    try {
        run_hooks(cfg_, hooks, config::HookType::PostStop);
    } catch (const Error& e) {
        std::cerr << "lxcd-supervisor: " << e.what() << "\n";
    }
    ct_.reset();
    dir_.set_init_pid(0);
    deadline_.reset();
    rebooting_ = false;
    if (!reboot || stopping_) {
        set_state(State::Stopped);
        return;
    }
    try {
        start();
    } catch (const Error& e) {
        std::cerr << "lxcd-supervisor: reboot: " << e.what() << "\n";
        set_state(State::Stopped);
    }
}

std::string Supervisor::handle(Client& c, const ControlRequest& r) {
    using K = ControlRequest::Kind;
    std::string pid = std::to_string(ct_ ? ct_->pid : 0);
    switch (r.kind) {
    case K::Start:
        throw Error(Errc::AlreadyRunning, "container '" + opts_.name + "' is already started");
    case K::State:
        return reply_ok(std::string(state_name(state_)) + " " + pid);
    case K::Subscribe:
        c.subscribed = true;
        send_text(c.fd.get(), reply_ok());
        return "state " + std::string(state_name(state_)) + " " + pid;
    case K::Stop:
        if (!ct_)
            return reply_ok();
        c.waits_for_stop = true;
        begin_stop(r.arg);
        return {};
    case K::Kill:
        if (!ct_)
            throw Error(Errc::NotRunning, "container '" + opts_.name + "' is not running");
        signal_init(r.arg);
        return reply_ok();
    case K::Reboot:
        if (!ct_)
            throw Error(Errc::NotRunning, "container '" + opts_.name + "' is not running");
        rebooting_ = true;
        signal_init(reboot_signal(cfg_));
        return reply_ok();
    case K::Freeze:
    case K::Thaw: {
        if (!cgroups_ || !ct_)
            throw Error(Errc::NotRunning, "container '" + opts_.name + "' has no running cgroup");
        bool freeze = r.kind == K::Freeze;
        set_state(freeze ? State::Freezing : State::Thawed);
        if (freeze)
            cgroups_->freeze();
        else
            cgroups_->thaw();
        set_state(freeze ? State::Frozen : State::Running);
        return reply_ok();
    }
    case K::Console:
        if (!console_ || console_->master_fd() < 0)
            throw Error(Errc::InvalidArgument,
                        "container '" + opts_.name + "' has no console pty (lxc.console.path)");
        c.console = true;
        return reply_ok();
    case K::ConsoleLog:
        send_console_log(c.fd.get(), console().buffer_contents(r.arg == 1));
        return {};
    case K::ConsoleRotate:
        console().rotate_log();
        return reply_ok();
    }
    return reply_ok();
}

Console& Supervisor::console() {
    if (!console_)
        throw Error(Errc::InvalidArgument,
                    "container '" + opts_.name + "' has no console (lxc.console.path = none)");
    return *console_;
}

void Supervisor::save_console_buffer() {
    if (!console_)
        return;
    console_->flush_journal();
    try {
        console_->save_buffer();
    } catch (const Error& e) {
        std::cerr << "lxcd-supervisor: lxc.console.buffer.logfile: " << e.what() << "\n";
    }
}

void Supervisor::serve(Client& c) {
    char buf[supervisor::kMaxMessage];
    ssize_t n = ::recv(c.fd.get(), buf, sizeof(buf), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        c.fd.reset();
        return;
    }
    if (c.console) {
        console_->write_input(std::string_view(buf, static_cast<size_t>(n)));
        return;
    }
    std::string reply;
    try {
        reply = handle(c, parse_control_request(std::string_view(buf, n)));
    } catch (const std::exception& e) {
        reply = reply_error(e);
    }
    if (!reply.empty())
        send_text(c.fd.get(), reply);
}

std::function<void(std::string_view)> Supervisor::tee_consoles() {
    return [this](std::string_view data) {
        for (auto& c : clients_)
            if (c.console) // a console that cannot keep up loses output, never the container
                ::send(c.fd.get(), data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    };
}

void Supervisor::accept_clients() {
    for (;;) {
        UniqueFd fd(::accept4(listen_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!fd)
            return;
        clients_.push_back(Client{std::move(fd)});
    }
}

void Supervisor::finish_stop_waiters() {
    for (auto& c : clients_) {
        if (c.waits_for_stop)
            send_text(c.fd.get(), reply_ok());
        c.waits_for_stop = false;
    }
}

int Supervisor::poll_timeout_ms() const {
    if (!deadline_)
        return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - Clock::now());
    return std::max<int>(0, static_cast<int>(left.count()) + 1);
}

namespace {

// Programs that run before the container's init is placed in its cgroup: anything they
// leave behind would stay in lxcd.service's cgroup instead of the container's scope.
bool runs_programs_before_placement(const config::Config& cfg) {
    for (auto type : {config::HookType::PreStart, config::HookType::PreMount})
        if (auto it = cfg.hooks.find(type); it != cfg.hooks.end() && !it->second.empty())
            return true;
    for (const auto& net : cfg.networks)
        if (!net.script_up.empty())
            return true;
    return false;
}

} // namespace

void Supervisor::wait_for_scope() {
    // lxcd says "start" once systemd has moved us into the container's scope.
    char buf[64];
    ssize_t n = ::recv(opts_.sync_fd, buf, sizeof(buf), 0);
    if (n <= 0 || std::string_view(buf, n).substr(0, 5) != "start")
        throw Error(Errc::Failed, "lxcd gave up on the start");
}

void Supervisor::start_when_told() {
    // No overlap: what the programs leave behind must be in the scope, as LXC leaves it
    // in its monitor's cgroup; and a start staged ahead of its turn (autostart) must not
    // make namespaces, mounts or devices, or look for other containers, before it.
    if (opts_.prepare_when_told || runs_programs_before_placement(cfg_)) {
        wait_for_scope();
        enter_cgroups();
        start();
        return;
    }
    std::exception_ptr prepare_error;
    try {
        prepare();
    } catch (const std::exception&) {
        prepare_error = std::current_exception(); // the answer to "start"
    }
    wait_for_scope();
    if (prepare_error)
        std::rethrow_exception(prepare_error);
    finish();
}

int Supervisor::run() {
    signals_ = block_signals();
    listen_ = listen_control(dir_.path() / supervisor::kControlSocket);

    try {
        if (cfg_.monitor_unshare)
            unshare_monitor_mounts();
        if (opts_.sync_fd >= 0)
            start_when_told();
        else
            start();
    } catch (const std::exception& e) {
        std::cerr << "lxcd-supervisor: " << e.what() << "\n";
        if (opts_.sync_fd >= 0)
            send_text(opts_.sync_fd, reply_error(e));
        set_state(State::Stopped);
        return 1;
    }
    if (opts_.sync_fd >= 0) {
        // The state first, so lxcd knows RUNNING and the PID when its start call returns.
        clients_.push_back(Client{UniqueFd(opts_.sync_fd), true});
        broadcast_state();
        send_text(opts_.sync_fd, reply_ok());
    }

    while (ct_) {
        std::vector<pollfd> fds{
            {ct_->pidfd.get(), POLLIN, 0}, {signals_.get(), POLLIN, 0}, {listen_.get(), POLLIN, 0}};
        int master = console_ ? console_->master_fd() : -1;
        fds.push_back({master, POLLIN, 0});
        fds.push_back(
            {opts_.foreground && master >= 0 && input_open_ ? STDIN_FILENO : -1, POLLIN, 0});
        size_t first_client = fds.size();
        for (auto& c : clients_)
            fds.push_back({c.fd.get(), POLLIN, 0});

        int n = ::poll(fds.data(), fds.size(), poll_timeout_ms());
        if (n < 0 && errno != EINTR)
            throw_errno("poll");
        if (deadline_ && Clock::now() >= *deadline_)
            escalate();
        if (fds[3].revents)
            console_->pump_output(tee_consoles());
        if (fds[4].revents)
            input_open_ = console_->pump_input(STDIN_FILENO);
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo si{};
            while (::read(signals_.get(), &si, sizeof(si)) == sizeof(si)) {
                if (!stopping_)
                    begin_stop(opts_.term_timeout);
            }
        }
        if (fds[2].revents & POLLIN)
            accept_clients();
        size_t i = first_client;
        for (auto& c : clients_) {
            if (i < fds.size() && fds[i].fd == c.fd.get() && fds[i].revents)
                serve(c);
            ++i;
        }
        clients_.remove_if([](const Client& c) { return !c.fd; });
        if (fds[0].revents & POLLIN) {
            on_init_exit();
            if (!ct_ && console_ && console_->master_fd() >= 0)
                console_->pump_output(tee_consoles());
            if (!ct_)
                save_console_buffer();
        }
    }
    finish_stop_waiters();
    if (cgroups_) {
        try {
            cgroups_->destroy();
        } catch (const Error& e) {
            std::cerr << "lxcd-supervisor: cgroup cleanup: " << e.what() << "\n";
        }
        cgroups_.reset();
    }
    // The state directory goes before our connections close: lxcd takes their end for
    // ours, and a supervisor it starts then must not find this one's directory.
    dir_.remove();
    clients_.clear();
    return exit_code_;
}

} // namespace

int run_supervisor(const config::Config& cfg, const SupervisorOptions& opts) {
    Supervisor s(cfg, opts);
    return s.run();
}

} // namespace lxcd::runtime
