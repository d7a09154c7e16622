#include "scope.hpp"

#include "fd.hpp"
#include "log.hpp"
#include "scope_limits.hpp"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace lxcd {

namespace {

constexpr const char* kSystemd = "org.freedesktop.systemd1";
constexpr const char* kSystemdPath = "/org/freedesktop/systemd1";
constexpr const char* kManagerIface = "org.freedesktop.systemd1.Manager";
constexpr const char* kUnitIface = "org.freedesktop.systemd1.Unit";
constexpr const char* kScopeIface = "org.freedesktop.systemd1.Scope";
constexpr const char* kNoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";

using Property = sdbus::Struct<std::string, sdbus::Variant>;
using AuxUnit = sdbus::Struct<std::string, std::vector<Property>>;

Error bus_error(const std::string& what, const sdbus::Error& e) {
    Errc code = Errc::Failed;
    if (e.getName() == "org.freedesktop.systemd1.UnitExists")
        code = Errc::AlreadyRunning;
    else if (e.getName() == "org.freedesktop.DBus.Error.AccessDenied" ||
             e.getName() == "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")
        code = Errc::AccessDenied;
    else if (e.getName() == kNoSuchUnit)
        code = Errc::NotRunning;
    return Error(code, what + ": " + e.getName() + ": " + e.getMessage());
}

template <typename T>
void add(std::vector<Property>& props, const char* name, const std::optional<T>& value) {
    if (value)
        props.emplace_back(std::string(name), sdbus::Variant(*value));
}

std::vector<Property> scope_properties(const std::string& container, pid_t pid,
                                       const config::Config& conf) {
    ScopeLimits limits = scope_limits(conf);
    std::vector<Property> props;
    props.emplace_back("Description", sdbus::Variant("LXC container " + container));
    // At host shutdown lxc-autostart.service stops containers cleanly first.
    props.emplace_back("Before", sdbus::Variant(std::vector<std::string>{"lxc-autostart.service"}));
    props.emplace_back("Slice", sdbus::Variant(std::string(kContainerSlice)));
    props.emplace_back("Delegate", sdbus::Variant(true));
    props.emplace_back("PIDs", sdbus::Variant(std::vector<uint32_t>{static_cast<uint32_t>(pid)}));
    // Do not keep a failed scope around: the next start reuses the name.
    props.emplace_back("CollectMode", sdbus::Variant(std::string("inactive-or-failed")));
    // Every controller realised for the scope (on hybrid hosts too: v1 blkio, cpuacct),
    // so the payload below it has them for lxcctl info's usage figures.
    for (const char* accounting :
         {"CPUAccounting", "MemoryAccounting", "TasksAccounting", "IOAccounting"})
        props.emplace_back(accounting, sdbus::Variant(true));
    add(props, "MemoryMax", limits.memory_max);
    add(props, "MemoryHigh", limits.memory_high);
    add(props, "TasksMax", limits.tasks_max);
    add(props, "CPUWeight", limits.cpu_weight);
    add(props, "CPUShares", limits.cpu_shares);
    add(props, "CPUQuotaPerSecUSec", limits.cpu_quota_per_sec_usec);
    add(props, "CPUQuotaPeriodUSec", limits.cpu_quota_period_usec);
    add(props, "AllowedCPUs", limits.allowed_cpus);
    add(props, "AllowedMemoryNodes", limits.allowed_memory_nodes);
    return props;
}

} // namespace

ScopeManager::ScopeManager(sdbus::IConnection& bus)
    : bus_(bus), systemd_(sdbus::createProxy(bus, kSystemd, kSystemdPath)) {
    // systemd sends JobRemoved to the client that queued the job.
    systemd_->uponSignal("JobRemoved")
        .onInterface(kManagerIface)
        .call([this](uint32_t, const sdbus::ObjectPath& job, const std::string& unit,
                     const std::string& result) { on_job_removed(job, unit, result); });
    systemd_->finishRegistration();
}

ScopeManager::~ScopeManager() = default;

void ScopeManager::start_scope(const std::string& container, pid_t pid, const config::Config& conf,
                               Done done) {
    const std::string unit = scope_unit_name(container);
    Properties props = scope_properties(container, pid, conf);
    auto retiring = retiring_.find(unit);
    if (retiring == retiring_.end()) {
        ask_start(unit, props, std::move(done));
        return;
    }
    // Checked before asking: a process that died meanwhile, its PID reused, must not be
    // put in the scope.
    auto process = std::make_shared<UniqueFd>(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    retiring->second.push_back([this, unit, props, done, process] {
        pollfd exited{process->get(), POLLIN, 0};
        if (!*process || ::poll(&exited, 1, 0) != 0) {
            done(Error(Errc::Failed, "cannot start " + unit +
                                         ": its process exited while the previous one went away"));
            return;
        }
        try {
            ask_start(unit, props, done);
        } catch (const sdbus::Error& e) {
            done(bus_error("cannot start " + unit, e));
        }
    });
}

void ScopeManager::ask_start(const std::string& unit, const Properties& props, Done done) {
    systemd_->callMethodAsync("StartTransientUnit")
        .onInterface(kManagerIface)
        .withArguments(unit, std::string("fail"), props, std::vector<AuxUnit>{})
        .uponReplyInvoke(
            [this, unit, done = std::move(done)](const sdbus::Error* err, sdbus::ObjectPath job) {
                if (err) {
                    done(bus_error("cannot start " + unit, *err));
                    return;
                }
                watch_job(job, PendingJob{unit, "start", done});
            });
}

void ScopeManager::stop_scope(const std::string& unit, Done done) {
    systemd_->callMethodAsync("StopUnit")
        .onInterface(kManagerIface)
        .withArguments(unit, std::string("replace"))
        .uponReplyInvoke(
            [this, unit, done = std::move(done)](const sdbus::Error* err, sdbus::ObjectPath job) {
                if (err && err->getName() == kNoSuchUnit) {
                    done(std::nullopt); // already gone: what stopping wants
                    return;
                }
                if (err) {
                    done(bus_error("cannot stop " + unit, *err));
                    return;
                }
                watch_job(job, PendingJob{unit, "stop", done});
            });
}

void ScopeManager::retire_scope(const std::string& container) noexcept {
    const std::string unit = scope_unit_name(container);
    if (!retiring_.try_emplace(unit).second)
        return; // its stop job is asked for already
    auto retired = [this, unit, container](const std::optional<Error>& err) {
        if (err)
            log::container(log::Level::Warning, container, err->what());
        auto entry = retiring_.find(unit);
        std::vector<std::function<void()>> waiting = std::move(entry->second);
        retiring_.erase(entry); // before the starts: one may retire it again
        for (auto& start : waiting)
            start();
    };
    try {
        stop_scope(unit, retired);
    } catch (const sdbus::Error& e) {
        retired(bus_error("cannot stop " + unit, e)); // the waiting starts try anyway
    }
}

void ScopeManager::kill_scope(const std::string& unit, int signal) {
    try {
        systemd_->callMethod("KillUnit")
            .onInterface(kManagerIface)
            .withArguments(unit, std::string("all"), int32_t(signal));
    } catch (const sdbus::Error& e) {
        throw bus_error("cannot kill " + unit, e);
    }
}

std::optional<sdbus::ObjectPath> ScopeManager::unit_path(const std::string& unit) {
    sdbus::ObjectPath path;
    try {
        systemd_->callMethod("GetUnit")
            .onInterface(kManagerIface)
            .withArguments(unit)
            .storeResultsTo(path);
    } catch (const sdbus::Error& e) {
        if (e.getName() == kNoSuchUnit)
            return std::nullopt;
        throw bus_error("cannot look up " + unit, e);
    }
    return path;
}

std::optional<std::string> ScopeManager::control_group(const std::string& unit) {
    auto path = unit_path(unit);
    if (!path)
        return std::nullopt;
    try {
        auto proxy = sdbus::createProxy(bus_, kSystemd, *path);
        return proxy->getProperty("ControlGroup").onInterface(kScopeIface).get<std::string>();
    } catch (const sdbus::Error& e) {
        throw bus_error("cannot read ControlGroup of " + unit, e);
    }
}

std::string ScopeManager::active_state(const std::string& unit) {
    auto path = unit_path(unit);
    if (!path)
        return "inactive";
    try {
        auto proxy = sdbus::createProxy(bus_, kSystemd, *path);
        return proxy->getProperty("ActiveState").onInterface(kUnitIface).get<std::string>();
    } catch (const sdbus::Error& e) {
        throw bus_error("cannot read ActiveState of " + unit, e);
    }
}

void ScopeManager::watch_job(const sdbus::ObjectPath& job, PendingJob pending) {
    // systemd merges a second StopUnit of a unit into the job already queued and
    // answers with its path: every caller waits for that one job.
    jobs_.emplace(job, std::move(pending));
}

void ScopeManager::on_job_removed(const sdbus::ObjectPath& job, const std::string& unit,
                                  const std::string& result) {
    auto [first, last] = jobs_.equal_range(job);
    std::vector<PendingJob> finished;
    for (auto it = first; it != last; ++it)
        finished.push_back(std::move(it->second));
    jobs_.erase(first, last); // before the callbacks: they may queue new jobs
    for (auto& pending : finished) {
        if (result == "done")
            pending.done(std::nullopt);
        else
            pending.done(Error(Errc::Failed, "systemd could not " + pending.verb + " " + unit +
                                                 ": job " + result + " (see `journalctl -u " +
                                                 unit + "`)"));
    }
}

} // namespace lxcd
