#include "calls.hpp"

#include "bus_errors.hpp"

#include <memory>
#include <unistd.h>

namespace lxcd::bus {

void require_root(const sdbus::IObject& object) {
    const sdbus::Message* msg = object.getCurrentlyProcessedMessage();
    uid_t owner = ::geteuid(); // 0, or the user of an lxcd --user
    if (!msg || msg->getCredsUid() != owner)
        throw to_bus_error(
            Error(Errc::AccessDenied,
                  owner == 0 ? "only root may change containers"
                             : "only uid " + std::to_string(owner) + " may change its containers"));
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
