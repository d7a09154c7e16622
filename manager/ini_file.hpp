// A systemd-style INI file (systemd.syntax(7)): "[Section]" headers, "Key=Value"
// lines, blank lines and comments starting with '#' or ';'. Whitespace around
// keys and values is dropped. No quoting or line continuations: lxcd's own
// settings are single words.
#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace lxcd {

struct IniEntry {
    std::string section;
    std::string key;
    std::string value;
    std::string where; // "FILE:LINE", for messages about this entry
};

// Throws Error(InvalidConfig, "FILE:LINE: ...") on a line that is none of the above.
std::vector<IniEntry> parse_ini(std::istream& in, const std::string& file);
// The same for a file on disk; a missing file has no entries.
std::vector<IniEntry> read_ini(const std::filesystem::path& path);

} // namespace lxcd
