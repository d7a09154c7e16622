#include "sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "error.hpp"
#include "fd.hpp"

namespace lxcd::net {

std::string conf_sysctl_path(const std::string& family, const std::string& ifname,
                             const std::string& name) {
    return "/proc/sys/net/" + family + "/conf/" + ifname + "/" + name;
}

std::string read_sysctl(const std::string& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw_errno("cannot open " + path);
    char buf[64];
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0)
        throw_errno("cannot read " + path);
    std::string value(buf, static_cast<size_t>(n));
    while (!value.empty() && (value.back() == '\n' || value.back() == ' '))
        value.pop_back();
    return value;
}

void write_sysctl(const std::string& path, const std::string& value) {
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        throw_errno("cannot open " + path);
    if (write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
        throw_errno("cannot write \"" + value + "\" to " + path);
}

} // namespace lxcd::net
