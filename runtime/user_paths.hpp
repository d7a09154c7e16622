// Where containers and their state live: LXC's system paths for root, its per-user
// paths (seed 002) for everyone else.
//
//   root                       user
//   /etc/lxc/lxc.conf          ~/.config/lxc/lxc.conf      (lxc.lxcpath = DIR overrides)
//   /etc/lxc/default.conf      ~/.config/lxc/default.conf
//   /var/lib/lxc               ~/.local/share/lxc
//   /var/cache/lxc             ~/.cache/lxc
//   /run/lxcd                  $XDG_RUNTIME_DIR/lxcd       (lxcd's, not LXC's)
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <string>

namespace lxcd::runtime {

struct LxcPaths {
    std::filesystem::path lxc_conf;
    std::filesystem::path default_conf;
    std::filesystem::path lxcpath;
    std::filesystem::path cache_dir;
    std::filesystem::path run_dir;
};

LxcPaths system_paths();

// The per-user paths below `home`, with `runtime_dir` ($XDG_RUNTIME_DIR) for state.
// lxc.lxcpath in the user's lxc.conf, if any, replaces the lxcpath.
LxcPaths user_paths(const std::filesystem::path& home, const std::filesystem::path& runtime_dir);

// The value of lxc.lxcpath in an lxc.conf (last one wins), with a leading ~/ expanded
// against `home`.
std::optional<std::filesystem::path> parse_lxcpath(std::istream& in,
                                                   const std::filesystem::path& home);

// system_paths() for root, else user_paths() from $HOME (or the passwd entry) and
// $XDG_RUNTIME_DIR (or /run/user/UID). Throws Error if a user has no home.
LxcPaths current_paths();

} // namespace lxcd::runtime
