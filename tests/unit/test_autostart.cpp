// LXC's autostart ordering (lxc_autostart.c, seed 001 "自動起動とシステムブート").
#include "plan.hpp"

#include <gtest/gtest.h>

using namespace lxcd::autostart;

namespace {

std::vector<std::string> names(const std::vector<Step>& plan) {
    std::vector<std::string> out;
    for (const auto& s : plan)
        out.push_back(s.name);
    return out;
}

// The six containers of issue 6's boot test.
std::vector<Candidate> six() {
    return {
        {"c30", true, 30, 0, {"onboot"}}, {"c10", true, 10, 0, {"onboot"}},
        {"c20", true, 20, 2, {"onboot"}}, {"null", true, 0, 0, {}},
        {"other", true, 0, 0, {"web"}},   {"manual", false, 0, 0, {"onboot"}},
    };
}

} // namespace

TEST(Autostart, BootStartsOnbootByOrderThenNullGroup) {
    auto plan = start_plan(six(), boot_selection());
    EXPECT_EQ(names(plan), (std::vector<std::string>{"c10", "c20", "c30", "null"}));
    EXPECT_EQ(plan[1].delay, 2u);
    EXPECT_EQ(plan[1].group, "onboot");
    EXPECT_EQ(plan[3].group, "");
}

TEST(Autostart, TiesBrokenByName) {
    std::vector<Candidate> c{{"b", true, 5, 0, {}}, {"a", true, 5, 0, {}}, {"c", true, 1, 0, {}}};
    EXPECT_EQ(names(start_plan(c, {})), (std::vector<std::string>{"c", "a", "b"}));
}

TEST(Autostart, NegativeOrdersFirst) {
    std::vector<Candidate> c{{"z", true, 0, 0, {}}, {"y", true, -3, 0, {}}};
    EXPECT_EQ(names(start_plan(c, {})), (std::vector<std::string>{"y", "z"}));
}

TEST(Autostart, ContainerInSeveralGroupsStartsOnce) {
    std::vector<Candidate> c{{"both", true, 0, 0, {"a", "b"}}, {"bonly", true, 0, 0, {"b"}}};
    auto plan = start_plan(c, Selection{{"a", "b"}, false, false});
    EXPECT_EQ(names(plan), (std::vector<std::string>{"both", "bonly"}));
    EXPECT_EQ(plan[0].group, "a");
}

TEST(Autostart, AllIgnoresStartAuto) {
    auto plan = start_plan(six(), Selection{{"onboot"}, true, false});
    EXPECT_EQ(names(plan), (std::vector<std::string>{"manual", "c10", "c20", "c30"}));
}

TEST(Autostart, DefaultSelectionIsNullGroupOnly) {
    EXPECT_EQ(names(start_plan(six(), {})), (std::vector<std::string>{"null"}));
}

TEST(Autostart, StopIsReverseWithoutDelays) {
    auto plan = stop_plan(six(), boot_selection());
    EXPECT_EQ(names(plan), (std::vector<std::string>{"null", "c30", "c20", "c10"}));
    for (const auto& s : plan)
        EXPECT_EQ(s.delay, 0u);
}

TEST(Autostart, GroupSpecSyntax) {
    EXPECT_EQ(parse_groups("onboot,"), (std::vector<std::string>{"onboot", ""}));
    EXPECT_EQ(parse_groups(",a,b"), (std::vector<std::string>{"", "a", "b"}));
    EXPECT_EQ(parse_groups("a,,b"), (std::vector<std::string>{"a", "", "b"}));
    EXPECT_EQ(parse_groups("a"), (std::vector<std::string>{"a"}));
}

TEST(Autostart, AllGroupsIsOnePassByOrder) {
    auto plan = start_plan(six(), Selection{{}, false, true});
    EXPECT_EQ(names(plan), (std::vector<std::string>{"null", "other", "c10", "c20", "c30"}));
}

TEST(Autostart, ShutdownStopsEveryoneBootOrderReversedLast) {
    auto plan = shutdown_plan(six());
    EXPECT_EQ(names(plan),
              (std::vector<std::string>{"other", "manual", "null", "c30", "c20", "c10"}));
}

namespace {

// Level by level: the names of each level.
std::vector<std::vector<std::string>> level_names(const std::vector<Level>& levels) {
    std::vector<std::vector<std::string>> out;
    for (const auto& level : levels)
        out.push_back(names(level));
    return out;
}

// Issue 6's parallel case: one order level of several, a next level, and a NULL group.
std::vector<Candidate> orders() {
    return {
        {"b10", true, 10, 1, {"onboot"}}, {"a10", true, 10, 1, {"onboot"}},
        {"c20", true, 20, 0, {"onboot"}}, {"d10", true, 10, 0, {}},
        {"e10", true, 10, 0, {}},
    };
}

} // namespace

TEST(AutostartLevels, SequentialByDefaultOneContainerEach) {
    auto plan = start_plan(orders(), boot_selection());
    EXPECT_EQ(level_names(levels(plan, false)),
              (std::vector<std::vector<std::string>>{{"a10"}, {"b10"}, {"c20"}, {"d10"}, {"e10"}}));
}

TEST(AutostartLevels, ParallelGroupsOneOrderOfOnePass) {
    auto plan = start_plan(orders(), boot_selection());
    // d10 and e10 have order 10 too, but belong to the later NULL-group pass.
    EXPECT_EQ(level_names(levels(plan, true)),
              (std::vector<std::vector<std::string>>{{"a10", "b10"}, {"c20"}, {"d10", "e10"}}));
}

TEST(AutostartLevels, ParallelKeepsDelays) {
    auto lv = levels(start_plan(orders(), boot_selection()), true);
    EXPECT_EQ(lv[0][0].delay, 1u);
    EXPECT_EQ(lv[0][1].delay, 1u);
}

TEST(AutostartLevels, ParallelStopIsTheReverse) {
    auto plan = stop_plan(orders(), boot_selection());
    EXPECT_EQ(level_names(levels(plan, true)),
              (std::vector<std::vector<std::string>>{{"e10", "d10"}, {"c20"}, {"b10", "a10"}}));
}

TEST(AutostartLevels, ShutdownKeepsOthersApartFromBootLevels) {
    // "z" is not autostarted but has the NULL group's order: it still stops first, alone.
    auto c = orders();
    c.push_back({"z", false, 10, 0, {}});
    auto plan = shutdown_plan(c);
    EXPECT_EQ(
        level_names(levels(plan, true)),
        (std::vector<std::vector<std::string>>{{"z"}, {"e10", "d10"}, {"c20"}, {"b10", "a10"}}));
}

TEST(AutostartLevels, AllGroupsIsOnePassByOrder) {
    auto plan = start_plan(orders(), Selection{{}, false, true});
    EXPECT_EQ(level_names(levels(plan, true)),
              (std::vector<std::vector<std::string>>{{"a10", "b10", "d10", "e10"}, {"c20"}}));
}
