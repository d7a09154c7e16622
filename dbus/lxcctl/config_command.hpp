// lxcctl config check|show|get: reads config files directly, no daemon needed.
#pragma once

#include "command.hpp"

namespace lxcctl {

int config_command(Args args);

} // namespace lxcctl
