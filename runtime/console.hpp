// The container console (lxc.console.*): a pty whose slave becomes /dev/console
// and init's stdio; the supervisor keeps the master and copies what the
// container writes to lxc.console.logfile, the lxc.console.buffer.size ring and,
// in the foreground, to its stdout.
#pragma once

#include "config.hpp"
#include "console_journal.hpp"
#include "console_log.hpp"
#include "fd.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::runtime {

// A pty pair allocated on the host for the container; the slave is kept open
// so the master never sees a hang-up while no container process holds it.
struct Pty {
    UniqueFd master;
    UniqueFd slave;
    std::string device; // the slave's host path, bound into the container
};

// Allocates a pty owned by the container's root (what: for error messages).
Pty open_pty(const config::Config& cfg, const std::string& what);
// lxc.tty.max ptys for /dev/tty1..N.
std::vector<Pty> open_ttys(const config::Config& cfg);

class Console {
  public:
    // nullopt when lxc.console.path is "none" (init inherits the supervisor's stdio).
    // journal_name: send the output to the journal as that container's (see
    // console_journal.hpp), if not empty.
    static std::optional<Console> open(const config::Config& cfg, bool foreground,
                                       const std::string& journal_name = {});
    // Sends the journal an unfinished last line, e.g. when the container stopped.
    void flush_journal();

    // Host path for /dev/console: the allocated pty slave or lxc.console.path.
    const std::string& device() const { return device_; }
    // The pty master (-1 when lxc.console.path names a device).
    int master_fd() const { return master_.get(); }

    // Copies available output from the master to the log, stdout in the
    // foreground, and `tee` (attached consoles); false once the pty has no writer.
    bool pump_output(const std::function<void(std::string_view)>& tee = {});
    // Writes input from an attached console to the container.
    void write_input(std::string_view data);
    // Copies available input from `fd` to the master; false at end of input.
    bool pump_input(int fd);

    // The ring buffer's contents, also saved to lxc.console.buffer.logfile when set;
    // `clear` empties the ring afterwards. Throws when no ring is configured.
    std::string buffer_contents(bool clear);
    // Saves the ring to lxc.console.buffer.logfile (when both are set), e.g. at stop.
    void save_buffer();
    // Rotates lxc.console.logfile now; needs lxc.console.rotate = 1.
    void rotate_log();

  private:
    UniqueFd master_;
    UniqueFd slave_; // see Pty
    std::optional<ConsoleLogFile> log_;
    std::optional<ConsoleRing> ring_;
    std::optional<ConsoleJournal> journal_;
    std::string buffer_logfile_;
    bool rotate_ = false;
    std::string device_;
    bool foreground_ = false;
};

} // namespace lxcd::runtime
