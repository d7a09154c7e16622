// Registry: copies, snapshots and restores (lxc-copy, lxc-snapshot). The files are
// made by a StorageJobs child (copy.hpp); here the names, the checks and the rollback.
#include "registry.hpp"

#include "config_parse.hpp"
#include "config_write.hpp"
#include "log.hpp"
#include "storage.hpp"

#include <algorithm>
#include <fstream>
#include <system_error>

namespace lxcd {

namespace fs = std::filesystem;

namespace {

void require_stopped(Container& c, const char* op) {
    if (c.active())
        throw Error(Errc::AlreadyRunning, "cannot " + std::string(op) + " '" + c.name() +
                                              "': it is running; stop it first");
}

} // namespace

fs::path Registry::snapshot_dir(const std::string& name, const std::string& snap) {
    validate_container_name(snap);
    fs::path dir = storage::snapshots_dir(lxcpath_ / name) / snap;
    if (!fs::exists(dir / "config"))
        throw Error(Errc::NoSuchContainer,
                    "container '" + name + "' has no snapshot named '" + snap + "'");
    return dir;
}

void Registry::run_copy(const CopyPlan& plan, std::function<void(bool ok)> finish, Done done) {
    // Its files are read until the job is done: no destroying it meanwhile.
    auto source = copying_.insert(plan.from_name);
    auto settle = [this, source, finish](bool ok) {
        copying_.erase(source);
        finish(ok);
    };
    try {
        jobs_.run([plan] { make_copy(plan); },
                  [settle, done = std::move(done)](const std::optional<Error>& err) {
                      try {
                          settle(!err);
                      } catch (const std::exception& e) { // e.g. std::filesystem_error
                          done(err ? err : std::optional<Error>(Error(Errc::Failed, e.what())));
                          return;
                      }
                      done(err);
                  });
    } catch (...) {
        settle(false); // no job: nothing made, nothing kept busy
        throw;
    }
}

std::function<void(bool ok)> Registry::make_new(const std::string& busy, const fs::path& dir,
                                                const std::string& name) {
    fs::create_directories(dir);
    config::save_config_text("", dir / storage::kUnfinished);
    busy_.insert(busy);
    return [this, busy, dir, name](bool ok) {
        busy_.erase(busy);
        std::error_code ec;
        if (!ok) {
            fs::remove_all(dir, ec); // no half-made container left behind
            return;
        }
        fs::remove(dir / storage::kUnfinished);
        if (!name.empty())
            add(name);
    };
}

void Registry::copy(const std::string& from, const std::string& to, const CopyOptions& options,
                    Done done) {
    Container& source = get(from);
    require_stopped(source, "copy");
    if (busy_.count(from))
        throw Error(Errc::Failed, "container '" + from + "' is being restored");
    fs::path to_lxcpath = options.lxcpath.empty() ? lxcpath_ : options.lxcpath;
    bool ours = fs::weakly_canonical(to_lxcpath) == fs::weakly_canonical(lxcpath_);
    fs::path to_dir = to_lxcpath / to;
    claim_new_name(to, to_dir);

    CopyPlan plan;
    plan.from_name = from;
    plan.from_dir = source.config_path().parent_path();
    plan.to_name = to;
    plan.to_dir = to_dir;
    plan.snapshot = options.snapshot || options.ephemeral; // lxc-copy -e: an overlay
    plan.ephemeral = options.ephemeral;
    run_copy(plan, make_new(to, to_dir, ours ? to : ""), std::move(done));
}

void Registry::snapshot(const std::string& name, SnapshotDone done) {
    Container& c = get(name);
    require_stopped(c, "snapshot");
    fs::path snaps = storage::snapshots_dir(lxcpath_ / name);
    unsigned n = 0;
    while (fs::exists(snaps / ("snap" + std::to_string(n))))
        n++;
    std::string snap = "snap" + std::to_string(n);
    std::string busy = name + "/snaps/" + snap;
    if (busy_.count(busy))
        throw Error(Errc::AlreadyExists, "a snapshot of '" + name + "' is being made");

    CopyPlan plan;
    plan.from_name = name;
    plan.from_dir = lxcpath_ / name;
    plan.to_name = snap;
    plan.to_dir = snaps / snap;
    // A dir rootfs is copied whole; an overlay's snapshot shares its lower.
    plan.snapshot = rootfs_is_overlay(c.config_path());
    plan.keep_name = plan.keep_hwaddrs = true;
    plan.clone_hooks = false;
    plan.timestamp = snapshot_timestamp();
    run_copy(plan, make_new(busy, plan.to_dir, ""),
             [done = std::move(done), snap](const std::optional<Error>& err) { done(err, snap); });
}

std::vector<SnapshotInfo> Registry::snapshots(const std::string& name) {
    get(name);
    std::vector<SnapshotInfo> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(storage::snapshots_dir(lxcpath_ / name), ec)) {
        if (!fs::exists(e.path() / "config") || fs::exists(e.path() / storage::kUnfinished))
            continue;
        SnapshotInfo info{e.path().filename().string(), ""};
        std::ifstream ts(e.path() / "ts");
        std::getline(ts, info.timestamp);
        out.push_back(std::move(info));
    }
    // snap2 before snap10
    std::sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
        return std::make_pair(a.name.size(), a.name) < std::make_pair(b.name.size(), b.name);
    });
    return out;
}

void Registry::restore(const std::string& name, const std::string& snap,
                       const std::string& new_name, Done done) {
    Container& c = get(name);
    fs::path snap_dir = snapshot_dir(name, snap);
    std::string target = new_name.empty() ? name : new_name;
    CopyPlan plan;
    plan.from_name = name; // a snapshot keeps its container's name
    plan.from_dir = snap_dir;
    plan.to_name = target;
    plan.to_dir = lxcpath_ / target;
    plan.snapshot = rootfs_is_overlay(snap_dir / "config");
    plan.keep_hwaddrs = true;
    plan.keep_name = target == name;
    plan.clone_hooks = false;

    if (target != name) {
        claim_new_name(target, plan.to_dir);
        run_copy(plan, make_new(target, plan.to_dir, target), std::move(done));
        return;
    }

    // In place: the container's own files move aside until the restore has worked.
    require_stopped(c, "restore a snapshot over");
    if (busy_.count(name))
        throw Error(Errc::Failed, "container '" + name + "' is being restored");
    if (c.config().rootfs_managed)
        refuse_dependents("the rootfs of '" + name + "'",
                          storage::base_dirs(c.config().rootfs_path), lxcpath_ / name);
    fs::path dir = lxcpath_ / name;
    storage::move_aside_for_restore(dir);
    busy_.insert(name);
    run_copy(
        plan,
        [this, name, dir](bool ok) {
            busy_.erase(name);
            std::error_code ec;
            if (ok)
                fs::remove_all(dir / storage::kRestoreAside, ec);
            else
                storage::roll_back_restore(dir);
            if (Container* restored = find(name))
                restored->reload_config();
        },
        std::move(done));
}

void Registry::recover_interrupted() {
    std::error_code ec;
    auto drop_unfinished = [&](const fs::path& dir) {
        if (!fs::exists(dir / storage::kUnfinished, ec))
            return false;
        fs::remove_all(dir, ec);
        log::info("removed " + dir.string() + ": its copy was interrupted");
        return true;
    };
    for (const auto& e : fs::directory_iterator(lxcpath_, ec)) {
        if (drop_unfinished(e.path()))
            continue;
        if (fs::exists(e.path() / storage::kRestoreAside, ec)) {
            storage::roll_back_restore(e.path());
            log::info("rolled back an interrupted restore of " + e.path().string());
        }
        for (const auto& snap : fs::directory_iterator(storage::snapshots_dir(e.path()), ec))
            drop_unfinished(snap.path());
        ec.clear();
    }
}

void Registry::destroy_snapshot(const std::string& name, const std::string& snap) {
    get(name);
    fs::path dir = snapshot_dir(name, snap);
    if (busy_.count(name + "/snaps/" + snap))
        throw Error(Errc::Failed, "snapshot '" + snap + "' of '" + name + "' is being made");
    auto parsed = config::parse_file(dir / "config");
    refuse_dependents("snapshot '" + snap + "' of '" + name + "'",
                      storage::base_dirs(parsed.config.rootfs_path), dir);
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec)
        throw Error(Errc::System, "cannot remove " + dir.string() + ": " + ec.message());
}

} // namespace lxcd
