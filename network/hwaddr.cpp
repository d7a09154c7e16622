#include "hwaddr.hpp"

#include <sys/random.h>

#include "error.hpp"

namespace lxcd::net {

uint8_t random_byte() {
    uint8_t byte = 0;
    while (getrandom(&byte, 1, 0) != 1) {
        if (errno != EINTR)
            throw_errno("getrandom");
    }
    return byte;
}

namespace {

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

bool is_random_digit(char c) {
    return c == 'x' || c == 'X';
}

// Checks the "hh:hh:hh:hh:hh:hh" shape; digit_ok decides what a digit may be.
template <typename DigitOk> bool has_mac_shape(std::string_view text, DigitOk digit_ok) {
    if (text.size() != 17)
        return false;
    for (size_t i = 0; i < text.size(); i++) {
        if (i % 3 == 2) {
            if (text[i] != ':')
                return false;
        } else if (!digit_ok(text[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

bool is_hwaddr_template(std::string_view text) {
    return has_mac_shape(text, [](char c) { return is_hex(c) || is_random_digit(c); });
}

std::string complete_hwaddr(std::string_view templ, const RandomByte& rnd) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(templ);
    for (size_t i = 0; i < out.size(); i++) {
        if (!is_random_digit(out[i]))
            continue;
        unsigned nibble = rnd() & 0x0f;
        if (i == 1) // low nibble of the first octet: bit 0 multicast, bit 1 local
            nibble = (nibble & 0x0c) | 0x02;
        out[i] = digits[nibble];
    }
    return out;
}

std::optional<HwAddr> parse_hwaddr(std::string_view text) {
    if (!has_mac_shape(text, is_hex))
        return std::nullopt;
    HwAddr mac{};
    for (size_t i = 0; i < mac.size(); i++)
        mac[i] = static_cast<uint8_t>(hex_value(text[i * 3]) << 4 | hex_value(text[i * 3 + 1]));
    return mac;
}

std::string format_hwaddr(const HwAddr& mac) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < mac.size(); i++) {
        if (i)
            out += ':';
        out += digits[mac[i] >> 4];
        out += digits[mac[i] & 0x0f];
    }
    return out;
}

HwAddr host_veth_hwaddr(const RandomByte& rnd) {
    HwAddr mac{};
    for (auto& b : mac)
        b = rnd();
    mac[0] = 0xfe;
    return mac;
}

} // namespace lxcd::net
