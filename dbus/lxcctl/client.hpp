// lxcctl's connection to lxcd: typed proxies over the generated ones.
#pragma once

#include "autostart-proxy.h"
#include "container-proxy.h"
#include "manager-proxy.h"

#include <functional>
#include <memory>
#include <sdbus-c++/sdbus-c++.h>
#include <string>

namespace lxcctl {

class ManagerProxy final : public sdbus::ProxyInterfaces<org::lxcd1::Manager_proxy> {
  public:
    using StateHandler = std::function<void(const std::string& name, const std::string& state)>;
    // With signals, the bus delivers the manager's signals (on_state); subscribing costs a
    // round trip to the bus daemon per signal, so commands that only call do without.
    ManagerProxy(sdbus::IConnection& bus, bool signals);
    ~ManagerProxy();
    void on_state(StateHandler h) { state_handler_ = std::move(h); }

  private:
    void onContainerNew(const std::string&, const sdbus::ObjectPath&) override {}
    void onContainerRemoved(const std::string&, const sdbus::ObjectPath&) override {}
    void onContainerStateChanged(const std::string& name, const std::string& state) override {
        if (state_handler_)
            state_handler_(name, state);
    }
    StateHandler state_handler_;
};

class ContainerProxy final : public sdbus::ProxyInterfaces<org::lxcd1::Container_proxy> {
  public:
    ContainerProxy(sdbus::IConnection& bus, const std::string& path);
    ~ContainerProxy();
};

class AutostartProxy final : public sdbus::ProxyInterfaces<org::lxcd1::Autostart_proxy> {
  public:
    explicit AutostartProxy(sdbus::IConnection& bus);
    ~AutostartProxy();
};

struct Client {
    enum class Signals { No, Yes };

    std::unique_ptr<sdbus::IConnection> bus;
    std::unique_ptr<ManagerProxy> manager;

    // Connects to the system bus, or to the user bus after use_user_lxcd(). Signals::Yes
    // for commands that follow state changes (manager->on_state).
    explicit Client(Signals signals = Signals::No);
    std::unique_ptr<ContainerProxy> container(const std::string& name);
};

// lxcctl --user: talk to the caller's own lxcd --user on its user bus.
void use_user_lxcd();
// Where the supervisors of the lxcd we talk to keep their state (/run/lxcd, or
// $XDG_RUNTIME_DIR/lxcd with --user).
std::string supervisor_run_dir();

// "org.lxcd1.Error.NoSuchContainer: no container named 'x'" → "no container named 'x'".
std::string describe(const sdbus::Error& e);

} // namespace lxcctl
