// Where the container's console output is kept besides attached terminals:
// lxc.console.buffer.size (an in-memory ring of the latest output) and
// lxc.console.logfile limited by lxc.console.size, truncated or, with
// lxc.console.rotate, rotated to LOGFILE.1 when full.
#pragma once

#include "fd.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::runtime {

// Writes all of `bytes` (retrying short writes and EINTR); false on any other failure.
bool write_all(int fd, std::string_view bytes);

// Keeps the last `capacity` bytes written (the parser rounds capacity to a power of two).
class ConsoleRing {
  public:
    explicit ConsoleRing(size_t capacity) : data_(capacity) {}

    void write(std::string_view bytes);
    // Oldest byte first.
    std::string contents() const;
    void clear() { start_ = size_ = 0; }
    size_t size() const { return size_; }

  private:
    std::vector<char> data_;
    size_t start_ = 0; // index of the oldest byte
    size_t size_ = 0;
};

class ConsoleLogFile {
  public:
    // limit 0: unlimited. Opens (creates) the file for appending; throws naming `key`.
    ConsoleLogFile(std::string path, uint64_t limit, bool rotate, std::string_view key);

    // Never throws: a full disk must not stop the container.
    void write(std::string_view bytes);
    // Renames the file to PATH.1 (replacing it) and starts a new one.
    void rotate();
    const std::string& path() const { return path_; }

  private:
    void open();
    void make_room(size_t incoming);

    std::string path_;
    uint64_t limit_;
    bool rotate_;
    UniqueFd fd_;
    uint64_t size_ = 0;
};

} // namespace lxcd::runtime
