// The table of every lxc.container.conf(5) key (lxc.net.* lives in config_net_keys.cpp).
#include "config_keys.hpp"

#include "config_values.hpp"
#include "error.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <csignal>

namespace lxcd::config::detail {

namespace {

const Config& defaults() {
    static const Config c;
    return c;
}

[[noreturn]] void invalid(const std::string& what, std::string_view v) {
    throw Error(Errc::InvalidConfig, what + " \"" + std::string(v) + "\"");
}

// ---- value parsers and formatters specific to single keys ----

std::string as_string(std::string_view v) {
    return std::string(v);
}
std::string fmt_string(const std::string& s) {
    return s;
}
std::string fmt_bool(bool b) {
    return b ? "1" : "0";
}
template <typename T> std::string fmt_number(T n) {
    return std::to_string(n);
}

std::string join(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words)
        s += (s.empty() ? "" : " ") + w;
    return s;
}

std::string parse_arch(std::string_view v) {
    static constexpr std::array arches = {
        "aarch64", "amd64",   "arm",      "arm64",   "armel",   "armhf",     "armv7l",
        "athlon",  "i386",    "i486",     "i586",    "i686",    "linux32",   "linux64",
        "mips",    "mips64",  "mips64el", "mipsel",  "powerpc", "powerpc64", "ppc",
        "ppc64",   "ppc64el", "ppc64le",  "riscv64", "s390x",   "x86",       "x86_64",
    };
    if (std::find(arches.begin(), arches.end(), v) == arches.end())
        invalid("unknown architecture", v);
    return std::string(v);
}

std::string parse_hostname(std::string_view v) {
    if (v.size() > HOST_NAME_MAX)
        invalid("host name longer than 64 characters", v);
    return std::string(v);
}

int parse_signal_or_zero(std::string_view v) {
    return v == "0" ? 0 : parse_signal(v);
}
std::string fmt_signal_or_zero(int sig) {
    return sig == 0 ? "0" : format_signal(sig);
}

std::string parse_mount_auto(std::string_view v) {
    static constexpr std::array allowed = {
        "proc",
        "proc:mixed",
        "proc:rw",
        "sys",
        "sys:ro",
        "sys:rw",
        "sys:mixed",
        "cgroup",
        "cgroup:force",
        "cgroup:mixed",
        "cgroup:ro",
        "cgroup:rw",
        "cgroup:mixed:force",
        "cgroup:ro:force",
        "cgroup:rw:force",
        "cgroup-full",
        "cgroup-full:force",
        "cgroup-full:mixed",
        "cgroup-full:ro",
        "cgroup-full:rw",
        "cgroup-full:mixed:force",
        "cgroup-full:ro:force",
        "cgroup-full:rw:force",
    };
    // shmounts:HOSTPATH[:CONTAINERPATH] carries paths, so only its shape is checked.
    if (v.starts_with("shmounts:") && v.size() > 9)
        return std::string(v);
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
        invalid("unknown lxc.mount.auto value", v);
    return std::string(v);
}

std::string parse_cap_keep(std::string_view v) {
    return v == "none" ? std::string(v) : parse_capability(v);
}

int parse_hook_version(std::string_view v) {
    uint32_t n = parse_uint32(v);
    if (n > 1)
        invalid("invalid hook version (expected 0 or 1)", v);
    return static_cast<int>(n);
}

std::string parse_notify_proxy(std::string_view v) {
    if (!v.starts_with("unix:") || v.size() == 5)
        invalid("invalid seccomp notify proxy (expected unix:/path or unix:@name)", v);
    return std::string(v);
}

std::string fmt_time_offset(int64_t ns) {
    return std::to_string(ns) + "ns";
}

std::string fmt_namespaces(const std::vector<Namespace>& list) {
    std::string s;
    for (auto ns : list)
        s += (s.empty() ? "" : " ") + std::string(namespace_name(ns));
    return s;
}

// ---- handler builders: one per kind of field ----

template <auto M> void reset(Config& c, std::string_view) {
    c.*M = defaults().*M;
}

// A scalar: set parses, get formats (always present, the writer skips defaults).
template <auto M, auto Parse, auto Format> KeyHandler scalar(std::string_view name) {
    return {name, [](Config& c, std::string_view, std::string_view v) { c.*M = Parse(v); },
            reset<M>, [](const Config& c, std::string_view) { return Lines{Format(c.*M)}; },
            nullptr};
}

// A string: no line when empty.
template <auto M, auto Parse = as_string> KeyHandler text(std::string_view name) {
    return {
        name, [](Config& c, std::string_view, std::string_view v) { c.*M = Parse(v); }, reset<M>,
        [](const Config& c, std::string_view) { return (c.*M).empty() ? Lines{} : Lines{c.*M}; },
        nullptr};
}

// An optional scalar: no line when unset.
template <auto M, auto Parse, auto Format> KeyHandler optional(std::string_view name) {
    return {
        name, [](Config& c, std::string_view, std::string_view v) { c.*M = Parse(v); }, reset<M>,
        [](const Config& c, std::string_view) { return (c.*M) ? Lines{Format(*(c.*M))} : Lines{}; },
        nullptr};
}

// A list, one element per line; an empty value clears it.
template <auto M, auto Parse, auto Format> KeyHandler list(std::string_view name) {
    return {name,
            [](Config& c, std::string_view, std::string_view v) { (c.*M).push_back(Parse(v)); },
            reset<M>,
            [](const Config& c, std::string_view) {
                Lines out;
                for (const auto& x : c.*M)
                    out.push_back(Format(x));
                return out;
            },
            nullptr};
}

// A list whose lines hold several space-separated elements (lxc.cap.drop).
template <auto M, auto Parse> KeyHandler word_list(std::string_view name) {
    return {name,
            [](Config& c, std::string_view, std::string_view v) {
                for (const auto& w : split_words(v))
                    (c.*M).push_back(Parse(w));
            },
            reset<M>,
            [](const Config& c, std::string_view) {
                Lines out;
                for (const auto& x : c.*M)
                    out.push_back(x);
                return out;
            },
            nullptr};
}

// A command line kept as words; a new value replaces the old one.
template <auto M> KeyHandler command(std::string_view name) {
    return {name, [](Config& c, std::string_view, std::string_view v) { c.*M = split_words(v); },
            reset<M>,
            [](const Config& c, std::string_view) {
                return (c.*M).empty() ? Lines{} : Lines{join(c.*M)};
            },
            nullptr};
}

// lxc.namespace.clone / keep: a set of namespaces, accumulated like LXC's flags.
template <auto M> KeyHandler namespace_set(std::string_view name) {
    return {name,
            [](Config& c, std::string_view, std::string_view v) {
                for (const auto& w : split_words(v)) {
                    Namespace ns = parse_namespace(w);
                    if (std::find((c.*M).begin(), (c.*M).end(), ns) == (c.*M).end())
                        (c.*M).push_back(ns);
                }
            },
            reset<M>,
            [](const Config& c, std::string_view) {
                return (c.*M).empty() ? Lines{} : Lines{fmt_namespaces(c.*M)};
            },
            nullptr};
}

template <HookType T> KeyHandler hook(std::string_view name) {
    return {name,
            [](Config& c, std::string_view, std::string_view v) {
                c.hooks[T].push_back(std::string(v));
            },
            [](Config& c, std::string_view) { c.hooks.erase(T); },
            [](const Config& c, std::string_view) {
                auto it = c.hooks.find(T);
                return it == c.hooks.end() ? Lines{} : it->second;
            },
            nullptr};
}

// A key name usable as a template argument, so captureless handlers know their prefix.
template <size_t N> struct Name {
    char s[N];
    constexpr Name(const char (&str)[N]) { std::copy_n(str, N, s); }
    constexpr std::string_view view() const { return {s, N - 1}; }
};

// A prefix key whose sub-keys map to values: lxc.proc.*, lxc.sysctl.*, lxc.prlimit.*.
// The bare key ("lxc.sysctl =") clears them all.
template <Name P, auto M, auto Parse, auto Format, auto CheckName> KeyHandler keyed_map() {
    return {P.view(),
            [](Config& c, std::string_view key, std::string_view v) {
                std::string name(sub_key(key, P.view()));
                CheckName(name);
                (c.*M)[name] = Parse(v);
            },
            [](Config& c, std::string_view key) {
                if (key.size() < P.view().size())
                    (c.*M).clear();
                else
                    (c.*M).erase(std::string(sub_key(key, P.view())));
            },
            [](const Config& c, std::string_view key) {
                auto it = (c.*M).find(std::string(sub_key(key, P.view())));
                return it == (c.*M).end() ? Lines{} : Lines{Format(it->second)};
            },
            [](const Config& c) {
                Items out;
                for (const auto& [name, value] : c.*M)
                    out.emplace_back(std::string(P.view()) + name, Format(value));
                return out;
            }};
}

void any_name(const std::string& name) {
    if (name.find_first_of(" \t") != std::string::npos)
        invalid("invalid key name", name);
}

void prlimit_name(const std::string& name) {
    if (!is_prlimit_name(name))
        invalid("unknown resource limit", name);
}

// lxc.cgroup.* / lxc.cgroup2.*: passed through by name, in order, repeats kept.
// "lxc.cgroup.devices.allow =" drops that name's values; "lxc.cgroup =" drops all.
template <Name P, auto M> KeyHandler cgroup_passthrough() {
    return {P.view(),
            [](Config& c, std::string_view key, std::string_view v) {
                std::string name(sub_key(key, P.view()));
                any_name(name);
                (c.*M).emplace_back(name, std::string(v));
            },
            [](Config& c, std::string_view key) {
                if (key.size() < P.view().size()) {
                    (c.*M).clear();
                    return;
                }
                std::string_view name = sub_key(key, P.view());
                std::erase_if(c.*M, [name](const auto& kv) { return kv.first == name; });
            },
            [](const Config& c, std::string_view key) {
                std::string_view name = sub_key(key, P.view());
                Lines out;
                for (const auto& [k, v] : c.*M)
                    if (k == name)
                        out.push_back(v);
                return out;
            },
            [](const Config& c) {
                Items out;
                for (const auto& [k, v] : c.*M)
                    out.emplace_back(std::string(P.view()) + k, v);
                return out;
            }};
}

// lxc.namespace.share.<ns>: a PID, a container name or a container path.
KeyHandler namespace_share() {
    static constexpr std::string_view prefix = "lxc.namespace.share.";
    return {prefix,
            [](Config& c, std::string_view key, std::string_view v) {
                c.namespace_share[parse_namespace(sub_key(key, prefix))] = std::string(v);
            },
            [](Config& c, std::string_view key) {
                if (key.size() < prefix.size())
                    c.namespace_share.clear();
                else
                    c.namespace_share.erase(parse_namespace(sub_key(key, prefix)));
            },
            [](const Config& c, std::string_view key) {
                auto it = c.namespace_share.find(parse_namespace(sub_key(key, prefix)));
                return it == c.namespace_share.end() ? Lines{} : Lines{it->second};
            },
            [](const Config& c) {
                Items out;
                for (const auto& [ns, v] : c.namespace_share)
                    out.emplace_back(std::string(prefix) + namespace_name(ns), v);
                return out;
            }};
}

// lxc.hook: only its empty form, which clears every hook.
KeyHandler all_hooks() {
    return {"lxc.hook",
            [](Config&, std::string_view, std::string_view) {
                throw Error(Errc::InvalidConfig, "lxc.hook only takes an empty value (clears all "
                                                 "hooks)");
            },
            [](Config& c, std::string_view) { c.hooks.clear(); },
            [](const Config&, std::string_view) -> Lines {
                throw Error(Errc::InvalidConfig,
                            "lxc.hook needs a hook type such as lxc.hook.start");
            },
            [](const Config&) { return Items{}; }};
}

using C = Config;
using Prl = Config::Prlimit;

// Order is the writer's order: identity, then what runs it, then resources.
const std::array kKeys = {
    text<&C::arch, parse_arch>("lxc.arch"),
    text<&C::uts_name, parse_hostname>("lxc.uts.name"),
    text<&C::rootfs_path>("lxc.rootfs.path"),
    text<&C::rootfs_mount>("lxc.rootfs.mount"),
    text<&C::rootfs_options>("lxc.rootfs.options"),
    scalar<&C::rootfs_managed, parse_bool, fmt_bool>("lxc.rootfs.managed"),
    scalar<&C::ephemeral, parse_bool, fmt_bool>("lxc.ephemeral"),
    scalar<&C::signal_halt, parse_signal, fmt_signal_or_zero>("lxc.signal.halt"),
    scalar<&C::signal_reboot, parse_signal, fmt_signal_or_zero>("lxc.signal.reboot"),
    scalar<&C::signal_stop, parse_signal, fmt_signal_or_zero>("lxc.signal.stop"),
    command<&C::init_cmd>("lxc.init.cmd"),
    text<&C::init_cwd>("lxc.init.cwd"),
    optional<&C::init_uid, parse_uint32, fmt_number<uint32_t>>("lxc.init.uid"),
    optional<&C::init_gid, parse_uint32, fmt_number<uint32_t>>("lxc.init.gid"),
    command<&C::execute_cmd>("lxc.execute.cmd"),
    scalar<&C::sched_core, parse_bool, fmt_bool>("lxc.sched.core"),
    list<&C::environment, as_string, fmt_string>("lxc.environment"),
    list<&C::idmaps, parse_idmap, format_idmap>("lxc.idmap"),
    namespace_set<&C::namespace_clone>("lxc.namespace.clone"),
    namespace_set<&C::namespace_keep>("lxc.namespace.keep"),
    namespace_share(),
    scalar<&C::time_offset_boot, parse_time_offset, fmt_time_offset>("lxc.time.offset.boot"),
    scalar<&C::time_offset_monotonic, parse_time_offset, fmt_time_offset>(
        "lxc.time.offset.monotonic"),
    optional<&C::pty_max, parse_uint32, fmt_number<uint32_t>>("lxc.pty.max"),
    scalar<&C::tty_max, parse_uint32, fmt_number<uint32_t>>("lxc.tty.max"),
    text<&C::tty_dir>("lxc.tty.dir"),
    text<&C::console_path>("lxc.console.path"),
    text<&C::console_logfile>("lxc.console.logfile"),
    scalar<&C::console_rotate, parse_bool, fmt_bool>("lxc.console.rotate"),
    scalar<&C::console_buffer_size, parse_console_size, fmt_number<uint64_t>>(
        "lxc.console.buffer.size"),
    text<&C::console_buffer_logfile>("lxc.console.buffer.logfile"),
    scalar<&C::console_size, parse_console_size, fmt_number<uint64_t>>("lxc.console.size"),
    scalar<&C::autodev, parse_bool, fmt_bool>("lxc.autodev"),
    scalar<&C::autodev_tmpfs_size, parse_uint32, fmt_number<uint32_t>>("lxc.autodev.tmpfs.size"),
    text<&C::mount_fstab>("lxc.mount.fstab"),
    word_list<&C::mount_auto, parse_mount_auto>("lxc.mount.auto"),
    list<&C::mount_entries, parse_mount_entry, format_mount_entry>("lxc.mount.entry"),
    text<&C::cgroup_dir>("lxc.cgroup.dir"),
    text<&C::cgroup_dir_monitor>("lxc.cgroup.dir.monitor"),
    text<&C::cgroup_dir_monitor_pivot>("lxc.cgroup.dir.monitor.pivot"),
    text<&C::cgroup_dir_container>("lxc.cgroup.dir.container"),
    text<&C::cgroup_dir_container_inner>("lxc.cgroup.dir.container.inner"),
    scalar<&C::cgroup_relative, parse_bool, fmt_bool>("lxc.cgroup.relative"),
    cgroup_passthrough<"lxc.cgroup.", &C::cgroup_v1>(),
    cgroup_passthrough<"lxc.cgroup2.", &C::cgroup_v2>(),
    keyed_map<"lxc.proc.", &C::proc, as_string, fmt_string, any_name>(),
    keyed_map<"lxc.sysctl.", &C::sysctl, as_string, fmt_string, any_name>(),
    keyed_map<"lxc.prlimit.", &C::prlimits, parse_prlimit, format_prlimit, prlimit_name>(),
    word_list<&C::cap_drop, parse_capability>("lxc.cap.drop"),
    word_list<&C::cap_keep, parse_cap_keep>("lxc.cap.keep"),
    text<&C::apparmor_profile>("lxc.apparmor.profile"),
    scalar<&C::apparmor_allow_incomplete, parse_bool, fmt_bool>("lxc.apparmor.allow_incomplete"),
    scalar<&C::apparmor_allow_nesting, parse_bool, fmt_bool>("lxc.apparmor.allow_nesting"),
    list<&C::apparmor_raw, as_string, fmt_string>("lxc.apparmor.raw"),
    text<&C::selinux_context>("lxc.selinux.context"),
    text<&C::selinux_context_keyring>("lxc.selinux.context.keyring"),
    scalar<&C::keyring_session, parse_bool, fmt_bool>("lxc.keyring.session"),
    text<&C::seccomp_profile>("lxc.seccomp.profile"),
    scalar<&C::seccomp_allow_nesting, parse_bool, fmt_bool>("lxc.seccomp.allow_nesting"),
    text<&C::seccomp_notify_proxy, parse_notify_proxy>("lxc.seccomp.notify.proxy"),
    text<&C::seccomp_notify_cookie>("lxc.seccomp.notify.cookie"),
    scalar<&C::no_new_privs, parse_bool, fmt_bool>("lxc.no_new_privs"),
    scalar<&C::hook_version, parse_hook_version, fmt_number<int>>("lxc.hook.version"),
    hook<HookType::PreStart>("lxc.hook.pre-start"),
    hook<HookType::PreMount>("lxc.hook.pre-mount"),
    hook<HookType::Mount>("lxc.hook.mount"),
    hook<HookType::Autodev>("lxc.hook.autodev"),
    hook<HookType::StartHost>("lxc.hook.start-host"),
    hook<HookType::Start>("lxc.hook.start"),
    hook<HookType::Stop>("lxc.hook.stop"),
    hook<HookType::PostStop>("lxc.hook.post-stop"),
    hook<HookType::Clone>("lxc.hook.clone"),
    hook<HookType::Destroy>("lxc.hook.destroy"),
    all_hooks(),
    scalar<&C::start_auto, parse_bool, fmt_bool>("lxc.start.auto"),
    scalar<&C::start_delay, parse_uint32, fmt_number<uint32_t>>("lxc.start.delay"),
    scalar<&C::start_order, parse_int32, fmt_number<int32_t>>("lxc.start.order"),
    word_list<&C::groups, as_string>("lxc.group"),
    scalar<&C::monitor_unshare, parse_bool, fmt_bool>("lxc.monitor.unshare"),
    scalar<&C::monitor_signal_pdeath, parse_signal_or_zero, fmt_signal_or_zero>(
        "lxc.monitor.signal.pdeath"),
    text<&C::log_level, parse_log_level>("lxc.log.level"),
    text<&C::log_file>("lxc.log.file"),
    text<&C::log_syslog, parse_syslog_facility>("lxc.log.syslog"),
    net_key,
};

} // namespace

std::span<const KeyHandler> key_table() {
    return kKeys;
}

const KeyHandler* find_key(std::string_view key) {
    for (const auto& k : kKeys)
        if (!k.is_prefix() && k.name == key)
            return &k;
    // The longest matching prefix wins, so lxc.cgroup2.x never lands in lxc.cgroup.
    const KeyHandler* best = nullptr;
    for (const auto& k : kKeys) {
        if (!k.is_prefix())
            continue;
        std::string_view bare = k.name.substr(0, k.name.size() - 1);
        bool match = key == bare || (key.starts_with(k.name) && key.size() > k.name.size());
        if (match && (!best || k.name.size() > best->name.size()))
            best = &k;
    }
    return best;
}

std::string_view sub_key(std::string_view key, std::string_view prefix) {
    if (key.size() <= prefix.size() || !key.starts_with(prefix))
        throw Error(Errc::InvalidConfig, "needs a sub-key: " + std::string(prefix) + "<name>");
    return key.substr(prefix.size());
}

} // namespace lxcd::config::detail
