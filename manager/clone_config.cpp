#include "clone_config.hpp"

#include <map>
#include <optional>
#include <sstream>
#include <vector>

namespace lxcd {

namespace {

constexpr std::string_view kAnyHwaddr = "xx:xx:xx:xx:xx:xx";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

struct Line {
    std::string key; // empty for comments and blank lines
    std::string value;
};

Line split(std::string_view raw) {
    std::string_view t = trim(raw);
    size_t eq = t.find('=');
    if (t.empty() || t.front() == '#' || eq == std::string_view::npos)
        return {};
    return {std::string(trim(t.substr(0, eq))), std::string(trim(t.substr(eq + 1)))};
}

bool is_hwaddr_key(const std::string& key) {
    if (key == "lxc.network.hwaddr")
        return true;
    return key.starts_with("lxc.net") && key.ends_with(".hwaddr");
}

bool is_named_file_key(const std::string& key) {
    return key == "lxc.log.file" || key == "lxc.logfile" || key == "lxc.console.logfile" ||
           key == "lxc.console.buffer.logfile" || key == "lxc.console.path" || key == "lxc.console";
}

// "# lxcd: KEY pattern PATTERN" -> {KEY, PATTERN}
std::optional<std::pair<std::string, std::string>> pattern_record(std::string_view raw) {
    std::string_view t = trim(raw);
    if (!t.starts_with(kHwaddrPatternComment))
        return std::nullopt;
    std::istringstream in{std::string(t.substr(kHwaddrPatternComment.size()))};
    std::string key, word, pattern;
    if (!(in >> key >> word >> pattern) || word != "pattern" || !is_hwaddr_key(key) ||
        !net::is_hwaddr_template(pattern))
        return std::nullopt;
    return std::make_pair(key, pattern);
}

// old_dir or a path below it, anywhere in the value, becomes new_dir.
std::string replace_dir(std::string value, const std::string& old_dir, const std::string& new_dir) {
    if (old_dir.empty())
        return value;
    for (size_t pos = value.find(old_dir); pos != std::string::npos;
         pos = value.find(old_dir, pos)) {
        size_t end = pos + old_dir.size();
        bool starts = pos == 0 || value[pos - 1] == ':' || value[pos - 1] == '=' ||
                      value[pos - 1] == ' ' || value[pos - 1] == ',';
        bool ends = end == value.size() || value[end] == '/' || value[end] == ':' ||
                    value[end] == ' ' || value[end] == ',';
        if (starts && ends) {
            value.replace(pos, old_dir.size(), new_dir);
            pos += new_dir.size();
        } else {
            pos = end;
        }
    }
    return value;
}

// /var/log/lxc/OLD.log -> /var/log/lxc/NEW.log; other names stay.
std::string rename_file(const std::string& value, const CloneRewrite& r) {
    size_t slash = value.rfind('/');
    size_t base = slash == std::string::npos ? 0 : slash + 1;
    std::string_view name = std::string_view(value).substr(base);
    if (name != r.old_name && !name.starts_with(r.old_name + "."))
        return value;
    return value.substr(0, base) + r.new_name + std::string(name.substr(r.old_name.size()));
}

std::string line(const std::string& key, const std::string& value) {
    return key + " = " + value + "\n";
}

} // namespace

std::string rewrite_clone_config(std::string_view text, const CloneRewrite& r,
                                 const net::RandomByte& rnd) {
    std::vector<std::string_view> lines;
    for (size_t start = 0; start < text.size();) {
        size_t nl = text.find('\n', start);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    std::map<std::string, std::string> patterns;
    if (!r.keep_hwaddrs)
        for (auto raw : lines)
            if (auto rec = pattern_record(raw))
                patterns[rec->first] = rec->second;

    std::string out;
    bool rootfs_done = false, name_done = false, ephemeral_done = false;
    const std::string old_dir = r.old_dir.lexically_normal().string();
    const std::string new_dir = r.new_dir.lexically_normal().string();
    for (auto raw : lines) {
        Line l = split(raw);
        if (l.key.empty()) {
            if (r.keep_hwaddrs || !pattern_record(raw))
                out += std::string(raw) + "\n";
            continue;
        }
        if (l.key == "lxc.rootfs.path" || l.key == "lxc.rootfs") {
            out += line(l.key, r.rootfs_path);
            rootfs_done = true;
        } else if ((l.key == "lxc.uts.name" || l.key == "lxc.utsname") && !r.keep_name) {
            out += line(l.key, r.new_name);
            name_done = true;
        } else if (l.key == "lxc.ephemeral" && r.ephemeral) {
            out += line(l.key, "1");
            ephemeral_done = true;
        } else if (is_hwaddr_key(l.key) && !r.keep_hwaddrs) {
            std::string pattern = patterns.count(l.key) ? patterns[l.key]
                                  : net::is_hwaddr_template(l.value) &&
                                          l.value.find_first_of("xX") != std::string::npos
                                      ? l.value
                                      : std::string(kAnyHwaddr);
            out += std::string(kHwaddrPatternComment) + l.key + " pattern " + pattern + "\n";
            out += line(l.key, net::complete_hwaddr(pattern, rnd));
        } else {
            std::string value = replace_dir(l.value, old_dir, new_dir);
            if (value == l.value && is_named_file_key(l.key))
                value = rename_file(value, r);
            out += value == l.value ? std::string(raw) + "\n" : line(l.key, value);
        }
    }
    if (!rootfs_done)
        out += line("lxc.rootfs.path", r.rootfs_path);
    if (!name_done && !r.keep_name)
        out += line("lxc.uts.name", r.new_name);
    if (!ephemeral_done && r.ephemeral)
        out += line("lxc.ephemeral", "1");
    return out;
}

} // namespace lxcd
