#include "subid.hpp"

#include "error.hpp"
#include "process.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>

namespace lxcd::runtime {

namespace {

constexpr const char* kNewuidmap = "/usr/bin/newuidmap";
constexpr const char* kNewgidmap = "/usr/bin/newgidmap";

bool parse_number(std::string_view text, uint64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// True when [first, first + count) lies within the union of `ranges`.
bool covered(std::vector<SubIdRange> ranges, uint64_t first, uint64_t count) {
    std::sort(ranges.begin(), ranges.end(),
              [](const SubIdRange& a, const SubIdRange& b) { return a.start < b.start; });
    uint64_t pos = first;
    uint64_t end = first + count;
    for (const auto& r : ranges) {
        if (pos >= end)
            break;
        if (r.start <= pos && pos < r.start + r.count)
            pos = r.start + r.count;
    }
    return pos >= end;
}

std::string describe(const std::vector<SubIdRange>& ranges) {
    std::string out;
    for (const auto& r : ranges)
        out += (out.empty() ? "" : ", ") + std::to_string(r.start) + ":" + std::to_string(r.count);
    return out;
}

void check_type(const std::vector<config::IdMap>& maps, const SubIdOwner& owner, char type) {
    bool uid = type == 'u';
    const auto& ranges = uid ? owner.subuids : owner.subgids;
    uint32_t own = uid ? owner.uid : owner.gid;
    std::string kind = uid ? "subuid" : "subgid";
    for (const auto& m : maps) {
        if (m.type != type || (m.range == 1 && m.host_id == own))
            continue; // newuidmap lets anyone map their own id
        if (ranges.empty())
            throw Error(Errc::InvalidConfig, "user " + owner.user + " has no " + kind +
                                                 " range in " + (uid ? kSubuidFile : kSubgidFile));
        if (!covered(ranges, m.host_id, m.range))
            throw Error(Errc::InvalidConfig,
                        std::string("lxc.idmap ") + type + " " + std::to_string(m.ns_id) + " " +
                            std::to_string(m.host_id) + " " + std::to_string(m.range) +
                            " not within " + owner.user + "'s " + kind + " ranges (" +
                            describe(ranges) + ")");
    }
}

std::vector<SubIdRange> read_subids(const char* file, const std::string& user, uint32_t id) {
    std::ifstream in(file);
    if (!in)
        return {}; // no file: no ranges, reported as such by check_subids
    return parse_subids(in, user, id);
}

// newuidmap PID NS HOST COUNT ...: the helper checks the ranges again itself.
void run_map_helper(const char* helper, pid_t pid, const std::vector<config::IdMap>& maps,
                    char type) {
    std::vector<std::string> argv{helper, std::to_string(pid)};
    for (const auto& m : maps) {
        if (m.type != type)
            continue;
        argv.push_back(std::to_string(m.ns_id));
        argv.push_back(std::to_string(m.host_id));
        argv.push_back(std::to_string(m.range));
    }
    if (::access(helper, X_OK) < 0)
        throw Error(Errc::Failed, std::string(helper) +
                                      " is missing: unprivileged containers need it (Debian "
                                      "package uidmap)");
    // It only writes two files: a generous bound keeps a wedged helper from hanging a start.
    std::optional<int> status =
        run_and_wait(argv, inherited_environment(), std::chrono::seconds(10));
    if (!status)
        throw Error(Errc::Timeout, std::string(helper) + " " + std::to_string(pid) +
                                       " did not finish within 10 s: killed");
    if (*status != 0)
        throw Error(Errc::Failed, std::string(helper) + " " + std::to_string(pid) +
                                      " failed: " + describe_status(*status));
}

} // namespace

std::vector<SubIdRange> parse_subids(std::istream& in, const std::string& user, uint32_t id) {
    std::vector<SubIdRange> out;
    std::string line;
    std::string numeric = std::to_string(id);
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        size_t a = line.find(':');
        size_t b = a == std::string::npos ? a : line.find(':', a + 1);
        if (b == std::string::npos)
            continue;
        std::string_view owner(line.data(), a);
        if (owner != user && owner != numeric)
            continue;
        SubIdRange r;
        std::string_view start(line.data() + a + 1, b - a - 1);
        std::string_view count(line.data() + b + 1, line.size() - b - 1);
        if (parse_number(start, r.start) && parse_number(count, r.count) && r.count > 0)
            out.push_back(r);
    }
    return out;
}

void check_subids(const std::vector<config::IdMap>& maps, const SubIdOwner& owner) {
    check_type(maps, owner, 'u');
    check_type(maps, owner, 'g');
}

SubIdOwner current_subid_owner() {
    SubIdOwner o;
    o.uid = ::getuid();
    o.gid = ::getgid();
    const passwd* pw = ::getpwuid(o.uid);
    o.user = pw ? pw->pw_name : std::to_string(o.uid);
    o.subuids = read_subids(kSubuidFile, o.user, o.uid);
    o.subgids = read_subids(kSubgidFile, o.user, o.uid);
    return o;
}

void write_idmaps_with_helpers(pid_t pid, const std::vector<config::IdMap>& maps) {
    run_map_helper(kNewuidmap, pid, maps, 'u');
    run_map_helper(kNewgidmap, pid, maps, 'g');
}

} // namespace lxcd::runtime
