// The config of a copy, written from its source's main config file the way LXC
// rewrites a clone's unexpanded config: line by line, so comments and includes
// stay as they were.
#pragma once

#include "hwaddr.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace lxcd {

struct CloneRewrite {
    std::string new_name;
    std::string old_name;
    std::filesystem::path old_dir; // the source's container directory
    std::filesystem::path new_dir; // the copy's
    std::string rootfs_path;       // the copy's lxc.rootfs.path
    bool keep_name = false;        // snapshots and their restores keep lxc.uts.name
    bool keep_hwaddrs = false;     // ... and their MAC addresses
    bool ephemeral = false;        // sets lxc.ephemeral = 1
};

// The comment lxcd puts before a hwaddr it chose, so that copies of the copy are
// randomised from the original pattern again: "# lxcd: KEY pattern PATTERN".
inline constexpr std::string_view kHwaddrPatternComment = "# lxcd: ";

// Returns the copy's config text:
// - lxc.rootfs.path (or legacy lxc.rootfs) becomes r.rootfs_path;
// - lxc.uts.name (or lxc.utsname) becomes the new name unless r.keep_name;
// - every value naming r.old_dir or a path below it names r.new_dir instead;
// - log and console files named after the old container (e.g. /var/log/lxc/OLD.log)
//   are named after the new one;
// - unless r.keep_hwaddrs, each lxc.net.N.hwaddr gets a new address from its
//   original pattern (recorded, or the value itself when it has 'x' digits; else a
//   random locally administered one), and the pattern is recorded above it.
std::string rewrite_clone_config(std::string_view text, const CloneRewrite& r,
                                 const net::RandomByte& rnd = net::random_byte);

} // namespace lxcd
