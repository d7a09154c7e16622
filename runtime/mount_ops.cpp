#include "mount_ops.hpp"

#include "error.hpp"
#include "in_root.hpp"

#include <fcntl.h>
#include <sys/mount.h>

namespace lxcd::runtime {

namespace {

__u64 to_mount_attr(unsigned long ms_flags, __u64& clear) {
    __u64 attr = 0;
    if (ms_flags & MS_RDONLY)
        attr |= MOUNT_ATTR_RDONLY;
    if (ms_flags & MS_NOSUID)
        attr |= MOUNT_ATTR_NOSUID;
    if (ms_flags & MS_NODEV)
        attr |= MOUNT_ATTR_NODEV;
    if (ms_flags & MS_NOEXEC)
        attr |= MOUNT_ATTR_NOEXEC;
    if (ms_flags & MS_NODIRATIME)
        attr |= MOUNT_ATTR_NODIRATIME;
    // The atime modes are one field: setting one needs the field cleared.
    __u64 atime = ms_flags & MS_NOATIME       ? MOUNT_ATTR_NOATIME
                  : ms_flags & MS_STRICTATIME ? MOUNT_ATTR_STRICTATIME
                  : ms_flags & MS_RELATIME    ? MOUNT_ATTR_RELATIME
                                              : UINT64_MAX;
    if (atime != UINT64_MAX) {
        attr |= atime;
        clear |= MOUNT_ATTR__ATIME;
    }
    return attr;
}

} // namespace

UniqueFd clone_tree(int dirfd, const std::string& source, bool recursive) {
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
    if (source.empty())
        flags |= AT_EMPTY_PATH;
    UniqueFd tree(::open_tree(dirfd, source.c_str(), flags));
    if (!tree)
        throw_errno("clone mount tree " + (source.empty() ? fd_path(dirfd) : source));
    return tree;
}

void set_mount_flags(int mount_fd, unsigned long ms_flags, bool recursive) {
    mount_attr attr{};
    attr.attr_set = to_mount_attr(ms_flags, attr.attr_clr);
    if (attr.attr_set == 0)
        return;
    if (::mount_setattr(mount_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                        sizeof(attr)) < 0)
        throw_errno("set mount attributes");
}

void set_mount_idmap(int tree_fd, int userns_fd, bool recursive) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<__u64>(userns_fd);
    if (::mount_setattr(tree_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                        sizeof(attr)) < 0)
        throw_errno("idmap mount");
}

void attach_tree(int tree_fd, int target_fd) {
    if (::move_mount(tree_fd, "", target_fd, "",
                     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        throw_errno("attach mount");
}

void bind_mount(const std::string& source, int target_fd, const MountOptions& opts) {
    UniqueFd tree = clone_tree(AT_FDCWD, source, opts.recursive);
    set_mount_flags(tree.get(), opts.flags, opts.recursive);
    attach_tree(tree.get(), target_fd);
}

void mount_filesystem(const std::string& source, const std::string& fstype, int target_fd,
                      unsigned long flags, const std::string& data) {
    if (::mount(source.c_str(), fd_path(target_fd).c_str(), fstype.c_str(), flags,
                data.empty() ? nullptr : data.c_str()) < 0)
        throw_errno("mount " + fstype + " '" + source + "'");
}

void set_propagation(int target_fd, unsigned long propagation) {
    if (::mount(nullptr, fd_path(target_fd).c_str(), nullptr, propagation, nullptr) < 0)
        throw_errno("set mount propagation");
}

} // namespace lxcd::runtime
