// lxc.hook.*: running hook programs with LXC's environment and arguments.
//   hook.version 0: argv "<name> lxc <type> [extra...]" after the hook command
//   hook.version 1: no extra argv; LXC_HOOK_TYPE / LXC_<NS>_NS carry the same facts
#pragma once

#include "config.hpp"

#include <chrono>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lxcd::runtime {

struct HookContext {
    std::string name;         // LXC_NAME
    std::string src_name;     // LXC_SRC_NAME (clone hooks: the container copied)
    std::string config_file;  // LXC_CONFIG_FILE
    std::string rootfs_path;  // LXC_ROOTFS_PATH (lxc.rootfs.path as written)
    std::string rootfs_mount; // LXC_ROOTFS_MOUNT
    std::string console;      // LXC_CONSOLE
    std::string console_log;  // LXC_CONSOLE_LOGPATH
    int version = 0;          // lxc.hook.version
    pid_t pid = 0;            // LXC_PID when known (start-host, stop)
    std::string target;       // LXC_TARGET for stop/post-stop: "stop" or "reboot"
    // stop hooks: namespace name -> /proc/<pid>/fd/<n> of an open ns fd (LXC_<NS>_NS)
    std::map<std::string, std::string> namespaces;
};

// The LXC_* variables for one hook run ("NAME=value" strings).
std::vector<std::string> hook_environment(const HookContext& ctx, config::HookType type);

// argv for /bin/sh running `command` (the hook value, which may contain arguments).
std::vector<std::string> hook_argv(const HookContext& ctx, config::HookType type,
                                   const std::string& command);

// LXC waits for a hook forever; a hung hook would then hang a start or stop (and the
// supervisor with it). lxcd kills a hook, and everything it started, after this long:
// LXCD_HOOK_TIMEOUT_SEC in the environment of lxcd (and so of its supervisors), else
// kDefaultHookTimeout.
inline constexpr std::chrono::seconds kDefaultHookTimeout{120};
std::chrono::seconds hook_timeout(); // throws Error(InvalidArgument) for a bad value

// Runs every hook of `type` in order, waiting for each up to hook_timeout(); throws
// Error naming the hook and its exit status when one fails, or Error(Timeout) when one
// did not finish in time. Runs in the caller's namespaces.
void run_hooks(const config::Config& cfg, const HookContext& ctx, config::HookType type);

} // namespace lxcd::runtime
