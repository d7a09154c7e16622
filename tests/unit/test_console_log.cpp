// The console ring buffer and the size-limited, rotated console log file.
#include "console_log.hpp"
#include "error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace lxcd::runtime;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class LogDir : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/lxcd-console-log-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

} // namespace

TEST(ConsoleRing, KeepsEverythingUntilFull) {
    ConsoleRing ring(8);
    EXPECT_EQ(ring.contents(), "");
    ring.write("abc");
    ring.write("def");
    EXPECT_EQ(ring.contents(), "abcdef");
    EXPECT_EQ(ring.size(), 6u);
}

TEST(ConsoleRing, OverwritesTheOldestBytes) {
    ConsoleRing ring(8);
    ring.write("abcdef");
    ring.write("ghij"); // wraps around the end
    EXPECT_EQ(ring.contents(), "cdefghij");
    ring.write("k");
    EXPECT_EQ(ring.contents(), "defghijk");
}

TEST(ConsoleRing, AWriteLargerThanTheRingKeepsItsTail) {
    ConsoleRing ring(4);
    ring.write("xy");
    ring.write("0123456789");
    EXPECT_EQ(ring.contents(), "6789");
    ring.write("a");
    EXPECT_EQ(ring.contents(), "789a");
}

TEST(ConsoleRing, Clear) {
    ConsoleRing ring(4);
    ring.write("abc");
    ring.clear();
    EXPECT_EQ(ring.contents(), "");
    ring.write("de");
    EXPECT_EQ(ring.contents(), "de");
}

TEST_F(LogDir, UnlimitedLogAppends) {
    auto path = dir_ / "console.log";
    { std::ofstream(path) << "old\n"; }
    ConsoleLogFile log(path, 0, false, "lxc.console.logfile");
    log.write("new\n");
    EXPECT_EQ(slurp(path), "old\nnew\n");
}

TEST_F(LogDir, FullLogStartsOverWithoutRotate) {
    auto path = dir_ / "console.log";
    ConsoleLogFile log(path, 8, false, "lxc.console.logfile");
    log.write("12345");
    log.write("678");
    EXPECT_EQ(slurp(path), "12345678");
    log.write("9");
    EXPECT_EQ(slurp(path), "9");
    EXPECT_FALSE(fs::exists(dir_ / "console.log.1"));
}

TEST_F(LogDir, FullLogRotatesWithRotate) {
    auto path = dir_ / "console.log";
    ConsoleLogFile log(path, 8, true, "lxc.console.logfile");
    log.write("12345");
    log.write("6789");
    EXPECT_EQ(slurp(dir_ / "console.log.1"), "12345");
    EXPECT_EQ(slurp(path), "6789");
    log.write("abcdefghijk"); // larger than the limit: its tail
    EXPECT_EQ(slurp(dir_ / "console.log.1"), "6789");
    EXPECT_EQ(slurp(path), "defghijk");
}

TEST_F(LogDir, RotateOnRequest) {
    auto path = dir_ / "console.log";
    ConsoleLogFile log(path, 0, true, "lxc.console.logfile");
    log.write("first");
    log.rotate();
    log.write("second");
    EXPECT_EQ(slurp(dir_ / "console.log.1"), "first");
    EXPECT_EQ(slurp(path), "second");
}

TEST_F(LogDir, UnopenableLogNamesTheKey) {
    try {
        ConsoleLogFile log(dir_ / "missing" / "console.log", 0, false, "lxc.console.logfile");
        FAIL() << "no error";
    } catch (const lxcd::Error& e) {
        EXPECT_NE(std::string(e.what()).find("lxc.console.logfile"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("missing/console.log"), std::string::npos);
    }
}
