// Fuzzes the cgroup text parsers: /proc/self/mountinfo + /proc/self/cgroup
// (split at the first NUL), lxc.cgroup2.devices rules (one per line, '+'
// prefix for allow) and lxc.cgroup.dir values. Only lxcd::Error may escape,
// and every accepted path must stay relative without "..".
#include "cgroup_devices.hpp"
#include "cgroup_layout.hpp"
#include "cgroup_paths.hpp"
#include "error.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void layout(std::string_view data) {
    size_t nul = data.find('\0');
    if (nul == std::string_view::npos)
        return;
    try {
        auto l = lxcd::cgroup::parse_layout(data.substr(0, nul), data.substr(nul + 1));
        for (const auto& h : l.hierarchies)
            if (h.own.empty() || h.own.front() != '/')
                abort();
    } catch (const lxcd::Error&) {
    }
}

void devices(std::string_view data) {
    lxcd::cgroup::DevicePolicy policy;
    size_t start = 0;
    while (start <= data.size()) {
        size_t end = data.find('\n', start);
        std::string_view line =
            data.substr(start, end == std::string_view::npos ? end : end - start);
        try {
            bool allow = !line.empty() && line.front() == '+';
            policy.add(allow ? line.substr(1) : line, allow, "fuzz");
        } catch (const lxcd::Error&) {
        }
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    auto prog = policy.program();
    if (prog.size() < 8)
        abort();
}

void dir(std::string_view data) {
    try {
        std::string d = lxcd::cgroup::normalize_dir(data, "dir");
        if (d.starts_with("/") || d == ".." || d.starts_with("../") ||
            d.find("/../") != std::string::npos || d.ends_with("/.."))
            abort();
    } catch (const lxcd::Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 3) {
    case 0:
        layout(input);
        break;
    case 1:
        devices(input);
        break;
    default:
        dir(input);
        break;
    }
    return 0;
}
