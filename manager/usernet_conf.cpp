#include "usernet_conf.hpp"

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "error.hpp"
#include "ifname.hpp"

namespace lxcd {

namespace {

[[noreturn]] void malformed(const std::string& file, unsigned lineno, const std::string& what) {
    throw Error(Errc::InvalidConfig, file + ":" + std::to_string(lineno) + ": " + what);
}

UsernetEntry parse_entry(const std::string& text, const std::string& file, unsigned lineno) {
    std::istringstream fields(text);
    std::string owner, type, bridge, count, extra;
    if (!(fields >> owner >> type >> bridge >> count) || (fields >> extra))
        malformed(file, lineno, "expected \"user|@group type bridge count\", got \"" + text + "\"");
    UsernetEntry e;
    e.group = owner[0] == '@';
    e.owner = e.group ? owner.substr(1) : owner;
    if (e.owner.empty())
        malformed(file, lineno, "\"@\" without a group name");
    if (type != "veth")
        malformed(file, lineno, "unsupported device type \"" + type + "\" (only veth)");
    e.type = type;
    if (!net::is_valid_ifname(bridge))
        malformed(file, lineno, "invalid bridge name \"" + bridge + "\"");
    e.bridge = bridge;
    const char* end = count.data() + count.size();
    auto [ptr, ec] = std::from_chars(count.data(), end, e.count);
    if (ec != std::errc() || ptr != end)
        malformed(file, lineno, "invalid count \"" + count + "\"");
    return e;
}

bool names(const UsernetEntry& e, const UsernetUser& user) {
    if (!e.group)
        return e.owner == user.name;
    return std::find(user.groups.begin(), user.groups.end(), e.owner) != user.groups.end();
}

std::string describe(const UsernetUser& user) {
    return "user " + user.name + " (uid " + std::to_string(user.uid) + ")";
}

// Calls get(buf, size) with a growing buffer while it answers ERANGE.
template <typename Get> int with_buffer(std::vector<char>& buf, Get get) {
    buf.resize(1024);
    int err;
    while ((err = get(buf.data(), buf.size())) == ERANGE)
        buf.resize(buf.size() * 2);
    return err;
}

} // namespace

std::vector<UsernetEntry> parse_usernet(std::istream& in, const std::string& file) {
    std::vector<UsernetEntry> entries;
    std::string line;
    for (unsigned lineno = 1; std::getline(in, line); lineno++) {
        line = line.substr(0, line.find('#'));
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        entries.push_back(parse_entry(line, file, lineno));
    }
    return entries;
}

std::vector<UsernetEntry> read_usernet(const std::string& file) {
    std::ifstream in(file);
    if (!in)
        return {};
    return parse_usernet(in, file);
}

UsernetUser lookup_usernet_user(uid_t uid) {
    std::vector<char> buf;
    passwd pw{};
    passwd* found = nullptr;
    with_buffer(buf, [&](char* b, size_t n) { return getpwuid_r(uid, &pw, b, n, &found); });
    if (!found)
        throw Error(Errc::AccessDenied, "uid " + std::to_string(uid) + " has no user name");
    UsernetUser user{uid, pw.pw_name, {}};

    int ngroups = 32;
    std::vector<gid_t> gids(ngroups);
    while (getgrouplist(pw.pw_name, pw.pw_gid, gids.data(), &ngroups) < 0)
        gids.resize(ngroups);
    gids.resize(ngroups);
    for (gid_t gid : gids) {
        group gr{};
        group* g = nullptr;
        with_buffer(buf, [&](char* b, size_t n) { return getgrgid_r(gid, &gr, b, n, &g); });
        if (g)
            user.groups.emplace_back(g->gr_name);
    }
    return user;
}

unsigned usernet_allowance(const std::vector<UsernetEntry>& entries, const UsernetUser& user,
                           std::string_view type, std::string_view bridge) {
    unsigned total = 0;
    for (const auto& e : entries)
        if (names(e, user) && e.type == type && e.bridge == bridge)
            total += e.count;
    return total;
}

void check_usernet_quota(const std::vector<UsernetEntry>& entries, const UsernetUser& user,
                         const std::string& bridge, unsigned live, unsigned requested,
                         const std::string& file) {
    if (std::none_of(entries.begin(), entries.end(),
                     [&](const UsernetEntry& e) { return names(e, user); }))
        throw Error(Errc::AccessDenied,
                    describe(user) + " has no entry in " + file + ": no network devices");
    const unsigned allowed = usernet_allowance(entries, user, "veth", bridge);
    if (allowed == 0)
        throw Error(Errc::BridgeNotAllowed, file + " gives " + describe(user) +
                                                " no veth devices on bridge \"" + bridge + "\"");
    if (live + requested > allowed)
        throw Error(Errc::QuotaExceeded, describe(user) + " may have " + std::to_string(allowed) +
                                             " veth devices on bridge \"" + bridge + "\" (" + file +
                                             "), has " + std::to_string(live) + " and asks for " +
                                             std::to_string(requested));
}

} // namespace lxcd
