#include "netns_owner.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <fstream>
#include <sstream>

#include "error.hpp"

namespace lxcd {

namespace {

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

struct stat stat_path(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) < 0)
        throw_errno("cannot inspect " + path);
    return st;
}

bool exited(int pidfd) {
    pollfd p{pidfd, POLLIN, 0};
    return poll(&p, 1, 0) != 0;
}

// Field 22 of /proc/PID/stat; 0 if the process is gone. The command name (field 2)
// may hold spaces and parentheses, so fields are counted after its last ')'.
uint64_t start_time_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(text.substr(close + 1));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; i++)
        if (i == 22)
            return std::stoull(field);
    return 0;
}

pid_t pidfd_pid(int pidfd) {
    std::ifstream in("/proc/self/fdinfo/" + std::to_string(pidfd));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Pid:", 0) == 0)
            return static_cast<pid_t>(std::stol(line.substr(4)));
    throw Error(Errc::InvalidArgument, "the process file descriptor is not a pidfd");
}

} // namespace

void require_netns_owned_by(int netns_fd, uid_t uid) {
    if (ioctl(netns_fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        throw Error(Errc::InvalidArgument,
                    "the namespace file descriptor is not a network namespace");
    struct stat given {};
    if (fstat(netns_fd, &given) < 0)
        throw_errno("cannot inspect the network namespace");
    if (same_file(given, stat_path("/proc/self/ns/net")))
        throw Error(Errc::InvalidArgument, "that is the host's network namespace");

    UniqueFd userns(ioctl(netns_fd, NS_GET_USERNS));
    while (userns) {
        uid_t owner = 0;
        if (ioctl(userns.get(), NS_GET_OWNER_UID, &owner) < 0)
            throw_errno("cannot read the owner of a user namespace");
        if (owner == uid)
            return;
        // EPERM at lxcd's own user namespace: nothing above belongs to anyone.
        userns.reset(ioctl(userns.get(), NS_GET_PARENT));
    }
    throw Error(Errc::AccessDenied, "the network namespace does not belong to uid " +
                                        std::to_string(uid) + "'s user namespaces");
}

ProcessId pidfd_process_in(int pidfd, int netns_fd) {
    const pid_t pid = pidfd_pid(pidfd);
    if (pid <= 0)
        throw Error(Errc::InvalidArgument, "the pidfd's process is gone or not visible to lxcd");
    const std::string ns = "/proc/" + std::to_string(pid) + "/ns/net";
    struct stat given {};
    if (fstat(netns_fd, &given) < 0)
        throw_errno("cannot inspect the network namespace");
    const bool inside = same_file(stat_path(ns), given);
    ProcessId id{pid, start_time_of(pid)};
    // Only if the process still runs were the path and times read its own.
    if (exited(pidfd) || !id.start_time)
        throw Error(Errc::InvalidArgument,
                    "the pidfd's process (PID " + std::to_string(pid) + ") has exited");
    if (!inside)
        throw Error(Errc::InvalidArgument, "the pidfd's process (PID " + std::to_string(pid) +
                                               ") is not in the given network namespace");
    return id;
}

UniqueFd open_process(const ProcessId& id) {
    UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, id.pid, 0)));
    if (!pidfd || start_time_of(id.pid) != id.start_time || exited(pidfd.get()))
        return {};
    return pidfd;
}

} // namespace lxcd
