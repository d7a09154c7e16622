#include "unprivileged.hpp"

#include "error.hpp"
#include "idmap.hpp"
#include "rootfs.hpp"
#include "subid.hpp"

#include <sched.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace lxcd::runtime {

namespace {

// Host-side devices need CAP_NET_ADMIN in the host's network namespace. Like LXC, only
// veth is possible, and only through a privileged helper: the system lxcd.
void check_network(const config::Network& net) {
    if (net.type == "empty" || net.type == "none")
        return;
    std::string key =
        net.origin.str() + ": lxc.net." + std::to_string(net.index) + ".type = " + net.type + ": ";
    if (net.type == "veth")
        throw Error(Errc::InvalidConfig,
                    key +
                        "an unprivileged container's veth must come from the system lxcd "
                        "(org.lxcd1.Manager.CreateUserNetworkDevices), which is not "
                        "available; use lxc.net." +
                        std::to_string(net.index) + ".type = empty");
    throw Error(Errc::InvalidConfig, key + "not possible in an unprivileged container (only "
                                           "veth through the system lxcd, empty and none)");
}

bool searchable_by(const struct stat& st, uid_t uid, gid_t gid) {
    if (st.st_uid == uid)
        return st.st_mode & S_IXUSR;
    if (st.st_gid == gid)
        return st.st_mode & S_IXGRP;
    return st.st_mode & S_IXOTH;
}

// The container's root sets its rootfs up as itself (e.g. uid 100000), so every directory
// down to the rootfs must let it search: adduser's homes (0700) do not. Directories with
// an ACL are left to the kernel to judge.
void check_rootfs_reachable(const config::Config& cfg) {
    RootfsSpec spec = parse_rootfs_path(cfg.rootfs_path);
    if (spec.kind != RootfsSpec::Kind::Dir || !spec.path.starts_with("/"))
        return;
    uid_t uid = host_id(cfg.idmaps, 'u', 0);
    gid_t gid = host_id(cfg.idmaps, 'g', 0);
    std::filesystem::path dir;
    for (const auto& part : std::filesystem::path(spec.path)) {
        dir /= part;
        struct stat st {};
        if (::stat(dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode) || searchable_by(st, uid, gid) ||
            ::getxattr(dir.c_str(), "system.posix_acl_access", nullptr, 0) >= 0)
            continue;
        char mode[8];
        std::snprintf(mode, sizeof(mode), "%04o", st.st_mode & 07777);
        throw Error(Errc::InvalidConfig,
                    "lxc.rootfs.path " + spec.path + ": the container's root (uid " +
                        std::to_string(uid) + ") cannot reach it: " + dir.string() + " (mode " +
                        mode + ") does not let it search; chmod o+x " + dir.string() +
                        " or setfacl -m u:" + std::to_string(uid) + ":x " + dir.string());
    }
}

} // namespace

bool unprivileged() {
    return ::geteuid() != 0;
}

void check_unprivileged_start(const config::Config& cfg, const NamespacePlan& plan) {
    if (!(plan.clone_flags & CLONE_NEWUSER))
        throw Error(Errc::InvalidConfig,
                    "uid " + std::to_string(::geteuid()) +
                        " is not root: an unprivileged container needs lxc.idmap entries "
                        "(e.g. lxc.idmap = u 0 100000 65536 and g 0 100000 65536, within "
                        "/etc/subuid and /etc/subgid)");
    check_subids(cfg.idmaps, current_subid_owner());
    for (const auto& net : cfg.networks)
        check_network(net);
    check_rootfs_reachable(cfg);
}

} // namespace lxcd::runtime
