// Reading usage back from a container's payload cgroups: cgroup v2 files where the
// unified hierarchy has them (cpu.stat exists there even without the cpu controller,
// so hybrid hosts get CPU time from it), v1 controllers for the rest.
#include "cgroup.hpp"

#include "cgroup_fs.hpp"

#include <charconv>
#include <sstream>

namespace lxcd::cgroup {

namespace {

namespace fs = std::filesystem;

// An I/O statistics file's text, with the I/O figures set to 0 (no device I/O yet is 0,
// not unknown); nullopt when the hierarchy has no such file.
std::optional<std::string> io_file(const fs::path& file, Stats& s) {
    auto text = read_file_if_exists(file);
    if (!text)
        return std::nullopt;
    s.io_read_bytes = s.io_read_bytes.value_or(0);
    s.io_write_bytes = s.io_write_bytes.value_or(0);
    return text;
}

// Sums a v2 io.stat's "rbytes=" / "wbytes=" over all devices.
void add_io_stat(const fs::path& dir, Stats& s) {
    auto text = io_file(dir / "io.stat", s);
    if (!text)
        return;
    std::istringstream in(*text);
    for (std::string word; in >> word;) {
        for (auto [prefix, field] : {std::pair{"rbytes=", &Stats::io_read_bytes},
                                     std::pair{"wbytes=", &Stats::io_write_bytes}}) {
            uint64_t n = 0;
            std::string_view value = std::string_view(word).substr(7);
            if (word.starts_with(prefix) &&
                std::from_chars(value.data(), value.data() + value.size(), n).ec == std::errc())
                s.*field = (s.*field).value_or(0) + n;
        }
    }
}

// Sums v1 blkio.throttle.io_service_bytes' "MAJ:MIN Read N" / "Write N" lines.
void add_blkio(const fs::path& dir, Stats& s) {
    auto text = io_file(dir / "blkio.throttle.io_service_bytes", s);
    if (!text)
        return;
    std::istringstream in(*text);
    for (std::string dev, op; in >> dev >> op;) {
        uint64_t n = 0;
        if (dev == "Total" || !(in >> n))
            continue;
        if (op == "Read")
            s.io_read_bytes = s.io_read_bytes.value_or(0) + n;
        else if (op == "Write")
            s.io_write_bytes = s.io_write_bytes.value_or(0) + n;
    }
}

} // namespace

StatsReader::StatsReader(pid_t pid) {
    Layout layout = parse_layout(read_file("/proc/self/mountinfo"),
                                 read_file("/proc/" + std::to_string(pid) + "/cgroup"));
    if (const Hierarchy* h = layout.unified())
        unified_ = h->own_dir().string();
    for (auto [controller, dir] :
         {std::pair{"memory", &StatsReader::memory_}, std::pair{"cpuacct", &StatsReader::cpuacct_},
          std::pair{"pids", &StatsReader::pids_}, std::pair{"blkio", &StatsReader::blkio_}})
        if (const Hierarchy* h = layout.v1_with(controller); h && h->own != "/")
            this->*dir = h->own_dir().string();
}

Stats StatsReader::read() const {
    Stats s;
    if (!unified_.empty()) {
        s.memory_current = read_u64(unified_ + "/memory.current");
        s.memory_peak = read_u64(unified_ + "/memory.peak");
        s.memory_max = read_u64(unified_ + "/memory.max");
        s.cpu_usage_usec = read_u64(unified_ + "/cpu.stat", "usage_usec");
        s.pids_current = read_u64(unified_ + "/pids.current");
        add_io_stat(unified_, s);
    }
    if (!memory_.empty() && !s.memory_current) {
        s.memory_current = read_u64(memory_ + "/memory.usage_in_bytes");
        s.memory_peak = read_u64(memory_ + "/memory.max_usage_in_bytes");
        s.memory_max = read_u64(memory_ + "/memory.limit_in_bytes");
        // v1 says "unlimited" with the largest page-aligned number.
        if (s.memory_max && *s.memory_max >= (uint64_t{1} << 62))
            s.memory_max.reset();
    }
    if (!cpuacct_.empty() && !s.cpu_usage_usec)
        if (auto ns = read_u64(cpuacct_ + "/cpuacct.usage"))
            s.cpu_usage_usec = *ns / 1000;
    if (!pids_.empty() && !s.pids_current)
        s.pids_current = read_u64(pids_ + "/pids.current");
    if (!blkio_.empty() && !s.io_read_bytes)
        add_blkio(blkio_, s);
    return s;
}

Stats ContainerCgroups::stats() const {
    StatsReader r;
    if (const Node* n = unified_node())
        r.unified_ = payload_dir(*n).string();
    for (auto [controller, dir] :
         {std::pair{"memory", &StatsReader::memory_}, std::pair{"cpuacct", &StatsReader::cpuacct_},
          std::pair{"pids", &StatsReader::pids_}, std::pair{"blkio", &StatsReader::blkio_}})
        if (const Node* n = v1_node(controller))
            r.*dir = payload_dir(*n).string();
    return r.read();
}

} // namespace lxcd::cgroup
