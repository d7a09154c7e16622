// Pure parts of the rootfs setup: fstab options -> mount(2) flags, lxc.mount.auto
// words, lxc.mount.fstab text and lxc.rootfs.path.
#include "error.hpp"
#include "mount_options.hpp"
#include "mounts.hpp"
#include "rootfs.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>

using namespace lxcd;
using namespace lxcd::runtime;

TEST(MountOptions, FlagsAndDataAreSeparated) {
    auto o = parse_mount_options("ro,nosuid,nodev,size=10m,mode=755");
    EXPECT_EQ(o.flags, MS_RDONLY | MS_NOSUID | MS_NODEV);
    EXPECT_EQ(o.data, "size=10m,mode=755");
    EXPECT_FALSE(o.bind);
}

TEST(MountOptions, LaterOptionWins) {
    EXPECT_EQ(parse_mount_options("ro,rw").flags, 0u);
    EXPECT_EQ(parse_mount_options("rw,ro").flags, static_cast<unsigned long>(MS_RDONLY));
    EXPECT_EQ(parse_mount_options("noexec,exec,defaults").flags, 0u);
}

TEST(MountOptions, BindCreateOptional) {
    auto o = parse_mount_options("rbind,create=dir,optional,ro");
    EXPECT_TRUE(o.bind);
    EXPECT_TRUE(o.recursive);
    EXPECT_TRUE(o.optional);
    EXPECT_EQ(o.create, MountOptions::Create::Dir);
    EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_RDONLY));
    EXPECT_TRUE(o.data.empty());
    EXPECT_EQ(parse_mount_options("bind,create=file").create, MountOptions::Create::File);
    EXPECT_FALSE(parse_mount_options("bind").recursive);
}

TEST(MountOptions, Propagation) {
    EXPECT_EQ(parse_mount_options("rslave").propagation,
              static_cast<unsigned long>(MS_SLAVE | MS_REC));
    EXPECT_EQ(parse_mount_options("private").propagation, static_cast<unsigned long>(MS_PRIVATE));
}

TEST(MountOptions, AtimeModes) {
    EXPECT_EQ(parse_mount_options("noatime,nodiratime").flags,
              static_cast<unsigned long>(MS_NOATIME | MS_NODIRATIME));
    EXPECT_EQ(parse_mount_options("relatime").flags, static_cast<unsigned long>(MS_RELATIME));
}

TEST(MountOptions, UnsupportedLxcOptionsAreErrors) {
    EXPECT_THROW(parse_mount_options("create=socket"), Error);
    EXPECT_THROW(parse_mount_options("bind,relative"), Error);
    EXPECT_THROW(parse_mount_options("idmap=container"), Error);
}

TEST(AutoMount, DefaultsAreMixed) {
    auto a = parse_auto_mounts({"proc sys cgroup"});
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[0].kind, AutoMount::Kind::Proc);
    EXPECT_EQ(a[0].mode, AutoMount::Mode::Mixed);
    EXPECT_EQ(a[1].kind, AutoMount::Kind::Sys);
    EXPECT_EQ(a[1].mode, AutoMount::Mode::Mixed);
    EXPECT_EQ(a[2].kind, AutoMount::Kind::Cgroup);
    EXPECT_EQ(a[2].mode, AutoMount::Mode::Default); // decided by CAP_SYS_ADMIN
}

TEST(AutoMount, ModesAndForce) {
    auto a = parse_auto_mounts({"proc:rw", "sys:ro", "cgroup:mixed:force", "cgroup-full:rw"});
    ASSERT_EQ(a.size(), 4u);
    EXPECT_EQ(a[0].mode, AutoMount::Mode::Rw);
    EXPECT_EQ(a[1].mode, AutoMount::Mode::Ro);
    EXPECT_EQ(a[2].mode, AutoMount::Mode::Mixed);
    EXPECT_TRUE(a[2].force);
    EXPECT_EQ(a[3].kind, AutoMount::Kind::CgroupFull);
    EXPECT_FALSE(a[3].force);
}

TEST(AutoMount, LaterWordOfSameKindReplaces) {
    auto a = parse_auto_mounts({"proc:mixed", "proc:rw"});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].mode, AutoMount::Mode::Rw);
}

TEST(AutoMount, BadWords) {
    EXPECT_THROW(parse_auto_mounts({"proc:ro"}), Error);
    EXPECT_THROW(parse_auto_mounts({"sys:maybe"}), Error);
    EXPECT_THROW(parse_auto_mounts({"shm"}), Error);
    EXPECT_THROW(parse_auto_mounts({"sys:ro:force"}), Error);
}

TEST(Fstab, ParsesLinesCommentsAndDefaults) {
    auto entries = parse_fstab("# comment\n"
                               "none /dev/shm tmpfs defaults 0 0\n"
                               "\n"
                               "/srv/data srv/data none bind,create=dir # trailing\n",
                               "/etc/fstab.ct");
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].source, "none");
    EXPECT_EQ(entries[0].target, "dev/shm");
    EXPECT_EQ(entries[0].fstype, "tmpfs");
    EXPECT_EQ(entries[1].target, "srv/data");
    EXPECT_EQ(entries[1].options, "bind,create=dir");
    EXPECT_EQ(entries[1].freq, 0);
}

TEST(Fstab, ErrorNamesFileAndLine) {
    try {
        parse_fstab("none /tmp tmpfs defaults\nbroken line\n", "/x/fstab");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/x/fstab:2"), std::string::npos) << e.what();
    }
}

TEST(RootfsPath, Kinds) {
    auto d = parse_rootfs_path("/var/lib/lxc/c/rootfs");
    EXPECT_EQ(d.kind, RootfsSpec::Kind::Dir);
    EXPECT_EQ(d.path, "/var/lib/lxc/c/rootfs");
    EXPECT_EQ(parse_rootfs_path("dir:/r").path, "/r");
    auto o = parse_rootfs_path("overlayfs:/lower:/c/delta0");
    EXPECT_EQ(o.kind, RootfsSpec::Kind::Overlay);
    EXPECT_EQ(o.lower, "/lower");
    EXPECT_EQ(o.upper, "/c/delta0");
    EXPECT_EQ(o.work, "/c/olwork");
    EXPECT_EQ(parse_rootfs_path("overlay:/a:/b").kind, RootfsSpec::Kind::Overlay);
}

TEST(RootfsPath, Errors) {
    EXPECT_THROW(parse_rootfs_path(""), Error);
    EXPECT_THROW(parse_rootfs_path("overlay:/only-lower"), Error);
    EXPECT_THROW(parse_rootfs_path("zfs:tank/ct"), Error);
}
