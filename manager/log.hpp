// Logging to the journal (with CONTAINER_NAME= where a container is concerned),
// or to stderr when not run under systemd.
#pragma once

#include <string>

namespace lxcd::log {

enum class Level { Error = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7 };

void message(Level level, const std::string& text);
void container(Level level, const std::string& name, const std::string& text);

inline void info(const std::string& text) {
    message(Level::Info, text);
}
inline void warning(const std::string& text) {
    message(Level::Warning, text);
}
inline void error(const std::string& text) {
    message(Level::Error, text);
}

} // namespace lxcd::log
