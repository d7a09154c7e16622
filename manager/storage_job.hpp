// Storage work (copying a rootfs, running lxc.hook.clone with the new rootfs mounted)
// runs in a child process with its own mount namespace, so that lxcd's event loop
// never waits for it and no mount it makes is seen by anyone else.
#pragma once

#include "error.hpp"
#include "event_loop.hpp"
#include "fd.hpp"

#include <functional>
#include <map>
#include <optional>
#include <sys/types.h>

namespace lxcd {

class StorageJobs {
  public:
    using Done = std::function<void(const std::optional<Error>&)>;

    explicit StorageJobs(EventLoop& loop) : loop_(loop) {}

    // Forks; the child enters a private mount namespace, runs work and exits.
    // done gets the Error work threw (code and message), once the child is gone.
    void run(const std::function<void()>& work, Done done);

  private:
    struct Job {
        UniqueFd result; // the child's error report: "<Errc number>\n<message>"
        EventSource watch;
        Done done;
    };
    void finished(pid_t pid, const siginfo_t& info);

    EventLoop& loop_;
    std::map<pid_t, Job> jobs_;
};

} // namespace lxcd
