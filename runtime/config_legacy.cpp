#include "config_legacy.hpp"

#include "error.hpp"

#include <array>
#include <cctype>

namespace lxcd::config::detail {

namespace {

struct Rename {
    std::string_view old_key;
    std::string_view new_key;
};

constexpr std::array kRenames = {
    Rename{"lxc.utsname", "lxc.uts.name"},
    Rename{"lxc.rootfs", "lxc.rootfs.path"},
    Rename{"lxc.id_map", "lxc.idmap"},
    Rename{"lxc.aa_profile", "lxc.apparmor.profile"},
    Rename{"lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"},
    Rename{"lxc.se_context", "lxc.selinux.context"},
    Rename{"lxc.seccomp", "lxc.seccomp.profile"},
    Rename{"lxc.tty", "lxc.tty.max"},
    Rename{"lxc.pts", "lxc.pty.max"},
    Rename{"lxc.devttydir", "lxc.tty.dir"},
    Rename{"lxc.haltsignal", "lxc.signal.halt"},
    Rename{"lxc.rebootsignal", "lxc.signal.reboot"},
    Rename{"lxc.stopsignal", "lxc.signal.stop"},
    Rename{"lxc.loglevel", "lxc.log.level"},
    Rename{"lxc.logfile", "lxc.log.file"},
    Rename{"lxc.init_cmd", "lxc.init.cmd"},
    Rename{"lxc.init_uid", "lxc.init.uid"},
    Rename{"lxc.init_gid", "lxc.init.gid"},
    Rename{"lxc.console", "lxc.console.path"},
    Rename{"lxc.syslog", "lxc.log.syslog"},
    Rename{"lxc.mount", "lxc.mount.fstab"},
};

// Keys LXC dropped without a replacement.
constexpr std::array<std::string_view, 3> kIgnored = {"lxc.rootfs.backend", "lxc.pivotdir",
                                                      "lxc.kmsg"};

LegacyKey renamed(std::string modern) {
    std::string warning = "deprecated key, use " + modern;
    return {std::move(modern), std::move(warning)};
}

// lxc.network.<sub> sub-keys whose modern name differs.
std::string modern_net_sub(std::string_view sub) {
    if (sub == "ipv4")
        return "ipv4.address";
    if (sub == "ipv6")
        return "ipv6.address";
    return std::string(sub);
}

std::optional<LegacyKey> translate_network(const Config& cfg, std::string_view key) {
    if (key == "lxc.network")
        return renamed("lxc.net");
    std::string_view rest = key.substr(std::string_view("lxc.network.").size());
    if (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front()))) {
        // Indexed form lxc.network.N[.sub] is lxc.net.N[.sub].
        size_t dot = rest.find('.');
        std::string modern = "lxc.net." + std::string(rest.substr(0, dot));
        if (dot != std::string_view::npos)
            modern += "." + modern_net_sub(rest.substr(dot + 1));
        return renamed(std::move(modern));
    }
    if (rest == "type") {
        // Each lxc.network.type starts a new network after the existing ones.
        unsigned next = cfg.networks.empty() ? 0 : cfg.networks.back().index + 1;
        return renamed("lxc.net." + std::to_string(next) + ".type");
    }
    if (cfg.networks.empty())
        throw Error(Errc::InvalidConfig, "no network yet: lxc.network.type must come first");
    return renamed("lxc.net." + std::to_string(cfg.networks.back().index) + "." +
                   modern_net_sub(rest));
}

} // namespace

std::optional<LegacyKey> translate_legacy(const Config& cfg, std::string_view key) {
    if (key == "lxc.network" || key.starts_with("lxc.network."))
        return translate_network(cfg, key);
    if (key.starts_with("lxc.limit.") && key.size() > std::string_view("lxc.limit.").size())
        return renamed("lxc.prlimit." +
                       std::string(key.substr(std::string_view("lxc.limit.").size())));
    for (const auto& r : kRenames)
        if (key == r.old_key)
            return renamed(std::string(r.new_key));
    for (auto ignored : kIgnored)
        if (key == ignored)
            return LegacyKey{"", "obsolete key, ignored"};
    return std::nullopt;
}

} // namespace lxcd::config::detail
