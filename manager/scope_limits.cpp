#include "scope_limits.hpp"

#include "error.hpp"

#include <cctype>
#include <charconv>
#include <functional>
#include <map>

namespace lxcd {

namespace {

[[noreturn]] void bad_value(std::string_view key, std::string_view value, std::string_view why) {
    throw Error(Errc::InvalidConfig, std::string(key) + ": invalid value '" + std::string(value) +
                                         "': " + std::string(why));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::optional<uint64_t> to_u64(std::string_view s) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return n;
}

// "max", "-1" (v1's unlimited) or a byte count with an optional K/M/G/T/P/E
// suffix (powers of 1024), as the kernel's memparse reads memory limits.
uint64_t parse_bytes(std::string_view key, std::string_view value) {
    std::string_view v = trim(value);
    if (v == "max" || v == "-1")
        return kLimitMax;
    unsigned shift = 0;
    if (!v.empty()) {
        const std::string_view suffixes = "KMGTPE";
        size_t pos =
            suffixes.find(static_cast<char>(std::toupper(static_cast<unsigned char>(v.back()))));
        if (pos != std::string_view::npos) {
            shift = 10 * static_cast<unsigned>(pos + 1);
            v.remove_suffix(1);
        }
    }
    auto n = to_u64(v);
    if (!n)
        bad_value(key, value, "expected bytes (with K/M/G/T suffix) or 'max'");
    if (shift && *n > (kLimitMax >> shift))
        bad_value(key, value, "too large");
    return *n << shift;
}

uint64_t parse_count(std::string_view key, std::string_view value, uint64_t lo, uint64_t hi) {
    std::string_view v = trim(value);
    if (v == "max")
        return kLimitMax;
    auto n = to_u64(v);
    if (!n || *n < lo || *n > hi)
        bad_value(key, value,
                  "expected a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return *n;
}

// cgroup v2 cpu.max: "QUOTA|max [PERIOD]" in microseconds.
void parse_cpu_max(ScopeLimits& l, std::string_view key, std::string_view value) {
    std::string_view v = trim(value);
    size_t sp = v.find(' ');
    std::string_view quota = v.substr(0, sp);
    uint64_t period = 100000;
    if (sp != std::string_view::npos) {
        auto p = to_u64(trim(v.substr(sp + 1)));
        if (!p || *p < 1000 || *p > 1000000)
            bad_value(key, value, "period must be 1000..1000000 microseconds");
        period = *p;
        l.cpu_quota_period_usec = period;
    }
    if (quota == "max") {
        l.cpu_quota_per_sec_usec = kLimitMax;
        return;
    }
    auto q = to_u64(quota);
    if (!q || *q == 0)
        bad_value(key, value, "expected 'QUOTA|max [PERIOD]' in microseconds");
    l.cpu_quota_per_sec_usec = *q * 1000000 / period;
}

using Mapper = std::function<void(ScopeLimits&, const std::string& key, const std::string& value)>;

const std::map<std::string, Mapper, std::less<>>& mappers() {
    static const std::map<std::string, Mapper, std::less<>> m = {
        {"memory.max", [](auto& l, auto& k, auto& v) { l.memory_max = parse_bytes(k, v); }},
        {"memory.limit_in_bytes",
         [](auto& l, auto& k, auto& v) { l.memory_max = parse_bytes(k, v); }},
        {"memory.high", [](auto& l, auto& k, auto& v) { l.memory_high = parse_bytes(k, v); }},
        {"pids.max",
         [](auto& l, auto& k, auto& v) { l.tasks_max = parse_count(k, v, 0, kLimitMax - 1); }},
        {"cpu.weight",
         [](auto& l, auto& k, auto& v) { l.cpu_weight = parse_count(k, v, 1, 10000); }},
        {"cpu.shares",
         [](auto& l, auto& k, auto& v) { l.cpu_shares = parse_count(k, v, 2, 262144); }},
        {"cpu.max", [](auto& l, auto& k, auto& v) { parse_cpu_max(l, k, v); }},
        {"cpuset.cpus", [](auto& l, auto& k, auto& v) { l.allowed_cpus = parse_cpu_list(v, k); }},
        {"cpuset.mems",
         [](auto& l, auto& k, auto& v) { l.allowed_memory_nodes = parse_cpu_list(v, k); }},
    };
    return m;
}

void map_entries(ScopeLimits& l, const std::vector<std::pair<std::string, std::string>>& entries,
                 const std::string& prefix) {
    for (const auto& [key, value] : entries) {
        auto it = mappers().find(key);
        if (it != mappers().end())
            it->second(l, prefix + key, value);
    }
}

} // namespace

std::vector<uint8_t> parse_cpu_list(std::string_view list, std::string_view key) {
    constexpr uint64_t kMaxCpu = 8192; // systemd's CPU_SET limit is of this order
    std::vector<uint8_t> mask;
    std::string_view rest = trim(list);
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (item.empty())
            continue;
        size_t dash = item.find('-');
        auto lo = to_u64(item.substr(0, dash));
        auto hi = dash == std::string_view::npos ? lo : to_u64(item.substr(dash + 1));
        if (!lo || !hi || *lo > *hi || *hi >= kMaxCpu)
            bad_value(key, list, "expected a list like '0-3,8'");
        if (mask.size() < *hi / 8 + 1)
            mask.resize(*hi / 8 + 1, 0);
        for (uint64_t i = *lo; i <= *hi; i++)
            mask[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
    }
    return mask;
}

ScopeLimits scope_limits(const config::Config& conf) {
    ScopeLimits l;
    map_entries(l, conf.cgroup_v1, "lxc.cgroup.");
    map_entries(l, conf.cgroup_v2, "lxc.cgroup2.");
    return l;
}

} // namespace lxcd
