// Small helpers for cgroupfs files: whole-file reads and single-write writes
// (a cgroup control file takes one value per write(2)).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace lxcd::cgroup {

// Reads a whole (small) file; throws Error naming the path.
std::string read_file(const std::filesystem::path& path);
// Reads an open cgroup file from its start again (for files watched with poll).
std::string read_fd(int fd, const std::filesystem::path& path);
// Writes value with one write(2); throws Error naming the path and errno.
void write_file(const std::filesystem::path& path, std::string_view value);
// Like write_file, but returns errno (0 on success) instead of throwing.
int try_write_file(const std::filesystem::path& path, std::string_view value);

// Reads a whole (small) file; nullopt when it does not exist. Throws Error naming it
// on other errors.
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

// A number from a single-value file, or the value of `key` in a flat keyed file;
// nullopt when the file does not exist or holds no number (e.g. "max").
std::optional<uint64_t> read_u64(const std::filesystem::path& file, std::string_view key = {});

// The PIDs listed in a cgroup.procs file.
std::vector<pid_t> read_pids(const std::filesystem::path& procs_file);

// Value of `key` in a flat keyed file such as cgroup.events ("populated 1").
std::string keyed_value(std::string_view text, std::string_view key);

// Splits text on `sep`, dropping empty pieces.
std::vector<std::string> split(std::string_view text, char sep);
// Removes leading and trailing whitespace.
std::string_view trim(std::string_view s);

} // namespace lxcd::cgroup
