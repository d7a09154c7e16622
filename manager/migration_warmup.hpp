// Starts, the moment a container start is asked for, the wait that systemd's move of
// the supervisor into its new scope would otherwise begin only later.
//
// A cgroup migration (a write to cgroup.procs) takes the kernel's
// cgroup_threadgroup_rwsem for writing; when no migration ran in the last RCU grace
// period that first waits for a full grace period (its rcu_sync is idle): 8-16 ms on the
// bench machine, the largest part of a cold start (bench/RESULTS.md). A no-op move of
// lxcd into its own cgroup, from a worker thread, lets that grace period run while lxcd
// spawns the supervisor and systemd sets up the unit; systemd's write then finds the lock
// warm. Best effort: when the move is refused the warm-up turns itself off.
#pragma once

#include "fd.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace lxcd {

class MigrationWarmup {
  public:
    // Opens cgroup.procs of lxcd's own cgroup (any mounted hierarchy: the lock is
    // global); without one, kick() does nothing.
    MigrationWarmup();
    ~MigrationWarmup(); // stops and joins the worker
    MigrationWarmup(const MigrationWarmup&) = delete;
    MigrationWarmup& operator=(const MigrationWarmup&) = delete;

    // Asks for one move; kicks while one is under way are folded into it.
    void kick() noexcept;

  private:
    void run();

    UniqueFd procs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool pending_ = false;
    bool quit_ = false;
    std::thread worker_;
};

} // namespace lxcd
