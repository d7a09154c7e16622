// Where a container's storage lives (LXC's layout) and who depends on it.
//   /var/lib/lxc/NAME/rootfs                    a directory rootfs
//   /var/lib/lxc/NAME/overlay/{delta,work}      an overlay snapshot's upper and work dirs
//   /var/lib/lxc/NAME/snaps/snapN/{config,ts}   snapshots, each a container of its own
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lxcd::storage {

std::filesystem::path dir_rootfs(const std::filesystem::path& container_dir);
std::filesystem::path overlay_delta(const std::filesystem::path& container_dir);
std::filesystem::path overlay_work(const std::filesystem::path& container_dir);
std::filesystem::path snapshots_dir(const std::filesystem::path& container_dir);

// A copy or snapshot being made has this file in its directory until it is complete;
// one lxcd finds at start was interrupted (lxcd died) and is removed.
inline constexpr const char* kUnfinished = ".lxcd-unfinished";
// A restore over a container moves its files here until the restore has worked; one
// lxcd finds at start was interrupted and is rolled back.
inline constexpr const char* kRestoreAside = ".lxcd-restore";

// Moves the container's own files (all but snaps/) into kRestoreAside.
void move_aside_for_restore(const std::filesystem::path& container_dir);
// Moves what kRestoreAside of container_dir holds back, dropping what a restore put
// in its place (the snaps/ directory stays).
void roll_back_restore(const std::filesystem::path& container_dir);

// lxc.rootfs.path values: "dir:PATH" and "overlay:LOWER:UPPER".
std::string dir_value(const std::filesystem::path& rootfs);
std::string overlay_value(const std::string& lower, const std::filesystem::path& upper);

// The directories a rootfs value keeps its files in that an overlay may take as a
// lower: the directory of a dir rootfs, nothing for an overlay (its upper is private).
std::vector<std::filesystem::path> base_dirs(const std::string& rootfs_path);

// Configs under lxcpath (containers and their snapshots) whose overlay rootfs has a
// lower directory equal to or below one of `bases`, as "NAME" or "NAME/snaps/SNAP";
// configs inside `except` (the container going away with the bases) are left out.
std::vector<std::string> find_dependents(const std::filesystem::path& lxcpath,
                                         const std::vector<std::filesystem::path>& bases,
                                         const std::filesystem::path& except);

// What find_dependents reads from one config's lxc.rootfs.path: its overlay lowers.
std::vector<std::filesystem::path> overlay_lowers_of(const std::string& rootfs_path);

} // namespace lxcd::storage
