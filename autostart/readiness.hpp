// When a freshly started container is ready (lxcd.conf DelayUntilReady=yes): its init
// reached RUNNING (the start call's answer) and
//  - for a systemd guest, its systemd says SystemState "running" or "degraded", the
//    states `systemctl is-system-running --wait` waits for, asked over the guest's
//    private socket /proc/PID/root/run/systemd/private;
//  - for any other guest, at once: lxcd configures a container's network before its
//    init runs, so RUNNING already means its network is up.
#pragma once

#include "event_loop.hpp"
#include "sd_bus_handles.hpp"

#include <chrono>
#include <functional>
#include <sys/types.h>

namespace lxcd::autostart {

class ReadinessWait {
  public:
    using Done = std::function<void(bool ready)>;

    // Calls done once from the loop: true when ready, false when `bound` passed first.
    ReadinessWait(EventLoop& loop, pid_t init_pid, std::chrono::seconds bound, Done done);
    ReadinessWait(const ReadinessWait&) = delete;
    ReadinessWait& operator=(const ReadinessWait&) = delete;

  private:
    void check();
    // Asks the guest's systemd for its SystemState without blocking the loop.
    bool ask();
    static int on_reply(sd_bus_message* reply, void* self, sd_bus_error* error);
    void again();
    void finish(bool ready);

    EventLoop& loop_;
    pid_t pid_;
    std::chrono::steady_clock::time_point deadline_;
    Done done_;
    EventSource timer_;
    SdBusPtr bus_;      // the guest's systemd, while asking
    SdBusSlotPtr call_; // after bus_: dropped first
};

} // namespace lxcd::autostart
