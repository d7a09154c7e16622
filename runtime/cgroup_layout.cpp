#include "cgroup_layout.hpp"

#include "cgroup_fs.hpp"
#include "error.hpp"

#include <algorithm>
#include <optional>

namespace lxcd::cgroup {

namespace {

struct CgroupMount {
    bool unified = false;
    std::string root;
    std::string mountpoint;
    std::vector<std::string> super_options;
};

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_octal(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
        if (s[i] == '\\' && i + 3 < s.size() &&
            std::all_of(s.begin() + i + 1, s.begin() + i + 4,
                        [](char c) { return c >= '0' && c <= '7'; })) {
            out +=
                static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::optional<CgroupMount> parse_mount_line(std::string_view line) {
    std::vector<std::string> f = split(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 7 || dash == f.end() || f.end() - dash < 4)
        return std::nullopt;
    const std::string& fstype = dash[1];
    if (fstype != "cgroup" && fstype != "cgroup2")
        return std::nullopt;
    return CgroupMount{fstype == "cgroup2", unescape_octal(f[3]), unescape_octal(f[4]),
                       split(dash[3], ',')};
}

// "/a/b" relative to mount root "/a" is "b"; nullopt if outside the mount.
std::optional<std::string> below_root(const std::string& path, const std::string& root) {
    if (root == "/")
        return path.substr(1);
    if (path == root)
        return std::string();
    if (path.starts_with(root) && path[root.size()] == '/')
        return path.substr(root.size() + 1);
    return std::nullopt;
}

bool mount_has_all(const CgroupMount& m, const std::vector<std::string>& controllers) {
    return std::all_of(controllers.begin(), controllers.end(), [&](const std::string& c) {
        return std::find(m.super_options.begin(), m.super_options.end(), c) !=
               m.super_options.end();
    });
}

// The first mount of the hierarchy that contains `own`.
const CgroupMount* find_mount(const std::vector<CgroupMount>& mounts, bool unified,
                              const std::vector<std::string>& controllers, const std::string& own) {
    for (const auto& m : mounts) {
        if (m.unified != unified || (!unified && !mount_has_all(m, controllers)))
            continue;
        if (below_root(own, m.root))
            return &m;
    }
    return nullptr;
}

} // namespace

bool Hierarchy::has_controller(std::string_view name) const {
    return std::find(controllers.begin(), controllers.end(), name) != controllers.end();
}

std::filesystem::path Hierarchy::own_dir() const {
    auto rel = below_root(own, mount_root);
    return rel && !rel->empty() ? mountpoint / *rel : mountpoint;
}

std::string Hierarchy::label() const {
    if (unified)
        return "unified";
    std::string out;
    for (const auto& c : controllers)
        out += (out.empty() ? "" : ",") + c;
    return out;
}

const Hierarchy* Layout::unified() const {
    for (const auto& h : hierarchies)
        if (h.unified)
            return &h;
    return nullptr;
}

const Hierarchy* Layout::v1_with(std::string_view controller) const {
    for (const auto& h : hierarchies)
        if (!h.unified && h.has_controller(controller))
            return &h;
    return nullptr;
}

Layout parse_layout(std::string_view mountinfo, std::string_view proc_cgroup) {
    std::vector<CgroupMount> mounts;
    for (const auto& line : split(mountinfo, '\n'))
        if (auto m = parse_mount_line(line))
            mounts.push_back(std::move(*m));

    Layout layout;
    bool have_v1 = false;
    for (const auto& line : split(proc_cgroup, '\n')) {
        // "ID:controller,list:/path"; the unified hierarchy is "0::/path".
        size_t c1 = line.find(':');
        size_t c2 = c1 == std::string::npos ? c1 : line.find(':', c1 + 1);
        if (c2 == std::string::npos)
            continue;
        std::string own = line.substr(c2 + 1);
        // Paths outside our cgroup namespace show up as "/.."; unusable.
        if (!own.starts_with("/") || own.find("/..") != std::string::npos)
            continue;
        Hierarchy h;
        h.controllers = split(std::string_view(line).substr(c1 + 1, c2 - c1 - 1), ',');
        h.unified = line.substr(0, c1) == "0" && h.controllers.empty();
        if (!h.unified && h.controllers.empty())
            continue;
        const CgroupMount* m = find_mount(mounts, h.unified, h.controllers, own);
        if (!m)
            continue;
        h.mountpoint = m->mountpoint;
        h.mount_root = m->root;
        h.own = std::move(own);
        have_v1 = have_v1 || !h.unified;
        layout.hierarchies.push_back(std::move(h));
    }
    if (layout.hierarchies.empty())
        throw Error(Errc::Failed, "no usable cgroup hierarchy is mounted (checked "
                                  "/proc/self/mountinfo against /proc/self/cgroup)");
    if (!have_v1)
        layout.kind = LayoutKind::Unified;
    else
        layout.kind = layout.unified() ? LayoutKind::Hybrid : LayoutKind::Legacy;
    return layout;
}

Layout detect_layout() {
    return parse_layout(read_file("/proc/self/mountinfo"), read_file("/proc/self/cgroup"));
}

} // namespace lxcd::cgroup
