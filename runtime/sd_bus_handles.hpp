// Owners of libsystemd's sd-bus objects for lxcd's plain sd-bus clients (lxcctl, the
// supervisor's request for user network devices, autostart's readiness wait); the daemon's
// own bus objects go through sdbus-c++.
#pragma once

#include <memory>
#include <systemd/sd-bus.h>

namespace lxcd {

template <auto Fn> struct SdBusUnref {
    template <typename T> void operator()(T* p) const noexcept { Fn(p); }
};
using SdBusPtr = std::unique_ptr<sd_bus, SdBusUnref<sd_bus_flush_close_unref>>;
using SdBusMessagePtr = std::unique_ptr<sd_bus_message, SdBusUnref<sd_bus_message_unref>>;
using SdBusSlotPtr = std::unique_ptr<sd_bus_slot, SdBusUnref<sd_bus_slot_unref>>;

// The error a failed call fills in.
struct SdBusError {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    SdBusError() = default;
    SdBusError(const SdBusError&) = delete;
    SdBusError& operator=(const SdBusError&) = delete;
    ~SdBusError() { sd_bus_error_free(&error); }
};

} // namespace lxcd
