#include "mount_options.hpp"

#include "error.hpp"

#include <sys/mount.h>

#include <array>
#include <sstream>
#include <string_view>

namespace lxcd::runtime {

namespace {

struct FlagOption {
    std::string_view name;
    bool clear; // the option clears the flag ("rw" clears MS_RDONLY)
    unsigned long flag;
};

constexpr std::array flag_options{
    FlagOption{"defaults", false, 0},
    FlagOption{"ro", false, MS_RDONLY},
    FlagOption{"rw", true, MS_RDONLY},
    FlagOption{"nosuid", false, MS_NOSUID},
    FlagOption{"suid", true, MS_NOSUID},
    FlagOption{"nodev", false, MS_NODEV},
    FlagOption{"dev", true, MS_NODEV},
    FlagOption{"noexec", false, MS_NOEXEC},
    FlagOption{"exec", true, MS_NOEXEC},
    FlagOption{"sync", false, MS_SYNCHRONOUS},
    FlagOption{"async", true, MS_SYNCHRONOUS},
    FlagOption{"dirsync", false, MS_DIRSYNC},
    FlagOption{"remount", false, MS_REMOUNT},
    FlagOption{"mand", false, MS_MANDLOCK},
    FlagOption{"nomand", true, MS_MANDLOCK},
    FlagOption{"noatime", false, MS_NOATIME},
    FlagOption{"atime", true, MS_NOATIME},
    FlagOption{"nodiratime", false, MS_NODIRATIME},
    FlagOption{"diratime", true, MS_NODIRATIME},
    FlagOption{"relatime", false, MS_RELATIME},
    FlagOption{"norelatime", true, MS_RELATIME},
    FlagOption{"strictatime", false, MS_STRICTATIME},
    FlagOption{"nostrictatime", true, MS_STRICTATIME},
    FlagOption{"lazytime", false, MS_LAZYTIME},
    FlagOption{"nolazytime", true, MS_LAZYTIME},
    FlagOption{"silent", false, MS_SILENT},
    FlagOption{"loud", true, MS_SILENT},
};

struct PropagationOption {
    std::string_view name;
    unsigned long flags;
};

constexpr std::array propagation_options{
    PropagationOption{"private", MS_PRIVATE},
    PropagationOption{"rprivate", MS_PRIVATE | MS_REC},
    PropagationOption{"slave", MS_SLAVE},
    PropagationOption{"rslave", MS_SLAVE | MS_REC},
    PropagationOption{"shared", MS_SHARED},
    PropagationOption{"rshared", MS_SHARED | MS_REC},
    PropagationOption{"unbindable", MS_UNBINDABLE},
    PropagationOption{"runbindable", MS_UNBINDABLE | MS_REC},
};

bool apply_flag(MountOptions& out, std::string_view opt) {
    for (const auto& f : flag_options) {
        if (f.name != opt)
            continue;
        if (f.clear)
            out.flags &= ~f.flag;
        else
            out.flags |= f.flag;
        return true;
    }
    for (const auto& p : propagation_options) {
        if (p.name == opt) {
            out.propagation = p.flags;
            return true;
        }
    }
    return false;
}

bool apply_lxc_option(MountOptions& out, std::string_view opt) {
    if (opt == "bind") {
        out.bind = true;
    } else if (opt == "rbind") {
        out.bind = true;
        out.recursive = true;
    } else if (opt == "optional") {
        out.optional = true;
    } else if (opt == "create=dir") {
        out.create = MountOptions::Create::Dir;
    } else if (opt == "create=file") {
        out.create = MountOptions::Create::File;
    } else if (opt == "relative") {
        out.relative = true;
    } else if (opt.starts_with("idmap=")) {
        out.idmap = opt.substr(6);
        if (out.idmap.empty())
            throw Error(Errc::InvalidConfig,
                        "mount option 'idmap=' needs 'container' or a user namespace path");
    } else if (opt.starts_with("create=")) {
        throw Error(Errc::InvalidConfig, "unsupported mount option '" + std::string(opt) + "'");
    } else {
        return false;
    }
    return true;
}

} // namespace

MountOptions parse_mount_options(const std::string& options) {
    MountOptions out;
    std::istringstream in(options);
    std::string opt;
    while (std::getline(in, opt, ',')) {
        if (opt.empty() || apply_lxc_option(out, opt) || apply_flag(out, opt))
            continue;
        if (!out.data.empty())
            out.data += ',';
        out.data += opt;
    }
    return out;
}

namespace {

AutoMount::Mode parse_mode(std::string_view word, std::string_view mode) {
    if (mode == "ro")
        return AutoMount::Mode::Ro;
    if (mode == "rw")
        return AutoMount::Mode::Rw;
    if (mode == "mixed")
        return AutoMount::Mode::Mixed;
    throw Error(Errc::InvalidConfig, "lxc.mount.auto: unknown mode '" + std::string(mode) +
                                         "' in '" + std::string(word) + "'");
}

AutoMount parse_auto_mount(std::string_view word) {
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
        size_t colon = word.find(':', start);
        parts.push_back(word.substr(start, colon - start));
        if (colon == std::string_view::npos)
            break;
        start = colon + 1;
    }
    AutoMount am{};
    const auto& kind = parts[0];
    if (kind == "proc")
        am.kind = AutoMount::Kind::Proc;
    else if (kind == "sys")
        am.kind = AutoMount::Kind::Sys;
    else if (kind == "cgroup")
        am.kind = AutoMount::Kind::Cgroup;
    else if (kind == "cgroup-full")
        am.kind = AutoMount::Kind::CgroupFull;
    else
        throw Error(Errc::InvalidConfig,
                    "lxc.mount.auto: unsupported value '" + std::string(word) + "'");

    size_t i = 1;
    if (i < parts.size() && parts[i] != "force")
        am.mode = parse_mode(word, parts[i++]);
    if (i < parts.size() && parts[i] == "force" &&
        (am.kind == AutoMount::Kind::Cgroup || am.kind == AutoMount::Kind::CgroupFull)) {
        am.force = true;
        ++i;
    }
    if (i != parts.size())
        throw Error(Errc::InvalidConfig, "lxc.mount.auto: malformed '" + std::string(word) + "'");
    if (am.kind == AutoMount::Kind::Proc && am.mode == AutoMount::Mode::Ro)
        throw Error(Errc::InvalidConfig, "lxc.mount.auto: proc has no ro mode");
    if ((am.kind == AutoMount::Kind::Proc || am.kind == AutoMount::Kind::Sys) &&
        am.mode == AutoMount::Mode::Default)
        am.mode = AutoMount::Mode::Mixed;
    return am;
}

} // namespace

std::vector<AutoMount> parse_auto_mounts(const std::vector<std::string>& words) {
    std::vector<AutoMount> out;
    for (const auto& w : words) {
        // A config value may hold several words separated by spaces.
        std::istringstream in(w);
        std::string word;
        while (in >> word) {
            AutoMount am = parse_auto_mount(word);
            // A later word for the same kind replaces the earlier one, as in LXC.
            std::erase_if(out, [&](const AutoMount& o) { return o.kind == am.kind; });
            out.push_back(am);
        }
    }
    return out;
}

} // namespace lxcd::runtime
