#include "error.hpp"

#include <cerrno>
#include <gtest/gtest.h>

using lxcd::Errc;
using lxcd::Error;

TEST(Error, CarriesCodeAndMessage) {
    Error e(Errc::NoSuchContainer, "no container 'ct01'");
    EXPECT_EQ(e.code(), Errc::NoSuchContainer);
    EXPECT_STREQ(e.what(), "no container 'ct01'");
    EXPECT_EQ(Error::code_name(e.code()), "NoSuchContainer");
}

TEST(Error, ThrowErrnoNamesWhatAndCause) {
    try {
        lxcd::throw_errno("open /nonexistent", ENOENT);
        FAIL() << "throw_errno returned";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::System);
        EXPECT_EQ(e.sys_errno(), ENOENT);
        EXPECT_STREQ(e.what(), "open /nonexistent: No such file or directory");
    }
}

TEST(Error, CodeFromNameRoundTrips) {
    for (Errc code : {Errc::Failed, Errc::NoSuchContainer, Errc::System, Errc::QuotaExceeded,
                      Errc::BridgeNotAllowed})
        EXPECT_EQ(Error::code_from_name(Error::code_name(code)), code);
    EXPECT_EQ(Error::code_from_name("Bogus"), Errc::Failed);
}

TEST(Error, CodeFromDbusName) {
    EXPECT_EQ(Error::code_from_dbus_name("org.lxcd1.Error.NoSuchContainer"), Errc::NoSuchContainer);
    EXPECT_EQ(Error::code_from_dbus_name("org.lxcd1.Error.QuotaExceeded"), Errc::QuotaExceeded);
    EXPECT_EQ(Error::code_from_dbus_name("org.freedesktop.DBus.Error.AccessDenied"),
              Errc::AccessDenied);
    EXPECT_EQ(Error::code_from_dbus_name("org.freedesktop.DBus.Error.ServiceUnknown"),
              Errc::Failed);
    EXPECT_EQ(Error::code_from_dbus_name("org.lxcd1.NoSuchContainer"), Errc::Failed);
}
