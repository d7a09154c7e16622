#include "cgroup_fs.hpp"

#include "error.hpp"
#include "fd.hpp"

#include <cerrno>
#include <charconv>

#include <fcntl.h>
#include <unistd.h>

namespace lxcd::cgroup {

std::string read_file(const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw_errno("open " + path.string());
    return read_fd(fd.get(), path);
}

std::string read_fd(int fd, const std::filesystem::path& path) {
    if (::lseek(fd, 0, SEEK_SET) < 0)
        throw_errno("seek " + path.string());
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno("read " + path.string());
        if (n == 0)
            return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

int try_write_file(const std::filesystem::path& path, std::string_view value) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        return errno;
    ssize_t n;
    do
        n = ::write(fd.get(), value.data(), value.size());
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno;
    return static_cast<size_t>(n) == value.size() ? 0 : EIO;
}

void write_file(const std::filesystem::path& path, std::string_view value) {
    if (int err = try_write_file(path, value))
        throw_errno("write '" + std::string(value) + "' to " + path.string(), err);
}

std::vector<pid_t> read_pids(const std::filesystem::path& procs_file) {
    std::vector<pid_t> pids;
    for (const auto& line : split(read_file(procs_file), '\n')) {
        pid_t pid = 0;
        auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), pid);
        if (ec == std::errc() && end == line.data() + line.size() && pid > 0)
            pids.push_back(pid);
    }
    return pids;
}

std::string keyed_value(std::string_view text, std::string_view key) {
    for (const auto& line : split(text, '\n')) {
        std::string_view l(line);
        if (l.size() > key.size() && l.starts_with(key) && l[key.size()] == ' ')
            return std::string(trim(l.substr(key.size() + 1)));
    }
    return {};
}

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> out;
    while (!text.empty()) {
        size_t pos = text.find(sep);
        std::string_view piece = text.substr(0, pos);
        if (!piece.empty())
            out.emplace_back(piece);
        if (pos == std::string_view::npos)
            break;
        text.remove_prefix(pos + 1);
    }
    return out;
}

std::string_view trim(std::string_view s) {
    const char* ws = " \t\n\r";
    size_t b = s.find_first_not_of(ws);
    if (b == std::string_view::npos)
        return {};
    size_t e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::optional<std::string> read_file_if_exists(const std::filesystem::path& path) {
    // Opening directly, not checking first: a path walk in cgroupfs is what costs here.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT)
        return std::nullopt;
    if (!fd)
        throw_errno("open " + path.string());
    return read_fd(fd.get(), path);
}

std::optional<uint64_t> read_u64(const std::filesystem::path& file, std::string_view key) {
    std::optional<std::string> text = read_file_if_exists(file);
    if (!text)
        return std::nullopt;
    std::string value = key.empty() ? std::string(trim(*text)) : keyed_value(*text, key);
    uint64_t n = 0;
    auto [end, perr] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || perr != std::errc() || end != value.data() + value.size())
        return std::nullopt;
    return n;
}

} // namespace lxcd::cgroup
