#include "storage_job.hpp"

#include "process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string>
#include <unistd.h>

namespace lxcd {

namespace {

[[noreturn]] void child_main(const std::function<void()>& work, int report) {
    std::string text;
    try {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr); // lxcd blocks SIGCHLD; hooks must not inherit it
        if (::unshare(CLONE_NEWNS) < 0)
            throw_errno("unshare mount namespace");
        work();
        _exit(0);
    } catch (const Error& e) {
        text = std::to_string(static_cast<int>(e.code())) + "\n" + e.what();
    } catch (const std::exception& e) {
        text = std::to_string(static_cast<int>(Errc::Failed)) + "\n" + e.what();
    }
    for (size_t done = 0; done < text.size();) {
        ssize_t n = ::write(report, text.data() + done, text.size() - done);
        if (n <= 0)
            break;
        done += n;
    }
    _exit(1);
}

Error read_report(int fd, const siginfo_t& info) {
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        text.append(buf, n);
    size_t nl = text.find('\n');
    if (nl == std::string::npos)
        return Error(Errc::Failed,
                     "storage helper process " + runtime::describe_status(info.si_code == CLD_EXITED
                                                                              ? info.si_status << 8
                                                                              : info.si_status));
    return Error(static_cast<Errc>(std::stoi(text.substr(0, nl))), text.substr(nl + 1));
}

} // namespace

void StorageJobs::run(const std::function<void()>& work, Done done) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0)
        throw_errno("pipe");
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    pid_t pid = ::fork();
    if (pid < 0)
        throw_errno("fork");
    if (pid == 0)
        child_main(work, write_end.get());
    write_end.reset();
    Job& job = jobs_[pid];
    job.result = std::move(read_end);
    job.done = std::move(done);
    job.watch = loop_.add_child(pid, [this, pid](const siginfo_t& info) { finished(pid, info); });
}

void StorageJobs::finished(pid_t pid, const siginfo_t& info) {
    auto node = jobs_.extract(pid);
    Job& job = node.mapped();
    bool ok = info.si_code == CLD_EXITED && info.si_status == 0;
    std::optional<Error> err;
    if (!ok)
        err = read_report(job.result.get(), info);
    job.done(err); // the watch goes with the node, after its handler's last use
}

} // namespace lxcd
