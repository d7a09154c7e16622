#include "config_items.hpp"

#include "config_keys.hpp"
#include "error.hpp"

namespace lxcd::config {

namespace {

const detail::KeyHandler& handler_for(std::string_view key) {
    if (key == "lxc.include")
        throw Error(Errc::InvalidConfig, "lxc.include: only valid in a config file");
    const detail::KeyHandler* h = detail::find_key(key);
    if (!h)
        throw Error(Errc::InvalidConfig, std::string(key) + ": unknown key");
    return *h;
}

// Runs f, prefixing the key to a value error so the message stands alone.
template <typename F> auto with_key(std::string_view key, F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        throw Error(Errc::InvalidConfig, std::string(key) + ": " + e.what());
    }
}

} // namespace

std::vector<std::string> get_item(const Config& cfg, std::string_view key) {
    const auto& h = handler_for(key);
    return with_key(key, [&] { return h.get(cfg, key); });
}

void set_item(Config& cfg, std::string_view key, std::string_view value) {
    const auto& h = handler_for(key);
    if (value.find_first_of("\n\r") != std::string_view::npos || value.find('\0') != value.npos)
        throw Error(Errc::InvalidConfig, std::string(key) + ": value must be a single line");
    with_key(key, [&] {
        if (value.empty())
            h.clear(cfg, key);
        else
            h.set(cfg, key, value);
    });
}

void clear_item(Config& cfg, std::string_view key) {
    const auto& h = handler_for(key);
    with_key(key, [&] { h.clear(cfg, key); });
}

} // namespace lxcd::config
