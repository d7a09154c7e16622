#include "error.hpp"
#include "scope_limits.hpp"
#include "unit_name.hpp"

#include <gtest/gtest.h>

using namespace lxcd;

// Expected values are what `systemd-escape` (systemd 252) prints.
TEST(UnitName, EscapesLikeSystemdEscape) {
    EXPECT_EQ(unit_name_escape("ct01"), "ct01");
    EXPECT_EQ(unit_name_escape("a/b"), "a-b");
    EXPECT_EQ(unit_name_escape("ct-01"), "ct\\x2d01");
    EXPECT_EQ(unit_name_escape(".hidden"), "\\x2ehidden");
    EXPECT_EQ(unit_name_escape("/.dot"), "-.dot");
    EXPECT_EQ(unit_name_escape("a b"), "a\\x20b");
    EXPECT_EQ(unit_name_escape("\xc3\xbc"), "\\xc3\\xbc");
    EXPECT_EQ(unit_name_escape("x\\y"), "x\\x5cy");
    EXPECT_EQ(unit_name_escape("a.b:c_d"), "a.b:c_d");
    EXPECT_EQ(unit_name_escape(""), "");
}

TEST(UnitName, ScopeName) {
    EXPECT_EQ(scope_unit_name("ct01"), "lxc-ct01.scope");
    EXPECT_EQ(scope_unit_name("web-1"), "lxc-web\\x2d1.scope");
    EXPECT_THROW(scope_unit_name(""), Error);
    EXPECT_EQ(scope_unit_name(std::string(245, 'a')).size(), 255u);
    EXPECT_THROW(scope_unit_name(std::string(246, 'a')), Error);
    EXPECT_THROW(scope_unit_name(std::string(100, '-')), Error); // 400 bytes escaped
}

TEST(ScopeLimits, MapsCgroup2Settings) {
    config::Config c;
    c.cgroup_v2 = {{"memory.max", "512M"}, {"memory.high", "max"},      {"pids.max", "100"},
                   {"cpu.weight", "200"},  {"cpu.max", "50000 100000"}, {"cpuset.cpus", "0-2,9"},
                   {"cpuset.mems", "0"},   {"io.max", "ignored"}};
    ScopeLimits l = scope_limits(c);
    EXPECT_EQ(l.memory_max, 512ull << 20);
    EXPECT_EQ(l.memory_high, kLimitMax);
    EXPECT_EQ(l.tasks_max, 100u);
    EXPECT_EQ(l.cpu_weight, 200u);
    EXPECT_EQ(l.cpu_quota_per_sec_usec, 500000u);
    EXPECT_EQ(l.cpu_quota_period_usec, 100000u);
    EXPECT_EQ(l.allowed_cpus, (std::vector<uint8_t>{0x07, 0x02}));
    EXPECT_EQ(l.allowed_memory_nodes, (std::vector<uint8_t>{0x01}));
    EXPECT_FALSE(l.cpu_shares);
}

TEST(ScopeLimits, MapsCgroup1SettingsAndV2Wins) {
    config::Config c;
    c.cgroup_v1 = {{"memory.limit_in_bytes", "1G"}, {"cpu.shares", "512"}, {"pids.max", "7"}};
    c.cgroup_v2 = {{"pids.max", "max"}};
    ScopeLimits l = scope_limits(c);
    EXPECT_EQ(l.memory_max, 1ull << 30);
    EXPECT_EQ(l.cpu_shares, 512u);
    EXPECT_EQ(l.tasks_max, kLimitMax);
    EXPECT_FALSE(l.cpu_quota_per_sec_usec);
}

TEST(ScopeLimits, CpuMaxWithoutPeriodAndUnlimited) {
    config::Config c;
    c.cgroup_v2 = {{"cpu.max", "200000"}};
    EXPECT_EQ(scope_limits(c).cpu_quota_per_sec_usec, 2000000u); // two CPUs
    EXPECT_FALSE(scope_limits(c).cpu_quota_period_usec);
    c.cgroup_v2 = {{"cpu.max", "max 50000"}};
    EXPECT_EQ(scope_limits(c).cpu_quota_per_sec_usec, kLimitMax);
}

TEST(ScopeLimits, InvalidValuesNameTheKey) {
    for (auto [key, value] : {std::pair{"memory.max", "lots"}, std::pair{"cpu.weight", "0"},
                              std::pair{"cpu.max", "abc 100000"}, std::pair{"cpu.max", "1000 5"},
                              std::pair{"cpuset.cpus", "3-1"}, std::pair{"memory.high", "99999E"},
                              std::pair{"pids.max", "-5"}}) {
        config::Config c;
        c.cgroup_v2 = {{key, value}};
        try {
            scope_limits(c);
            ADD_FAILURE() << key << " = " << value << " accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::InvalidConfig);
            EXPECT_NE(std::string(e.what()).find(std::string("lxc.cgroup2.") + key),
                      std::string::npos)
                << e.what();
        }
    }
}
