#include "event_loop.hpp"

#include "error.hpp"

#include <sdbus-c++/IConnection.h>

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>

namespace lxcd {

namespace {

void check(int r, const char* what) {
    if (r < 0)
        throw_errno(what, -r);
}

// Each source owns a heap copy of its handler; sd-event frees it with the source.
template <typename F> void* own_handler(sd_event_source* s, F handler) {
    auto owned = std::make_unique<F>(std::move(handler));
    F* raw = owned.get();
    sd_event_source_set_userdata(s, raw);
    sd_event_source_set_destroy_callback(s, [](void* p) { delete static_cast<F*>(p); });
    owned.release();
    return raw;
}

} // namespace

EventSource& EventSource::operator=(EventSource&& o) noexcept {
    if (this != &o) {
        if (source_)
            sd_event_source_disable_unref(source_);
        source_ = o.source_;
        o.source_ = nullptr;
    }
    return *this;
}

EventSource::~EventSource() {
    if (source_)
        sd_event_source_disable_unref(source_);
}

EventLoop::EventLoop() {
    check(sd_event_new(&event_), "sd_event_new");
}

EventLoop::~EventLoop() {
    bus_prepare_ = {};
    bus_io_ = {};
    bus_timer_ = {};
    sigterm_ = {};
    sigint_ = {};
    sd_event_unref(event_);
}

EventSource EventLoop::add_io(int fd, uint32_t events, IoHandler handler) {
    sd_event_source* s = nullptr;
    check(sd_event_add_io(
              event_, &s, fd, events,
              [](sd_event_source*, int, uint32_t revents, void* ud) {
                  (*static_cast<IoHandler*>(ud))(revents);
                  return 0;
              },
              nullptr),
          "sd_event_add_io");
    own_handler(s, std::move(handler));
    return EventSource(s);
}

EventSource EventLoop::add_timer(std::chrono::microseconds delay, TimerHandler handler) {
    sd_event_source* s = nullptr;
    check(sd_event_add_time_relative(
              event_, &s, CLOCK_MONOTONIC, static_cast<uint64_t>(delay.count()), 0,
              [](sd_event_source*, uint64_t, void* ud) {
                  (*static_cast<TimerHandler*>(ud))();
                  return 0;
              },
              nullptr),
          "sd_event_add_time_relative");
    own_handler(s, std::move(handler));
    return EventSource(s);
}

EventSource EventLoop::add_child(pid_t pid, ChildHandler handler) {
    sd_event_source* s = nullptr;
    check(sd_event_add_child(
              event_, &s, pid, WEXITED,
              [](sd_event_source*, const siginfo_t* si, void* ud) {
                  (*static_cast<ChildHandler*>(ud))(*si);
                  return 0;
              },
              nullptr),
          "sd_event_add_child");
    own_handler(s, std::move(handler));
    return EventSource(s);
}

void EventLoop::reap_child(pid_t pid) {
    // sd-event reaps in the source's dispatch; dropping it from its own handler is safe.
    reapers_[pid] = add_child(pid, [this, pid](const siginfo_t&) { reapers_.erase(pid); });
}

void EventLoop::exit_on_signals(std::function<void()> on_exit) {
    on_exit_ = std::move(on_exit);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    auto handler = [](sd_event_source* s, const signalfd_siginfo*, void* ud) {
        auto* self = static_cast<EventLoop*>(ud);
        if (self->on_exit_)
            self->on_exit_();
        return sd_event_exit(sd_event_source_get_event(s), 0);
    };
    sd_event_source* s = nullptr;
    check(sd_event_add_signal(event_, &s, SIGTERM, handler, this), "sd_event_add_signal");
    sigterm_ = EventSource(s);
    check(sd_event_add_signal(event_, &s, SIGINT, handler, this), "sd_event_add_signal");
    sigint_ = EventSource(s);
}

void EventLoop::attach_bus(sdbus::IConnection& bus) {
    bus_ = &bus;
    auto data = bus.getEventLoopPollData();
    sd_event_source* s = nullptr;
    check(sd_event_add_io(
              event_, &s, data.fd, static_cast<uint32_t>(data.events),
              [](sd_event_source*, int, uint32_t, void* ud) {
                  auto* self = static_cast<EventLoop*>(ud);
                  while (self->bus_->processPendingRequest()) {
                  }
                  return 0;
              },
              this),
          "sd_event_add_io(bus)");
    bus_io_ = EventSource(s);
    check(sd_event_add_time(
              event_, &s, CLOCK_MONOTONIC, UINT64_MAX, 0,
              [](sd_event_source*, uint64_t, void* ud) {
                  auto* self = static_cast<EventLoop*>(ud);
                  while (self->bus_->processPendingRequest()) {
                  }
                  return 0;
              },
              this),
          "sd_event_add_time(bus)");
    bus_timer_ = EventSource(s);
    // Before every poll, ask sdbus what it waits for: it may have queued
    // messages (then poll must not block) or a method-call timeout pending.
    check(sd_event_source_set_prepare(
              bus_io_.get(),
              [](sd_event_source*, void* ud) {
                  auto* self = static_cast<EventLoop*>(ud);
                  auto d = self->bus_->getEventLoopPollData();
                  sd_event_source_set_io_events(self->bus_io_.get(),
                                                static_cast<uint32_t>(d.events));
                  sd_event_source_set_time(self->bus_timer_.get(), d.timeout_usec);
                  sd_event_source_set_enabled(self->bus_timer_.get(), SD_EVENT_ONESHOT);
                  return 0;
              }),
          "sd_event_source_set_prepare");
}

int EventLoop::run() {
    int r = sd_event_loop(event_);
    if (r < 0)
        throw_errno("sd_event_loop", -r);
    return r;
}

void EventLoop::exit(int code) {
    sd_event_exit(event_, code);
}

} // namespace lxcd
