// The "busybox" template: a small system container from busybox-static,
// made locally (no downloads), like LXC's lxc-busybox.
#pragma once

#include <filesystem>
#include <string>

namespace lxcd {

// Builds <dir>/rootfs and returns the config text for it.
std::string make_busybox_rootfs(const std::string& name, const std::filesystem::path& dir);

} // namespace lxcd
