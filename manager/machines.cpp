#include "machines.hpp"

#include "error.hpp"
#include "log.hpp"
#include "rootfs.hpp"

namespace lxcd {

namespace {

constexpr const char* kMachined = "org.freedesktop.machine1";
constexpr const char* kMachinedPath = "/org/freedesktop/machine1";
constexpr const char* kMachinedIface = "org.freedesktop.machine1.Manager";

// machined needs an absolute directory or nothing; an overlay root exists only
// inside the container's mount namespace.
std::string root_directory(const config::Config& conf) {
    try {
        runtime::RootfsSpec spec = runtime::parse_rootfs_path(conf.rootfs_path);
        if (spec.kind == runtime::RootfsSpec::Kind::Dir && spec.path.starts_with("/"))
            return spec.path;
    } catch (const Error&) {
    }
    return {};
}

// Without machined there is nobody to tell, and nothing to warn about.
bool machined_absent(const sdbus::Error& e) {
    return e.getName() == "org.freedesktop.DBus.Error.ServiceUnknown" ||
           e.getName() == "org.freedesktop.DBus.Error.NameHasNoOwner";
}

} // namespace

MachineRegistry::MachineRegistry(sdbus::IConnection& bus)
    : machined_(sdbus::createProxy(bus, kMachined, kMachinedPath)) {}

void MachineRegistry::add(const std::string& name, pid_t leader, const config::Config& conf) {
    machined_->callMethodAsync("RegisterMachine")
        .onInterface(kMachinedIface)
        .withArguments(name, std::vector<uint8_t>{}, std::string("lxcd"), std::string("container"),
                       static_cast<uint32_t>(leader), root_directory(conf))
        .uponReplyInvoke([name](const sdbus::Error* err) {
            if (err && !machined_absent(*err))
                log::container(log::Level::Warning, name,
                               "not registered with systemd-machined: " + err->getMessage());
        });
}

void MachineRegistry::remove(const std::string& name) {
    machined_->callMethodAsync("UnregisterMachine")
        .onInterface(kMachinedIface)
        .withArguments(name)
        .uponReplyInvoke([](const sdbus::Error*) {
            // Gone already (machined drops machines whose scope ended) or never known.
        });
}

} // namespace lxcd
