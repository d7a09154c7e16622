// Lines, includes and diagnostics: turns config text into the model through the key table.
#include "config_parse.hpp"

#include "config_keys.hpp"
#include "config_legacy.hpp"
#include "error.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace lxcd::config {

namespace fs = std::filesystem;

bool ParseResult::ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return d.level == Diagnostic::Level::Error; });
}

namespace {

// Big enough for any real config; stops a stray include of a huge file.
constexpr std::uintmax_t kMaxFileSize = 16 * 1024 * 1024;
constexpr size_t kMaxIncludeDepth = 32;

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

// LXC drops one pair of matching quotes around a value.
std::string_view unquote(std::string_view v) {
    if (v.size() > 1 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
        return v.substr(1, v.size() - 2);
    return v;
}

class Parser {
  public:
    Parser(Config& cfg, std::vector<Diagnostic>& diags, const ParseOptions& options)
        : cfg_(cfg), diags_(diags), options_(options) {}

    void parse_text(std::string_view text, const std::string& name, const fs::path& dir) {
        cfg_.files.push_back(name);
        unsigned line_no = 0;
        while (!text.empty()) {
            size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
            parse_line(line, Origin{name, ++line_no}, dir);
        }
    }

    // Reads a file; from is the lxc.include line that asked for it, if any.
    void parse_path(const fs::path& path, const Origin& from) {
        std::error_code ec;
        fs::path canonical = fs::weakly_canonical(path, ec);
        if (ec)
            canonical = path;
        if (std::find(stack_.begin(), stack_.end(), canonical) != stack_.end()) {
            std::string chain;
            for (const auto& p : stack_)
                chain += p.string() + " -> ";
            error(from, "lxc.include", "include loop: " + chain + canonical.string());
            return;
        }
        if (stack_.size() >= kMaxIncludeDepth) {
            error(from, "lxc.include", "includes nested too deeply at " + path.string());
            return;
        }
        std::string text;
        if (!read_file(path, from, text))
            return;
        stack_.push_back(canonical);
        parse_text(text, path.string(), path.parent_path());
        stack_.pop_back();
    }

    void finish(const std::string& main_file) {
        check_networks();
        check_exclusive("lxc.namespace.clone", !cfg_.namespace_clone.empty(), "lxc.namespace.keep",
                        !cfg_.namespace_keep.empty(), main_file);
        check_exclusive("lxc.cap.drop", !cfg_.cap_drop.empty(), "lxc.cap.keep",
                        !cfg_.cap_keep.empty(), main_file);
        bool split_dirs = !cfg_.cgroup_dir_monitor.empty() || !cfg_.cgroup_dir_container.empty();
        check_exclusive("lxc.cgroup.dir", !cfg_.cgroup_dir.empty(), "lxc.cgroup.dir.container",
                        split_dirs, main_file);
        if (cfg_.cgroup_dir_monitor.empty() != cfg_.cgroup_dir_container.empty()) {
            const char* set = cfg_.cgroup_dir_monitor.empty() ? "lxc.cgroup.dir.container"
                                                              : "lxc.cgroup.dir.monitor";
            error(origin_of(set, main_file), set,
                  "lxc.cgroup.dir.container and lxc.cgroup.dir.monitor must be set together");
        }
    }

  private:
    bool read_file(const fs::path& path, const Origin& from, std::string& text) {
        std::error_code ec;
        auto status = fs::status(path, ec);
        std::string problem;
        if (ec)
            problem = ec.message();
        else if (fs::is_directory(status))
            return include_directory(path, from);
        else if (!fs::is_regular_file(status))
            problem = "not a regular file";
        else if (fs::file_size(path, ec) > kMaxFileSize || ec)
            problem = ec ? ec.message() : "file too large";
        if (problem.empty()) {
            std::ifstream in(path, std::ios::binary);
            std::ostringstream buf;
            buf << in.rdbuf();
            if (!in)
                problem = "read failed";
            text = buf.str();
        }
        if (!problem.empty()) {
            error(from, from.line ? "lxc.include" : "",
                  "cannot read \"" + path.string() + "\": " + problem);
            return false;
        }
        return true;
    }

    // A directory include reads its *.conf files in name order.
    bool include_directory(const fs::path& dir, const Origin& from) {
        std::vector<fs::path> files;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const auto& p = entry.path();
            if (p.extension() == ".conf" && p.stem() != "" && entry.is_regular_file(ec))
                files.push_back(p);
        }
        if (ec) {
            error(from, "lxc.include",
                  "cannot read directory \"" + dir.string() + "\": " + ec.message());
            return false;
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files)
            parse_path(f, from);
        return false; // nothing left for the caller to parse
    }

    void parse_line(std::string_view raw, const Origin& origin, const fs::path& dir) {
        std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#')
            return;
        size_t eq = line.find('=');
        std::string key(trim(line.substr(0, eq)));
        if (line.find('\0') != std::string_view::npos) {
            error(origin, key, "line contains a NUL byte");
            return;
        }
        if (!key.starts_with("lxc.")) {
            // LXC skips lines that are not lxc.* keys; say so instead of silently.
            warning(origin, key, "ignored: not an lxc.* key");
            return;
        }
        if (eq == std::string_view::npos) {
            error(origin, key, "missing '=' (expected \"key = value\")");
            return;
        }
        std::string_view value = unquote(trim(line.substr(eq + 1)));
        if (key == "lxc.include") {
            include(value, origin, dir);
            return;
        }
        apply(key, value, origin);
    }

    void include(std::string_view value, const Origin& origin, const fs::path& dir) {
        if (value.empty()) {
            error(origin, "lxc.include", "missing file name");
            return;
        }
        if (!options_.follow_includes) {
            error(origin, "lxc.include", "includes are disabled here");
            return;
        }
        fs::path path(value);
        if (path.is_relative() && !dir.empty())
            path = dir / path;
        parse_path(path, origin);
    }

    void apply(const std::string& key, std::string_view value, const Origin& origin) {
        try {
            std::string modern = key;
            if (auto legacy = detail::translate_legacy(cfg_, key)) {
                warning(origin, key, legacy->warning);
                if (legacy->modern.empty())
                    return;
                modern = legacy->modern;
            }
            const detail::KeyHandler* handler = detail::find_key(modern);
            if (!handler) {
                error(origin, key, "unknown key");
                return;
            }
            if (value.empty())
                handler->clear(cfg_, modern);
            else
                handler->set(cfg_, modern, value);
            remember(modern, value, origin);
        } catch (const Error& e) {
            error(origin, key, e.what());
        }
    }

    void remember(const std::string& modern, std::string_view value, const Origin& origin) {
        last_set_[modern] = origin;
        if (!modern.starts_with("lxc.net."))
            return;
        Network* net = detail::network_for_key(cfg_, modern);
        if (net && (net->origin.line == 0 || (modern.ends_with(".type") && !value.empty())))
            net->origin = origin;
    }

    Origin origin_of(const std::string& key, const std::string& main_file) const {
        auto it = last_set_.find(key);
        return it == last_set_.end() ? Origin{main_file, 0} : it->second;
    }

    void check_networks() {
        for (const auto& n : cfg_.networks) {
            if (!n.type.empty())
                continue;
            std::string key = "lxc.net." + std::to_string(n.index) + ".type";
            error(n.origin, key, "network " + std::to_string(n.index) + " has no type");
        }
    }

    void check_exclusive(const std::string& a, bool a_set, const std::string& b, bool b_set,
                         const std::string& main_file) {
        if (a_set && b_set)
            error(origin_of(b, main_file), b, a + " and " + b + " cannot be used together");
    }

    void error(const Origin& o, const std::string& key, const std::string& msg) {
        diags_.push_back({Diagnostic::Level::Error, o, key, msg});
    }
    void warning(const Origin& o, const std::string& key, const std::string& msg) {
        diags_.push_back({Diagnostic::Level::Warning, o, key, msg});
    }

    Config& cfg_;
    std::vector<Diagnostic>& diags_;
    const ParseOptions& options_;
    std::vector<fs::path> stack_;
    std::map<std::string, Origin> last_set_;
};

} // namespace

ParseResult parse_file(const fs::path& path, const ParseOptions& options) {
    ParseResult r;
    Parser parser(r.config, r.diagnostics, options);
    parser.parse_path(path, Origin{path.string(), 0});
    parser.finish(path.string());
    return r;
}

ParseResult parse_string(std::string_view text, const std::string& name,
                         const ParseOptions& options) {
    ParseResult r;
    Parser parser(r.config, r.diagnostics, options);
    parser.parse_text(text, name, fs::path(name).parent_path());
    parser.finish(name);
    return r;
}

} // namespace lxcd::config
