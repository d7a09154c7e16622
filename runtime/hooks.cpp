#include "hooks.hpp"

#include "error.hpp"
#include "process.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace lxcd::runtime {

std::vector<std::string> hook_environment(const HookContext& ctx, config::HookType type) {
    std::vector<std::string> env{
        "LXC_NAME=" + ctx.name,
        "LXC_CONFIG_FILE=" + ctx.config_file,
        "LXC_ROOTFS_PATH=" + ctx.rootfs_path,
        "LXC_ROOTFS_MOUNT=" + ctx.rootfs_mount,
        "LXC_CONSOLE=" + ctx.console,
        "LXC_CONSOLE_LOGPATH=" + ctx.console_log,
        "LXC_HOOK_VERSION=" + std::to_string(ctx.version),
        "LXC_CGNS_AWARE=1",
    };
    if (!ctx.src_name.empty())
        env.push_back("LXC_SRC_NAME=" + ctx.src_name);
    if (ctx.pid > 0)
        env.push_back("LXC_PID=" + std::to_string(ctx.pid));
    if (!ctx.target.empty())
        env.push_back("LXC_TARGET=" + ctx.target);
    if (ctx.version == 1) {
        // Version 0 passes these as arguments (see hook_argv).
        env.push_back("LXC_HOOK_TYPE=" + std::string(config::hook_name(type)));
        env.push_back("LXC_HOOK_SECTION=lxc");
        for (const auto& [ns, path] : ctx.namespaces) {
            std::string upper = ns;
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](unsigned char c) { return std::toupper(c); });
            env.push_back("LXC_" + upper + "_NS=" + path);
        }
    }
    return env;
}

std::vector<std::string> hook_argv(const HookContext& ctx, config::HookType type,
                                   const std::string& command) {
    // "$@" keeps the extra arguments intact whatever the command string contains.
    std::vector<std::string> argv{"/bin/sh", "-c", command + " \"$@\"", command};
    if (ctx.version == 0) {
        argv.insert(argv.end(), {ctx.name, "lxc", config::hook_name(type)});
        for (const auto& [ns, path] : ctx.namespaces)
            argv.push_back(ns + ":" + path);
    }
    return argv;
}

std::chrono::seconds hook_timeout() {
    const char* value = std::getenv("LXCD_HOOK_TIMEOUT_SEC");
    if (!value || !*value)
        return kDefaultHookTimeout;
    char* end = nullptr;
    unsigned long seconds = std::strtoul(value, &end, 10);
    if (*end || seconds == 0 || seconds > 86400)
        throw Error(Errc::InvalidArgument, "LXCD_HOOK_TIMEOUT_SEC='" + std::string(value) +
                                               "': not a number of seconds from 1 to 86400");
    return std::chrono::seconds(seconds);
}

void run_hooks(const config::Config& cfg, const HookContext& ctx, config::HookType type) {
    auto it = cfg.hooks.find(type);
    if (it == cfg.hooks.end())
        return;
    std::vector<std::string> env = inherited_environment();
    for (auto& v : hook_environment(ctx, type))
        env.push_back(std::move(v));
    std::chrono::seconds timeout = hook_timeout();
    for (const auto& command : it->second) {
        std::string what =
            std::string("lxc.hook.") + config::hook_name(type) + " '" + command + "'";
        std::optional<int> status = run_and_wait(hook_argv(ctx, type, command), env, timeout);
        if (!status)
            throw Error(Errc::Timeout, what + " did not finish within " +
                                           std::to_string(timeout.count()) +
                                           " s (LXCD_HOOK_TIMEOUT_SEC): killed");
        if (*status != 0)
            throw Error(Errc::Failed, what + " failed: " + describe_status(*status));
    }
}

} // namespace lxcd::runtime
