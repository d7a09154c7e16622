#include "rootfs.hpp"

#include "error.hpp"
#include "in_root.hpp"
#include "mount_ops.hpp"
#include "mount_options.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>

namespace lxcd::runtime {

RootfsSpec parse_rootfs_path(const std::string& value) {
    RootfsSpec spec;
    if (value.empty())
        throw Error(Errc::InvalidConfig, "lxc.rootfs.path is not set");
    size_t colon = value.find(':');
    std::string type = colon == std::string::npos ? "" : value.substr(0, colon);
    if (type.empty() || value[0] == '/') {
        spec.path = value;
        return spec;
    }
    std::string rest = value.substr(colon + 1);
    if (type == "dir") {
        spec.path = rest;
    } else if (type == "overlay" || type == "overlayfs") {
        // LXC: the upper directory follows the last ':'; before it one or more lowers.
        size_t sep = rest.rfind(':');
        if (sep == std::string::npos || sep == 0 || sep + 1 == rest.size())
            throw Error(Errc::InvalidConfig,
                        "lxc.rootfs.path: overlay needs 'overlay:LOWER:UPPER', got '" + value +
                            "'");
        spec.kind = RootfsSpec::Kind::Overlay;
        spec.lower = rest.substr(0, sep);
        spec.upper = rest.substr(sep + 1);
        // LXC 3+: the work directory is "work" beside the upper one
        // (/var/lib/lxc/NAME/overlay/{delta,work} for lxc-copy's snapshots).
        spec.work = std::filesystem::path(spec.upper).parent_path() / "work";
    } else {
        throw Error(Errc::InvalidConfig,
                    "lxc.rootfs.path: unsupported storage type '" + type + "' in '" + value + "'");
    }
    return spec;
}

std::vector<std::string> overlay_lowers(const RootfsSpec& spec) {
    std::vector<std::string> out;
    for (size_t start = 0; start <= spec.lower.size();) {
        size_t end = spec.lower.find(':', start);
        if (end == std::string::npos)
            end = spec.lower.size();
        if (end > start)
            out.push_back(spec.lower.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

namespace {
std::string first_lower(const RootfsSpec& spec) {
    return spec.lower.substr(0, spec.lower.find(':'));
}
} // namespace

std::string rootfs_mount_point(const config::Config& cfg, const RootfsSpec& spec) {
    if (!cfg.rootfs_mount.empty())
        return cfg.rootfs_mount;
    // We are in a private mount namespace: mounting over the source itself leaves the
    // host untouched and needs no extra directory.
    return spec.kind == RootfsSpec::Kind::Dir ? spec.path : first_lower(spec);
}

void check_rootfs(const RootfsSpec& spec) {
    auto check_dir = [](const std::string& p) {
        struct stat st {};
        if (::stat(p.c_str(), &st) < 0)
            throw_errno("rootfs '" + p + "'");
        if (!S_ISDIR(st.st_mode))
            throw Error(Errc::InvalidConfig, "rootfs '" + p + "' is not a directory");
    };
    if (spec.kind == RootfsSpec::Kind::Dir) {
        check_dir(spec.path);
    } else {
        for (const auto& lower : overlay_lowers(spec))
            check_dir(lower);
        check_dir(spec.upper);
    }
}

void prepare_overlay_workdir(const RootfsSpec& spec, uid_t owner, gid_t group) {
    if (spec.kind != RootfsSpec::Kind::Overlay)
        return;
    if (::mkdir(spec.work.c_str(), 0700) < 0 && errno != EEXIST)
        throw_errno("overlay work directory '" + spec.work + "'");
    if (::chown(spec.work.c_str(), owner, group) < 0)
        throw_errno("chown overlay work directory '" + spec.work + "'");
}

UniqueFd mount_rootfs(const config::Config& cfg, const RootfsSpec& spec, int idmapped_tree) {
    // Nothing we mount may propagate back to the host; host changes still reach us.
    if (::mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr) < 0)
        throw_errno("make / a slave mount");

    std::string mount_point = rootfs_mount_point(cfg, spec);
    MountOptions opts = parse_mount_options(cfg.rootfs_options);
    UniqueFd target(::open(mount_point.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!target)
        throw_errno("rootfs mount point '" + mount_point + "'");

    if (idmapped_tree >= 0) {
        attach_tree(idmapped_tree, target.get());
    } else if (spec.kind == RootfsSpec::Kind::Dir) {
        opts.recursive = true;
        bind_mount(spec.path, target.get(), opts);
    } else {
        std::string data =
            "lowerdir=" + spec.lower + ",upperdir=" + spec.upper + ",workdir=" + spec.work;
        if (!opts.data.empty())
            data += "," + opts.data;
        mount_filesystem("overlay", "overlay", target.get(), opts.flags, data);
    }
    UniqueFd root(::open(mount_point.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root)
        throw_errno("open mounted rootfs '" + mount_point + "'");
    return root;
}

void pivot_into(int root_fd) {
    if (::fchdir(root_fd) < 0)
        throw_errno("chdir to rootfs");
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching "."
    // then removes it without needing a directory for it inside the rootfs.
    if (::syscall(SYS_pivot_root, ".", ".") < 0)
        throw_errno("pivot_root");
    if (::umount2(".", MNT_DETACH) < 0)
        throw_errno("detach old root");
    if (::chdir("/") < 0)
        throw_errno("chdir /");
}

} // namespace lxcd::runtime
