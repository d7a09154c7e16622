#include "readiness.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include <systemd/sd-bus.h>

namespace lxcd::autostart {

namespace {

using namespace std::chrono_literals;

// How often a guest is asked, and how long one answer may take: the question is
// synchronous so that nothing outlives a check, and so must stay short.
constexpr auto kPollInterval = 200ms;
constexpr uint64_t kCallTimeoutUsec = 200'000;

struct BusUnref {
    void operator()(sd_bus* bus) const { sd_bus_flush_close_unref(bus); }
};
using BusPtr = std::unique_ptr<sd_bus, BusUnref>;

std::string proc_path(pid_t pid, const char* what) {
    return "/proc/" + std::to_string(pid) + "/" + what;
}

bool runs_systemd(pid_t pid) {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink(proc_path(pid, "exe"), ec);
    return !ec && exe.filename() == "systemd";
}

// The guest systemd's SystemState, or "" when it does not answer (yet).
std::string system_state(pid_t pid) {
    sd_bus* raw = nullptr;
    if (sd_bus_new(&raw) < 0)
        return "";
    BusPtr bus(raw);
    std::string address = "unix:path=" + proc_path(pid, "root/run/systemd/private");
    if (sd_bus_set_address(bus.get(), address.c_str()) < 0 ||
        sd_bus_set_method_call_timeout(bus.get(), kCallTimeoutUsec) < 0 ||
        sd_bus_start(bus.get()) < 0)
        return "";
    char* state = nullptr;
    if (sd_bus_get_property_string(bus.get(), "org.freedesktop.systemd1",
                                   "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                   "SystemState", nullptr, &state) < 0)
        return "";
    std::string out = state;
    free(state);
    return out;
}

} // namespace

bool guest_ready(pid_t init_pid) {
    if (!runs_systemd(init_pid))
        return true;
    std::string state = system_state(init_pid);
    return state == "running" || state == "degraded";
}

ReadinessWait::ReadinessWait(EventLoop& loop, pid_t init_pid, std::chrono::seconds bound, Done done)
    : loop_(loop), pid_(init_pid), deadline_(std::chrono::steady_clock::now() + bound),
      done_(std::move(done)) {
    // From the loop, never from here: the owner may not be done setting up.
    timer_ = loop_.add_timer(0us, [this] { check(); });
}

void ReadinessWait::check() {
    auto now = std::chrono::steady_clock::now();
    bool ready = guest_ready(pid_);
    if (ready || now >= deadline_) {
        // done may drop this object: nothing of it is touched afterwards.
        std::exchange(done_, {})(ready);
        return;
    }
    auto next = std::min<std::chrono::steady_clock::duration>(kPollInterval, deadline_ - now);
    timer_ = loop_.add_timer(std::chrono::duration_cast<std::chrono::microseconds>(next),
                             [this] { check(); });
}

} // namespace lxcd::autostart
