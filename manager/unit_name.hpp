// systemd unit names for containers, escaped the way systemd-escape(1) does.
#pragma once

#include <string>
#include <string_view>

namespace lxcd {

// Escapes s for use in a unit name like `systemd-escape`: '/' becomes '-',
// '-', '\' and every byte outside [A-Za-z0-9:_.] become \xNN (lower-case hex),
// and a leading '.' is escaped too. The empty string escapes to "".
std::string unit_name_escape(std::string_view s);

// "lxc-<escaped name>.scope"; throws Error(InvalidArgument) if the name is
// empty or the unit name would exceed systemd's 255 characters.
std::string scope_unit_name(std::string_view container_name);

} // namespace lxcd
