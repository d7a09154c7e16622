#include "container.hpp"

#include "config_parse.hpp"
#include "log.hpp"
#include "machines.hpp"
#include "migration_warmup.hpp"
#include "network.hpp"
#include "scope.hpp"
#include "scope_limits.hpp"
#include "state_dir.hpp"
#include "supervisor_protocol.hpp"

#include <csignal>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

extern char** environ;

namespace lxcd {

namespace {

// The supervisor's end of the handshake socket is always fd 3.
constexpr int kSyncFd = 3;

pid_t spawn_supervisor(const std::filesystem::path& bin, const std::string& name,
                       const std::filesystem::path& config, int sync_fd, bool staged) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sync_fd, kSyncFd);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int sig : {SIGTERM, SIGINT, SIGCHLD, SIGHUP, SIGPIPE})
        sigaddset(&defaults, sig);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    // Own session: the daemon's terminal or process group signals never reach it.
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);

    std::string fd_arg = std::to_string(kSyncFd);
    std::string scope = scope_unit_name(name);
    std::string bin_str = bin.string(), config_str = config.string();
    std::vector<char*> argv{bin_str.data(),
                            const_cast<char*>(name.c_str()),
                            const_cast<char*>("--config"),
                            config_str.data(),
                            const_cast<char*>("--sync-fd"),
                            fd_arg.data(),
                            const_cast<char*>("--scope"),
                            scope.data()};
    if (staged)
        argv.push_back(const_cast<char*>("--prepare-when-told"));
    argv.push_back(nullptr);
    pid_t pid = 0;
    int r = posix_spawn(&pid, bin_str.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (r != 0)
        throw_errno("spawn " + bin_str, r);
    return pid;
}

std::string diagnostics_text(const config::ParseResult& result) {
    std::string text;
    for (const auto& d : result.diagnostics)
        if (d.level == config::Diagnostic::Level::Error)
            text += (text.empty() ? "" : "\n") + d.str();
    return text;
}

} // namespace

Container::Container(ManagerContext& ctx, std::string name, std::filesystem::path config_path)
    : ctx_(ctx), name_(std::move(name)), config_path_(std::move(config_path)),
      network_(ctx.loop, name_), remains_(ctx.loop, name_, state_dir()) {}

Container::~Container() = default;

std::string Container::unit() const {
    return active() ? scope_unit_name(name_) : std::string();
}

std::string Container::control_group() const {
    return active() ? ctx_.cgroup_root + "/lxc.slice/" + scope_unit_name(name_) : std::string();
}

void Container::load_config() {
    auto result = config::parse_file(config_path_);
    if (!result.ok())
        throw Error(Errc::InvalidConfig, diagnostics_text(result));
    config_ = std::move(result.config);
}

void Container::reload_config() noexcept {
    try {
        load_config();
    } catch (const Error& e) {
        log::container(log::Level::Warning, name_, e.what());
    }
}

void Container::adopt() {
    if (client_)
        return;
    try {
        attach_client(SupervisorClient::connect(
            ctx_.loop, state_dir().string(), [this](State s, pid_t p) { update(s, p); },
            [this] { supervisor_gone(); }));
    } catch (const Error&) {
        // Nothing listens: the container is not running. A supervisor killed while
        // lxcd was down may have left host network state to undo.
        if (!runtime::supervisor_alive(state_dir())) {
            network_.supervisor_gone(state_dir() / net::kHostRecordFile);
            remains_.supervisor_gone();
        }
    }
}

void Container::attach_client(std::unique_ptr<SupervisorClient> client) {
    client_ = std::move(client);
}

void Container::require_running(const char* op) const {
    if (!client_ || state_ == State::Stopped)
        throw Error(Errc::NotRunning,
                    "cannot " + std::string(op) + " '" + name_ + "': container is not running");
    // Until it is told "start", the supervisor reads nothing else: any other request
    // would end the start (and our handshake) instead.
    if (staged_)
        throw Error(Errc::NotRunning, "cannot " + std::string(op) + " '" + name_ +
                                          "': it waits for its turn in an autostart run");
    if (handshake_)
        throw Error(Errc::NotRunning, "cannot " + std::string(op) + " '" + name_ +
                                          "': container is starting (systemd makes its scope)");
}

void Container::require_not_stopping(const char* op) const {
    require_running(op);
    // The supervisor answers a stop only when the container has stopped: a request sent
    // after it would be answered first, and answers are matched to requests in order.
    if (stop_sent_)
        throw Error(Errc::NotRunning,
                    "cannot " + std::string(op) + " '" + name_ + "': container is stopping");
}

void Container::start(Done done) {
    if (auto call = std::exchange(staged_, nullptr)) {
        if (call->failed) {     // while it waited for its turn: reported now
            call->held = false; // a scope answer still to come ends it as any other start
            if (ctx_.stopped)
                ctx_.stopped(*this);
            throw Error(*call->failed);
        }
        release(std::move(call), std::move(done));
        return;
    }
    if (active())
        throw Error(Errc::AlreadyRunning, "container '" + name_ + "' is already running");
    // STOPPED, but its supervisor has not exited yet: it still owns the state directory,
    // the scope and the connection (with callers waiting for their answers on it).
    if (client_ || supervisor_alive())
        throw Error(Errc::AlreadyRunning,
                    "container '" + name_ + "' is still stopping (its supervisor has not exited)");
    // Its supervisor died before systemd answered for the scope: that answer still refers
    // to this object and the unit (see in_use()).
    if (handshake_)
        throw Error(Errc::AlreadyRunning, "container '" + name_ +
                                              "' is still stopping (systemd has not yet "
                                              "answered for its last start's scope)");
    auto call = std::make_shared<StartCall>();
    call->done = std::move(done);
    begin_start(call);
}

bool Container::stage() noexcept {
    if (active() || client_ || handshake_ || supervisor_alive())
        return false;
    staged_.reset(); // an earlier run's failure, never reported: start() begins afresh
    auto call = std::make_shared<StartCall>();
    call->held = true; // start() gives it its Done
    try {
        begin_start(call);
    } catch (const Error& e) {
        log::container(log::Level::Notice, name_,
                       std::string("cannot stage its start: ") + e.what());
        return false;
    }
    staged_ = std::move(call);
    return true;
}

bool Container::supervisor_alive() const {
    // After a cancelled start lxcd closes the connection first: until the supervisor has
    // exited, a new one would find its state directory still in use.
    pollfd exited{supervisor_pidfd_.get(), POLLIN, 0};
    return supervisor_pidfd_ && ::poll(&exited, 1, 0) == 0;
}

void Container::begin_start(std::shared_ptr<StartCall> call) {
    if (ctx_.warmup)
        ctx_.warmup->kick(); // systemd's move into the scope waits less (see its header)
    load_config();
    scope_limits(config_); // a limit no scope can take is refused before anything runs

    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
        throw_errno("socketpair");
    UniqueFd ours(pair[0]), theirs(pair[1]);
    const pid_t supervisor_pid =
        spawn_supervisor(ctx_.supervisor_bin, name_, config_path_, theirs.get(), call->held);
    theirs.reset();
    remains_.spawned(supervisor_pid);
    supervisor_pidfd_ = UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, supervisor_pid, 0)));
    // The loop reaps it: this object may be gone, or on its next start, by then.
    ctx_.loop.reap_child(supervisor_pid);
    attach_client(std::make_unique<SupervisorClient>(
        ctx_.loop, std::move(ours), [this](State s, pid_t p) { update(s, p); },
        [this] { supervisor_gone(); }));
    update(State::Starting, 0);

    // Meanwhile the supervisor prepares what needs no cgroup (runtime/start.hpp); it
    // waits for "start" until systemd has moved it into the scope, and places the
    // container's init in the scope's cgroup before that runs any of its code.
    // One answer at a time: start() and stage() wait for it (handshake_).
    handshake_ = true;
    try {
        ctx_.scopes.start_scope(
            name_, supervisor_pid, config_,
            [this, call](const std::optional<Error>& err) { scope_made(*call, err); });
    } catch (const Error& e) {
        cancel_start(e, call->held); // e.g. a limit systemd would not take: refused before asking
        throw;
    }
}

void Container::scope_made(StartCall& call, const std::optional<Error>& err) {
    if (!client_) {
        supervisor_gone_before_start(call);
        return;
    }
    if (err) {
        handshake_ = false;
        abort_start(*err, call);
        return;
    }
    if (call.held)
        call.scope_ready = true; // start() sends "start"
    else
        send_start(call.answer());
}

void Container::release(std::shared_ptr<StartCall> call, Done done) {
    call->held = false;
    call->done = std::move(done);
    if (call->scope_ready)
        send_start(call->answer());
    // else the scope's answer sends it
}

void Container::send_start(Done done) {
    handshake_ = false;
    client_->request("start", [this, done](const std::optional<Error>& e, const std::string&) {
        if (e)
            fail_start(*e, done);
        else
            done(std::nullopt);
    });
}

void Container::fail_start(const Error& err, const Done& done) {
    log::container(log::Level::Error, name_, std::string("start failed: ") + err.what());
    // The supervisor exits after its answer; answer once its scope is gone too, so that
    // a failed start leaves no unit behind when the caller looks.
    when_gone_.push_back([this, err, done] {
        ctx_.scopes.stop_scope(scope_unit_name(name_),
                               [err, done](const std::optional<Error>&) { done(err); });
    });
}

void Container::supervisor_gone_before_start(const StartCall& call) {
    Done done = call.answer();
    Error gone(Errc::Failed, "the supervisor of '" + name_ + "' exited before the start");
    log::container(log::Level::Error, name_, gone.what());
    handshake_ = false;
    ctx_.scopes.stop_scope(scope_unit_name(name_),
                           [gone, done](const std::optional<Error>&) { done(gone); });
    // in_use() held off what the supervisor's end would have done (an ephemeral's destroy).
    if (ctx_.stopped && !call.held)
        ctx_.stopped(*this);
}

void Container::cancel_start(const Error& err, bool held) {
    log::container(log::Level::Error, name_, std::string("start failed: ") + err.what());
    handshake_ = false;
    if (held && staged_)
        staged_->failed = err; // start() reports it when its turn comes
    // Closing the handshake before "start" makes the supervisor exit and remove
    // its state directory; a SIGKILL would leave /run/lxcd/<name> behind. And if it was
    // killed already (systemd's error came first), lxcd removes that once it has exited.
    client_.reset();
    remains_.supervisor_gone();
    update(State::Stopped, 0);
    // A staged start's failure waits for its turn (and only then is an ephemeral
    // container destroyed).
    if (ctx_.stopped && !held)
        ctx_.stopped(*this);
}

void Container::abort_start(const Error& err, const StartCall& call) {
    cancel_start(err, call.held);
    call.answer()(err);
}

void Container::stop(bool force, unsigned timeout_sec, Done done) {
    require_running("stop");
    // A second stop (say a forced one after a clean one that takes long) is answered
    // with the first, or, when the supervisor exits before answering it, at its exit.
    stop_sent_ = true;
    client_->request("stop " + std::to_string(force ? 0 : timeout_sec),
                     [this, done](const std::optional<Error>& e, const std::string&) {
                         if (e && e->code() != Errc::NotRunning) {
                             done(e);
                             return;
                         }
                         // STOPPED (or the supervisor exited): answer once it is gone,
                         // as lxc-stop does once its monitor is. The scope, empty then,
                         // goes right after, and a start meanwhile waits for that.
                         when_gone_.push_back([this, done] {
                             ctx_.scopes.retire_scope(name_);
                             done(std::nullopt);
                         });
                     });
}

void Container::reboot(Done done) {
    require_not_stopping("reboot");
    client_->request("reboot",
                     [done](const std::optional<Error>& e, const std::string&) { done(e); });
}

void Container::kill(int signal, Done done) {
    require_not_stopping("kill");
    if (signal <= 0 || signal > SIGRTMAX)
        throw Error(Errc::InvalidArgument, "invalid signal number " + std::to_string(signal));
    client_->request("kill " + std::to_string(signal),
                     [done](const std::optional<Error>& e, const std::string&) { done(e); });
}

void Container::freeze(Done done) {
    require_not_stopping("freeze");
    client_->request("freeze",
                     [done](const std::optional<Error>& e, const std::string&) { done(e); });
}

void Container::thaw(Done done) {
    require_not_stopping("thaw");
    client_->request("thaw",
                     [done](const std::optional<Error>& e, const std::string&) { done(e); });
}

void Container::update(State state, pid_t pid) {
    if (state == state_ && pid == init_pid_)
        return;
    if (state != state_)
        log::container(log::Level::Info, name_,
                       std::string(state_name(state)) +
                           (pid > 0 ? " (init PID " + std::to_string(pid) + ")" : ""));
    if (pid > 0 && pid != init_pid_ && NetworkKeeper::needed_for(config_))
        network_.hold(pid);
    if (pid > 0 && pid != init_pid_)
        remains_.track(pid, config_);
    if (state == State::Running && pid > 0 && pid != init_pid_) {
        if (init_pid_ > 0)
            ctx_.machines.remove(name_); // rebooted: a new leader
        ctx_.machines.add(name_, pid, config_);
    } else if (state == State::Stopped && state_ != State::Stopped) {
        ctx_.machines.remove(name_);
    }
    state_ = state;
    init_pid_ = pid;
    if (listener_)
        listener_(*this);
}

void Container::supervisor_gone() {
    // It removes its state directory, the last of what it made, before it closes the
    // connection: a start need not wait for it to exit, only for its scope to go, however
    // the container ended (a stop, its init's own exit, machinectl terminate). Killed, it
    // left the directory, and a new supervisor could take it for a live one's until it
    // has exited. While systemd's answer for its scope is pending, that answer decides.
    std::error_code ec;
    if (!std::filesystem::exists(state_dir(), ec)) {
        supervisor_pidfd_.reset();
        if (!handshake_)
            ctx_.scopes.retire_scope(name_);
    }
    stop_sent_ = false;
    // A staged start, never told "start": its turn reports the failure.
    const bool waiting = staged_ != nullptr;
    if (waiting && !staged_->failed) {
        staged_->failed = Error(Errc::Failed, "the supervisor of '" + name_ +
                                                  "' exited while it waited for its turn");
        if (staged_->scope_ready) { // systemd has answered: nothing else refers to us
            handshake_ = false;
            ctx_.scopes.retire_scope(name_);
        }
    }
    network_.supervisor_gone(state_dir() / net::kHostRecordFile);
    remains_.supervisor_gone();
    // Called from inside the client's own handler: drop it on the next loop turn.
    for (auto& callback : std::exchange(when_gone_, {}))
        callback();
    retired_ = std::move(client_);
    deferred_ = ctx_.loop.add_timer(std::chrono::microseconds(0), [this] {
        retired_.reset();
        deferred_ = {};
    });
    update(State::Stopped, 0);
    // Only now: nothing of the supervisor is pending (a STOPPED state message comes
    // before the answer to "stop", which its caller still waits for). Not for a staged
    // start: that waits for its turn (see cancel_start).
    if (ctx_.stopped && !waiting)
        ctx_.stopped(*this);
}

} // namespace lxcd
