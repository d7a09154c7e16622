#include "storage.hpp"

#include "config_parse.hpp"
#include "error.hpp"
#include "rootfs.hpp"

#include <algorithm>
#include <system_error>

namespace lxcd::storage {

namespace fs = std::filesystem;

fs::path dir_rootfs(const fs::path& container_dir) {
    return container_dir / "rootfs";
}

fs::path overlay_delta(const fs::path& container_dir) {
    return container_dir / "overlay" / "delta";
}

fs::path overlay_work(const fs::path& container_dir) {
    return container_dir / "overlay" / "work";
}

fs::path snapshots_dir(const fs::path& container_dir) {
    return container_dir / "snaps";
}

namespace {
// Everything in dir but snaps/ and the restore's aside directory.
std::vector<fs::path> own_entries(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename() != "snaps" && e.path().filename() != kRestoreAside)
            out.push_back(e.path());
    return out;
}
} // namespace

void move_aside_for_restore(const fs::path& container_dir) {
    fs::path aside = container_dir / kRestoreAside;
    fs::create_directory(aside);
    for (const auto& p : own_entries(container_dir))
        fs::rename(p, aside / p.filename());
}

void roll_back_restore(const fs::path& container_dir) {
    fs::path aside = container_dir / kRestoreAside;
    std::error_code ec;
    for (const auto& p : own_entries(container_dir))
        fs::remove_all(p, ec);
    for (const auto& p : own_entries(aside))
        fs::rename(p, container_dir / p.filename(), ec);
    fs::remove_all(aside, ec);
}

std::string dir_value(const fs::path& rootfs) {
    return "dir:" + rootfs.string();
}

std::string overlay_value(const std::string& lower, const fs::path& upper) {
    return "overlay:" + lower + ":" + upper.string();
}

std::vector<fs::path> base_dirs(const std::string& rootfs_path) {
    try {
        auto spec = runtime::parse_rootfs_path(rootfs_path);
        if (spec.kind == runtime::RootfsSpec::Kind::Dir)
            return {fs::path(spec.path).lexically_normal()};
    } catch (const Error&) {
    }
    return {};
}

std::vector<fs::path> overlay_lowers_of(const std::string& rootfs_path) {
    std::vector<fs::path> out;
    try {
        auto spec = runtime::parse_rootfs_path(rootfs_path);
        if (spec.kind == runtime::RootfsSpec::Kind::Overlay)
            for (const auto& lower : runtime::overlay_lowers(spec))
                out.push_back(fs::path(lower).lexically_normal());
    } catch (const Error&) {
    }
    return out;
}

namespace {

bool within(const fs::path& path, const fs::path& dir) {
    auto rel = path.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

bool depends(const fs::path& config, const std::vector<fs::path>& bases) {
    auto parsed = config::parse_file(config);
    for (const auto& lower : overlay_lowers_of(parsed.config.rootfs_path))
        for (const auto& base : bases)
            if (within(lower, base))
                return true;
    return false;
}

} // namespace

std::vector<std::string> find_dependents(const fs::path& lxcpath,
                                         const std::vector<fs::path>& bases,
                                         const fs::path& except) {
    std::vector<std::string> out;
    if (bases.empty())
        return out;
    auto check = [&](const fs::path& dir, const std::string& label) {
        std::error_code ec;
        if (within(dir, except) || !fs::exists(dir / "config", ec))
            return;
        if (depends(dir / "config", bases))
            out.push_back(label);
    };
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(lxcpath, ec)) {
        std::string name = entry.path().filename().string();
        check(entry.path(), name);
        for (const auto& snap : fs::directory_iterator(snapshots_dir(entry.path()), ec))
            check(snap.path(), name + "/snaps/" + snap.path().filename().string());
        ec.clear();
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace lxcd::storage
