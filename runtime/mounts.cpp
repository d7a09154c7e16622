#include "mounts.hpp"

#include "error.hpp"
#include "in_root.hpp"
#include "mount_ops.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace lxcd::runtime {

std::vector<config::MountEntry> parse_fstab(const std::string& text, const std::string& file) {
    std::vector<config::MountEntry> out;
    std::istringstream in(text);
    std::string line;
    for (unsigned lineno = 1; std::getline(in, line); ++lineno) {
        size_t hash = line.find('#');
        if (hash != std::string::npos)
            line.erase(hash);
        std::istringstream fields(line);
        config::MountEntry e;
        if (!(fields >> e.source))
            continue;
        if (!(fields >> e.target >> e.fstype >> e.options))
            throw Error(Errc::InvalidConfig, file + ":" + std::to_string(lineno) +
                                                 ": lxc.mount.fstab: expected 'source target "
                                                 "type options'");
        if (!(fields >> e.freq))
            e.freq = 0;
        else if (!(fields >> e.passno))
            e.passno = 0;
        e.target.erase(0, e.target.find_first_not_of('/'));
        out.push_back(std::move(e));
    }
    return out;
}

namespace {

CreateKind create_kind(MountOptions::Create c) {
    switch (c) {
    case MountOptions::Create::Dir:
        return CreateKind::Dir;
    case MountOptions::Create::File:
        return CreateKind::File;
    case MountOptions::Create::None:
        break;
    }
    return CreateKind::None;
}

std::string read_text(const std::string& path, const std::string& what) {
    std::ifstream in(path);
    if (!in)
        throw Error(Errc::InvalidConfig, what + ": cannot read '" + path + "'");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

std::vector<config::MountEntry> all_mount_entries(const config::Config& cfg) {
    std::vector<config::MountEntry> out = cfg.mount_entries;
    if (!cfg.mount_fstab.empty()) {
        for (auto& e : parse_fstab(read_text(cfg.mount_fstab, "lxc.mount.fstab"), cfg.mount_fstab))
            out.push_back(std::move(e));
    }
    return out;
}

std::string mount_entry_name(const config::MountEntry& e) {
    return "lxc.mount.entry '" + e.source + " " + e.target + " " + e.fstype + " " + e.options + "'";
}

void mount_entry(int root_fd, const config::MountEntry& entry, int idmapped_tree) {
    MountOptions opts = parse_mount_options(entry.options);
    if (!opts.idmap.empty() && idmapped_tree < 0) {
        if (opts.optional)
            return; // the parent could not make its idmapped tree
        throw Error(Errc::Failed, mount_entry_name(entry) + ": no idmapped mount was prepared");
    }
    try {
        UniqueFd target = open_in_root(root_fd, entry.target, create_kind(opts.create));
        // A relative source is confined to the rootfs like the target; its fd stays open
        // until the mount is made, so the path cannot be swapped in between.
        UniqueFd source;
        if (opts.relative)
            source = open_in_root(root_fd, entry.source);
        std::string source_path = source ? fd_path(source.get()) : entry.source;
        if (idmapped_tree >= 0)
            attach_tree(idmapped_tree, target.get());
        else if (opts.bind)
            bind_mount(source_path, target.get(), opts);
        else
            mount_filesystem(source_path, entry.fstype, target.get(), opts.flags, opts.data);
        if (opts.propagation) {
            // Re-resolve: the old fd still names the directory under the new mount.
            UniqueFd mounted = open_in_root(root_fd, entry.target);
            set_propagation(mounted.get(), opts.propagation);
        }
    } catch (const Error& e) {
        if (opts.optional)
            return;
        throw Error(e.code(), mount_entry_name(entry) + ": " + e.what(), e.sys_errno());
    }
}

namespace {

constexpr unsigned long kernfs_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

bool is_cgroup2(const char* path) {
    struct statfs fs {};
    return ::statfs(path, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

struct CgroupMount {
    std::string name;    // below /sys/fs/cgroup, e.g. "cpu,cpuacct" or "unified"
    std::string fstype;  // cgroup or cgroup2
    std::string options; // super options without rw/ro, e.g. "cpu,cpuacct"
};

// The cgroup hierarchies the host has under /sys/fs/cgroup, from our (copied) mount table.
std::vector<CgroupMount> host_cgroup_mounts() {
    std::vector<CgroupMount> out;
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string id, parent, devno, root, mountpoint, word;
        f >> id >> parent >> devno >> root >> mountpoint;
        while (f >> word && word != "-") {
        }
        std::string fstype, source, super;
        f >> fstype >> source >> super;
        const std::string prefix = "/sys/fs/cgroup/";
        if ((fstype != "cgroup" && fstype != "cgroup2") || !mountpoint.starts_with(prefix))
            continue;
        std::string name = mountpoint.substr(prefix.size());
        if (name.empty() || name.find('/') != std::string::npos)
            continue;
        std::string opts;
        std::istringstream so(super);
        for (std::string o; std::getline(so, o, ',');) {
            if (o == "rw" || o == "ro")
                continue;
            opts += (opts.empty() ? "" : ",") + o;
        }
        out.push_back({name, fstype, opts});
    }
    return out;
}

// Fresh cgroup mounts: inside the container's cgroup namespace they are rooted at
// its own cgroup. Hybrid/v1 hosts get a tmpfs with one mount per hierarchy.
void mount_cgroups(int root_fd, unsigned long extra_flags) {
    UniqueFd target = open_in_root(root_fd, "sys/fs/cgroup", CreateKind::Dir);
    if (is_cgroup2("/sys/fs/cgroup")) {
        mount_filesystem("cgroup2", "cgroup2", target.get(), kernfs_flags | extra_flags, "");
        return;
    }
    mount_filesystem("tmpfs", "tmpfs", target.get(), kernfs_flags, "mode=755,size=64k");
    for (const auto& m : host_cgroup_mounts()) {
        UniqueFd dir = open_in_root(root_fd, "sys/fs/cgroup/" + m.name, CreateKind::Dir);
        mount_filesystem(m.fstype, m.fstype, dir.get(), kernfs_flags | extra_flags, m.options);
    }
    // Keep the host's convenience links (cpu -> cpu,cpuacct ...).
    std::error_code ec;
    for (const auto& de : std::filesystem::directory_iterator("/sys/fs/cgroup", ec)) {
        if (!de.is_symlink(ec))
            continue;
        auto link = std::filesystem::read_symlink(de.path(), ec);
        UniqueFd dir = open_in_root(root_fd, "sys/fs/cgroup");
        if (!ec && ::symlinkat(link.c_str(), dir.get(), de.path().filename().c_str()) < 0 &&
            errno != EEXIST)
            throw_errno("symlink sys/fs/cgroup/" + de.path().filename().string());
    }
}

// Binds `path` onto itself read-only, keeping `writable` (a subpath) writable.
void bind_readonly(int root_fd, const std::string& path, const std::string& writable) {
    UniqueFd keep;
    if (!writable.empty())
        keep = clone_tree(open_in_root(root_fd, path + "/" + writable).get(), "", true);
    UniqueFd target = open_in_root(root_fd, path);
    UniqueFd tree = clone_tree(target.get(), "", true);
    set_mount_flags(tree.get(), MS_RDONLY, true);
    attach_tree(tree.get(), target.get());
    if (keep)
        attach_tree(keep.get(), open_in_root(root_fd, path + "/" + writable).get());
}

// Remounts the filesystem mounted at `path` read-only in place.
void remount_readonly(int root_fd, const std::string& path) {
    UniqueFd mnt = open_in_root(root_fd, path);
    set_mount_flags(mnt.get(), MS_RDONLY, false);
}

} // namespace

void mount_auto(int root_fd, const std::vector<AutoMount>& autos, bool owns_netns) {
    for (const auto& am : autos) {
        switch (am.kind) {
        case AutoMount::Kind::Proc: {
            UniqueFd dir = open_in_root(root_fd, "proc", CreateKind::Dir);
            mount_filesystem("proc", "proc", dir.get(), kernfs_flags, "");
            break;
        }
        case AutoMount::Kind::Sys: {
            UniqueFd dir = open_in_root(root_fd, "sys", CreateKind::Dir);
            // sysfs shows the mounter's network namespace; without our own, keep it read-only.
            bool ro = am.mode == AutoMount::Mode::Ro || !owns_netns;
            mount_filesystem("sysfs", "sysfs", dir.get(), kernfs_flags | (ro ? MS_RDONLY : 0), "");
            // Restricted now, before the cgroup mounts land below it and would be made
            // read-only along with it.
            if (!ro && am.mode == AutoMount::Mode::Mixed)
                bind_readonly(root_fd, "sys", "devices/virtual/net");
            break;
        }
        case AutoMount::Kind::Cgroup:
        case AutoMount::Kind::CgroupFull:
            break; // mount_auto_cgroups
        }
    }
}

void mount_auto_cgroups(int root_fd, const std::vector<AutoMount>& autos) {
    for (const auto& am : autos) {
        if (am.kind == AutoMount::Kind::Cgroup || am.kind == AutoMount::Kind::CgroupFull)
            mount_cgroups(root_fd, am.mode == AutoMount::Mode::Ro ? MS_RDONLY : 0);
    }
}

void restrict_auto_mounts(int root_fd, const std::vector<AutoMount>& autos, bool owns_netns,
                          bool keeps_sys_admin) {
    for (const auto& am : autos) {
        switch (am.kind) {
        case AutoMount::Kind::Proc:
            if (am.mode == AutoMount::Mode::Mixed) {
                bind_readonly(root_fd, "proc/sys", owns_netns ? "net" : "");
                try {
                    bind_readonly(root_fd, "proc/sysrq-trigger", "");
                } catch (const Error& e) {
                    if (e.sys_errno() != ENOENT) // kernels without CONFIG_MAGIC_SYSRQ
                        throw;
                }
            }
            break;
        case AutoMount::Kind::Sys:
            break; // done in mount_auto
        case AutoMount::Kind::Cgroup:
        case AutoMount::Kind::CgroupFull: {
            bool rw = am.mode == AutoMount::Mode::Rw ||
                      (am.mode == AutoMount::Mode::Default && keeps_sys_admin);
            // In the container's cgroup namespace the hierarchies are rooted at its own
            // cgroup, so "mixed" only has to protect the layout (the tmpfs on hybrid hosts).
            if (!rw && !is_cgroup2("/sys/fs/cgroup"))
                remount_readonly(root_fd, "sys/fs/cgroup");
            break;
        }
        }
    }
}

} // namespace lxcd::runtime
