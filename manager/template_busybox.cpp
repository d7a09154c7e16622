#include "template_busybox.hpp"

#include "error.hpp"

#include <array>
#include <fstream>

namespace lxcd {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBusybox = "/bin/busybox";

// Applets a shell user expects; busybox-static has all of them.
constexpr std::array kApplets = {
    "sh",       "ash",    "cat",      "chmod", "chown", "cp",    "date",     "dd",
    "df",       "dmesg",  "echo",     "env",   "false", "grep",  "halt",     "head",
    "hostname", "id",     "ifconfig", "init",  "ip",    "kill",  "ln",       "ls",
    "mkdir",    "mknod",  "mount",    "mv",    "nc",    "ping",  "poweroff", "ps",
    "pwd",      "reboot", "rm",       "rmdir", "route", "sed",   "sleep",    "stat",
    "sync",     "tail",   "tee",      "test",  "top",   "touch", "true",     "udhcpc",
    "umount",   "uname",  "uptime",   "vi",    "wc",    "which", "whoami",   "getty",
};

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out.flush())
        throw Error(Errc::System, "cannot write " + path.string());
}

} // namespace

std::string make_busybox_rootfs(const std::string& name, const fs::path& dir) {
    if (!fs::exists(kBusybox))
        throw Error(Errc::Failed,
                    "template busybox needs /bin/busybox (Debian package busybox-static)");
    fs::path root = dir / "rootfs";
    for (const char* d : {"bin", "sbin", "etc", "etc/init.d", "proc", "sys", "dev", "tmp", "root",
                          "run", "var", "var/log", "home", "mnt", "usr", "usr/bin", "usr/sbin"})
        fs::create_directories(root / d);
    fs::permissions(root / "tmp", fs::perms::all | fs::perms::sticky_bit);
    fs::copy_file(kBusybox, root / "bin/busybox");
    fs::permissions(root / "bin/busybox", fs::perms(0755));
    for (const char* applet : kApplets) {
        fs::path link =
            (std::string_view(applet) == "init" ? root / "sbin" : root / "bin") / applet;
        fs::create_symlink("/bin/busybox", link);
    }
    write_file(root / "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    write_file(root / "etc/group", "root:x:0:\n");
    write_file(root / "etc/hostname", name + "\n");
    // No getty on ttys nobody attached: init just runs rcS and waits for signals.
    write_file(root / "etc/inittab", "::sysinit:/etc/init.d/rcS\n::shutdown:/bin/sync\n");
    write_file(root / "etc/init.d/rcS", "#!/bin/sh\nhostname -F /etc/hostname\n");
    fs::permissions(root / "etc/init.d/rcS", fs::perms(0755));

    // busybox init halts on SIGUSR1 and reboots on SIGTERM.
    return "# Made by lxcd's busybox template\n"
           "lxc.uts.name = " +
           name +
           "\n"
           "lxc.rootfs.path = dir:" +
           root.string() +
           "\n"
           "lxc.signal.halt = SIGUSR1\n"
           "lxc.signal.reboot = SIGTERM\n"
           "lxc.mount.auto = proc:mixed sys:ro cgroup:mixed\n"
           "lxc.autodev = 1\n"
           "lxc.tty.max = 0\n"
           "lxc.pty.max = 16\n"
           "lxc.cap.drop = sys_module mac_admin mac_override sys_time\n"
           "lxc.net.0.type = empty\n";
}

} // namespace lxcd
