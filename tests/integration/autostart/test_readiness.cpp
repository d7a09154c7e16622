// autostart/readiness against real processes. In a test host (LXCD_TESTHOST set), PID 1 is
// a systemd that has finished booting, which is what a ready systemd guest looks like.
#include "event_loop.hpp"
#include "readiness.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <optional>
#include <sys/wait.h>
#include <unistd.h>

using namespace lxcd;
using namespace lxcd::autostart;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Runs a ReadinessWait to its end; returns its answer and how long it took.
std::pair<bool, std::chrono::steady_clock::duration> wait_for(pid_t pid,
                                                              std::chrono::seconds bound) {
    EventLoop loop;
    std::optional<bool> ready;
    auto begin = std::chrono::steady_clock::now();
    ReadinessWait wait(loop, pid, bound, [&](bool r) {
        ready = r;
        loop.exit();
    });
    loop.run();
    EXPECT_TRUE(ready.has_value());
    return {ready.value_or(false), std::chrono::steady_clock::now() - begin};
}

// A process whose executable is named "systemd" but whose root has no
// /run/systemd/private: a systemd guest that has not come up (yet). It is busybox's
// sleep, chrooted into a directory holding only that binary.
class SilentSystemd {
  public:
    SilentSystemd() {
        char tmpl[] = "/tmp/lxcd-readiness.XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        fs::copy_file("/bin/busybox", dir_ / "systemd");
        pid_ = ::fork();
        if (pid_ == 0) {
            if (::chroot(dir_.c_str()) == 0 && ::chdir("/") == 0)
                ::execl("/systemd", "sleep", "60", nullptr);
            ::_exit(127);
        }
    }
    ~SilentSystemd() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        fs::remove_all(dir_);
    }
    pid_t pid() const { return pid_; }

  private:
    fs::path dir_;
    pid_t pid_ = -1;
};

bool in_test_host() {
    return std::getenv("LXCD_TESTHOST") != nullptr;
}

} // namespace

TEST(Readiness, AGuestWithoutSystemdIsReadyAtOnce) {
    auto [ready, took] = wait_for(::getpid(), 30s);
    EXPECT_TRUE(ready);
    EXPECT_LT(took, 5s);
}

TEST(Readiness, ARunningSystemdIsReadyAtOnce) {
    if (!in_test_host())
        GTEST_SKIP() << "needs a test host, whose PID 1 is systemd";
    auto [ready, took] = wait_for(1, 30s);
    EXPECT_TRUE(ready);
    EXPECT_LT(took, 5s);
}

TEST(Readiness, ASystemdNotUpYetIsWaitedForUntilTheBound) {
    if (!fs::exists("/bin/busybox") || ::geteuid() != 0)
        GTEST_SKIP() << "needs root and /bin/busybox (busybox-static)";
    SilentSystemd guest;
    ASSERT_GT(guest.pid(), 0);
    // Its exec may not have happened yet: wait until it is "systemd".
    for (int i = 0;
         i < 100 &&
         fs::read_symlink("/proc/" + std::to_string(guest.pid()) + "/exe").filename() != "systemd";
         i++)
        ::usleep(10'000);
    auto [ready, took] = wait_for(guest.pid(), 1s);
    EXPECT_FALSE(ready);
    EXPECT_GE(took, 1s);
}
