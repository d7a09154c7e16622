// Pure parts of the rootfs setup: fstab options -> mount(2) flags, lxc.mount.auto
// words, lxc.mount.fstab text, lxc.rootfs.path and which mounts may be idmapped.
#include "error.hpp"
#include "idmapped_mounts.hpp"
#include "mount_options.hpp"
#include "mounts.hpp"
#include "rootfs.hpp"

#include <fcntl.h>
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
    EXPECT_THROW(parse_mount_options("bind,idmap="), Error);
}

TEST(MountOptions, RelativeAndIdmapAreNotFilesystemData) {
    auto o = parse_mount_options("bind,relative,ro");
    EXPECT_TRUE(o.relative);
    EXPECT_TRUE(o.idmap.empty());
    EXPECT_TRUE(o.data.empty());
    auto i = parse_mount_options("rbind,idmap=/proc/42/ns/user,size=1m");
    EXPECT_EQ(i.idmap, "/proc/42/ns/user");
    EXPECT_FALSE(i.relative);
    EXPECT_EQ(i.data, "size=1m");
    EXPECT_EQ(parse_mount_options("idmap=container").idmap, "container");
}

namespace {

config::MountEntry entry(const std::string& options) {
    return {"/srv/data", "srv/data", "none", options, 0, 0};
}

std::string check_error(const config::Config& cfg, const std::string& rootfs,
                        const std::vector<config::MountEntry>& entries) {
    try {
        IdmappedTrees::check(cfg, parse_rootfs_path(rootfs), entries);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(IdmappedTrees, CheckRefusesWhatCannotBeIdmapped) {
    config::Config cfg;
    EXPECT_EQ(check_error(cfg, "/r", {entry("bind")}), "");
    EXPECT_NE(check_error(cfg, "/r", {entry("bind,idmap=container")}).find("needs lxc.idmap"),
              std::string::npos);
    cfg.rootfs_options = "idmap=container";
    EXPECT_NE(
        check_error(cfg, "/r", {}).find("lxc.rootfs.options: idmap=container needs lxc.idmap"),
        std::string::npos);
    cfg.idmaps = {{'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}};
    EXPECT_EQ(check_error(cfg, "/r", {entry("rbind,idmap=container")}), "");
    EXPECT_NE(check_error(cfg, "overlay:/l:/u", {}).find("directory rootfs"), std::string::npos);
    EXPECT_NE(check_error(cfg, "/r", {entry("idmap=/run/userns")}).find("needs bind"),
              std::string::npos);
    EXPECT_NE(check_error(cfg, "/r", {entry("bind,relative,idmap=container")}).find("relative"),
              std::string::npos);
}

TEST(IdmappedTrees, SlotsTravelWithTheirFds) {
    std::vector<UniqueFd> fds;
    fds.emplace_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    fds.emplace_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    int second = fds[1].get();
    auto trees = IdmappedTrees::received("0 3", std::move(fds));
    EXPECT_EQ(trees.slots(), "0 3");
    EXPECT_GE(trees.rootfs(), 0);
    EXPECT_EQ(trees.entry(2), second);
    EXPECT_EQ(trees.entry(0), -1);
    EXPECT_EQ(trees.fds().size(), 2u);
    EXPECT_THROW(IdmappedTrees::received("0 1", {}), Error);
    EXPECT_THROW(IdmappedTrees::received("x", {}), Error);
    EXPECT_EQ(IdmappedTrees::received("", {}).slots(), "");
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
    EXPECT_EQ(o.work, "/c/work");
    EXPECT_EQ(parse_rootfs_path("overlay:/a:/b").kind, RootfsSpec::Kind::Overlay);
    // LXC's snapshot layout, and several lowers: the upper follows the last ':'.
    auto s = parse_rootfs_path("overlay:/var/lib/lxc/a/rootfs:/var/lib/lxc/b/overlay/delta");
    EXPECT_EQ(s.lower, "/var/lib/lxc/a/rootfs");
    EXPECT_EQ(s.work, "/var/lib/lxc/b/overlay/work");
    auto m = parse_rootfs_path("overlay:/l1:/l2:/u");
    EXPECT_EQ(m.lower, "/l1:/l2");
    EXPECT_EQ(m.upper, "/u");
    EXPECT_EQ(overlay_lowers(m), (std::vector<std::string>{"/l1", "/l2"}));
}

TEST(RootfsPath, Errors) {
    EXPECT_THROW(parse_rootfs_path(""), Error);
    EXPECT_THROW(parse_rootfs_path("overlay:/only-lower"), Error);
    EXPECT_THROW(parse_rootfs_path("overlay:/lower:"), Error);
    EXPECT_THROW(parse_rootfs_path("zfs:tank/ct"), Error);
}
