// One container known to lxcd: its config, its state, and the asynchronous
// operations on it. A running container is a supervisor process (runtime/)
// inside the transient scope lxc-<name>.scope; this object talks to that
// supervisor and never blocks the event loop.
#pragma once

#include "config.hpp"
#include "error.hpp"
#include "event_loop.hpp"
#include "fd.hpp"
#include "network_keeper.hpp"
#include "state.hpp"
#include "supervisor_client.hpp"
#include "supervisor_remains.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lxcd {

class Container;
class MachineRegistry;
class MigrationWarmup;
class ScopeManager;

// What every container shares: the loop, systemd (scopes, machined), and where things live.
struct ManagerContext {
    EventLoop& loop;
    ScopeManager& scopes;
    MachineRegistry& machines;
    std::filesystem::path run_dir;        // /run/lxcd
    std::filesystem::path supervisor_bin; // lxcd-supervisor
    std::string cgroup_root = {};         // of the systemd manager: "" or a user manager's
    MigrationWarmup* warmup = nullptr;    // kicked by each start (migration_warmup.hpp)
    // Told when a container's supervisor is gone, or its start was cancelled (the
    // registry destroys ephemeral containers then).
    std::function<void(Container&)> stopped = {};
};

class Container {
  public:
    using Done = std::function<void(const std::optional<Error>&)>;
    using Listener = std::function<void(Container&)>;

    Container(ManagerContext& ctx, std::string name, std::filesystem::path config_path);
    ~Container();
    Container(const Container&) = delete;
    Container& operator=(const Container&) = delete;

    const std::string& name() const { return name_; }
    const std::filesystem::path& config_path() const { return config_path_; }
    const config::Config& config() const { return config_; }
    State state() const { return state_; }
    pid_t init_pid() const { return init_pid_; }
    std::string unit() const; // "" when not running
    std::string control_group() const;
    bool active() const { return state_ != State::Stopped; }
    // Active, or STOPPED with its supervisor still tearing down or systemd's answer to
    // its scope still to come: the object must stay (the supervisor's connection, the
    // stop's callers and that answer hang on it).
    bool in_use() const { return active() || client_ != nullptr || handshake_; }

    // Re-reads the config file; throws Error(InvalidConfig) naming file:line.
    void load_config();
    // The same for readers (autostart, properties): a broken file keeps the last
    // good config, and a start reports its errors.
    void reload_config() noexcept;
    // Re-attaches to a supervisor that survived a daemon restart, if any.
    void adopt();

    // Each calls done exactly once; immediate refusals throw instead.
    void start(Done done);
    // Begins a start that a later start() completes: the supervisor is spawned and
    // systemd makes the scope, but the supervisor makes nothing of the container before
    // start() (it may share another's namespaces, which exist only once that one runs).
    // Autostart's next container is staged this way while the one before it starts
    // (autostart/runner.hpp). false when it is active already or could not begin
    // (logged; start() then tries afresh and reports). A staged start that fails before
    // start() is reported by start(), which throws it.
    bool stage() noexcept;
    bool staged() const { return staged_ != nullptr; }
    void stop(bool force, unsigned timeout_sec, Done done);
    void reboot(Done done);
    void kill(int signal, Done done);
    void freeze(Done done);
    void thaw(Done done);

    // Called on every state or PID change.
    void set_listener(Listener l) { listener_ = std::move(l); }

  private:
    // One start from its beginning to its answer. Held: staged, start() not called yet.
    struct StartCall {
        Done done;
        bool held = false;
        bool scope_ready = false;    // held, and systemd has made the scope
        std::optional<Error> failed; // held, and it failed meanwhile
        Done answer() const {
            return done ? done : [](const std::optional<Error>&) {};
        }
    };

    void begin_start(std::shared_ptr<StartCall> call);
    // Our supervisor child has not exited yet (a zombie has: a tracer may hold it from us).
    bool supervisor_alive() const;
    // systemd's answer for the scope.
    void scope_made(StartCall& call, const std::optional<Error>& err);
    void release(std::shared_ptr<StartCall> call, Done done);
    void send_start(Done done); // tells the supervisor "start", answers with its answer
    void require_running(const char* op) const;
    // require_running, and no stop sent: for every request but stop.
    void require_not_stopping(const char* op) const;
    void attach_client(std::unique_ptr<SupervisorClient> client);
    void update(State state, pid_t pid);
    void supervisor_gone();
    // held: a staged start, not yet released.
    void cancel_start(const Error& err, bool held);
    // systemd answered after the start's supervisor had gone.
    void supervisor_gone_before_start(const StartCall& call);
    void abort_start(const Error& err, const StartCall& call);
    // The supervisor answered "start" with an error.
    void fail_start(const Error& err, const Done& done);
    std::filesystem::path state_dir() const { return ctx_.run_dir / name_; }

    ManagerContext& ctx_;
    std::string name_;
    std::filesystem::path config_path_;
    config::Config config_;
    State state_ = State::Stopped;
    pid_t init_pid_ = 0;
    bool handshake_ = false;            // started, but the supervisor not yet told "start"
    bool stop_sent_ = false;            // until the supervisor exits
    std::shared_ptr<StartCall> staged_; // by stage(), until start()
    std::unique_ptr<SupervisorClient> client_;
    std::unique_ptr<SupervisorClient> retired_;    // closed, freed on the next loop turn
    std::vector<std::function<void()>> when_gone_; // run when the supervisor exits
    UniqueFd supervisor_pidfd_; // of our child, until it is gone and has cleaned up
    EventSource deferred_;
    NetworkKeeper network_;     // its network on the host, should the supervisor be killed
    SupervisorRemains remains_; // its state directory and cgroups, likewise
    Listener listener_;
};

} // namespace lxcd
