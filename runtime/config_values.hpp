// Typed value parsers and formatters for lxc.container.conf(5) values.
//
// Each parse_* takes one (already trimmed) config value and either returns the
// typed value or throws lxcd::Error(Errc::InvalidConfig) whose message names
// the problem but not the key ("invalid integer \"abc\""); the caller adds
// file:line and key. Each format_* is the inverse used by the writer, so
// parse(format(x)) == x.
#pragma once

#include "config.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::config {

uint32_t parse_uint32(std::string_view v);
int32_t parse_int32(std::string_view v);
uint64_t parse_uint64(std::string_view v);
// "0" or "1", as LXC accepts for its boolean keys.
bool parse_bool(std::string_view v);

// Every kill(1) form: 9, KILL, SIGKILL, sigkill, RTMIN, SIGRTMIN+14, RTMAX-10.
int parse_signal(std::string_view v);
// "SIGKILL", "SIGRTMIN+3"; numbers without a name are written as numbers.
std::string format_signal(int sig);

// "u 0 100000 65536"
IdMap parse_idmap(std::string_view v);
std::string format_idmap(const IdMap& m);

// One fstab line: source target fstype [options [freq [passno]]], with fstab's
// \040-style octal escapes. The target loses its leading '/'.
MountEntry parse_mount_entry(std::string_view v);
std::string format_mount_entry(const MountEntry& m);

// A network interface name (non-empty, < IFNAMSIZ, no '/', ':' or whitespace).
std::string parse_ifname(std::string_view v);
// "4a:49:43:49:79:bf"; any hex digit may be 'x' (randomised at start).
std::string parse_hwaddr(std::string_view v);

// "addr[/prefix] [broadcast]"; without a prefix the classful one, as LXC does.
Ipv4Address parse_ipv4_address(std::string_view v);
std::string format_ipv4_address(const Ipv4Address& a);
// "addr[/prefix]"; default prefix 64.
Ipv6Address parse_ipv6_address(std::string_view v);
std::string format_ipv6_address(const Ipv6Address& a);
// "addr", "auto" or "dev".
Ipv4Gateway parse_ipv4_gateway(std::string_view v);
std::string format_ipv4_gateway(const Ipv4Gateway& g);
Ipv6Gateway parse_ipv6_gateway(std::string_view v);
std::string format_ipv6_gateway(const Ipv6Gateway& g);
// "x.y.z.t/m" and "x::y/m" (a host route without /m).
Route4 parse_route4(std::string_view v);
std::string format_route4(const Route4& r);
Route6 parse_route6(std::string_view v);
std::string format_route6(const Route6& r);

// Console sizes: "auto" (128 KiB), or a number with an optional kB/MB/GB
// suffix (1024-based, any case); rounded up to a page and a power of two.
uint64_t parse_console_size(std::string_view v);

// lxc.time.offset.*: a signed integer with a unit h, m, s, ms, us or ns;
// returns nanoseconds.
int64_t parse_time_offset(std::string_view v);

// lxc.prlimit.*: "soft[:hard]", each a number or "unlimited".
Config::Prlimit parse_prlimit(std::string_view v);
std::string format_prlimit(const Config::Prlimit& p);
// "nofile", "nproc", ... (RLIMIT_ names, lowercase, without the prefix)
bool is_prlimit_name(std::string_view name);

// lxc.log.level: 0..8 or a name (trace ... fatal); returns the normalised name.
std::string parse_log_level(std::string_view v);
// lxc.log.syslog facility: daemon, local0..local7, ...
std::string parse_syslog_facility(std::string_view v);

// A capability name as in lxc.cap.*: "sys_admin", "CAP_SYS_ADMIN", a number;
// returns the lowercase name without "cap_".
std::string parse_capability(std::string_view v);

// cgroup ipc mnt (or mount) net pid time user uts
Namespace parse_namespace(std::string_view v);

// Splits on spaces and tabs, dropping empty fields.
std::vector<std::string> split_words(std::string_view v);

} // namespace lxcd::config
