// lxc.hook.clone and lxc.hook.destroy: hooks lxcd itself runs (not the supervisor),
// with LXC's environment (LXC_NAME, LXC_SRC_NAME for clones, LXC_CONFIG_FILE,
// LXC_ROOTFS_PATH, LXC_ROOTFS_MOUNT, LXC_CONSOLE, LXC_CONSOLE_LOGPATH, ...).
#pragma once

#include "config.hpp"

#include <filesystem>
#include <string>

namespace lxcd {

// Runs the config's hooks of `type` in order; throws Error naming the one that failed.
// src_name: the copied container, for clone hooks ("" otherwise).
void run_storage_hooks(config::HookType type, const std::string& name, const std::string& src_name,
                       const std::filesystem::path& config_path, const config::Config& cfg);

} // namespace lxcd
