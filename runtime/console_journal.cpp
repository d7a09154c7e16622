#include "console_journal.hpp"

#include <systemd/sd-journal.h>

namespace lxcd::runtime {

namespace {

// A guest that never ends its lines must not make us hold its output forever.
constexpr size_t kMaxLine = 2048;

} // namespace

void ConsoleJournal::write(std::string_view bytes) {
    partial_.append(bytes);
    size_t start = 0;
    for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
        send(std::string_view(partial_).substr(start, nl - start));
    partial_.erase(0, start);
    while (partial_.size() >= kMaxLine) {
        send(std::string_view(partial_).substr(0, kMaxLine));
        partial_.erase(0, kMaxLine);
    }
}

void ConsoleJournal::flush() {
    if (!partial_.empty())
        send(partial_);
    partial_.clear();
}

void ConsoleJournal::send(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.remove_suffix(1); // the pty's CRLF
    if (line.empty())
        return;
    // Best effort: without journald the console still has its other sinks.
    sd_journal_send("MESSAGE=%.*s", static_cast<int>(line.size()), line.data(), "PRIORITY=6",
                    "CONTAINER_NAME=%s", container_.c_str(), "SYSLOG_IDENTIFIER=%s",
                    container_.c_str(), nullptr);
}

} // namespace lxcd::runtime
