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

// Host-side devices need CAP_NET_ADMIN in the host's network namespace. Like LXC, only a
// veth on a bridge is possible, made by a privileged helper (the system lxcd), and only
// what cannot touch the rest of the host may be asked of it.
void check_unprivileged_network(const config::Network& net) {
    if (net.type == "empty" || net.type == "none")
        return;
    auto refuse = [&](const std::string& key, const std::string& message) {
        std::string where = net.origin.file.empty() ? "" : net.origin.str() + ": ";
        throw Error(Errc::InvalidConfig,
                    where + "lxc.net." + std::to_string(net.index) + "." + key + ": " + message);
    };
    auto unavailable = [&](const std::string& key) {
        refuse(key, "is not available to unprivileged containers");
    };
    if (net.type != "veth")
        refuse("type", "only veth, empty and none networks are available to unprivileged "
                       "containers, not " +
                           net.type);
    if (net.link.empty())
        refuse("link", "an unprivileged container's veth needs a bridge");
    if (!net.veth_pair.empty())
        unavailable("veth.pair");
    if (net.veth_mode == "router")
        unavailable("veth.mode");
    if (!net.veth_ipv4_routes.empty())
        unavailable("veth.ipv4.route");
    if (!net.veth_ipv6_routes.empty())
        unavailable("veth.ipv6.route");
    if (net.veth_vlan_id)
        unavailable("veth.vlan.id");
    if (!net.veth_vlan_tagged_ids.empty())
        unavailable("veth.vlan.tagged.id");
    if (net.l2proxy)
        unavailable("l2proxy");
    if (!net.script_up.empty())
        unavailable("script.up");
    if (!net.script_down.empty())
        unavailable("script.down");
}

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
        check_unprivileged_network(net);
    check_rootfs_reachable(cfg);
}

} // namespace lxcd::runtime
