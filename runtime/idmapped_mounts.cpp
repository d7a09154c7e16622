#include "idmapped_mounts.hpp"

#include "error.hpp"
#include "mount_ops.hpp"
#include "mount_options.hpp"
#include "mounts.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>

#include <sstream>

namespace lxcd::runtime {

namespace {

constexpr std::string_view rootfs_key = "lxc.rootfs.options";

void check_idmap_value(const config::Config& cfg, const MountOptions& opts,
                       const std::string& what) {
    if (opts.idmap == "container" && cfg.idmaps.empty())
        throw Error(Errc::InvalidConfig,
                    what + ": idmap=container needs lxc.idmap (the container's user namespace)");
}

UniqueFd open_userns(const std::string& idmap, pid_t child) {
    std::string path = idmap == "container" ? "/proc/" + std::to_string(child) + "/ns/user" : idmap;
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw_errno("idmap=" + idmap + ": open " + path);
    if (::ioctl(fd.get(), NS_GET_NSTYPE) != CLONE_NEWUSER)
        throw Error(Errc::InvalidConfig,
                    "idmap=" + idmap + ": " + path + " is not a user namespace file");
    return fd;
}

UniqueFd idmapped_tree(const std::string& source, const MountOptions& opts, pid_t child) {
    UniqueFd userns = open_userns(opts.idmap, child);
    UniqueFd tree = clone_tree(AT_FDCWD, source, opts.recursive);
    set_mount_flags(tree.get(), opts.flags, opts.recursive);
    try {
        set_mount_idmap(tree.get(), userns.get(), opts.recursive);
    } catch (const Error& e) {
        if (e.sys_errno() != EINVAL)
            throw;
        throw Error(e.code(),
                    std::string(e.what()) + " (does the filesystem of '" + source +
                        "' and of every mount below it support idmapped mounts?)",
                    e.sys_errno());
    }
    return tree;
}

} // namespace

void IdmappedTrees::check(const config::Config& cfg, const RootfsSpec& spec,
                          const std::vector<config::MountEntry>& entries) {
    MountOptions rootfs = parse_mount_options(cfg.rootfs_options);
    if (!rootfs.idmap.empty()) {
        if (spec.kind != RootfsSpec::Kind::Dir)
            throw Error(Errc::InvalidConfig,
                        std::string(rootfs_key) +
                            ": idmap= needs a directory rootfs (overlayfs mounts cannot be "
                            "idmapped)");
        check_idmap_value(cfg, rootfs, std::string(rootfs_key));
    }
    for (const auto& e : entries) {
        MountOptions opts = parse_mount_options(e.options);
        if (opts.idmap.empty())
            continue;
        if (!opts.bind)
            throw Error(Errc::InvalidConfig, mount_entry_name(e) + ": idmap= needs bind or rbind");
        if (opts.relative)
            throw Error(Errc::InvalidConfig,
                        mount_entry_name(e) + ": idmap= and relative cannot be combined");
        check_idmap_value(cfg, opts, mount_entry_name(e));
    }
}

IdmappedTrees IdmappedTrees::prepare(const config::Config& cfg, const RootfsSpec& spec,
                                     const std::vector<config::MountEntry>& entries, pid_t child) {
    IdmappedTrees out;
    MountOptions rootfs = parse_mount_options(cfg.rootfs_options);
    if (!rootfs.idmap.empty()) {
        rootfs.recursive = true; // as the plain rootfs bind mount
        try {
            out.trees_[0] = idmapped_tree(spec.path, rootfs, child);
        } catch (const Error& e) {
            throw Error(e.code(), std::string(rootfs_key) + ": " + e.what(), e.sys_errno());
        }
    }
    for (size_t i = 0; i < entries.size(); ++i) {
        MountOptions opts = parse_mount_options(entries[i].options);
        if (opts.idmap.empty())
            continue;
        try {
            out.trees_[i + 1] = idmapped_tree(entries[i].source, opts, child);
        } catch (const Error& e) {
            if (!opts.optional)
                throw Error(e.code(), mount_entry_name(entries[i]) + ": " + e.what(),
                            e.sys_errno());
        }
    }
    return out;
}

std::string IdmappedTrees::slots() const {
    std::string out;
    for (const auto& [slot, fd] : trees_)
        out += (out.empty() ? "" : " ") + std::to_string(slot);
    return out;
}

std::vector<int> IdmappedTrees::fds() const {
    std::vector<int> out;
    for (const auto& [slot, fd] : trees_)
        out.push_back(fd.get());
    return out;
}

IdmappedTrees IdmappedTrees::received(std::string_view slots, std::vector<UniqueFd> fds) {
    std::istringstream in{std::string(slots)};
    std::vector<size_t> numbers;
    for (size_t slot = 0; in >> slot;)
        numbers.push_back(slot);
    if (!in.eof() || numbers.size() != fds.size())
        throw Error(Errc::Failed, "start handshake: idmapped mounts do not match their slots");
    IdmappedTrees out;
    for (size_t i = 0; i < numbers.size(); ++i)
        out.trees_[numbers[i]] = std::move(fds[i]);
    return out;
}

int IdmappedTrees::tree(size_t slot) const {
    auto it = trees_.find(slot);
    return it == trees_.end() ? -1 : it->second.get();
}

} // namespace lxcd::runtime
