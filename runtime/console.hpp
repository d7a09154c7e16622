// The container console (lxc.console.*): a pty whose slave becomes /dev/console
// and init's stdio; the supervisor keeps the master and copies what the
// container writes to lxc.console.logfile and, in the foreground, to its stdout.
#pragma once

#include "config.hpp"
#include "fd.hpp"

#include <optional>
#include <string>

namespace lxcd::runtime {

class Console {
  public:
    // nullopt when lxc.console.path is "none" (init inherits the supervisor's stdio).
    static std::optional<Console> open(const config::Config& cfg, bool foreground);

    // Host path for /dev/console: the allocated pty slave or lxc.console.path.
    const std::string& device() const { return device_; }
    // The pty master (-1 when lxc.console.path names a device).
    int master_fd() const { return master_.get(); }

    // Copies available output from the master; false once the pty has no writer.
    bool pump_output();
    // Copies available input from `fd` to the master; false at end of input.
    bool pump_input(int fd);

  private:
    UniqueFd master_;
    // Held open so the master never reports a hang-up while no container process has it.
    UniqueFd slave_;
    UniqueFd log_;
    std::string device_;
    bool foreground_ = false;
};

} // namespace lxcd::runtime
