// Per-interface network sysctls (/proc/sys/net/...) of the caller's namespace.
#pragma once

#include <string>

namespace lxcd::net {

// family "ipv4" or "ipv6"; e.g. conf_sysctl_path("ipv4", "veth0", "proxy_arp").
std::string conf_sysctl_path(const std::string& family, const std::string& ifname,
                             const std::string& name);

std::string read_sysctl(const std::string& path);
void write_sysctl(const std::string& path, const std::string& value);

} // namespace lxcd::net
