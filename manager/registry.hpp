// All containers under one LXC path (/var/lib/lxc by default): discovery,
// creation from a template, and destruction.
#pragma once

#include "container.hpp"
#include "copy.hpp"
#include "storage_job.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace lxcd {

struct CreateOptions {
    std::string template_name; // "busybox" or "none"
    std::string extra_config;  // appended to the generated config
};

struct CopyOptions {
    bool snapshot = false;         // an overlay over the source's rootfs instead of a full copy
    bool ephemeral = false;        // lxc.ephemeral = 1: destroyed when it stops
    std::filesystem::path lxcpath; // where the copy goes; empty: this registry's
};

struct SnapshotInfo {
    std::string name;      // snapN
    std::string timestamp; // its ts file, LXC's "YYYY:MM:DD HH:MM:SS"
};

class Registry {
  public:
    using Listener = std::function<void(Container&, bool added)>;
    using Done = Container::Done;
    using SnapshotDone = std::function<void(const std::optional<Error>&, const std::string& snap)>;

    Registry(ManagerContext& ctx, std::filesystem::path lxcpath);
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Rescans lxcpath: adds new containers, drops removed ones that are not running.
    void scan();
    Container* find(const std::string& name);
    Container& get(const std::string& name); // throws NoSuchContainer
    std::vector<Container*> all();

    Container& create(const std::string& name, const CreateOptions& options);
    // The container must be stopped, and no overlay clone may use its rootfs (or a
    // snapshot's) as lower. Runs lxc.hook.destroy; with lxc.rootfs.managed = 0 the
    // rootfs storage stays.
    void destroy(const std::string& name);

    // lxc-copy: `from` must be stopped; `to` appears once complete, or not at all.
    void copy(const std::string& from, const std::string& to, const CopyOptions& options,
              Done done);
    // lxc-snapshot: snapN of a stopped container in its snaps/ directory.
    void snapshot(const std::string& name, SnapshotDone done);
    std::vector<SnapshotInfo> snapshots(const std::string& name);
    // Restores snap as new_name ("" or name itself: replaces the stopped container's
    // rootfs and config, its snapshots stay).
    void restore(const std::string& name, const std::string& snap, const std::string& new_name,
                 Done done);
    void destroy_snapshot(const std::string& name, const std::string& snap);
    // At daemon start, before scan(): removes copies and snapshots whose making was
    // interrupted (lxcd died meanwhile) and rolls back interrupted restores.
    void recover_interrupted();
    // At daemon start: ephemeral containers that are not running were meant to be gone.
    void destroy_stopped_ephemeral();

    void set_listener(Listener l) { listener_ = std::move(l); }
    const std::filesystem::path& lxcpath() const { return lxcpath_; }

  private:
    Container& add(const std::string& name);
    // Refuses a name in use, on disk or being made.
    void claim_new_name(const std::string& name, const std::filesystem::path& dir);
    // Throws naming the configs whose overlay rootfs has one of bases as lower.
    void refuse_dependents(const std::string& what, const std::vector<std::filesystem::path>& bases,
                           const std::filesystem::path& except);
    void run_copy(const CopyPlan& plan, std::function<void(bool ok)> finish, Done done);
    // Marks `busy` as being made; the returned finish removes dir after a failure or
    // registers name ("" : nothing to register) after a success.
    std::function<void(bool ok)> make_new(const std::string& busy, const std::filesystem::path& dir,
                                          const std::string& name);
    void container_stopped(Container& c);
    std::filesystem::path snapshot_dir(const std::string& name, const std::string& snap);

    ManagerContext& ctx_;
    std::filesystem::path lxcpath_;
    std::map<std::string, std::unique_ptr<Container>> containers_;
    std::set<std::string> busy_;         // names a copy or restore is making
    std::multiset<std::string> copying_; // containers a copy, snapshot or restore reads
    StorageJobs jobs_;
    std::map<std::string, EventSource> ephemeral_destroy_; // on the loop turn after a stop
    Listener listener_;
};

// LXC accepts almost any file name; we accept what is safe as a directory name,
// a unit name and a bus path: [A-Za-z0-9_.-], not starting with '.' or '-', ≤ 64 chars.
// Throws Error(InvalidArgument) naming the problem.
void validate_container_name(const std::string& name);

} // namespace lxcd
