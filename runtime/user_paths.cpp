#include "user_paths.hpp"

#include "error.hpp"
#include "unprivileged.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace lxcd::runtime {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t");
    size_t e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

fs::path home_dir() {
    if (const char* h = std::getenv("HOME"); h && *h)
        return h;
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir && *pw->pw_dir)
        return pw->pw_dir;
    throw Error(Errc::Failed, "uid " + std::to_string(::getuid()) +
                                  " has no home directory for its containers (set HOME)");
}

fs::path runtime_dir() {
    if (const char* r = std::getenv("XDG_RUNTIME_DIR"); r && *r)
        return r;
    return "/run/user/" + std::to_string(::getuid());
}

} // namespace

LxcPaths system_paths() {
    return {"/etc/lxc/lxc.conf", "/etc/lxc/default.conf", "/var/lib/lxc", "/var/cache/lxc",
            "/run/lxcd"};
}

std::optional<fs::path> parse_lxcpath(std::istream& in, const fs::path& home) {
    std::optional<fs::path> out;
    std::string line;
    while (std::getline(in, line)) {
        size_t eq = line.find('=');
        if (eq == std::string::npos || trim(line.substr(0, eq)) != "lxc.lxcpath")
            continue;
        std::string value = trim(line.substr(eq + 1));
        if (value.starts_with("~/"))
            out = home / value.substr(2);
        else if (!value.empty())
            out = value;
    }
    return out;
}

LxcPaths user_paths(const fs::path& home, const fs::path& runtime_dir) {
    LxcPaths p{home / ".config/lxc/lxc.conf", home / ".config/lxc/default.conf",
               home / ".local/share/lxc", home / ".cache/lxc", runtime_dir / "lxcd"};
    std::ifstream conf(p.lxc_conf);
    if (auto lxcpath = parse_lxcpath(conf, home))
        p.lxcpath = *lxcpath;
    return p;
}

LxcPaths current_paths() {
    if (!unprivileged())
        return system_paths();
    return user_paths(home_dir(), runtime_dir());
}

} // namespace lxcd::runtime
