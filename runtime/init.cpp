#include "init.hpp"

#include "caps.hpp"
#include "error.hpp"
#include "fd.hpp"
#include "prlimit.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/keyctl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace lxcd::runtime {

namespace {

constexpr const char* default_path =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string env_name(const std::string& entry) {
    return entry.substr(0, entry.find('='));
}

void set_env(std::vector<std::string>& env, const std::string& entry) {
    std::string name = env_name(entry);
    std::erase_if(env, [&](const std::string& e) { return env_name(e) == name; });
    env.push_back(entry);
}

void write_file(const std::string& path, const std::string& value, const std::string& what) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd || ::write(fd.get(), value.data(), value.size()) < 0)
        throw_errno(what + " = " + value + " (" + path + ")");
}

void loopback_up() {
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock)
        throw_errno("socket for loopback");
    ifreq ifr{};
    std::snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
    if (::ioctl(sock.get(), SIOCGIFFLAGS, &ifr) < 0)
        throw_errno("get loopback flags");
    ifr.ifr_flags |= IFF_UP;
    if (::ioctl(sock.get(), SIOCSIFFLAGS, &ifr) < 0)
        throw_errno("bring loopback up");
}

void switch_ids(const config::Config& cfg) {
    gid_t gid = cfg.init_gid.value_or(0);
    uid_t uid = cfg.init_uid.value_or(0);
    if (::setgroups(0, nullptr) < 0 && errno != EPERM)
        throw_errno("setgroups");
    if (::setresgid(gid, gid, gid) < 0)
        throw_errno("lxc.init.gid " + std::to_string(gid));
    if (::setresuid(uid, uid, uid) < 0)
        throw_errno("lxc.init.uid " + std::to_string(uid));
    // A non-root init keeps no capabilities, whether or not the kernel took them.
    if (uid != 0)
        caps::drop_privileged_sets();
}

} // namespace

std::vector<std::string> init_environment(const config::Config& cfg,
                                          const std::vector<std::string>& inherited) {
    std::vector<std::string> env{"container=lxc", default_path};
    if (cfg.tty_max > 0) { // systemd starts its gettys on these
        std::string ttys;
        for (uint32_t i = 1; i <= cfg.tty_max; i++)
            ttys += (i > 1 ? " " : "") + (cfg.tty_dir.empty() ? "" : cfg.tty_dir + "/") + "tty" +
                    std::to_string(i);
        env.push_back("container_ttys=" + ttys);
    }
    for (const auto& e : cfg.environment) {
        if (e.find('=') != std::string::npos) {
            set_env(env, e);
            continue;
        }
        auto it = std::find_if(inherited.begin(), inherited.end(),
                               [&](const std::string& i) { return env_name(i) == e; });
        if (it != inherited.end())
            set_env(env, *it);
    }
    return env;
}

std::vector<std::string> init_command(const config::Config& cfg, bool application) {
    if (application) {
        if (cfg.execute_cmd.empty())
            throw Error(Errc::InvalidConfig, "lxc.execute.cmd is not set");
        return cfg.execute_cmd;
    }
    if (cfg.init_cmd.empty())
        return {"/sbin/init"};
    return cfg.init_cmd;
}

void setup_process(const config::Config& cfg, bool own_uts, bool own_net) {
    if (!cfg.uts_name.empty()) {
        if (!own_uts)
            throw Error(Errc::InvalidConfig, "lxc.uts.name needs a new uts namespace");
        if (::sethostname(cfg.uts_name.data(), cfg.uts_name.size()) < 0)
            throw_errno("lxc.uts.name " + cfg.uts_name);
    }
    for (const auto& [key, value] : cfg.proc)
        write_file("/proc/self/" + key, value, "lxc.proc." + key);
    apply_prlimits(cfg.prlimits);
    if (cfg.keyring_session && ::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) < 0 &&
        errno != ENOSYS)
        throw_errno("lxc.keyring.session: join a new session keyring");
    if (own_net)
        loopback_up();
    if (::chdir(cfg.init_cwd.empty() ? "/" : cfg.init_cwd.c_str()) < 0)
        throw_errno("lxc.init.cwd '" + cfg.init_cwd + "'");
}

void restrict_process(const config::Config& cfg, std::optional<seccomp::SeccompFilter>& filter) {
    if (cfg.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        throw_errno("lxc.no_new_privs");
    // Loaded while we still hold CAP_SYS_ADMIN, so no_new_privs stays the config's choice.
    if (filter)
        filter->load(seccomp::NoNewPrivs::Keep);
    int last = caps::last_cap();
    caps::apply_caps(caps::caps_to_keep(cfg.cap_drop, cfg.cap_keep, last), last);
    switch_ids(cfg);
}

} // namespace lxcd::runtime
