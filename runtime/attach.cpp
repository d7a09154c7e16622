#include "attach.hpp"

#include "cgroup_fs.hpp"
#include "cgroup_layout.hpp"
#include "error.hpp"
#include "fd.hpp"
#include "idmap.hpp"
#include "init.hpp"
#include "process.hpp"
#include "seccomp_filter.hpp"
#include "supervisor_protocol.hpp"
#include "unprivileged.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace lxcd::runtime {

namespace {

struct NsKind {
    const char* name;
    int flag;
};
constexpr NsKind ns_kinds[] = {
    {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},    {"pid", CLONE_NEWPID},
    {"uts", CLONE_NEWUTS},       {"ipc", CLONE_NEWIPC},   {"net", CLONE_NEWNET},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

// The namespaces init is in that we are not (setns refuses to re-enter our own user ns).
int differing_namespaces(pid_t pid) {
    int flags = 0;
    for (const auto& k : ns_kinds) {
        struct stat theirs {
        }, ours{};
        std::string path = "/proc/" + std::to_string(pid) + "/ns/" + k.name;
        std::string own = std::string("/proc/self/ns/") + k.name;
        if (::stat(path.c_str(), &theirs) == 0 && ::stat(own.c_str(), &ours) == 0 &&
            (theirs.st_ino != ours.st_ino || theirs.st_dev != ours.st_dev))
            flags |= k.flag;
    }
    return flags;
}

// Puts the command into init's cgroup in every hierarchy we can see. v1 hierarchies:
// the calling process moves (its child inherits them). The unified one: returns its
// directory for clone3(CLONE_INTO_CGROUP), so that on a cgroup2-only host nothing
// migrates: a migration after a quiet spell waits for an RCU grace period (~10 ms).
UniqueFd join_cgroups(pid_t pid) {
    cgroup::Layout layout = cgroup::detect_layout();
    UniqueFd unified;
    std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
    for (std::string line; std::getline(in, line);) {
        // "id:controllers:path"
        size_t a = line.find(':'), b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos)
            continue;
        std::string controllers = line.substr(a + 1, b - a - 1);
        std::string path = line.substr(b + 1);
        for (const auto& h : layout.hierarchies) {
            bool match = controllers.empty() ? h.unified : !h.unified && h.label() == controllers;
            // Unprivileged containers use only the unified hierarchy (cgroup.hpp).
            if (!match || !path.starts_with(h.mount_root) || (unprivileged() && !h.unified))
                continue;
            std::string rel = path.substr(h.mount_root.size());
            rel.erase(0, rel.find_first_not_of('/'));
            const std::filesystem::path dir = h.mountpoint / rel;
            if (h.unified) {
                unified.reset(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
                if (!unified)
                    throw_errno("open " + dir.string());
            } else {
                cgroup::write_file(dir / "cgroup.procs", std::to_string(::getpid()));
            }
        }
    }
    return unified;
}

// fork(), starting the child in `cgroup` when it is open.
pid_t fork_into(const UniqueFd& cgroup) {
    if (!cgroup)
        return ::fork();
    clone_args args{};
    args.flags = CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup.get());
    args.exit_signal = SIGCHLD;
    return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof(args)));
}

} // namespace

pid_t read_init_pid(const std::string& state_dir) {
    std::ifstream in(state_dir + "/" + supervisor::kInitPidFile);
    pid_t pid = 0;
    if (!(in >> pid) || pid <= 0)
        throw Error(Errc::NotRunning, "no running container at " + state_dir);
    return pid;
}

int attach(pid_t init_pid, const config::Config& cfg, const std::vector<std::string>& argv) {
    if (argv.empty())
        throw Error(Errc::InvalidArgument, "attach: no command");
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, init_pid, 0)));
    if (!pidfd)
        throw_errno("attach: open init (pid " + std::to_string(init_pid) + ")");
    // Compiled from the host's policy file before we leave the host's mount namespace.
    std::optional<seccomp::SeccompFilter> filter;
    if (!cfg.seccomp_profile.empty())
        filter = seccomp::compile(seccomp::load_seccomp_policy(cfg.seccomp_profile));

    // A user may move processes only within what its systemd manager delegates.
    const std::string delegation_hint = " (run it in your systemd user manager: systemd-run "
                                        "--user --pty ...)";
    UniqueFd cgroup;
    try {
        cgroup = join_cgroups(init_pid);
    } catch (const Error& e) {
        if (e.sys_errno() != EACCES || !unprivileged())
            throw;
        throw Error(e.code(), std::string(e.what()) + delegation_hint, e.sys_errno());
    }
    int flags = differing_namespaces(init_pid);
    if (flags && ::setns(pidfd.get(), flags) < 0)
        throw_errno("attach: join the namespaces of pid " + std::to_string(init_pid));

    // A new PID namespace applies to children only.
    pid_t child = fork_into(cgroup);
    if (child < 0 && errno == EACCES && unprivileged())
        throw Error(Errc::AccessDenied,
                    "attach: start a process in the container's cgroup: " +
                        std::string(std::strerror(errno)) + delegation_hint,
                    EACCES);
    if (child < 0)
        throw_errno("attach: start a process in the container's cgroup");
    if (child == 0) {
        try {
            if ((flags & CLONE_NEWUSER) && idmap_covers(cfg.idmaps, 'u', 0) &&
                (::setresgid(0, 0, 0) < 0 || ::setresuid(0, 0, 0) < 0))
                throw_errno("become root in the user namespace");
            if (::chdir(cfg.init_cwd.empty() ? "/" : cfg.init_cwd.c_str()) < 0)
                throw_errno("lxc.init.cwd '" + cfg.init_cwd + "'");
            restrict_process(cfg, filter);
            prepare_exec_context();
            exec_search(argv, init_environment(cfg, inherited_environment()));
            throw_errno("attach: exec '" + argv[0] + "'");
        } catch (const std::exception& e) {
            std::cerr << "lxcd-attach: " << e.what() << "\n";
        }
        ::_exit(127);
    }
    return exit_code(wait_for(child));
}

} // namespace lxcd::runtime
