// lxc.cgroup.* (v1 files) and lxc.cgroup2.* (v2 files, device rules as BPF),
// written to the payload cgroup.
#include "cgroup.hpp"

#include "cgroup_devices.hpp"
#include "cgroup_fs.hpp"
#include "error.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <fcntl.h>

namespace lxcd::cgroup {

namespace {

namespace fs = std::filesystem;

// Keys name files: refuse anything that could leave the cgroup directory or
// that moves processes or changes the tree instead of limiting it.
void check_key(const std::string& full, const std::string& key, bool v2) {
    bool ok = !key.empty() && key.find('/') == std::string::npos && key.front() != '.' &&
              key.find('.') != std::string::npos;
    if (!ok)
        throw Error(Errc::InvalidConfig,
                    full + ": not a cgroup file name (expected CONTROLLER.FILE)");
    bool allowed_core = v2 && (key == "cgroup.max.descendants" || key == "cgroup.max.depth");
    if (key.starts_with("cgroup.") && !allowed_core)
        throw Error(Errc::InvalidConfig,
                    full + ": '" + key + "' is a cgroup core file, not a limit; lxcd manages it");
}

std::string controller_of(const std::string& key) {
    return key.substr(0, key.find('.'));
}

void write_limit(const std::string& full, const fs::path& file, const std::string& value,
                 const std::string& hint) {
    int err = try_write_file(file, value);
    if (err == ENOENT)
        throw Error(Errc::InvalidConfig, full + ": unknown cgroup file '" +
                                             file.filename().string() + "' (" + file.string() +
                                             " does not exist" + hint + ")");
    if (err)
        throw Error(Errc::InvalidConfig,
                    full + " = '" + value + "': " + std::strerror(err) + " (writing " +
                        file.string() + ")",
                    err);
}

} // namespace

void ContainerCgroups::apply_v1(const config::Config& conf) {
    for (const auto& [key, value] : conf.cgroup_v1) {
        const std::string full = "lxc.cgroup." + key;
        if (layout_.kind == LayoutKind::Unified) {
            warnings_.push_back(full + ": ignored, this host has no cgroup v1 hierarchies");
            continue;
        }
        check_key(full, key, false);
        const std::string controller = controller_of(key);
        const Node* n = v1_node(controller);
        if (!n && layout_.v1_with(controller))
            throw Error(Errc::InvalidConfig, full +
                                                 ": the supervisor has no cgroup of its own in "
                                                 "the '" +
                                                 controller +
                                                 "' hierarchy (systemd does not delegate it)");
        if (!n)
            throw Error(Errc::InvalidConfig, full + ": no mounted cgroup v1 hierarchy has the '" +
                                                 controller + "' controller");
        write_limit(full, payload_dir(*n) / key, value, "");
    }
}

void ContainerCgroups::apply_v2(const config::Config& conf) {
    const Node* n = unified_node();
    if (!n && layout_.unified() && !conf.cgroup_v2.empty())
        throw Error(Errc::InvalidConfig, "lxc.cgroup2." + conf.cgroup_v2.front().first +
                                             ": the supervisor has no cgroup of its own in the "
                                             "unified hierarchy");
    if (!n) {
        for (const auto& entry : conf.cgroup_v2)
            warnings_.push_back("lxc.cgroup2." + entry.first +
                                ": ignored, this host has no cgroup v2 hierarchy");
        return;
    }
    const fs::path payload = payload_dir(*n);
    DevicePolicy devices;
    bool have_devices = false;
    for (const auto& [key, value] : conf.cgroup_v2) {
        const std::string full = "lxc.cgroup2." + key;
        if (key == "devices.allow" || key == "devices.deny") {
            devices.add(value, key == "devices.allow", full);
            have_devices = true;
            continue;
        }
        check_key(full, key, true);
        const std::string controller = controller_of(key);
        std::vector<std::string> available =
            split(trim(read_file(payload / "cgroup.controllers")), ' ');
        std::string hint;
        if (controller != "cgroup" &&
            std::find(available.begin(), available.end(), controller) == available.end())
            hint = "; the '" + controller + "' controller is not available to this cgroup";
        write_limit(full, payload / key, value, hint);
    }
    if (!have_devices)
        return;
    UniqueFd fd(::open(payload.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        throw_errno("open cgroup " + payload.string());
    attach_device_program(fd.get(), devices.program(), payload.string());
}

} // namespace lxcd::cgroup
