// Reading usage back from a container's payload cgroups: cgroup v2 files where the
// unified hierarchy has them (cpu.stat exists there even without the cpu controller,
// so hybrid hosts get CPU time from it), v1 controllers for the rest.
#include "cgroup.hpp"

#include "cgroup_fs.hpp"
#include "fd.hpp"

#include <charconv>
#include <sstream>

#include <fcntl.h>

namespace lxcd::cgroup {

namespace {

namespace fs = std::filesystem;

// Where each figure may come from: the payload's directory in each hierarchy, opened
// once so that each file is one short lookup; not open where the hierarchy is not there.
struct StatDirs {
    UniqueFd unified, memory, cpuacct, pids, blkio;
};

UniqueFd open_dir(const fs::path& dir) {
    return UniqueFd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
}

// An I/O statistics file's text, with the I/O figures set to 0 (no device I/O yet is 0,
// not unknown); nullopt when the hierarchy has no such file.
std::optional<std::string> io_file(const UniqueFd& dir, const char* name, Stats& s) {
    auto text = read_file_at(dir.get(), name);
    if (!text)
        return std::nullopt;
    s.io_read_bytes = s.io_read_bytes.value_or(0);
    s.io_write_bytes = s.io_write_bytes.value_or(0);
    return text;
}

// Sums a v2 io.stat's "rbytes=" / "wbytes=" over all devices.
void add_io_stat(const UniqueFd& dir, Stats& s) {
    auto text = io_file(dir, "io.stat", s);
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
void add_blkio(const UniqueFd& dir, Stats& s) {
    auto text = io_file(dir, "blkio.throttle.io_service_bytes", s);
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

Stats read_stats(const StatDirs& d) {
    Stats s;
    if (d.unified) {
        int dir = d.unified.get();
        s.memory_current = read_u64_at(dir, "memory.current");
        s.memory_peak = read_u64_at(dir, "memory.peak");
        s.memory_max = read_u64_at(dir, "memory.max");
        s.cpu_usage_usec = read_u64_at(dir, "cpu.stat", "usage_usec");
        s.pids_current = read_u64_at(dir, "pids.current");
        add_io_stat(d.unified, s);
    }
    if (d.memory && !s.memory_current) {
        int dir = d.memory.get();
        s.memory_current = read_u64_at(dir, "memory.usage_in_bytes");
        s.memory_peak = read_u64_at(dir, "memory.max_usage_in_bytes");
        s.memory_max = read_u64_at(dir, "memory.limit_in_bytes");
        // v1 says "unlimited" with the largest page-aligned number.
        if (s.memory_max && *s.memory_max >= (uint64_t{1} << 62))
            s.memory_max.reset();
    }
    if (d.cpuacct && !s.cpu_usage_usec)
        if (auto ns = read_u64_at(d.cpuacct.get(), "cpuacct.usage"))
            s.cpu_usage_usec = *ns / 1000;
    if (d.pids && !s.pids_current)
        s.pids_current = read_u64_at(d.pids.get(), "pids.current");
    if (d.blkio && !s.io_read_bytes)
        add_blkio(d.blkio, s);
    return s;
}

} // namespace

Stats ContainerCgroups::stats() const {
    StatDirs d;
    if (const Node* n = unified_node())
        d.unified = open_dir(payload_dir(*n));
    for (auto [controller, dir] :
         {std::pair{"memory", &StatDirs::memory}, std::pair{"cpuacct", &StatDirs::cpuacct},
          std::pair{"pids", &StatDirs::pids}, std::pair{"blkio", &StatDirs::blkio}})
        if (const Node* n = v1_node(controller))
            d.*dir = open_dir(payload_dir(*n));
    return read_stats(d);
}

Stats process_stats(pid_t pid) {
    Layout layout = parse_layout(read_file("/proc/self/mountinfo"),
                                 read_file("/proc/" + std::to_string(pid) + "/cgroup"));
    StatDirs d;
    if (const Hierarchy* h = layout.unified())
        d.unified = open_dir(h->own_dir());
    for (auto [controller, dir] :
         {std::pair{"memory", &StatDirs::memory}, std::pair{"cpuacct", &StatDirs::cpuacct},
          std::pair{"pids", &StatDirs::pids}, std::pair{"blkio", &StatDirs::blkio}})
        if (const Hierarchy* h = layout.v1_with(controller); h && h->own != "/")
            d.*dir = open_dir(h->own_dir());
    return read_stats(d);
}

} // namespace lxcd::cgroup
