// The container's console output as journal entries, one per line, sent from the
// supervisor inside the container's scope: `journalctl -u lxc-NAME.scope` and
// `journalctl CONTAINER_NAME=NAME` show the guest's boot messages.
#pragma once

#include <string>
#include <string_view>

namespace lxcd::runtime {

class ConsoleJournal {
  public:
    explicit ConsoleJournal(std::string container) : container_(std::move(container)) {}
    ConsoleJournal(const ConsoleJournal&) = delete;
    ConsoleJournal& operator=(const ConsoleJournal&) = delete;
    ConsoleJournal(ConsoleJournal&&) = default;
    ConsoleJournal& operator=(ConsoleJournal&&) = default;
    ~ConsoleJournal() { flush(); }

    // Sends every complete line; keeps the rest for the next call (or flush()).
    void write(std::string_view bytes);
    // Sends what is left of an unfinished line.
    void flush();

  private:
    void send(std::string_view line);

    std::string container_;
    std::string partial_;
};

} // namespace lxcd::runtime
