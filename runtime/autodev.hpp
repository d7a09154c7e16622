// /dev for the container: with lxc.autodev a fresh tmpfs holding the minimal device
// set (bound from the host, which also works inside a user namespace), the usual
// symlinks, and always a new devpts instance with /dev/ptmx pointing into it.
#pragma once

#include "config.hpp"

#include <string>
#include <vector>

namespace lxcd::runtime {

void setup_dev(int root_fd, const config::Config& cfg, bool gid5_mapped);

// Binds the console pty (a host path) onto /dev/console inside the rootfs.
void bind_console(int root_fd, const std::string& pty_path);
// Binds pty i onto /dev/tty<i+1>, or with lxc.tty.dir onto /dev/<dir>/tty<i+1>
// with /dev/tty<i+1> a symlink to it (as LXC does).
void bind_ttys(int root_fd, const std::vector<std::string>& pty_paths, const std::string& tty_dir);

} // namespace lxcd::runtime
