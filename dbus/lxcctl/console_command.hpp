// lxcctl console NAME: the container's console on this terminal, like lxc-console.
#pragma once

#include "command.hpp"

namespace lxcctl {

int console_command(Args args);

} // namespace lxcctl
