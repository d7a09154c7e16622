// /etc/lxc/lxc-usernet (LXC's lxc-usernet(5)): which bridges an unprivileged user may
// put veth devices on, and how many. One entry a line, "user type bridge count" or
// "@group type bridge count"; '#' starts a comment. The counts of every line that
// names the user or one of its groups for a bridge add up, as in LXC's lxc-user-nic.
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace lxcd {

inline constexpr const char* kUsernetPath = "/etc/lxc/lxc-usernet";

struct UsernetEntry {
    std::string owner; // user name, or group name when group is set
    bool group = false;
    std::string type; // "veth", the only type LXC supports
    std::string bridge;
    unsigned count = 0;
};

// Throws Error(InvalidConfig, "file:line: message") for a malformed line.
std::vector<UsernetEntry> parse_usernet(std::istream& in, const std::string& file);

// A missing file has no entries.
std::vector<UsernetEntry> read_usernet(const std::string& file = kUsernetPath);

// The caller as lxc-usernet names it: user name and the names of all its groups.
struct UsernetUser {
    uid_t uid = 0;
    std::string name;
    std::vector<std::string> groups;
};

// From the user database (getpwuid_r, getgrouplist). Throws Error(AccessDenied) for a
// uid without a name: no entry can be about it.
UsernetUser lookup_usernet_user(uid_t uid);

// How many `type` devices on `bridge` the entries give user (0: none).
unsigned usernet_allowance(const std::vector<UsernetEntry>& entries, const UsernetUser& user,
                           std::string_view type, std::string_view bridge);

// Checks that user may have `live` + `requested` veth devices on bridge. Throws
// Error(AccessDenied) when no entry names the user at all, Error(BridgeNotAllowed) when
// none gives it this bridge, Error(QuotaExceeded) when the total is over its count.
void check_usernet_quota(const std::vector<UsernetEntry>& entries, const UsernetUser& user,
                         const std::string& bridge, unsigned live, unsigned requested,
                         const std::string& file = kUsernetPath);

} // namespace lxcd
