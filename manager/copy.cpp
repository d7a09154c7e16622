#include "copy.hpp"

#include "clone_config.hpp"
#include "config_parse.hpp"
#include "config_write.hpp"
#include "error.hpp"
#include "in_root.hpp"
#include "rootfs.hpp"
#include "storage.hpp"
#include "storage_hooks.hpp"
#include "tree_copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sstream>

namespace lxcd {

namespace fs = std::filesystem;

namespace {

config::Config load(const fs::path& path) {
    auto parsed = config::parse_file(path);
    if (!parsed.ok()) {
        std::string text;
        for (const auto& d : parsed.diagnostics)
            if (d.level == config::Diagnostic::Level::Error)
                text += (text.empty() ? "" : "\n") + d.str();
        throw Error(Errc::InvalidConfig, text);
    }
    return std::move(parsed.config);
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in)
        throw Error(Errc::System, "cannot read " + path.string());
    return text.str();
}

// An overlay's upper directory (a copy of `upper`, or empty when that is "") and work
// directory, owned like `like` (the mapped root of an unprivileged container).
void make_overlay_dirs(const fs::path& dir, const std::string& like, const std::string& upper) {
    struct stat st {};
    if (::stat(like.c_str(), &st) < 0)
        throw_errno("rootfs '" + like + "'");
    fs::create_directories(storage::overlay_delta(dir).parent_path());
    if (!upper.empty())
        copy_tree(upper, storage::overlay_delta(dir));
    for (const auto& d : {storage::overlay_delta(dir), storage::overlay_work(dir)}) {
        if (::mkdir(d.c_str(), 0755) < 0 && errno != EEXIST)
            throw_errno("create " + d.string());
        if (::chown(d.c_str(), st.st_uid, st.st_gid) < 0)
            throw_errno("chown " + d.string());
    }
}

// The copy's rootfs; returns its lxc.rootfs.path.
std::string make_rootfs(const CopyPlan& plan, const config::Config& source) {
    auto spec = runtime::parse_rootfs_path(source.rootfs_path);
    bool overlay = spec.kind == runtime::RootfsSpec::Kind::Overlay;
    if (plan.snapshot) {
        std::string lower = overlay ? spec.lower : spec.path;
        make_overlay_dirs(plan.to_dir, overlay ? spec.upper : spec.path, overlay ? spec.upper : "");
        return storage::overlay_value(lower, storage::overlay_delta(plan.to_dir));
    }
    fs::path rootfs = storage::dir_rootfs(plan.to_dir);
    if (!overlay) {
        copy_tree(spec.path, rootfs);
    } else {
        // The merged view, mounted in this process's own mount namespace only.
        struct stat st {};
        if (::stat(spec.upper.c_str(), &st) < 0)
            throw_errno("rootfs '" + spec.upper + "'");
        runtime::prepare_overlay_workdir(spec, st.st_uid, st.st_gid);
        runtime::mount_rootfs(source, spec);
        copy_tree(runtime::rootfs_mount_point(source, spec), rootfs);
    }
    return storage::dir_value(rootfs);
}

// As LXC does for a copy under a new name: its /etc/hostname, if it has one, says so.
void rename_hostname(int root_fd, const std::string& name) {
    UniqueFd path;
    try {
        path = runtime::open_in_root(root_fd, "etc/hostname");
    } catch (const Error& e) {
        if (e.sys_errno() == ENOENT)
            return;
        throw;
    }
    struct stat st {};
    if (::fstat(path.get(), &st) < 0 || !S_ISREG(st.st_mode))
        return;
    UniqueFd file(::open(runtime::fd_path(path.get()).c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    std::string text = name + "\n";
    if (!file || ::write(file.get(), text.data(), text.size()) != ssize_t(text.size()))
        throw_errno("write /etc/hostname of the copy");
}

// With the copy's rootfs mounted (in this process's mount namespace only): its new
// hostname, then lxc.hook.clone.
void finish_rootfs(const CopyPlan& plan, const fs::path& config_path) {
    config::Config cfg = load(config_path);
    bool hooks = plan.clone_hooks && cfg.hooks.count(config::HookType::Clone);
    if (plan.keep_name && !hooks)
        return;
    UniqueFd root = runtime::mount_rootfs(cfg, runtime::parse_rootfs_path(cfg.rootfs_path));
    if (!plan.keep_name)
        rename_hostname(root.get(), plan.to_name);
    if (hooks)
        run_storage_hooks(config::HookType::Clone, plan.to_name, plan.from_name, config_path, cfg);
}

} // namespace

void make_copy(const CopyPlan& plan) {
    fs::path from_config = plan.from_dir / "config";
    config::Config source = load(from_config);
    fs::create_directories(plan.to_dir);

    CloneRewrite rewrite{.new_name = plan.to_name,
                         .old_name = plan.from_name,
                         .old_dir = plan.from_dir,
                         .new_dir = plan.to_dir,
                         .rootfs_path = make_rootfs(plan, source),
                         .keep_name = plan.keep_name,
                         .keep_hwaddrs = plan.keep_hwaddrs,
                         .ephemeral = plan.ephemeral};
    fs::path config_path = plan.to_dir / "config";
    config::save_config_text(rewrite_clone_config(read_text(from_config), rewrite), config_path);
    if (!plan.timestamp.empty())
        config::save_config_text(plan.timestamp + "\n", plan.to_dir / "ts");
    finish_rootfs(plan, config_path);
}

bool rootfs_is_overlay(const fs::path& config) {
    auto parsed = config::parse_file(config);
    return !storage::overlay_lowers_of(parsed.config.rootfs_path).empty();
}

std::string snapshot_timestamp() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y:%m:%d %H:%M:%S", &tm);
    return buf;
}

} // namespace lxcd
