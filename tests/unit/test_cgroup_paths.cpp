#include "cgroup_paths.hpp"
#include "error.hpp"

#include <gtest/gtest.h>

using namespace lxcd::cgroup;
using lxcd::config::Config;

namespace {

std::string error_of(const Config& c, const char* name = "c1") {
    try {
        resolve_paths(c, name);
    } catch (const lxcd::Error& e) {
        EXPECT_EQ(e.code(), lxcd::Errc::InvalidConfig);
        return e.what();
    }
    return "";
}

} // namespace

TEST(CgroupPaths, Defaults) {
    ContainerPaths p = resolve_paths(Config{}, "c1");
    EXPECT_EQ(p.monitor, "lxc.monitor.c1");
    EXPECT_EQ(p.payload, "lxc.payload.c1");
    EXPECT_EQ(p.inner, "");
    EXPECT_EQ(p.pivot, "lxc.pivot");
    EXPECT_EQ(p.process_cgroup(), "lxc.payload.c1");
}

TEST(CgroupPaths, Dir) {
    Config c;
    c.cgroup_dir = "my-cgroup/first";
    ContainerPaths p = resolve_paths(c, "c1");
    EXPECT_EQ(p.monitor, "my-cgroup/first/lxc.monitor.c1");
    EXPECT_EQ(p.payload, "my-cgroup/first/lxc.payload.c1");
    EXPECT_EQ(p.pivot, "my-cgroup/first/lxc.pivot");
}

TEST(CgroupPaths, MonitorContainerInnerPivot) {
    Config c;
    c.cgroup_dir_monitor = "mon";
    c.cgroup_dir_container = "/./payload//c1/";
    c.cgroup_dir_container_inner = "ns";
    c.cgroup_dir_monitor_pivot = "piv";
    ContainerPaths p = resolve_paths(c, "c1");
    EXPECT_EQ(p.monitor, "mon");
    EXPECT_EQ(p.payload, "payload/c1");
    EXPECT_EQ(p.inner, "ns");
    EXPECT_EQ(p.process_cgroup(), "payload/c1/ns");
    EXPECT_EQ(p.pivot, "piv/lxc.pivot");
}

TEST(CgroupPaths, InnerNeedsMonitorAndContainer) {
    Config c;
    c.cgroup_dir_container_inner = "ns";
    EXPECT_EQ(resolve_paths(c, "c1").inner, "");
}

TEST(CgroupPaths, RejectsEscapes) {
    Config c;
    c.cgroup_dir = "../../system.slice";
    EXPECT_NE(error_of(c).find("lxc.cgroup.dir: '../../system.slice' escapes"), std::string::npos);
    Config d;
    d.cgroup_dir_monitor = "m";
    d.cgroup_dir_container = "a/../../b";
    EXPECT_NE(error_of(d).find("lxc.cgroup.dir.container:"), std::string::npos);
    Config e;
    e.cgroup_dir = "a\nb";
    EXPECT_NE(error_of(e).find("control character"), std::string::npos);
}

TEST(CgroupPaths, RejectsConflicts) {
    Config c;
    c.cgroup_dir = "x";
    c.cgroup_dir_monitor = "m";
    c.cgroup_dir_container = "p";
    EXPECT_NE(error_of(c).find("cannot be combined"), std::string::npos);

    Config half;
    half.cgroup_dir_container = "p";
    EXPECT_NE(error_of(half).find("must both be set"), std::string::npos);

    Config nested;
    nested.cgroup_dir_monitor = "p/mon";
    nested.cgroup_dir_container = "p";
    EXPECT_NE(error_of(nested).find("must not contain each other"), std::string::npos);

    Config pivot;
    pivot.cgroup_dir_monitor = "m";
    pivot.cgroup_dir_container = "p";
    pivot.cgroup_dir_monitor_pivot = "p";
    EXPECT_NE(error_of(pivot).find("lxc.cgroup.dir.monitor.pivot"), std::string::npos);
}

TEST(CgroupPaths, RejectsBadNames) {
    EXPECT_THROW(resolve_paths(Config{}, ""), lxcd::Error);
    EXPECT_THROW(resolve_paths(Config{}, "a/b"), lxcd::Error);
    EXPECT_THROW(resolve_paths(Config{}, ".."), lxcd::Error);
}
