// /etc/lxc/lxc-usernet (manager/usernet_conf) and lxcd's per-device records of what it
// created for unprivileged users (manager/user_nic_record).
#include "error.hpp"
#include "temp_dir.hpp"
#include "user_nic_record.hpp"
#include "usernet_conf.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace lxcd;

namespace {

std::vector<UsernetEntry> parse(const std::string& text) {
    std::istringstream in(text);
    return parse_usernet(in, "/etc/lxc/lxc-usernet");
}

std::string parse_error(const std::string& text) {
    try {
        parse(text);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::InvalidConfig);
        return e.what();
    }
    ADD_FAILURE() << "no error for: " << text;
    return "";
}

Errc quota_error(const std::vector<UsernetEntry>& entries, const UsernetUser& user,
                 const std::string& bridge, unsigned live, unsigned requested) {
    try {
        check_usernet_quota(entries, user, bridge, live, requested);
    } catch (const Error& e) {
        return e.code();
    }
    return Errc::Failed;
}

const UsernetUser alice{1000, "alice", {"alice", "lxcusers"}};

} // namespace

TEST(Usernet, ParsesUsersGroupsAndComments) {
    auto entries = parse("# USER TYPE BRIDGE COUNT\n"
                         "\n"
                         "alice veth lxcbr0 2   # the seed's form\n"
                         "@lxcusers\tveth\tbr1\t10\n");
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].owner, "alice");
    EXPECT_FALSE(entries[0].group);
    EXPECT_EQ(entries[0].type, "veth");
    EXPECT_EQ(entries[0].bridge, "lxcbr0");
    EXPECT_EQ(entries[0].count, 2u);
    EXPECT_EQ(entries[1].owner, "lxcusers");
    EXPECT_TRUE(entries[1].group);
    EXPECT_EQ(entries[1].bridge, "br1");
    EXPECT_EQ(entries[1].count, 10u);
}

TEST(Usernet, MalformedLinesNameFileAndLine) {
    EXPECT_EQ(parse_error("alice veth lxcbr0 2\nbob veth lxcbr0\n"),
              "/etc/lxc/lxc-usernet:2: expected \"user|@group type bridge count\", got \"bob "
              "veth lxcbr0\"");
    EXPECT_EQ(parse_error("alice veth lxcbr0 2 extra"),
              "/etc/lxc/lxc-usernet:1: expected \"user|@group type bridge count\", got \"alice "
              "veth lxcbr0 2 extra\"");
    EXPECT_EQ(parse_error("\n\nalice macvlan eth0 2"),
              "/etc/lxc/lxc-usernet:3: unsupported device type \"macvlan\" (only veth)");
    EXPECT_EQ(parse_error("alice veth lxcbr0 -1"), "/etc/lxc/lxc-usernet:1: invalid count \"-1\"");
    EXPECT_EQ(parse_error("alice veth lxcbr0 2x"), "/etc/lxc/lxc-usernet:1: invalid count \"2x\"");
    EXPECT_EQ(parse_error("@ veth lxcbr0 2"), "/etc/lxc/lxc-usernet:1: \"@\" without a group name");
    EXPECT_EQ(parse_error("alice veth a/very/long/bridge 2"),
              "/etc/lxc/lxc-usernet:1: invalid bridge name \"a/very/long/bridge\"");
}

TEST(Usernet, MissingFileHasNoEntries) {
    EXPECT_TRUE(read_usernet("/nonexistent/lxc-usernet").empty());
}

TEST(Usernet, AllowanceAddsUpUserAndGroupLines) {
    auto entries = parse("alice veth lxcbr0 2\n"
                         "@lxcusers veth lxcbr0 3\n"
                         "@others veth lxcbr0 50\n"
                         "bob veth lxcbr0 7\n"
                         "alice veth br1 1\n");
    EXPECT_EQ(usernet_allowance(entries, alice, "veth", "lxcbr0"), 5u);
    EXPECT_EQ(usernet_allowance(entries, alice, "veth", "br1"), 1u);
    EXPECT_EQ(usernet_allowance(entries, alice, "veth", "br2"), 0u);
    EXPECT_EQ(usernet_allowance(entries, alice, "macvlan", "lxcbr0"), 0u);
}

TEST(Usernet, QuotaErrors) {
    auto entries = parse("alice veth lxcbr0 2\n");
    EXPECT_NO_THROW(check_usernet_quota(entries, alice, "lxcbr0", 0, 2));
    EXPECT_NO_THROW(check_usernet_quota(entries, alice, "lxcbr0", 1, 1));
    EXPECT_EQ(quota_error(entries, alice, "lxcbr0", 2, 1), Errc::QuotaExceeded);
    EXPECT_EQ(quota_error(entries, alice, "lxcbr0", 0, 3), Errc::QuotaExceeded);
    EXPECT_EQ(quota_error(entries, alice, "br1", 0, 1), Errc::BridgeNotAllowed);
    const UsernetUser bob{1001, "bob", {"bob"}};
    EXPECT_EQ(quota_error(entries, bob, "lxcbr0", 0, 1), Errc::AccessDenied);
    EXPECT_EQ(quota_error({}, alice, "lxcbr0", 0, 1), Errc::AccessDenied);
    try {
        check_usernet_quota(entries, alice, "lxcbr0", 2, 1);
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "user alice (uid 1000) may have 2 veth devices on bridge "
                               "\"lxcbr0\" (/etc/lxc/lxc-usernet), has 2 and asks for 1");
    }
}

TEST(Usernet, LooksUpUserAndGroups) {
    UsernetUser root = lookup_usernet_user(0);
    EXPECT_EQ(root.name, "root");
    EXPECT_NE(std::find(root.groups.begin(), root.groups.end(), "root"), root.groups.end());
    try {
        lookup_usernet_user(4000000000u);
        ADD_FAILURE() << "a uid without a name was found";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::AccessDenied);
    }
}

TEST(UserNicRecord, RoundTrip) {
    TempDir dir;
    const auto records = dir.path() / ".usernet"; // created on the first write
    EXPECT_TRUE(read_user_nic_records(records).empty());
    write_user_nic_record(records, {"vethAbc123", 17, "lxcbr0", 1000, {4242, 987654}, "ct1"});
    write_user_nic_record(records, {"vethXyz789", 18, "br1", 1001, {4343, 1}, "ct.2"});
    auto read = read_user_nic_records(records);
    ASSERT_EQ(read.size(), 2u);
    std::sort(read.begin(), read.end(),
              [](const auto& a, const auto& b) { return a.host_name < b.host_name; });
    EXPECT_EQ(read[0].host_name, "vethAbc123");
    EXPECT_EQ(read[0].host_ifindex, 17);
    EXPECT_EQ(read[0].bridge, "lxcbr0");
    EXPECT_EQ(read[0].uid, 1000u);
    EXPECT_EQ(read[0].owner.pid, 4242);
    EXPECT_EQ(read[0].owner.start_time, 987654u);
    EXPECT_EQ(read[0].container, "ct1");
    EXPECT_EQ(read[1].container, "ct.2");
    remove_user_nic_record(records, "vethAbc123");
    EXPECT_EQ(read_user_nic_records(records).size(), 1u);
}

TEST(UserNicRecord, MalformedNamesTheFile) {
    TempDir dir;
    std::ofstream(dir.path() / "vethBad000") << "1000 lxcbr0 seventeen 1 2 ct\n";
    try {
        read_user_nic_records(dir.path());
        ADD_FAILURE() << "a malformed record was read";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  (dir.path() / "vethBad000").string() + ": malformed network device record");
    }
}
