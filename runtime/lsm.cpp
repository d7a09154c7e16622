#include "lsm.hpp"

#include "error.hpp"
#include "fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

namespace lxcd::runtime {

namespace {

bool apparmor_enabled() {
    std::ifstream in("/sys/module/apparmor/parameters/enabled");
    std::string v;
    return in >> v && v == "Y";
}

bool selinux_enabled() {
    return ::access("/sys/fs/selinux/enforce", F_OK) == 0;
}

bool wants_apparmor(const config::Config& cfg) {
    return !cfg.apparmor_profile.empty() && cfg.apparmor_profile != "unconfined";
}

void write_attr(const std::string& path, const std::string& value, const std::string& key) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd || ::write(fd.get(), value.data(), value.size()) < 0)
        throw_errno(key + " = " + value + ": write " + path);
}

} // namespace

std::string check_lsm(const config::Config& cfg) {
    if (cfg.apparmor_profile == "generated")
        throw Error(Errc::InvalidConfig, "lxc.apparmor.profile = generated is not supported");
    if (wants_apparmor(cfg) && !apparmor_enabled()) {
        std::string msg = "lxc.apparmor.profile = " + cfg.apparmor_profile +
                          ": AppArmor is not enabled on this host";
        if (!cfg.apparmor_allow_incomplete)
            throw Error(Errc::InvalidConfig, msg + " (lxc.apparmor.allow_incomplete = 1 skips it)");
        return msg + "; starting unconfined (lxc.apparmor.allow_incomplete)";
    }
    if (!cfg.selinux_context.empty() && !selinux_enabled())
        throw Error(Errc::InvalidConfig, "lxc.selinux.context = " + cfg.selinux_context +
                                             ": SELinux is not enabled on this host");
    return {};
}

void apply_lsm(const config::Config& cfg) {
    if (wants_apparmor(cfg) && apparmor_enabled())
        write_attr("/proc/self/attr/apparmor/exec", "exec " + cfg.apparmor_profile,
                   "lxc.apparmor.profile");
    if (!cfg.selinux_context.empty() && selinux_enabled())
        write_attr("/proc/self/attr/exec", cfg.selinux_context, "lxc.selinux.context");
}

} // namespace lxcd::runtime
