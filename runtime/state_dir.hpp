// The supervisor's state directory (supervisor_protocol.hpp): state, init.pid,
// supervisor.pid and the control socket, each file replaced atomically. The
// object removes the directory and what it wrote when destroyed.
#pragma once

#include "state.hpp"

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace lxcd::runtime {

// File contents: the state name or PID and a newline.
std::string state_file_text(State s);
std::string pid_file_text(pid_t pid);

// Writes dir/name through a temporary file and rename(2).
void write_file_atomic(const std::filesystem::path& dir, const std::string& name,
                       const std::string& text);

// True if the supervisor that dir's supervisor.pid names is alive.
bool supervisor_alive(const std::filesystem::path& dir);

class StateDir {
  public:
    // Creates `dir` (0700). Throws Error(AlreadyRunning) when a supervisor for it is alive.
    explicit StateDir(std::filesystem::path dir);
    ~StateDir();
    StateDir(const StateDir&) = delete;
    StateDir& operator=(const StateDir&) = delete;

    // Removes the directory now rather than at destruction.
    void remove();
    void set_state(State s) const;
    void set_init_pid(pid_t pid) const; // 0 removes init.pid
    const std::filesystem::path& path() const { return dir_; }

  private:
    std::filesystem::path dir_;
    bool created_ = false;
};

} // namespace lxcd::runtime
