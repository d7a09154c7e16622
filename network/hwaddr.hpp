// MAC addresses of lxc.net.N.hwaddr: templates whose 'x' digits are random.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lxcd::net {

using HwAddr = std::array<uint8_t, 6>;

// Supplies one random byte per call (tests pass a deterministic source).
using RandomByte = std::function<uint8_t()>;
uint8_t random_byte();

// True for "aa:bb:cc:dd:ee:ff" where each digit is hex or 'x'/'X'.
bool is_hwaddr_template(std::string_view text);

// Replaces every 'x'/'X' digit of a template with a random hex digit, as LXC
// does. A random digit in the second position keeps the address unicast and
// marks it locally administered (it is random, so no vendor owns it).
std::string complete_hwaddr(std::string_view templ, const RandomByte& rnd = random_byte);

// Parses a complete address; nullopt if it is not six hex octets.
std::optional<HwAddr> parse_hwaddr(std::string_view text);
std::string format_hwaddr(const HwAddr& mac);

// The host side of a veth pair: random, with LXC's 0xfe first octet so a
// bridge never takes its (lower) MAC address from a container's veth.
HwAddr host_veth_hwaddr(const RandomByte& rnd = random_byte);

} // namespace lxcd::net
