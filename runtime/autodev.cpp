#include "autodev.hpp"

#include "error.hpp"
#include "in_root.hpp"
#include "mount_ops.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <array>

namespace lxcd::runtime {

namespace {

constexpr std::array devices{"null", "zero", "full", "random", "urandom", "tty"};

struct Link {
    const char* name;
    const char* target;
};
constexpr std::array links{
    Link{"fd", "/proc/self/fd"},
    Link{"stdin", "/proc/self/fd/0"},
    Link{"stdout", "/proc/self/fd/1"},
    Link{"stderr", "/proc/self/fd/2"},
};

void make_link(int dev_fd, const Link& l) {
    if (::symlinkat(l.target, dev_fd, l.name) < 0 && errno != EEXIST)
        throw_errno(std::string("symlink /dev/") + l.name);
}

void mount_devpts(int root_fd, const config::Config& cfg, bool gid5_mapped) {
    UniqueFd pts = open_in_root(root_fd, "dev/pts", CreateKind::Dir);
    std::string data = "newinstance,ptmxmode=0666,mode=0620";
    if (gid5_mapped)
        data += ",gid=5";
    if (cfg.pty_max)
        data += ",max=" + std::to_string(*cfg.pty_max);
    mount_filesystem("devpts", "devpts", pts.get(), MS_NOSUID | MS_NOEXEC, data);

    // /dev/ptmx must open this instance's multiplexer, not the host's.
    UniqueFd dev = open_in_root(root_fd, "dev");
    if (::unlinkat(dev.get(), "ptmx", 0) < 0 && errno != ENOENT)
        throw_errno("remove /dev/ptmx");
    if (::symlinkat("pts/ptmx", dev.get(), "ptmx") < 0)
        throw_errno("symlink /dev/ptmx");
}

} // namespace

void setup_dev(int root_fd, const config::Config& cfg, bool gid5_mapped) {
    if (cfg.autodev) {
        UniqueFd dev = open_in_root(root_fd, "dev", CreateKind::Dir);
        std::string data = "mode=755,size=" + std::to_string(cfg.autodev_tmpfs_size) + "m";
        mount_filesystem("none", "tmpfs", dev.get(), MS_NOSUID | MS_NOEXEC, data);
        for (const char* name : devices) {
            UniqueFd node = open_in_root(root_fd, std::string("dev/") + name, CreateKind::File);
            MountOptions bind;
            bind_mount(std::string("/dev/") + name, node.get(), bind);
        }
        UniqueFd mounted = open_in_root(root_fd, "dev");
        for (const auto& l : links)
            make_link(mounted.get(), l);
        open_in_root(root_fd, "dev/shm", CreateKind::Dir);
        open_in_root(root_fd, "dev/mqueue", CreateKind::Dir);
    }
    mount_devpts(root_fd, cfg, gid5_mapped);
}

void bind_console(int root_fd, const std::string& pty_path) {
    UniqueFd console = open_in_root(root_fd, "dev/console", CreateKind::File);
    bind_mount(pty_path, console.get(), MountOptions{});
}

void bind_ttys(int root_fd, const std::vector<std::string>& pty_paths, const std::string& tty_dir) {
    for (size_t i = 0; i < pty_paths.size(); i++) {
        std::string name = "tty" + std::to_string(i + 1);
        std::string rel = tty_dir.empty() ? name : tty_dir + "/" + name;
        if (!tty_dir.empty())
            open_in_root(root_fd, "dev/" + tty_dir, CreateKind::Dir);
        UniqueFd node = open_in_root(root_fd, "dev/" + rel, CreateKind::File);
        bind_mount(pty_paths[i], node.get(), MountOptions{});
        if (!tty_dir.empty()) {
            UniqueFd dev = open_in_root(root_fd, "dev");
            ::unlinkat(dev.get(), name.c_str(), 0);
            if (::symlinkat(rel.c_str(), dev.get(), name.c_str()) < 0)
                throw_errno("symlink /dev/" + name + " -> " + rel);
        }
    }
}

} // namespace lxcd::runtime
