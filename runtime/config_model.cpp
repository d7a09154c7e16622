// The small behaviours of the config model itself: names, flags, comparisons.
#include "config.hpp"

#include <cstring>
#include <sched.h>

namespace lxcd::config {

std::string Diagnostic::str() const {
    return origin.str() + ": " + (level == Level::Warning ? "warning: " : "") +
           (key.empty() ? "" : key + ": ") + message;
}

const char* hook_name(HookType t) {
    switch (t) {
    case HookType::PreStart:
        return "pre-start";
    case HookType::PreMount:
        return "pre-mount";
    case HookType::Mount:
        return "mount";
    case HookType::Autodev:
        return "autodev";
    case HookType::StartHost:
        return "start-host";
    case HookType::Start:
        return "start";
    case HookType::Stop:
        return "stop";
    case HookType::PostStop:
        return "post-stop";
    case HookType::Clone:
        return "clone";
    case HookType::Destroy:
        return "destroy";
    }
    return "";
}

const char* namespace_name(Namespace ns) {
    switch (ns) {
    case Namespace::Cgroup:
        return "cgroup";
    case Namespace::Ipc:
        return "ipc";
    case Namespace::Mnt:
        return "mnt";
    case Namespace::Net:
        return "net";
    case Namespace::Pid:
        return "pid";
    case Namespace::Time:
        return "time";
    case Namespace::User:
        return "user";
    case Namespace::Uts:
        return "uts";
    }
    return "";
}

int namespace_clone_flag(Namespace ns) {
    switch (ns) {
    case Namespace::Cgroup:
        return CLONE_NEWCGROUP;
    case Namespace::Ipc:
        return CLONE_NEWIPC;
    case Namespace::Mnt:
        return CLONE_NEWNS;
    case Namespace::Net:
        return CLONE_NEWNET;
    case Namespace::Pid:
        return CLONE_NEWPID;
    case Namespace::Time:
        return CLONE_NEWTIME;
    case Namespace::User:
        return CLONE_NEWUSER;
    case Namespace::Uts:
        return CLONE_NEWUTS;
    }
    return 0;
}

namespace {
bool same(const in_addr& a, const in_addr& b) {
    return a.s_addr == b.s_addr;
}
bool same(const in6_addr& a, const in6_addr& b) {
    return std::memcmp(&a, &b, sizeof(a)) == 0;
}
} // namespace

bool Ipv4Address::operator==(const Ipv4Address& o) const {
    if (broadcast.has_value() != o.broadcast.has_value())
        return false;
    return same(addr, o.addr) && prefix == o.prefix &&
           (!broadcast || same(*broadcast, *o.broadcast));
}

bool Ipv6Address::operator==(const Ipv6Address& o) const {
    return same(addr, o.addr) && prefix == o.prefix;
}

bool Ipv4Gateway::operator==(const Ipv4Gateway& o) const {
    return kind == o.kind && same(addr, o.addr);
}

bool Ipv6Gateway::operator==(const Ipv6Gateway& o) const {
    return kind == o.kind && same(addr, o.addr);
}

bool Route4::operator==(const Route4& o) const {
    return same(dst, o.dst) && prefix == o.prefix;
}

bool Route6::operator==(const Route6& o) const {
    return same(dst, o.dst) && prefix == o.prefix;
}

} // namespace lxcd::config
