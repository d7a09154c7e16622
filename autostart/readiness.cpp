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

// How often a guest is asked, and how long one answer may take.
constexpr auto kPollInterval = 200ms;
constexpr uint64_t kCallTimeoutUsec = 200'000;

std::string proc_path(pid_t pid, const char* what) {
    return "/proc/" + std::to_string(pid) + "/" + what;
}

bool runs_systemd(pid_t pid) {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink(proc_path(pid, "exe"), ec);
    return !ec && exe.filename() == "systemd";
}

} // namespace

ReadinessWait::ReadinessWait(EventLoop& loop, pid_t init_pid, std::chrono::seconds bound, Done done)
    : loop_(loop), pid_(init_pid), deadline_(std::chrono::steady_clock::now() + bound),
      done_(std::move(done)) {
    // From the loop, never from here: the owner may not be done setting up.
    timer_ = loop_.add_timer(0us, [this] { check(); });
}

void ReadinessWait::check() {
    if (!runs_systemd(pid_))
        return finish(true);
    if (std::chrono::steady_clock::now() >= deadline_)
        return finish(false);
    if (!ask())
        again(); // its private socket is not there yet
}

bool ReadinessWait::ask() {
    sd_bus* raw = nullptr;
    if (sd_bus_new(&raw) < 0)
        return false;
    bus_.reset(raw);
    std::string address = "unix:path=" + proc_path(pid_, "root/run/systemd/private");
    sd_bus_slot* slot = nullptr;
    if (sd_bus_set_address(raw, address.c_str()) < 0 ||
        sd_bus_set_method_call_timeout(raw, kCallTimeoutUsec) < 0 || sd_bus_start(raw) < 0 ||
        sd_bus_attach_event(raw, loop_.get(), SD_EVENT_PRIORITY_NORMAL) < 0 ||
        sd_bus_call_method_async(raw, &slot, "org.freedesktop.systemd1",
                                 "/org/freedesktop/systemd1", "org.freedesktop.DBus.Properties",
                                 "Get", &ReadinessWait::on_reply, this, "ss",
                                 "org.freedesktop.systemd1.Manager", "SystemState") < 0) {
        bus_.reset();
        return false;
    }
    call_.reset(slot);
    return true;
}

int ReadinessWait::on_reply(sd_bus_message* reply, void* userdata, sd_bus_error*) {
    auto* self = static_cast<ReadinessWait*>(userdata);
    const char* state = nullptr;
    bool answered = !sd_bus_message_is_method_error(reply, nullptr) &&
                    sd_bus_message_read(reply, "v", "s", &state) >= 0;
    if (answered && (std::string_view(state) == "running" || std::string_view(state) == "degraded"))
        self->finish(true);
    else
        self->again();
    return 0;
}

void ReadinessWait::again() {
    auto now = std::chrono::steady_clock::now();
    auto next = std::min<std::chrono::steady_clock::duration>(kPollInterval, deadline_ - now);
    timer_ = loop_.add_timer(
        std::chrono::duration_cast<std::chrono::microseconds>(std::max(next, {})), [this] {
            call_.reset();
            bus_.reset();
            check();
        });
}

void ReadinessWait::finish(bool ready) {
    // done may drop this object (and with it the bus we may be called from): nothing
    // of it is touched afterwards.
    std::exchange(done_, {})(ready);
}

} // namespace lxcd::autostart
