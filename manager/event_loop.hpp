// The daemon's single-threaded event loop: sd-event, with the sdbus-c++
// connection driven from it (sdbus-c++ 1.2 has no sd-event integration of its own).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <signal.h>

#include <systemd/sd-event.h>

namespace sdbus {
class IConnection;
}

namespace lxcd {

// Owns one sd_event_source; unref'ed (and so disabled) on destruction.
class EventSource {
  public:
    EventSource() = default;
    explicit EventSource(sd_event_source* s) : source_(s) {}
    EventSource(EventSource&& o) noexcept : source_(o.source_) { o.source_ = nullptr; }
    EventSource& operator=(EventSource&& o) noexcept;
    EventSource(const EventSource&) = delete;
    EventSource& operator=(const EventSource&) = delete;
    ~EventSource();
    explicit operator bool() const { return source_ != nullptr; }
    sd_event_source* get() const { return source_; }

  private:
    sd_event_source* source_ = nullptr;
};

class EventLoop {
  public:
    using IoHandler = std::function<void(uint32_t revents)>;
    using TimerHandler = std::function<void()>;
    using ChildHandler = std::function<void(const siginfo_t&)>;

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Watches fd for EPOLL* events until the returned source is dropped.
    EventSource add_io(int fd, uint32_t events, IoHandler handler);
    // Calls handler once after `delay` (CLOCK_MONOTONIC).
    EventSource add_timer(std::chrono::microseconds delay, TimerHandler handler);
    // Calls handler when child `pid` exits (the caller must have it blocked in SIGCHLD).
    EventSource add_child(pid_t pid, ChildHandler handler);
    // Reaps child `pid` when it exits, whatever becomes of whoever spawned it.
    void reap_child(pid_t pid);
    // Exits run() on SIGTERM/SIGINT, after calling on_exit.
    void exit_on_signals(std::function<void()> on_exit);
    // Drives the connection's message processing from this loop.
    void attach_bus(sdbus::IConnection& bus);

    int run();
    void exit(int code = 0);
    sd_event* get() const { return event_; }

  private:
    sd_event* event_ = nullptr;
    std::function<void()> on_exit_;
    EventSource sigterm_, sigint_;
    sdbus::IConnection* bus_ = nullptr;
    EventSource bus_io_, bus_timer_, bus_prepare_;
    std::map<pid_t, EventSource> reapers_;
};

} // namespace lxcd
