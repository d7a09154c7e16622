// lxcd's record of one veth it created for an unprivileged user (user_nics.hpp), a file
// per device in <run_dir>/usernet named after its host side, so that a restarted lxcd
// still counts it against the user's quota and still deletes it when its container's
// init exits.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "netns_owner.hpp"

namespace lxcd {

struct UserNicRecord {
    std::string host_name; // the file's name
    int host_ifindex = 0;
    std::string bridge;
    uid_t uid = 0;
    ProcessId owner; // the container's init
    std::string container;
};

// "UID BRIDGE IFINDEX PID START_TIME CONTAINER", written atomically.
void write_user_nic_record(const std::filesystem::path& dir, const UserNicRecord& record);

// Every record in dir (none when dir is missing). Throws Error(InvalidArgument) naming
// the file for a malformed one.
std::vector<UserNicRecord> read_user_nic_records(const std::filesystem::path& dir);

void remove_user_nic_record(const std::filesystem::path& dir, const std::string& host_name);

} // namespace lxcd
