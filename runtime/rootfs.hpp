// The container's root filesystem: lxc.rootfs.path ("dir:", plain path,
// "overlay:"/"overlayfs:" lower:upper), lxc.rootfs.mount, lxc.rootfs.options,
// and the final pivot_root with the old root detached (never chroot).
#pragma once

#include "config.hpp"
#include "fd.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace lxcd::runtime {

struct RootfsSpec {
    enum class Kind { Dir, Overlay } kind = Kind::Dir;
    std::string path;  // Dir: the directory
    std::string lower; // Overlay: one or more directories, ':'-separated
    std::string upper; // Overlay
    std::string work;  // Overlay: sibling "work" of upper, as LXC 3+ uses
};

// Pure parse of lxc.rootfs.path. Throws Error(InvalidConfig) for unknown types.
RootfsSpec parse_rootfs_path(const std::string& value);

// The lower directories of an overlay rootfs, in order.
std::vector<std::string> overlay_lowers(const RootfsSpec& spec);

// Where the rootfs gets mounted before pivot_root (LXC_ROOTFS_MOUNT).
std::string rootfs_mount_point(const config::Config& cfg, const RootfsSpec& spec);

// Checks, before anything is created, that the rootfs exists (clear error if not).
void check_rootfs(const RootfsSpec& spec);

// Creates the overlay's work directory (host side), owned by the container's root.
void prepare_overlay_workdir(const RootfsSpec& spec, uid_t owner, gid_t group);

// In the container's new mount namespace: makes "/" a slave tree, mounts the
// rootfs at its mount point (attaching `idmapped_tree` instead when idmap= asked for
// one, see idmapped_mounts.hpp) and returns an O_PATH fd on it.
UniqueFd mount_rootfs(const config::Config& cfg, const RootfsSpec& spec, int idmapped_tree = -1);

// pivot_root into the rootfs and detach the old root: afterwards no host path is reachable.
void pivot_into(int root_fd);

} // namespace lxcd::runtime
