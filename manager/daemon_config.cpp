#include "daemon_config.hpp"

#include "error.hpp"
#include "ini_file.hpp"

#include <charconv>
#include <fstream>

namespace lxcd {

namespace {

[[noreturn]] void bad_value(const IniEntry& e, const std::string& what) {
    throw Error(Errc::InvalidConfig,
                e.where + ": [" + e.section + "] " + e.key + "=: '" + e.value + "' is not " + what);
}

// systemd's booleans (parse_boolean()).
bool boolean(const IniEntry& e) {
    for (const char* yes : {"1", "yes", "y", "true", "t", "on"})
        if (e.value == yes)
            return true;
    for (const char* no : {"0", "no", "n", "false", "f", "off"})
        if (e.value == no)
            return false;
    bad_value(e, "a boolean (yes or no)");
}

// Whole seconds, with or without systemd's "s" suffix.
std::chrono::seconds seconds(const IniEntry& e) {
    std::string digits = e.value;
    if (!digits.empty() && digits.back() == 's')
        digits.pop_back();
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
        bad_value(e, "a number of seconds");
    return std::chrono::seconds(n);
}

void autostart_key(AutostartSettings& a, const IniEntry& e) {
    if (e.key == "ParallelStart")
        a.parallel_start = boolean(e);
    else if (e.key == "DelayUntilReady")
        a.delay_until_ready = boolean(e);
    else if (e.key == "ParallelShutdown")
        a.parallel_shutdown = boolean(e);
    else if (e.key == "ShutdownTimeoutSec")
        a.shutdown_timeout = seconds(e);
    else
        throw Error(Errc::InvalidConfig, e.where + ": unknown key " + e.key +
                                             "= in [Autostart] (ParallelStart, DelayUntilReady, "
                                             "ParallelShutdown, ShutdownTimeoutSec)");
}

DaemonConfig from_entries(const std::vector<IniEntry>& entries) {
    DaemonConfig config;
    for (const auto& e : entries) {
        if (e.section != "Autostart")
            throw Error(Errc::InvalidConfig,
                        e.where + ": unknown section [" + e.section + "] (Autostart)");
        autostart_key(config.autostart, e);
    }
    return config;
}

} // namespace

DaemonConfig parse_daemon_config(std::istream& in, const std::string& file) {
    return from_entries(parse_ini(in, file));
}

DaemonConfig load_daemon_config(const std::filesystem::path& path) {
    return from_entries(read_ini(path));
}

} // namespace lxcd
