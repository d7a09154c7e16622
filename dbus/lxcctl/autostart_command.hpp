// lxcctl autostart: lxc-autostart's options over lxcd's org.lxcd1.Autostart.
#pragma once

#include "command.hpp"

namespace lxcctl {

int autostart_command(Args args);

} // namespace lxcctl
