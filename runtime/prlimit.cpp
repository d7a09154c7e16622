#include "prlimit.hpp"

#include "error.hpp"

#include <sys/resource.h>

#include <array>
#include <string_view>

namespace lxcd::runtime {

namespace {

struct Resource {
    std::string_view name;
    int resource;
};

constexpr std::array resources{
    Resource{"as", RLIMIT_AS},
    Resource{"core", RLIMIT_CORE},
    Resource{"cpu", RLIMIT_CPU},
    Resource{"data", RLIMIT_DATA},
    Resource{"fsize", RLIMIT_FSIZE},
    Resource{"locks", RLIMIT_LOCKS},
    Resource{"memlock", RLIMIT_MEMLOCK},
    Resource{"msgqueue", RLIMIT_MSGQUEUE},
    Resource{"nice", RLIMIT_NICE},
    Resource{"nofile", RLIMIT_NOFILE},
    Resource{"nproc", RLIMIT_NPROC},
    Resource{"rss", RLIMIT_RSS},
    Resource{"rtprio", RLIMIT_RTPRIO},
    Resource{"rttime", RLIMIT_RTTIME},
    Resource{"sigpending", RLIMIT_SIGPENDING},
    Resource{"stack", RLIMIT_STACK},
};

} // namespace

std::optional<int> rlimit_resource(const std::string& name) {
    for (const auto& r : resources) {
        if (r.name == name)
            return r.resource;
    }
    return std::nullopt;
}

void apply_prlimits(const std::map<std::string, config::Config::Prlimit>& limits) {
    for (const auto& [name, limit] : limits) {
        auto resource = rlimit_resource(name);
        if (!resource)
            throw Error(Errc::InvalidConfig, "lxc.prlimit." + name + ": unknown resource");
        rlimit rl{static_cast<rlim_t>(limit.soft), static_cast<rlim_t>(limit.hard)};
        if (::setrlimit(static_cast<__rlimit_resource>(*resource), &rl) < 0)
            throw_errno("lxc.prlimit." + name);
    }
}

} // namespace lxcd::runtime
