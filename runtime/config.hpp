// The container configuration model: a typed view of lxc.container.conf(5).
//
// Every key of the manual has a typed home here. The parser (config_parse.cpp)
// fills it from files, the key table (config_keys.cpp) maps each key name to
// its field for get/set/clear, and the writer emits normalised modern keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <netinet/in.h>

namespace lxcd::config {

// Where a value came from, for error messages ("file:line").
struct Origin {
    std::string file;
    unsigned line = 0;
    std::string str() const { return file + ":" + std::to_string(line); }
    // Provenance only: a value means the same wherever it was written, so
    // origins never make two models unequal (parse -> write -> parse).
    bool operator==(const Origin&) const { return true; }
};

struct Diagnostic {
    enum class Level { Warning, Error };
    Level level = Level::Error;
    Origin origin;
    std::string key;
    std::string message;
    // "file:line: key: message", or "file:line: warning: key: message".
    std::string str() const;
    bool operator==(const Diagnostic&) const = default;
};

struct IdMap {
    char type = 'u'; // 'u' or 'g'
    uint32_t ns_id = 0;
    uint32_t host_id = 0;
    uint32_t range = 0;
    bool operator==(const IdMap&) const = default;
};

// One fstab-format line: lxc.mount.entry or a line of lxc.mount.fstab.
struct MountEntry {
    std::string source;
    std::string target; // relative to the rootfs (leading '/' stripped)
    std::string fstype;
    std::string options; // comma-separated, including create=, optional, bind ...
    int freq = 0;
    int passno = 0;
    bool has_option(const std::string& opt) const;
    bool operator==(const MountEntry&) const = default;
};

struct Ipv4Address {
    in_addr addr{};
    uint8_t prefix = 24;
    std::optional<in_addr> broadcast;
    bool operator==(const Ipv4Address& o) const;
};

struct Ipv6Address {
    in6_addr addr{};
    uint8_t prefix = 64;
    bool operator==(const Ipv6Address& o) const;
};

struct Ipv4Gateway {
    enum class Kind { Address, Auto, Dev } kind = Kind::Address;
    in_addr addr{};
    bool operator==(const Ipv4Gateway& o) const;
};

struct Ipv6Gateway {
    enum class Kind { Address, Auto, Dev } kind = Kind::Address;
    in6_addr addr{};
    bool operator==(const Ipv6Gateway& o) const;
};

struct Route4 {
    in_addr dst{};
    uint8_t prefix = 32;
    bool operator==(const Route4& o) const;
};
struct Route6 {
    in6_addr dst{};
    uint8_t prefix = 128;
    bool operator==(const Route6& o) const;
};

// lxc.net.N.*
struct Network {
    unsigned index = 0; // N
    Origin origin;      // where lxc.net.N.type was set
    std::string type;   // none, empty, veth, vlan, macvlan, ipvlan, phys
    bool flags_up = false;
    std::string link;
    std::string name;   // in-container name; default eth<position>
    std::string hwaddr; // may contain 'x' placeholders
    std::optional<uint32_t> mtu;
    bool l2proxy = false;
    // veth
    std::string veth_pair;
    std::string veth_mode = ""; // "", bridge, router
    std::vector<Route4> veth_ipv4_routes;
    std::vector<Route6> veth_ipv6_routes;
    // veth.vlan.id: untagged VLAN of the bridge port; kVlanNone removes the default one.
    static constexpr int32_t kVlanNone = -1;
    std::optional<int32_t> veth_vlan_id;
    std::vector<uint16_t> veth_vlan_tagged_ids; // veth.vlan.tagged.id, one per line
    // macvlan / ipvlan / vlan
    std::string macvlan_mode;     // private, vepa, bridge, passthru
    std::string ipvlan_mode;      // l3, l3s, l2
    std::string ipvlan_isolation; // bridge, private, vepa
    std::optional<uint16_t> vlan_id;
    // addresses
    std::vector<Ipv4Address> ipv4;
    std::optional<Ipv4Gateway> ipv4_gateway;
    std::vector<Ipv6Address> ipv6;
    std::optional<Ipv6Gateway> ipv6_gateway;
    std::string script_up;
    std::string script_down;
    bool operator==(const Network&) const = default;
};

enum class HookType {
    PreStart,
    PreMount,
    Mount,
    Autodev,
    StartHost,
    Start,
    Stop,
    PostStop,
    Clone,
    Destroy,
};
// "pre-start" ... as in lxc.hook.<name>
const char* hook_name(HookType t);

// Namespace kinds as LXC names them in lxc.namespace.*: cgroup ipc mnt net pid time user uts.
enum class Namespace { Cgroup, Ipc, Mnt, Net, Pid, Time, User, Uts };
const char* namespace_name(Namespace ns);
int namespace_clone_flag(Namespace ns); // CLONE_NEW*

struct Config {
    // Files that make up this config, in include order (the first is the main file).
    std::vector<std::string> files;

    // lxc.arch
    std::string arch;
    // lxc.uts.name
    std::string uts_name;
    // lxc.signal.*  (0 = unset: runtime default SIGPWR / SIGINT / SIGKILL)
    int signal_halt = 0;
    int signal_reboot = 0;
    int signal_stop = 0;
    // lxc.init.*
    std::vector<std::string> init_cmd; // split on whitespace; empty = /sbin/init
    std::string init_cwd;
    std::optional<uint32_t> init_uid;
    std::optional<uint32_t> init_gid;
    // lxc.execute.cmd (application containers)
    std::vector<std::string> execute_cmd;
    // lxc.sched.core
    bool sched_core = false;
    // lxc.proc.*  (name without prefix -> value)
    std::map<std::string, std::string> proc;
    // lxc.ephemeral
    bool ephemeral = false;
    // lxc.net.N (sorted by N)
    std::vector<Network> networks;
    // lxc.pty.max, lxc.tty.max, lxc.tty.dir
    std::optional<uint32_t> pty_max;
    uint32_t tty_max = 0;
    std::string tty_dir;
    // lxc.console.*
    std::string console_path; // "" = allocate pty, "none" = no console
    std::string console_logfile;
    bool console_rotate = false;
    uint64_t console_buffer_size = 0; // bytes; "auto" maps to 128 KiB
    std::string console_buffer_logfile;
    uint64_t console_size = 0;
    // /dev: lxc.autodev, lxc.autodev.tmpfs.size (MiB)
    bool autodev = true;
    uint32_t autodev_tmpfs_size = 500;
    // lxc.mount.*
    std::string mount_fstab;
    std::vector<std::string> mount_auto; // e.g. "proc:mixed", "sys:ro", "cgroup:rw:force"
    std::vector<MountEntry> mount_entries;
    // lxc.rootfs.*
    std::string rootfs_path; // as written, e.g. "dir:/var/lib/lxc/c/rootfs", "overlay:L:U"
    std::string rootfs_mount;
    std::string rootfs_options;
    bool rootfs_managed = true;
    // lxc.cgroup.* / lxc.cgroup2.* pass-through (key without prefix -> values in order)
    std::vector<std::pair<std::string, std::string>> cgroup_v1;
    std::vector<std::pair<std::string, std::string>> cgroup_v2;
    std::string cgroup_dir;
    std::string cgroup_dir_monitor;
    std::string cgroup_dir_monitor_pivot;
    std::string cgroup_dir_container;
    std::string cgroup_dir_container_inner;
    bool cgroup_relative = false;
    // lxc.cap.*
    std::vector<std::string> cap_drop; // lowercase names without CAP_
    std::vector<std::string> cap_keep; // "none" allowed
    // lxc.apparmor.*
    std::string apparmor_profile;
    bool apparmor_allow_incomplete = false;
    bool apparmor_allow_nesting = false;
    std::vector<std::string> apparmor_raw;
    // lxc.selinux.*
    std::string selinux_context;
    std::string selinux_context_keyring;
    // lxc.keyring.session
    bool keyring_session = true;
    // lxc.seccomp.*
    std::string seccomp_profile;
    bool seccomp_allow_nesting = false;
    std::string seccomp_notify_proxy;
    std::string seccomp_notify_cookie;
    // lxc.no_new_privs
    bool no_new_privs = false;
    // lxc.idmap
    std::vector<IdMap> idmaps;
    // lxc.hook.*
    int hook_version = 0;
    std::map<HookType, std::vector<std::string>> hooks;
    // lxc.start.*, lxc.group
    bool start_auto = false;
    uint32_t start_delay = 0;
    int32_t start_order = 0;
    std::vector<std::string> groups;
    // lxc.monitor.*
    bool monitor_unshare = false;
    int monitor_signal_pdeath = 9; // SIGKILL; 0 = send nothing, the container outlives the monitor
    // lxc.log.*
    std::string log_level; // normalised name: trace debug info notice warn error crit alert fatal
    std::string log_file;
    std::string log_syslog;
    // lxc.namespace.*
    std::vector<Namespace> namespace_clone;
    std::vector<Namespace> namespace_keep;
    std::map<Namespace, std::string> namespace_share; // name, pid or /proc/PID/ns/... path
    // lxc.time.offset.* (nanoseconds)
    int64_t time_offset_boot = 0;
    int64_t time_offset_monotonic = 0;
    // lxc.sysctl.* (name without prefix -> value)
    std::map<std::string, std::string> sysctl;
    // lxc.prlimit.* (resource name -> "soft[:hard]", "unlimited" allowed)
    struct Prlimit {
        uint64_t soft = 0;
        uint64_t hard = 0; // RLIM_INFINITY for "unlimited"
        bool operator==(const Prlimit&) const = default;
    };
    std::map<std::string, Prlimit> prlimits;
    // lxc.environment
    std::vector<std::string> environment; // "NAME=value" (NAME alone inherits)

    // Compares every setting and the file list; origins never differ (see Origin).
    bool operator==(const Config&) const = default;
};

} // namespace lxcd::config
