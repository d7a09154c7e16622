// Running containers in systemd-machined's registry (`machinectl list`, `status`,
// `shell`, `login`, `poweroff`, `terminate`), when machined is there: each is
// registered with its init as leader (machined finds its scope from it), class
// "container", service "lxcd", and its root directory when that is a plain
// directory, and unregistered when it stops. Without machined, or when machined
// refuses a name it does not take as a machine name, only a log line changes.
#pragma once

#include "config.hpp"

#include <memory>
#include <string>
#include <sys/types.h>

#include <sdbus-c++/sdbus-c++.h>

namespace lxcd {

class MachineRegistry {
  public:
    // The connection must be driven by an event loop: calls are asynchronous.
    explicit MachineRegistry(sdbus::IConnection& bus);

    void add(const std::string& name, pid_t leader, const config::Config& conf);
    void remove(const std::string& name);

  private:
    std::unique_ptr<sdbus::IProxy> machined_;
};

} // namespace lxcd
