#include "cgroup_layout.hpp"
#include "error.hpp"

#include <gtest/gtest.h>

using namespace lxcd::cgroup;

namespace {

// This machine's kind: v1 controllers plus an empty cgroup2 on .../unified.
const char* kHybridMountinfo =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup "
    "rw,cpu,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
    "rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n";
const char* kHybridCgroup = "12:name=systemd:/lxc.slice/lxc-c1.scope\n"
                            "4:memory:/lxc.slice/lxc-c1.scope\n"
                            "3:cpuset:/\n"
                            "2:cpu,cpuacct:/lxc.slice/lxc-c1.scope\n"
                            "1:blkio:/not/mounted\n"
                            "0::/lxc.slice/lxc-c1.scope\n";

} // namespace

TEST(CgroupLayout, Hybrid) {
    Layout l = parse_layout(kHybridMountinfo, kHybridCgroup);
    EXPECT_EQ(l.kind, LayoutKind::Hybrid);
    ASSERT_EQ(l.hierarchies.size(), 5u); // blkio is not mounted
    ASSERT_NE(l.unified(), nullptr);
    EXPECT_EQ(l.unified()->own_dir(), "/sys/fs/cgroup/unified/lxc.slice/lxc-c1.scope");
    const Hierarchy* cpu = l.v1_with("cpuacct");
    ASSERT_NE(cpu, nullptr);
    EXPECT_TRUE(cpu->has_controller("cpu"));
    EXPECT_EQ(cpu->mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
    EXPECT_EQ(cpu->label(), "cpu,cpuacct");
    ASSERT_NE(l.v1_with("name=systemd"), nullptr);
    EXPECT_EQ(l.v1_with("name=systemd")->own_dir(),
              "/sys/fs/cgroup/systemd/lxc.slice/lxc-c1.scope");
    EXPECT_EQ(l.v1_with("cpuset")->own_dir(), "/sys/fs/cgroup/cpuset");
    EXPECT_EQ(l.v1_with("blkio"), nullptr);
}

TEST(CgroupLayout, PureUnified) {
    Layout l = parse_layout("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n",
                            "0::/system.slice/lxcd.service\n");
    EXPECT_EQ(l.kind, LayoutKind::Unified);
    ASSERT_EQ(l.hierarchies.size(), 1u);
    EXPECT_TRUE(l.hierarchies[0].unified);
    EXPECT_EQ(l.hierarchies[0].own_dir(), "/sys/fs/cgroup/system.slice/lxcd.service");
    EXPECT_EQ(l.hierarchies[0].label(), "unified");
}

TEST(CgroupLayout, PureLegacy) {
    Layout l = parse_layout("32 31 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                            "33 31 0:30 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n",
                            "5:pids:/a\n4:memory:/a\n0::/a\n");
    EXPECT_EQ(l.kind, LayoutKind::Legacy);
    EXPECT_EQ(l.unified(), nullptr);
    EXPECT_EQ(l.hierarchies.size(), 2u);
}

TEST(CgroupLayout, MountOfASubtreeAndEscapedMountpoint) {
    // A container that sees only /lxc/c1 of the hierarchy, mounted at a path
    // with a space (mountinfo writes it as \040).
    Layout l = parse_layout("41 31 0:38 /lxc/c1 /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw\n",
                            "0::/lxc/c1/init.scope\n");
    ASSERT_EQ(l.hierarchies.size(), 1u);
    EXPECT_EQ(l.hierarchies[0].own_dir(), "/sys/fs/my cgroup/init.scope");
}

TEST(CgroupLayout, CgroupOutsideTheMountOrNamespaceIsSkipped) {
    EXPECT_THROW(
        parse_layout("41 31 0:38 /lxc/c1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/lxc/c2\n"),
        lxcd::Error);
    EXPECT_THROW(parse_layout("41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
                              "0::/../../outside\n"),
                 lxcd::Error);
}

TEST(CgroupLayout, NothingMounted) {
    try {
        parse_layout("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", "0::/\n");
        FAIL() << "no error";
    } catch (const lxcd::Error& e) {
        EXPECT_NE(std::string(e.what()).find("no usable cgroup hierarchy"), std::string::npos);
    }
}

TEST(CgroupLayout, DetectsThisProcess) {
    Layout l = detect_layout();
    EXPECT_FALSE(l.hierarchies.empty());
    for (const auto& h : l.hierarchies)
        EXPECT_TRUE(std::filesystem::is_directory(h.own_dir())) << h.own_dir();
}
