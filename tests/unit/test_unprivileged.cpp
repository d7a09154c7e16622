// runtime/subid and runtime/user_paths: /etc/subuid ranges, lxc.idmap checks against
// them, and LXC's per-user paths.
#include "error.hpp"
#include "subid.hpp"
#include "user_paths.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace lxcd::runtime {
namespace {

using config::IdMap;

TEST(Subid, ParsesTheLinesOfTheUserByNameOrUid) {
    std::istringstream in("# comment\n"
                          "alice:100000:65536\n"
                          "bob:165536:65536\n"
                          "1000:300000:10\n"
                          "alice:bad:1\n"
                          "alice:400000:0\n"
                          "alice:500000\n");
    auto ranges = parse_subids(in, "alice", 1000);
    ASSERT_EQ(2u, ranges.size());
    EXPECT_EQ((SubIdRange{100000, 65536}), ranges[0]);
    EXPECT_EQ((SubIdRange{300000, 10}), ranges[1]);
}

SubIdOwner alice() {
    return {"alice", 1000, 1000, {{100000, 65536}, {165536, 100}}, {{100000, 65536}}};
}

TEST(Subid, AcceptsMapsWithinTheRangesAndTheOwnId) {
    EXPECT_NO_THROW(check_subids({{'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}}, alice()));
    // Adjacent ranges count as one, as for newuidmap.
    EXPECT_NO_THROW(check_subids({{'u', 0, 100000, 65636}}, alice()));
    EXPECT_NO_THROW(check_subids({{'u', 1000, 1000, 1}, {'g', 1000, 1000, 1}}, alice()));
}

TEST(Subid, RefusesARangeTooLargeNamingIt) {
    try {
        check_subids({{'u', 0, 100000, 65536}, {'g', 0, 100000, 70000}}, alice());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(Errc::InvalidConfig, e.code());
        EXPECT_STREQ("lxc.idmap g 0 100000 70000 not within alice's subgid ranges (100000:65536)",
                     e.what());
    }
    EXPECT_THROW(check_subids({{'u', 0, 99999, 10}}, alice()), Error);
    EXPECT_THROW(check_subids({{'u', 0, 1000, 2}}, alice()), Error);
}

TEST(Subid, RefusesAUserWithoutRanges) {
    SubIdOwner bob{"bob", 1001, 1001, {}, {}};
    try {
        check_subids({{'u', 0, 100000, 65536}}, bob);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ("user bob has no subuid range in /etc/subuid", e.what());
    }
}

TEST(UserPaths, LxcpathFromLxcConf) {
    std::istringstream in("lxc.lxcpath = /srv/one\n"
                          "# lxc.lxcpath = /nope\n"
                          "lxc.lxcpath=~/containers\n");
    EXPECT_EQ(std::filesystem::path("/home/a/containers"), parse_lxcpath(in, "/home/a"));
    std::istringstream none("lxc.default_config = /x\n");
    EXPECT_FALSE(parse_lxcpath(none, "/home/a"));
}

TEST(UserPaths, LxcsPerUserPaths) {
    LxcPaths p = user_paths("/nonexistent/home", "/run/user/1000");
    EXPECT_EQ("/nonexistent/home/.local/share/lxc", p.lxcpath);
    EXPECT_EQ("/nonexistent/home/.config/lxc/default.conf", p.default_conf);
    EXPECT_EQ("/nonexistent/home/.config/lxc/lxc.conf", p.lxc_conf);
    EXPECT_EQ("/nonexistent/home/.cache/lxc", p.cache_dir);
    EXPECT_EQ("/run/user/1000/lxcd", p.run_dir);
}

} // namespace
} // namespace lxcd::runtime
