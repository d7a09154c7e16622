#include "app_init.hpp"

#include "process.hpp"

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace lxcd::runtime {

void run_app_init(const std::function<void()>& exec_command,
                  const std::function<void()>& after_fork) {
    sigset_t all;
    sigfillset(&all);
    sigset_t old;
    ::sigprocmask(SIG_SETMASK, &all, &old);

    pid_t child = ::fork();
    if (child < 0)
        ::_exit(126);
    if (child == 0) {
        ::sigprocmask(SIG_SETMASK, &old, nullptr);
        exec_command();
        ::_exit(127);
    }
    after_fork();

    for (;;) {
        siginfo_t info{};
        int sig = ::sigwaitinfo(&all, &info);
        if (sig < 0)
            continue;
        if (sig != SIGCHLD) {
            ::kill(child, sig);
            continue;
        }
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == child)
                ::_exit(exit_code(status));
        }
    }
}

} // namespace lxcd::runtime
