#include "client.hpp"

#include "user_paths.hpp"

#include <chrono>
#include <cstdint>

namespace lxcctl {

namespace {
bool user_lxcd = false;
// Stops wait for the container's halt timeout; the bus default (25 s) is too short.
constexpr uint64_t kCallTimeoutUsec = 10ull * 60 * 1'000'000;
} // namespace

void use_user_lxcd() {
    user_lxcd = true;
}

std::string supervisor_run_dir() {
    return user_lxcd ? lxcd::runtime::current_paths().run_dir.string()
                     : lxcd::runtime::system_paths().run_dir.string();
}

Client::Client() : bus_(user_lxcd) {
    bus_.set_call_timeout(kCallTimeoutUsec);
}

std::string Client::container_path(const std::string& name) {
    return manager("GetContainer", name).read<std::string>();
}

bus::Value Client::property_value(const std::string& path, const char* property,
                                  const char* interface) {
    return call(path, "org.freedesktop.DBus.Properties", "Get", 0, interface, property)
        .read<bus::Value>();
}

bus::Properties Client::container_properties(const std::string& name) {
    return call(container_path(name), "org.freedesktop.DBus.Properties", "GetAll", 0,
                kContainerInterface)
        .read<bus::Properties>();
}

void Client::on_state(StateHandler handler) {
    state_handler_ = std::move(handler);
    on_signal_ = [this](bus::Message& m) {
        std::string name = m.read<std::string>();
        std::string state = m.read<std::string>();
        state_handler_(name, state);
    };
    state_match_ = bus_.on_signal(kService, kManagerPath, kManagerInterface,
                                  "ContainerStateChanged", on_signal_);
}

bool Client::wait_until(const std::function<bool()>& done, std::optional<unsigned> timeout_sec) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(timeout_sec.value_or(0));
    while (!done()) {
        uint64_t usec = UINT64_MAX;
        if (timeout_sec) {
            auto left =
                std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
            if (left.count() <= 0)
                return false;
            usec = static_cast<uint64_t>(left.count());
        }
        bus_.process_or_wait(usec);
    }
    return true;
}

} // namespace lxcctl
