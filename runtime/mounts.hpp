// Filling a container's rootfs before pivot_root: lxc.mount.auto, lxc.mount.entry
// and lxc.mount.fstab. Runs in the container's mount namespace; every target is
// resolved inside the rootfs (see in_root.hpp).
#pragma once

#include "config.hpp"
#include "mount_options.hpp"

#include <string>
#include <vector>

namespace lxcd::runtime {

// Parses the text of an lxc.mount.fstab file ("source target type options [freq
// passno]" per line, '#' comments). Targets are made rootfs-relative. Errors
// name file:line.
std::vector<config::MountEntry> parse_fstab(const std::string& text, const std::string& file);

// The lxc.mount.entry lines, then those of the lxc.mount.fstab file (read now).
std::vector<config::MountEntry> all_mount_entries(const config::Config& cfg);

// "lxc.mount.entry 'SOURCE TARGET TYPE OPTIONS'", for error messages.
std::string mount_entry_name(const config::MountEntry& entry);

// One lxc.mount.entry: creates the target if asked, mounts, honours `optional`.
// A `relative` source is resolved inside the rootfs like the target. An idmap= entry
// attaches `idmapped_tree`, prepared by the parent (see idmapped_mounts.hpp).
void mount_entry(int root_fd, const config::MountEntry& entry, int idmapped_tree = -1);

// proc and sys filesystems as lxc.mount.auto asks, writable for now so that sysctls
// and mount entries can still be applied; see restrict_auto_mounts.
void mount_auto(int root_fd, const std::vector<AutoMount>& autos, bool owns_netns);
// lxc.mount.auto's cgroup filesystems: after the mount entries (as LXC), and in the
// container's cgroup namespace, so that they are rooted at its own cgroup.
void mount_auto_cgroups(int root_fd, const std::vector<AutoMount>& autos);

// Makes the auto mounts read-only / mixed as requested.
void restrict_auto_mounts(int root_fd, const std::vector<AutoMount>& autos, bool owns_netns,
                          bool keeps_sys_admin);

} // namespace lxcd::runtime
