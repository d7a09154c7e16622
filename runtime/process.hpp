// Child process helpers shared by hooks, attach and the app init.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lxcd::runtime {

// The current environment as "NAME=value" strings.
std::vector<std::string> inherited_environment();

// execve() with string vectors; returns only on failure (errno set).
void exec_argv(const std::vector<std::string>& argv, const std::vector<std::string>& env);

// Same, but searches PATH of `env` for argv[0] when it has no '/'.
void exec_search(const std::vector<std::string>& argv, const std::vector<std::string>& env);

// Unblocks every signal and marks every fd above stderr close-on-exec: what a
// process started by the supervisor must not inherit.
void prepare_exec_context();

// Forks, execs argv with env in a process group of its own and waits at most `timeout`;
// returns the raw wait status, or nullopt when it ran out of time (the whole group is
// then killed and reaped).
std::optional<int> run_and_wait(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env,
                                std::chrono::milliseconds timeout);

// lxcd holds descriptors for each container: it raises its soft RLIMIT_NOFILE to the
// hard limit, as systemd does for itself. Returns false if it could not.
bool raise_fd_limit();
// What lxcd starts gets the soft limit back down to FD_SETSIZE (1024, what systemd gives
// services), so that containers and hooks using select(2) keep working.
void limit_fds_for_children();

// waitpid() retrying on EINTR; returns the raw status.
int wait_for(pid_t pid);

// "exit status 3" / "killed by signal 9 (Killed)".
std::string describe_status(int status);

// Shell-style exit code: the status, or 128 + signal.
int exit_code(int status);

} // namespace lxcd::runtime
