// Pure logic of the manager: state names, supervisor replies, container names.
#include "error.hpp"
#include "registry.hpp"
#include "state.hpp"
#include "supervisor_client.hpp"

#include <gtest/gtest.h>

using namespace lxcd;

TEST(State, NamesRoundTrip) {
    for (State s : {State::Stopped, State::Starting, State::Running, State::Stopping,
                    State::Aborting, State::Freezing, State::Frozen, State::Thawed}) {
        auto parsed = parse_state(state_name(s));
        ASSERT_TRUE(parsed.has_value()) << state_name(s);
        EXPECT_EQ(*parsed, s);
    }
    EXPECT_EQ(state_name(State::Running), "RUNNING");
    EXPECT_FALSE(parse_state("running").has_value()); // LXC's names are upper case
    EXPECT_FALSE(parse_state("").has_value());
}

TEST(SupervisorReply, ErrorCarriesCodeAndMessage) {
    Error e = parse_error_reply("error InvalidConfig /var/lib/lxc/a/config:3: lxc.tty.max: bad");
    EXPECT_EQ(e.code(), Errc::InvalidConfig);
    EXPECT_STREQ(e.what(), "/var/lib/lxc/a/config:3: lxc.tty.max: bad");
}

TEST(SupervisorReply, UnknownCodeIsFailed) {
    Error e = parse_error_reply("error Bogus something broke");
    EXPECT_EQ(e.code(), Errc::Failed);
    EXPECT_STREQ(e.what(), "something broke");
    EXPECT_EQ(parse_error_reply("error").code(), Errc::Failed);
}

TEST(ContainerName, AcceptsLxcStyleNames) {
    for (const char* ok : {"ct01", "web.example", "a_b-c", "X"})
        EXPECT_NO_THROW(validate_container_name(ok)) << ok;
}

TEST(ContainerName, RejectsUnsafeNames) {
    for (std::string bad : {std::string(""), std::string("."), std::string(".."),
                            std::string("a/b"), std::string("../etc"), std::string("-x"),
                            std::string(65, 'a'), std::string("a b"), std::string("\xff")}) {
        try {
            validate_container_name(bad);
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::InvalidArgument);
        }
    }
}
