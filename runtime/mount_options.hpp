// fstab-style mount options (lxc.mount.entry, lxc.mount.fstab) and lxc.mount.auto
// words, turned into what mount(2) and the runtime need. Pure functions: no syscalls.
#pragma once

#include <string>
#include <vector>

namespace lxcd::runtime {

struct MountOptions {
    unsigned long flags = 0;       // MS_* except propagation and MS_BIND/MS_REC
    unsigned long propagation = 0; // MS_PRIVATE, MS_SLAVE, MS_SHARED, MS_UNBINDABLE (+MS_REC)
    std::string data;              // filesystem-specific options, comma-separated
    bool bind = false;
    bool recursive = false; // rbind
    bool optional = false;  // a failure is ignored
    bool relative = false;  // the source is a path inside the mounted rootfs
    // idmap=: "container" (the container's user namespace) or the path of a user
    // namespace file; the bind mount is idmapped with it (see idmapped_mounts.hpp).
    std::string idmap;
    enum class Create { None, Dir, File } create = Create::None;
};

// Splits "ro,bind,create=dir,size=10m" into flags and data. Throws
// Error(InvalidConfig) for LXC options this runtime does not implement.
MountOptions parse_mount_options(const std::string& options);

// One lxc.mount.auto word, e.g. "proc:mixed", "sys", "cgroup:ro:force".
struct AutoMount {
    enum class Kind { Proc, Sys, Cgroup, CgroupFull } kind;
    // Proc: Rw or Mixed. Sys: Ro, Rw or Mixed. Cgroup: Ro, Rw, Mixed or Default
    // (rw when CAP_SYS_ADMIN is kept, mixed otherwise).
    enum class Mode { Default, Ro, Rw, Mixed } mode = Mode::Default;
    bool force = false;
};

std::vector<AutoMount> parse_auto_mounts(const std::vector<std::string>& words);

} // namespace lxcd::runtime
