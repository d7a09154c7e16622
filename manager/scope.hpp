// Each running container is one transient systemd scope, lxc-<name>.scope in
// lxc.slice, with Delegate=yes so the supervisor may build the container's
// own cgroups inside it (runtime/cgroup.hpp). Talks to systemd over the
// system bus; methods that wait for a systemd job answer asynchronously
// through the connection's event loop.
#pragma once

#include "config.hpp"
#include "error.hpp"
#include "unit_name.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>
#include <sys/types.h>

namespace lxcd {

inline constexpr const char* kContainerSlice = "lxc.slice";

class ScopeManager {
  public:
    // Called once a job has finished: nullopt on success, else systemd's error.
    using Done = std::function<void(const std::optional<Error>&)>;

    // The connection must be driven by an event loop (EventLoop::attach_bus).
    explicit ScopeManager(sdbus::IConnection& bus);
    ~ScopeManager();
    ScopeManager(const ScopeManager&) = delete;
    ScopeManager& operator=(const ScopeManager&) = delete;

    // StartTransientUnit for the container's scope_unit_name() holding `pid`, with
    // conf's limits mirrored as systemd properties; done runs when the start job
    // has finished. Invalid limit values throw Error(InvalidConfig) before anything is asked.
    void start_scope(const std::string& container, pid_t pid, const config::Config& conf,
                     Done done);
    // StopUnit; done runs when the stop job has finished (or at once if the
    // unit is already gone).
    void stop_scope(const std::string& unit, Done done);
    // StopUnit for the scope of a container whose supervisor has exited, with nobody
    // waiting: systemd removes the emptied unit on its own time. Until it has, a
    // start_scope() for that container waits, so a start right after never meets the old
    // unit. A failure is logged (the next start reports a unit that stayed).
    void retire_scope(const std::string& container) noexcept;
    // KillUnit(unit, "all", signal).
    void kill_scope(const std::string& unit, int signal);
    // The unit's ControlGroup ("/lxc.slice/lxc-c1.scope"), nullopt if not loaded.
    std::optional<std::string> control_group(const std::string& unit);
    // The unit's ActiveState ("active", "inactive", ...), "inactive" if not loaded.
    std::string active_state(const std::string& unit);
    bool is_active(const std::string& unit) { return active_state(unit) == "active"; }

  private:
    using Properties = std::vector<sdbus::Struct<std::string, sdbus::Variant>>;

    struct PendingJob {
        std::string unit;
        std::string verb; // "start" or "stop", for messages
        Done done;
    };

    void ask_start(const std::string& unit, const Properties& props, Done done);
    void watch_job(const sdbus::ObjectPath& job, PendingJob pending);
    void on_job_removed(const sdbus::ObjectPath& job, const std::string& unit,
                        const std::string& result);
    std::optional<sdbus::ObjectPath> unit_path(const std::string& unit);

    sdbus::IConnection& bus_;
    std::unique_ptr<sdbus::IProxy> systemd_;
    std::multimap<std::string, PendingJob> jobs_; // by job object path; merged jobs share one
    // Units retire_scope() is stopping, with the starts that wait for them.
    std::map<std::string, std::vector<std::function<void()>>> retiring_;
};

} // namespace lxcd
