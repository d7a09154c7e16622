#include "calls.hpp"

#include "bus_errors.hpp"

#include <memory>
#include <unistd.h>

namespace lxcd::bus {

uid_t caller_uid(const sdbus::IObject& object) {
    const sdbus::Message* msg = object.getCurrentlyProcessedMessage();
    if (!msg)
        throw Error(Errc::AccessDenied, "no caller credentials");
    // The bus daemon's record (SO_PEERCRED of the caller's connection), one round trip.
    // sd-bus's creds query (Message::getCredsUid) asks for the PID instead and then reads
    // /proc/PID/status line by line: ~0.3 ms more on every call, and racy with PID reuse.
    auto daemon =
        sdbus::createProxy(object.getConnection(), "org.freedesktop.DBus", "/org/freedesktop/DBus");
    uint32_t uid = 0;
    try {
        daemon->callMethod("GetConnectionUnixUser")
            .onInterface("org.freedesktop.DBus")
            .withArguments(msg->getSender())
            .storeResultsTo(uid);
    } catch (const sdbus::Error& e) {
        throw Error(Errc::AccessDenied, "cannot identify the caller: " + e.getMessage());
    }
    return uid;
}

void require_root(const sdbus::IObject& object) {
    uid_t owner = ::geteuid(); // 0, or the user of an lxcd --user
    if (caller_uid(object) != owner)
        throw to_bus_error(
            Error(Errc::AccessDenied,
                  owner == 0 ? "only root may change containers"
                             : "only uid " + std::to_string(owner) + " may change its containers"));
}

namespace {
template <typename T>
std::optional<T> option(const Options& options, const std::string& key, const char* type,
                        const char* name) {
    auto it = options.find(key);
    if (it == options.end())
        return std::nullopt;
    if (it->second.peekValueType() != type)
        throw Error(Errc::InvalidArgument,
                    "option '" + key + "' must be " + name + " (" + type + ")");
    return it->second.get<T>();
}
} // namespace

std::string string_option(const Options& options, const std::string& key) {
    return option<std::string>(options, key, "s", "a string").value_or("");
}

bool bool_option(const Options& options, const std::string& key) {
    return option<bool>(options, key, "b", "a boolean").value_or(false);
}

std::optional<uint32_t> u32_option(const Options& options, const std::string& key) {
    return option<uint32_t>(options, key, "u", "an unsigned 32-bit number");
}

Container::Done reply_to(sdbus::Result<>&& result) {
    // std::function must be copyable; the Result is not.
    auto shared = std::make_shared<sdbus::Result<>>(std::move(result));
    return [shared](const std::optional<Error>& err) {
        if (err)
            shared->returnError(to_bus_error(*err));
        else
            shared->returnResults();
    };
}

} // namespace lxcd::bus
