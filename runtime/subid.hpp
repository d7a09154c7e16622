// Subordinate ids (seed 002): a non-root user may map into a user namespace only the
// ranges /etc/subuid and /etc/subgid give it ("user:start:count"), plus its own id.
// Maps are written by Debian's setuid newuidmap/newgidmap (package uidmap), the one
// sanctioned way to do so without privileges of our own.
#pragma once

#include "config.hpp"

#include <cstdint>
#include <istream>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lxcd::runtime {

inline constexpr const char* kSubuidFile = "/etc/subuid";
inline constexpr const char* kSubgidFile = "/etc/subgid";

struct SubIdRange {
    uint64_t start = 0;
    uint64_t count = 0;
    bool operator==(const SubIdRange&) const = default;
};

// The ranges of the lines naming `user` or its numeric `id`, as shadow's newuidmap reads
// them; comments and malformed lines are skipped as it does.
std::vector<SubIdRange> parse_subids(std::istream& in, const std::string& user, uint32_t id);

// The user whose ranges count, and what it may map.
struct SubIdOwner {
    std::string user;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<SubIdRange> subuids;
    std::vector<SubIdRange> subgids;
};

// Throws Error(InvalidConfig) unless every lxc.idmap entry lies within one of the owner's
// ranges of its type or maps exactly its own id: "user X has no subuid range in
// /etc/subuid", "lxc.idmap u 0 100000 65536 not within X's subuid ranges (...)".
void check_subids(const std::vector<config::IdMap>& maps, const SubIdOwner& owner);

// The calling user with its ranges from /etc/subuid and /etc/subgid.
SubIdOwner current_subid_owner();

// Writes uid_map and gid_map of `pid` through newuidmap and newgidmap. Throws Error naming the
// helper and its exit status on failure.
void write_idmaps_with_helpers(pid_t pid, const std::vector<config::IdMap>& maps);

} // namespace lxcd::runtime
