#include "unit_name.hpp"

#include "error.hpp"

namespace lxcd {

namespace {

// systemd's UNIT_NAME_MAX is 256 including the terminating NUL.
constexpr size_t kUnitNameMax = 255;

bool keeps(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
           c == '_' || c == '.';
}

void escape_char(std::string& out, unsigned char c) {
    static const char hex[] = "0123456789abcdef";
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 0xf];
}

} // namespace

std::string unit_name_escape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
        char c = s[i];
        if (c == '/')
            out += '-';
        else if (keeps(c) && !(i == 0 && c == '.')) // a leading '.' would hide the unit file
            out += c;
        else
            escape_char(out, static_cast<unsigned char>(c));
    }
    return out;
}

std::string scope_unit_name(std::string_view container_name) {
    if (container_name.empty())
        throw Error(Errc::InvalidArgument, "empty container name");
    std::string unit = "lxc-" + unit_name_escape(container_name) + ".scope";
    if (unit.size() > kUnitNameMax)
        throw Error(Errc::InvalidArgument, "container name '" + std::string(container_name) +
                                               "' is too long for a systemd unit name (" + unit +
                                               ")");
    return unit;
}

} // namespace lxcd
