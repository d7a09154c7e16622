#include "namespaces.hpp"

#include "error.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>

#include <algorithm>
#include <fstream>

namespace lxcd::runtime {

namespace {

using config::Namespace;

constexpr Namespace default_namespaces[] = {Namespace::Mnt, Namespace::Pid, Namespace::Uts,
                                            Namespace::Ipc, Namespace::Net, Namespace::Cgroup};

bool is_number(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string share_path(Namespace ns, const std::string& value, const std::string& run_dir) {
    if (!value.empty() && value[0] == '/')
        return value;
    std::string pid = value;
    if (!is_number(value)) {
        std::ifstream in(run_dir + "/" + value + "/init.pid");
        if (!(in >> pid))
            throw Error(Errc::InvalidConfig, std::string("lxc.namespace.share.") +
                                                 config::namespace_name(ns) + ": container '" +
                                                 value + "' is not running");
    }
    return "/proc/" + pid + "/ns/" + config::namespace_name(ns);
}

bool has_time_offsets(const config::Config& cfg) {
    return cfg.time_offset_boot != 0 || cfg.time_offset_monotonic != 0;
}

} // namespace

bool needs_netns(const config::Config& cfg) {
    return cfg.networks.empty() ||
           std::any_of(cfg.networks.begin(), cfg.networks.end(),
                       [](const config::Network& n) { return n.type != "none"; });
}

bool configures_network(const config::Config& cfg) {
    auto has = [](const std::vector<Namespace>& set) {
        return std::find(set.begin(), set.end(), Namespace::Net) != set.end();
    };
    bool cloned = cfg.namespace_clone.empty() ? needs_netns(cfg) : has(cfg.namespace_clone);
    return cloned && !has(cfg.namespace_keep) && !cfg.namespace_share.contains(Namespace::Net);
}

NamespacePlan plan_namespaces(const config::Config& cfg, const std::string& run_dir) {
    std::vector<Namespace> set;
    if (!cfg.namespace_clone.empty()) {
        set = cfg.namespace_clone;
    } else {
        set.assign(std::begin(default_namespaces), std::end(default_namespaces));
        if (!needs_netns(cfg))
            std::erase(set, Namespace::Net);
        if (!cfg.idmaps.empty())
            set.push_back(Namespace::User);
        if (has_time_offsets(cfg)) // LXC: no offsets, no time namespace
            set.push_back(Namespace::Time);
    }
    NamespacePlan plan;
    for (const auto& [ns, value] : cfg.namespace_share)
        plan.shared.push_back({ns, share_path(ns, value, run_dir)});
    for (Namespace ns : set) {
        bool kept = std::find(cfg.namespace_keep.begin(), cfg.namespace_keep.end(), ns) !=
                    cfg.namespace_keep.end();
        if (kept || cfg.namespace_share.contains(ns))
            continue;
        plan.clone_flags |= config::namespace_clone_flag(ns);
    }
    if (!(plan.clone_flags & CLONE_NEWNS))
        throw Error(Errc::InvalidConfig,
                    "lxc.namespace: the container needs its own mount namespace (mnt)");
    if (has_time_offsets(cfg) && !(plan.clone_flags & CLONE_NEWTIME))
        throw Error(Errc::InvalidConfig,
                    "lxc.time.offset.*: the offsets need a new time namespace, but "
                    "lxc.namespace.clone/keep/share leave out time");
    if ((plan.clone_flags & CLONE_NEWUSER) && cfg.idmaps.empty())
        throw Error(Errc::InvalidConfig, "lxc.namespace: a user namespace needs lxc.idmap");
    return plan;
}

std::vector<OpenNamespace> open_shared(const NamespacePlan& plan) {
    std::vector<OpenNamespace> out;
    for (const auto& s : plan.shared) {
        UniqueFd fd(::open(s.path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd)
            throw_errno(std::string("lxc.namespace.share.") + config::namespace_name(s.ns) +
                        ": open " + s.path);
        out.push_back({s.ns, std::move(fd)});
    }
    // The user namespace first: it owns the others.
    std::stable_partition(out.begin(), out.end(),
                          [](const OpenNamespace& o) { return o.ns == Namespace::User; });
    return out;
}

void join_shared(const std::vector<OpenNamespace>& nss) {
    for (const auto& o : nss) {
        if (::setns(o.fd.get(), config::namespace_clone_flag(o.ns)) < 0)
            throw_errno(std::string("join shared ") + config::namespace_name(o.ns) + " namespace");
    }
}

void unshare_monitor_mounts() {
    if (::unshare(CLONE_NEWNS) < 0)
        throw_errno("lxc.monitor.unshare: new mount namespace for the supervisor");
    if (::mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr) < 0)
        throw_errno("lxc.monitor.unshare: make / a slave mount");
}

} // namespace lxcd::runtime
