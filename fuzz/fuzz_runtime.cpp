// The runtime's text parsers on arbitrary input: lxc.mount.fstab files, mount
// options, lxc.mount.auto words, lxc.rootfs.path and control-socket requests.
// Each may reject input with lxcd::Error, but must never crash or throw anything else.
#include "control_request.hpp"
#include "error.hpp"
#include "mount_options.hpp"
#include "mounts.hpp"
#include "rootfs.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

template <typename F> void accepting_errors(F&& f) {
    try {
        f();
    } catch (const lxcd::Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    using namespace lxcd::runtime;
    accepting_errors([&] {
        for (const auto& e : parse_fstab(text, "fuzz"))
            accepting_errors([&] { parse_mount_options(e.options); });
    });
    accepting_errors([&] { parse_mount_options(text); });
    accepting_errors([&] { parse_auto_mounts({text}); });
    accepting_errors([&] { parse_rootfs_path(text); });
    accepting_errors([&] { parse_control_request(text); });
    return 0;
}
