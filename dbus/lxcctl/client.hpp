// lxcctl's connection to lxcd: calls on its objects by name, properties, state signals.
#pragma once

#include "bus.hpp"

#include <functional>
#include <optional>
#include <string>

namespace lxcctl {

inline constexpr const char* kService = "org.lxcd1";
inline constexpr const char* kManagerPath = "/org/lxcd1";
inline constexpr const char* kManagerInterface = "org.lxcd1.Manager";
inline constexpr const char* kContainerInterface = "org.lxcd1.Container";
inline constexpr const char* kAutostartInterface = "org.lxcd1.Autostart";

// Copies, snapshots and restores take as long as their files.
inline constexpr uint64_t kStorageCallTimeoutUsec = 30ull * 60 * 1'000'000;

class Client {
  public:
    using StateHandler = std::function<void(const std::string& name, const std::string& state)>;

    // Connects to the system bus, or to the user bus after use_user_lxcd().
    Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // A method call on lxcd's object at path; timeout 0 is lxcctl's default (10 minutes).
    template <typename... A>
    bus::Message call(const std::string& path, const char* interface, const char* method,
                      uint64_t timeout_usec, const A&... args) {
        bus::Message m = bus_.new_call(kService, path, interface, method);
        ((void)(m << args), ...);
        return bus_.call(m, timeout_usec);
    }
    template <typename... A> bus::Message manager(const char* method, const A&... args) {
        return call(kManagerPath, kManagerInterface, method, 0, args...);
    }
    template <typename... A> bus::Message autostart(const char* method, const A&... args) {
        return call(kManagerPath, kAutostartInterface, method, 0, args...);
    }

    // The object path of the container (NoSuchContainer when there is none).
    std::string container_path(const std::string& name);
    // A property of the object at path (a container's, by default).
    template <typename T>
    T property(const std::string& path, const char* property,
               const char* interface = kContainerInterface) {
        return bus::get<T>(property_value(path, property, interface), property);
    }
    template <typename T> T container_property(const std::string& name, const char* property) {
        return this->property<T>(container_path(name), property);
    }
    template <typename T> T autostart_property(const char* property) {
        return this->property<T>(kManagerPath, property, kAutostartInterface);
    }
    // All properties of a container in one round trip.
    bus::Properties container_properties(const std::string& name);

    // Subscribes to lxcd's ContainerStateChanged; call before what should be followed.
    void on_state(StateHandler handler);
    // Runs the bus until `done` says so or the timeout passes; false on timeout.
    bool wait_until(const std::function<bool()>& done, std::optional<unsigned> timeout_sec);

  private:
    bus::Value property_value(const std::string& path, const char* property, const char* interface);

    bus::Connection bus_;
    StateHandler state_handler_;
    std::function<void(bus::Message&)> on_signal_;
    bus::SlotPtr state_match_;
};

// lxcctl --user: talk to the caller's own lxcd --user on its user bus.
void use_user_lxcd();
// Where the supervisors of the lxcd we talk to keep their state (/run/lxcd, or
// $XDG_RUNTIME_DIR/lxcd with --user).
std::string supervisor_run_dir();

} // namespace lxcctl
