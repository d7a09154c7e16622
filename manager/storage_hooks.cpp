#include "storage_hooks.hpp"

#include "error.hpp"
#include "hooks.hpp"
#include "rootfs.hpp"

namespace lxcd {

void run_storage_hooks(config::HookType type, const std::string& name, const std::string& src_name,
                       const std::filesystem::path& config_path, const config::Config& cfg) {
    if (!cfg.hooks.count(type))
        return;
    runtime::HookContext ctx;
    ctx.name = name;
    ctx.src_name = src_name;
    ctx.config_file = config_path.string();
    ctx.rootfs_path = cfg.rootfs_path;
    try {
        ctx.rootfs_mount =
            runtime::rootfs_mount_point(cfg, runtime::parse_rootfs_path(cfg.rootfs_path));
    } catch (const Error&) {
        ctx.rootfs_mount = cfg.rootfs_mount; // no usable rootfs: what the config says
    }
    ctx.console = cfg.console_path;
    ctx.console_log = cfg.console_logfile;
    ctx.version = cfg.hook_version;
    runtime::run_hooks(cfg, ctx, type);
}

} // namespace lxcd
