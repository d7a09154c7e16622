// Opening paths inside a container's root filesystem without ever leaving it:
// every lookup goes through openat2(RESOLVE_IN_ROOT), so ".." and absolute
// symlinks are clamped to the rootfs (the manual's symlink/TOCTTOU warning).
#pragma once

#include "fd.hpp"

#include <string>

namespace lxcd::runtime {

enum class CreateKind { None, Dir, File };

// Opens `path` (relative to `root_fd`, leading '/' ignored) as an O_PATH fd.
// With CreateKind::Dir missing directories are created (0755); with
// CreateKind::File the parents are created and the last component as an empty file.
UniqueFd open_in_root(int root_fd, const std::string& path, CreateKind create = CreateKind::None);

// "/proc/self/fd/N": a path the kernel resolves to exactly the opened object,
// for syscalls (mount(2)) that take a path but no fd.
std::string fd_path(int fd);

} // namespace lxcd::runtime
