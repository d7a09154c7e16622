#include "process.hpp"

#include "error.hpp"
#include "fd.hpp"

#include <csignal>
#include <linux/close_range.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <sstream>

extern char** environ;

namespace lxcd::runtime {

namespace {

std::vector<char*> c_strings(const std::vector<std::string>& v) {
    std::vector<char*> out;
    out.reserve(v.size() + 1);
    for (const auto& s : v)
        out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

std::string env_value(const std::vector<std::string>& env, const std::string& name) {
    for (const auto& e : env) {
        if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=')
            return e.substr(name.size() + 1);
    }
    return {};
}

} // namespace

std::vector<std::string> inherited_environment() {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e)
        env.emplace_back(*e);
    return env;
}

void exec_argv(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    auto args = c_strings(argv);
    auto envp = c_strings(env);
    ::execve(args[0], args.data(), envp.data());
}

void exec_search(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    if (argv.empty()) {
        errno = EINVAL;
        return;
    }
    if (argv[0].find('/') != std::string::npos) {
        exec_argv(argv, env);
        return;
    }
    std::string path = env_value(env, "PATH");
    if (path.empty())
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    std::istringstream dirs(path);
    int first_error = ENOENT;
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::vector<std::string> candidate = argv;
        candidate[0] = (dir.empty() ? "." : dir) + "/" + argv[0];
        exec_argv(candidate, env);
        if (errno != ENOENT && first_error == ENOENT)
            first_error = errno;
    }
    errno = first_error;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            throw_errno("waitpid");
    }
    return status;
}

void prepare_exec_context() {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
}

std::optional<int> run_and_wait(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env,
                                std::chrono::milliseconds timeout) {
    pid_t pid = ::fork();
    if (pid < 0)
        throw_errno("fork");
    if (pid == 0) {
        // Its own group: a timeout kills what it started too (a hook is `sh -c`).
        ::setpgid(0, 0);
        prepare_exec_context();
        exec_argv(argv, env);
        ::_exit(127);
    }
    ::setpgid(pid, pid); // also here: the group exists before we might kill it
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd) {
        int err = errno;
        ::kill(pid, SIGKILL);
        wait_for(pid);
        throw_errno("pidfd_open", err);
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{pidfd.get(), POLLIN, 0};
        int n = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
        if (n > 0)
            return wait_for(pid);
        if (n == 0) {
            ::kill(-pid, SIGKILL);
            wait_for(pid);
            return std::nullopt;
        }
        if (errno != EINTR)
            throw_errno("poll");
    }
}

std::string describe_status(int status) {
    if (WIFEXITED(status))
        return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
               ::strsignal(WTERMSIG(status)) + ")";
    return "wait status " + std::to_string(status);
}

int exit_code(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

bool raise_fd_limit() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return false;
    rl.rlim_cur = rl.rlim_max;
    return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

void limit_fds_for_children() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur <= FD_SETSIZE)
        return;
    rl.rlim_cur = FD_SETSIZE;
    setrlimit(RLIMIT_NOFILE, &rl); // lowering a soft limit cannot fail
}

} // namespace lxcd::runtime
