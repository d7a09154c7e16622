// lxc.apparmor.* and lxc.selinux.*: the label init is exec'd with. On a host
// without that LSM a configured label is an error (a silent ignore would leave the
// container less confined than its config says); lxc.apparmor.allow_incomplete = 1
// lets an AppArmor profile be skipped with a warning instead.
#pragma once

#include "config.hpp"

#include <string>

namespace lxcd::runtime {

// Checked by the parent before anything is created. Returns a warning ("" if none).
std::string check_lsm(const config::Config& cfg);

// In the container, right before exec: sets the exec labels.
void apply_lsm(const config::Config& cfg);

} // namespace lxcd::runtime
