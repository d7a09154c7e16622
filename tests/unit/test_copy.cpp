// Copies: a clone's config rewriting, finding the overlay clones of a base, and the
// tree copy that keeps owners, modes, times, xattrs, hard links, symlinks and devices.
#include "clone_config.hpp"
#include "error.hpp"
#include "storage.hpp"
#include "tree_copy.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace lxcd;
namespace fs = std::filesystem;

namespace {

// Deterministic "random" bytes: 0x1, 0x2, ...
net::RandomByte counter() {
    auto n = std::make_shared<uint8_t>(0);
    return [n] { return ++*n; };
}

CloneRewrite rewrite_ct1_to_ct2() {
    CloneRewrite r;
    r.old_name = "ct1";
    r.new_name = "ct2";
    r.old_dir = "/var/lib/lxc/ct1";
    r.new_dir = "/var/lib/lxc/ct2";
    r.rootfs_path = "overlay:/var/lib/lxc/ct1/rootfs:/var/lib/lxc/ct2/overlay/delta";
    return r;
}

class TempDir {
  public:
    TempDir() {
        std::string t = (fs::temp_directory_path() / "lxcd-test-copy.XXXXXX").string();
        if (!mkdtemp(t.data()))
            throw std::runtime_error("mkdtemp failed");
        path_ = t;
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

} // namespace

TEST(CloneConfig, NameRootfsAndPaths) {
    std::string in = "# my container\n"
                     "lxc.include = /usr/share/lxc/config/common.conf\n"
                     "lxc.uts.name = ct1\n"
                     "lxc.rootfs.path = dir:/var/lib/lxc/ct1/rootfs\n"
                     "lxc.mount.entry = /var/lib/lxc/ct1/data data none bind 0 0\n"
                     "lxc.mount.fstab = /var/lib/lxc/ct10/fstab\n"
                     "lxc.log.file = /var/log/lxc/ct1.log\n"
                     "lxc.console.logfile = /var/lib/lxc/ct1/console.log\n"
                     "lxc.hook.clone = /usr/local/bin/clone-hook\n";
    std::string out = rewrite_clone_config(in, rewrite_ct1_to_ct2(), counter());
    EXPECT_EQ(out, "# my container\n"
                   "lxc.include = /usr/share/lxc/config/common.conf\n"
                   "lxc.uts.name = ct2\n"
                   "lxc.rootfs.path = "
                   "overlay:/var/lib/lxc/ct1/rootfs:/var/lib/lxc/ct2/overlay/delta\n"
                   "lxc.mount.entry = /var/lib/lxc/ct2/data data none bind 0 0\n"
                   "lxc.mount.fstab = /var/lib/lxc/ct10/fstab\n" // another container's
                   "lxc.log.file = /var/log/lxc/ct2.log\n"
                   "lxc.console.logfile = /var/lib/lxc/ct2/console.log\n"
                   "lxc.hook.clone = /usr/local/bin/clone-hook\n");
}

TEST(CloneConfig, LegacyKeysAndMissingName) {
    CloneRewrite r = rewrite_ct1_to_ct2();
    r.ephemeral = true;
    std::string out = rewrite_clone_config("lxc.rootfs = /var/lib/lxc/ct1/rootfs\n", r);
    EXPECT_EQ(out, "lxc.rootfs = " + r.rootfs_path + "\nlxc.uts.name = ct2\nlxc.ephemeral = 1\n");
    out = rewrite_clone_config("lxc.utsname = ct1\nlxc.ephemeral = 0\n", r);
    EXPECT_EQ(out,
              "lxc.utsname = ct2\nlxc.ephemeral = 1\nlxc.rootfs.path = " + r.rootfs_path + "\n");
}

TEST(CloneConfig, HwaddrFromPatternRecorded) {
    std::string in = "lxc.net.0.type = veth\nlxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n";
    std::string first = rewrite_clone_config(in, rewrite_ct1_to_ct2(), counter());
    EXPECT_EQ(first, "lxc.net.0.type = veth\n"
                     "# lxcd: lxc.net.0.hwaddr pattern 00:16:3e:xx:xx:xx\n"
                     "lxc.net.0.hwaddr = 00:16:3e:12:34:56\n"
                     "lxc.rootfs.path = overlay:/var/lib/lxc/ct1/rootfs:/var/lib/lxc/ct2/overlay/"
                     "delta\n"
                     "lxc.uts.name = ct2\n");
    // A copy of the copy starts again from the recorded pattern, not from its address.
    CloneRewrite again = rewrite_ct1_to_ct2();
    again.old_name = "ct2";
    again.new_name = "ct3";
    std::string second = rewrite_clone_config(first, again, [] { return uint8_t(0xab); });
    EXPECT_NE(second.find("# lxcd: lxc.net.0.hwaddr pattern 00:16:3e:xx:xx:xx\n"
                          "lxc.net.0.hwaddr = 00:16:3e:bb:bb:bb\n"),
              std::string::npos)
        << second;
    EXPECT_EQ(second.find("00:16:3e:12:34:56"), std::string::npos);
}

TEST(CloneConfig, FixedHwaddrBecomesLocallyAdministered) {
    std::string out = rewrite_clone_config("lxc.net.1.hwaddr = 52:54:00:12:34:56\n",
                                           rewrite_ct1_to_ct2(), [] { return uint8_t(0xff); });
    // every digit random; the first octet's low nibble keeps "local, unicast": 0xe
    EXPECT_NE(out.find("lxc.net.1.hwaddr = fe:ff:ff:ff:ff:ff\n"), std::string::npos) << out;
    EXPECT_NE(out.find("# lxcd: lxc.net.1.hwaddr pattern xx:xx:xx:xx:xx:xx\n"), std::string::npos);
}

TEST(CloneConfig, SnapshotsKeepNameAndHwaddrs) {
    CloneRewrite r = rewrite_ct1_to_ct2();
    r.new_name = "snap0";
    r.new_dir = "/var/lib/lxc/ct1/snaps/snap0";
    r.rootfs_path = "dir:/var/lib/lxc/ct1/snaps/snap0/rootfs";
    r.keep_name = r.keep_hwaddrs = true;
    std::string in = "lxc.uts.name = ct1\n"
                     "# lxcd: lxc.net.0.hwaddr pattern 00:16:3e:xx:xx:xx\n"
                     "lxc.net.0.hwaddr = 00:16:3e:12:34:56\n"
                     "lxc.rootfs.path = dir:/var/lib/lxc/ct1/rootfs\n";
    EXPECT_EQ(rewrite_clone_config(in, r), "lxc.uts.name = ct1\n"
                                           "# lxcd: lxc.net.0.hwaddr pattern 00:16:3e:xx:xx:xx\n"
                                           "lxc.net.0.hwaddr = 00:16:3e:12:34:56\n"
                                           "lxc.rootfs.path = dir:/var/lib/lxc/ct1/snaps/snap0/"
                                           "rootfs\n");
}

TEST(Dependents, OverlayLowersAcrossContainersAndSnapshots) {
    TempDir t;
    fs::path lxc = t.path();
    write(lxc / "base/config", "lxc.rootfs.path = dir:" + (lxc / "base/rootfs").string() + "\n");
    write(lxc / "c1/config", "lxc.rootfs.path = overlay:" + (lxc / "base/rootfs").string() + ":" +
                                 (lxc / "c1/overlay/delta").string() + "\n");
    write(lxc / "c2/snaps/snap0/config",
          "lxc.rootfs.path = overlayfs:/other:" + (lxc / "base/rootfs/").string() + ":" +
              (lxc / "c2/snaps/snap0/delta").string() + "\n");
    write(lxc / "c3/config", "lxc.rootfs.path = overlay:" + (lxc / "base/rootfs2").string() + ":" +
                                 (lxc / "c3/delta").string() + "\n");
    write(lxc / "c4/config", "lxc.rootfs.path = dir:" + (lxc / "base/rootfs").string() + "\n");

    auto bases = storage::base_dirs("dir:" + (lxc / "base/rootfs").string());
    ASSERT_EQ(bases.size(), 1u);
    EXPECT_EQ(storage::find_dependents(lxc, bases, lxc / "base"),
              (std::vector<std::string>{"c1", "c2/snaps/snap0"}));
    // What goes away with the base is no dependent.
    EXPECT_EQ(storage::find_dependents(lxc, bases, lxc / "c1"),
              (std::vector<std::string>{"c2/snaps/snap0"}));
    // An overlay container's upper is its own: nothing can depend on it.
    EXPECT_TRUE(storage::base_dirs("overlay:/l:/u").empty());
}

TEST(TreeCopy, KeepsWhatARootfsNeeds) {
    TempDir t;
    fs::path src = t.path() / "src", dst = t.path() / "dst";
    write(src / "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    fs::create_hard_link(src / "etc/passwd", src / "etc/passwd-link");
    fs::create_symlink("../etc/passwd", src / "etc/ptr");
    fs::create_symlink("/nonexistent", src / "dangling");
    ASSERT_EQ(mkfifo((src / "fifo").c_str(), 0600), 0);
    ASSERT_EQ(chmod((src / "fifo").c_str(), 0620), 0); // past the umask
    write(src / "bin/tool", "#!/bin/sh\n");
    ASSERT_EQ(chmod((src / "bin/tool").c_str(), 04755), 0);
    ASSERT_EQ(chmod((src / "bin").c_str(), 0555), 0); // read-only directory, filled first
    struct timespec times[2] = {{1000, 0}, {2000, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, (src / "etc/passwd").c_str(), times, 0), 0);
    bool root = geteuid() == 0;
    if (root) {
        ASSERT_EQ(mknod((src / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
        ASSERT_EQ(lchown((src / "etc/ptr").c_str(), 12, 34), 0);
        ASSERT_EQ(chown((src / "etc").c_str(), 56, 78), 0);
    }
    bool xattrs = setxattr((src / "etc/passwd").c_str(), "user.lxcd", "v", 1, 0) == 0;

    copy_tree(src, dst);

    struct stat a {
    }, b{};
    ASSERT_EQ(stat((dst / "etc/passwd").c_str(), &a), 0);
    ASSERT_EQ(stat((dst / "etc/passwd-link").c_str(), &b), 0);
    EXPECT_EQ(a.st_ino, b.st_ino);
    EXPECT_EQ(a.st_nlink, 2u);
    EXPECT_EQ(a.st_mtim.tv_sec, 2000);
    EXPECT_EQ(fs::read_symlink(dst / "etc/ptr"), "../etc/passwd");
    EXPECT_EQ(fs::read_symlink(dst / "dangling"), "/nonexistent");
    ASSERT_EQ(lstat((dst / "fifo").c_str(), &a), 0);
    EXPECT_TRUE(S_ISFIFO(a.st_mode));
    EXPECT_EQ(a.st_mode & 07777, 0620u);
    ASSERT_EQ(stat((dst / "bin/tool").c_str(), &a), 0);
    EXPECT_EQ(a.st_mode & 07777, 04755u);
    ASSERT_EQ(stat((dst / "bin").c_str(), &a), 0);
    EXPECT_EQ(a.st_mode & 07777, 0555u);
    if (root) {
        ASSERT_EQ(lstat((dst / "null").c_str(), &a), 0);
        EXPECT_TRUE(S_ISCHR(a.st_mode));
        EXPECT_EQ(a.st_rdev, makedev(1, 3));
        ASSERT_EQ(lstat((dst / "etc/ptr").c_str(), &a), 0);
        EXPECT_EQ(a.st_uid, 12u);
        EXPECT_EQ(a.st_gid, 34u);
        ASSERT_EQ(stat((dst / "etc").c_str(), &a), 0);
        EXPECT_EQ(a.st_uid, 56u);
    }
    if (xattrs) {
        char v[8] = {};
        EXPECT_EQ(getxattr((dst / "etc/passwd").c_str(), "user.lxcd", v, sizeof v), 1);
        EXPECT_EQ(v[0], 'v');
    }
    fs::permissions(src / "bin", fs::perms::owner_all);
    fs::permissions(dst / "bin", fs::perms::owner_all);
}

TEST(TreeCopy, RefusesAnExistingTarget) {
    TempDir t;
    fs::create_directories(t.path() / "src");
    fs::create_directories(t.path() / "dst");
    EXPECT_THROW(copy_tree(t.path() / "src", t.path() / "dst"), Error);
}
