// Making one container from another's files, as lxc-copy / lxc-snapshot do: the new
// rootfs (a full copy, or an overlay whose lower is the source's rootfs), the
// rewritten config (clone_config.hpp) and lxc.hook.clone run with the new rootfs
// mounted. Runs inside a StorageJobs child (storage_job.hpp): it may mount.
#pragma once

#include <filesystem>
#include <string>

namespace lxcd {

struct CopyPlan {
    std::string from_name;
    std::filesystem::path from_dir; // holds the source's config (a container or snapshot)
    std::string to_name;
    std::filesystem::path to_dir; // created if missing
    // An overlay over the source's rootfs (a dir source), or over its lower with a
    // copy of its upper (an overlay source); otherwise a full copy of the files.
    bool snapshot = false;
    bool keep_name = false;    // snapshots and restores keep lxc.uts.name ...
    bool keep_hwaddrs = false; // ... and the MAC addresses
    bool ephemeral = false;    // lxc.ephemeral = 1 in the copy
    bool clone_hooks = true;   // run lxc.hook.clone
    std::string timestamp;     // non-empty: written to to_dir/ts (snapshots)
};

// Does the whole copy; throws Error naming what failed. What it made stays for the
// caller to remove.
void make_copy(const CopyPlan& plan);

// Whether the source's rootfs is an overlay (snapshots of it are overlays too).
bool rootfs_is_overlay(const std::filesystem::path& config);

// LXC's snapshot timestamp format, "2026:11:30 19:24:02" (local time).
std::string snapshot_timestamp();

} // namespace lxcd
