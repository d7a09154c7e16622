#include "calls.hpp"

#include "bus_errors.hpp"

#include <memory>

namespace lxcd::bus {

void require_root(const sdbus::IObject& object) {
    const sdbus::Message* msg = object.getCurrentlyProcessedMessage();
    if (!msg || msg->getCredsUid() != 0)
        throw to_bus_error(Error(Errc::AccessDenied, "only root may change containers"));
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
