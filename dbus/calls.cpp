#include "calls.hpp"

#include "bus_errors.hpp"

#include <memory>

namespace lxcd::bus {

void require_root(const sdbus::IObject& object) {
    const sdbus::Message* msg = object.getCurrentlyProcessedMessage();
    if (!msg || msg->getCredsUid() != 0)
        throw to_bus_error(Error(Errc::AccessDenied, "only root may change containers"));
}

namespace {
template <typename T>
T option(const Options& options, const std::string& key, const char* type, const char* name) {
    auto it = options.find(key);
    if (it == options.end())
        return T{};
    if (it->second.peekValueType() != type)
        throw Error(Errc::InvalidArgument,
                    "option '" + key + "' must be " + name + " (" + type + ")");
    return it->second.get<T>();
}
} // namespace

std::string string_option(const Options& options, const std::string& key) {
    return option<std::string>(options, key, "s", "a string");
}

bool bool_option(const Options& options, const std::string& key) {
    return option<bool>(options, key, "b", "a boolean");
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
