#include "caps.hpp"
#include "error.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace lxcd::caps;
using lxcd::Errc;
using lxcd::Error;

namespace {

// The hex mask of a "CapXxx:" line of /proc/self/status.
CapMask status_mask(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field + ":", 0) == 0)
            return std::stoull(line.substr(field.size() + 1), nullptr, 16);
    }
    ADD_FAILURE() << "no " << field << " in /proc/self/status";
    return 0;
}

// Runs apply_caps(keep) in a child and returns its CapBnd and CapEff.
std::pair<CapMask, CapMask> caps_after_apply(CapMask keep) {
    int pipefd[2];
    EXPECT_EQ(pipe(pipefd), 0);
    pid_t child = fork();
    if (child == 0) {
        close(pipefd[0]);
        CapMask masks[2] = {0, 0};
        try {
            apply_caps(keep, last_cap());
            masks[0] = status_mask("CapBnd");
            masks[1] = status_mask("CapEff");
        } catch (...) {
            _exit(1);
        }
        _exit(write(pipefd[1], masks, sizeof(masks)) == sizeof(masks) ? 0 : 2);
    }
    close(pipefd[1]);
    CapMask masks[2] = {0, 0};
    EXPECT_EQ(read(pipefd[0], masks, sizeof(masks)), static_cast<ssize_t>(sizeof(masks)));
    close(pipefd[0]);
    int status = 0;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    return {masks[0], masks[1]};
}

bool can_change_caps() {
    return status_mask("CapEff") & cap_bit(CAP_SETPCAP);
}

} // namespace

TEST(Caps, NamesToNumbers) {
    EXPECT_EQ(parse_cap("sys_admin"), CAP_SYS_ADMIN);
    EXPECT_EQ(parse_cap("CAP_SYS_MODULE"), CAP_SYS_MODULE);
    EXPECT_EQ(parse_cap("Mac_Override"), CAP_MAC_OVERRIDE);
    EXPECT_EQ(parse_cap("25"), CAP_SYS_TIME);
    for (const char* bad : {"", "sys_frobnicate", "cap_", "sys admin", "99"}) {
        try {
            parse_cap(bad, "lxc.cap.drop");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::InvalidConfig);
            EXPECT_EQ(std::string(e.what()),
                      std::string("lxc.cap.drop: unknown capability '") + bad + "'");
        }
    }
}

TEST(Caps, DropKeepsEverythingElse) {
    CapMask keep = caps_to_keep({"sys_module", "mac_admin", "mac_override", "sys_time"}, {}, 40);
    CapMask dropped = cap_bit(CAP_SYS_MODULE) | cap_bit(CAP_MAC_ADMIN) | cap_bit(CAP_MAC_OVERRIDE) |
                      cap_bit(CAP_SYS_TIME);
    EXPECT_EQ(keep, (cap_bit(41) - 1) & ~dropped);
    EXPECT_EQ(caps_to_keep({}, {}, 40), cap_bit(41) - 1);
    // A capability newer than the kernel is valid and simply absent.
    EXPECT_EQ(caps_to_keep({"checkpoint_restore"}, {}, 37), cap_bit(38) - 1);
}

TEST(Caps, KeepKeepsOnlyThose) {
    EXPECT_EQ(caps_to_keep({}, {"chown", "net_raw"}, 40),
              cap_bit(CAP_CHOWN) | cap_bit(CAP_NET_RAW));
    EXPECT_EQ(caps_to_keep({}, {"none"}, 40), 0u);
    EXPECT_EQ(caps_to_keep({}, {"chown", "none", "kill"}, 40), cap_bit(CAP_KILL));
    EXPECT_THROW(caps_to_keep({"sys_time"}, {"chown"}, 40), Error);
    EXPECT_THROW(caps_to_keep({}, {"chown", "bogus"}, 40), Error);
}

TEST(Caps, ApplyDropInChild) {
    if (!can_change_caps())
        GTEST_SKIP() << "needs CAP_SETPCAP";
    CapMask before = status_mask("CapBnd");
    CapMask dropped = cap_bit(CAP_SYS_MODULE) | cap_bit(CAP_MAC_ADMIN) | cap_bit(CAP_MAC_OVERRIDE) |
                      cap_bit(CAP_SYS_TIME);
    auto [bounding, effective] = caps_after_apply(
        caps_to_keep({"sys_module", "mac_admin", "mac_override", "sys_time"}, {}, last_cap()));
    EXPECT_EQ(bounding, before & ~dropped);
    EXPECT_EQ(effective & dropped, 0u);
    EXPECT_TRUE(effective & cap_bit(CAP_CHOWN));
    EXPECT_EQ(status_mask("CapBnd"), before); // the parent is unaffected
}

TEST(Caps, ApplyKeepInChild) {
    if (!can_change_caps())
        GTEST_SKIP() << "needs CAP_SETPCAP";
    CapMask keep = cap_bit(CAP_CHOWN) | cap_bit(CAP_NET_RAW);
    auto [bounding, effective] = caps_after_apply(keep);
    EXPECT_EQ(bounding, keep);
    EXPECT_EQ(effective, keep);
}
