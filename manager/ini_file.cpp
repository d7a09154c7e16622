#include "ini_file.hpp"

#include "error.hpp"

#include <cerrno>
#include <fstream>

namespace lxcd {

namespace {

std::string trim(const std::string& s) {
    const char* space = " \t\r";
    size_t begin = s.find_first_not_of(space);
    if (begin == std::string::npos)
        return "";
    return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

} // namespace

std::vector<IniEntry> parse_ini(std::istream& in, const std::string& file) {
    std::vector<IniEntry> entries;
    std::string section, raw;
    for (unsigned n = 1; std::getline(in, raw); n++) {
        const std::string where = file + ":" + std::to_string(n);
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        if (line[0] == '[') {
            if (line.back() != ']' || line.size() < 3)
                throw Error(Errc::InvalidConfig, where + ": bad section header '" + line + "'");
            section = line.substr(1, line.size() - 2);
            continue;
        }
        size_t eq = line.find('=');
        if (eq == std::string::npos)
            throw Error(Errc::InvalidConfig,
                        where + ": expected [Section] or Key=Value, got '" + line + "'");
        std::string key = trim(line.substr(0, eq));
        if (key.empty())
            throw Error(Errc::InvalidConfig, where + ": no key before '='");
        if (section.empty())
            throw Error(Errc::InvalidConfig, where + ": " + key + "= is outside any [Section]");
        entries.push_back(IniEntry{section, key, trim(line.substr(eq + 1)), where});
    }
    if (in.bad())
        throw Error(Errc::System, "cannot read " + file);
    return entries;
}

std::vector<IniEntry> read_ini(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) {
        if (errno == ENOENT)
            return {};
        throw_errno("cannot open " + path.string());
    }
    return parse_ini(in, path.string());
}

} // namespace lxcd
