// lxcctl's sd-bus messages: what it appends reads back as sent, and replies of the shapes
// lxcd sends (arrays of structs, dicts of variants, nested object maps) read into C++ values.
#include "bus.hpp"
#include "error.hpp"
#include "fd.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

namespace {

using lxcctl::bus::Message;
using lxcctl::bus::MessagePtr;
using lxcctl::bus::Properties;
using lxcctl::bus::Value;

class BusMessage : public ::testing::Test {
  protected:
    // sd-bus makes messages only on a started connection: one end of a socket pair
    // (never authenticated, nothing is sent).
    void SetUp() override {
        int fds[2];
        ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        peer_.reset(fds[1]);
        sd_bus* raw = nullptr;
        ASSERT_GE(sd_bus_new(&raw), 0);
        bus_.reset(raw);
        ASSERT_GE(sd_bus_set_fd(raw, fds[0], fds[0]), 0);
        ASSERT_GE(sd_bus_start(raw), 0);
    }
    // An empty method call to fill; sealed and rewound by sealed() for reading.
    Message fresh() {
        sd_bus_message* raw = nullptr;
        EXPECT_GE(sd_bus_message_new_method_call(bus_.get(), &raw, "org.lxcd1", "/org/lxcd1",
                                                 "org.lxcd1.Manager", "Test"),
                  0);
        return Message(MessagePtr(raw));
    }
    static Message& sealed(Message& m) {
        EXPECT_GE(sd_bus_message_seal(m.get(), 1, 0), 0);
        EXPECT_GE(sd_bus_message_rewind(m.get(), 1), 0);
        return m;
    }
    lxcd::UniqueFd peer_;
    // No flush at the end: it would wait for the authentication that never comes.
    std::unique_ptr<sd_bus, lxcd::SdBusUnref<sd_bus_close_unref>> bus_;
};

TEST_F(BusMessage, AppendedValuesReadBack) {
    Message m = fresh();
    m << std::string("ct01") << true << uint32_t{30} << int32_t{-9}
      << std::vector<std::string>{"onboot", "web"}
      << Properties{{"config", std::string("lxc.arch = x86_64")}, {"snapshot", true}};
    sealed(m);
    EXPECT_EQ(m.read<std::string>(), "ct01");
    EXPECT_TRUE(m.read<bool>());
    EXPECT_EQ(m.read<uint32_t>(), 30u);
    EXPECT_EQ(m.read<int32_t>(), -9);
    EXPECT_EQ(m.read<std::vector<std::string>>(), (std::vector<std::string>{"onboot", "web"}));
    auto options = m.read<Properties>();
    EXPECT_EQ(lxcctl::bus::get<std::string>(options, "config"), "lxc.arch = x86_64");
    EXPECT_TRUE(lxcctl::bus::get<bool>(options, "snapshot"));
}

TEST_F(BusMessage, OptionsOtherThanStringsAndFlagsAreRefused) {
    Message m = fresh();
    try {
        m << Properties{{"count", uint64_t{3}}};
        FAIL() << "appended a number option";
    } catch (const lxcd::Error& e) {
        EXPECT_EQ(e.code(), lxcd::Errc::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find("count"), std::string::npos);
    }
}

TEST_F(BusMessage, ArrayOfStructsWithObjectPaths) {
    Message m = fresh();
    ASSERT_GE(sd_bus_message_append(m.get(), "a(sso)", 2, "a", "RUNNING", "/org/lxcd1/container/a",
                                    "b", "STOPPED", "/org/lxcd1/container/b"),
              0);
    sealed(m);
    using Entry = std::tuple<std::string, std::string, std::string>;
    auto entries = m.read<std::vector<Entry>>();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1], (Entry{"b", "STOPPED", "/org/lxcd1/container/b"}));
}

TEST_F(BusMessage, VariantsWidenNumbersAndSkipUnknownTypes) {
    Message m = fresh();
    ASSERT_GE(sd_bus_message_append(m.get(), "a{sv}", 5, "InitPID", "u", 42, "StartOrder", "i", -1,
                                    "MemoryMax", "t", UINT64_MAX, "Future", "a{ss}", 1, "k", "v",
                                    "IPv4Addresses", "as", 1, "10.0.3.5"),
              0);
    sealed(m);
    auto props = m.read<Properties>();
    EXPECT_EQ(lxcctl::bus::get<uint64_t>(props, "InitPID"), 42u);
    EXPECT_EQ(lxcctl::bus::get<int64_t>(props, "StartOrder"), -1);
    EXPECT_EQ(lxcctl::bus::get<uint64_t>(props, "MemoryMax"), UINT64_MAX);
    EXPECT_EQ(lxcctl::bus::get<std::vector<std::string>>(props, "IPv4Addresses"),
              (std::vector<std::string>{"10.0.3.5"}));
    // A property of a type lxcctl does not know is skipped, the ones after it still read.
    EXPECT_TRUE(props.count("Future"));
}

TEST_F(BusMessage, ManagedObjectsNest) {
    Message m = fresh();
    ASSERT_GE(sd_bus_message_append(m.get(), "a{oa{sa{sv}}}", 1, "/org/lxcd1/container/a", 1,
                                    "org.lxcd1.Container", 2, "Name", "s", "a", "Autostart", "b",
                                    1),
              0);
    sealed(m);
    auto objects = m.read<std::map<std::string, std::map<std::string, Properties>>>();
    const Properties& props = objects.at("/org/lxcd1/container/a").at("org.lxcd1.Container");
    EXPECT_EQ(lxcctl::bus::get<std::string>(props, "Name"), "a");
    EXPECT_TRUE(lxcctl::bus::get<bool>(props, "Autostart"));
}

TEST_F(BusMessage, WrongTypesAndMissingPropertiesNameWhat) {
    Message m = fresh();
    ASSERT_GE(sd_bus_message_append(m.get(), "u", 7), 0);
    sealed(m);
    EXPECT_THROW(m.read<std::string>(), lxcd::Error);
    Properties props{{"State", Value{std::string("RUNNING")}}};
    try {
        lxcctl::bus::get<bool>(props, "State");
        FAIL() << "read a string as a flag";
    } catch (const lxcd::Error& e) {
        EXPECT_NE(std::string(e.what()).find("State"), std::string::npos);
    }
    EXPECT_THROW(lxcctl::bus::get<std::string>(props, "Unit"), lxcd::Error);
}

} // namespace
