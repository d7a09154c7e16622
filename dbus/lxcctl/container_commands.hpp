// lxcctl commands that talk to lxcd over D-Bus.
#pragma once

#include "command.hpp"

#include <span>

namespace lxcctl {

std::span<const Command> container_commands();

} // namespace lxcctl
