#include "log.hpp"

#include <cstdio>
#include <cstdlib>
#include <systemd/sd-journal.h>

namespace lxcd::log {

namespace {
bool to_journal() {
    static const bool journal = std::getenv("JOURNAL_STREAM") || std::getenv("INVOCATION_ID");
    return journal;
}
} // namespace

void message(Level level, const std::string& text) {
    if (to_journal())
        sd_journal_send("MESSAGE=%s", text.c_str(), "PRIORITY=%d", static_cast<int>(level),
                        "SYSLOG_IDENTIFIER=lxcd", nullptr);
    else
        std::fprintf(stderr, "lxcd: %s\n", text.c_str());
}

void container(Level level, const std::string& name, const std::string& text) {
    if (to_journal())
        sd_journal_send("MESSAGE=%s: %s", name.c_str(), text.c_str(), "PRIORITY=%d",
                        static_cast<int>(level), "CONTAINER_NAME=%s", name.c_str(),
                        "SYSLOG_IDENTIFIER=lxcd", nullptr);
    else
        std::fprintf(stderr, "lxcd: %s: %s\n", name.c_str(), text.c_str());
}

} // namespace lxcd::log
