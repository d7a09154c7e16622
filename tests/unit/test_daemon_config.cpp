// lxcd's own settings file, /etc/lxcd/lxcd.conf (manager/daemon_config.hpp, ini_file.hpp).
#include "daemon_config.hpp"
#include "error.hpp"
#include "ini_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace lxcd;

namespace {

DaemonConfig parse(const std::string& text) {
    std::istringstream in(text);
    return parse_daemon_config(in, "lxcd.conf");
}

// The message of the Error that parsing `text` throws.
std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::InvalidConfig);
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST(DaemonConfig, EmptyMeansLxcBehaviour) {
    AutostartSettings lxc;
    EXPECT_EQ(parse("").autostart, lxc);
    EXPECT_FALSE(lxc.parallel_start);
    EXPECT_FALSE(lxc.delay_until_ready);
    EXPECT_FALSE(lxc.parallel_shutdown);
    EXPECT_EQ(lxc.shutdown_timeout.count(), 60);
}

TEST(DaemonConfig, AutostartSection) {
    auto a = parse("# lxcd\n"
                   "[Autostart]\n"
                   "ParallelStart = yes\n"
                   "; readiness\n"
                   "DelayUntilReady=true\n"
                   "\n"
                   "  ParallelShutdown=1  \n"
                   "ShutdownTimeoutSec=30s\n")
                 .autostart;
    EXPECT_TRUE(a.parallel_start);
    EXPECT_TRUE(a.delay_until_ready);
    EXPECT_TRUE(a.parallel_shutdown);
    EXPECT_EQ(a.shutdown_timeout.count(), 30);
}

TEST(DaemonConfig, LaterAssignmentWins) {
    auto a =
        parse("[Autostart]\nParallelStart=yes\nParallelStart=no\nShutdownTimeoutSec=5\n").autostart;
    EXPECT_FALSE(a.parallel_start);
    EXPECT_EQ(a.shutdown_timeout.count(), 5);
}

TEST(DaemonConfig, ErrorsNameFileLineSectionAndKey) {
    EXPECT_EQ(error_of("[Autostart]\n\nParallelStart=maybe\n"),
              "lxcd.conf:3: [Autostart] ParallelStart=: 'maybe' is not a boolean (yes or no)");
    EXPECT_EQ(error_of("[Autostart]\nShutdownTimeoutSec=1min\n"),
              "lxcd.conf:2: [Autostart] ShutdownTimeoutSec=: '1min' is not a number of seconds");
    EXPECT_EQ(error_of("[Autostart]\nShutdownTimeoutSec=-1\n"),
              "lxcd.conf:2: [Autostart] ShutdownTimeoutSec=: '-1' is not a number of seconds");
    EXPECT_EQ(error_of("[Autostart]\nParalelStart=yes\n"),
              "lxcd.conf:2: unknown key ParalelStart= in [Autostart] (ParallelStart, "
              "DelayUntilReady, ParallelShutdown, ShutdownTimeoutSec)");
    EXPECT_EQ(error_of("[Network]\nBridge=lxcbr0\n"),
              "lxcd.conf:2: unknown section [Network] (Autostart)");
}

TEST(IniFile, SyntaxErrorsNameFileAndLine) {
    EXPECT_EQ(error_of("ParallelStart=yes\n"),
              "lxcd.conf:1: ParallelStart= is outside any [Section]");
    EXPECT_EQ(error_of("[Autostart\n"), "lxcd.conf:1: bad section header '[Autostart'");
    EXPECT_EQ(error_of("[Autostart]\nParallelStart\n"),
              "lxcd.conf:2: expected [Section] or Key=Value, got 'ParallelStart'");
    EXPECT_EQ(error_of("[Autostart]\n = yes\n"), "lxcd.conf:2: no key before '='");
}

TEST(IniFile, KeepsSectionKeyValueAndPlace) {
    std::istringstream in("[A]\nk = v w \n[B]\nk=\n");
    auto entries = parse_ini(in, "f");
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].section, "A");
    EXPECT_EQ(entries[0].value, "v w");
    EXPECT_EQ(entries[0].where, "f:2");
    EXPECT_EQ(entries[1].section, "B");
    EXPECT_EQ(entries[1].value, "");
    EXPECT_EQ(entries[1].where, "f:4");
}

TEST(DaemonConfig, MissingFileIsAllDefaultsAndFilesAreRead) {
    EXPECT_EQ(load_daemon_config("/nonexistent/lxcd.conf").autostart, AutostartSettings{});

    char path[] = "/tmp/lxcd-conf-test.XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    std::ofstream(path) << "[Autostart]\nParallelStart=on\n";
    EXPECT_TRUE(load_daemon_config(path).autostart.parallel_start);
    std::ofstream(path) << "[Autostart]\nParallelStart=on\nDelayUntilReady=x\n";
    try {
        load_daemon_config(path);
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(std::string(path) + ":3: ", 0), 0u) << e.what();
    }
    unlink(path);
}
