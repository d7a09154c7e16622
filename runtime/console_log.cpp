#include "console_log.hpp"

#include "error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace lxcd::runtime {

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t w = ::write(fd, bytes.data(), bytes.size());
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        bytes.remove_prefix(static_cast<size_t>(w));
    }
    return true;
}

void ConsoleRing::write(std::string_view bytes) {
    const size_t cap = data_.size();
    if (cap == 0)
        return;
    if (bytes.size() >= cap) { // only the tail survives
        bytes = bytes.substr(bytes.size() - cap);
        std::copy(bytes.begin(), bytes.end(), data_.begin());
        start_ = 0;
        size_ = cap;
        return;
    }
    size_t end = (start_ + size_) % cap;
    size_t first = std::min(bytes.size(), cap - end);
    std::copy_n(bytes.begin(), first, data_.begin() + static_cast<ptrdiff_t>(end));
    std::copy(bytes.begin() + static_cast<ptrdiff_t>(first), bytes.end(), data_.begin());
    size_ += bytes.size();
    if (size_ > cap) { // overwrote the oldest bytes
        start_ = (start_ + size_ - cap) % cap;
        size_ = cap;
    }
}

std::string ConsoleRing::contents() const {
    std::string out;
    out.reserve(size_);
    const size_t cap = data_.size();
    size_t first = std::min(size_, cap - start_);
    out.append(data_.data() + start_, first);
    out.append(data_.data(), size_ - first);
    return out;
}

ConsoleLogFile::ConsoleLogFile(std::string path, uint64_t limit, bool rotate, std::string_view key)
    : path_(std::move(path)), limit_(limit), rotate_(rotate) {
    try {
        open();
    } catch (const Error& e) {
        throw Error(e.code(), std::string(key) + ": " + e.what(), e.sys_errno());
    }
}

void ConsoleLogFile::open() {
    fd_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600));
    if (!fd_)
        throw_errno("open console log '" + path_ + "'");
    struct stat st {};
    size_ = ::fstat(fd_.get(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

void ConsoleLogFile::rotate() {
    if (::rename(path_.c_str(), (path_ + ".1").c_str()) < 0)
        throw_errno("rotate console log '" + path_ + "'");
    open();
}

// LXC's behaviour when lxc.console.size is reached: rotate if asked to, else start over.
void ConsoleLogFile::make_room(size_t incoming) {
    if (!limit_ || size_ + incoming <= limit_)
        return;
    if (rotate_) {
        try {
            rotate();
            return;
        } catch (const Error&) {
            // fall back to truncating: the limit holds either way
        }
    }
    if (::ftruncate(fd_.get(), 0) == 0)
        size_ = 0;
}

void ConsoleLogFile::write(std::string_view bytes) {
    if (limit_ && bytes.size() > limit_)
        bytes = bytes.substr(bytes.size() - limit_);
    make_room(bytes.size());
    if (fd_ && write_all(fd_.get(), bytes))
        size_ += bytes.size();
}

} // namespace lxcd::runtime
