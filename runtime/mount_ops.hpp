// Small mount primitives on fds (new mount API): every target is an fd that
// was resolved inside the rootfs, so nothing is looked up by path twice.
#pragma once

#include "fd.hpp"
#include "mount_options.hpp"

#include <string>

namespace lxcd::runtime {

// Detached copy of the mount tree at `source` (relative to `dirfd`).
UniqueFd clone_tree(int dirfd, const std::string& source, bool recursive);

// Applies MS_RDONLY/NOSUID/NODEV/NOEXEC/atime flags to a mount (or detached tree).
void set_mount_flags(int mount_fd, unsigned long ms_flags, bool recursive);

// Idmaps a detached tree with the user namespace `userns_fd` (MOUNT_ATTR_IDMAP).
void set_mount_idmap(int tree_fd, int userns_fd, bool recursive);

// Attaches a detached tree onto the object `target_fd` refers to.
void attach_tree(int tree_fd, int target_fd);

// Binds `source` (a path, resolved by the caller's root) onto `target_fd` with the given flags.
void bind_mount(const std::string& source, int target_fd, const MountOptions& opts);

// Mounts a new filesystem instance onto `target_fd`.
void mount_filesystem(const std::string& source, const std::string& fstype, int target_fd,
                      unsigned long flags, const std::string& data);

// Changes the propagation type of the mount at `target_fd`.
void set_propagation(int target_fd, unsigned long propagation);

} // namespace lxcd::runtime
